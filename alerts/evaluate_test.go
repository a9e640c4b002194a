package alerts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
)

func ptr(v float64) *float64 { return &v }

// report is a hand-built report: current range 1M, horizons for 1D and 5D
// (1M's horizon deliberately missing so the fallback to Eras.Spread shows).
func report() baskets.Report {
	return baskets.Report{
		Range: feeds.Range1M,
		Feed:  baskets.FeedInfo{Name: "yahoo", State: feeds.StateLive},
		Eras: baskets.Eras{
			Training:  baskets.EraResult{RelativeVolume: baskets.Some(0.8), Rotation: baskets.Rotation{Quadrant: baskets.Lagging}},
			Inference: baskets.EraResult{RelativeVolume: baskets.Some(1.7), Rotation: baskets.Rotation{Quadrant: baskets.Leading}},
			Spread:    baskets.Some(2.4),
		},
		Horizons: []baskets.Horizon{
			{Range: feeds.Range1D, Spread: baskets.Some(-0.5)},
			{Range: feeds.Range5D, Spread: baskets.None},
		},
		Also: []baskets.Horizon{{Range: "2025-01-27", Spread: baskets.Some(22.3)}},
		Segments: []baskets.SegmentResult{
			{File: "12-hbm.yaml", Name: "HBM", RelativeVolume: baskets.Some(2.31), Rotation: baskets.Rotation{Quadrant: baskets.Improving}},
			{File: "30-optics.yaml", Name: "Optics and interconnect", RelativeVolume: baskets.None, Rotation: baskets.Rotation{Quadrant: baskets.Leading}},
			{File: "40-power.yaml", Name: "Power"}, // no rotation map yet
		},
	}
}

func quotes() map[string]feeds.Quote {
	return map[string]feeds.Quote{
		"NVDA":   {Symbol: "NVDA", Price: 201.3, PreviousClose: 190, Volume: 300, AverageVolume3Month: ptr(100)},
		"AMD":    {Symbol: "AMD", Price: 94.6, PreviousClose: 100, Volume: 0, AverageVolume3Month: ptr(100)},
		"KRW=X":  {Symbol: "KRW=X", Price: 0.000712, PreviousClose: 0.0007},
		"BROKEN": {Symbol: "BROKEN", Price: 0, PreviousClose: 0},
	}
}

