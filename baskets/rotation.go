package baskets

import (
	"fmt"
	"math"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

// The rotation map's windows, in sessions (see doc.go).
const (
	zWindow     = 10 // sessions a z-score is taken over
	momentumLag = 5  // sessions over which RS-ratio's change is measured
	tailLength  = 5  // sessions drawn as a tail
	// rotationSessions is what one point needs: RS over zWindow sessions
	// for each of zWindow ratios, each momentumLag sessions apart.
	rotationSessions = zWindow + momentumLag + zWindow - 1
)

// rotationMap holds the session calendar shared by every segment: the
// benchmark's daily bars.
type rotationMap struct {
	c        *computer
	sessions []time.Time // plain dates, oldest first
	bench    []float64   // benchmark in the report's currency at each session
	daily    map[string][]float64
	problem  string // why there is no map; empty when there is one
}

func (c *computer) newRotation() *rotationMap {
	rm := &rotationMap{c: c, daily: map[string][]float64{}}
	bench := c.in.Benchmark
	s, ok := c.in.Daily[bench]
	if !ok {
		rm.problem = fmt.Sprintf("no daily series of the benchmark %s", bench)
		return rm
	}
	loc := c.locationOf(bench)
	asOfDate := localDate(c.in.AsOf, loc)
	for i, t := range s.Times {
		if d := localDate(t, loc); i < len(s.Closes) && validPrice(s.Closes[i]) && !d.After(asOfDate) {
			rm.sessions = append(rm.sessions, d)
		}
	}
	if len(rm.sessions) < rotationSessions {
		rm.problem = fmt.Sprintf("needs %d daily sessions of %s, has %d", rotationSessions, bench, len(rm.sessions))
		return rm
	}
	rm.sessions = rm.sessions[max(0, len(rm.sessions)-rotationSessions-tailLength+1):]
	rm.bench = rm.valuesOf(bench)
	if rm.bench == nil {
		rm.problem = fmt.Sprintf("the benchmark %s cannot be priced in %s", bench, c.in.Currency)
	}
	return rm
}

// valuesOf is a symbol's last daily close on or before each session date, in
// the report's currency; nil when it has none on or before the first session.
func (rm *rotationMap) valuesOf(sym string) []float64 {
	if v, ok := rm.daily[sym]; ok {
		return v
	}
	m := rm.c.priceOf(sym)
	var v []float64
	if m.fx == nil {
		v = rm.closesAt(sym)
	} else if local, fx := rm.closesAt(sym), rm.closesAt(m.fx.symbol); local != nil && fx != nil {
		v = make([]float64, len(local))
		for i := range local {
			v[i] = convert(local[i], fx[i], m.perMajor)
		}
	}
	rm.daily[sym] = v
	return v
}

// closesAt carries a symbol's daily closes forward onto the session dates.
func (rm *rotationMap) closesAt(sym string) []float64 {
	s := rm.c.in.Daily[sym]
	loc := rm.c.locationOf(sym)
	out := make([]float64, len(rm.sessions))
	i, last := 0, 0.0
	for k, d := range rm.sessions {
		for ; i < len(s.Times) && i < len(s.Closes) && !localDate(s.Times[i], loc).After(d); i++ {
			if validPrice(s.Closes[i]) {
				last = s.Closes[i]
			}
		}
		if last == 0 {
			return nil
		}
		out[k] = last
	}
	return out
}

// segment places one segment on the map.
func (rm *rotationMap) segment(seg watchlists.Segment) Rotation {
	if rm.problem != "" {
		return Rotation{}
	}
	n := len(rm.sessions)
	index := make([]float64, n)
	sumW := 0.0
	for _, s := range seg.Symbols {
		v := rm.valuesOf(s.Symbol)
		if v == nil || !(s.Weight > 0) {
			continue
		}
		sumW += s.Weight
		for i := range v {
			index[i] += s.Weight * v[i] / v[0]
		}
	}
	if sumW == 0 {
		return Rotation{}
	}
	rs := make([]float64, n)
	for i := range rs {
		// 100 * I(t) / benchmark(t), both rebased to 100 at the first session.
		rs[i] = 100 * (index[i] / sumW) / (rm.bench[i] / rm.bench[0])
	}
	ratio, delta, momentum := make([]Opt, n), make([]Opt, n), make([]Opt, n)
	for i := zWindow - 1; i < n; i++ {
		ratio[i] = zPoint(func(j int) Opt { return Some(rs[j]) }, i)
	}
	for i := zWindow - 1 + momentumLag; i < n; i++ {
		delta[i] = ratio[i].Sub(ratio[i-momentumLag])
	}
	for i := rotationSessions - 1; i < n; i++ {
		momentum[i] = zPoint(func(j int) Opt { return delta[j] }, i)
	}
	var rot Rotation
	for i := max(rotationSessions-1, n-tailLength); i < n; i++ {
		if ratio[i].Valid && momentum[i].Valid {
			rot.Tail = append(rot.Tail, TailPoint{Date: rm.sessions[i], Ratio: ratio[i].Value, Momentum: momentum[i].Value})
		}
	}
	rot.Ratio, rot.Momentum = ratio[n-1], momentum[n-1]
	rot.Quadrant = quadrantOf(rot.Ratio, rot.Momentum)
	return rot
}

// zPoint is 100 + the z-score of x(i) among x(i-zWindow+1..i), with the
// population standard deviation; unknown when any value is, or when they are
// all equal (a z-score of a flat line means nothing).
func zPoint(x func(int) Opt, i int) Opt {
	sum := 0.0
	for j := i - zWindow + 1; j <= i; j++ {
		v, ok := x(j).Get()
		if !ok {
			return None
		}
		sum += v
	}
	mean := sum / zWindow
	ss := 0.0
	for j := i - zWindow + 1; j <= i; j++ {
		d := x(j).Value - mean
		ss += d * d
	}
	sd := math.Sqrt(ss / zWindow)
	// A spread this far below the values' magnitude is rounding noise.
	if sd <= 1e-12*math.Max(1, math.Abs(mean)) {
		return None
	}
	return Some(100 + (x(i).Value-mean)/sd)
}

func quadrantOf(ratio, momentum Opt) Quadrant {
	if !ratio.Valid || !momentum.Valid {
		return ""
	}
	switch up, rising := ratio.Value >= 100, momentum.Value >= 100; {
	case up && rising:
		return Leading
	case up:
		return Weakening
	case rising:
		return Improving
	default:
		return Lagging
	}
}
