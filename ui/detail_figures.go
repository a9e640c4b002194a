package ui

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
)

// figures are the key figures of the detail view, in reading order.
func (d *detailView) figures() []figure {
	dd, sym, q := d.data, d.data.Symbol, d.data.Quote
	rng := string(dd.Range)
	vsBasket := sym.RangeReturn.Sub(dd.Segment.Return)
	vsBench := sym.RangeReturn.Sub(dd.Benchmark.Return)
	figs := []figure{
		{"Price", price(sym.Price), toneNone},
		{"Change", signedChange(sym.Change, sym.Price), toneOf(sym.Change)},
		{"Change %", pct(sym.ChangePercent), toneOf(sym.ChangePercent)},
		{"Prev close", price(sym.PreviousClose), toneNone},
		{rng + " return", pct(sym.RangeReturn), toneOf(sym.RangeReturn)},
		{"Basket " + rng, pct(dd.Segment.Return), toneOf(dd.Segment.Return)},
		{"vs basket", points(vsBasket), toneOf(vsBasket)},
		{"vs " + cmp.Or(clean(dd.Benchmark.Symbol), "benchmark"), points(vsBench), toneOf(vsBench)},
		{"Exchange", cmp.Or(clean(cmp.Or(q.Exchange, sym.Exchange)), dash), toneNone},
		{"Currency", d.currency(), toneNone},
		{"Market", marketState(cmp.Or(feeds.MarketState(sym.MarketState), q.MarketState)), toneNone},
		{"Quote time", d.quoteTime(), toneNone},
		{"Delay", delay(q), toneNone},
		{"Volume", volume(q.Volume), toneNone},
		{"Rel volume", relativeVolume(q), toneNone},
		{"Avg vol 3M", compactOpt(q.AverageVolume3Month, ""), toneNone},
		{"Market cap", compactOpt(q.MarketCap, majorCurrency(clean(q.Currency))), toneNone},
		{"52w range", yearRange(q), toneNone},
		{"P/E", peRatios(q), toneNone},
		{"Earnings", d.earnings(), toneNone},
		{"Weight", d.weight(), toneNone},
	}
	return figs
}

// compactOpt is a large figure from a quote in a few digits, with its unit.
func compactOpt(v *float64, unit string) string {
	if v == nil {
		return dash
	}
	return strings.TrimSpace(compact(*v) + " " + unit)
}

// majorCurrency names the unit of a market cap: Yahoo gives London caps in
// pounds while their prices are in pence.
func majorCurrency(c string) string {
	if pair, perMajor := market.FX(c); perMajor != 1 {
		return strings.TrimSuffix(pair, "=X")
	}
	return c
}

// relativeVolume is the session's volume against the three-month daily
// average, as traders read it: 1.32x.
func relativeVolume(q feeds.Quote) string {
	if q.AverageVolume3Month == nil || q.Volume <= 0 {
		return dash
	}
	return times(float64(q.Volume) / *q.AverageVolume3Month)
}

func yearRange(q feeds.Quote) string {
	if q.FiftyTwoWeekLow == nil || q.FiftyTwoWeekHigh == nil {
		return dash
	}
	return fmtPrice(*q.FiftyTwoWeekLow) + " – " + fmtPrice(*q.FiftyTwoWeekHigh)
}

// peRatios is the trailing and the forward P/E.
func peRatios(q feeds.Quote) string {
	if q.TrailingPE == nil && q.ForwardPE == nil {
		return dash
	}
	one := func(v *float64) string {
		if v == nil {
			return dash
		}
		return strconv.FormatFloat(*v, 'f', 1, 64)
	}
	return one(q.TrailingPE) + " / " + one(q.ForwardPE) + " fwd"
}

// earnings is the earnings date in the listing's zone, or the window Yahoo
// gives when the date is not set yet.
func (d *detailView) earnings() string {
	q := d.data.Quote
	day := func(t *time.Time) string { return t.In(d.loc).Format("Mon 2 Jan 2006") }
	switch {
	case q.EarningsStart != nil && q.EarningsEnd != nil && !q.EarningsStart.Equal(*q.EarningsEnd):
		return q.EarningsStart.In(d.loc).Format("2 Jan") + " – " + q.EarningsEnd.In(d.loc).Format("2 Jan 2006")
	case q.EarningsTime != nil:
		return day(q.EarningsTime)
	case q.EarningsStart != nil:
		return day(q.EarningsStart)
	}
	return dash
}

func (d *detailView) currency() string {
	c := clean(d.data.Symbol.Currency)
	if q := clean(d.data.Quote.Currency); q != "" && q != c {
		return c + " (quoted in " + q + ")"
	}
	return cmp.Or(c, dash)
}

func (d *detailView) quoteTime() string {
	t := d.data.Quote.QuoteTime
	if t.IsZero() {
		return dash
	}
	return t.In(d.loc).Format("Mon 15:04:05 MST")
}

// weight is the member's weight and its share of the basket.
func (d *detailView) weight() string {
	total := 0.0
	for _, s := range d.data.Segment.Symbols {
		total += s.Weight
	}
	w := d.data.Symbol.Weight
	if total <= 0 || w <= 0 {
		return dash
	}
	return strconv.FormatFloat(w, 'g', 4, 64) + " (" + baskets.Fixed(100*w/total, 1) + "%)"
}

func marketState(s feeds.MarketState) string {
	switch s {
	case feeds.Regular:
		return "open"
	case feeds.Pre:
		return "pre-market"
	case feeds.Post:
		return "after hours"
	case feeds.Closed:
		return "closed"
	}
	return dash
}

func delay(q feeds.Quote) string {
	switch {
	case q.QuoteTime.IsZero():
		return dash
	case q.DelayMinutes <= 0:
		return "real-time"
	}
	return strconv.Itoa(q.DelayMinutes) + " min"
}

// volume groups digits by thousands: 12,345,678.
func volume(v int64) string {
	if v <= 0 {
		return dash
	}
	return fmtNumber(float64(v), 0)
}
