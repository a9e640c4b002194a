package baskets

import (
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
)

// TestJumpBoundary: a price at or beyond 3x, or at or below a third, of the
// previous close is left out and flagged (figures.md: "tripled or lost two
// thirds"); just inside is kept with no flag.
func TestJumpBoundary(t *testing.T) {
	for _, c := range []struct {
		prev, price float64
		kept        bool
	}{
		{100, 299.9999, true}, {100, 300, false}, {100, 301, false},
		{300, 100.00002, true}, {300, 100, false}, {300, 99, false},
		{1, 2.999999, true}, {1, 3, false}, {1, 0.3333334, true}, {3, 1, false},
	} {
		in := Input{Range: feeds.Range1D, AsOf: utc(2025, 10, 29, 20, 0), Set: oneSymbol("X"),
			Quotes: map[string]feeds.Quote{"X": {Price: c.price, PreviousClose: c.prev}}}
		row := Compute(in).Segments[0].Symbols[0]
		if row.RangeReturn.Valid != c.kept || row.Price.Valid != c.kept {
			t.Errorf("%v after a close of %v: return %v, price %v; want kept %v", c.price, c.prev, row.RangeReturn, row.Price, c.kept)
		}
		if flagged := strings.Contains(row.Flag, "not believable"); flagged == c.kept {
			t.Errorf("%v after a close of %v: flag %q", c.price, c.prev, row.Flag)
		}
	}
}
