package book

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/sanitize"
	"github.com/rotation-dev/rotation/watchlists"
)

// Eras a position can have besides the three a segment declares.
const (
	Mixed        watchlists.Era = "mixed"        // its segments span several eras
	Unclassified watchlists.Era = "unclassified" // it sits in no segment
)

// Opt is a figure that may be unknown; unknown marshals to JSON null.
type Opt = baskets.Opt

// Position is one lot valued. Local figures are in Currency units (pence
// for GBp). In US dollars the value and day change use the FX rate now and
// the cost the rate of the lot's date (see Rates), so pnlUSD holds the
// currency's move and fxPnlUSD says how much of it. A figure that cannot
// be computed is unknown, never 0, and Flags says why.
type Position struct {
	Lot          Lot            `json:"-"`
	Symbol       string         `json:"symbol"`
	Quantity     float64        `json:"quantity"`
	Cost         float64        `json:"cost"`
	Fees         float64        `json:"fees"`
	Date         *string        `json:"date"` // YYYY-MM-DD, nil when the file gives none
	Currency     string         `json:"currency"`
	Price        Opt            `json:"price"`
	Value        Opt            `json:"value"`
	ValueUSD     Opt            `json:"valueUSD"`
	PnL          Opt            `json:"pnl"`
	PnLUSD       Opt            `json:"pnlUSD"` // valueUSD - costUSD - feesUSD: the currency's move included
	PnLPercent   Opt            `json:"pnlPercent"`
	DayChange    Opt            `json:"dayChange"`
	DayChangeUSD Opt            `json:"dayChangeUSD"`
	Weight       Opt            `json:"weight"` // percent of the book's gross USD value; negative for a short
	Era          watchlists.Era `json:"era"`
	Segments     []string       `json:"segments"` // files of the segments holding the symbol, in set order
	Flags        []string       `json:"flags"`    // empty, not null, when all is well
	CostUSD      Opt            `json:"costUSD"`  // quantity x cost at the pair's close of the lot's date
	FeesUSD      Opt            `json:"feesUSD"`  // likewise
	FXPnLUSD     Opt            `json:"fxPnlUSD"` // the currency's part of pnlUSD; null when the cost's rate is not its date's
}

// Priced reports whether the position has a USD value and so counts in the totals.
func (p Position) Priced() bool { return p.ValueUSD.Valid }

// Exposure is the book by era, in percent of its gross USD value.
type Exposure struct {
	Training     Opt `json:"training"`
	Inference    Opt `json:"inference"`
	Benchmark    Opt `json:"benchmark"`
	Unclassified Opt `json:"unclassified"`
}

// SegmentExposure is how much of the book sits in one segment.
type SegmentExposure struct {
	File     string         `json:"file"`
	Name     string         `json:"name"`
	Era      watchlists.Era `json:"era"`
	Percent  Opt            `json:"percent"`
	ValueUSD Opt            `json:"valueUSD"`
}

// Book is a valued holdings file. Totals cover priced positions only and are
// unknown when none is priced.
type Book struct {
	Positions         []Position        `json:"positions"`
	TotalValueUSD     Opt               `json:"totalValueUSD"`
	PnLUSD            Opt               `json:"pnlUSD"`
	DayChangeUSD      Opt               `json:"dayChangeUSD"`
	Exposure          Exposure          `json:"exposure"`
	ExposureBySegment []SegmentExposure `json:"exposureBySegment"` // every segment of the set, in set order
	Priced            int               `json:"priced"`
	Total             int               `json:"total"`
	FXPnLUSD          Opt               `json:"fxPnlUSD"` // over the priced positions whose currency's part is known
	GrossUSD          Opt               `json:"-"`        // sum of |valueUSD|: the base of every percent
}

// Rates are the FX pairs' daily closes, by pair ("EUR=X"): a dated lot's
// cost converts at its pair's close of that date, or the last one before.
type Rates map[string]feeds.Series

// RatesFrom joins each pair's daily history (feeds.RangeDaily) with its
// years (feeds.RangeLong), which reach the oldest lots: the long series'
// closes before the daily one starts, then the daily ones.
func RatesFrom(daily, long map[string]feeds.Series) Rates {
	r := make(Rates)
	for sym, s := range daily {
		if strings.HasSuffix(sym, "=X") {
			r[sym] = s
		}
	}
	for sym, l := range long {
		if !strings.HasSuffix(sym, "=X") {
			continue
		}
		d, ok := r[sym]
		if !ok || len(d.Times) == 0 {
			r[sym] = l
			continue
		}
		n := 0
		for n < min(len(l.Times), len(l.Closes)) && l.Times[n].Before(d.Times[0]) {
			n++
		}
		m, j := min(len(d.Times), len(d.Closes)), d
		j.Times = append(slices.Clone(l.Times[:n]), d.Times[:m]...)
		j.Closes = append(slices.Clone(l.Closes[:n]), d.Closes[:m]...)
		r[sym] = j
	}
	return r
}

