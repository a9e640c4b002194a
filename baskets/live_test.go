package baskets

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
)

// seriesOf serves in's own series for its range and its daily closes for
// every daily range, as the poller's update does.
func seriesOf(in Input) func(feeds.Range) map[string]feeds.Series {
	return func(r feeds.Range) map[string]feeds.Series {
		switch {
		case r == in.Range:
			return in.Series
		case r.Fetched() == feeds.RangeDaily:
			return in.Daily
		}
		return nil
	}
}

func TestRepriceEqualsComputingAfresh(t *testing.T) {
	for _, r := range []feeds.Range{feeds.Range1D, feeds.Range5D, feeds.Range1Y} {
		for _, cur := range []string{Local, USD} {
			t.Run(string(r)+"/"+cur, func(t *testing.T) {
				in := benchInput(t, r, cur)
				_, live := ComputeLive(in, seriesOf(in), feeds.Range6M)
				quotes := in.Quotes
				// Three trades, then two more: a Tokyo member, a New York one
				// and the benchmark; then one of them again and a Seoul one.
				for _, changed := range [][]string{{"1000.T", "U11", "SPY"}, {"U11", "510000.KS"}} {
					quotes = maps.Clone(quotes)
					for _, sym := range changed {
						q := quotes[sym]
						q.Price = roundTo(q.Price*1.0125, Decimals(q.Price, q.PreviousClose))
						quotes[sym] = q
					}
					got, ok := live.Reprice(quotes, changed, in.AsOf, in.Feed, in.Stale)
					if !ok {
						t.Fatalf("Reprice refused %v", changed)
					}
					after := in
					after.Quotes = quotes
					want := ComputeAll(after, seriesOf(after), feeds.Range6M)
					if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
						t.Fatalf("after %v, Reprice differs from ComputeAll:\n got %.600s\nwant %.600s", changed, g, w)
					}
				}
			})
		}
	}
}

func TestRepriceRefusesWhatReachesBeyondAPrice(t *testing.T) {
	in := benchInput(t, feeds.Range1D, USD)
	for name, change := range map[string]func(q feeds.Quote) feeds.Quote{
		"a new previous close": func(q feeds.Quote) feeds.Quote { q.PreviousClose *= 1.01; return q },
		"a price 4x the close": func(q feeds.Quote) feeds.Quote { q.Price *= 4; return q },
		"no price":             func(q feeds.Quote) feeds.Quote { q.Price = 0; return q },
	} {
		_, live := ComputeLive(in, seriesOf(in))
		quotes := maps.Clone(in.Quotes)
		quotes["U11"] = change(quotes["U11"])
		if _, ok := live.Reprice(quotes, []string{"U11"}, in.AsOf, in.Feed, nil); ok {
			t.Errorf("%s: repriced in place", name)
		}
	}
	_, live := ComputeLive(in, seriesOf(in))
	if _, ok := live.Reprice(in.Quotes, []string{"JPY=X"}, in.AsOf, in.Feed, nil); ok {
		t.Error("an FX rate repriced in place")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func BenchmarkReprice(b *testing.B) {
	in := benchInput(b, feeds.Range1D, Local)
	_, live := ComputeLive(in, seriesOf(in))
	quotes := maps.Clone(in.Quotes)
	q := quotes["U11"]
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		q.Price = roundTo(q.Price*(1+1e-3*float64(i%3-1)), 2)
		quotes["U11"] = q
		if _, ok := live.Reprice(quotes, []string{"U11"}, in.AsOf, in.Feed, nil); !ok {
			b.Fatal("refused")
		}
	}
}
