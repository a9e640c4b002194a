package book

import (
	"math"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestValueUnpriced: a lot that cannot be put in dollars has null USD
// figures and a flag saying why, and stays out of every total. What is known
// in the listing's own currency is still shown.
func TestValueUnpriced(t *testing.T) {
	lots := []Lot{
		{Symbol: "NVDA", Quantity: 2, Cost: 100},    // the one priced lot: $240
		{Symbol: "AMD", Quantity: 1, Cost: 1},       // no quote at all
		{Symbol: "VST", Quantity: 1, Cost: 1},       // price 0
		{Symbol: "TSM", Quantity: 1, Cost: 1},       // price NaN
		{Symbol: "ASML.AS", Quantity: 2, Cost: 600}, // EUR, no EUR=X
		{Symbol: "6758.T", Quantity: 1, Cost: 1},    // JPY=X quoted at 0
		{Symbol: "VOD.L", Quantity: 1, Cost: 1},     // no quote: currency from the suffix
	}
	quotes := map[string]feeds.Quote{
		"NVDA":    quote("NVDA", 120, 118, "USD"),
		"VST":     quote("VST", 0, 10, "USD"),
		"TSM":     quote("TSM", math.NaN(), 170, "USD"),
		"ASML.AS": quote("ASML.AS", 700, 690, "EUR"),
		"6758.T":  quote("6758.T", 3300, 3285, ""), // currency from the suffix: JPY
		"JPY=X":   quote("JPY=X", 0, 150, "JPY"),
	}
	b := Value(Holdings{Lots: lots}, exampleSet, quotes, nil)
	wantFlags := []string{
		"",
		"no quote for AMD",
		"quote price 0 is not a price",
		"quote price NaN is not a price",
		"no EUR=X rate to convert EUR to US dollars",
		"no JPY=X rate to convert JPY to US dollars",
		"no quote for VOD.L",
	}
	wantCur := []string{"USD", "USD", "USD", "USD", "EUR", "JPY", "GBp"}
	for i, p := range b.Positions {
		if got := strings.Join(p.Flags, "; "); got != wantFlags[i] || p.Currency != wantCur[i] {
			t.Errorf("%s: flags %q currency %s; want %q %s", p.Symbol, got, p.Currency, wantFlags[i], wantCur[i])
		}
		if i == 0 {
			continue
		}
		if p.Priced() || p.ValueUSD.Valid || p.PnLUSD.Valid || p.DayChangeUSD.Valid || p.Weight.Valid {
			t.Errorf("%s has USD figures: %+v", p.Symbol, p)
		}
	}
	// A listing price without a rate: local figures known, dollars not.
	asml := b.Positions[4]
	if !near(asml.Price, 700) || !near(asml.Value, 1400) || !near(asml.PnL, 200) ||
		!near(asml.PnLPercent, 200.0/12) || !near(asml.DayChange, 20) {
		t.Errorf("ASML.AS local figures %+v", asml)
	}
	for _, i := range []int{1, 2, 3} {
		if p := b.Positions[i]; p.Price.Valid || p.Value.Valid || p.PnL.Valid || p.DayChange.Valid {
			t.Errorf("%s without a usable price has figures: %+v", p.Symbol, p)
		}
	}
	if b.Priced != 1 || b.Total != 7 || !near(b.TotalValueUSD, 240) || !near(b.PnLUSD, 40) ||
		!near(b.DayChangeUSD, 4) || !near(b.Positions[0].Weight, 100) || !near(b.Exposure.Training, 100) {
		t.Errorf("totals: priced %d/%d value %+v pnl %+v day %+v exposure %+v",
			b.Priced, b.Total, b.TotalValueUSD, b.PnLUSD, b.DayChangeUSD, b.Exposure)
	}
	if got, want := b.ExposureLine(), "your book: 100% training, 0% inference (1 of 7 positions priced)"; got != want {
		t.Errorf("ExposureLine = %q, want %q", got, want)
	}
}

// TestValueNothingPriced: with no priced lot every total is unknown, not 0.
func TestValueNothingPriced(t *testing.T) {
	for name, h := range map[string]Holdings{
		"empty book": {},
		"no quotes":  {Lots: []Lot{{Symbol: "NVDA", Quantity: 1, Cost: 1}}},
	} {
		b := Value(h, exampleSet, nil, nil)
		e := b.Exposure
		if b.Priced != 0 || b.TotalValueUSD.Valid || b.PnLUSD.Valid || b.DayChangeUSD.Valid || b.GrossUSD.Valid ||
			e.Training.Valid || e.Inference.Valid || e.Benchmark.Valid || e.Unclassified.Valid {
			t.Errorf("%s: %+v", name, b)
		}
		for _, s := range b.ExposureBySegment {
			if s.Percent.Valid || s.ValueUSD.Valid {
				t.Errorf("%s: segment %s has figures %+v", name, s.File, s)
			}
		}
		if got := b.ExposureLine(); got != "your book: no priced positions" {
			t.Errorf("%s: ExposureLine = %q", name, got)
		}
	}
}

// TestValueNoPreviousClose: the lot is priced and counts in value and P&L;
// only its day's change is unknown, flagged, and left out of that total.
func TestValueNoPreviousClose(t *testing.T) {
	h := Holdings{Lots: []Lot{{Symbol: "NVDA", Quantity: 1, Cost: 100}, {Symbol: "TSM", Quantity: 1, Cost: 100}}}
	q := map[string]feeds.Quote{"NVDA": quote("NVDA", 120, 0, "USD"), "TSM": quote("TSM", 175, 170, "USD")}
	b := Value(h, exampleSet, q, nil)
	nvda := b.Positions[0]
	if !nvda.Priced() || nvda.DayChange.Valid || nvda.DayChangeUSD.Valid ||
		strings.Join(nvda.Flags, ";") != "no previous close: the day's change is unknown" {
		t.Errorf("NVDA %+v", nvda)
	}
	if b.Priced != 2 || !near(b.TotalValueUSD, 295) || !near(b.DayChangeUSD, 5) {
		t.Errorf("priced %d value %+v day %+v", b.Priced, b.TotalValueUSD, b.DayChangeUSD)
	}
	b = Value(Holdings{Lots: h.Lots[:1]}, exampleSet, q, nil)
	if b.DayChangeUSD.Valid || !near(b.TotalValueUSD, 120) {
		t.Errorf("no day change known, total should be null: %+v", b.DayChangeUSD)
	}
}

// TestValueZeroCost: shares received for nothing have a P&L but no
// percentage, since there is no cost basis to divide by.
func TestValueZeroCost(t *testing.T) {
	h := Holdings{Lots: []Lot{{Symbol: "NVDA", Quantity: 4, Cost: 0, Fees: 2}}}
	b := Value(h, watchlists.Set{}, map[string]feeds.Quote{"NVDA": quote("NVDA", 10, 10, "USD")}, nil)
	p := b.Positions[0]
	if !near(p.PnL, 38) || p.PnLPercent.Valid || !near(p.DayChange, 0) || p.Era != Unclassified {
		t.Errorf("%+v", p)
	}
}

// TestValueSanitizesCurrency: the currency comes from the network and is
// shown in the terminal, so escape sequences must not survive.
func TestValueSanitizesCurrency(t *testing.T) {
	h := Holdings{Lots: []Lot{{Symbol: "6758.T", Quantity: 1, Cost: 1}}}
	q := map[string]feeds.Quote{"6758.T": quote("6758.T", 300, 300, "\x1b[31mJPY"), "JPY=X": quote("JPY=X", 150, 150, "JPY")}
	p := Value(h, watchlists.Set{}, q, nil).Positions[0]
	if p.Currency != "JPY" || !near(p.ValueUSD, 2) {
		t.Errorf("currency %q value %+v", p.Currency, p.ValueUSD)
	}
}

// TestValueDoesNotAlias: Value must not hand out slices shared with its
// inputs, or a caller sorting positions would reorder the parsed file.
func TestValueDoesNotAlias(t *testing.T) {
	h := Holdings{Lots: []Lot{{Symbol: "TSM", Quantity: 1, Cost: 1}}}
	b := Value(h, exampleSet, exampleQuotes, nil)
	b.Positions[0].Segments[0] = "changed"
	if exampleSet.Segments[0].File != "10-gpus.yaml" || Value(h, exampleSet, exampleQuotes, nil).Positions[0].Segments[0] != "10-gpus.yaml" {
		t.Fatal("Value shares its segment list")
	}
}
