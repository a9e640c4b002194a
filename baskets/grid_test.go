package baskets

import (
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

func utc(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

func series(times []time.Time, closes ...float64) feeds.Series {
	return feeds.Series{Times: times, Closes: closes}
}

// indexAt reads a line at a grid time.
func indexAt(t *testing.T, l Line, at time.Time) float64 {
	t.Helper()
	for i, tm := range l.Times {
		if tm.Equal(at) {
			return l.Values[i]
		}
	}
	t.Fatalf("%v is not on the grid (%v .. %v)", at, l.Times[0], l.Times[len(l.Times)-1])
	return 0
}

// TestCarryForwardAcrossExchanges is a 1D basket of a Tokyo listing (weight
// 1, +10 %) and a New York one (weight 3, -5 %) on 2025-10-29. Tokyo trades
// 00:00-06:00 UTC, New York from 13:30 UTC: each stands at its base before
// its first bar of the day and keeps its last price after its close.
func TestCarryForwardAcrossExchanges(t *testing.T) {
	in := Input{Range: feeds.Range1D, AsOf: utc(2025, 10, 29, 20, 0),
		Quotes: map[string]feeds.Quote{
			"8035.T": {Price: 110, PreviousClose: 100, Currency: "JPY", ExchangeTZ: "Asia/Tokyo", QuoteTime: utc(2025, 10, 29, 6, 0)},
			"NVDA":   {Price: 190, PreviousClose: 200, Currency: "USD", ExchangeTZ: "America/New_York", QuoteTime: utc(2025, 10, 29, 19, 58)},
		},
		Series: map[string]feeds.Series{
			// 90 and 195 belong to the previous sessions and must not appear.
			"8035.T": series([]time.Time{utc(2025, 10, 28, 0, 0), utc(2025, 10, 29, 0, 0), utc(2025, 10, 29, 3, 0), utc(2025, 10, 29, 5, 55)}, 90, 104, 108, 110),
			"NVDA":   series([]time.Time{utc(2025, 10, 28, 14, 30), utc(2025, 10, 29, 13, 30), utc(2025, 10, 29, 16, 0), utc(2025, 10, 29, 19, 55)}, 195, 202, 196, 190),
		},
		Set: watchlists.Set{Segments: []watchlists.Segment{{File: "mix.yaml", Era: watchlists.Training,
			Symbols: []watchlists.Symbol{{Symbol: "8035.T", Weight: 1}, {Symbol: "NVDA", Weight: 3}}}}}}
	rep := Compute(in)
	seg := rep.Segments[0]
	assertOpt(t, "R", seg.Return, (1*10+3*-5)/4.0)
	if len(rep.Grid) != 241 || !rep.Grid[0].Equal(utc(2025, 10, 28, 23, 55)) {
		t.Fatalf("grid %d points from %v; want 241 five-minute points from 2025-10-28 23:55", len(rep.Grid), rep.Grid[0])
	}
	// 100 * (1 * Tokyo/100 + 3 * NVDA/200) / 4, by hand:
	for _, c := range []struct {
		at   time.Time
		want float64
	}{
		{utc(2025, 10, 28, 23, 55), 100},                // both at base
		{utc(2025, 10, 29, 0, 0), 100 * (1.04 + 3) / 4}, // Tokyo 104
		{utc(2025, 10, 29, 2, 55), 101},                 // Tokyo carried
		{utc(2025, 10, 29, 3, 0), 102},                  // Tokyo 108
		{utc(2025, 10, 29, 9, 0), 102.5},                // Tokyo closed at 110; NVDA not open yet
		{utc(2025, 10, 29, 13, 25), 102.5},
		{utc(2025, 10, 29, 13, 30), 100 * (1.10 + 3*1.01) / 4}, // NVDA 202
		{utc(2025, 10, 29, 16, 0), 101},                        // NVDA 196
		{utc(2025, 10, 29, 19, 55), 98.75},                     // last point: live quotes, 100 + R
	} {
		assertNear(t, "I("+c.at.Format("01-02 15:04")+")", indexAt(t, seg.Index, c.at), c.want)
	}
}

// TestCarryForwardOverWeekendsDaily is a 1M basket of New York and London
// listings on calendar days: Saturday and Sunday repeat Friday, and a series
// that lags its quote is carried until the last point takes the quote.
func TestCarryForwardOverWeekendsDaily(t *testing.T) {
	ny := func(m time.Month, d int) time.Time { return utc(2025, m, d, 13, 30) }
	ldn := func(m time.Month, d int) time.Time { return utc(2025, m, d, 7, 0) }
	in := Input{Range: feeds.Range1M, AsOf: utc(2025, 10, 29, 20, 0),
		Quotes: map[string]feeds.Quote{
			"NVDA": {Price: 132, Currency: "USD", ExchangeTZ: "America/New_York"},
			"RR.L": {Price: 610, Currency: "GBp", ExchangeTZ: "Europe/London"},
		},
		Series: map[string]feeds.Series{
			"NVDA": series([]time.Time{ny(9, 26), ny(9, 29), ny(10, 3), ny(10, 6), ny(10, 29)}, 90, 100, 110, 120, 130),
			"RR.L": series([]time.Time{ldn(9, 29), ldn(10, 3), ldn(10, 28)}, 500, 550, 600),
		},
		Set: watchlists.Set{Segments: []watchlists.Segment{{File: "mix.yaml", Era: watchlists.Inference,
			Symbols: []watchlists.Symbol{{Symbol: "NVDA", Weight: 1}, {Symbol: "RR.L", Weight: 1}}}}}}
	rep := Compute(in)
	seg := rep.Segments[0]
	assertOpt(t, "R", seg.Return, (32+22)/2.0)
	if len(rep.Grid) != 31 {
		t.Fatalf("grid of %d days, want 31 (2025-09-29 .. 2025-10-29)", len(rep.Grid))
	}
	for _, c := range []struct {
		day  time.Time
		want float64
	}{
		{utc(2025, 9, 29, 0, 0), 100},  // the base date
		{utc(2025, 10, 3, 0, 0), 110},  // 110/100, 550/500
		{utc(2025, 10, 4, 0, 0), 110},  // Saturday
		{utc(2025, 10, 5, 0, 0), 110},  // Sunday
		{utc(2025, 10, 6, 0, 0), 115},  // 120/100, London carried
		{utc(2025, 10, 28, 0, 0), 120}, // 120/100, 600/500
		{utc(2025, 10, 29, 0, 0), 127}, // quotes 132/100, 610/500
	} {
		assertNear(t, "I("+c.day.Format("01-02")+")", indexAt(t, seg.Index, c.day), c.want)
	}
}
