package baskets

import (
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// twiceDaily is bars at 08:00 and 16:00 UTC on each date, both closing at
// the date's value.
func twiceDaily(dates []time.Time, values ...float64) feeds.Series {
	var s feeds.Series
	for i, d := range dates {
		for _, h := range []int{8, 16} {
			s.Times = append(s.Times, d.Add(time.Duration(h)*time.Hour))
			s.Closes = append(s.Closes, values[i])
		}
	}
	return s
}

func days(y int, m time.Month, ds ...int) []time.Time {
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = utc(y, m, d, 0, 0)
	}
	return out
}

// TestUSDBaseAtTheListingsOwnBase: ENR.DE on 5D at 2 January 2026. Xetra
// was shut 24-26 and 31 December and 1 January, so its last five sessions
// reach back to 22 December and its base is the close of 19 December; the
// FX pair trades nearly every weekday, so its own 5D base would be a week
// later. The base converts at the rate of 19 December.
func TestUSDBaseAtTheListingsOwnBase(t *testing.T) {
	xetra := append(days(2025, 12, 19, 22, 23, 29, 30), days(2026, 1, 2)...)
	fx := append(days(2025, 12, 19, 22, 23, 24, 26, 29, 30, 31), days(2026, 1, 2)...)
	in := Input{Range: feeds.Range5D, AsOf: utc(2026, 1, 2, 16, 30), Currency: USD,
		Quotes: map[string]feeds.Quote{
			"ENR.DE": {Price: 110, PreviousClose: 108, Currency: "EUR", ExchangeTZ: "Europe/Berlin"},
			"EUR=X":  {Price: 0.92, PreviousClose: 0.93, Currency: "EUR", ExchangeTZ: "Europe/London"},
		},
		Series: map[string]feeds.Series{
			"ENR.DE": twiceDaily(xetra, 100, 101, 102, 104, 108, 110),
			"EUR=X":  twiceDaily(fx, 0.90, 0.91, 0.94, 0.95, 0.95, 0.95, 0.93, 0.93, 0.92),
		},
		Set: oneSymbol("ENR.DE")}
	row := Compute(in).Segments[0].Symbols[0]
	// 110 / 0.92 now; 100 / 0.90 at the base (19 December, 16:00 UTC).
	assertOpt(t, "base", row.Base, 100/0.90)
	assertOpt(t, "price", row.Price, 110/0.92)
	assertOpt(t, "return", row.RangeReturn, 100*(110*0.90/(0.92*100)-1))
	in.Currency = Local
	assertOpt(t, "local return", Compute(in).Segments[0].Symbols[0].RangeReturn, 10)
}

// TestIntradayPreviousCloseConvertsAtItsOwnClose: a Tokyo line on 1D is
// based on its previous close, made at 06:30 UTC the day before, before the
// pair's 1D series begins: the pair's previous close, its daily close of
// that day, converts it.
func TestIntradayPreviousCloseConvertsAtItsOwnClose(t *testing.T) {
	var tokyo, yen feeds.Series
	for h := 0; h <= 6; h++ {
		tokyo.Times = append(tokyo.Times, utc(2026, 12, 1, h, 0))
		tokyo.Closes = append(tokyo.Closes, 1010)
	}
	for h := 0; h <= 7; h++ {
		yen.Times = append(yen.Times, utc(2026, 12, 1, h, 0))
		yen.Closes = append(yen.Closes, 150)
	}
	yen.PreviousClose = 148
	in := Input{Range: feeds.Range1D, AsOf: utc(2026, 12, 1, 7, 0), Currency: USD,
		Quotes: map[string]feeds.Quote{
			"8035.T": {Price: 1010, PreviousClose: 1000, Currency: "JPY", ExchangeTZ: "Asia/Tokyo", QuoteTime: utc(2026, 12, 1, 6, 30)},
			"JPY=X":  {Price: 150, PreviousClose: 149, Currency: "JPY", ExchangeTZ: "Europe/London"},
		},
		Series: map[string]feeds.Series{"8035.T": tokyo, "JPY=X": yen},
		Set:    oneSymbol("8035.T")}
	rep := Compute(in)
	row := rep.Segments[0].Symbols[0]
	want := 100 * (1010.0/150/(1000.0/148) - 1)
	assertOpt(t, "base", row.Base, 1000.0/148)
	assertOpt(t, "return", row.RangeReturn, want)
	assertOpt(t, "day change", row.ChangePercent, want)
	ix := rep.Segments[0].Index
	assertNear(t, "index at its start", ix.Values[0], 100)
	last, _ := ix.Last()
	assertNear(t, "index at its end", last, 100+want)
}

