// Package market knows when exchanges trade: time zones, session hours,
// weekends and holidays, and how listing currencies convert to US dollars.
// The simulated feed moves prices only inside these sessions, the UI draws
// its market clocks from them and the basket math uses FX to compare listings.
package market

import (
	"strings"
	"time"
	_ "time/tzdata" // sessions must be right on machines without a zoneinfo database

	"github.com/rotation-dev/rotation/feeds"
)

// Exchange is the trading calendar of one listing venue. Times of day are in
// the exchange's own time zone, so daylight saving is handled by time.Date.
//
// Non-US exchanges have no PRE or POST state: outside regular hours (and
// during a lunch break) they are CLOSED. Only the US calendar (equities and
// ^ indices without a non-US mapping) has PRE 04:00-09:30 and POST 16:00-20:00.
type Exchange struct {
	Code     string // Yahoo-style exchange code, e.g. "JPX", "KSC", "LSE"; "US" for NYSE/Nasdaq, "CCY" for FX
	Name     string // e.g. "Tokyo Stock Exchange"
	TZ       string // IANA zone, e.g. "Asia/Tokyo"
	Currency string // listing currency as Yahoo reports it; "GBp" (pence) for London

	loc                  *time.Location
	open, close          int // regular session, minutes after local midnight
	lunchStart, lunchEnd int // 0, 0 when there is no lunch break
	preOpen, postClose   int // US extended hours; 0, 0 elsewhere
	fx                   bool
	holidays             holidayRule
	earlyClose           func(y int, m time.Month, d int) int // minutes, 0 for a normal day
}

// Location is the exchange's time zone (UTC for a zero Exchange).
func (e Exchange) Location() *time.Location {
	if e.loc == nil {
		return time.UTC
	}
	return e.loc
}

// IsTradingDay reports whether the calendar day date.Date() (read in date's
// own location, so pass t.In(e.Location()) for an exchange-local day) has a
// regular session. For FX that is Monday to Friday.
func (e Exchange) IsTradingDay(date time.Time) bool {
	y, m, d := date.Date()
	return e.isTradingDay(y, m, d)
}

// normal is (y, m, d) as a real date: callers step days by arithmetic
// (d-1, d+1), and the holiday rules match on the normalised date, so 32
// December must be 1 January to be seen as New Year's Day.
func normal(y int, m time.Month, d int) (int, time.Month, int) {
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date()
}

func (e Exchange) isTradingDay(y int, m time.Month, d int) bool {
	y, m, d = normal(y, m, d)
	wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
	if wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return e.holidays == nil || !e.holidays.has(e.Code, y, m, d)
}

// Session returns the regular session of the calendar day date.Date() (in
// date's own location). An FX session for day D runs from 17:00 New York on
// D-1 to 17:00 on D. ok is false on weekends and holidays.
func (e Exchange) Session(date time.Time) (open, close time.Time, ok bool) {
	y, m, d := date.Date()
	return e.session(y, m, d)
}

func (e Exchange) session(y int, m time.Month, d int) (open, close time.Time, ok bool) {
	y, m, d = normal(y, m, d)
	if !e.isTradingDay(y, m, d) {
		return time.Time{}, time.Time{}, false
	}
	loc := e.Location()
	closeMin := e.close
	if e.earlyClose != nil {
		if c := e.earlyClose(y, m, d); c != 0 {
			closeMin = c
		}
	}
	openDay := d
	if e.fx {
		openDay = d - 1
	}
	open = time.Date(y, m, openDay, e.open/60, e.open%60, 0, 0, loc)
	close = time.Date(y, m, d, closeMin/60, closeMin%60, 0, 0, loc)
	return open, close, true
}

// TradingPeriods returns the continuous trading stretches of the day's
// session: one, or two around a lunch break (Tokyo, Hong Kong). Nil when the
// day has no session.
func (e Exchange) TradingPeriods(date time.Time) []feeds.Period {
	y, m, d := date.Date()
	open, close, ok := e.session(y, m, d)
	if !ok {
		return nil
	}
	if e.lunchStart == 0 {
		return []feeds.Period{{Start: open, End: close}}
	}
	loc := e.Location()
	ls := time.Date(y, m, d, e.lunchStart/60, e.lunchStart%60, 0, 0, loc)
	le := time.Date(y, m, d, e.lunchEnd/60, e.lunchEnd%60, 0, 0, loc)
	if !close.After(le) { // an early close before the afternoon session
		return []feeds.Period{{Start: open, End: minTime(close, ls)}}
	}
	return []feeds.Period{{Start: open, End: ls}, {Start: le, End: close}}
}

