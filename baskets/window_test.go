package baskets

import (
	"math"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// TestWindowAgreesWithTheReturn: on every generated market, in both
// currencies, a member's window runs from its base to its price, so its last
// over its first is its range return.
func TestWindowAgreesWithTheReturn(t *testing.T) {
	forEachInput(t, func(t *testing.T, in Input) {
		for _, seg := range Compute(in).Segments {
			for _, s := range seg.Symbols {
				r, ok := s.RangeReturn.Get()
				w := s.Window
				if !ok {
					if len(w.Values) != 0 {
						t.Errorf("%s has no return but a window of %d points", s.Symbol, len(w.Values))
					}
					continue
				}
				if len(w.Values) < 2 || len(w.Times) != len(w.Values) {
					t.Fatalf("%s window %d times, %d values", s.Symbol, len(w.Times), len(w.Values))
				}
				if got := 100 * (w.Values[len(w.Values)-1]/w.Values[0] - 1); math.Abs(got-r) > 1e-9 {
					t.Errorf("%s window says %v, return %v", s.Symbol, got, r)
				}
				for i := 1; i < len(w.Times); i++ {
					if w.Times[i].Before(w.Times[i-1]) {
						t.Fatalf("%s window times go back at %d: %v after %v", s.Symbol, i, w.Times[i], w.Times[i-1])
					}
				}
			}
		}
	})
}

// TestWindowStartsAtTheBase: on 31 March at 1M the base is the close of
// 27 February (the last on or before 28 February), so the sparkline starts
// there, not on 3 March.
func TestWindowStartsAtTheBase(t *testing.T) {
	var s feeds.Series
	for d := time.Date(2026, 2, 20, 14, 30, 0, 0, time.UTC); d.Before(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		s.Times = append(s.Times, d)
		s.Closes = append(s.Closes, float64(100+d.YearDay()))
	}
	in := Input{Range: feeds.Range1M, AsOf: utc(2026, 3, 31, 21, 0),
		Quotes: map[string]feeds.Quote{"NVDA": {Price: 200, PreviousClose: 189, Currency: "USD",
			QuoteTime: utc(2026, 3, 31, 20, 0)}},
		Series: map[string]feeds.Series{"NVDA": s}, Set: oneSymbol("NVDA")}
	row := Compute(in).Segments[0].Symbols[0]
	w := row.Window
	if got := w.Times[0].Format(time.DateOnly); got != "2026-02-27" {
		t.Errorf("window starts %s, want the base close of 2026-02-27", got)
	}
	assertNear(t, "first point", w.Values[0], 100+58) // 27 February is day 58
	if got := w.Times[1].Format(time.DateOnly); got != "2026-03-02" {
		t.Errorf("first bar after the base %s, want 2026-03-02", got)
	}
	// The 31 March bar is in progress: the live price stands in for it.
	assertNear(t, "last point", w.Values[len(w.Values)-1], 200)
	if len(w.Times) != 1+22 {
		t.Errorf("window of %d points, want the base and 22 March sessions", len(w.Times))
	}
}
