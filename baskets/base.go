package baskets

import (
	"fmt"
	"sort"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// track is one symbol's prices over the active range, in its own currency:
// the price now, the range's base, and the bars after the base (the window)
// keyed on the report's grid.
type track struct {
	symbol    string
	price     float64 // now; 0 when unknown
	base      float64 // 0 when unknown
	prevClose float64 // the quote's previous close; 0 when unknown
	keys      []time.Time
	closes    []float64
	startKey  time.Time // grid key at which the member stands at its base
	endKey    time.Time // grid key of its latest observation
	flag      string    // why price or base is missing, or what was skipped
	line      []float64 // cached values on the grid

	// baseKey is when the base close was made, as a grid key (daily: its
	// local date), and baseDay its local date: an FX rate converts the base
	// as of then (rateAt). Zero when unknown.
	baseKey, baseDay time.Time
	prevKey, prevDay time.Time // when the quote's previous close was made, likewise
	// Every usable bar, before the window was cut: what an FX pair's rate at
	// an instant is read from, and its daily closes by date (dailyCloses).
	barKeys   []time.Time
	barCloses []float64
	daily     []datedClose
	rates     []float64 // cached rateAt on the grid

	// times are the window bars' instants (keys are their grid points) and
	// baseTime where a chart places the base: what Window draws.
	times    []time.Time
	baseTime time.Time
}

func (t *track) priced() bool { return t.price > 0 && t.base > 0 }

// baseGraceDays is how far after a daily base date a series may begin and
// still be based on its PreviousClose (the close before its first bar): a
// long weekend plus a holiday, not a listing that did not trade yet.
const baseGraceDays = 7

// newTrack reads one symbol from the input. It never fails: what is missing
// is left zero and explained in flag.
func (c *computer) newTrack(sym string) *track {
	t := &track{symbol: sym}
	q, hasQuote := c.in.Quotes[sym]
	s, hasSeries := c.in.Series[sym]
	if !hasQuote && !hasSeries {
		t.flag = "no quote and no series"
		return t
	}
	loc := c.locationOf(sym)
	times, keys, closes := c.usableBars(t, s, loc)

	switch {
	case hasQuote && validPrice(q.Price):
		t.price = q.Price
	case len(closes) > 0:
		t.price = closes[len(closes)-1]
		if hasQuote {
			t.addFlag(fmt.Sprintf("quote price %v is not a price; using the last close", q.Price))
		} else {
			t.addFlag("no quote: the price is the series' last close")
		}
	case hasQuote:
		t.addFlag(fmt.Sprintf("quote price %v is not a price and there is no close", q.Price))
	default:
		t.addFlag("no quote and no close")
	}
	switch {
	case hasQuote && validPrice(q.PreviousClose):
		t.prevClose = q.PreviousClose
	case hasQuote: // the day's change is null for this reason
		t.addFlag("no previous close in the quote")
	}
	if t.prevClose > 0 && t.price > 0 && absurdJump(t.price/t.prevClose) {
		t.addFlag(fmt.Sprintf("price %v against a previous close of %v is not believable; left out", t.price, t.prevClose))
		t.price = 0
	}

	t.barKeys, t.barCloses = keys, closes
	var first int // index of the first window bar
	switch c.in.Range {
	case feeds.Range1D:
		var base float64
		var problem string
		first, base, problem = c.sessionBase(times, closes, s, loc, 1)
		switch {
		case t.prevClose > 0:
			t.base = t.prevClose
		case base > 0:
			// The stand-in figures.md defines: the series' own previous close.
			t.base = base
			t.addFlag("1D base is the series' close before its last session")
		default:
			t.addFlag(problem)
		}
	case feeds.Range5D:
		var problem string
		first, t.base, problem = c.sessionBase(times, closes, s, loc, 5)
		if t.base == 0 {
			t.addFlag(problem)
		}
	default:
		first = c.dailyBase(t, keys, closes, s, loc)
	}
	if c.display != "" { // when its closes were made matters only to convert them
		t.baseKey = c.baseKeyOf(sym, times, keys, first, loc)
		t.baseDay = c.dayOf(t.baseKey, loc)
		if t.prevClose > 0 {
			ref := q.QuoteTime
			switch {
			case !ref.IsZero():
			case len(times) > 0:
				ref = times[len(times)-1]
			default:
				ref = c.in.AsOf
			}
			t.prevKey = c.closeBefore(sym, ref, loc)
			t.prevDay = c.dayOf(t.prevKey, loc)
		}
	}
	t.keys, t.closes, t.times = keys[first:], closes[first:], times[first:]
	t.baseTime = c.baseTimeOf(times, first, loc)
	c.setSpan(t, q, hasQuote, loc)
	return t
}

// absurdJump reports a one-day price ratio that a bad tick explains better
// than the market does (a listing tripling or losing two thirds overnight,
// exactly 3x and exactly a third included): such a price is flagged and left
// out rather than swinging a whole basket. The feeds' gate draws the same line.
func absurdJump(ratio float64) bool { return feeds.ImplausibleJump(ratio) }

func (t *track) addFlag(msg string) {
	if t.flag != "" {
		t.flag += "; "
	}
	t.flag += msg
}

// usableBars keeps the bars at or before asOf (daily: on or before asOf's
// local date) whose close is a price, flagging any that is not, and returns
// them with their grid keys. The kept bars are nearly always one run of the
// series, and then times and closes are views on it, not copies: Compute
// reads every range's bars of every symbol on each refresh.
func (c *computer) usableBars(t *track, s feeds.Series, loc *time.Location) (times, keys []time.Time, closes []float64) {
	asOfKey := c.key(c.in.AsOf, loc)
	n := min(len(s.Times), len(s.Closes))
	from, to := 0, n
	if !c.in.Range.Intraday() {
		// Two years of daily bars serve every daily range: start a few weeks
		// before the base date (and one bar earlier still, so the close on or
		// before it is kept) rather than place every bar in its time zone.
		target := baseDate(c.in.Range, localDate(c.in.AsOf, loc))
		cutoff := target.AddDate(0, 0, -3*baseGraceDays)
		from = max(sort.Search(n, func(i int) bool { return !s.Times[i].Before(cutoff) })-1, 0)
		if c.in.returnsOnly {
			// A horizon reads the base and the last close, not the years
			// of bars between: stop a week past the base date, then take
			// the last bar (below).
			lim := target.AddDate(0, 0, baseGraceDays+1)
			to = max(sort.Search(n, func(i int) bool { return !s.Times[i].Before(lim) }), from)
		}
	}
	// usable says whether bar i is kept, with its key, and whether its
	// close is what left it out.
	usable := func(i int) (k time.Time, ok, badClose bool) {
		tm := s.Times[i]
		k = c.key(tm, loc)
		// Daily bars are stamped at the session's open or at a live update:
		// their date, not their instant, says whether they are past asOf.
		if (c.in.Range.Intraday() && tm.After(c.in.AsOf)) || (!c.in.Range.Intraday() && k.After(asOfKey)) {
			return k, false, false
		}
		if !validPrice(s.Closes[i]) {
			return k, false, true
		}
		return k, true, false
	}
	// tail is the last usable bar past to, when the bars between are skipped.
	tail := -1
	for i := n - 1; i >= to; i-- {
		if _, ok, _ := usable(i); ok {
			tail = i
			break
		}
	}
	bars := func(yield func(int) bool) { // the bars read: from..to, then tail
		for i := from; i < to; i++ {
			if !yield(i) {
				return
			}
		}
		if tail >= 0 {
			yield(tail)
		}
	}
	keys = make([]time.Time, 0, to-from+1)
	lo, hi, bad, run := -1, -1, 0, true
	for i := range bars {
		k, ok, badClose := usable(i)
		if badClose {
			bad++
		}
		if !ok {
			continue
		}
		if lo < 0 {
			lo = i
		}
		run = run && (hi < 0 || hi == i)
		keys, hi = append(keys, k), i+1
	}
	if bad > 0 {
		t.addFlag(fmt.Sprintf("skipped %d bars whose close is not a price", bad))
	}
	if lo < 0 {
		return nil, keys, nil
	}
	if run {
		return s.Times[lo:hi:hi], keys, s.Closes[lo:hi:hi]
	}
	times, closes = make([]time.Time, 0, len(keys)), make([]float64, 0, len(keys))
	for i := range bars {
		if _, ok, _ := usable(i); ok {
			times, closes = append(times, s.Times[i]), append(closes, s.Closes[i])
		}
	}
	return times, keys, closes
}

// sessionBase finds the base of an intraday range: the last close of the
// session before the first of the last n sessions, or the series' previous
// close when the series starts with that session. It returns the index of the
// window's first bar (len(times) when there is no window) and the base, or 0
// and why there is none.
func (c *computer) sessionBase(times []time.Time, closes []float64, s feeds.Series, loc *time.Location, n int) (first int, base float64, problem string) {
	starts := sessionStarts(times, s.Periods, loc)
	if len(starts) < n {
		return len(times), 0, fmt.Sprintf("the %s series holds %d sessions, fewer than %d", c.in.Range, len(starts), n)
	}
	first = starts[len(starts)-n]
	switch {
	case first > 0:
		return first, closes[first-1], ""
	case validPrice(s.PreviousClose):
		return first, s.PreviousClose, ""
	default:
		return first, 0, fmt.Sprintf("the %s series starts with the first of its last %d sessions and gives no previous close", c.in.Range, n)
	}
}

// sessionStarts returns the index of each session's first bar. Sessions are
// the series' Periods when given, else local calendar dates.
func sessionStarts(times []time.Time, periods []feeds.Period, loc *time.Location) []int {
	var starts []int
	prev, p := 0, -1
	for i, tm := range times {
		var id int
		if len(periods) > 0 {
			for p+1 < len(periods) && !periods[p+1].Start.After(tm) {
				p++
			}
			id = p
		} else {
			y, m, d := tm.In(loc).Date()
			id = y*10000 + int(m)*100 + d
		}
		if i == 0 || id != prev {
			starts = append(starts, i)
			prev = id
		}
	}
	return starts
}

// dailyBase sets the base of a daily range: the last close on or before the
// base date. dates are the bars' local dates. It returns the index of the
// window's first bar.
func (c *computer) dailyBase(t *track, dates []time.Time, closes []float64, s feeds.Series, loc *time.Location) int {
	today := localDate(c.in.AsOf, loc)
	target := baseDate(c.in.Range, today)
	if !target.Before(today) { // a date range from a day still to come here
		t.addFlag(fmt.Sprintf("the range starts %s, after today %s here", target.AddDate(0, 0, 1).Format(time.DateOnly), today.Format(time.DateOnly)))
		return len(dates)
	}
	first := 0
	for first < len(dates) && !dates[first].After(target) {
		first++
	}
	switch {
	case first > 0:
		t.base = closes[first-1]
	case len(dates) == 0 && c.in.Range.Long():
		t.addFlag(fmt.Sprintf("no daily history back to %s yet", target.Format(time.DateOnly)))
	case len(dates) == 0:
		t.addFlag(fmt.Sprintf("no %s daily series", c.in.Range))
	case dates[0].Sub(target) <= baseGraceDays*24*time.Hour && validPrice(s.PreviousClose):
		t.base = s.PreviousClose
	default:
		what := fmt.Sprintf("the %s series", c.in.Range)
		if c.in.Range.Long() {
			what = "its daily history"
		}
		t.addFlag(fmt.Sprintf("%s starts %s, after the base date %s",
			what, dates[0].Format(time.DateOnly), target.Format(time.DateOnly)))
	}
	return first
}

// RangeStart is the first calendar date (UTC midnight) that range r shows
// at asOf, for marking what happened within it: a daily range's base date,
// asOf's own day for 1D, and six days before it for 5D, since five
// sessions span a week with its weekend. Dates are asOf's in UTC, as one
// document shows several exchanges.
func RangeStart(r feeds.Range, asOf time.Time) time.Time {
	d := localDate(asOf, time.UTC)
	switch r {
	case feeds.Range1D:
		return d
	case feeds.Range5D:
		return d.AddDate(0, 0, -6)
	}
	return baseDate(r, d)
}

// baseDate is the calendar date a daily range is measured from: its base
// is the last close on or before it, in the listing's own zone. Months are
// counted back with the day clamped to the month's end (31 Mar - 1M = 28 or
// 29 Feb), unlike time.AddDate, which would roll over into March.
func baseDate(r feeds.Range, asOf time.Time) time.Time {
	if n, ok := r.Months(); ok {
		return monthsBack(asOf, n)
	}
	if d, ok := r.Date(); ok {
		// The last close strictly before the date, so its own move counts.
		return d.AddDate(0, 0, -1)
	}
	if r == feeds.RangeYTD {
		return time.Date(asOf.Year()-1, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return monthsBack(asOf, 12) // 1Y's, for a range no figure has
}

func monthsBack(d time.Time, n int) time.Time {
	y, m := d.Year(), int(d.Month())-n
	for m < 1 {
		m += 12
		y--
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, time.Month(m), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// localDate is t's calendar date in loc, as midnight UTC, so dates from
// different exchanges compare as plain dates.
func localDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// setSpan records where the track starts and ends on the grid: it stands at
// its base one step before its first window bar (daily: on the base date),
// and ends at its last bar or its quote, whichever is later.
func (c *computer) setSpan(t *track, q feeds.Quote, hasQuote bool, loc *time.Location) {
	asOfKey := c.key(c.in.AsOf, loc)
	switch {
	case !c.in.Range.Intraday():
		t.startKey = baseDate(c.in.Range, localDate(c.in.AsOf, loc))
	case len(t.keys) > 0:
		t.startKey = t.keys[0].Add(-c.step)
	default:
		t.startKey = asOfKey.Add(-c.step)
	}
	t.endKey = t.startKey
	if n := len(t.keys); n > 0 {
		t.endKey = t.keys[n-1]
	}
	if hasQuote && !q.QuoteTime.IsZero() && !q.QuoteTime.After(c.in.AsOf) {
		if k := c.key(q.QuoteTime, loc); k.After(t.endKey) {
			t.endKey = k
		}
	}
	if !t.endKey.After(t.startKey) {
		t.endKey = asOfKey
	}
}
