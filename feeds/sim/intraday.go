package sim

import (
	"math"
	"sort"
	"time"
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

// dayPath is one session's intraday path at 5-minute resolution: a Brownian
// bridge from the open (previous close plus a gap) to the day's close, with
// more variance near the open and close than at midday (the U-shape).
// Bar times are seconds after origin, not time.Times: every listing keeps a
// few of these, and a time.Time is 24 bytes.
type dayPath struct {
	day          int32
	origin       time.Time
	starts, ends []int32   // each bar's span, over the trading periods only, so lunch breaks are flat
	logs         []float64 // log price at each bar start; the extra last one is the close
	weights      []float64 // share of the session's variance in each bar, summing to 1
	done         []float64 // running sum of weights: the share before each bar; the extra last one is 1
}

// pathsKept bounds each listing's cache of day paths. A quote needs today's
// (and, before the open, the previous session's); a 5D series walks up to
// 12 days once per fetch, which recomputes them cheaply.
const pathsKept = 3

func (dp *dayPath) len() int { return len(dp.starts) }

func (dp *dayPath) start(i int) time.Time {
	return dp.origin.Add(time.Duration(dp.starts[i]) * time.Second)
}

func (dp *dayPath) end(i int) time.Time {
	return dp.origin.Add(time.Duration(dp.ends[i]) * time.Second)
}

// barAt is the first bar ending after t; len() when none does.
func (dp *dayPath) barAt(t time.Time) int {
	off := t.Sub(dp.origin)
	return sort.Search(dp.len(), func(i int) bool { return time.Duration(dp.ends[i])*time.Second > off })
}

func (p *profile) path(seed int64, r sessionRef) *dayPath {
	s := p.cal.at(r)
	if dp, ok := p.paths[s.day]; ok {
		return dp
	}
	if len(p.paths) >= pathsKept {
		clear(p.paths)
	}
	dp := &dayPath{day: s.day}
	for i, part := range p.ex.TradingPeriods(dayDate(s.day)) {
		if i == 0 {
			dp.origin = part.Start.UTC()
		}
		from, to := int32(part.Start.Sub(dp.origin)/time.Second), int32(part.End.Sub(dp.origin)/time.Second)
		for st := from; st < to; st += int32(barSize / time.Second) {
			dp.starts = append(dp.starts, st)
			dp.ends = append(dp.ends, min(st+int32(barSize/time.Second), to))
		}
	}
	n := dp.len()
	dp.weights = make([]float64, n)
	total := 0.0
	for i := range dp.weights {
		x := (float64(i) + 0.5) / float64(n)
		dp.weights[i] = 1
		if p.kind != fx { // FX trades round the clock: no opening or closing rush
			dp.weights[i] = 0.6 + 2.4*sq(2*x-1)
		}
		total += dp.weights[i]
	}
	walk := make([]float64, n+1) // unit-variance-per-session random walk
	dp.done = make([]float64, n+1)
	for i := range dp.weights {
		dp.weights[i] /= total
		dp.done[i+1] = dp.done[i] + dp.weights[i]
		walk[i+1] = walk[i] + math.Sqrt(dp.weights[i])*normal(hash(seed, p.key, tagIntra, uint64(s.day)<<20|uint64(i)))
	}
	prevClose, close := p.logClose(seed, p.cal.prev(r)), p.logClose(seed, r)
	open := prevClose + 0.3*(close-prevClose) + 0.25*p.vol*normal(hash(seed, p.key, tagGap, uint64(s.day)))
	sigma := intradayShare * p.vol
	dp.logs = make([]float64, n+1)
	tau := 0.0
	for i := 0; i < n; i++ {
		dp.logs[i] = open + (close-open)*tau + sigma*(walk[i]-tau*walk[n])
		tau += dp.weights[i]
	}
	dp.logs[n] = close
	p.paths[s.day] = dp
	return dp
}

// logAt is the log price at instant t of session r (which opened at or
// before t), at 5-second tick resolution, with the time of that tick.
// During a lunch break and after the close the price holds still.
func (p *profile) logAt(seed int64, r sessionRef, t time.Time) (float64, time.Time) {
	dp := p.path(seed, r)
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
func (p *profile) prePrice(seed int64, last, today sessionRef, now time.Time) float64 {
	from := p.logClose(seed, last)
	to := p.path(seed, today).logs[0]
	f := clamp01(1 - float64(p.cal.at(today).open.Sub(now))/float64(preHours))
	return math.Exp(from + (to-from)*f + 0.1*p.vol*normal(hash(seed, p.key, tagJitter, uint64(now.Unix()/60))))
}

// postPrice is the US post-market price after session r closed.
func (p *profile) postPrice(seed int64, r sessionRef, now time.Time) float64 {
	s := p.cal.at(r)
	move := 0.3 * p.vol * normal(hash(seed, p.key, tagPost, uint64(s.day)))
	f := clamp01(float64(now.Sub(s.close)) / float64(postHours))
	return math.Exp(p.logClose(seed, r) + move*f + 0.1*p.vol*normal(hash(seed, p.key, tagJitter, uint64(now.Unix()/60))))
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