// TestMinorUnitsAndOtherDisplayCurrencies: Johannesburg in cents, Tel Aviv
// in agorot, and a report in euros through the dollar crosses.
func TestMinorUnitsAndOtherDisplayCurrencies(t *testing.T) {
	q := func(price, prev float64, cur string) feeds.Quote {
		return feeds.Quote{Price: price, PreviousClose: prev, Currency: cur}
	}
	in := Input{Range: feeds.Range1D, AsOf: utc(2026, 12, 1, 20, 0),
		Quotes: map[string]feeds.Quote{
			"NPN.JO":  q(5000, 4900, "ZAc"),
			"ZAR=X":   q(18, 18.5, "ZAR"),
			"NICE.TA": q(2000, 2100, "ILA"),
			"ILS=X":   q(3.6, 3.5, "ILS"),
			"NVDA":    q(110, 100, "USD"),
			"ASML.AS": q(700, 690, "EUR"),
			"SPY":     q(600, 600, "USD"),
		},
		Set: watchlists.Set{Segments: []watchlists.Segment{{File: "fx.yaml", Era: watchlists.Inference,
			Symbols: []watchlists.Symbol{{Symbol: "NPN.JO", Weight: 1}, {Symbol: "NICE.TA", Weight: 1},
				{Symbol: "NVDA", Weight: 1}, {Symbol: "ASML.AS", Weight: 1}}}}}}

	in.Currency = USD
	seg := Compute(in).Segments[0]
	assertOpt(t, "NPN.JO in USD", symbolRow(t, seg, "NPN.JO").Price, 5000/(18*100.0))
	assertOpt(t, "NPN.JO previous close in USD", symbolRow(t, seg, "NPN.JO").PreviousClose, 4900/(18.5*100))
	assertOpt(t, "NICE.TA in USD", symbolRow(t, seg, "NICE.TA").Price, 2000/(3.6*100))
	if asml := symbolRow(t, seg, "ASML.AS"); asml.Price.Valid || !strings.Contains(asml.Flag, "EUR=X") {
		t.Errorf("ASML.AS in USD without EUR=X: price %v, flag %q", asml.Price, asml.Flag)
	}

	// In euros, a euro line needs no rate at all; a dollar line needs EUR=X.
	in.Currency = "eur"
	rep := Compute(in)
	if rep.Currency != "EUR" {
		t.Errorf("report currency %q, want EUR", rep.Currency)
	}
	seg = rep.Segments[0]
	asml := symbolRow(t, seg, "ASML.AS")
	assertOpt(t, "ASML.AS in EUR", asml.Price, 700)
	assertOpt(t, "ASML.AS return in EUR", asml.RangeReturn, 100*(700.0/690-1))
	if asml.Currency != "EUR" {
		t.Errorf("ASML.AS currency %q, want EUR", asml.Currency)
	}
	if nvda := symbolRow(t, seg, "NVDA"); nvda.Price.Valid || !strings.Contains(nvda.Flag, "EUR=X") {
		t.Errorf("NVDA in EUR without EUR=X: price %v, flag %q", nvda.Price, nvda.Flag)
	}
	in.Quotes["EUR=X"] = q(0.9, 0.95, "EUR")
	seg = Compute(in).Segments[0]
	nvda := symbolRow(t, seg, "NVDA")
	// $110 at €0.90 per dollar now, $100 at €0.95 at the previous close.
	assertOpt(t, "NVDA in EUR", nvda.Price, 99)
	assertOpt(t, "NVDA base in EUR", nvda.Base, 95)
	assertOpt(t, "NVDA return in EUR", nvda.RangeReturn, 100*(99.0/95-1))
	// 5000 cents = R50 = $2.78 = €2.50.
	assertOpt(t, "NPN.JO in EUR", symbolRow(t, seg, "NPN.JO").Price, 5000/(18*100.0)*0.9)

	if got := DisplayPair("eur"); got != "EUR=X" {
		t.Errorf("DisplayPair(eur) = %q", got)
	}
	if got := DisplayPair(USD) + DisplayPair(Local); got != "" {
		t.Errorf("DisplayPair of USD and local = %q, want none", got)
	}
}

