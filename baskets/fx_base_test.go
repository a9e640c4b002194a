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
// pair's 1D series begins: the pair's previous close converts it.
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
