package report

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestKeptDailyHistoryChangesNoFigure: the poller keeps a year and seven
// weeks of the two-year daily series. Every daily range, in local currency
// and in dollars, with the daily and the weekly rotation map, must come out
// byte for byte as from the whole two years: on the default lists, on an
// ordinary afternoon, on the first session of a year and on a leap day.
func TestKeptDailyHistoryChangesNoFigure(t *testing.T) {
	for _, asOf := range []time.Time{
		simAsOf,
		time.Date(2026, 1, 2, 21, 0, 0, 0, time.UTC),
		time.Date(2028, 2, 29, 15, 0, 0, 0, time.UTC),
	} {
		f := sim.New(sim.Options{Seed: 3, Clock: func() time.Time { return asOf }})
		set := watchlists.Defaults()
		syms := baskets.Symbols(set, "SPY")
		ctx := context.Background()
		qs, err := f.Quotes(ctx, syms)
		if err != nil {
			t.Fatal(err)
		}
		whole, kept := map[string]feeds.Series{}, map[string]feeds.Series{}
		shorter := 0
		for _, sym := range syms {
			s, err := f.Series(ctx, sym, feeds.RangeDaily)
			if err != nil {
				t.Fatal(err)
			}
			whole[sym], kept[sym] = s, feeds.KeptHistory(s)
			if kept[sym].Len() < s.Len()*2/3 {
				shorter++
			}
		}
		if shorter < len(syms)*9/10 {
			t.Fatalf("%s: only %d of %d series were cut by a third or more: the cut is not tested", asOf, shorter, len(syms))
		}
		quotes := map[string]feeds.Quote{}
		for _, q := range qs {
			quotes[q.Symbol] = q
		}
		for _, r := range feeds.Ranges {
			if r.Intraday() || r.Long() { // the long ranges read the years
				continue
			}
			for _, cur := range []string{baskets.Local, baskets.USD} {
				for _, mode := range []string{baskets.RotationDaily, baskets.RotationWeekly} {
					in := func(daily map[string]feeds.Series) baskets.Input {
						return baskets.Input{Set: set, Range: r, AsOf: asOf, Benchmark: "SPY", Currency: cur, RotationMode: mode,
							Quotes: quotes, Series: daily, Daily: daily, Feed: f.Health()}
					}
					a, _ := json.Marshal(baskets.Compute(in(whole)))
					b, _ := json.Marshal(baskets.Compute(in(kept)))
					if string(a) != string(b) {
						t.Errorf("%s %s %s %s: the report differs with the kept history", asOf.Format(time.DateOnly), r, cur, mode)
					}
				}
			}
		}
	}
}
