package baskets

import (
	"slices"
	"strings"

	"github.com/rotation-dev/rotation/watchlists"
)

// segment prices one watchlist file as a weighted basket of the members that
// have a range return and a weight under the report's weighting:
// R = sum(w r) / sum(w).
func (c *computer) segment(seg watchlists.Segment, bench Opt) SegmentResult {
	sr := SegmentResult{File: seg.File, Name: seg.Name, Era: seg.Era,
		Coverage: Coverage{Total: len(seg.Symbols)}, Symbols: make([]SymbolResult, 0, len(seg.Symbols))}
	var members []*money
	var weights []float64
	sumW, sumWR := 0.0, 0.0
	for _, s := range seg.Symbols {
		m := c.priceOf(s.Symbol)
		row := c.symbolRow(s, m)
		r, ok := row.RangeReturn.Get()
		w, why := c.weightOf(s)
		if ok && why != "" {
			// A bad file weight voids the member's figure, as it always has;
			// a missing cap leaves the return standing, only out of the basket.
			if c.weighting == WeightFile {
				row.RangeReturn = None
			}
			ok = false
			row.Flag = addFlags(row.Flag, why)
		}
		if ok {
			row.BasketWeight = c.basketWeight(w)
		}
		row.Flags = splitFlags(row.Flag)
		sr.Symbols = append(sr.Symbols, row)
		// Breadth counts every member with a return, in the basket or not: a
		// member without a cap still rose or fell.
		if r, has := row.RangeReturn.Get(); has {
			sr.Up, sr.Down, sr.Unchanged = breadth(r, sr.Up, sr.Down, sr.Unchanged)
		}
		if !ok {
			continue
		}
		members, weights = append(members, m), append(weights, w)
		sumW += w
		sumWR += w * r
	}
	sr.Coverage.Priced = len(members)
	if len(members) > 0 {
		sr.Return = Percent(sumWR / sumW)
		if c.grid != nil {
			sr.Index = c.indexLine(members, weights)
		}
	}
	sr.Excess = sr.Return.Sub(bench)
	for i := range sr.Symbols {
		r, ok := sr.Symbols[i].RangeReturn.Get()
		if !ok {
			continue
		}
		if sr.Best == nil || r > sr.Best.RangeReturn.Value {
			sr.Best = &sr.Symbols[i]
		}
		if sr.Worst == nil || r < sr.Worst.RangeReturn.Value {
			sr.Worst = &sr.Symbols[i]
		}
	}
	return sr
}

// symbolRow is one member as the report shows it.
func (c *computer) symbolRow(s watchlists.Symbol, m *money) SymbolResult {
	q := c.in.Quotes[s.Symbol]
	row := SymbolResult{Symbol: s.Symbol, Name: s.Name, Weight: s.Weight,
		Price: m.quoted(m.price), PreviousClose: m.quoted(m.prevClose), Currency: m.currency,
		Exchange: q.Exchange, MarketState: string(q.MarketState), RangeReturn: m.rangeReturn(),
		Stale: c.in.Stale[s.Symbol], Base: m.quoted(m.base), Flag: m.flag, Window: c.window(m)}
	f := c.flowOf(s.Symbol)
	row.MarketCapUSD, row.CapChangeUSD, row.RelativeVolume = f.capUSD, f.change, f.relVolume
	// A null flow figure says why under every weighting; without a quote,
	// its own flag already does.
	if _, quoted := c.in.Quotes[s.Symbol]; quoted {
		if !f.capUSD.Valid {
			row.Flag = joinFlags(row.Flag, f.noCap)
		}
		if !f.relVolume.Valid {
			row.Flag = joinFlags(row.Flag, f.noVolume)
		}
	}
	if row.Name == "" {
		row.Name = q.Name
	}
	if !q.QuoteTime.IsZero() {
		qt := q.QuoteTime
		row.QuoteTime = &qt
	}
	if m.price > 0 && m.prevClose > 0 {
		row.Change = Price(m.price-m.prevClose, m.decimals)
		row.ChangePercent = Percent(100 * (m.price/m.prevClose - 1))
	}
	return row
}

// quoted is one of m's prices as an Opt, to m's decimals: unknown unless
// above zero.
func (m *money) quoted(p float64) Opt {
	if !validPrice(p) {
		return None
	}
	return Price(p, m.decimals)
}

// splitFlags is the list joinFlags built.
func splitFlags(f string) []string {
	if f == "" {
		return []string{}
	}
	return strings.Split(f, "; ")
}

// addFlags joins the reasons of more to flag that it does not hold yet.
func addFlags(flag, more string) string {
	have := splitFlags(flag)
	for _, m := range splitFlags(more) {
		if !slices.Contains(have, m) {
			flag, have = joinFlags(flag, m), append(have, m)
		}
	}
	return flag
}

func joinFlags(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// breadth adds a return r to the counts of members up, down and unchanged.
func breadth(r float64, up, down, unchanged int) (int, int, int) {
	switch {
	case r > 0:
		up++
	case r < 0:
		down++
	default:
		unchanged++
	}
	return up, down, unchanged
}

// eras averages each era's segments, each counting once (cap weighting:
// one basket over the era's distinct names, see capEra).
func (c *computer) eras(segs []SegmentResult, bench Opt) Eras {
	e := Eras{Training: c.era(segs, watchlists.Training, bench), Inference: c.era(segs, watchlists.Inference, bench)}
	e.Spread = e.Inference.Return.Sub(e.Training.Return)
	return e
}

func (c *computer) era(segs []SegmentResult, era watchlists.Era, bench Opt) EraResult {
	var er EraResult
	sum := 0.0
	var lines [][]float64
	counted := map[string]bool{} // breadth counts a name in two segments once
	for _, s := range segs {
		if s.Era != era {
			continue
		}
		for _, m := range s.Symbols {
			if r, ok := m.RangeReturn.Get(); ok && !counted[m.Symbol] {
				counted[m.Symbol] = true
				er.Up, er.Down, er.Unchanged = breadth(r, er.Up, er.Down, er.Unchanged)
			}
		}
		if r, ok := s.Return.Get(); ok {
			er.Segments++
			sum += r
			if len(s.Index.Values) > 0 {
				lines = append(lines, s.Index.Values)
			}
		}
	}
	if er.Segments > 0 {
		er.Return = Percent(sum / float64(er.Segments))
	}
	if len(lines) > 0 {
		er.Index = Line{Times: c.grid, Values: make([]float64, len(c.grid))}
		for _, l := range lines {
			for i, v := range l {
				er.Index.Values[i] += v / float64(len(lines))
			}
		}
	}
	if c.weighting == WeightCap {
		// Cap weights sum across segments; a mean of segment means would
		// weigh a small segment's names far above their value.
		c.capEra(&er, era)
	}
	er.Excess = er.Return.Sub(bench)
	return er
}
