package baskets

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// breadthInput: two training segments sharing X (up); Y is down and has no
// market cap, Z is unchanged.
func breadthInput(weighting string) Input {
	sym := func(s string) watchlists.Symbol { return watchlists.Symbol{Symbol: s, Weight: 1} }
	set := watchlists.Set{Segments: []watchlists.Segment{
		{File: "a.yaml", Era: watchlists.Training, Symbols: []watchlists.Symbol{sym("X"), sym("Y")}},
		{File: "b.yaml", Era: watchlists.Training, Symbols: []watchlists.Symbol{sym("X"), sym("Z")}},
	}}
	return Input{Range: feeds.Range1D, AsOf: utc(2025, 10, 29, 20, 0), Set: set, Weighting: weighting,
		Quotes: map[string]feeds.Quote{
			"X": {Price: 110, PreviousClose: 100, Currency: "USD", MarketCap: ptr(1e9)},
			"Y": {Price: 90, PreviousClose: 100, Currency: "USD"},
			"Z": {Price: 100, PreviousClose: 100, Currency: "USD", MarketCap: ptr(1e9)},
		}}
}

// TestBreadthCountsEveryMemberOnce: an era's breadth counts each distinct
// name once, and under every weighting breadth counts every member with a
// return, in the basket or not.
func TestBreadthCountsEveryMemberOnce(t *testing.T) {
	for _, w := range []string{WeightFile, WeightEqual, WeightCap} {
		rep := Compute(breadthInput(w))
		a, b, tr := rep.Segments[0], rep.Segments[1], rep.Eras.Training
		if a.Up != 1 || a.Down != 1 || a.Unchanged != 0 {
			t.Errorf("%s: a.yaml breadth %d/%d/%d, want 1 up, 1 down (Y, out of a cap basket, still down)", w, a.Up, a.Down, a.Unchanged)
		}
		if b.Up != 1 || b.Down != 0 || b.Unchanged != 1 {
			t.Errorf("%s: b.yaml breadth %d/%d/%d, want 1/0/1", w, b.Up, b.Down, b.Unchanged)
		}
		if tr.Up != 1 || tr.Down != 1 || tr.Unchanged != 1 || tr.Segments != 2 {
			t.Errorf("%s: training breadth %d/%d/%d over %d segments, want X once: 1/1/1 over 2", w, tr.Up, tr.Down, tr.Unchanged, tr.Segments)
		}
		js, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(js), `"unchanged":`); n != 4 { // two segments, two eras
			t.Errorf("%s: %d unchanged fields in the JSON, want 4", w, n)
		}
	}
}
