package main

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
)

// print --range 5D --currency USD on the simulated market at 2 January 2026:
// ENR.DE's base is its close of 19 December (Xetra was shut 24-26 and 31
// December and 1 January) and converts at EUR=X's daily close of 19
// December, not at the pair's own 5D base, its close of 26 December.
func TestPrintUSD5DBaseAtThePairsCloseOfItsDate(t *testing.T) {
	isolate(t)
	now := time.Date(2026, 1, 2, 15, 0, 0, 0, time.UTC)
	dir := writeWatchlist(t, "name: Energy\nera: training\nsymbols: [ENR.DE]\n")
	p := printFull(t, []string{"--feed", "sim", "--seed", "7", "--now", now.Format(time.RFC3339),
		"--watchlists", dir, "--range", "5D", "--currency", "USD"}, env())

	// The same market, read straight from the simulation.
	f := sim.New(sim.Options{Seed: 7, Clock: func() time.Time { return now }})
	ctx := context.Background()
	quotes, err := f.Quotes(ctx, []string{"ENR.DE", "EUR=X"})
	if err != nil {
		t.Fatal(err)
	}
	enr, err := f.Series(ctx, "ENR.DE", feeds.Range5D)
	if err != nil {
		t.Fatal(err)
	}
	rate := simCloseOn(t, now, "EUR=X", feeds.RangeDaily, "2025-12-19")
	if rate == 0 || enr.PreviousClose == 0 || enr.Times[0].Day() != 22 {
		t.Fatalf("the simulation changed: EUR=X on 19 December %v, ENR.DE's 5D series from %v after %v", rate, enr.Times[0], enr.PreviousClose)
	}
	want := 100 * ((quotes[0].Price/quotes[1].Price)/(enr.PreviousClose/rate) - 1)

	got := p.Segments[0].Symbols[0]
	if got.Symbol != "ENR.DE" || got.RangeReturn == nil {
		t.Fatalf("%s 5D in USD has no return", got.Symbol)
	}
	if math.Abs(*got.RangeReturn-want) > 1e-6 {
		t.Errorf("ENR.DE 5D in USD = %.6f, want %.6f (base %v at EUR=X %v)", *got.RangeReturn, want, enr.PreviousClose, rate)
	}
}
