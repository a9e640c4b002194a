package sim

import (
	"maps"
	"math"
	"sort"
	"time"
	"weak"

	"github.com/rotation-dev/rotation/feeds"
)

const (
	barSize  = 5 * time.Minute
	tickSize = 5 * time.Second
	// intradayShare scales the wander within a session relative to daily
	// volatility; the session still ends exactly at the day's close.
	intradayShare = 0.7
	preHours      = 5*time.Hour + 30*time.Minute // US pre-market 04:00-09:30
	postHours     = 4 * time.Hour                // US post-market 16:00-20:00
)

// barGrid is one session's 5-minute bars and how its variance spreads over
// them. It depends on the exchange's trading periods and on whether the
// listing is FX, never on the listing, so the calendar keeps one per day for
// all its listings instead of each listing a copy. Bar times are seconds
// after origin, not time.Times: a time.Time is 24 bytes.
type barGrid struct {
	origin       time.Time
	starts, ends []int32   // each bar's span, over the trading periods only, so lunch breaks are flat
	weights      []float64 // share of the session's variance in each bar, summing to 1
	done         []float64 // running sum of weights: the share before each bar; the extra last one is 1
}

// gridKey names a barGrid in its calendar: the session's day, and whether
// its variance spreads evenly (FX).
type gridKey struct {
	day  int32
	even bool
}

// A calendar holds its bar grids weakly: while some listing's day path
// holds a session's grid, every listing's path of that session shares it,
// however many sessions a 5D walk goes through; once none does (a 5D
// walk's older sessions), it goes. gridSweep is how many entries the map
// may have before those of collected grids are dropped.
const gridSweep = 8

// dayPath is one session's intraday path at 5-minute resolution: a Brownian
// bridge from the open (previous close plus a gap) to the day's close, with
// more variance near the open and close than at midday (the U-shape).
// Only logs is the listing's own; the bars are the exchange's.
type dayPath struct {
	day      int32
	*barGrid           // shared by the exchange's listings, see calendar.grid
	logs     []float64 // log price at each bar start; the extra last one is the close
	prev     float64   // log close of the session before, which quotes show
}

// pathsKept bounds each listing's cache of day paths. A quote needs today's
// (and, before the open, the next session's); a 5D series walks its older
// sessions' paths without keeping them, and they are cheap to recompute.
const pathsKept = 3

func (dp *dayPath) close() float64 { return dp.logs[dp.len()] }

func (g *barGrid) len() int { return len(g.starts) }

func (g *barGrid) start(i int) time.Time {
	return g.origin.Add(time.Duration(g.starts[i]) * time.Second)
}

func (g *barGrid) end(i int) time.Time {
	return g.origin.Add(time.Duration(g.ends[i]) * time.Second)
}

// barAt is the first bar ending after t; len() when none does.
func (g *barGrid) barAt(t time.Time) int {
	off := t.Sub(g.origin)
	return sort.Search(g.len(), func(i int) bool { return time.Duration(g.ends[i])*time.Second > off })
}

// grid returns the bars of the session closing on civil day n, with the
// variance spread evenly if even (FX trades round the clock: no opening or
// closing rush), else in a U-shape.
func (c *calendar) grid(n int32, even bool) *barGrid {
	k := gridKey{n, even}
	if g := c.grids[k].Value(); g != nil {
		return g
	}
	if len(c.grids) >= gridSweep {
		maps.DeleteFunc(c.grids, func(_ gridKey, g weak.Pointer[barGrid]) bool { return g.Value() == nil })
	}
	g := &barGrid{}
	parts := c.ex.TradingPeriods(dayDate(n))
	if len(parts) > 0 {
		g.origin = parts[0].Start.UTC()
	}
	span := func(part feeds.Period) (from, to int32) {
		return int32(part.Start.Sub(g.origin) / time.Second), int32(part.End.Sub(g.origin) / time.Second)
	}
	const bar = int32(barSize / time.Second)
	m := 0
	for _, part := range parts {
		from, to := span(part)
		m += int(max(0, (to-from+bar-1)/bar))
	}
	// Sized exactly: the grid is kept, append's spare room with it.
	g.starts, g.ends = make([]int32, 0, m), make([]int32, 0, m)
	for _, part := range parts {
		from, to := span(part)
		for st := from; st < to; st += bar {
			g.starts = append(g.starts, st)
			g.ends = append(g.ends, min(st+bar, to))
		}
	}
	g.weights = make([]float64, m)
	total := 0.0
	for i := range g.weights {
		x := (float64(i) + 0.5) / float64(m)
		g.weights[i] = 1
		if !even {
			g.weights[i] = 0.6 + 2.4*sq(2*x-1)
		}
		total += g.weights[i]
	}
	g.done = make([]float64, m+1)
	for i := range g.weights {
		g.weights[i] /= total
		g.done[i+1] = g.done[i] + g.weights[i]
	}
	c.grids[k] = weak.Make(g)
	return g
}