// londonMidnights are daily bars stamped at midnight London on each date, as
// Yahoo stamps an FX pair's.
func londonMidnights(dates []time.Time, closes ...float64) feeds.Series {
	london, _ := time.LoadLocation("Europe/London")
	s := feeds.Series{Closes: closes}
	for _, d := range dates {
		s.Times = append(s.Times, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, london))
	}
	return s
}

// eurDaily is EUR=X's daily closes from 17 December 2025 to 2 January 2026,
// as the simulated market (seed 7) made them.
func eurDaily() feeds.Series {
	return londonMidnights(append(days(2025, 12, 17, 18, 19, 22, 23, 24, 25, 26, 29, 30, 31), days(2026, 1, 1, 2)...),
		0.9406, 0.9427, 0.9383, 0.9235, 0.9171, 0.9176, 0.9149, 0.9059, 0.8948, 0.8908, 0.8858, 0.8754, 0.8767)
}

// TestUSD5DBaseAtThePairsCloseOfItsDate is the case of docs/figures.md,
// with the simulated market's numbers (seed 7, 2 January 2026 15:00 UTC):
// ENR.DE's 5D series begins with Xetra's session of 22 December, so its
// base is the series' previous close, made on 19 December. EUR=X's 5D
// series begins on the evening of 28 December, after a previous close of
// 26 December (its own 5D base, 0.9059); the base converts at its daily
// close of 19 December, 0.9383. The horizon of 5D is the same figure.
func TestUSD5DBaseAtThePairsCloseOfItsDate(t *testing.T) {
	var enr, eur feeds.Series
	for _, d := range append(days(2025, 12, 22, 23, 29, 30), days(2026, 1, 2)...) {
		enr.Times = append(enr.Times, d.Add(8*time.Hour), d.Add(15*time.Hour))
	}
	enr.Closes = []float64{258.71, 263.42, 263.74, 260.11, 263.22, 269.11, 267.55, 267.59, 276.38, 271.57}
	enr.PreviousClose = 253.05
	for tm := utc(2025, 12, 28, 22, 0); !tm.After(utc(2026, 1, 2, 15, 0)); tm = tm.Add(6 * time.Hour) {
		eur.Times, eur.Closes = append(eur.Times, tm), append(eur.Closes, 0.89)
	}
	eur.Closes[len(eur.Closes)-1] = 0.8767
	eur.PreviousClose = 0.9059
	asOf := utc(2026, 1, 2, 15, 0)
	in := Input{Range: feeds.Range5D, AsOf: asOf, Currency: USD,
		Quotes: map[string]feeds.Quote{
			"ENR.DE": {Price: 271.57, PreviousClose: 267.59, Currency: "EUR", ExchangeTZ: "Europe/Berlin", QuoteTime: asOf},
			"EUR=X":  {Price: 0.8767, PreviousClose: 0.8754, Currency: "EUR", ExchangeTZ: "Europe/London", QuoteTime: asOf},
		},
		Series: map[string]feeds.Series{"ENR.DE": enr, "EUR=X": eur},
		Daily:  map[string]feeds.Series{"EUR=X": eurDaily()},
		Set:    oneSymbol("ENR.DE")}
	want := 100 * ((271.57/0.8767)/(253.05/0.9383) - 1) // +14.86 %
	row := Compute(in).Segments[0].Symbols[0]
	assertOpt(t, "base", row.Base, 253.05/0.9383)
	assertOpt(t, "return", row.RangeReturn, want)
	// The previous close, of 30 December, converts at the pair's bar of
	// that instant, which its 5D series covers.
	assertOpt(t, "previous close", row.PreviousClose, 267.59/0.89)
	h := Horizons(in, func(r feeds.Range) map[string]feeds.Series {
		if r == feeds.Range5D {
			return in.Series
		}
		return nil
	})
	assertOpt(t, "5D horizon", h[1].Training, want)
	in.Currency = Local
	assertOpt(t, "local return", Compute(in).Segments[0].Symbols[0].RangeReturn, 100*(271.57/253.05-1))
}

