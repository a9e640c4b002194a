package baskets

import (
	"slices"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// Live is a report kept up to date trade by trade. A new price feeds its
// rows, their segments, the eras, the spread, the lines' last points and
// every horizon; Reprice recomputes those from the prices and bases the
// last ComputeLive read, and keeps the rest: the grid, the bars, the
// rotation map's closes. It is not safe for concurrent use.
type Live struct {
	c        *computer
	horizons []liveHorizon // one for each of rep.Horizons
	also     []liveHorizon // one for each of rep.Also
	rep      Report
}

// liveHorizon is one horizon's computer and its segments, of which a
// trade recomputes only those it is in.
type liveHorizon struct {
	c        *computer
	segments []SegmentResult
}

// Reprice is the report after the quotes of changed moved, at asOf, with
// feed's health and stale marking symbols whose last quote is old. It gives false when a change reaches further than prices
// (a new previous close, an FX rate, a price the report cannot take):
// then the caller computes afresh with ComputeLive. It equals ComputeAll
// of the same quotes and series up to the lines' last points, which carry
// the new prices, and the sparklines, which do too.
func (l *Live) Reprice(quotes map[string]feeds.Quote, changed []string, asOf time.Time, feed feeds.Health, stale map[string]bool) (Report, bool) {
	if l == nil {
		return Report{}, false
	}
	for _, c := range l.computers() {
		if !c.canReprice(quotes, changed) {
			return Report{}, false
		}
	}
	for _, c := range l.computers() {
		c.in.Quotes, c.in.AsOf, c.in.Feed, c.in.Stale = quotes, asOf, feed, stale
		for _, sym := range changed {
			c.reprice(sym, quotes[sym].Price)
		}
	}
	rep := l.rep
	rep.AsOf = asOf
	rep.Feed.State, rep.Feed.Detail = feed.State, feed.Detail
	l.c.finish(&rep)
	rep.Horizons = repriceHorizons(l.horizons, l.rep.Horizons, changed)
	rep.Verdict = Verdict(rep.Horizons)
	rep.Also = repriceHorizons(l.also, l.rep.Also, changed)
	l.rep = rep
	return rep, true
}

func (l *Live) computers() []*computer {
	cs := []*computer{l.c}
	for _, h := range append(slices.Clip(l.horizons), l.also...) {
		cs = append(cs, h.c)
	}
	return cs
}

// repriceHorizons recomputes each horizon's segments that hold a changed
// symbol (all of them when the benchmark changed), then its eras. It
// replaces hs' segments: the old ones are shared with no one.
func repriceHorizons(hs []liveHorizon, old []Horizon, changed []string) []Horizon {
	out := make([]Horizon, len(hs))
	for i := range hs {
		h := &hs[i]
		c := h.c
		bench := c.priceOf(c.in.Benchmark).rangeReturn()
		all := slices.Contains(changed, c.in.Benchmark)
		for j, seg := range c.in.Set.Segments {
			if all || slices.ContainsFunc(seg.Symbols, func(s watchlists.Symbol) bool { return slices.Contains(changed, s.Symbol) }) {
				h.segments[j] = c.segment(seg, bench)
			}
		}
		out[i] = horizonOf(old[i].Range, c.eras(h.segments, bench))
	}
	return out
}

// canReprice says whether changed only moved prices this computer can take
// in place: symbols it had a price for, the same previous close, a believable price
// to the same decimals, and no FX pair (a rate reaches every converted row).
func (c *computer) canReprice(quotes map[string]feeds.Quote, changed []string) bool {
	for _, sym := range changed {
		if market.IsPair(sym) {
			return false
		}
		t, tracked := c.tracks[sym]
		if !tracked {
			continue // not in this report: nothing to move
		}
		q := quotes[sym]
		// A track without a price had a reason (see newTrack) a trade
		// does not undo; one without a base moves only its row.
		if t.price <= 0 || !validPrice(q.Price) || q.PreviousClose != t.prevClose && validPrice(q.PreviousClose) {
			return false
		}
		if t.prevClose > 0 && absurdJump(q.Price/t.prevClose) || Decimals(q.Price, t.prevClose) != Decimals(t.price, t.prevClose) {
			return false
		}
	}
	return true
}

// reprice moves sym to price: its track, its money, the last points of
// their lines, and what is read from them (its sparkline, its flows).
func (c *computer) reprice(sym string, price float64) {
	t, ok := c.tracks[sym]
	if !ok {
		return
	}
	t.price = price
	if n := len(t.line); n > 0 {
		t.line[n-1] = price
	}
	m, ok := c.money[sym]
	if !ok {
		return
	}
	m.price = price
	if m.conv != nil {
		m.price = price * m.conv.now()
	}
	if n := len(m.line); n > 0 {
		m.line[n-1] = m.price / m.base
	}
	m.window = Line{} // a report may hold the old one
	delete(c.flows, sym)
}
