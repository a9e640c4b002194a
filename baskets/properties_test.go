package baskets

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

var seeds = []uint64{1, 2, 3}

// forEachInput runs f on generated inputs for every range, in both currencies.
func forEachInput(t *testing.T, f func(t *testing.T, in Input)) {
	for _, r := range feeds.Ranges {
		for _, seed := range seeds {
			for _, cur := range []string{Local, USD} {
				t.Run(rangeName(r, seed)+"/"+cur, func(t *testing.T) {
					in := genInput(t, seed, r)
					in.Currency = cur
					f(t, in)
				})
			}
		}
	}
}

func TestOneSymbolBasketReturnsThatSymbolsReturn(t *testing.T) {
	forEachInput(t, func(t *testing.T, in Input) {
		all := Compute(in)
		for _, sym := range []string{"NVDA", "8035.T", "RR.L", "000660.KS"} {
			in.Set = watchlists.Set{Segments: []watchlists.Segment{{File: "x.yaml", Era: watchlists.Training,
				Symbols: []watchlists.Symbol{{Symbol: sym, Weight: 2.5}}}}}
			one := Compute(in).Segments[0]
			row := symbolRow(t, one, sym)
			assertOpt(t, sym+" basket", one.Return, row.RangeReturn.Value)
			// The symbol's return is its price over its base, both as reported.
			assertOpt(t, sym+" return", row.RangeReturn, 100*(row.Price.Value/row.Base.Value-1))
			if in.Range == feeds.Range1D {
				assertOpt(t, sym+" 1D return vs day change", row.RangeReturn, row.ChangePercent.Value)
			}
			for _, s := range all.Segments {
				for _, m := range s.Symbols {
					if m.Symbol == sym && m.RangeReturn != row.RangeReturn {
						t.Errorf("%s: %v alone, %v in %s", sym, row.RangeReturn, m.RangeReturn, s.File)
					}
				}
			}
		}
	})
}

func TestScalingWeightsTogetherChangesNothing(t *testing.T) {
	forEachInput(t, func(t *testing.T, in Input) {
		before := Compute(in)
		for i := range in.Set.Segments {
			seg := &in.Set.Segments[i]
			seg.Symbols = slices.Clone(seg.Symbols)
			for j := range seg.Symbols {
				seg.Symbols[j].Weight *= 3.7
			}
		}
		after := Compute(in)
		assertSameFigures(t, before, after)
	})
}

func TestPermutingMembersChangesNothing(t *testing.T) {
	forEachInput(t, func(t *testing.T, in Input) {
		before := Compute(in)
		rng := rand.New(rand.NewPCG(11, 12))
		for i := range in.Set.Segments {
			seg := &in.Set.Segments[i]
			seg.Symbols = slices.Clone(seg.Symbols)
			rng.Shuffle(len(seg.Symbols), func(a, b int) { seg.Symbols[a], seg.Symbols[b] = seg.Symbols[b], seg.Symbols[a] })
		}
		after := Compute(in)
		assertSameFigures(t, before, after)
	})
}

// assertSameFigures compares every basket figure of two reports of the same
// segments, to rounding.
func assertSameFigures(t *testing.T, a, b Report) {
	t.Helper()
	sameOpt := func(what string, x, y Opt) {
		if x.Valid != y.Valid || x.Valid && !near(x.Value, y.Value) {
			t.Errorf("%s: %v then %v", what, x, y)
		}
	}
	for i, sa := range a.Segments {
		sb := b.Segments[i]
		sameOpt(sa.File+" return", sa.Return, sb.Return)
		sameOpt(sa.File+" ratio", sa.Rotation.Ratio, sb.Rotation.Ratio)
		sameOpt(sa.File+" momentum", sa.Rotation.Momentum, sb.Rotation.Momentum)
		if sa.Coverage != sb.Coverage || sa.Up != sb.Up || sa.Down != sb.Down {
			t.Errorf("%s: coverage/breadth %v %d/%d then %v %d/%d", sa.File, sa.Coverage, sa.Up, sa.Down, sb.Coverage, sb.Up, sb.Down)
		}
		if len(sa.Index.Values) != len(sb.Index.Values) {
			t.Fatalf("%s: index of %d points then %d", sa.File, len(sa.Index.Values), len(sb.Index.Values))
		}
		for k := range sa.Index.Values {
			if !near(sa.Index.Values[k], sb.Index.Values[k]) {
				t.Fatalf("%s: index[%d] %v then %v", sa.File, k, sa.Index.Values[k], sb.Index.Values[k])
			}
		}
	}
	sameOpt("training", a.Eras.Training.Return, b.Eras.Training.Return)
	sameOpt("inference", a.Eras.Inference.Return, b.Eras.Inference.Return)
	sameOpt("spread", a.Eras.Spread, b.Eras.Spread)
}