// TestUSD1DBaseAtThePairsCloseOfItsDate: at 23:30 UTC on 16 June, before
// Tokyo opens on the 17th, a Tokyo line's 1D base is its close of 15 June.
// JPY=X's session of the 17th has begun, so its 1D series starts at 21:00
// and its previous close is that of the 16th, its own 1D base: the base
// converts at its daily close of the 15th instead.
func TestUSD1DBaseAtThePairsCloseOfItsDate(t *testing.T) {
	var tokyo, yen feeds.Series
	for h := 0; h <= 5; h++ {
		tokyo.Times = append(tokyo.Times, utc(2026, 6, 16, h, 0))
		tokyo.Closes = append(tokyo.Closes, 1010)
	}
	tokyo.PreviousClose = 1000
	for _, tm := range []time.Time{utc(2026, 6, 16, 21, 0), utc(2026, 6, 16, 22, 0), utc(2026, 6, 16, 23, 0)} {
		yen.Times, yen.Closes = append(yen.Times, tm), append(yen.Closes, 150)
	}
	yen.PreviousClose = 149
	asOf := utc(2026, 6, 16, 23, 30)
	in := Input{Range: feeds.Range1D, AsOf: asOf, Currency: USD,
		Quotes: map[string]feeds.Quote{
			"8035.T": {Price: 1010, PreviousClose: 1000, Currency: "JPY", ExchangeTZ: "Asia/Tokyo", QuoteTime: utc(2026, 6, 16, 6, 0)},
			"JPY=X":  {Price: 150, PreviousClose: 149, Currency: "JPY", ExchangeTZ: "Europe/London", QuoteTime: asOf},
		},
		Series: map[string]feeds.Series{"8035.T": tokyo, "JPY=X": yen},
		Daily:  map[string]feeds.Series{"JPY=X": londonMidnights(days(2026, 6, 12, 15, 16, 17), 146, 147, 149, 150)},
		Set:    oneSymbol("8035.T")}
	row := Compute(in).Segments[0].Symbols[0]
	want := 100 * ((1010.0/150)/(1000.0/147) - 1)
	assertOpt(t, "base", row.Base, 1000.0/147)
	assertOpt(t, "return", row.RangeReturn, want)
	assertOpt(t, "day change", row.ChangePercent, want)
	// Without the pair's daily closes there is no rate for the 15th: the
	// line is left out and says why, rather than use the 16th's.
	in.Daily = nil
	row = Compute(in).Segments[0].Symbols[0]
	if row.RangeReturn.Valid || !strings.Contains(row.Flag, "no JPY=X rate for its base close of 2026-06-15") {
		t.Errorf("without JPY=X's daily closes: return %v, flag %q", row.RangeReturn, row.Flag)
	}
}

