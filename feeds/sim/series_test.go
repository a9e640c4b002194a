package sim

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// TestDailyRangeTwoYears: feeds.RangeDaily is two years of daily closes,
// the same closes the shorter daily ranges show, and the intraday ranges
// still have their own bars.
func TestDailyRangeTwoYears(t *testing.T) {
	for _, when := range []string{"2026-11-20T15:02:37Z", "2026-11-22T12:00:00Z", "2025-01-02T01:00:00Z"} {
		now := at(when)
		f := New(Options{Seed: 12, Clock: fixed(now)})
		for _, sym := range []string{"NVDA", "7203.T", "ARM.L", "JPY=X", "^GSPC"} {
			s, err := f.Series(ctx, sym, feeds.RangeDaily)
			if err != nil {
				t.Fatal(err)
			}
			start := feeds.RangeDaily.Start(now)
			if s.Range != feeds.RangeDaily || s.Interval != 24*time.Hour || s.Len() < 490 || s.Len() > 530 {
				t.Errorf("%s 2Y at %s: range %s, interval %v, %d closes; want about two years of daily closes", sym, when, s.Range, s.Interval, s.Len())
				continue
			}
			if s.Times[0].Before(start) || s.Times[0].After(start.AddDate(0, 0, 10)) {
				t.Errorf("%s 2Y at %s: first close %s, range starts %s", sym, when, s.Times[0], start)
			}
			year, _ := f.Series(ctx, sym, feeds.Range1Y)
			tail := s.Len() - year.Len()
			if !reflect.DeepEqual(s.Times[tail:], year.Times) || !reflect.DeepEqual(s.Closes[tail:], year.Closes) {
				t.Errorf("%s at %s: the 2Y series does not end with the 1Y series", sym, when)
			}
			if upper, _ := f.Series(ctx, sym, "DAILY"); !reflect.DeepEqual(upper, s) {
				t.Errorf("%s: DAILY and daily differ", sym)
			}
			d1, _ := f.Series(ctx, sym, feeds.Range1D)
			d5, _ := f.Series(ctx, sym, feeds.Range5D)
			if len(d1.Periods) != 1 || d1.Interval != 5*time.Minute || len(d5.Periods) != 5 || d5.Interval != 30*time.Minute {
				t.Errorf("%s at %s: 1D has %d periods of %v bars, 5D %d of %v", sym, when, len(d1.Periods), d1.Interval, len(d5.Periods), d5.Interval)
			}
		}
	}
}

// checkConsistent asserts what a chart and a quote row must agree on.
func checkConsistent(t *testing.T, f *Feed, sym string, now time.Time) {
	t.Helper()
	qs, _ := f.Quotes(ctx, []string{sym})
	q := qs[0]
	if q.Price <= 0 || q.PreviousClose <= 0 {
		t.Fatalf("%s at %s: non-positive quote %+v", sym, now, q)
	}
	if math.Abs(q.Change-(q.Price-q.PreviousClose)) > 1e-6*q.Price {
		t.Errorf("%s: Change %v != Price %v - PreviousClose %v", sym, q.Change, q.Price, q.PreviousClose)
	}
	for _, r := range allRanges {
		s, err := f.Series(ctx, sym, r)
		if err != nil {
			t.Fatal(err)
		}
		if s.Interval != r.Interval() || s.Len() == 0 || len(s.Closes) != s.Len() {
			t.Fatalf("%s %s at %s: malformed series (interval %v, %d times, %d closes)", sym, r, now, s.Interval, s.Len(), len(s.Closes))
		}
		if _, last, _ := s.Last(); last != q.Price {
			t.Errorf("%s %s at %s: last bar %v, quote price %v", sym, r, now, last, q.Price)
		}
		for i := range s.Times {
			if s.Closes[i] <= 0 || i > 0 && !s.Times[i].After(s.Times[i-1]) {
				t.Fatalf("%s %s: bar %d bad (close %v, time %v after %v)", sym, r, i, s.Closes[i], s.Times[i], s.Times[i-1])
			}
			if r.Intraday() && !inPeriods(s.Times[i], s.Periods) { // daily series carry no Periods
				t.Errorf("%s %s: bar at %s outside every regular session %v", sym, r, s.Times[i], s.Periods)
			}
		}
		switch r {
		case feeds.Range1D:
			if s.PreviousClose != q.PreviousClose || len(s.Periods) != 1 {
				t.Errorf("%s 1D: PreviousClose %v (quote %v), %d periods", sym, s.PreviousClose, q.PreviousClose, len(s.Periods))
			}
		case feeds.Range5D:
			if len(s.Periods) != 5 {
				t.Errorf("%s 5D: %d periods, want 5", sym, len(s.Periods))
			}
		default:
			if n := s.Len(); n < 2 || s.Closes[n-2] != q.PreviousClose {
				t.Errorf("%s %s at %s: close before the last %v, quote PreviousClose %v", sym, r, now, s.Closes[n-2], q.PreviousClose)
			}
			if s.Times[0].Before(r.Start(now)) {
				t.Errorf("%s %s: first bar %s before the range start %s", sym, r, s.Times[0], r.Start(now))
			}
		}
	}
}

