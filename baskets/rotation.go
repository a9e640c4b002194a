package baskets

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

// Modes of Input.RotationMode and Report.RotationMode.
const (
	RotationDaily  = "daily"
	RotationWeekly = "weekly"
)

// The rotation map's windows, in bars of the mode: sessions when daily,
// weeks when weekly (see doc.go). Weekly mode keeps the same counts so that
// it is the daily map on a clock five times slower.
const (
	trendWindow = 10 // bars of the simple moving average RS-ratio divides by
	momentumLag = 5  // bars between the two RS-ratios of an RS-momentum
	tailLength  = 5  // points drawn as a tail, the current one included
	// rotationBars is what one point needs: trendWindow bars of RS for each
	// of two RS-ratios momentumLag bars apart.
	rotationBars = trendWindow + momentumLag
	// rotationDecimals is where ratio and momentum are rounded: below it is
	// float noise, which must not pick a quadrant for a flat line.
	rotationDecimals = 1e9
)

// rotationModeOf reads Input.RotationMode: "weekly" in any case, else daily.
func rotationModeOf(s string) string {
	if strings.EqualFold(s, RotationWeekly) {
		return RotationWeekly
	}
	return RotationDaily
}

// rotationMap holds the bar calendar shared by every segment: the
// benchmark's daily sessions, or the last of them in each week.
type rotationMap struct {
	c        *computer
	mode     string
	sessions []time.Time // plain dates, oldest first
	bench    []float64   // benchmark in the report's currency at each session
	values   map[string][]float64
	problem  string // why there is no map; empty when there is one
}

func (c *computer) newRotation() *rotationMap {
	rm := &rotationMap{c: c, mode: rotationModeOf(c.in.RotationMode), values: map[string][]float64{}}
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
	unit := "daily sessions"
	if rm.mode == RotationWeekly {
		rm.sessions, unit = weekEnds(rm.sessions), "weekly closes"
	}
	if len(rm.sessions) < rotationBars {
		rm.problem = fmt.Sprintf("needs %d %s of %s, has %d", rotationBars, unit, bench, len(rm.sessions))
		return rm
	}
	rm.sessions = rm.sessions[max(0, len(rm.sessions)-rotationBars-tailLength+1):]
	if rm.bench = rm.valuesOf(bench); rm.bench == nil {
		rm.problem = fmt.Sprintf("the benchmark %s cannot be priced in %s", bench, c.in.Currency)
	}
	return rm
}

