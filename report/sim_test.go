package report

import (
	"context"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/watchlists"
)

// simAsOf is a Wednesday afternoon in New York, with Europe closed and Asia
// long closed.
var simAsOf = time.Date(2025, 10, 29, 20, 30, 0, 0, time.UTC)

// simInput is the default watchlists on the simulated market at simAsOf:
// what `rotation print --feed sim` computes, without the poller; more are
// symbols held or alerted on, fetched too.
func simInput(t testing.TB, seed int64, r feeds.Range, more ...string) baskets.Input {
	t.Helper()
	f := sim.New(sim.Options{Seed: seed, Clock: func() time.Time { return simAsOf }})
	set := watchlists.Defaults()
	syms := baskets.Symbols(set, "SPY", more...)
	ctx := context.Background()
	qs, err := f.Quotes(ctx, syms)
	if err != nil {
		t.Fatal(err)
	}
	in := baskets.Input{Set: set, Range: r, AsOf: simAsOf, Benchmark: "SPY", Quotes: map[string]feeds.Quote{},
		Series: map[string]feeds.Series{}, Daily: map[string]feeds.Series{}, Feed: f.Health()}
	for _, q := range qs {
		in.Quotes[q.Symbol] = q
	}
	for _, sym := range syms {
		if in.Series[sym], err = f.Series(ctx, sym, r); err != nil {
			t.Fatal(err)
		}
		if in.Daily[sym], err = f.Series(ctx, sym, feeds.RangeDaily); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

func simReport(t testing.TB, seed int64, r feeds.Range) baskets.Report {
	return baskets.Compute(simInput(t, seed, r))
}
