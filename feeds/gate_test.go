package feeds

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// scriptFeed answers Quotes with the next scripted list.
type scriptFeed struct {
	fakeFeed
	answers [][]Quote
	series  Series
}

func (f *scriptFeed) Quotes(context.Context, []string) ([]Quote, error) {
	if len(f.answers) == 0 {
		return nil, nil
	}
	q := f.answers[0]
	f.answers = f.answers[1:]
	return q, nil
}

func (f *scriptFeed) Series(context.Context, string, Range) (Series, error) { return f.series, nil }

func q(sym string, price, prev float64) Quote {
	return Quote{Symbol: sym, Price: price, PreviousClose: prev}
}

func TestGateRejectsWhatIsNoPriceAndKeepsTheLastGood(t *testing.T) {
	f := &scriptFeed{answers: [][]Quote{
		{q("A", 100, 99), q("B", 50, 50)},
		{q("A", 1e308, 99), q("B", math.NaN(), 50)},
		{q("A", 0, 99), q("B", -3, 50)},
		{q("A", 101, 99), q("B", 51, 50), q("B", 140, 50)}, // B twice, the second at 2.8x
	}}
	g := NewGate(f, func() time.Time { return budgetT0 })
	ctx := context.Background()
	got, err := g.Quotes(ctx, nil)
	if err != nil || len(got) != 2 {
		t.Fatalf("good quotes: %v, %v", got, err)
	}
	for i := range 2 {
		got, err = g.Quotes(ctx, nil)
		if len(got) != 0 || KindOf(err) != KindUpstream || !strings.Contains(err.Error(), "implausible") {
			t.Fatalf("refresh %d of bad prices: %v, %v; want none and an error", i+2, got, err)
		}
		h := g.Health()
		if h.State != StateStale || h.Rejected != 2 || !strings.Contains(h.Detail, "implausible") || !strings.Contains(h.Detail, "last good") {
			t.Errorf("health after bad prices: %+v; want stale, 2 rejected, saying so", h)
		}
	}
	got, err = g.Quotes(ctx, nil)
	if err != nil || len(got) != 2 || got[1].Symbol != "B" || got[1].Price != 51 {
		t.Fatalf("after a duplicate: %v, %v; want B at 51, the one consistent with the last good 50", got, err)
	}
	if h := g.Health(); h.State != StateLive || h.Rejected != 1 || !strings.Contains(h.Detail, "sent twice") {
		t.Errorf("health = %+v; want live, the duplicate counted", h)
	}
}

func TestGateBelievesASplitOnlyOnceItHolds(t *testing.T) {
	f := &scriptFeed{answers: [][]Quote{{q("S", 1000, 990)}}}
	for range 4 { // a 10:1 split: the price and the previous close move together
		f.answers = append(f.answers, []Quote{q("S", 101, 100)})
	}
	f.answers = append(f.answers, []Quote{q("S", 10, 1000)}) // a bad print, the previous close disagrees
	g := NewGate(f, nil)
	ctx := context.Background()
	g.Quotes(ctx, nil)
	for i := 1; i <= 4; i++ {
		got, _ := g.Quotes(ctx, nil)
		if accepted := len(got) == 1; accepted != (i >= jumpConfirmations) {
			t.Errorf("refresh %d after the split: accepted %v", i, accepted)
		}
	}
	if got, _ := g.Quotes(ctx, nil); len(got) != 0 {
		t.Errorf("a 10x drop with a disagreeing previous close was accepted: %v", got)
	}
}

