package baskets

import (
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// The long ranges by hand, on crafted daily closes: one New York listing
// (training) whose bars open at 14:30 UTC, one Tokyo listing (inference)
// whose bars open at 00:00 UTC (09:00 local), each closed on its own
// holidays around the new year. Close of day i (days since 2016-01-04):
// New York 100 + i/10, Tokyo 1000 + i/2.

var longAsOf = time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC) // a Friday, after New York's close

var longFrom = time.Date(2016, 1, 4, 0, 0, 0, 0, time.UTC)

func dayIndex(d time.Time) float64 {
	return float64(d.Sub(longFrom) / (24 * time.Hour))
}

func nyClose(d time.Time) float64    { return 100 + dayIndex(d)/10 }
func tokyoClose(d time.Time) float64 { return 1000 + dayIndex(d)/2 }

// closedOn lists the weekdays each market is shut that these tests reach.
var closedOn = map[string][]string{
	"NY":    {"2024-12-25", "2025-01-01", "2021-12-24"},
	"Tokyo": {"2024-12-31", "2025-01-01", "2025-01-02", "2025-01-03"},
}

func craftedDaily(market string, from time.Time) feeds.Series {
	s := feeds.Series{Range: feeds.RangeLong, Interval: 24 * time.Hour}
	for d := from; d.Before(longAsOf); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday || contains(closedOn[market], d.Format(time.DateOnly)) {
			continue
		}
		if market == "NY" {
			s.Times, s.Closes = append(s.Times, d.Add(14*time.Hour+30*time.Minute)), append(s.Closes, nyClose(d))
		} else {
			s.Times, s.Closes = append(s.Times, d), append(s.Closes, tokyoClose(d))
		}
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func longInput(r feeds.Range) Input {
	set := watchlists.Set{Segments: []watchlists.Segment{
		{File: "gpus.yaml", Name: "GPUs", Era: watchlists.Training, Symbols: []watchlists.Symbol{{Symbol: "NVDA", Weight: 1}}},
		{File: "cars.yaml", Name: "Edge", Era: watchlists.Inference, Symbols: []watchlists.Symbol{{Symbol: "7203.T", Weight: 1}}},
	}}
	ny, tokyo := craftedDaily("NY", longFrom), craftedDaily("Tokyo", longFrom)
	return Input{Range: r, AsOf: longAsOf, Set: set,
		Series: map[string]feeds.Series{"NVDA": ny, "7203.T": tokyo},
		Daily:  map[string]feeds.Series{"NVDA": ny, "7203.T": tokyo},
		Quotes: map[string]feeds.Quote{
			"NVDA":   {Symbol: "NVDA", Price: 250, PreviousClose: 249, ExchangeTZ: "America/New_York", Currency: "USD"},
			"7203.T": {Symbol: "7203.T", Price: 3000, PreviousClose: 2990, ExchangeTZ: "Asia/Tokyo", Currency: "JPY"},
		}}
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestLongRangesByHand(t *testing.T) {
	for _, c := range []struct {
		r                 feeds.Range
		nyBase, tokyoBase string // the dates whose closes are the bases
		why               string
	}{
		// asOf is Saturday 5 December in Tokyo: its bases are a day later.
		{feeds.Range2Y, "2024-12-04", "2024-12-05", "two years back is a Wednesday (Thursday in Tokyo)"},
		{feeds.Range3Y, "2023-12-04", "2023-12-05", "a Monday (Tuesday in Tokyo)"},
		{feeds.Range5Y, "2021-12-03", "2021-12-03", "2021-12-04 is a Saturday (Sunday in Tokyo): the Friday before"},
		// The close strictly before the date: New York shut on New Year's
		// Day, Tokyo from 31 December to 3 January.
		{"2025-01-02", "2024-12-31", "2024-12-30", "a date range across the holidays"},
		{"2025-01-01", "2024-12-31", "2024-12-30", "a date range on a holiday"},
		{"2024-12-26", "2024-12-24", "2024-12-25", "the day after Christmas: New York shut on the 25th, Tokyo open"},
	} {
		rep := Compute(longInput(c.r))
		if rep.Range != c.r {
			t.Errorf("%s: the report's range is %q", c.r, rep.Range)
		}
		train, inf := 100*(250/nyClose(date(c.nyBase))-1), 100*(3000/tokyoClose(date(c.tokyoBase))-1)
		for _, seg := range rep.Segments {
			row := seg.Symbols[0]
			want, base := train, nyClose(date(c.nyBase))
			if row.Symbol == "7203.T" {
				want, base = inf, tokyoClose(date(c.tokyoBase))
			}
			assertOpt(t, string(c.r)+" "+row.Symbol+" base ("+c.why+")", row.Base, base)
			assertOpt(t, string(c.r)+" "+row.Symbol+" return", row.RangeReturn, want)
		}
		assertOpt(t, string(c.r)+" training", rep.Eras.Training.Return, train)
		assertOpt(t, string(c.r)+" inference", rep.Eras.Inference.Return, inf)
		assertOpt(t, string(c.r)+" spread", rep.Eras.Spread, inf-train)
	}
}

// A listing whose history starts after the base has no figure, and says
// why; it is never measured from its first close instead.
func TestLongRangeBeforeTheHistoryIsMissing(t *testing.T) {
	in := longInput(feeds.Range5Y)
	late := craftedDaily("NY", date("2023-03-01"))
	in.Series["NVDA"] = late
	row := Compute(in).Segments[0].Symbols[0]
	if row.RangeReturn.Valid || !strings.Contains(row.Flag, "after the base date 2021-12-04") {
		t.Errorf("5Y on history from 2023: return %v, flag %q", row.RangeReturn, row.Flag)
	}
	in.Series = map[string]feeds.Series{"7203.T": in.Series["7203.T"]}
	row = Compute(in).Segments[0].Symbols[0]
	if row.RangeReturn.Valid || !strings.Contains(row.Flag, "no daily history back to 2021-12-04 yet") {
		t.Errorf("5Y with no history: return %v, flag %q", row.RangeReturn, row.Flag)
	}
}

// A 4:1 split after the years were kept: the history joined to the daily
// series (which Yahoo serves adjusted) is on one scale, so the 5Y return is
// the true one. Before the split NVDA closed at 4x the crafted closes.
func TestLongRangeAcrossASplit(t *testing.T) {
	in := longInput(feeds.Range5Y)
	kept := craftedDaily("NY", longFrom)
	split := date("2026-06-10")
	var old feeds.Series
	for i, tm := range kept.Times {
		if tm.Before(split) {
			old.Times, old.Closes = append(old.Times, tm), append(old.Closes, 4*kept.Closes[i])
		}
	}
	daily := craftedDaily("NY", date("2025-10-20"))
	joined, ok := feeds.MergeHistory(old, daily)
	if !ok {
		t.Fatal("the kept years and the daily series do not join")
	}
	in.Series["NVDA"] = joined
	row := Compute(in).Segments[0].Symbols[0]
	assertOpt(t, "5Y across a split", row.RangeReturn, 100*(250/nyClose(date("2021-12-03"))-1))
}

// The verdict's horizons reach five years, and a date range on screen
// joins them, last.
func TestHorizonsAddTheLongRangesAndTheDate(t *testing.T) {
	in := longInput("2025-01-27")
	hs := Horizons(in, func(r feeds.Range) map[string]feeds.Series { return in.Series })
	var names []string
	for _, h := range hs {
		names = append(names, string(h.Range))
	}
	if got := strings.Join(names, " "); got != "1D 5D 1M 3M YTD 1Y 2Y 3Y 5Y 2025-01-27" {
		t.Errorf("horizons %s", got)
	}
	last := hs[len(hs)-1]
	rep := Compute(in)
	if last.Spread != rep.Eras.Spread || !last.Spread.Valid {
		t.Errorf("the date's horizon spread %v, the report's %v", last.Spread, rep.Eras.Spread)
	}
	in.Range = feeds.Range1Y
	if n := len(Horizons(in, func(feeds.Range) map[string]feeds.Series { return in.Series })); n != 9 {
		t.Errorf("%d horizons on 1Y, want 9", n)
	}
}

// A date range from a day still to come has no figure and never panics:
// in Tokyo, already on 5 December, a range from that day has a base (4
// December's close); in New York, still on the 4th, it has none.
func TestDateRangeFromTomorrow(t *testing.T) {
	rep := Compute(longInput("2026-12-05"))
	for _, seg := range rep.Segments {
		row := seg.Symbols[0]
		switch row.Symbol {
		case "NVDA":
			if row.RangeReturn.Valid || !strings.Contains(row.Flag, "after today 2026-12-04") {
				t.Errorf("NVDA from tomorrow: return %v, flag %q", row.RangeReturn, row.Flag)
			}
		case "7203.T":
			assertOpt(t, "7203.T from today", row.RangeReturn, 100*(3000/tokyoClose(date("2026-12-04"))-1))
		}
	}
	Compute(longInput("2031-01-01")) // must not panic
}

// ComputeAll measures the ranges the alerts name beside the horizons, and
// the verdict does not count them.
func TestComputeAllMeasuresTheAlertsRanges(t *testing.T) {
	in := longInput(feeds.Range1Y)
	series := func(feeds.Range) map[string]feeds.Series { return in.Series }
	rep := ComputeAll(in, series, "2025-01-02", feeds.Range6M, feeds.Range5Y, "2025-01-02")
	if len(rep.Also) != 2 || rep.Also[0].Range != "2025-01-02" || rep.Also[1].Range != feeds.Range6M {
		t.Fatalf("also %+v, want the date and 6M once each (5Y is a horizon)", rep.Also)
	}
	date := Compute(longInput("2025-01-02"))
	if rep.Also[0].Spread != date.Eras.Spread || strings.Contains(rep.Verdict, "2025-01-02") {
		t.Errorf("the date's spread %v, its report's %v; verdict %q", rep.Also[0].Spread, date.Eras.Spread, rep.Verdict)
	}
}
