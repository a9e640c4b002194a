package ui

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// fixtureSegment describes one hand-made segment of fixtureReport: its
// drift over the range and where it sits on the rotation map.
type fixtureSegment struct {
	name     string
	era      watchlists.Era
	symbols  []string
	drift    float64 // % over the range, before noise
	ratio    float64 // rotation map position; NaN for "no rotation"
	momentum float64
	priced   int // members with a range return; 0 means all
}

var fixtureSegments = []fixtureSegment{
	{"GPUs & accelerators", watchlists.Training, []string{"NVDA", "AMD", "AVGO", "MRVL", "INTC"}, 6, 101.8, 98.6, 0},
	{"Foundry", watchlists.Training, []string{"TSM", "GFS", "UMC", "005930.KS"}, 2, 100.9, 97.9, 0},
	{"HBM & memory", watchlists.Training, []string{"MU", "000660.KS", "005930.KS"}, -4, 98.7, 98.2, 0},
	{"Advanced packaging", watchlists.Training, []string{"ASX", "AMKR", "6146.T", "BESI.AS"}, -1, 99.4, 101.2, 0},
	{"Semicap equipment", watchlists.Training, []string{"ASML", "AMAT", "LRCX", "KLAC", "8035.T"}, -7, 97.6, 97.4, 4},
	{"DC power & cooling", watchlists.Training, []string{"VRT", "ETN", "SU.PA", "6501.T"}, 9, 102.6, 100.8, 0},
	{"Servers & ODMs", watchlists.Training, []string{"SMCI", "DELL", "HPE", "2382.TW"}, -12, 97.1, 99.0, 0},
	{"Custom silicon", watchlists.Inference, []string{"AVGO", "MRVL", "ALAB", "3661.TW"}, 14, 102.9, 101.9, 0},
	{"Hyperscaler ASIC owners", watchlists.Inference, []string{"GOOGL", "AMZN", "MSFT", "META"}, 8, 101.4, 100.6, 0},
	{"Optical interconnect", watchlists.Inference, []string{"COHR", "LITE", "CIEN", "FN", "300308.SZ"}, 19, 103.1, 99.3, 0},
	{"Edge inference", watchlists.Inference, []string{"QCOM", "ARM", "AAPL", "2454.TW"}, 3, 99.6, 102.4, 0},
	{"Nuclear & gas", watchlists.Inference, []string{"CEG", "VST", "OKLO", "GEV", "SMR"}, 11, 100.4, 102.8, 0},
	{"Inference clouds", watchlists.Inference, []string{"CRWV", "NBIS", "ORCL"}, 16, 102.2, 102.2, 0},
	{"日本のAI電力", watchlists.Inference, []string{"9501.T", "9503.T", "6367.T"}, 5, 98.9, 100.9, 0},
	{"Inference software", watchlists.Inference, []string{"SNOW", "DDOG", "NET", "MDB"}, -3, math.NaN(), math.NaN(), 0},
	{"Benchmarks", watchlists.Benchmark, []string{"SPY", "QQQ", "SOXX"}, 4, 100.2, 99.8, 0},
}

// fixtureBenchReturn is the benchmark's range return in fixtureReport.
const fixtureBenchReturn = 3.2

// fixtureReport is a deterministic 3M report of 16 segments over 50
// sessions, for views to be drawn and compared with goldens. It is built by
// hand, not by baskets.Compute, so the UI can be tested on its own.
func fixtureReport() baskets.Report {
	const sessions = 50
	rng := rand.New(rand.NewPCG(7, 11))
	grid := make([]time.Time, 0, sessions)
	for d := time.Date(2025, 7, 14, 0, 0, 0, 0, time.UTC); len(grid) < sessions; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			grid = append(grid, d)
		}
	}
	r := baskets.Report{
		AsOf:      grid[len(grid)-1].Add(20 * time.Hour),
		Feed:      baskets.FeedInfo{Name: "sim", State: feeds.StateSimulated, Simulated: true},
		Range:     feeds.Range3M,
		Currency:  "USD",
		Grid:      grid,
		Benchmark: baskets.BenchmarkResult{Symbol: "SPY", Return: baskets.Some(fixtureBenchReturn)},
	}
	r.Benchmark.Index = fixtureWalk(rng, grid, fixtureBenchReturn)
	eras := map[watchlists.Era]*baskets.EraResult{
		watchlists.Training: &r.Eras.Training, watchlists.Inference: &r.Eras.Inference,
	}
	sums := map[watchlists.Era][]float64{}
	for i, fs := range fixtureSegments {
		seg := fixtureSegmentResult(rng, grid, i, fs)
		r.Segments = append(r.Segments, seg)
		era := eras[fs.era]
		if era == nil {
			continue
		}
		era.Segments++
		era.Return.Value += seg.Return.Value
		era.Up += seg.Up
		era.Down += seg.Down
		era.Unchanged += seg.Unchanged
		if sums[fs.era] == nil {
			sums[fs.era] = make([]float64, len(grid))
		}
		for k, v := range seg.Index.Values {
			sums[fs.era][k] += v
		}
	}
	for e, era := range eras {
		n := float64(era.Segments)
		era.Return = baskets.Some(era.Return.Value / n)
		era.Excess = era.Return.Sub(r.Benchmark.Return)
		era.Index = baskets.Line{Times: grid, Values: make([]float64, len(grid))}
		for k, v := range sums[e] {
			era.Index.Values[k] = v / n
		}
	}
	r.Eras.Spread = r.Eras.Inference.Return.Sub(r.Eras.Training.Return)
	r.RatioLine = baskets.Line{Times: grid, Values: make([]float64, len(grid))}
	for k := range grid {
		r.RatioLine.Values[k] = 100 * r.Eras.Inference.Index.Values[k] / r.Eras.Training.Index.Values[k]
	}
	return r
}

