package baskets

import (
	"fmt"

	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// flow is one listing's capital-flow figures (see doc.go, "Capital flows"),
// cached per symbol: a symbol in several segments has the same figures in
// each.
type flow struct {
	capUSD    Opt    // the quote's marketCap in US dollars at the current rate
	capBase   Opt    // capUSD * base / price: the same shares at the base price
	change    Opt    // capUSD - capBase
	relVolume Opt    // volume / averageDailyVolume3Month
	volUSD    Opt    // volume * price in US dollars, for the aggregate
	avgUSD    Opt    // averageDailyVolume3Month * price in US dollars
	noCap     string // why capBase is unknown, for the cap-weighting flag
	noVolume  string // why relVolume is unknown
}

// flowOf reads the flow figures of sym from its quote and its track. The
// base and price are the local ones the range return uses; converting both
// at today's rate keeps a currency's own move out of the flow.
func (c *computer) flowOf(sym string) *flow {
	if f, ok := c.flows[sym]; ok {
		return f
	}
	f := &flow{}
	c.flows[sym] = f
	q, hasQuote := c.in.Quotes[sym]
	cur := q.Currency
	if !hasQuote || cur == "" {
		cur = market.ForSymbol(sym).Currency
	}
	// The rate is US-dollar units' worth of the major currency; marketCap is
	// already in the major unit (GBP for a GBp listing), so perMajor applies
	// to prices only.
	rate := 1.0
	fxSym, _ := market.FX(cur)
	if fxSym != "" {
		rate = c.track(fxSym).price
	}
	t := c.track(sym)
	switch {
	case q.MarketCap == nil || !validPrice(*q.MarketCap):
		f.noCap = "no market cap in the quote"
	case !validPrice(rate):
		f.noCap = fmt.Sprintf("no %s rate to convert its market cap to USD", fxSym)
	default:
		f.capUSD = Money(*q.MarketCap / rate)
		if t.priced() {
			f.capBase = Some(f.capUSD.Value * t.base / t.price)
			f.change = f.capUSD.Sub(f.capBase)
		} else {
			f.noCap = "no price or base to value its market cap at"
		}
	}
	vol := float64(q.Volume)
	switch avg := q.AverageVolume3Month; {
	case vol <= 0:
		f.noVolume = "no volume in the quote"
	case avg == nil || !validPrice(*avg):
		f.noVolume = "no 3-month average volume in the quote"
	}
	if avg := q.AverageVolume3Month; vol > 0 && avg != nil && validPrice(*avg) {
		f.relVolume = Ratio(vol / *avg)
		if usd := t.price * market.ConversionTo(cur, USD).Factor(rate, 1); usd > 0 {
			f.volUSD, f.avgUSD = Some(vol*usd), Some(*avg*usd)
		}
	}
	return f
}

// flowTotals are the flow figures of a group of listings, each counted once.
type flowTotals struct {
	change    Opt // sum of capChangeUSD over members that have it
	relVolume Opt // sum(volume * price) / sum(average volume * price), USD
	coverage  FlowCoverage
}

// flowsOver sums the flows of distinct symbols; a repeated symbol counts
// once, so an era's total is not inflated by a name held in two segments.
func (c *computer) flowsOver(syms []string) flowTotals {
	var ft flowTotals
	seen := map[string]bool{}
	change, vol, avg := 0.0, 0.0, 0.0
	for _, sym := range syms {
		if seen[sym] {
			continue
		}
		seen[sym] = true
		ft.coverage.Total++
		f := c.flowOf(sym)
		if v, ok := f.change.Get(); ok {
			change += v
			ft.coverage.Cap++
		}
		if v, ok := f.volUSD.Get(); ok {
			vol += v
			avg += f.avgUSD.Value
			ft.coverage.Volume++
		}
	}
	// Null, not 0, when nothing contributes: no data is not "no flow".
	if ft.coverage.Cap > 0 {
		ft.change = Money(change)
	}
	if ft.coverage.Volume > 0 {
		ft.relVolume = Ratio(vol / avg)
	}
	return ft
}

// segmentFlows sets a segment's flow figures over its listed members.
func (c *computer) segmentFlows(sr *SegmentResult, seg watchlists.Segment) {
	syms := make([]string, len(seg.Symbols))
	for i, s := range seg.Symbols {
		syms[i] = s.Symbol
	}
	ft := c.flowsOver(syms)
	sr.CapChangeUSD, sr.RelativeVolume, sr.FlowCoverage = ft.change, ft.relVolume, ft.coverage
}

// eraSymbols lists the members of an era's segments in file order, with
// repeats; callers that need each once dedupe.
func eraSymbols(segs []SegmentResult, era watchlists.Era) []string {
	var out []string
	for _, s := range segs {
		if s.Era != era {
			continue
		}
		for _, m := range s.Symbols {
			out = append(out, m.Symbol)
		}
	}
	return out
}

// eraFlows sets an era's flow figures over its distinct members.
func (c *computer) eraFlows(er *EraResult, segs []SegmentResult, era watchlists.Era) {
	ft := c.flowsOver(eraSymbols(segs, era))
	er.CapChangeUSD, er.RelativeVolume, er.FlowCoverage = ft.change, ft.relVolume, ft.coverage
}
