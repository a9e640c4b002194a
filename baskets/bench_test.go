package baskets

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// benchInput is 8 segments of 9 symbols (72: 52 New York, 10 Tokyo, 10
// Seoul), each with a quote, a series for r and 6 months of daily closes.
func benchInput(b testing.TB, r feeds.Range, currency string) Input {
	rng := rand.New(rand.NewPCG(5, 5))
	var set watchlists.Set
	for s := range 8 {
		seg := watchlists.Segment{File: fmt.Sprintf("%02d.yaml", s), Name: fmt.Sprint("segment ", s),
			Era: []watchlists.Era{watchlists.Training, watchlists.Inference}[s%2]}
		for k := range 9 {
			sym := fmt.Sprintf("U%d%d", s, k)
			switch {
			case s == 0 || s == 3:
				sym = fmt.Sprintf("%d%d00.T", s+1, k)
			case s == 5 && k > 0 || s == 6 && k < 2:
				sym = fmt.Sprintf("%d%d0000.KS", s, k)
			}
			seg.Symbols = append(seg.Symbols, watchlists.Symbol{Symbol: sym, Weight: 1 + float64(k%3)})
		}
		set.Segments = append(set.Segments, seg)
	}
	in := Input{Set: set, Range: r, AsOf: genAsOf, Currency: currency, Quotes: map[string]feeds.Quote{},
		Series: map[string]feeds.Series{}, Daily: map[string]feeds.Series{}}
	for _, sym := range Symbols(set, "SPY") {
		in.Quotes[sym], in.Series[sym] = walk(rng, sym, r, 100)
		_, in.Daily[sym] = walk(rng, sym, feeds.Range6M, 100)
	}
	if n := len(set.Symbols()); n != 72 {
		b.Fatalf("%d symbols, want 72", n)
	}
	return in
}

func BenchmarkCompute(b *testing.B) {
	for _, r := range []feeds.Range{feeds.Range1D, feeds.Range5D, feeds.Range1Y} {
		for _, cur := range []string{Local, USD} {
			b.Run(string(r)+"/"+cur, func(b *testing.B) {
				in := benchInput(b, r, cur)
				b.ReportAllocs()
				for b.Loop() {
					Compute(in)
				}
			})
		}
	}
}
