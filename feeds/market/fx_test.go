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
		{"DKK", "DKK=X", 1}, {"HKD", "HKD=X", 1},
	}
	for _, c := range cases {
		sym, per := FX(c.cur)
		if sym != c.sym || per != c.per {
			t.Errorf("FX(%q) = %q, %v; want %q, %v", c.cur, sym, per, c.sym, c.per)
		}
	}
}

// TestToUSD works each case out by hand from the rate's meaning: units of
// the major currency per US dollar.
func TestToUSD(t *testing.T) {
	cases := []struct {
		price float64
		cur   string
		rate  float64
		want  float64
		why   string
	}{
		{1000, "GBp", 0.8, 12.5, "1000p = £10; at £0.80 per $ that is $12.50"},
		{10, "GBP", 0.8, 12.5, "£10 at £0.80 per $"},
		{150000, "KRW", 1500, 100, "₩150,000 at ₩1,500 per $"},
		{92, "EUR", 0.92, 100, "€92 at €0.92 per $"},
		{3000, "JPY", 150, 20, "¥3,000 at ¥150 per $"},
		{42, "USD", 0, 42, "dollars need no rate"},
	}
	for _, c := range cases {
		got, err := ToUSD(c.price, c.cur, c.rate)
		if err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("ToUSD(%v %s at %v) = %v, %v; want %v (%s)", c.price, c.cur, c.rate, got, err, c.want, c.why)
		}
	}
	if _, err := ToUSD(100, "JPY", 0); err == nil {
		t.Error("ToUSD with a zero JPY rate succeeded, want an error asking for JPY=X")
	}
}
