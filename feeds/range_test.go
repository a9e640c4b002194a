package feeds

import (
	"math"
	"testing"
	"time"
)

// TestKeptHistoryCutsOnlyTheDailySeries: a RangeDaily series keeps
// dailyHistory days before its last bar, in arrays of its own, with the close
// before the cut as its previous close; a bad close there is no previous
// close; every other range is left whole.
func TestKeptHistoryCutsOnlyTheDailySeries(t *testing.T) {
	last := time.Date(2026, 11, 30, 14, 30, 0, 0, time.UTC)
	var s Series
	s.Range, s.PreviousClose = RangeDaily, 1
	for d := 730; d >= 0; d-- {
		s.Times = append(s.Times, last.AddDate(0, 0, -d))
		s.Closes = append(s.Closes, float64(1000-d))
	}
	s.Periods = []Period{{Start: last.AddDate(-2, 0, 0), End: last.AddDate(-2, 0, 1)}, {Start: last, End: last.Add(time.Hour)}}

	k := KeptHistory(s)
	if k.Len() != dailyHistory+1 || !k.Times[0].Equal(last.AddDate(0, 0, -dailyHistory)) {
		t.Fatalf("kept %d bars from %s, want %d from %s", k.Len(), k.Times[0], dailyHistory+1, last.AddDate(0, 0, -dailyHistory))
	}
	if want := float64(1000 - dailyHistory - 1); k.PreviousClose != want {
		t.Errorf("previous close %v, want the close before the cut, %v", k.PreviousClose, want)
	}
	if len(k.Periods) != 1 || !k.Periods[0].Start.Equal(last) {
		t.Errorf("periods %v, want only the one after the cut", k.Periods)
	}
	if &k.Times[0] == &s.Times[len(s.Times)-k.Len()] || &k.Closes[0] == &s.Closes[len(s.Closes)-k.Len()] {
		t.Error("the kept bars share the two-year arrays, which stay alive")
	}

	s.Closes[len(s.Closes)-dailyHistory-2] = math.NaN()
	if k := KeptHistory(s); k.PreviousClose != 0 {
		t.Errorf("previous close %v from a bad close, want 0 (unknown)", k.PreviousClose)
	}
	for _, r := range []Range{Range1D, Range5D, Range1Y} {
		s.Range = r
		if k := KeptHistory(s); k.Len() != s.Len() || k.PreviousClose != s.PreviousClose {
			t.Errorf("%s: cut to %d bars", r, k.Len())
		}
	}
}

// Months counts back the ranges of months and years, and no other.
func TestRangeMonths(t *testing.T) {
	for r, want := range map[Range]int{Range1M: 1, Range3M: 3, Range6M: 6, Range1Y: 12, Range2Y: 24, Range3Y: 36, Range5Y: 60} {
		if n, ok := r.Months(); !ok || n != want {
			t.Errorf("%s: %d months (%v), want %d", r, n, ok, want)
		}
	}
	for _, r := range []Range{Range1D, Range5D, RangeYTD, "2025-01-27", RangeDaily, RangeLong} {
		if n, ok := r.Months(); ok {
			t.Errorf("%s counts back %d months, want none", r, n)
		}
	}
}
