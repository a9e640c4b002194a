package ui

import (
	"testing"
	"time"

	"github.com/rotation-dev/rotation/baskets"
)

func TestFormats(t *testing.T) {
	checks := []struct{ got, want string }{
		{pct(baskets.Some(1.234)), "▲ +1.23%"},
		{pct(baskets.Some(-0.5)), "▼ -0.50%"},
		{pct(baskets.Some(0)), "· 0.00%"},
		{pct(baskets.None), "—"},
		{points(baskets.Some(3.1)), "+3.10 pp"},
		{fmtPrice(181.456), "181.46"},
		{fmtPrice(1234.56), "1,234.6"},
		{fmtPrice(215000), "215,000"},
		{fmtPrice(-12345678), "-12,345,678"},
		{fmtPrice(0.9213), "0.9213"},
		{signedChange(baskets.Some(2.5), baskets.Some(181.5)), "+2.50"},
		{signedChange(baskets.Some(0.62), baskets.Some(131.24)), "+0.62"},
		{signedChange(baskets.Some(-0.0031), baskets.Some(0.9213)), "-0.0031"},
		{signedChange(baskets.Some(6390), baskets.Some(171717)), "+6,390"},
		{signedChange(baskets.Some(-605), baskets.Some(103677)), "-605"},
		{signedChange(baskets.Some(62), baskets.Some(7012)), "+62.0"},
		{signedChange(baskets.Some(-0.001), baskets.Some(171717)), "0"}, // rounds to nothing: no sign
		{signedChange(baskets.None, baskets.Some(1)), "—"},
		{span(2*time.Hour + 13*time.Minute), "2h13m"},
		{span(3 * time.Minute), "3m"},
		{span(50 * time.Hour), "2d2h"},
		{sparkline([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 8), "▁▂▃▄▅▆▇█"},
		{sparkline([]float64{1, 8, 1, 8}, 2), "▅▅"}, // flat after resampling: both buckets end at 8
		{sparkline([]float64{5, 5}, 4), "  ▅▅"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

func TestNoNegativeZero(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{pct(baskets.Some(-0.001)), "· 0.00%"}, {pct(baskets.Some(-0.006)), "▼ -0.01%"},
		{points(baskets.Some(-0.004)), "0.00 pp"}, {compactPoints(baskets.Some(-0.04)), "0.0"},
		{signed(-0.04, 1), "0.0"}, {signed(0.05, 1), "+0.1"}, {pct(baskets.Some(1.234)), "▲ +1.23%"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// From 1,000 up a return or a spread drops its decimals rather than be cut.
func TestFiguresFromAThousandDropTheirDecimals(t *testing.T) {
	for _, c := range []struct {
		v          float64
		pct, point string
	}{{999.994, "▲ +999.99%", "+999.99 pp"}, {999.995, "▲ +1000%", "+1000 pp"}, {1318.34, "▲ +1318%", "+1318 pp"}, {-1255.93, "▼ -1256%", "-1256 pp"}} {
		if got := pct(baskets.Percent(c.v)); got != c.pct {
			t.Errorf("pct(%v) = %q, want %q", c.v, got, c.pct)
		}
		if got := points(baskets.Percent(c.v)); got != c.point {
			t.Errorf("points(%v) = %q, want %q", c.v, got, c.point)
		}
	}
}