func fixtureSegmentResult(rng *rand.Rand, grid []time.Time, i int, fs fixtureSegment) baskets.SegmentResult {
	seg := baskets.SegmentResult{
		File:  string(rune('a'+i)) + "-segment.yaml",
		Name:  fs.name,
		Era:   fs.era,
		Index: fixtureWalk(rng, grid, fs.drift),
	}
	last, _ := seg.Index.Last()
	seg.Return = baskets.Some(last - 100)
	seg.Excess = seg.Return.Sub(baskets.Some(fixtureBenchReturn))
	priced := fs.priced
	if priced == 0 {
		priced = len(fs.symbols)
	}
	seg.Coverage = baskets.Coverage{Priced: priced, Total: len(fs.symbols)}
	for k, sym := range fs.symbols {
		s := baskets.SymbolResult{Symbol: sym, Weight: 1, Currency: "USD"}
		if k < priced {
			// Members spread around the basket's return, best first.
			s.RangeReturn = baskets.Some(seg.Return.Value + float64(len(fs.symbols)-1-2*k)*2.75)
		}
		seg.Symbols = append(seg.Symbols, s)
		switch v, ok := s.RangeReturn.Get(); {
		case !ok:
		case v > 0:
			seg.Up++
		case v < 0:
			seg.Down++
		default:
			seg.Unchanged++
		}
	}
	seg.Best, seg.Worst = &seg.Symbols[0], &seg.Symbols[priced-1]
	if !math.IsNaN(fs.ratio) {
		seg.Rotation = fixtureRotation(grid, fs.ratio, fs.momentum, i)
	}
	return seg
}

// fixtureWalk is an index line from 100 to 100+drift with deterministic noise.
func fixtureWalk(rng *rand.Rand, grid []time.Time, drift float64) baskets.Line {
	l := baskets.Line{Times: grid, Values: make([]float64, len(grid))}
	noise := 0.0
	for k := range grid {
		if k > 0 {
			noise += (rng.Float64() - 0.5) * 1.6
		}
		frac := float64(k) / float64(len(grid)-1)
		l.Values[k] = 100 + drift*frac + noise*math.Sin(math.Pi*frac)
	}
	return l
}

// fixtureRotation is a five-session tail curling clockwise into (ratio, momentum).
func fixtureRotation(grid []time.Time, ratio, momentum float64, i int) baskets.Rotation {
	rot := baskets.Rotation{Ratio: baskets.Some(ratio), Momentum: baskets.Some(momentum)}
	phase := float64(i) * 0.7
	for k := 4; k >= 0; k-- {
		a := phase + float64(k)*0.35
		rot.Tail = append(rot.Tail, baskets.TailPoint{
			Date:     grid[len(grid)-1-k],
			Ratio:    ratio - 0.22*float64(k)*math.Cos(a),
			Momentum: momentum + 0.22*float64(k)*math.Sin(a),
		})
	}
	switch up, rising := ratio >= 100, momentum >= 100; {
	case up && rising:
		rot.Quadrant = baskets.Leading
	case up:
		rot.Quadrant = baskets.Weakening
	case rising:
		rot.Quadrant = baskets.Improving
	default:
		rot.Quadrant = baskets.Lagging
	}
	return rot
}
