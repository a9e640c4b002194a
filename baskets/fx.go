package baskets

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/market"
)

// Currency conversion of the report (see doc.go, Currency). market owns the
// arithmetic (market.Conversion); this file picks the rates: now, at the
// previous close, at a listing's base and along the grid.

// displayCurrency reads Input.Currency: "" for each listing's own currency
// (Local, "" or anything not a currency code), else the upper-cased code.
func displayCurrency(c string) string {
	c = strings.TrimSpace(c)
	if c == "" || strings.EqualFold(c, Local) {
		return ""
	}
	major, _ := market.Major(c)
	return major
}

// DisplayPair is the FX pair a report in currency needs besides the
// listings' own pairs: "EUR=X" for EUR, "" for local and USD.
func DisplayPair(currency string) string {
	d := displayCurrency(currency)
	if d == "" {
		return ""
	}
	pair, _ := market.FX(d)
	return pair
}

// conversion is market.Conversion with the pairs' tracks.
type conversion struct {
	market.Conversion
	from, to *track // nil for a side that needs no rate
}

func (c *computer) conversionOf(currency string) conversion {
	cv := conversion{Conversion: market.ConversionTo(currency, c.display)}
	if cv.From != "" {
		cv.from = c.track(cv.From)
	}
	if cv.To != "" {
		cv.to = c.track(cv.To)
	}
	return cv
}

// pairs names the pairs of the conversion that have no usable price.
func (cv conversion) missing() []string {
	var out []string
	for _, t := range []*track{cv.from, cv.to} {
		if t != nil && !(t.price > 0) {
			out = append(out, fmt.Sprintf("no %s rate (%s)", t.symbol, t.flag))
		}
	}
	return out
}

func rateOf(t *track, pick func(*track) float64) float64 {
	if t == nil {
		return 1
	}
	return pick(t)
}

func (cv conversion) now() float64 {
	price := func(t *track) float64 { return t.price }
	return cv.Factor(rateOf(cv.from, price), rateOf(cv.to, price))
}

func (cv conversion) previous() float64 {
	prev := func(t *track) float64 { return t.prevClose }
	return cv.Factor(rateOf(cv.from, prev), rateOf(cv.to, prev))
}

// at converts with the pairs' closes at or before key; the pairs' own bases
// when key is unknown.
func (cv conversion) at(key time.Time) float64 {
	rate := func(t *track) float64 {
		if key.IsZero() {
			return t.base
		}
		return t.rateAt(key)
	}
	return cv.Factor(rateOf(cv.from, rate), rateOf(cv.to, rate))
}

// onGrid is the factor at each grid point, from the pairs' closes; the last
// point uses the rates now, as the last point of a line uses prices now.
func (cv conversion) onGrid(c *computer) []float64 {
	var from, to []float64
	if cv.from != nil {
		from = cv.from.rateLine(c.grid)
	}
	if cv.to != nil {
		to = cv.to.rateLine(c.grid)
	}
	out := make([]float64, len(c.grid))
	for i := range out {
		f, t := 1.0, 1.0
		if from != nil {
			f = from[i]
		}
		if to != nil {
			t = to[i]
		}
		out[i] = cv.Factor(f, t)
	}
	return out
}

// rateAt is the pair's last close at or before key (daily: on or before that
// date). Before its first bar it is the series' previous close, else the
// quote's, else the pair's own base.
func (t *track) rateAt(key time.Time) float64 {
	i := sort.Search(len(t.barKeys), func(i int) bool { return t.barKeys[i].After(key) })
	switch {
	case i > 0:
		return t.barCloses[i-1]
	case t.seriesPrev > 0:
		return t.seriesPrev
	case t.prevClose > 0:
		return t.prevClose
	}
	return t.base
}

// rateLine is rateAt at every grid point, the price now at the last one.
func (t *track) rateLine(grid []time.Time) []float64 {
	if t.rates != nil {
		return t.rates
	}
	out := make([]float64, len(grid))
	for i, g := range grid {
		out[i] = t.rateAt(g)
	}
	if n := len(out); n > 0 {
		out[n-1] = t.price
	}
	t.rates = out
	return out
}

// baseKeyOf is when a listing's base close was made, as a grid key. A base
// read from a bar is that bar's; a previous close (the quote's or the
// series') closed the session before the window's first bar, found on the
// listing's exchange calendar; a daily previous close is dated the range's
// base date.
func (c *computer) baseKeyOf(sym string, times, keys []time.Time, first int, loc *time.Location) time.Time {
	switch {
	case first > 0 && first <= len(keys):
		return keys[first-1]
	case !c.in.Range.Intraday():
		return baseDate(c.in.Range, localDate(c.in.AsOf, loc))
	case first < len(times):
		return c.closeBefore(sym, times[first], loc)
	}
	return c.closeBefore(sym, c.in.AsOf, loc)
}

// closeBefore is the grid key of the close of the session before the one in
// which ref falls (the last to open at or before ref), on sym's exchange
// calendar; zero when the calendar has none.
func (c *computer) closeBefore(sym string, ref time.Time, loc *time.Location) time.Time {
	if ref.IsZero() {
		return time.Time{}
	}
	ex := market.ForSymbol(sym)
	current := ex.LastSessions(ref, 1)
	if len(current) == 0 {
		return time.Time{}
	}
	prev := ex.LastSessions(current[0].Start.Add(-time.Nanosecond), 1)
	if len(prev) == 0 {
		return time.Time{}
	}
	return c.key(prev[0].End.Add(-time.Nanosecond), loc)
}