// jsonReport is the JSON schema read back independently of Report.
type jsonReport struct {
	Feed struct {
		State     string `json:"state"`
		Simulated bool   `json:"simulated"`
	} `json:"feed"`
	Benchmark struct {
		Return *float64 `json:"return"`
	} `json:"benchmark"`
	Eras map[string]json.RawMessage `json:"eras"`
	Segs []struct {
		File     string   `json:"file"`
		Era      string   `json:"era"`
		Return   *float64 `json:"return"`
		Excess   *float64 `json:"excess"`
		Coverage struct{ Priced, Total int }
		Up, Down int
		Symbols  []struct {
			Weight      float64  `json:"weight"`
			RangeReturn *float64 `json:"rangeReturn"`
		} `json:"symbols"`
	} `json:"segments"`
}

type jsonEra struct {
	Return   *float64 `json:"return"`
	Segments int      `json:"segments"`
	Up, Down int
	Excess   *float64 `json:"excess"`
}

// TestJSONIsSelfConsistent recomputes every aggregate from the JSON alone, as
// a reader of `rotation print --json` would.
func TestJSONIsSelfConsistent(t *testing.T) {
	forEachInput(t, func(t *testing.T, in Input) {
		rep := Compute(in)
		data, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		var j jsonReport
		if err := json.Unmarshal(data, &j); err != nil {
			t.Fatal(err)
		}
		if !j.Feed.Simulated || j.Feed.State != "simulated" {
			t.Errorf("simulated feed shows as %+v", j.Feed)
		}
		sums := map[string]*[2]float64{"training": {}, "inference": {}}
		for _, s := range j.Segs {
			sw, swr, priced, up, down := 0.0, 0.0, 0, 0, 0
			for _, m := range s.Symbols {
				if m.RangeReturn == nil {
					continue
				}
				sw += m.Weight
				swr += m.Weight * *m.RangeReturn
				priced++
				if *m.RangeReturn > 0 {
					up++
				} else if *m.RangeReturn < 0 {
					down++
				}
			}
			if s.Coverage.Priced != priced || s.Coverage.Total != len(s.Symbols) || s.Up != up || s.Down != down {
				t.Errorf("%s: coverage %+v up %d down %d; members say %d/%d up %d down %d",
					s.File, s.Coverage, s.Up, s.Down, priced, len(s.Symbols), up, down)
			}
			if priced == 0 {
				if s.Return != nil {
					t.Errorf("%s: return %v with no priced member", s.File, *s.Return)
				}
				continue
			}
			if s.Return == nil {
				t.Fatalf("%s: null return with %d priced members", s.File, priced)
			}
			assertRounded(t, s.File+" return", *s.Return, swr/sw, 6)
			if j.Benchmark.Return != nil {
				assertRounded(t, s.File+" excess", *s.Excess, *s.Return-*j.Benchmark.Return, 6)
			}
			if acc, ok := sums[s.Era]; ok {
				acc[0] += *s.Return
				acc[1]++
			}
		}
		eras := map[string]jsonEra{}
		for name, raw := range j.Eras {
			if name == "spread" {
				continue
			}
			var e jsonEra
			if err := json.Unmarshal(raw, &e); err != nil {
				t.Fatal(err)
			}
			eras[name] = e
			acc := sums[name]
			if e.Segments != int(acc[1]) || e.Return == nil {
				t.Fatalf("era %s: %+v, segments say %v", name, e, acc)
			}
			assertRounded(t, "era "+name, *e.Return, acc[0]/acc[1], 6)
		}
		var spread float64
		if err := json.Unmarshal(j.Eras["spread"], &spread); err != nil {
			t.Fatal(err)
		}
		assertRounded(t, "spread", spread, *eras["inference"].Return-*eras["training"].Return, 6)
	})
}

