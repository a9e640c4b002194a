package sim

import (
	"slices"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/market"
)

// TestSessionsRoundTrip: a calendar stores sessions compactly, but hands
// back exactly the times the exchange gives, in UTC, down to the struct.
func TestSessionsRoundTrip(t *testing.T) {
	for _, ex := range market.Exchanges() {
		c := newCalendar(ex)
		for d := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
			open, close, ok := ex.Session(d)
			r, found := c.find(dayNumber(d.Date()))
			if found != ok {
				t.Fatalf("%s %s: calendar has a session %v, exchange says %v", ex.Code, d.Format(time.DateOnly), found, ok)
			}
			if !ok {
				continue
			}
			s := c.at(r)
			o, cl := s.openTime(), s.closeTime()
			if o != open.UTC() || cl != close.UTC() || o.Location() != time.UTC {
				t.Fatalf("%s %s: calendar says %v-%v, exchange %v-%v", ex.Code, d.Format(time.DateOnly), o, cl, open, close)
			}
		}
	}
}

// TestListingsShareBarGrid: listings of one exchange walk the same bars of
// a session, kept once by the calendar, each with its own prices over them.
// The walk goes listing by listing over five sessions, as 5D series do.
func TestListingsShareBarGrid(t *testing.T) {
	now := at("2026-11-20T15:02:37Z")
	f := New(Options{Seed: 7, Clock: fixed(now)})
	for _, group := range [][]string{{"NVDA", "AVGO", "^GSPC"}, {"7203.T", "^N225"}, {"KRW=X", "JPY=X", "EUR=X"}} {
		var first []*dayPath
		for _, sym := range group {
			p := f.profile(sym)
			cur := p.cal.lastStarted(now)
			for r, i := p.cal.back(cur, 4), 0; i < 5; r, i = p.cal.next(r), i+1 {
				dp := p.path(f.seed, r)
				if len(first) < 5 {
					first = append(first, dp)
					continue
				}
				if dp.barGrid != first[i].barGrid {
					t.Errorf("%s and %s on day %d: separate bar grids", group[0], sym, dp.day)
				}
				if slices.Equal(dp.logs, first[i].logs) {
					t.Errorf("%s and %s on day %d: same prices", group[0], sym, dp.day)
				}
			}
		}
	}
}