// rateZone is the zone of an FX pair's daily bars: Yahoo stamps each at
// midnight in London, its FX desk's zone.
var rateZone = market.Location("Europe/London")

// on is the pair's close on date d (a calendar date at UTC midnight) or
// the last one before it; ok is false when the series starts after d.
func (r Rates) on(pair string, d time.Time) (rate float64, day time.Time, ok bool) {
	s := r[pair]
	end := d.AddDate(0, 0, 1)
	for i := min(len(s.Times), len(s.Closes)) - 1; i >= 0; i-- {
		t := s.Times[i].In(rateZone)
		if !time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Before(end) || !validPrice(s.Closes[i]) {
			continue
		}
		return s.Closes[i], time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
	}
	return 0, time.Time{}, false
}

// Value prices every lot of h with quotes, which must hold the listings and
// the FX pairs their currencies need (market.FX), and rates, their daily
// closes, for the dates of the lots. It does no I/O and reads no clock, so
// the same inputs always give the same book.
func Value(h Holdings, set watchlists.Set, quotes map[string]feeds.Quote, rates Rates) Book {
	member := make(map[string][]int) // symbol -> indices into set.Segments
	for i, seg := range set.Segments {
		for _, s := range seg.Symbols {
			member[s.Symbol] = append(member[s.Symbol], i)
		}
	}
	b := Book{Positions: make([]Position, 0, len(h.Lots)), Total: len(h.Lots),
		ExposureBySegment: make([]SegmentExposure, len(set.Segments))}
	gross, net, pnl, day, fx := 0.0, 0.0, 0.0, 0.0, 0.0
	dayKnown, fxKnown := false, false
	for _, lot := range h.Lots {
		p := position(lot, set, member[lot.Symbol], quotes, rates)
		if usd, ok := p.ValueUSD.Get(); ok {
			b.Priced++
			gross += math.Abs(usd)
			net += usd
			pnl += p.PnLUSD.Value
			if d, ok := p.DayChangeUSD.Get(); ok {
				day, dayKnown = day+d, true
			}
			if f, ok := p.FXPnLUSD.Get(); ok {
				fx, fxKnown = fx+f, true
			}
		}
		b.Positions = append(b.Positions, p)
	}
	// Era and segment sums in USD. A symbol in n segments puts valueUSD/n in
	// each (and in each one's era), so a split never counts a dollar twice.
	eras := make(map[watchlists.Era]float64)
	segValue := make([]float64, len(set.Segments))
	for _, p := range b.Positions {
		usd, ok := p.ValueUSD.Get()
		if !ok {
			continue
		}
		idx := member[p.Symbol]
		if len(idx) == 0 {
			eras[Unclassified] += usd
			continue
		}
		share := usd / float64(len(idx))
		for _, i := range idx {
			segValue[i] += share
			eras[set.Segments[i].Era] += share
		}
	}
	pct := func(v float64) Opt {
		if gross > 0 {
			return baskets.Percent(100 * v / gross)
		}
		return baskets.None
	}
	if b.Priced > 0 {
		b.TotalValueUSD, b.PnLUSD, b.GrossUSD = baskets.Money(net), baskets.Money(pnl), baskets.Money(gross)
		if dayKnown {
			b.DayChangeUSD = baskets.Money(day)
		}
		if fxKnown {
			b.FXPnLUSD = baskets.Money(fx)
		}
	}
	for i := range b.Positions {
		if usd, ok := b.Positions[i].ValueUSD.Get(); ok {
			b.Positions[i].Weight = pct(usd)
		}
	}
	b.Exposure = Exposure{Training: pct(eras[watchlists.Training]), Inference: pct(eras[watchlists.Inference]),
		Benchmark: pct(eras[watchlists.Benchmark]), Unclassified: pct(eras[Unclassified])}
	for i, seg := range set.Segments {
		e := SegmentExposure{File: seg.File, Name: seg.Name, Era: seg.Era, Percent: pct(segValue[i])}
		if b.Priced > 0 {
			e.ValueUSD = baskets.Money(segValue[i])
		}
		b.ExposureBySegment[i] = e
	}
	return b
}

