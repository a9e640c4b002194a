package sim

import (
	"slices"
	"sort"
	"time"
	"weak"

	"github.com/rotation-dev/rotation/market"
)

// session is one trading day of an exchange. Open and close are seconds
// from midnight UTC of day, not time.Times: a calendar keeps every year the
// daily walks visit, and a time.Time is 24 bytes (a session is 12 in all).
// Exchange times are whole seconds, so openTime and closeTime give back
// exactly what the exchange said, in UTC.
type session struct {
	day         int32 // civil day number (days since 1970-01-01) of the session's closing date
	open, close int32
}

func newSession(day int32, open, close time.Time) session {
	base := int64(day) * 86400
	return session{day: day, open: int32(open.Unix() - base), close: int32(close.Unix() - base)}
}

func (s session) openTime() time.Time  { return time.Unix(int64(s.day)*86400+int64(s.open), 0).UTC() }
func (s session) closeTime() time.Time { return time.Unix(int64(s.day)*86400+int64(s.close), 0).UTC() }

// sessionRef locates a session in a calendar: its year and index within it.
// The daily walk of every symbol on that exchange uses the same indices.
type sessionRef struct {
	year, i int
}

// calendar caches an exchange's sessions one year at a time, because the
// daily walk and every series visit them repeatedly, and the bar grids its
// listings' intraday paths use (see gridSweep).
type calendar struct {
	ex    market.Exchange
	years map[int][]session
	grids map[gridKey]weak.Pointer[barGrid]
}

func newCalendar(ex market.Exchange) *calendar {
	return &calendar{ex: ex, years: make(map[int][]session), grids: make(map[gridKey]weak.Pointer[barGrid])}
}

// dayNumber is the civil day number of y-m-d.
func dayNumber(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayDate(n int32) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

// year returns the sessions whose closing date falls in year y, in order.
func (c *calendar) year(y int) []session {
	if s, ok := c.years[y]; ok {
		return s
	}
	var days [366]session
	found := days[:0]
	for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
		if open, close, ok := c.ex.Session(d); ok {
			found = append(found, newSession(dayNumber(y, d.Month(), d.Day()), open, close))
		}
	}
	out := slices.Clone(found) // kept, so without append's spare room
	c.years[y] = out
	return out
}

// count is the number of sessions first..last.
func (c *calendar) count(first, last sessionRef) int {
	n := last.i - first.i + 1
	for y := first.year; y < last.year; y++ {
		n += len(c.year(y))
	}
	return max(0, n)
}

func (c *calendar) at(r sessionRef) session { return c.year(r.year)[r.i] }

// find locates the session closing on civil day n, if there is one.
func (c *calendar) find(n int32) (sessionRef, bool) {
	y := dayDate(n).Year()
	s := c.year(y)
	i := sort.Search(len(s), func(i int) bool { return s[i].day >= n })
	if i < len(s) && s[i].day == n {
		return sessionRef{y, i}, true
	}
	return sessionRef{}, false
}

// prev is the session before r. Every exchange trades in every year, so the
// search across a year boundary ends after one step.
func (c *calendar) prev(r sessionRef) sessionRef {
	if r.i > 0 {
		return sessionRef{r.year, r.i - 1}
	}
	y := r.year - 1
	for len(c.year(y)) == 0 {
		y--
	}
	return sessionRef{y, len(c.year(y)) - 1}
}

// back steps n sessions back from r.
func (c *calendar) back(r sessionRef, n int) sessionRef {
	for ; n > 0; n-- {
		r = c.prev(r)
	}
	return r
}

// lastStarted is the latest session that opened at or before t: the one in
// progress, or the last one completed.
func (c *calendar) lastStarted(t time.Time) sessionRef {
	y, m, d := t.In(c.ex.Location()).Date()
	n := dayNumber(y, m, d) + 1 // +1: an FX session opens the evening before its day
	for {
		if r, ok := c.find(n); ok && !c.at(r).openTime().After(t) {
			return r
		}
		n--
	}
}

// from returns the first session opening at or after t.
func (c *calendar) from(t time.Time) sessionRef {
	y, m, d := t.In(c.ex.Location()).Date()
	n := dayNumber(y, m, d) - 1
	for {
		if r, ok := c.find(n); ok && !c.at(r).openTime().Before(t) {
			return r
		}
		n++
	}
}

// next is the session after r.
func (c *calendar) next(r sessionRef) sessionRef {
	if r.i+1 < len(c.year(r.year)) {
		return sessionRef{r.year, r.i + 1}
	}
	y := r.year + 1
	for len(c.year(y)) == 0 {
		y++
	}
	return sessionRef{y, 0}
}

func (r sessionRef) after(o sessionRef) bool {
	return r.year > o.year || r.year == o.year && r.i > o.i
}