// TestIndexEndsAtTheRangeReturn checks I_last = 100 * (1 + R/100) for every
// segment, era and the benchmark, and the ratio line against the eras.
func TestIndexEndsAtTheRangeReturn(t *testing.T) {
	forEachInput(t, func(t *testing.T, in Input) { checkIndexesEndAtReturns(t, "", Compute(in)) })
}

// checkIndexesEndAtReturns holds every index of rep (benchmark, segments,
// eras) to I_last = 100 + R on the report's grid, and the ratio line to the
// eras' ratio; label names the case in failures.
func checkIndexesEndAtReturns(t *testing.T, label string, rep Report) {
	t.Helper()
	check := func(what string, l Line, r Opt) {
		t.Helper()
		last, ok := l.Last()
		if !ok || !r.Valid {
			t.Fatalf("%s%s: index %v, return %v", label, what, ok, r)
		}
		assertNear(t, label+what+" I_last", last, 100+r.Value)
		if len(l.Values) != len(rep.Grid) || &l.Times[0] != &rep.Grid[0] {
			t.Errorf("%s%s: index is not on the report's grid", label, what)
		}
	}
	check("benchmark", rep.Benchmark.Index, rep.Benchmark.Return)
	for _, s := range rep.Segments {
		if s.Return.Valid {
			check(s.File, s.Index, s.Return)
		}
	}
	check("training", rep.Eras.Training.Index, rep.Eras.Training.Return)
	check("inference", rep.Eras.Inference.Index, rep.Eras.Inference.Return)
	last, _ := rep.RatioLine.Last()
	assertNear(t, label+"ratio line", last, 100*(100+rep.Eras.Inference.Return.Value)/(100+rep.Eras.Training.Return.Value))
}

func TestEraIsTheMeanOfItsSegmentsAndSpreadTheirDifference(t *testing.T) {
	seg := func(file string, era watchlists.Era, syms ...string) watchlists.Segment {
		s := watchlists.Segment{File: file, Era: era}
		for _, sym := range syms {
			s.Symbols = append(s.Symbols, watchlists.Symbol{Symbol: sym, Weight: 1})
		}
		return s
	}
	q := func(price, prev float64) feeds.Quote {
		return feeds.Quote{Price: price, PreviousClose: prev, Currency: "USD"}
	}
	in := Input{Range: feeds.Range1D, AsOf: genAsOf, Quotes: map[string]feeds.Quote{
		"A": q(110, 100), "B": q(95, 100), "C": q(102, 100), "D": q(100, 100), "SPY": q(101, 100)},
		Set: watchlists.Set{Segments: []watchlists.Segment{
			seg("1.yaml", watchlists.Training, "A", "B"), // +2.5
			seg("2.yaml", watchlists.Training, "A"),      // +10, A counts in both
			seg("3.yaml", watchlists.Inference, "C", "D"),
			seg("4.yaml", watchlists.Inference, "NOPE"), // no price: left out of the era mean
			seg("5.yaml", watchlists.Benchmark, "B"),
		}}}
	rep := Compute(in)
	assertOpt(t, "training", rep.Eras.Training.Return, (2.5+10)/2)
	assertOpt(t, "inference", rep.Eras.Inference.Return, 1)
	assertOpt(t, "spread", rep.Eras.Spread, 1-6.25)
	assertOpt(t, "training excess", rep.Eras.Training.Excess, 6.25-1)
	if e := rep.Eras.Training; e.Segments != 2 || e.Up != 1 || e.Down != 1 {
		t.Errorf("training era %+v, want 2 segments, 1 up (A, counted once), 1 down", e)
	}
	if e := rep.Eras.Inference; e.Segments != 1 || e.Up != 1 || e.Down != 0 || e.Unchanged != 1 {
		t.Errorf("inference era %+v, want 1 segment, 1 up, 1 unchanged", e)
	}
	s5 := segmentByFile(t, rep, "5.yaml")
	assertOpt(t, "benchmark-era segment", s5.Return, -5)
	if s5.Best == nil || s5.Best.Symbol != "B" || segmentByFile(t, rep, "1.yaml").Worst.Symbol != "B" {
		t.Errorf("best/worst wrong: %+v", s5.Best)
	}
}

