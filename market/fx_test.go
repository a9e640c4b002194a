package market

import (
	"math"
	"testing"
)

func TestFXSymbols(t *testing.T) {
	cases := []struct {
		cur, sym string
		per      float64
	}{
		{"USD", "", 1}, {"", "", 1}, {"KRW", "KRW=X", 1}, {"JPY", "JPY=X", 1}, {"TWD", "TWD=X", 1},
		{"EUR", "EUR=X", 1}, {"GBp", "GBP=X", 100}, {"GBP", "GBP=X", 1}, {"CHF", "CHF=X", 1},
		{"DKK", "DKK=X", 1}, {"HKD", "HKD=X", 1}, {"ZAc", "ZAR=X", 100}, {"ILA", "ILS=X", 100}, {"ZAR", "ZAR=X", 1},
	}
	for _, c := range cases {
		sym, per := FX(c.cur)
		if sym != c.sym || per != c.per {
			t.Errorf("FX(%q) = %q, %v; want %q, %v", c.cur, sym, per, c.sym, c.per)
		}
	}
}

// TestConversion works each case out by hand from the rate's meaning:
// units of the major currency per US dollar.
func TestConversion(t *testing.T) {
	cases := []struct {
		price          float64
		cur, display   string
		fromRt, toRate float64
		want           float64
		why            string
	}{
		{1000, "GBp", "USD", 0.8, 0, 12.5, "1000p = £10; at £0.80 per $ that is $12.50"},
		{10, "GBP", "USD", 0.8, 0, 12.5, "£10 at £0.80 per $"},
		{150000, "KRW", "USD", 1500, 0, 100, "₩150,000 at ₩1,500 per $"},
		{92, "EUR", "USD", 0.92, 0, 100, "€92 at €0.92 per $"},
		{3000, "JPY", "USD", 150, 0, 20, "¥3,000 at ¥150 per $"},
		{42, "USD", "USD", 0, 0, 42, "dollars need no rate"},
		{5000, "ZAc", "USD", 18, 0, 50 / 18.0, "5000 cents = R50 at R18 per $"},
		{2000, "ILA", "USD", 3.6, 0, 20 / 3.6, "2000 agorot = ₪20 at ₪3.60 per $"},
		{100, "USD", "EUR", 0, 0.9, 90, "$100 at €0.90 per $"},
		{3000, "JPY", "EUR", 150, 0.9, 18, "¥3,000 = $20 = €18"},
		{50, "EUR", "EUR", 0, 0, 50, "a euro line in euros needs no rate"},
		{1000, "GBp", "GBP", 0, 0, 10, "1000p in pounds needs no rate"},
	}
	for _, c := range cases {
		conv := ConversionTo(c.cur, c.display)
		got := c.price * conv.Factor(c.fromRt, c.toRate)
		if math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%v %s in %s at %v/%v = %v; want %v (%s)", c.price, c.cur, c.display, c.fromRt, c.toRate, got, c.want, c.why)
		}
	}
	if f := ConversionTo("JPY", "USD").Factor(0, 0); f != 0 {
		t.Errorf("JPY with no rate converts with factor %v, want 0 (unknown)", f)
	}
	if f := ConversionTo("USD", "EUR").Factor(0, 0); f != 0 {
		t.Errorf("USD to EUR with no EUR rate converts with factor %v, want 0 (unknown)", f)
	}
}

func TestIsPair(t *testing.T) {
	for sym, want := range map[string]bool{"JPY=X": true, "eurusd=x": true, "NVDA": false, "X": false, "": false, "ENR.DE": false} {
		if got := IsPair(sym); got != want {
			t.Errorf("IsPair(%q) = %v, want %v", sym, got, want)
		}
	}
}
