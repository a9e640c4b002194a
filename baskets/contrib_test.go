package baskets

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestContributionsWorkedExample reproduces the contributions of the worked
// example (docs/figures.md) under file weighting, number by number.
func TestContributionsWorkedExample(t *testing.T) {
	rep := Compute(flowsExample(WeightFile))
	gpus, hbm, asics := segmentByFile(t, rep, "10-gpus.yaml"), segmentByFile(t, rep, "20-hbm.yaml"), segmentByFile(t, rep, "50-asic.yaml")
	nvda, amd, mu := symbolRow(t, gpus, "NVDA"), symbolRow(t, gpus, "AMD"), symbolRow(t, hbm, "MU")
	avgo, mrvl := symbolRow(t, asics, "AVGO"), symbolRow(t, asics, "MRVL")

	// To the segment, w r / sum(w): GPUs 2*10/3 = +6.6667 and 1*-5/3 =
	// -1.6667, adding up to +5.00; MU 1*4/1 = +4.00; AVGO 1*12/1 = +12.00,
	// MRVL (unpriced) out of the basket's sum(w).
	assertOpt(t, "NVDA to GPUs", nvda.Contribution, 20.0/3)
	assertOpt(t, "AMD to GPUs", amd.Contribution, -5.0/3)
	assertOpt(t, "MU to HBM", mu.Contribution, 4)
	assertOpt(t, "AVGO to ASICs", avgo.Contribution, 12)
	if mrvl.Contribution.Valid || mrvl.EraContribution.Valid || len(mrvl.Flags) == 0 {
		t.Errorf("MRVL: contribution %v, era %v, flags %q; want null and a reason", mrvl.Contribution, mrvl.EraContribution, mrvl.Flags)
	}

	// To the era, over its 2 training segments: NVDA 6.6667/2 = +3.3333,
	// AMD -1.6667/2 = -0.8333, MU 4/2 = +2.00; GPUs 5/2 = +2.50, HBM 4/2 =
	// +2.00; 2.5 + 2 = +4.50, the training return. Inference has 1 segment:
	// AVGO and ASICs +12.00.
	assertOpt(t, "NVDA to training", nvda.EraContribution, 10.0/3)
	assertOpt(t, "AMD to training", amd.EraContribution, -5.0/6)
	assertOpt(t, "MU to training", mu.EraContribution, 2)
	assertOpt(t, "GPUs to training", gpus.EraContribution, 2.5)
	assertOpt(t, "HBM to training", hbm.EraContribution, 2)
	assertOpt(t, "AVGO to inference", avgo.EraContribution, 12)
	assertOpt(t, "ASICs to inference", asics.EraContribution, 12)

	// The spread, +7.50 = ASICs +12.00, GPUs -2.50, HBM -2.00, largest first.
	assertParts(t, rep.SpreadContributions, []SpreadContribution{
		{Segment: "ASICs", File: "50-asic.yaml", Era: watchlists.Inference, PP: Percent(12)},
		{Segment: "GPUs", File: "10-gpus.yaml", Era: watchlists.Training, PP: Percent(-2.5)},
		{Segment: "HBM", File: "20-hbm.yaml", Era: watchlists.Training, PP: Percent(-2)},
	})

	// The ratio line is 100 until 10-10, when GPUs reach 105 and training
	// (105 + 100) / 2 = 102.5: 100 * 100 / 102.5 = 97.5610, a move of
	// 100 * (1 / 1.025 - 1) = -2.4390 %. On 10-29 MU is at 104 and AVGO at
	// 112: 100 * 112 / 104.5 = 107.1770, a move of 100 * (112 * 102.5 /
	// (104.5 * 100) - 1) = +9.8565 %. Every other day is flat: no move.
	if len(rep.TopMoves) != 2 {
		t.Fatalf("top moves %+v, want 2", rep.TopMoves)
	}
	assertMove(t, rep.TopMoves[0], utc(2025, 10, 29, 0, 0), 100*(112*102.5/(104.5*100)-1))
	assertMove(t, rep.TopMoves[1], utc(2025, 10, 10, 0, 0), 100*(1/1.025-1))
}

