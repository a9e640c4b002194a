package baskets

import (
	"fmt"
	"strings"

	"github.com/rotation-dev/rotation/watchlists"
)

// Weightings of Input.Weighting and Report.Weighting.
const (
	WeightFile  = "file"  // the watchlist file's weights
	WeightEqual = "equal" // every member 1
	WeightCap   = "cap"   // market value at the base, in US dollars
)

// weightingOf reads Input.Weighting in any case; empty is "file". An unknown
// name is "file" too, with a problem saying so, so that a typo cannot pass
// for a weighting nobody asked for silently.
func weightingOf(s string) (weighting, problem string) {
	switch w := strings.ToLower(strings.TrimSpace(s)); w {
	case "", WeightFile:
		return WeightFile, ""
	case WeightEqual, WeightCap:
		return w, ""
	}
	return WeightFile, fmt.Sprintf("weighting %q is not file, equal or cap; using file", s)
}

// weightOf is a member's weight in a segment's basket under the report's
// weighting, or why it has none and is left out of the basket.
func (c *computer) weightOf(s watchlists.Symbol) (float64, string) {
	switch c.weighting {
	case WeightEqual:
		return 1, ""
	case WeightCap:
		f := c.flowOf(s.Symbol)
		if v, ok := f.capBase.Get(); ok {
			return v, ""
		}
		return 0, f.noCap + "; left out of the cap-weighted basket"
	}
	if s.Weight > 0 {
		return s.Weight, ""
	}
	return 0, "weight must be above 0; left out of the basket"
}

// basketWeight is a member's weight as the report writes it: a dollar
// amount under cap weighting, else a ratio.
func (c *computer) basketWeight(w float64) Opt {
	if c.weighting == WeightCap {
		return Money(w)
	}
	return Ratio(w)
}

// weighted is a member of a basket with its weight.
type weighted struct {
	symbol string
	weight float64
}

// basketOf is a segment's members with a weight, in file order, whether or
// not they have a range return (the rotation map reads its own closes).
func (c *computer) basketOf(seg watchlists.Segment) []weighted {
	var out []weighted
	for _, s := range seg.Symbols {
		if w, why := c.weightOf(s); why == "" {
			out = append(out, weighted{s.Symbol, w})
		}
	}
	return out
}

// eraBasket is an era's distinct members with their cap weights, for the
// cap-weighted era: one basket over all its names, each counted once.
func (c *computer) eraBasket(segs []watchlists.Segment, era watchlists.Era) []weighted {
	var out []weighted
	seen := map[string]bool{}
	for _, seg := range segs {
		if seg.Era != era {
			continue
		}
		for _, m := range c.basketOf(seg) {
			if !seen[m.symbol] {
				seen[m.symbol] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// capEra sets a cap-weighted era's return and index: R = sum(V r) / sum(V)
// over its distinct members with a return and a cap, V the cap at the base,
// and the index on the same weights, so that it ends at 100 + R. Up, down
// and the segment count are left as the segment rule sets them.
func (c *computer) capEra(er *EraResult, era watchlists.Era) {
	er.Return, er.Index = None, Line{}
	var members []*money
	var weights []float64
	sumV, sumVR := 0.0, 0.0
	for _, m := range c.eraBasket(c.in.Set.Segments, era) {
		p := c.priceOf(m.symbol)
		r, ok := p.rangeReturn().Get()
		if !ok {
			continue
		}
		members, weights = append(members, p), append(weights, m.weight)
		sumV += m.weight
		sumVR += m.weight * r
	}
	if len(members) == 0 {
		return
	}
	er.Return = Percent(sumVR / sumV)
	if c.grid != nil {
		er.Index = c.indexLine(members, weights)
	}
}
