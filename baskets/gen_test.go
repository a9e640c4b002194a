package baskets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// genAsOf is a Wednesday with every generated market having traded that day.
var genAsOf = time.Date(2025, 10, 29, 20, 30, 0, 0, time.UTC)

// genSymbols mixes exchanges and currencies: US, Tokyo, Seoul, London (GBp),
// Amsterdam, Taipei.
var genSymbols = []string{"NVDA", "AMD", "AVGO", "MRVL", "TSM", "ANET", "VST", "CEG",
	"8035.T", "6857.T", "000660.KS", "005930.KS", "RR.L", "ASML.AS", "2330.TW", "COHR"}

// genInput builds a random but well-formed market for r: four segments over
// three eras, a symbol in two segments, weights from 0.5 to 3, one symbol
// with no data at all, and data for every genSymbols member, SPY and the FX
// pair of every currency.
func genInput(t testing.TB, seed uint64, r feeds.Range) Input {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(n int) []watchlists.Symbol {
		var out []watchlists.Symbol
		for _, i := range rng.Perm(len(genSymbols))[:n] {
			out = append(out, watchlists.Symbol{Symbol: genSymbols[i], Weight: 0.5 + float64(rng.IntN(6))/2})
		}
		return out
	}
	set := watchlists.Set{Source: "generated", Segments: []watchlists.Segment{
		{File: "10-gpus.yaml", Name: "GPUs", Era: watchlists.Training, Symbols: pick(4)},
		{File: "20-hbm.yaml", Name: "HBM", Era: watchlists.Training, Symbols: append(pick(3), watchlists.Symbol{Symbol: "NOPE", Weight: 1})},
		{File: "50-asic.yaml", Name: "ASICs", Era: watchlists.Inference, Symbols: pick(5)},
		{File: "90-bench.yaml", Name: "Indices", Era: watchlists.Benchmark, Symbols: pick(2)},
	}}
	in := Input{Set: set, Range: r, AsOf: genAsOf, Quotes: map[string]feeds.Quote{},
		Series: map[string]feeds.Series{}, Daily: map[string]feeds.Series{}, Benchmark: "SPY",
		Feed: feeds.Health{Feed: "sim", State: feeds.StateSimulated, Detail: "seed 7", Simulated: true}}
	every := watchlists.Set{Segments: []watchlists.Segment{{}}}
	for _, sym := range genSymbols {
		every.Segments[0].Symbols = append(every.Segments[0].Symbols, watchlists.Symbol{Symbol: sym})
	}
	for _, sym := range Symbols(every, "SPY") {
		start := 50 + rng.Float64()*200
		q, s := walk(rng, sym, r, start)
		in.Quotes[sym], in.Series[sym] = q, s
		_, in.Daily[sym] = walk(rng, sym, feeds.Range6M, start)
	}
	return in
}

// walk is a random walk over the sessions of sym's exchange that r needs,
// and the quote at its end.
func walk(rng *rand.Rand, sym string, r feeds.Range, start float64) (feeds.Quote, feeds.Series) {
	ex := market.ForSymbol(sym)
	s := feeds.Series{Symbol: sym, Range: r, Interval: r.Interval(), PreviousClose: start}
	p := start
	prevSession := start
	for _, per := range ex.Sessions(r.Start(genAsOf), genAsOf) {
		prevSession = p
		step := r.Interval()
		if !r.Intraday() {
			step = per.End.Sub(per.Start) + time.Nanosecond
		}
		for tm := per.Start; tm.Before(per.End) && !tm.After(genAsOf); tm = tm.Add(step) {
			p *= math.Exp(rng.NormFloat64() * 0.01)
			s.Times, s.Closes = append(s.Times, tm), append(s.Closes, p)
		}
		if r.Intraday() {
			s.Periods = append(s.Periods, per)
		}
	}
	last, _, _ := s.Last()
	return feeds.Quote{Symbol: sym, Name: "Name of " + sym, Price: p, PreviousClose: prevSession,
		Currency: ex.Currency, Exchange: ex.Code, ExchangeTZ: ex.TZ, MarketState: ex.State(genAsOf),
		QuoteTime: last}, s
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func assertNear(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// assertRounded is assertNear for a figure read back from the JSON, where
// it and what it is recomputed from are each rounded to decimals: they
// agree to within two units of the last decimal.
func assertRounded(t *testing.T, what string, got, want float64, decimals int) {
	t.Helper()
	if math.Abs(got-want) > 2*math.Pow10(-decimals) && !near(got, want) {
		t.Errorf("%s = %.12g, want %.12g to %d decimals", what, got, want, decimals)
	}
}

func assertOpt(t *testing.T, what string, got Opt, want float64) {
	t.Helper()
	if !got.Valid {
		t.Errorf("%s is unknown, want %.12g", what, want)
		return
	}
	assertNear(t, what, got.Value, want)
}

func segmentByFile(t *testing.T, r Report, file string) SegmentResult {
	t.Helper()
	for _, s := range r.Segments {
		if s.File == file {
			return s
		}
	}
	t.Fatalf("no segment %s in report", file)
	return SegmentResult{}
}

func symbolRow(t *testing.T, s SegmentResult, sym string) SymbolResult {
	t.Helper()
	for _, m := range s.Symbols {
		if m.Symbol == sym {
			return m
		}
	}
	t.Fatalf("no %s in segment %s", sym, s.File)
	return SymbolResult{}
}

func rangeName(r feeds.Range, seed uint64) string { return fmt.Sprintf("%s/seed%d", r, seed) }