// TestContributionsNameInTwoSegments: NVDA in GPUs and in HBM, both
// training, under equal and cap weighting, by hand on the worked example.
func TestContributionsNameInTwoSegments(t *testing.T) {
	twice := func(weighting string) Report {
		in := flowsExample(weighting)
		in.Set.Segments[1].Symbols = append(slices.Clone(in.Set.Segments[1].Symbols), watchlists.Symbol{Symbol: "NVDA", Weight: 1})
		// X has a return (+10 %) and no market cap: out of a cap basket.
		in.Set.Segments[2].Symbols = append(slices.Clone(in.Set.Segments[2].Symbols), watchlists.Symbol{Symbol: "X", Weight: 1})
		in.Quotes["X"] = feeds.Quote{Price: 110, Currency: "USD", ExchangeTZ: "America/New_York"}
		in.Series["X"] = series([]time.Time{utc(2025, 9, 29, 13, 30)}, 100)
		// A benchmark-era segment holding AVGO too: a contribution to itself,
		// none to an era, and AVGO's inference row keeps its whole part.
		in.Set.Segments = append(slices.Clone(in.Set.Segments), watchlists.Segment{File: "90-bench.yaml", Name: "Index",
			Era: watchlists.Benchmark, Symbols: []watchlists.Symbol{{Symbol: "AVGO", Weight: 1}}})
		return Compute(in)
	}

	t.Run("equal", func(t *testing.T) {
		rep := twice(WeightEqual)
		gpus, hbm := segmentByFile(t, rep, "10-gpus.yaml"), segmentByFile(t, rep, "20-hbm.yaml")
		asics := segmentByFile(t, rep, "50-asic.yaml")
		// GPUs (10 - 5) / 2 = +2.50: NVDA 10/2 = +5.00, AMD -5/2 = -2.50.
		// HBM (4 + 10) / 2 = +7.00: MU 4/2 = +2.00, NVDA 10/2 = +5.00.
		// Training (2.5 + 7) / 2 = +4.75: each segment counts once, so NVDA's
		// row in each has half its segment part: 5/2 = +2.50 twice; AMD
		// -1.25, MU +1.00; GPUs +1.25, HBM +3.50.
		assertOpt(t, "NVDA to GPUs", symbolRow(t, gpus, "NVDA").Contribution, 5)
		assertOpt(t, "AMD to GPUs", symbolRow(t, gpus, "AMD").Contribution, -2.5)
		assertOpt(t, "MU to HBM", symbolRow(t, hbm, "MU").Contribution, 2)
		assertOpt(t, "NVDA to HBM", symbolRow(t, hbm, "NVDA").Contribution, 5)
		assertOpt(t, "training", rep.Eras.Training.Return, 4.75)
		assertOpt(t, "NVDA in GPUs to training", symbolRow(t, gpus, "NVDA").EraContribution, 2.5)
		assertOpt(t, "NVDA in HBM to training", symbolRow(t, hbm, "NVDA").EraContribution, 2.5)
		assertOpt(t, "AMD to training", symbolRow(t, gpus, "AMD").EraContribution, -1.25)
		assertOpt(t, "MU to training", symbolRow(t, hbm, "MU").EraContribution, 1)
		assertOpt(t, "GPUs to training", gpus.EraContribution, 1.25)
		assertOpt(t, "HBM to training", hbm.EraContribution, 3.5)
		// ASICs (12 + 10) / 2 = +11.00 with X: AVGO +6.00, X +5.00.
		assertOpt(t, "X to ASICs", symbolRow(t, asics, "X").Contribution, 5)
		assertOpt(t, "ASICs to inference", asics.EraContribution, 11)
		// Spread 11 - 4.75 = +6.25 = 11 - 3.5 - 1.25.
		assertParts(t, rep.SpreadContributions, []SpreadContribution{
			{Segment: "ASICs", File: "50-asic.yaml", Era: watchlists.Inference, PP: Percent(11)},
			{Segment: "HBM", File: "20-hbm.yaml", Era: watchlists.Training, PP: Percent(-3.5)},
			{Segment: "GPUs", File: "10-gpus.yaml", Era: watchlists.Training, PP: Percent(-1.25)},
		})
		checkBenchmarkSegment(t, rep)
	})

	t.Run("cap", func(t *testing.T) {
		rep := twice(WeightCap)
		gpus, hbm := segmentByFile(t, rep, "10-gpus.yaml"), segmentByFile(t, rep, "20-hbm.yaml")
		asics := segmentByFile(t, rep, "50-asic.yaml")
		// V at the base ($B): NVDA 4500, AMD 260, MU 112.5, AVGO 1500.
		// GPUs: 4500*10/4760 = +9.4538, 260*-5/4760 = -0.2731.
		// HBM: 112.5*4/4612.5 = +0.0976, 4500*10/4612.5 = +9.7561.
		assertOpt(t, "NVDA to GPUs", symbolRow(t, gpus, "NVDA").Contribution, 45000/4760.0)
		assertOpt(t, "AMD to GPUs", symbolRow(t, gpus, "AMD").Contribution, -1300/4760.0)
		assertOpt(t, "MU to HBM", symbolRow(t, hbm, "MU").Contribution, 450/4612.5)
		assertOpt(t, "NVDA to HBM", symbolRow(t, hbm, "NVDA").Contribution, 45000/4612.5)
		// Training is one basket of NVDA, AMD and MU, sum(V) = 4872.5:
		// (45,000 - 1,300 + 450) / 4872.5 = +9.0611. NVDA's part, 45,000 /
		// 4872.5 = +9.2355, is split between its two rows: +4.6178 each.
		// AMD -1,300 / 4872.5 = -0.2668, MU 450 / 4872.5 = +0.0924.
		// GPUs (22,500 - 1,300) / 4872.5 = +4.3509; HBM (22,500 + 450) /
		// 4872.5 = +4.7101; together +9.0611.
		assertOpt(t, "training", rep.Eras.Training.Return, 44150/4872.5)
		assertOpt(t, "NVDA in GPUs to training", symbolRow(t, gpus, "NVDA").EraContribution, 22500/4872.5)
		assertOpt(t, "NVDA in HBM to training", symbolRow(t, hbm, "NVDA").EraContribution, 22500/4872.5)
		assertOpt(t, "AMD to training", symbolRow(t, gpus, "AMD").EraContribution, -1300/4872.5)
		assertOpt(t, "MU to training", symbolRow(t, hbm, "MU").EraContribution, 450/4872.5)
		assertOpt(t, "GPUs to training", gpus.EraContribution, 21200/4872.5)
		assertOpt(t, "HBM to training", hbm.EraContribution, 22950/4872.5)
		// X has no cap: out of the basket, its return standing, its flags
		// saying why; no contribution.
		x := symbolRow(t, asics, "X")
		if x.Contribution.Valid || x.EraContribution.Valid || !x.RangeReturn.Valid || !slices.Contains(x.Flags, "left out of the cap-weighted basket") {
			t.Errorf("X without a cap: %+v", x)
		}
		assertOpt(t, "AVGO to inference", symbolRow(t, asics, "AVGO").EraContribution, 12)
		// Spread 12 - 9.0611 = +2.9389 = 12 - 4.7101 - 4.3509.
		assertParts(t, rep.SpreadContributions, []SpreadContribution{
			{Segment: "ASICs", File: "50-asic.yaml", Era: watchlists.Inference, PP: Percent(12)},
			{Segment: "HBM", File: "20-hbm.yaml", Era: watchlists.Training, PP: Percent(-22950 / 4872.5)},
			{Segment: "GPUs", File: "10-gpus.yaml", Era: watchlists.Training, PP: Percent(-21200 / 4872.5)},
		})
		checkBenchmarkSegment(t, rep)
	})
}