func inPeriods(t time.Time, ps []feeds.Period) bool {
	for _, p := range ps {
		if !t.Before(p.Start) && t.Before(p.End) {
			return true
		}
	}
	return false
}

func TestHistoryMatchesQuote(t *testing.T) {
	instants := []string{
		"2026-11-20T15:02:37Z", // US open, Europe open, Asia closed
		"2026-11-20T03:10:00Z", // Tokyo and Hong Kong lunch, Seoul open
		"2026-11-21T12:00:00Z", // Saturday
		"2026-11-26T15:00:00Z", // Thanksgiving: US closed, Europe open
		"2026-11-27T10:00:00Z", // US pre-market
		"2026-11-27T19:00:00Z", // US post-market after the 13:00 early close
		"2026-11-23T14:30:00Z", // the US open to the second
		"2026-07-01T19:59:55Z", // the last tick before a summer close
	}
	for _, s := range instants {
		now := at(s)
		f := New(Options{Seed: 3, Clock: fixed(now)})
		for _, sym := range mixed {
			checkConsistent(t, f, sym, now)
		}
	}
}

// TestFXDailyBarsDatedOnTheirDay: Monday's FX session opens on Sunday
// evening in New York; Yahoo dates its daily bar Monday, midnight London,
// and so does the simulator, so a rate looked up by date is that day's.
func TestFXDailyBarsDatedOnTheirDay(t *testing.T) {
	f := New(Options{Seed: 3, Clock: fixed(at("2026-11-25T12:00:00Z"))})
	s, err := f.Series(ctx, "EUR=X", feeds.RangeDaily)
	if err != nil {
		t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	seen := map[time.Weekday]bool{}
	for _, tm := range s.Times {
		l := tm.In(london)
		if l.Hour() != 0 || l.Minute() != 0 {
			t.Fatalf("FX bar at %v, want midnight London", l)
		}
		seen[l.Weekday()] = true
	}
	if seen[time.Saturday] || seen[time.Sunday] || !seen[time.Monday] || !seen[time.Friday] {
		t.Errorf("FX bars on weekdays %v, want Monday to Friday only", seen)
	}
	q, _ := f.Quotes(ctx, []string{"EUR=X"})
	if last := s.Closes[len(s.Closes)-1]; last != q[0].Price {
		t.Errorf("last daily close %v, quote %v", last, q[0].Price)
	}
	if d := s.Times[len(s.Times)-1].In(london); d.Day() != 25 {
		t.Errorf("the session in progress on 25 November is dated %v", d)
	}
}

func TestIntradayBarCounts(t *testing.T) {
	cases := []struct {
		sym, at string
		want    int
	}{
		{"NVDA", "2026-11-20T15:02:37Z", 7},  // 09:30-10:02 New York: bars 09:30..10:00
		{"NVDA", "2026-11-21T12:00:00Z", 78}, // Saturday: Friday's whole session
		{"7203.T", "2026-11-21T12:00:00Z", 66},
		{"0700.HK", "2026-11-20T04:30:00Z", 30}, // lunch: the morning's 09:30-12:00
		{"JPY=X", "2026-11-21T12:00:00Z", 288},
	}
	for _, c := range cases {
		f := New(Options{Seed: 1, Clock: fixed(at(c.at))})
		s, _ := f.Series(ctx, c.sym, feeds.Range1D)
		if s.Len() != c.want {
			t.Errorf("%s 1D at %s: %d bars, want %d", c.sym, c.at, s.Len(), c.want)
		}
	}
}