func TestSegmentWithoutPricesHasNullReturn(t *testing.T) {
	in := Input{Range: feeds.Range1M, AsOf: genAsOf,
		Quotes: map[string]feeds.Quote{"BAD": {Symbol: "BAD", Price: 0, PreviousClose: 10}},
		Set: watchlists.Set{Segments: []watchlists.Segment{{File: "x.yaml", Era: watchlists.Inference,
			Symbols: []watchlists.Symbol{{Symbol: "GONE", Weight: 1}, {Symbol: "BAD", Weight: 1}}}}}}
	rep := Compute(in)
	s := rep.Segments[0]
	if s.Return.Valid || s.Excess.Valid || s.Coverage != (Coverage{0, 2}) || rep.Eras.Inference.Return.Valid || rep.Eras.Spread.Valid {
		t.Fatalf("want null returns and coverage 0/2, got %+v %+v", s, rep.Eras)
	}
	if s.Symbols[1].Flag == "" || s.Symbols[0].Flag == "" || len(rep.Problems) < 2 {
		t.Errorf("missing prices are not flagged: %q %q %q", s.Symbols[0].Flag, s.Symbols[1].Flag, rep.Problems)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Segments []map[string]any `json:"segments"`
	}
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	if v, ok := j.Segments[0]["return"]; !ok || v != nil {
		t.Errorf(`JSON "return" = %v (present %v), want null`, v, ok)
	}
}

// TestEmptyInputsDoNotPanic: no data at all is a report of nulls that still
// marshals (report/ renders it in every format).
func TestEmptyInputsDoNotPanic(t *testing.T) {
	for _, in := range []Input{{}, {Range: feeds.Range1D, Set: oneSymbol("X")}, {Range: feeds.Range5D, Currency: USD, Set: oneSymbol("RR.L")}} {
		rep := Compute(in)
		if rep.Benchmark.Return.Valid || rep.Eras.Spread.Valid || len(rep.Grid) != 0 {
			t.Errorf("empty input gave figures: %+v", rep)
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Error(err)
		}
	}
}

// TestAbsurdJumpIsFlaggedNotAveraged: a bad tick (a price ten times the
// previous close, or a tenth of it) is left out of the basket and flagged,
// so one broken quote cannot swing a whole segment.
func TestAbsurdJumpIsFlaggedNotAveraged(t *testing.T) {
	for _, bad := range []float64{1000, 10, math.NaN(), -5} {
		in := Input{Range: feeds.Range1D, AsOf: genAsOf,
			Quotes: map[string]feeds.Quote{
				"OK":  {Symbol: "OK", Price: 102, PreviousClose: 100},
				"BAD": {Symbol: "BAD", Price: bad, PreviousClose: 100},
			},
			Set: watchlists.Set{Segments: []watchlists.Segment{{File: "x.yaml", Era: watchlists.Training,
				Symbols: []watchlists.Symbol{{Symbol: "OK", Weight: 1}, {Symbol: "BAD", Weight: 1}}}}}}
		s := Compute(in).Segments[0]
		if r, ok := s.Return.Get(); !ok || math.Abs(r-2) > 1e-9 || s.Coverage != (Coverage{1, 2}) {
			t.Errorf("price %v: return %v coverage %+v, want 2%% over 1 of 2", bad, s.Return, s.Coverage)
		}
		if s.Symbols[1].Flag == "" {
			t.Errorf("price %v: not flagged", bad)
		}
	}
}