// checkBenchmarkSegment: the benchmark-era segment's member contributes to
// it and to no era.
func checkBenchmarkSegment(t *testing.T, rep Report) {
	t.Helper()
	b := segmentByFile(t, rep, "90-bench.yaml")
	assertOpt(t, "AVGO to its benchmark segment", b.Symbols[0].Contribution, 12)
	if b.EraContribution.Valid || b.Symbols[0].EraContribution.Valid {
		t.Errorf("benchmark segment: era contribution %v, AVGO's %v; want null", b.EraContribution, b.Symbols[0].EraContribution)
	}
}

func assertParts(t *testing.T, got, want []SpreadContribution) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("spread contributions %+v, want %+v", got, want)
	}
	for i, w := range want {
		g := got[i]
		if g.Segment != w.Segment || g.File != w.File || g.Era != w.Era {
			t.Errorf("part %d is %s (%s, %s), want %s (%s, %s)", i, g.Segment, g.File, g.Era, w.Segment, w.File, w.Era)
		}
		assertOpt(t, "part "+w.File, g.PP, w.PP.Value)
	}
}

func assertMove(t *testing.T, m Move, at time.Time, change float64) {
	t.Helper()
	if !m.Time.Equal(at) {
		t.Errorf("move at %v, want %v", m.Time, at)
	}
	assertOpt(t, "move of "+at.Format(time.DateOnly), m.RatioChange, change)
	if m.Events == nil || len(m.Events) != 0 {
		t.Errorf("move events %#v, want [] (report fills them)", m.Events)
	}
}