// path returns session r's day path, kept in the listing's cache.
func (p *profile) path(seed int64, r sessionRef) *dayPath {
	if dp, ok := p.paths[p.cal.at(r).day]; ok {
		return dp
	}
	var prevClose, close float64
	for _, lc := range p.closes(seed, p.cal.prev(r), r) {
		prevClose, close = close, lc
	}
	dp := p.newPath(seed, r, prevClose, close)
	p.keepPath(dp)
	return dp
}

// pathFrom is session r's day path for a caller walking the closes anyway:
// the cached one, else computed from them (prevClose, the session before's)
// and not cached.
func (p *profile) pathFrom(seed int64, r sessionRef, prevClose, close float64) *dayPath {
	if dp, ok := p.paths[p.cal.at(r).day]; ok {
		return dp
	}
	return p.newPath(seed, r, prevClose, close)
}

func (p *profile) keepPath(dp *dayPath) {
	if _, ok := p.paths[dp.day]; ok {
		return
	}
	if len(p.paths) >= pathsKept {
		clear(p.paths)
	}
	p.paths[dp.day] = dp
}

func (p *profile) newPath(seed int64, r sessionRef, prevClose, close float64) *dayPath {
	day := p.cal.at(r).day
	dp := &dayPath{day: day, barGrid: p.cal.grid(day, p.kind == fx), prev: prevClose}
	n := dp.len()
	walk := make([]float64, n+1) // unit-variance-per-session random walk
	for i, w := range dp.weights {
		walk[i+1] = walk[i] + math.Sqrt(w)*normal(hash(seed, p.key, tagIntra, uint64(day)<<20|uint64(i)))
	}
	open := prevClose + 0.3*(close-prevClose) + 0.25*p.vol*normal(hash(seed, p.key, tagGap, uint64(day)))
	sigma := intradayShare * p.vol
	dp.logs = make([]float64, n+1)
	tau := 0.0
	for i := 0; i < n; i++ {
		dp.logs[i] = open + (close-open)*tau + sigma*(walk[i]-tau*walk[n])
		tau += dp.weights[i]
	}
	dp.logs[n] = close
	return dp
}

// logAt is the log price at instant t of the session dp is the path of
// (which opened at or before t), at 5-second tick resolution, with the time
// of that tick. During a lunch break and after the close the price holds
// still.
func (p *profile) logAt(seed int64, dp *dayPath, t time.Time) (float64, time.Time) {
	n := dp.len()
	i := dp.barAt(t)
	if i == n {
		return dp.logs[n], dp.end(n - 1)
	}
	start, end := dp.start(i), dp.end(i)
	if t.Before(start) { // between trading periods: frozen at the morning close
		return dp.logs[i], dp.end(i - 1)
	}
	k := int(t.Sub(start) / tickSize)
	if k == 0 { // on a bar boundary: no tick walk needed, which keeps charts cheap
		return dp.logs[i], start
	}
	ticks := int((end.Sub(start) + tickSize - 1) / tickSize)
	c := p.ticks.get(seed, p.key, dp.day, i, ticks)
	frac := float64(k) / float64(ticks)
	sigma := intradayShare * p.vol * math.Sqrt(dp.weights[i]/float64(ticks))
	v := dp.logs[i] + (dp.logs[i+1]-dp.logs[i])*frac + sigma*(c[k]-frac*c[ticks])
	return v, start.Add(time.Duration(k) * tickSize)
}

// tickCache keeps the tick walk of the bar last asked for, since a live
// screen asks for the same bar every second.
type tickCache struct {
	day  int32
	bar  int
	walk []float64
}

func (tc *tickCache) get(seed int64, sym uint64, day int32, bar, ticks int) []float64 {
	if tc.walk != nil && tc.day == day && tc.bar == bar && len(tc.walk) == ticks+1 {
		return tc.walk
	}
	w := make([]float64, ticks+1)
	for j := 1; j <= ticks; j++ {
		w[j] = w[j-1] + normal(hash(seed, sym, tagTick, uint64(day)<<32|uint64(bar)<<12|uint64(j)))
	}
	*tc = tickCache{day: day, bar: bar, walk: w}
	return w
}

// prePrice is the US pre-market price before session today opens: drifting
// from the last close toward today's opening level, with a little noise
// that changes once a minute.
func (p *profile) prePrice(seed int64, today sessionRef, now time.Time) float64 {
	dp := p.path(seed, today)
	from, to := dp.prev, dp.logs[0]
	f := clamp01(1 - float64(p.cal.at(today).openTime().Sub(now))/float64(preHours))
	return math.Exp(from + (to-from)*f + 0.1*p.vol*normal(hash(seed, p.key, tagJitter, uint64(now.Unix()/60))))
}

// postPrice is the US post-market price after session r closed.
func (p *profile) postPrice(seed int64, r sessionRef, now time.Time) float64 {
	s := p.cal.at(r)
	move := 0.3 * p.vol * normal(hash(seed, p.key, tagPost, uint64(s.day)))
	f := clamp01(float64(now.Sub(s.closeTime())) / float64(postHours))
	return math.Exp(p.path(seed, r).close() + move*f + 0.1*p.vol*normal(hash(seed, p.key, tagJitter, uint64(now.Unix()/60))))
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