func TestGateDropsBarsThatAreNoPriceOrASpike(t *testing.T) {
	at := func(i int) time.Time { return budgetT0.Add(time.Duration(i) * 24 * time.Hour) }
	closes := []float64{100, 101, 1010, 102, math.Inf(1), 103, -1, 104, 0.5}
	s := Series{Symbol: "A", Range: RangeDaily, PreviousClose: 99}
	for i, c := range closes {
		s.Times, s.Closes = append(s.Times, at(i)), append(s.Closes, c)
	}
	g := NewGate(&scriptFeed{series: s}, nil)
	got, err := g.Series(context.Background(), "A", RangeDaily)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{100, 101, 102, 103, 104}
	if len(got.Closes) != len(want) || len(got.Times) != len(want) {
		t.Fatalf("closes %v, want %v (a 10x spike, Inf, -1 and a last bar at a 200th dropped)", got.Closes, want)
	}
	for i := range want {
		if got.Closes[i] != want[i] {
			t.Errorf("close %d = %v, want %v", i, got.Closes[i], want[i])
		}
	}
	if h := g.Health(); !strings.Contains(h.Detail, "Dropped 4 implausible chart bar") {
		t.Errorf("health detail %q does not count the dropped bars", h.Detail)
	}
	// A real move that holds is kept: only spikes are dropped.
	s.Closes = []float64{100, 101, 350, 352, 351, 355, 353, 354, 356}
	g = NewGate(&scriptFeed{series: s}, nil)
	if got, _ := g.Series(context.Background(), "A", RangeDaily); len(got.Closes) != 9 {
		t.Errorf("a tripling that holds lost bars: %v", got.Closes)
	}
}

func TestGateForwardsLimitsAndBatches(t *testing.T) {
	inner := &batchFeed{fakeFeed: fakeFeed{known: map[string]bool{"A": true}}, limits: Limits{PerMinute: 30, SeriesBatch: 20}}
	g := NewGate(inner, nil)
	if l := g.(Limited).Limits(); l != inner.limits {
		t.Errorf("limits %+v, want the source's %+v", l, inner.limits)
	}
	got, err := g.(SeriesBatcher).SeriesBatch(context.Background(), []string{"A", "B"}, Range1D)
	if err != nil || len(got) != 1 {
		t.Errorf("batch through the gate: %v, %v", got, err)
	}
	if _, err := NewGate(&fakeFeed{}, nil).(SeriesBatcher).SeriesBatch(context.Background(), []string{"A"}, Range1D); err == nil {
		t.Error("a source that cannot batch must say ErrNoBatch through the gate")
	}
}

// TestGateJumpBoundary: a price at or beyond 3x, or at or below a third, of
// the last good one is refused, as figures.md says; just inside is kept. The
// same boundary drops a spike bar from a series.
func TestGateJumpBoundary(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		last, price float64
		kept        bool
	}{
		{100, 299.9999, true}, {100, 300, false}, {100, 301, false},
		{300, 100.00002, true}, {300, 100, false}, {300, 99, false},
	} {
		f := &scriptFeed{answers: [][]Quote{{q("A", c.last, c.last)}, {q("A", c.price, c.last)}}}
		g := NewGate(f, nil)
		g.Quotes(ctx, nil)
		got, _ := g.Quotes(ctx, nil)
		if kept := len(got) == 1; kept != c.kept {
			t.Errorf("%v after %v: kept %v, want %v", c.price, c.last, kept, c.kept)
		}
	}
	at := func(i int) time.Time { return budgetT0.Add(time.Duration(i) * 24 * time.Hour) }
	for _, c := range []struct {
		around, spike float64
		kept          bool
	}{{100, 299.9999, true}, {100, 300, false}, {300, 100.00002, true}, {300, 100, false}} {
		s := Series{Symbol: "A", Range: RangeDaily}
		for i, v := range []float64{c.around, c.around, c.spike, c.around, c.around} {
			s.Times, s.Closes = append(s.Times, at(i)), append(s.Closes, v)
		}
		got, _ := NewGate(&scriptFeed{series: s}, nil).Series(ctx, "A", RangeDaily)
		if kept := len(got.Closes) == 5; kept != c.kept {
			t.Errorf("bar %v between closes of %v: kept %v, want %v", c.spike, c.around, kept, c.kept)
		}
	}
}

// TestImplausibleJumpExactly: exactly 3x and exactly a third are refused.
func TestImplausibleJumpExactly(t *testing.T) {
	for _, c := range []struct {
		price, ref float64
		bad        bool
	}{{2.999999, 1, false}, {3, 1, true}, {0.3333334, 1, false}, {100, 300, true}, {1, 3, true}, {1, 1, false}} {
		if got := ImplausibleJump(c.price / c.ref); got != c.bad {
			t.Errorf("%v against %v: implausible %v, want %v", c.price, c.ref, got, c.bad)
		}
	}
}
