package baskets

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

func oneSymbol(sym string) watchlists.Set {
	return watchlists.Set{Segments: []watchlists.Segment{{File: "one.yaml", Era: watchlists.Training,
		Symbols: []watchlists.Symbol{{Symbol: sym, Weight: 1}}}}}
}

// fiveDay builds hourly bars on the given UTC dates, closing at 10*(day+1)
// plus the hour, and returns 5D input for it.
func fiveDay(days []int, prevClose float64, periods bool) Input {
	s := feeds.Series{PreviousClose: prevClose}
	for i, d := range days {
		for h := 14; h < 20; h++ {
			s.Times = append(s.Times, utc(2025, 10, d, h, 0))
			s.Closes = append(s.Closes, float64(10*(i+1)+h-14))
		}
		if periods {
			s.Periods = append(s.Periods, feeds.Period{Start: utc(2025, 10, d, 13, 30), End: utc(2025, 10, d, 20, 0)})
		}
	}
	return Input{Range: feeds.Range5D, AsOf: utc(2025, 10, 29, 20, 0), Set: oneSymbol("X"),
		Series: map[string]feeds.Series{"X": s}, Quotes: map[string]feeds.Quote{"X": {Price: 100}}}
}

func TestFiveDayBase(t *testing.T) {
	for _, periods := range []bool{false, true} {
		// Six sessions: the base is the last close of the first, 10 + 5.
		row := Compute(fiveDay([]int{22, 23, 24, 27, 28, 29}, 1, periods)).Segments[0].Symbols[0]
		assertOpt(t, "base of six sessions", row.Base, 15)
		assertOpt(t, "5D return", row.RangeReturn, 100*(100.0/15-1))
		// Exactly five: the series' previous close.
		row = Compute(fiveDay([]int{23, 24, 27, 28, 29}, 7, periods)).Segments[0].Symbols[0]
		assertOpt(t, "base of five sessions", row.Base, 7)
		// Four: no base, and a flag that says why.
		row = Compute(fiveDay([]int{24, 27, 28, 29}, 7, periods)).Segments[0].Symbols[0]
		if row.RangeReturn.Valid || !strings.Contains(row.Flag, "4 sessions") {
			t.Errorf("four sessions: return %v, flag %q", row.RangeReturn, row.Flag)
		}
	}
}

// TestSessionsFollowPeriods: with Periods, a session crossing midnight UTC
// (Tokyo, 00:00-06:00 UTC is one local day, but a 23:00 UTC bar belongs to the
// next local day) is grouped by period, not by date.
func TestSessionsFollowPeriods(t *testing.T) {
	times := []time.Time{utc(2025, 10, 27, 23, 0), utc(2025, 10, 28, 1, 0), utc(2025, 10, 28, 23, 0), utc(2025, 10, 29, 2, 0)}
	periods := []feeds.Period{{Start: utc(2025, 10, 27, 22, 0), End: utc(2025, 10, 28, 4, 0)},
		{Start: utc(2025, 10, 28, 22, 0), End: utc(2025, 10, 29, 4, 0)}}
	if got := sessionStarts(times, periods, time.UTC); len(got) != 2 || got[1] != 2 {
		t.Errorf("by periods: starts %v, want [0 2]", got)
	}
	if got := sessionStarts(times, nil, time.UTC); len(got) != 3 {
		t.Errorf("by UTC date: starts %v, want 3 sessions", got)
	}
}

func TestBaseDateClampsToMonthEnd(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		r          feeds.Range
		asOf, want time.Time
	}{
		{feeds.Range1M, d(2025, 3, 31), d(2025, 2, 28)},
		{feeds.Range1M, d(2024, 3, 31), d(2024, 2, 29)},
		{feeds.Range3M, d(2025, 5, 31), d(2025, 2, 28)},
		{feeds.Range6M, d(2025, 8, 31), d(2025, 2, 28)},
		{feeds.Range6M, d(2025, 1, 15), d(2024, 7, 15)},
		{feeds.Range1Y, d(2024, 2, 29), d(2023, 2, 28)},
		{feeds.RangeYTD, d(2025, 1, 2), d(2024, 12, 31)},
	} {
		if got := baseDate(c.r, c.asOf); !got.Equal(c.want) {
			t.Errorf("%s before %s: %s, want %s", c.r, c.asOf.Format(time.DateOnly), got.Format(time.DateOnly), c.want.Format(time.DateOnly))
		}
	}
}

