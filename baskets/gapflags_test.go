package baskets

import (
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// twoSessions is a 1D series of X: hourly bars on 28 and 29 October, the
// 28th closing at 100, the 29th rising to 105.
func twoSessions() feeds.Series {
	var s feeds.Series
	for _, d := range []int{28, 29} {
		for h := 14; h < 20; h++ {
			c := 100.0
			if d == 29 {
				c = 100 + float64(h-14)
			}
			s.Times, s.Closes = append(s.Times, utc(2025, 10, d, h, 0)), append(s.Closes, c)
		}
	}
	return s
}

func hasFlag(row SymbolResult, words ...string) bool {
	for _, f := range row.Flags {
		all := true
		for _, w := range words {
			all = all && strings.Contains(f, w)
		}
		if all {
			return true
		}
	}
	return false
}

// TestEveryGapSaysWhy: each null figure, and each figure built on a stand-in,
// carries a flag naming the input missing or refused, under every weighting.
func TestEveryGapSaysWhy(t *testing.T) {
	for _, w := range []string{WeightFile, WeightEqual, WeightCap} {
		in := Input{Range: feeds.Range1D, AsOf: utc(2025, 10, 29, 20, 0), Weighting: w,
			Set: watchlists.Set{Segments: []watchlists.Segment{{File: "a.yaml", Era: watchlists.Training,
				Symbols: []watchlists.Symbol{{Symbol: "X", Weight: 1}, {Symbol: "Y", Weight: 1}, {Symbol: "Z", Weight: 1}}}}},
			Series: map[string]feeds.Series{"X": twoSessions(), "Z": twoSessions()},
			Quotes: map[string]feeds.Quote{
				// A refused price and no previous close: the price is the last
				// close and the 1D base the series' close of the 28th.
				"X": {Price: 0, PreviousClose: 0, Currency: "USD", MarketCap: ptr(1e9), Volume: 10, AverageVolume3Month: ptr(10)},
				// Priced, but no cap and no volumes in the quote.
				"Y": {Price: 110, PreviousClose: 100, Currency: "USD"},
			}}
		seg := Compute(in).Segments[0]
		x, y, z := seg.Symbols[0], seg.Symbols[1], seg.Symbols[2]
		assertOpt(t, w+" X 1D return on the series' previous close", x.RangeReturn, 5)
		if x.PreviousClose.Valid || x.ChangePercent.Valid {
			t.Errorf("%s: X previous close %v, change %v; want null", w, x.PreviousClose, x.ChangePercent)
		}
		if !hasFlag(x, "price") || !hasFlag(x, "no previous close") || !hasFlag(x, "1D", "series") {
			t.Errorf("%s: X flags %q; want the refused price, the missing previous close and the 1D base's stand-in", w, x.Flags)
		}
		if !hasFlag(y, "market cap") || !hasFlag(y, "volume") {
			t.Errorf("%s: Y flags %q; want its null market cap and relative volume explained", w, y.Flags)
		}
		if n := strings.Count(strings.Join(y.Flags, "|"), "market cap"); n != 1 {
			t.Errorf("%s: Y flags %q name the market cap %d times", w, y.Flags, n)
		}
		// No quote at all: the price is the last close, and every figure a
		// quote gives is null for that one reason.
		if !z.RangeReturn.Valid || !hasFlag(z, "no quote") {
			t.Errorf("%s: Z (no quote) return %v, flags %q", w, z.RangeReturn, z.Flags)
		}
	}
}
