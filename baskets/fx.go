package baskets

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/feeds"
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
	c        *computer
}

func (c *computer) conversionOf(currency string) conversion {
	cv := conversion{Conversion: market.ConversionTo(currency, c.display), c: c}
	if cv.From != "" {
		cv.from = c.track(cv.From)
	}
	if cv.To != "" {
		cv.to = c.track(cv.To)
	}
	return cv
}

// missing names the pairs of the conversion that have no usable price now,
// or no rate for t's base: either leaves the listing unpriced.
func (cv conversion) missing(t *track) []string {
	var out []string
	for _, p := range []*track{cv.from, cv.to} {
		switch {
		case p == nil:
		case !(p.price > 0):
			out = append(out, fmt.Sprintf("no %s rate (%s)", p.symbol, p.flag))
		case t.base > 0 && t.baseDay.IsZero():
			out = append(out, fmt.Sprintf("no %s rate for its base close, whose date is unknown,", p.symbol))
		case t.base > 0 && !(cv.c.rateAt(p, t.baseKey, t.baseDay) > 0):
			out = append(out, fmt.Sprintf("no %s rate for its base close of %s", p.symbol, t.baseDay.Format(time.DateOnly)))
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

// at is the factor for a close made at grid key key on the listing's local
// date day (see rateAt); 0 when a pair has no rate for it.
func (cv conversion) at(key, day time.Time) float64 {
	rate := func(t *track) float64 { return cv.c.rateAt(t, key, day) }
	return cv.Factor(rateOf(cv.from, rate), rateOf(cv.to, rate))
}

// onGrid is the factor at each grid point, by rateAt; the last point uses
// the rates now, as the last point of a line uses prices now.
func (cv conversion) onGrid(c *computer) []float64 {
	var from, to []float64
	if cv.from != nil {
		from = c.rateLine(cv.from)
	}
	if cv.to != nil {
		to = c.rateLine(cv.to)
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

// rateAt is the one rule by which a close converts (doc.go, Currency): at
// the pair's rate when that close was made, at grid key key on the
// listing's local date day. On 1D and 5D, the pair's last bar at or before
// key where its intraday series reaches back that far; otherwise, and on
// every daily range, the pair's daily close of day or the last one before
// it. 0 when neither is known: the pair's own base for the range was made
// at another moment than the listing's, so it cannot stand in.
func (c *computer) rateAt(t *track, key, day time.Time) float64 {
	if c.in.Range.Intraday() && !key.IsZero() && len(t.barKeys) > 0 && !t.barKeys[0].After(key) {
		i := sort.Search(len(t.barKeys), func(i int) bool { return t.barKeys[i].After(key) })
		return t.barCloses[i-1]
	}
	closes := c.dailyCloses(t)
	i := sort.Search(len(closes), func(i int) bool { return closes[i].day.After(day) })
	if i == 0 {
		return 0
	}
	return closes[i-1].close
}

// datedClose is a daily close of an FX pair and the date of its session; a
// close of 0 marks a session known to exist whose close is not known.
type datedClose struct {
	day   time.Time
	close float64
	rank  int // on one date: a bar over a series' previous close over a quote's over none
}

// dailyCloses are a pair's daily closes by date, what rateAt reads for a
// date: the daily series' bars, and each previous close (the quote's, each
// series'), dated by the session before the one it precedes on the pair's
// calendar, which is marked too: a previous close holds only until then.
func (c *computer) dailyCloses(t *track) []datedClose {
	if t.daily != nil {
		return t.daily
	}
	sym := t.symbol
	loc := c.locationOf(sym)
	out := []datedClose{}
	prevOf := func(prev float64, ref time.Time, rank int) {
		if !validPrice(prev) || ref.IsZero() {
			return
		}
		if before, at, ok := sessionDays(sym, ref); ok {
			out = append(out, datedClose{before, prev, rank}, datedClose{at, 0, 0})
		}
	}
	q := c.in.Quotes[sym]
	ref := q.QuoteTime
	if ref.IsZero() || ref.After(c.in.AsOf) {
		ref = c.in.AsOf
	}
	prevOf(q.PreviousClose, ref, 1)
	if c.in.Range.Intraday() {
		if s := c.in.Series[sym]; len(s.Times) > 0 {
			prevOf(s.PreviousClose, s.Times[0], 2)
		}
	}
	// A daily range's own series and the daily series are one and the same
	// when they come from the poller; either may reach back further in a test.
	var sources []feeds.Series
	if !c.in.Range.Intraday() {
		sources = append(sources, c.in.Series[sym])
	}
	if d, ok := c.in.Daily[sym]; ok && (len(sources) == 0 || !sameBars(d, sources[0])) {
		sources = append(sources, d)
	}
	asOf := localDate(c.in.AsOf, loc)
	for _, daily := range sources {
		if len(daily.Times) > 0 {
			prevOf(daily.PreviousClose, daily.Times[0], 2)
		}
		for i := range min(len(daily.Times), len(daily.Closes)) {
			if d := localDate(daily.Times[i], loc); validPrice(daily.Closes[i]) && !d.After(asOf) {
				out = append(out, datedClose{d, daily.Closes[i], 3})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].day.Equal(out[j].day) {
			return out[i].day.Before(out[j].day)
		}
		return out[i].rank < out[j].rank
	})
	t.daily = out
	return out
}

// sameBars reports whether a and b hold the same bars in the same memory.
func sameBars(a, b feeds.Series) bool {
	return len(a.Times) == len(b.Times) && (len(a.Times) == 0 || &a.Times[0] == &b.Times[0])
}

// sessionDays are the dates of the session in which ref falls (the last to
// open at or before ref) and of the one before it, on sym's exchange
// calendar; a session's date is that of its close.
func sessionDays(sym string, ref time.Time) (before, at time.Time, ok bool) {
	ex := market.ForSymbol(sym)
	current := ex.LastSessions(ref, 1)
	if len(current) == 0 {
		return time.Time{}, time.Time{}, false
	}
	prev := ex.LastSessions(current[0].Start.Add(-time.Nanosecond), 1)
	if len(prev) == 0 {
		return time.Time{}, time.Time{}, false
	}
	loc := ex.Location()
	return localDate(prev[0].End.Add(-time.Nanosecond), loc), localDate(current[0].End.Add(-time.Nanosecond), loc), true
}

// rateLine is rateAt at every grid point, dated by its UTC date (a daily
// grid's points are dates already), and the price now at the last one.
func (c *computer) rateLine(t *track) []float64 {
	if t.rates != nil {
		return t.rates
	}
	out := make([]float64, len(c.grid))
	for i, g := range c.grid {
		out[i] = c.rateAt(t, g, localDate(g, time.UTC))
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
// listing's exchange calendar, and on a daily range no later than the base
// date.
func (c *computer) baseKeyOf(sym string, times, keys []time.Time, first int, loc *time.Location) time.Time {
	if first > 0 && first <= len(keys) {
		return keys[first-1]
	}
	ref := c.in.AsOf
	if first < len(times) {
		ref = times[first]
	}
	k := c.closeBefore(sym, ref, loc)
	if !c.in.Range.Intraday() {
		if d := baseDate(c.in.Range, localDate(c.in.AsOf, loc)); k.IsZero() || k.After(d) {
			return d
		}
	}
	return k
}

// dayOf is the local date of grid key k (a daily key is one already).
func (c *computer) dayOf(k time.Time, loc *time.Location) time.Time {
	if k.IsZero() || !c.in.Range.Intraday() {
		return k
	}
	return localDate(k, loc)
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