// TestBadPricesAreMissingAndFlagged: a NaN or non-positive price never
// becomes a number in the report.
func TestBadPricesAreMissingAndFlagged(t *testing.T) {
	nan := math.NaN()
	in := Input{Range: feeds.Range1M, AsOf: utc(2025, 10, 29, 20, 0), Set: oneSymbol("X"),
		Quotes: map[string]feeds.Quote{"X": {Price: nan, PreviousClose: -1}},
		Series: map[string]feeds.Series{"X": series([]time.Time{utc(2025, 9, 26, 13, 30), utc(2025, 10, 1, 13, 30), utc(2025, 10, 2, 13, 30)}, 50, 0, 60)}}
	row := Compute(in).Segments[0].Symbols[0]
	// The NaN quote falls back to the last close (60), the zero bar is skipped.
	assertOpt(t, "return", row.RangeReturn, 20)
	if row.PreviousClose.Valid || row.ChangePercent.Valid {
		t.Errorf("previous close -1 shows as %v", row.PreviousClose)
	}
	if !strings.Contains(row.Flag, "not a price") || !strings.Contains(row.Flag, "skipped 1 bars") {
		t.Errorf("flag %q does not explain the NaN quote and the zero bar", row.Flag)
	}
	// YTD needs the last close of 2024: there is none.
	in.Range = feeds.RangeYTD
	if row := Compute(in).Segments[0].Symbols[0]; row.RangeReturn.Valid {
		t.Errorf("YTD without a 2024 close: %v", row.RangeReturn)
	}
}

func TestOneDayWithoutQuoteUsesTheSessionBefore(t *testing.T) {
	in := Input{Range: feeds.Range1D, AsOf: utc(2025, 10, 29, 20, 0), Set: oneSymbol("X"),
		Series: map[string]feeds.Series{"X": series([]time.Time{utc(2025, 10, 28, 15, 0), utc(2025, 10, 28, 19, 55), utc(2025, 10, 29, 14, 0), utc(2025, 10, 29, 19, 55)}, 40, 50, 52, 55)}}
	row := Compute(in).Segments[0].Symbols[0]
	assertOpt(t, "1D base", row.Base, 50)
	assertOpt(t, "1D return", row.RangeReturn, 10)
}

// TestUsableBarsViewOneRunAndCopyAroundGaps: bars kept in one run are
// views on the series (Compute reads every range's bars on each refresh);
// a skipped bar inside the run leaves times, keys and closes aligned.
func TestUsableBarsViewOneRunAndCopyAroundGaps(t *testing.T) {
	days := []time.Time{utc(2025, 10, 1, 13, 30), utc(2025, 10, 2, 13, 30), utc(2025, 10, 3, 13, 30), utc(2025, 10, 6, 13, 30)}
	c := newComputer(Input{Range: feeds.Range1M, AsOf: utc(2025, 10, 3, 20, 0), Set: oneSymbol("X")})

	s := series(days, 10, 11, 12, 13) // the last bar is after asOf
	times, keys, closes := c.usableBars(&track{}, s, time.UTC)
	if len(times) != 3 || len(keys) != 3 || len(closes) != 3 || &times[0] != &s.Times[0] || &closes[0] != &s.Closes[0] {
		t.Fatalf("one run: %d times, %d keys, %d closes, shared %v", len(times), len(keys), len(closes), len(times) > 0 && &times[0] == &s.Times[0])
	}
	if cap(times) != 3 || cap(closes) != 3 {
		t.Errorf("views not capped: cap %d and %d, an append would write into the series", cap(times), cap(closes))
	}

	s = series(days, 10, math.NaN(), 12, 13)
	tr := &track{}
	times, keys, closes = c.usableBars(tr, s, time.UTC)
	if len(times) != 2 || len(keys) != 2 || !times[1].Equal(days[2]) || !keys[1].Equal(utc(2025, 10, 3, 0, 0)) || closes[1] != 12 {
		t.Errorf("around a gap: times %v keys %v closes %v", times, keys, closes)
	}
	if !strings.Contains(tr.flag, "skipped 1 bars") {
		t.Errorf("flag %q", tr.flag)
	}
}

// TestRangeStart: the first day each range shows, from a Monday afternoon
// in UTC (asOf's clock time does not move it).
func TestRangeStart(t *testing.T) {
	asOf := time.Date(2025, 2, 10, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    feeds.Range
		want string
	}{
		{feeds.Range1D, "2025-02-10"},
		{feeds.Range5D, "2025-02-04"},
		{feeds.Range1M, "2025-01-10"},
		{feeds.Range3M, "2024-11-10"},
		{feeds.RangeYTD, "2024-12-31"},
		{feeds.Range1Y, "2024-02-10"},
	} {
		if got := RangeStart(c.r, asOf).Format(time.DateOnly); got != c.want {
			t.Errorf("RangeStart(%s) = %s, want %s", c.r, got, c.want)
		}
	}
	// A late hour west of UTC is already the next day in UTC.
	ny := time.Date(2025, 3, 31, 22, 0, 0, 0, time.FixedZone("EDT", -4*3600))
	if got := RangeStart(feeds.Range1M, ny).Format(time.DateOnly); got != "2025-03-01" {
		t.Errorf("RangeStart(1M, %v) = %s, want 2025-03-01", ny, got)
	}
}
