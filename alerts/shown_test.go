package alerts

import (
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestQuadrantOfAnUnpricedSegmentIsUnknown: a segment with no priced member
// today has no place on the map, so a quadrant rule on it (or on its era,
// priced nowhere else) is unknown and the tracker leaves it as it was, though
// the daily closes alone would place it.
func TestQuadrantOfAnUnpricedSegmentIsUnknown(t *testing.T) {
	daily := func(f func(i int) float64) feeds.Series {
		var s feeds.Series
		for d := time.Date(2025, 10, 1, 13, 30, 0, 0, time.UTC); len(s.Times) < 20; d = d.AddDate(0, 0, 1) {
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				s.Times, s.Closes = append(s.Times, d), append(s.Closes, f(len(s.Times)))
			}
		}
		return s
	}
	in := baskets.Input{Range: feeds.Range1D, AsOf: time.Date(2025, 10, 29, 20, 0, 0, 0, time.UTC),
		Daily: map[string]feeds.Series{"SPY": daily(func(int) float64 { return 400 }), "X": daily(func(i int) float64 { return 100 + float64(i) })},
		Set: watchlists.Set{Segments: []watchlists.Segment{{File: "x.yaml", Name: "X", Era: watchlists.Inference,
			Symbols: []watchlists.Symbol{{Symbol: "X", Weight: 1}}}}}}
	rep := baskets.Compute(in)
	rules := []Rule{
		{When: WhenQuadrant, Segment: "X", Enters: "leading"}, {When: WhenQuadrant, Segment: "X", Enters: "weakening"},
		{When: WhenQuadrant, Era: "inference", Enters: "weakening"},
	}
	tr := &Tracker{state: map[string]entry{}}
	for _, rd := range Evaluate(rules, rep, nil) {
		if rd.Known() || rd.Holds || rd.Quadrant != "" {
			t.Errorf("%s: known %v, holds %v, quadrant %q; want unknown", rd.Rule, rd.Known(), rd.Holds, rd.Quadrant)
		}
	}
	if fired := tr.Observe(Evaluate(rules, rep, nil), in.AsOf); len(fired) != 0 {
		t.Errorf("fired %v on an unpriced segment", fired)
	}
}

// TestChangeInTheDisplayCurrency: with a display currency the change rule
// compares the day change the table shows, in that currency, and says so.
func TestChangeInTheDisplayCurrency(t *testing.T) {
	rep := report()
	rep.Currency = baskets.USD
	rep.Segments[0].Symbols = []baskets.SymbolResult{{Symbol: "VOD.L", Currency: "USD", ChangePercent: baskets.Percent(4.5)}}
	qs := map[string]feeds.Quote{
		"VOD.L": {Symbol: "VOD.L", Price: 74.5, PreviousClose: 71.6, Currency: "GBp"}, // +4.05 % in pence
		"SPY":   {Symbol: "SPY", Price: 101, PreviousClose: 100, Currency: "USD"},     // in no segment, already in dollars
		"ASML":  {Symbol: "ASML", Price: 101, PreviousClose: 100, Currency: "EUR"},    // in no segment, not convertible here
	}
	rules := []Rule{
		{When: WhenChange, Symbol: "VOD.L", Above: ptr(4.2)},
		{When: WhenChange, Symbol: "SPY", Above: ptr(0.5)},
		{When: WhenChange, Symbol: "ASML", Above: ptr(0.5)},
	}
	got := Evaluate(rules, rep, qs)
	if rd := got[0]; !rd.Holds || !near(rd.Value.Value, 4.5) || rd.Message != "VOD.L change in USD 4.50% is above 4.2%" {
		t.Errorf("VOD.L: holds %v, value %v, %q; want the dollar change, 4.50%%, said to be in USD", rd.Holds, rd.Value, rd.Message)
	}
	if rd := got[1]; !rd.Holds || !near(rd.Value.Value, 1) || !strings.Contains(rd.Message, "in USD") {
		t.Errorf("SPY: holds %v, value %v, %q", rd.Holds, rd.Value, rd.Message)
	}
	if rd := got[2]; rd.Known() || rd.Message != "ASML change in USD is unknown" {
		t.Errorf("ASML: value %v, %q; want unknown, not its euro change", rd.Value, rd.Message)
	}
	// In local mode the quote's own change, as before.
	rep.Currency = baskets.Local
	if rd := Evaluate(rules[:1], rep, qs)[0]; rd.Holds || rd.Message != "VOD.L change 4.05% is not above 4.2%" {
		t.Errorf("local VOD.L: %q", rd.Message)
	}
}
