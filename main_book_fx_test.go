package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/market"
)

// Through print, a dated London lot's cost converts at GBP=X's close of its
// date, taken from the pair's daily series the run fetched, so pnlUSD holds
// the pound's move and fxPnlUSD says how much.
func TestPrintDatedLotCostsAtItsDatesRate(t *testing.T) {
	isolate(t)
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	holdings := filepath.Join(t.TempDir(), "holdings.yaml")
	if err := os.WriteFile(holdings, []byte("positions:\n  - {symbol: VOD.L, quantity: 1000, cost: 80, fees: 500, date: 2026-03-02}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	then := simCloseOn(t, now, "GBP=X", feeds.RangeDaily, "2026-03-02")
	type position struct {
		ValueUSD, PnL, PnLUSD, CostUSD, FeesUSD, FXPnLUSD *float64
		Flags                                             []string
	}
	p := printAs[struct {
		Holdings struct{ Positions []position }
	}](t, []string{"--feed", "sim", "--seed", "7", "--now", now.Format(time.RFC3339), "--holdings", holdings}, env())
	got := p.Holdings.Positions[0]
	if got.CostUSD == nil || got.PnLUSD == nil || got.FXPnLUSD == nil || got.ValueUSD == nil || got.PnL == nil {
		t.Fatalf("position %+v: a figure is null", got)
	}
	cents := func(x float64) float64 { return math.Round(100*x) / 100 }
	if want := cents(80000 / (then * 100)); *got.CostUSD != want {
		t.Errorf("costUSD = %v, want 80,000p at %v = %v", *got.CostUSD, then, want)
	}
	if want := cents(*got.ValueUSD - 80000/(then*100) - 500/(then*100)); math.Abs(*got.PnLUSD-want) > 0.011 {
		t.Errorf("pnlUSD = %v, want valueUSD - costUSD - feesUSD = %v", *got.PnLUSD, want)
	}
	if len(got.Flags) != 0 {
		t.Errorf("flags %q on a dated lot within the pair's history", got.Flags)
	}
	if *got.FXPnLUSD == 0 {
		t.Error("fxPnlUSD is 0: the pound moved between March and November in the simulation too")
	}
}

// A lot bought years before the pair's daily history reaches still gets its
// date's rate: print fetches the pair's long history for it.
func TestPrintOldLotCostsAtItsDatesRate(t *testing.T) {
	isolate(t)
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	holdings := filepath.Join(t.TempDir(), "holdings.yaml")
	if err := os.WriteFile(holdings, []byte("positions:\n  - {symbol: VOD.L, quantity: 1000, cost: 80, date: 2019-05-02}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	then := simCloseOn(t, now, "GBP=X", feeds.RangeLong, "2019-05-02")
	p := printAs[struct {
		Holdings struct {
			Positions []struct {
				CostUSD, FXPnLUSD *float64
				Flags             []string
			}
		}
	}](t, []string{"--feed", "sim", "--seed", "7", "--now", now.Format(time.RFC3339), "--holdings", holdings}, env())
	got := p.Holdings.Positions[0]
	if want := math.Round(100*80000/(then*100)) / 100; got.CostUSD == nil || *got.CostUSD != want || got.FXPnLUSD == nil || len(got.Flags) != 0 {
		t.Errorf("costUSD %v, fxPnlUSD %v, flags %q; want %v at GBP=X's %v of 2019-05-02, no flag", deref(got.CostUSD), deref(got.FXPnLUSD), got.Flags, want, then)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// simCloseOn is the simulated market's (seed 7, at now) daily close of an
// FX pair on day (YYYY-MM-DD), dated in London as Yahoo dates FX bars.
func simCloseOn(t *testing.T, now time.Time, pair string, r feeds.Range, day string) float64 {
	t.Helper()
	f := sim.New(sim.Options{Seed: 7, Clock: func() time.Time { return now }})
	s, err := f.Series(context.Background(), pair, r)
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range s.Times {
		if tm.In(market.Location("Europe/London")).Format(time.DateOnly) == day {
			return s.Closes[i]
		}
	}
	t.Fatalf("the simulated %s has no close on %s", pair, day)
	return 0
}
