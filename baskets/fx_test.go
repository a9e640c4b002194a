package baskets

import (
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// fxInput is a 1D market of a London line in pence, a Seoul line in won and
// an Amsterdam line in euros, whose EUR=X rate is missing.
func fxInput(currency string) Input {
	q := func(price, prev float64, cur string) feeds.Quote {
		return feeds.Quote{Price: price, PreviousClose: prev, Currency: cur}
	}
	return Input{Range: feeds.Range1D, AsOf: utc(2025, 10, 29, 20, 0), Currency: currency,
		Quotes: map[string]feeds.Quote{
			"RR.L":      q(500, 480, "GBp"),
			"GBP=X":     q(0.8, 0.75, "GBP"), // pounds per dollar
			"005930.KS": q(70000, 70700, "KRW"),
			"KRW=X":     q(1400, 1414, "KRW"),
			"ASML.AS":   q(700, 690, "EUR"),
			"SPY":       q(600, 600, "USD"),
		},
		Set: watchlists.Set{Segments: []watchlists.Segment{{File: "fx.yaml", Era: watchlists.Training,
			Symbols: []watchlists.Symbol{{Symbol: "RR.L", Weight: 1}, {Symbol: "005930.KS", Weight: 1}, {Symbol: "ASML.AS", Weight: 1}}}}}}
}

func TestUSDConversion(t *testing.T) {
	seg := Compute(fxInput(USD)).Segments[0]
	rr := symbolRow(t, seg, "RR.L")
	// 500 pence at 0.8 pounds per dollar: 500 / (0.8 * 100) = 6.25 dollars;
	// the previous close 480 at 0.75: 6.40 dollars; -2.34375 % in dollars.
	assertOpt(t, "RR.L price", rr.Price, 6.25)
	assertOpt(t, "RR.L previous close", rr.PreviousClose, 6.4)
	assertOpt(t, "RR.L return", rr.RangeReturn, -2.34375)
	assertOpt(t, "RR.L change", rr.Change, -0.15)
	ks := symbolRow(t, seg, "005930.KS")
	// 70000 / 1400 = 50 = 70700 / 1414: flat in dollars.
	assertOpt(t, "005930.KS price", ks.Price, 50)
	assertOpt(t, "005930.KS return", ks.RangeReturn, 0)
	if rr.Currency != "USD" || ks.Currency != "USD" {
		t.Errorf("currencies %q %q in USD mode", rr.Currency, ks.Currency)
	}
	as := symbolRow(t, seg, "ASML.AS")
	if as.RangeReturn.Valid || as.Price.Valid || !strings.Contains(as.Flag, "EUR=X") {
		t.Errorf("ASML.AS without EUR=X: return %v price %v flag %q", as.RangeReturn, as.Price, as.Flag)
	}
	assertOpt(t, "basket", seg.Return, (-2.34375+0)/2)
	if seg.Coverage != (Coverage{Priced: 2, Total: 3}) || seg.Unchanged != 1 || seg.Down != 1 {
		t.Errorf("coverage %+v, breadth %d down %d unchanged", seg.Coverage, seg.Down, seg.Unchanged)
	}
	ix, _ := seg.Index.Last()
	assertNear(t, "I_last", ix, 100-2.34375/2)
}

func TestLocalCurrencyLeavesPricesAlone(t *testing.T) {
	seg := Compute(fxInput(Local)).Segments[0]
	rr := symbolRow(t, seg, "RR.L")
	assertOpt(t, "RR.L price", rr.Price, 500)
	assertOpt(t, "RR.L return", rr.RangeReturn, 100*(500.0/480-1))
	if rr.Currency != "GBp" {
		t.Errorf("currency %q, want GBp", rr.Currency)
	}
	assertOpt(t, "ASML.AS return", symbolRow(t, seg, "ASML.AS").RangeReturn, 100*(700.0/690-1))
	if seg.Coverage.Priced != 3 {
		t.Errorf("coverage %+v", seg.Coverage)
	}
}

// TestUSDConversionDaily: each side of a 1M return is converted at its own
// date, the base with the rate on the base date.
func TestUSDConversionDaily(t *testing.T) {
	tw := func(m time.Month, d int) time.Time { return utc(2025, m, d, 1, 0) }
	in := Input{Range: feeds.Range1M, AsOf: utc(2025, 10, 29, 20, 0), Currency: "usd",
		Quotes: map[string]feeds.Quote{
			"2330.TW": {Price: 1100, Currency: "TWD", ExchangeTZ: "Asia/Taipei"},
			"TWD=X":   {Price: 32, Currency: "TWD", ExchangeTZ: "Europe/London"},
		},
		Series: map[string]feeds.Series{
			// Taipei's date at asOf is already 10-30, so its base date is 09-30
			// (no bar: 09-29 is used); London's base date is 09-29.
			"2330.TW": series([]time.Time{tw(9, 29), tw(10, 1)}, 1000, 1050),
			// FX days start at midnight London (23:00 UTC in summer): 09-26, 09-29, 10-01.
			"TWD=X": series([]time.Time{utc(2025, 9, 25, 23, 0), utc(2025, 9, 28, 23, 0), utc(2025, 9, 30, 23, 0)}, 29, 30, 31),
		},
		Set: oneSymbol("2330.TW")}
	row := Compute(in).Segments[0].Symbols[0]
	// 1100 / 32 = 34.375 now, 1000 / 30 = 33.33 at the base: +3.125 %.
	assertOpt(t, "base", row.Base, 1000.0/30)
	assertOpt(t, "return", row.RangeReturn, 3.125)
}