// position values one lot on its own; weights need the whole book and are
// filled in by Value.
func position(lot Lot, set watchlists.Set, segs []int, quotes map[string]feeds.Quote, rates Rates) Position {
	p := Position{Lot: lot, Symbol: lot.Symbol, Quantity: lot.Quantity, Cost: lot.Cost, Fees: lot.Fees,
		Segments: make([]string, 0, len(segs)), Flags: []string{}, Era: Unclassified}
	if !lot.Date.IsZero() {
		d := lot.Date.Format(time.DateOnly)
		p.Date = &d
	}
	for k, i := range segs {
		seg := set.Segments[i]
		p.Segments = append(p.Segments, seg.File)
		if k == 0 {
			p.Era = seg.Era
		} else if seg.Era != p.Era {
			p.Era = Mixed
		}
	}
	q, hasQuote := quotes[lot.Symbol]
	// The currency comes off the network: make it inert before it is shown.
	p.Currency = sanitize.Text(q.Currency)
	if p.Currency == "" {
		p.Currency = market.ForSymbol(lot.Symbol).Currency
	}
	switch {
	case !hasQuote:
		p.Flags = append(p.Flags, "no quote for "+lot.Symbol)
		return p
	case !validPrice(q.Price):
		p.Flags = append(p.Flags, fmt.Sprintf("quote price %v is not a price", q.Price))
		return p
	}
	// Local figures, in the listing's currency (pence for GBp, like cost).
	price := q.Price
	p.Price = baskets.Price(price, baskets.Decimals(price, q.PreviousClose))
	p.Value = baskets.Money(lot.Quantity * price)
	p.PnL = baskets.Money(lot.Quantity*(price-lot.Cost) - lot.Fees)
	if basis := math.Abs(lot.Quantity * lot.Cost); basis > 0 {
		p.PnLPercent = baskets.Percent(100 * p.PnL.Value / basis)
	}
	if validPrice(q.PreviousClose) {
		p.DayChange = baskets.Money(lot.Quantity * (price - q.PreviousClose))
	} else {
		p.Flags = append(p.Flags, "no previous close: the day's change is unknown")
	}
	// US dollars: the value and the day's change at today's rate, the cost
	// and fees at the rate of the lot's date, so that a dollar P&L holds
	// the currency's move since the purchase.
	pair, perMajor := market.FX(p.Currency)
	rate, then := 1.0, 1.0
	known := pair == "" // the rate the cost converts at is the one of its date
	if pair != "" {
		fx, ok := quotes[pair]
		if !ok || !validPrice(fx.Price) {
			p.Flags = append(p.Flags, fmt.Sprintf("no %s rate to convert %s to US dollars", pair, p.Currency))
			return p
		}
		rate, then = fx.Price, fx.Price
		switch r, day, ok := rates.on(pair, lot.Date); {
		case lot.Date.IsZero():
			p.Flags = append(p.Flags, "undated: cost at today's rate")
		case !ok:
			p.Flags = append(p.Flags, fmt.Sprintf("no %s close on or before %s: cost at today's rate", pair, lot.Date.Format(time.DateOnly)))
		default:
			then, known = r, true
			if lot.Date.Sub(day) > 7*24*time.Hour { // a gap in the pair's history, not a weekend
				p.Flags = append(p.Flags, fmt.Sprintf("cost at %s's %s close, the last before %s", pair, day.Format(time.DateOnly), lot.Date.Format(time.DateOnly)))
			}
		}
	}
	usd := func(v, at float64) Opt { return baskets.Money(v / (at * perMajor)) }
	p.ValueUSD = usd(p.Value.Value, rate)
	if p.DayChange.Valid {
		p.DayChangeUSD = usd(p.DayChange.Value, rate)
	}
	p.CostUSD, p.FeesUSD = usd(lot.Quantity*lot.Cost, then), usd(lot.Fees, then)
	if p.ValueUSD.Valid && p.CostUSD.Valid && p.FeesUSD.Valid {
		p.PnLUSD = baskets.Money(p.ValueUSD.Value - p.CostUSD.Value - p.FeesUSD.Value)
		// The currency's part: the dollar P&L less the local P&L at today's rate.
		if known {
			p.FXPnLUSD = baskets.Money(p.PnLUSD.Value - p.PnL.Value/(rate*perMajor))
		}
	}
	if !p.ValueUSD.Valid || !p.PnLUSD.Valid {
		// Only absurd sizes overflow; leave the lot out rather than total ±Inf.
		p.ValueUSD, p.PnLUSD, p.DayChangeUSD, p.CostUSD, p.FeesUSD, p.FXPnLUSD = baskets.None, baskets.None, baskets.None, baskets.None, baskets.None, baskets.None
		p.Flags = append(p.Flags, "figures too large to compute")
	}
	return p
}

// validPrice reports whether p can be used as a price or rate: finite and positive.
func validPrice(p float64) bool { return p > 0 && !math.IsInf(p, 1) }

// ExposureLine is the one-line summary for the Rotation tab, e.g. "your
// book: 58% training, 35% inference, 7% other". Other is benchmark plus
// unclassified; it is left out when it rounds to 0. Percents are of gross
// value, so shorts make a part negative. Unpriced lots are counted at the end.
func (b Book) ExposureLine() string {
	if b.Priced == 0 {
		return "your book: no priced positions"
	}
	whole := func(o Opt) int { return int(math.Round(o.Value)) } // -0.4 becomes 0, not "-0"
	e := b.Exposure
	parts := []string{
		fmt.Sprintf("%d%% training", whole(e.Training)),
		fmt.Sprintf("%d%% inference", whole(e.Inference)),
	}
	if other := whole(baskets.Some(e.Benchmark.Value + e.Unclassified.Value)); other != 0 {
		parts = append(parts, fmt.Sprintf("%d%% other", other))
	}
	line := "your book: " + strings.Join(parts, ", ")
	if b.Priced < b.Total {
		line += fmt.Sprintf(" (%d of %d positions priced)", b.Priced, b.Total)
	}
	return line
}