// TestTopMovesOnACraftedLine: the five largest steps by size in percent,
// ties by time, flat steps left out.
func TestTopMovesOnACraftedLine(t *testing.T) {
	day := func(i int) time.Time { return utc(2025, 3, 1+i, 0, 0) }
	vals := []float64{100, 110, 100, 100, 110, 108.9, 105.633, 105.633, 106.161165}
	l := Line{Values: vals}
	for i := range vals {
		l.Times = append(l.Times, day(i))
	}
	got := topMoves(l)
	// +10 % on day 1 and day 4 (the same step, so a tie: the earlier
	// first), 100/110 - 1 = -9.09 % on day 2, -3 % on day 6, -1 % on day 5;
	// +0.5 % on day 8 is sixth; days 3 and 7 are flat.
	want := []struct {
		day    int
		change float64
	}{{1, 10}, {4, 10}, {2, 100 * (100.0/110 - 1)}, {6, -3}, {5, -1}}
	if len(got) != len(want) {
		t.Fatalf("moves %+v, want %d", got, len(want))
	}
	for i, w := range want {
		assertMove(t, got[i], day(w.day), w.change)
	}
	if m := topMoves(Line{Times: l.Times[:3], Values: vals[:3]}); len(m) != 2 || !m[0].Time.Equal(day(1)) {
		t.Errorf("three points: %+v, want their two moves", m)
	}
	for _, n := range []int{0, 1} {
		if m := topMoves(Line{Times: l.Times[:n], Values: vals[:n]}); m == nil || len(m) != 0 {
			t.Errorf("%d points: %#v, want none, not null", n, m)
		}
	}
}

// contribRanges are the ranges the sums are held on: intraday, daily,
// long and a date.
var contribRanges = []feeds.Range{feeds.Range1D, feeds.Range5D, feeds.Range1M, feeds.RangeYTD, feeds.Range5Y, feeds.Range("2025-01-27")}

// TestContributionsAddUp holds every sum to 1e-9 on generated markets,
// with a name forced into both training segments and a name without a cap,
// under every weighting, in local currency and in dollars.
func TestContributionsAddUp(t *testing.T) {
	spreads, fiveMoves := 0, 0
	for _, r := range contribRanges {
		for _, seed := range seeds {
			for _, cur := range []string{Local, USD} {
				for _, w := range []string{WeightFile, WeightEqual, WeightCap} {
					t.Run(rangeName(r, seed)+"/"+cur+"/"+w, func(t *testing.T) {
						in := withCaps(genInput(t, seed, r))
						in.Currency, in.Weighting = cur, w
						gpus, hbm := &in.Set.Segments[0], &in.Set.Segments[1]
						if shared := gpus.Symbols[0]; !slices.ContainsFunc(hbm.Symbols, func(s watchlists.Symbol) bool { return s.Symbol == shared.Symbol }) {
							hbm.Symbols = append(hbm.Symbols, shared)
						}
						uncapped := in.Set.Segments[2].Symbols[0].Symbol
						q := in.Quotes[uncapped]
						q.MarketCap = nil
						in.Quotes[uncapped] = q
						rep := Compute(in)
						checkContributions(t, rep)
						if rep.Eras.Spread.Valid {
							spreads++
						}
						if len(rep.TopMoves) == topMovesKept {
							fiveMoves++
						}
					})
				}
			}
		}
	}
	if want := len(contribRanges) * len(seeds) * 2 * 3; spreads != want {
		t.Errorf("%d reports of %d have a spread: the sums were held on too few", spreads, want)
	}
	if fiveMoves != spreads {
		t.Errorf("%d reports of %d with a spread have five top moves", fiveMoves, spreads)
	}
}

