package baskets

import (
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestWorkedExample reproduces the worked example of doc.go, number by number.
func TestWorkedExample(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return utc(2025, m, d, 13, 30) }
	// The close of 2025-09-29 (the base), and of 2025-10-10 when given.
	daily := func(closes ...float64) feeds.Series {
		return series([]time.Time{day(9, 29), day(10, 10)}[:len(closes)], closes...)
	}
	quote := func(p float64) feeds.Quote {
		return feeds.Quote{Price: p, Currency: "USD", ExchangeTZ: "America/New_York"}
	}
	in := Input{Range: feeds.Range1M, AsOf: utc(2025, 10, 29, 20, 0),
		Quotes: map[string]feeds.Quote{"NVDA": quote(198), "AMD": quote(152), "MU": quote(104), "AVGO": quote(112), "SPY": quote(510)},
		Series: map[string]feeds.Series{"NVDA": daily(180, 189), "AMD": daily(160, 168), "MU": daily(100), "AVGO": daily(100), "SPY": daily(500)},
		Set: watchlists.Set{Segments: []watchlists.Segment{
			{File: "10-gpus.yaml", Name: "GPUs", Era: watchlists.Training, Symbols: []watchlists.Symbol{{Symbol: "NVDA", Weight: 2}, {Symbol: "AMD", Weight: 1}}},
			{File: "20-hbm.yaml", Name: "HBM", Era: watchlists.Training, Symbols: []watchlists.Symbol{{Symbol: "MU", Weight: 1}}},
			{File: "50-asic.yaml", Name: "ASICs", Era: watchlists.Inference, Symbols: []watchlists.Symbol{{Symbol: "AVGO", Weight: 1}, {Symbol: "MRVL", Weight: 1}}},
		}}}
	rep := Compute(in)
	assertOpt(t, "SPY", rep.Benchmark.Return, 2)
	gpus := segmentByFile(t, rep, "10-gpus.yaml")
	assertOpt(t, "NVDA", symbolRow(t, gpus, "NVDA").RangeReturn, 10)
	assertOpt(t, "AMD", symbolRow(t, gpus, "AMD").RangeReturn, -5)
	assertOpt(t, "GPUs", gpus.Return, 5)
	assertOpt(t, "GPUs excess", gpus.Excess, 3)
	assertOpt(t, "HBM", segmentByFile(t, rep, "20-hbm.yaml").Return, 4)
	asics := segmentByFile(t, rep, "50-asic.yaml")
	assertOpt(t, "ASICs", asics.Return, 12)
	if asics.Coverage != (Coverage{Priced: 1, Total: 2}) {
		t.Errorf("ASICs coverage %+v", asics.Coverage)
	}
	assertOpt(t, "training", rep.Eras.Training.Return, 4.5)
	assertOpt(t, "training excess", rep.Eras.Training.Excess, 2.5)
	assertOpt(t, "inference", rep.Eras.Inference.Return, 12)
	assertOpt(t, "inference excess", rep.Eras.Inference.Excess, 10)
	assertOpt(t, "spread", rep.Eras.Spread, 7.5)
	assertNear(t, "GPUs index on 10-10", indexAt(t, gpus.Index, utc(2025, 10, 10, 0, 0)), 105)
	last, _ := gpus.Index.Last()
	assertNear(t, "GPUs index now", last, 105)
}