func TestEvaluateEveryKind(t *testing.T) {
	cases := []struct {
		rule  Rule
		value baskets.Opt
		holds bool
		msg   string
	}{
		{Rule{When: WhenPrice, Symbol: "NVDA", Above: ptr(200)}, baskets.Some(201.3), true, "NVDA price 201.30 is above 200"},
		{Rule{When: WhenPrice, Symbol: "NVDA", Above: ptr(201.3)}, baskets.Some(201.3), false, "NVDA price 201.30 is not above 201.3"},
		{Rule{When: WhenPrice, Symbol: "NVDA", Above: ptr(250), Below: ptr(150)}, baskets.Some(201.3), false, "NVDA price 201.30 is within 150 to 250"},
		{Rule{When: WhenPrice, Symbol: "NVDA", Above: ptr(250), Below: ptr(210)}, baskets.Some(201.3), true, "NVDA price 201.30 is below 210"},
		{Rule{When: WhenPrice, Symbol: "KRW=X", Below: ptr(0.001)}, baskets.Some(0.000712), true, "KRW=X price 0.000712 is below 0.001"},
		{Rule{When: WhenPrice, Symbol: "TSM", Above: ptr(1)}, baskets.None, false, "TSM price is unknown"},
		{Rule{When: WhenPrice, Symbol: "BROKEN", Above: ptr(1)}, baskets.None, false, "BROKEN price is unknown"},
		{Rule{When: WhenChange, Symbol: "AMD", Below: ptr(-5)}, baskets.Some(-5.4), true, "AMD change -5.40% is below -5%"},
		{Rule{When: WhenChange, Symbol: "NVDA", Below: ptr(-5)}, baskets.Some(100 * (201.3/190 - 1)), false, "NVDA change 5.95% is not below -5%"},
		{Rule{When: WhenChange, Symbol: "BROKEN", Below: ptr(-5)}, baskets.None, false, "BROKEN change is unknown"},
		{Rule{When: WhenSpread, Above: ptr(2)}, baskets.Some(2.4), true, "spread 1M 2.40 pp is above 2 pp"},
		{Rule{When: WhenSpread, Range: "1M", Above: ptr(2)}, baskets.Some(2.4), true, "spread 1M 2.40 pp is above 2 pp"},
		{Rule{When: WhenSpread, Range: "1D", Below: ptr(0)}, baskets.Some(-0.5), true, "spread 1D -0.50 pp is below 0 pp"},
		{Rule{When: WhenSpread, Range: "5D", Below: ptr(0)}, baskets.None, false, "spread 5D is unknown"},
		{Rule{When: WhenSpread, Range: "1Y", Below: ptr(0)}, baskets.None, false, "spread 1Y is unknown"},
		{Rule{When: WhenRelativeVolume, Segment: "hbm", Above: ptr(2)}, baskets.Some(2.31), true, "HBM relative volume 2.31x is above 2x"},
		{Rule{When: WhenRelativeVolume, Segment: "30-optics.yaml", Above: ptr(2)}, baskets.None, false, "Optics and interconnect relative volume is unknown"},
		{Rule{When: WhenRelativeVolume, Segment: "Gone", Above: ptr(2)}, baskets.None, false, "Gone relative volume is unknown"},
		{Rule{When: WhenRelativeVolume, Era: "inference", Above: ptr(1.5)}, baskets.Some(1.7), true, "inference era relative volume 1.70x is above 1.5x"},
		{Rule{When: WhenRelativeVolume, Era: "training", Above: ptr(1.5)}, baskets.Some(0.8), false, "training era relative volume 0.80x is not above 1.5x"},
		{Rule{When: WhenRelativeVolume, Symbol: "NVDA", Above: ptr(2), Name: "Nvidia volume"}, baskets.Some(3), true, "Nvidia volume: NVDA relative volume 3.00x is above 2x"},
		{Rule{When: WhenRelativeVolume, Symbol: "AMD", Above: ptr(2)}, baskets.None, false, "AMD relative volume is unknown"},
		{Rule{When: WhenQuadrant, Segment: "Optics and interconnect", Enters: "leading"}, baskets.None, true, "Optics and interconnect is in the leading quadrant"},
		{Rule{When: WhenQuadrant, Segment: "12-hbm.yaml", Enters: "leading"}, baskets.None, false, "HBM is in the improving quadrant, not leading"},
		{Rule{When: WhenQuadrant, Segment: "Power", Enters: "leading"}, baskets.None, false, "Power has no quadrant yet (rotation map unavailable)"},
		{Rule{When: WhenQuadrant, Era: "training", Enters: "lagging"}, baskets.None, true, "training era is in the lagging quadrant"},
		{Rule{When: WhenSpread, Range: "2025-01-27", Above: ptr(20)}, baskets.Some(22.3), true, "spread 2025-01-27 22.30 pp is above 20 pp"},
	}
	rules := make([]Rule, len(cases))
	for i, c := range cases {
		rules[i] = c.rule
	}
	readings := Evaluate(rules, report(), quotes())
	if len(readings) != len(cases) {
		t.Fatalf("got %d readings for %d rules", len(readings), len(cases))
	}
	for i, c := range cases {
		rd := readings[i]
		if rd.Value.Valid != c.value.Valid || rd.Value.Valid && !near(rd.Value.Value, c.value.Value) {
			t.Errorf("%s: value %v, want %v", c.rule, rd.Value, c.value)
		}
		if rd.Holds != c.holds || rd.Message != c.msg {
			t.Errorf("%s: holds %v %q, want %v %q", c.rule, rd.Holds, rd.Message, c.holds, c.msg)
		}
		if rd.Holds && !rd.Known() {
			t.Errorf("%s holds but is not known", c.rule)
		}
	}
	if readings[24].Known() || !readings[23].Known() || readings[5].Known() {
		t.Errorf("Known: unplaced quadrant %v, placed quadrant %v, missing quote %v",
			readings[24].Known(), readings[23].Known(), readings[5].Known())
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// TestEvaluateMarksUnliveData: an alert from made-up or recorded prices
// must say so, or a user could trade on it.
func TestEvaluateMarksUnliveData(t *testing.T) {
	rules := []Rule{{When: WhenPrice, Symbol: "NVDA", Above: ptr(200)}}
	for _, tt := range []struct {
		feed   baskets.FeedInfo
		suffix string
	}{
		{baskets.FeedInfo{Name: "yahoo"}, "is above 200"},
		{baskets.FeedInfo{Name: "sim", Simulated: true, State: feeds.StateSimulated}, " (simulated data)"},
		{baskets.FeedInfo{Name: "auto", Simulated: true}, " (simulated data)"},
		{baskets.FeedInfo{Name: "replay", State: feeds.StateReplay}, " (replayed data)"},
		{baskets.FeedInfo{Name: "replay", Simulated: true}, " (replayed simulated data)"},
	} {
		rep := report()
		rep.Feed = tt.feed
		got := Evaluate(rules, rep, quotes())[0].Message
		if !strings.HasSuffix(got, tt.suffix) {
			t.Errorf("feed %+v: message %q, want suffix %q", tt.feed, got, tt.suffix)
		}
	}
}

// TestEvaluateStripsControls: names come from the user's files and reach
// a terminal, so escape sequences in them must not survive.
func TestEvaluateStripsControls(t *testing.T) {
	rules := []Rule{{When: WhenQuadrant, Segment: "HBM", Enters: "improving", Name: "x\x1b]0;pwned\a\ny"}}
	got := Evaluate(rules, report(), quotes())[0]
	if !got.Holds || strings.ContainsAny(got.Message, "\x1b\a\n") {
		t.Errorf("message %q", got.Message)
	}
}

// Ranges lists each spread rule's range once, for ComputeAll to measure.
func TestRangesOfTheRules(t *testing.T) {
	rules := []Rule{{When: WhenSpread, Range: "6M"}, {When: WhenSpread}, {When: WhenSpread, Range: "2025-01-27"},
		{When: WhenSpread, Range: "6M"}, {When: WhenPrice, Symbol: "NVDA"}}
	if got := fmt.Sprint(Ranges(rules)); got != "[6M 2025-01-27]" {
		t.Errorf("ranges %s", got)
	}
}