// checkContributions holds rep's contributions to their wholes.
func checkContributions(t *testing.T, rep Report) {
	t.Helper()
	eraSegs := map[watchlists.Era]float64{}
	eraRows := map[watchlists.Era]float64{}
	for _, s := range rep.Segments {
		sum, n := 0.0, 0
		for _, m := range s.Symbols {
			if m.Contribution.Valid != (m.BasketWeight.Valid && m.RangeReturn.Valid) {
				t.Errorf("%s in %s: contribution %v with weight %v, return %v", m.Symbol, s.File, m.Contribution, m.BasketWeight, m.RangeReturn)
			}
			if !m.Contribution.Valid && len(m.Flags) == 0 {
				t.Errorf("%s in %s: no contribution and no reason", m.Symbol, s.File)
			}
			if m.Contribution.Valid {
				sum += m.Contribution.Value
				n++
			}
			if m.EraContribution.Valid {
				eraRows[s.Era] += m.EraContribution.Value
			}
			if m.EraContribution.Valid && (s.Era == watchlists.Benchmark || !m.Contribution.Valid) {
				t.Errorf("%s in %s: era contribution %v", m.Symbol, s.File, m.EraContribution)
			}
		}
		if n != s.Coverage.Priced {
			t.Errorf("%s: %d contributions, %d priced", s.File, n, s.Coverage.Priced)
		}
		if s.Return.Valid {
			assertNear(t, s.File+" contributions", sum, s.Return.Value)
		}
		if s.EraContribution.Valid != (s.Return.Valid && s.Era != watchlists.Benchmark) {
			t.Errorf("%s: era contribution %v with return %v", s.File, s.EraContribution, s.Return)
		}
		if s.EraContribution.Valid {
			eraSegs[s.Era] += s.EraContribution.Value
		}
	}
	for era, e := range map[watchlists.Era]EraResult{watchlists.Training: rep.Eras.Training, watchlists.Inference: rep.Eras.Inference} {
		if !e.Return.Valid {
			continue
		}
		assertNear(t, string(era)+" from its segments", eraSegs[era], e.Return.Value)
		assertNear(t, string(era)+" from its members", eraRows[era], e.Return.Value)
	}
	if rep.Weighting == WeightCap {
		checkSharedRowsSplitEqually(t, rep)
	}

	sum := 0.0
	for i, c := range rep.SpreadContributions {
		sum += c.PP.Value
		if i == 0 {
			continue
		}
		prev := rep.SpreadContributions[i-1]
		if a, b := math.Abs(prev.PP.Value), math.Abs(c.PP.Value); a < b || a == b && prev.File > c.File {
			t.Errorf("spread contributions out of order at %d: %+v", i, rep.SpreadContributions)
		}
	}
	if rep.Eras.Spread.Valid {
		assertNear(t, "spread from its parts", sum, rep.Eras.Spread.Value)
	}

	// Five moves, fewer only when the line has fewer steps that move.
	l := rep.RatioLine
	moving := 0
	for i := 1; i < len(l.Values); i++ {
		if l.Values[i] != l.Values[i-1] {
			moving++
		}
	}
	if len(rep.TopMoves) != min(topMovesKept, moving) {
		t.Errorf("%d top moves of %d points (%d moving)", len(rep.TopMoves), len(l.Values), moving)
	}
	for i, m := range rep.TopMoves {
		k := slices.IndexFunc(l.Times, m.Time.Equal)
		if k < 1 {
			t.Fatalf("move at %v is not a point of the ratio line after its first", m.Time)
		}
		assertOpt(t, "move", m.RatioChange, 100*(l.Values[k]/l.Values[k-1]-1))
		if i > 0 && math.Abs(rep.TopMoves[i-1].RatioChange.Value) < math.Abs(m.RatioChange.Value) {
			t.Errorf("top moves out of order: %+v", rep.TopMoves)
		}
	}
}

// checkSharedRowsSplitEqually: under cap, a name's rows in one era's
// segments carry equal parts.
func checkSharedRowsSplitEqually(t *testing.T, rep Report) {
	t.Helper()
	parts := map[string][]float64{}
	for _, s := range rep.Segments {
		for _, m := range s.Symbols {
			if m.EraContribution.Valid {
				parts[string(s.Era)+"/"+m.Symbol] = append(parts[string(s.Era)+"/"+m.Symbol], m.EraContribution.Value)
			}
		}
	}
	shared := false
	for name, ps := range parts {
		for _, p := range ps[1:] {
			shared = true
			if p != ps[0] {
				t.Errorf("%s: rows carry %v, want equal parts", name, ps)
			}
		}
	}
	if !shared {
		t.Error("no name in two segments of one era: the split was not tried")
	}
}

// TestHorizonsSkipContributions: a horizon's report computes returns only.
func TestHorizonsSkipContributions(t *testing.T) {
	in := genInput(t, 1, feeds.Range1M)
	in.returnsOnly = true
	rep := Compute(in)
	if rep.SpreadContributions != nil || rep.TopMoves != nil || rep.Segments[0].EraContribution.Valid || rep.Segments[0].Symbols[0].Contribution.Valid {
		t.Errorf("a returns-only report has contributions: %+v %+v", rep.SpreadContributions, rep.Segments[0])
	}
}