// weekEnds keeps the last session of each ISO week (Monday to Sunday). The
// week in progress counts with its latest session, as on a weekly chart, so
// the map is as current as the daily one.
func weekEnds(days []time.Time) []time.Time {
	var out []time.Time
	for i, d := range days {
		if i+1 < len(days) {
			y, w := d.ISOWeek()
			if ny, nw := days[i+1].ISOWeek(); ny == y && nw == w {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

// valuesOf is a symbol's last daily close on or before each session date, in
// the report's currency, each converted at the pairs' daily close of its own
// date, as a base is (rateAt); nil when it has none on or before the first
// session, or a pair has no rate for one.
func (rm *rotationMap) valuesOf(sym string) []float64 {
	if v, ok := rm.values[sym]; ok {
		return v
	}
	m := rm.c.priceOf(sym)
	v, days := rm.closesAt(sym)
	if m.conv != nil && v != nil {
		for i := range v {
			// Zero key: the map's bars are daily closes, read by date.
			f := m.conv.at(time.Time{}, days[i])
			if f == 0 {
				v = nil
				break
			}
			v[i] *= f
		}
	}
	rm.values[sym] = v
	return v
}

// closesAt carries a symbol's daily closes forward onto the session dates,
// with the local date each close was made on.
func (rm *rotationMap) closesAt(sym string) (closes []float64, days []time.Time) {
	s := rm.c.in.Daily[sym]
	loc := rm.c.locationOf(sym)
	closes, days = make([]float64, len(rm.sessions)), make([]time.Time, len(rm.sessions))
	i, last, lastDay := 0, 0.0, time.Time{}
	for k, d := range rm.sessions {
		for ; i < len(s.Times) && i < len(s.Closes); i++ {
			day := localDate(s.Times[i], loc)
			if day.After(d) {
				break
			}
			if validPrice(s.Closes[i]) {
				last, lastDay = s.Closes[i], day
			}
		}
		if last == 0 {
			return nil, nil
		}
		closes[k], days[k] = last, lastDay
	}
	return closes, days
}

// index is a basket's index on the map's sessions, 100 at the first, with
// the basket's own weights (file, equal or cap at the range's base); nil
// when no member has a price there.
func (rm *rotationMap) index(members []weighted) []float64 {
	index := make([]float64, len(rm.sessions))
	sumW := 0.0
	for _, m := range members {
		v := rm.valuesOf(m.symbol)
		if v == nil {
			continue
		}
		sumW += m.weight
		for i := range v {
			index[i] += m.weight * v[i] / v[0]
		}
	}
	if sumW == 0 {
		return nil
	}
	for i := range index {
		index[i] = 100 * index[i] / sumW
	}
	return index
}

// segment places one segment on the map.
func (rm *rotationMap) segment(seg watchlists.Segment) Rotation {
	if rm.problem != "" {
		return Rotation{}
	}
	return rm.place(rm.index(rm.c.basketOf(seg)))
}

// era places an era by the mean of its segments' indexes, each segment
// counting once, as the era's index on the report's grid does; under cap
// weighting by one cap-weighted index of its distinct members, likewise.
func (rm *rotationMap) era(segs []watchlists.Segment, era watchlists.Era) Rotation {
	if rm.problem != "" {
		return Rotation{}
	}
	if rm.c.weighting == WeightCap {
		return rm.place(rm.index(rm.c.eraBasket(segs, era)))
	}
	var mean []float64
	count := 0
	for _, seg := range segs {
		if seg.Era != era {
			continue
		}
		idx := rm.index(rm.c.basketOf(seg))
		if idx == nil {
			continue
		}
		if mean == nil {
			mean = make([]float64, len(idx))
		}
		for i, v := range idx {
			mean[i] += v
		}
		count++
	}
	for i := range mean {
		mean[i] /= float64(count)
	}
	return rm.place(mean)
}

// place computes RS, RS-ratio and RS-momentum of an index against the
// benchmark. Every value is a ratio of positive prices, so a point is
// missing only when the index is (nil).
func (rm *rotationMap) place(index []float64) Rotation {
	if index == nil {
		return Rotation{}
	}
	n := len(rm.sessions)
	rs := make([]float64, n)
	for i := range rs {
		// 100 * I(t) / (100 * B(t) / B(t0)): the index over the rebased benchmark.
		rs[i] = index[i] * rm.bench[0] / rm.bench[i]
	}
	ratio := make([]float64, n)
	for i := trendWindow - 1; i < n; i++ {
		sum := 0.0
		for j := i - trendWindow + 1; j <= i; j++ {
			sum += rs[j]
		}
		ratio[i] = 100 * rs[i] / (sum / trendWindow)
	}
	var rot Rotation
	for i := max(rotationBars-1, n-tailLength); i < n; i++ {
		// Divide the unrounded ratios: rounding first would move momentum.
		p := TailPoint{Date: rm.sessions[i], Ratio: round9(ratio[i]), Momentum: round9(100 * ratio[i] / ratio[i-momentumLag])}
		rot.Tail = append(rot.Tail, p)
	}
	last := rot.Tail[len(rot.Tail)-1]
	rot.Ratio, rot.Momentum = Ratio(last.Ratio), Ratio(last.Momentum)
	rot.Quadrant = quadrantOf(rot.Ratio, rot.Momentum)
	return rot
}

func round9(x float64) float64 { return math.Round(x*rotationDecimals) / rotationDecimals }

// quadrantOf: ahead when ratio >= 100; momentum above 100 is rising, below
// falling, and exactly 100 (a steady relative trend) keeps the side of the
// ratio, so a steady loser is lagging, not "improving", and (100, 100) is
// leading.
func quadrantOf(ratio, momentum Opt) Quadrant {
	if !ratio.Valid || !momentum.Valid {
		return ""
	}
	ahead := ratio.Value >= 100
	rising := momentum.Value > 100 || momentum.Value == 100 && ahead
	switch {
	case ahead && rising:
		return Leading
	case ahead:
		return Weakening
	case rising:
		return Improving
	default:
		return Lagging
	}
}
