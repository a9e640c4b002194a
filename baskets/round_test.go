package baskets

import "testing"

// TestFixedRoundsHalfAwayFromZero: the one rounding of every percent shown
// with fixed decimals, on the number's shortest decimal form.
func TestFixedRoundsHalfAwayFromZero(t *testing.T) {
	for _, c := range []struct {
		v        float64
		decimals int
		want     string
	}{
		{48.5, 0, "49"}, {-48.5, 0, "-49"}, {47.5, 0, "48"}, {48.4999, 0, "48"},
		{0.125, 2, "0.13"}, {-0.125, 2, "-0.13"}, {1.005, 2, "1.01"}, {2.675, 2, "2.68"},
		{9.995, 2, "10.00"}, {99.95, 1, "100.0"}, {48.25, 1, "48.3"}, {12, 2, "12.00"},
		{0, 2, "0.00"}, {1e-7, 2, "0.00"}, {123456.5, 0, "123457"},
	} {
		if got := Fixed(c.v, c.decimals); got != c.want {
			t.Errorf("Fixed(%v, %d) = %q, want %q", c.v, c.decimals, got, c.want)
		}
	}
	if got := RoundHalfAway(48.5, 0); got != 49 {
		t.Errorf("RoundHalfAway(48.5, 0) = %v, want 49", got)
	}
	if got := RoundHalfAway(-0.125, 2); got != -0.13 {
		t.Errorf("RoundHalfAway(-0.125, 2) = %v, want -0.13", got)
	}
}