// TestUSDDailyBaseAtThePairsCloseOfItsDate: 1M on 26 January 2026, with a
// series that begins on 29 December, ENR.DE's base is the series' previous
// close, Xetra's of 23 December (it was shut 24-26 December): it converts at
// EUR=X's close of 23 December, not of the base date, the 26th.
func TestUSDDailyBaseAtThePairsCloseOfItsDate(t *testing.T) {
	enr := series([]time.Time{utc(2025, 12, 29, 8, 0), utc(2025, 12, 30, 8, 0), utc(2026, 1, 2, 8, 0)}, 269.11, 267.59, 271.57)
	enr.PreviousClose = 260.11
	asOf := utc(2026, 1, 26, 15, 0)
	in := Input{Range: feeds.Range1M, AsOf: asOf, Currency: USD,
		Quotes: map[string]feeds.Quote{
			"ENR.DE": {Price: 280, PreviousClose: 279, Currency: "EUR", ExchangeTZ: "Europe/Berlin", QuoteTime: asOf},
			"EUR=X":  {Price: 0.87, PreviousClose: 0.8754, Currency: "EUR", ExchangeTZ: "Europe/London", QuoteTime: asOf},
		},
		Series: map[string]feeds.Series{"ENR.DE": enr, "EUR=X": eurDaily()},
		Daily:  map[string]feeds.Series{"EUR=X": eurDaily()},
		Set:    oneSymbol("ENR.DE")}
	row := Compute(in).Segments[0].Symbols[0]
	assertOpt(t, "base", row.Base, 260.11/0.9171)
	assertOpt(t, "return", row.RangeReturn, 100*((280/0.87)/(260.11/0.9171)-1))
}

// TestRotationMapConvertsEachCloseAtItsOwnDate: on a benchmark session
// when Xetra is shut (24 December), ENR.DE's value on the map is its close
// of the 23rd, converted at EUR=X's close of the 23rd, not of the 24th.
func TestRotationMapConvertsEachCloseAtItsOwnDate(t *testing.T) {
	var spy, enr, eur feeds.Series
	for d := utc(2025, 11, 3, 0, 0); !d.After(utc(2025, 12, 31, 0, 0)); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || d.Day() == 25 && d.Month() == 12 {
			continue
		}
		spy.Times, spy.Closes = append(spy.Times, d.Add(14*time.Hour+30*time.Minute)), append(spy.Closes, 600)
		eur.Times, eur.Closes = append(eur.Times, d), append(eur.Closes, 0.80+float64(d.YearDay())/1000)
		if d.Month() == 12 && d.Day() == 24 || d.Month() == 12 && d.Day() == 26 || d.Month() == 12 && d.Day() == 31 {
			continue
		}
		enr.Times, enr.Closes = append(enr.Times, d.Add(8*time.Hour)), append(enr.Closes, 100)
	}
	in := Input{Range: feeds.Range1M, AsOf: utc(2025, 12, 31, 20, 0), Currency: USD,
		Quotes: map[string]feeds.Quote{
			"SPY":    {Price: 600, Currency: "USD", ExchangeTZ: "America/New_York"},
			"ENR.DE": {Price: 100, Currency: "EUR", ExchangeTZ: "Europe/Berlin"},
			"EUR=X":  {Price: 0.80 + 365.0/1000, Currency: "EUR", ExchangeTZ: "UTC"},
		},
		Daily:     map[string]feeds.Series{"SPY": spy, "ENR.DE": enr, "EUR=X": eur},
		Benchmark: "SPY",
		Set:       oneSymbol("ENR.DE")}
	in.Series = in.Daily
	rm := newComputer(in).newRotation()
	if rm.problem != "" {
		t.Fatal(rm.problem)
	}
	v := rm.valuesOf("ENR.DE")
	rate := func(d time.Time) float64 { return 0.80 + float64(d.YearDay())/1000 }
	for i, d := range rm.sessions {
		made := d
		if d.Day() == 24 || d.Day() == 26 || d.Day() == 31 {
			made = d.AddDate(0, 0, -1)
			if d.Day() == 26 {
				made = d.AddDate(0, 0, -3) // the 23rd; the 25th is no session
			}
		}
		assertNear(t, "ENR.DE on "+d.Format(time.DateOnly), v[i], 100/rate(made))
	}
}
