package baskets

import (
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// flowsExample is the worked example of doc.go with the caps and volumes of
// its "Capital flows" example, under a weighting.
func flowsExample(weighting string) Input {
	day := func(m time.Month, d int) time.Time { return utc(2025, m, d, 13, 30) }
	daily := func(closes ...float64) feeds.Series {
		return series([]time.Time{day(9, 29), day(10, 10)}[:len(closes)], closes...)
	}
	quote := func(p, capUSD float64, vol int64, avg float64) feeds.Quote {
		q := feeds.Quote{Price: p, Currency: "USD", ExchangeTZ: "America/New_York", Volume: vol}
		if capUSD > 0 {
			q.MarketCap = &capUSD
		}
		if avg > 0 {
			q.AverageVolume3Month = &avg
		}
		return q
	}
	return Input{Range: feeds.Range1M, AsOf: utc(2025, 10, 29, 20, 0), Weighting: weighting,
		Quotes: map[string]feeds.Quote{
			"NVDA": quote(198, 4950e9, 250e6, 200e6), "AMD": quote(152, 247e9, 50e6, 100e6),
			"MU": quote(104, 117e9, 20e6, 25e6), "AVGO": quote(112, 1680e9, 30e6, 20e6), "SPY": quote(510, 0, 0, 0)},
		Series: map[string]feeds.Series{"NVDA": daily(180, 189), "AMD": daily(160, 168), "MU": daily(100), "AVGO": daily(100), "SPY": daily(500)},
		Set: watchlists.Set{Segments: []watchlists.Segment{
			{File: "10-gpus.yaml", Name: "GPUs", Era: watchlists.Training, Symbols: []watchlists.Symbol{{Symbol: "NVDA", Weight: 2}, {Symbol: "AMD", Weight: 1}}},
			{File: "20-hbm.yaml", Name: "HBM", Era: watchlists.Training, Symbols: []watchlists.Symbol{{Symbol: "MU", Weight: 1}}},
			{File: "50-asic.yaml", Name: "ASICs", Era: watchlists.Inference, Symbols: []watchlists.Symbol{{Symbol: "AVGO", Weight: 1}, {Symbol: "MRVL", Weight: 1}}},
		}}}
}

// TestFlowsWorkedExample reproduces the capital-flow example of doc.go and
// docs/figures.md, number by number.
func TestFlowsWorkedExample(t *testing.T) {
	rep := Compute(flowsExample(""))
	if rep.Weighting != WeightFile {
		t.Errorf("weighting %q, want file by default", rep.Weighting)
	}
	gpus, hbm, asics := segmentByFile(t, rep, "10-gpus.yaml"), segmentByFile(t, rep, "20-hbm.yaml"), segmentByFile(t, rep, "50-asic.yaml")
	nvda, amd := symbolRow(t, gpus, "NVDA"), symbolRow(t, gpus, "AMD")
	assertOpt(t, "NVDA cap", nvda.MarketCapUSD, 4950e9)
	assertOpt(t, "NVDA cap change", nvda.CapChangeUSD, 4950e9-4950e9*180/198) // 4950 - 4500 = +450B
	assertOpt(t, "NVDA cap change", nvda.CapChangeUSD, 450e9)
	assertOpt(t, "AMD cap change", amd.CapChangeUSD, -13e9) // 247 - 247*160/152 = 247 - 260
	assertOpt(t, "MU cap change", symbolRow(t, hbm, "MU").CapChangeUSD, 4.5e9)
	assertOpt(t, "AVGO cap change", symbolRow(t, asics, "AVGO").CapChangeUSD, 180e9)
	assertOpt(t, "NVDA relative volume", nvda.RelativeVolume, 1.25)
	assertOpt(t, "AMD relative volume", amd.RelativeVolume, 0.5)
	if m := symbolRow(t, asics, "MRVL"); m.MarketCapUSD.Valid || m.CapChangeUSD.Valid || m.RelativeVolume.Valid {
		t.Errorf("MRVL without data: %+v", m)
	}

	assertOpt(t, "GPUs flow", gpus.CapChangeUSD, 437e9)
	// (250M*198 + 50M*152) / (200M*198 + 100M*152) = 57,100 / 54,800 ($M)
	assertOpt(t, "GPUs relative volume", gpus.RelativeVolume, 57100.0/54800)
	assertOpt(t, "HBM flow", hbm.CapChangeUSD, 4.5e9)
	assertOpt(t, "HBM relative volume", hbm.RelativeVolume, 0.8)
	assertOpt(t, "ASICs flow", asics.CapChangeUSD, 180e9)
	assertOpt(t, "ASICs relative volume", asics.RelativeVolume, 1.5)
	if asics.FlowCoverage != (FlowCoverage{Cap: 1, Volume: 1, Total: 2}) {
		t.Errorf("ASICs flow coverage %+v", asics.FlowCoverage)
	}
	assertOpt(t, "training flow", rep.Eras.Training.CapChangeUSD, 441.5e9)
	assertOpt(t, "training relative volume", rep.Eras.Training.RelativeVolume, 59180.0/57400)
	assertOpt(t, "inference flow", rep.Eras.Inference.CapChangeUSD, 180e9)
	assertOpt(t, "inference relative volume", rep.Eras.Inference.RelativeVolume, 1.5)

	// Were NVDA listed in HBM too, HBM would count it; training still once.
	in := flowsExample("")
	in.Set.Segments[1].Symbols = append(in.Set.Segments[1].Symbols, watchlists.Symbol{Symbol: "NVDA", Weight: 1})
	twice := Compute(in)
	assertOpt(t, "HBM with NVDA", segmentByFile(t, twice, "20-hbm.yaml").CapChangeUSD, 454.5e9)
	assertOpt(t, "training with NVDA twice", twice.Eras.Training.CapChangeUSD, 441.5e9)
	if c := twice.Eras.Training.FlowCoverage; c != (FlowCoverage{Cap: 3, Volume: 3, Total: 3}) {
		t.Errorf("training flow coverage %+v, want each name once", c)
	}
}

// TestWeightingsWorkedExample reproduces the weighting example of doc.go.
func TestWeightingsWorkedExample(t *testing.T) {
	eq := Compute(flowsExample("Equal"))
	if eq.Weighting != WeightEqual {
		t.Errorf("weighting %q", eq.Weighting)
	}
	assertOpt(t, "equal GPUs", segmentByFile(t, eq, "10-gpus.yaml").Return, 2.5) // (10 - 5) / 2
	assertOpt(t, "equal training", eq.Eras.Training.Return, 3.25)                // (2.5 + 4) / 2
	assertOpt(t, "equal inference", eq.Eras.Inference.Return, 12)
	assertOpt(t, "equal spread", eq.Eras.Spread, 8.75)

	cp := Compute(flowsExample(WeightCap))
	gpus := segmentByFile(t, cp, "10-gpus.yaml")
	assertOpt(t, "NVDA cap at base", symbolRow(t, gpus, "NVDA").BasketWeight, 4500e9)
	assertOpt(t, "AMD cap at base", symbolRow(t, gpus, "AMD").BasketWeight, 260e9)
	assertOpt(t, "cap GPUs", gpus.Return, 43700.0/4760) // (4500*10 + 260*-5) / 4760 = +9.18 %
	assertOpt(t, "cap HBM", segmentByFile(t, cp, "20-hbm.yaml").Return, 4)
	// One basket over NVDA, AMD and MU: (45,000 - 1,300 + 450) / 4,872.5,
	// which is also 100 * 441.5 / 4,872.5, the flow over the cap at the base.
	assertOpt(t, "cap training", cp.Eras.Training.Return, 44150.0/4872.5)
	assertOpt(t, "cap training from flows", cp.Eras.Training.Return, 100*441.5/4872.5)
	assertOpt(t, "cap inference", cp.Eras.Inference.Return, 12)
	assertOpt(t, "cap spread", cp.Eras.Spread, 12-44150.0/4872.5)
	if s := segmentByFile(t, cp, "50-asic.yaml"); s.Coverage != (Coverage{Priced: 1, Total: 2}) {
		t.Errorf("cap ASICs coverage %+v", s.Coverage)
	}
	// Both GPUs names are up 5 % on 10-10: 105 under every weighting.
	for _, rep := range []Report{Compute(flowsExample("")), eq, cp} {
		g := segmentByFile(t, rep, "10-gpus.yaml")
		assertNear(t, rep.Weighting+" GPUs index on 10-10", indexAt(t, g.Index, utc(2025, 10, 10, 0, 0)), 105)
		last, _ := g.Index.Last()
		assertNear(t, rep.Weighting+" GPUs index now", last, 100+g.Return.Value)
		last, _ = rep.Eras.Training.Index.Last()
		assertNear(t, rep.Weighting+" training index now", last, 100+rep.Eras.Training.Return.Value)
	}
}