// State is the market state at instant t: REGULAR inside the session (but
// CLOSED during a lunch break), PRE/POST in US extended hours, else CLOSED.
func (e Exchange) State(t time.Time) feeds.MarketState {
	lt := t.In(e.Location())
	y, m, d := lt.Date()
	for _, day := range e.candidateDays(y, m, d) {
		for _, p := range e.TradingPeriods(day) {
			if !t.Before(p.Start) && t.Before(p.End) {
				return feeds.Regular
			}
		}
	}
	if e.preOpen == 0 && e.postClose == 0 {
		return feeds.Closed
	}
	open, close, ok := e.session(y, m, d)
	if !ok {
		return feeds.Closed
	}
	pre := time.Date(y, m, d, e.preOpen/60, e.preOpen%60, 0, 0, e.Location())
	post := time.Date(y, m, d, e.postClose/60, e.postClose%60, 0, 0, e.Location())
	switch {
	case !t.Before(pre) && t.Before(open):
		return feeds.Pre
	case !t.Before(close) && t.Before(post):
		return feeds.Post
	}
	return feeds.Closed
}

// candidateDays are the session days whose session can contain an instant on
// local day y-m-d: that day, and for FX also the next (its session opens the
// evening before).
func (e Exchange) candidateDays(y int, m time.Month, d int) []time.Time {
	days := []time.Time{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	if e.fx {
		days = append(days, time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC))
	}
	return days
}

// searchDays bounds calendar scans; no exchange closes for this long.
const searchDays = 40

// NextOpen is the first regular session open strictly after t.
func (e Exchange) NextOpen(t time.Time) time.Time {
	return e.scanForward(t, func(open, _ time.Time) time.Time { return open })
}

// NextClose is the first regular session close strictly after t (the current
// session's close while it is open).
func (e Exchange) NextClose(t time.Time) time.Time {
	return e.scanForward(t, func(_, close time.Time) time.Time { return close })
}

func (e Exchange) scanForward(t time.Time, pick func(open, close time.Time) time.Time) time.Time {
	y, m, d := t.In(e.Location()).Date()
	for i := 0; i < searchDays; i++ {
		if open, close, ok := e.session(y, m, d+i); ok {
			if x := pick(open, close); x.After(t) {
				return x
			}
		}
	}
	return time.Time{}
}

// Sessions returns the regular sessions overlapping [from, to], oldest first.
func (e Exchange) Sessions(from, to time.Time) []feeds.Period {
	var out []feeds.Period
	y, m, d := from.In(e.Location()).Date()
	last := dayOf(to.In(e.Location())).AddDate(0, 0, 1) // +1: an FX session opens the day before
	for day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); !day.After(last); day = day.AddDate(0, 0, 1) {
		if open, close, ok := e.Session(day); ok && !open.After(to) && close.After(from) {
			out = append(out, feeds.Period{Start: open, End: close})
		}
	}
	return out
}

// dayOf is t's calendar day as midnight UTC, for day arithmetic free of DST.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LastSessions returns the last n regular sessions that opened at or before
// t, oldest first; the last one may still be in progress (its End is then
// the scheduled close).
func (e Exchange) LastSessions(t time.Time, n int) []feeds.Period {
	if n <= 0 {
		return nil
	}
	out := make([]feeds.Period, 0, n)
	y, m, d := t.In(e.Location()).Date()
	if e.fx {
		d++
	}
	for i := 0; len(out) < n && i < searchDays*(n+1); i++ {
		if open, close, ok := e.session(y, m, d-i); ok && !open.After(t) {
			out = append(out, feeds.Period{Start: open, End: close})
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// ForSymbol infers a listing's exchange from its Yahoo symbol: the suffix
// (.T, .KS, .KQ, .TW, .TWO, .HK, .AS, .PA, .DE, .SW, .CO, .L, .JO, .TA), "=X" for FX
// pairs, "^" for indices (US hours unless the index is a known non-US one,
// e.g. ^N225), and NYSE/Nasdaq for everything else, unknown suffixes included.
//
// An FX pair's Currency is its quote currency, as Yahoo reports it: "JPY"
// for JPY=X (yen per dollar), "USD" for EURUSD=X.
func ForSymbol(sym string) Exchange {
	sym = strings.ToUpper(strings.TrimSpace(sym))
	switch {
	case strings.HasSuffix(sym, "=X"):
		ex := fxMarket
		ex.Currency = fxQuoteCurrency(strings.TrimSuffix(sym, "=X"))
		return ex
	case strings.HasPrefix(sym, "^"):
		if ex, ok := nonUSIndices[sym]; ok {
			return ex
		}
		return us
	}
	if i := strings.LastIndexByte(sym, '.'); i >= 0 {
		if ex, ok := bySuffix[sym[i+1:]]; ok {
			return ex
		}
	}
	return us
}

// fxQuoteCurrency reads "JPY" from JPY=X and "USD" from EURUSD=X.
func fxQuoteCurrency(pair string) string {
	if len(pair) == 6 {
		return pair[3:]
	}
	if len(pair) == 3 {
		return pair
	}
	return "USD"
}

// Exchanges lists every calendar this package knows, US first, then by
// opening order through the day (Asia, Europe, London), then FX.
func Exchanges() []Exchange {
	return []Exchange{us, bySuffix["T"], bySuffix["KS"], bySuffix["TW"], bySuffix["HK"],
		bySuffix["AS"], bySuffix["PA"], bySuffix["DE"], bySuffix["SW"], bySuffix["CO"], bySuffix["L"], fxMarket}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
