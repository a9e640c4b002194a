package ui

import (
	"fmt"
	"testing"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/watchlists"
)

// largeSet is 500 symbols in 20 watchlists of 25, half of the symbol
// limit: New York, Tokyo, Seoul and Taipei listings in turn (so three FX
// pairs are fetched too), the eras alternating.
func largeSet() watchlists.Set {
	set := watchlists.Set{Source: "scale"}
	for i := range 20 {
		seg := watchlists.Segment{File: fmt.Sprintf("%02d-scale.yaml", 10+i), Name: fmt.Sprintf("Scale segment %02d", i), Era: watchlists.Training}
		if i%2 == 1 {
			seg.Era = watchlists.Inference
		}
		for j := range 25 {
			k := i*25 + j
			sym := [...]string{fmt.Sprintf("US%03d", k), fmt.Sprintf("%04d.T", 1000+k), fmt.Sprintf("%06d.KS", k), fmt.Sprintf("%04d.TW", 5000+k)}[k%4]
			seg.Symbols = append(seg.Symbols, watchlists.Symbol{Symbol: sym, Weight: 1})
		}
		set.Segments = append(set.Segments, seg)
	}
	return set
}

// TestLargeSetFramesFitTheScreen checks the large set is what the
// benchmarks claim and that its frames, twenty tabs and all, fit 200x60.
func TestLargeSetFramesFitTheScreen(t *testing.T) {
	set := largeSet()
	if n := len(set.Symbols()); n != 500 {
		t.Fatalf("large set has %d distinct symbols, want 500", n)
	}
	if n := len(baskets.Symbols(set, "SPY")); n != 504 {
		t.Fatalf("large set watches %d symbols, want 504 (500, SPY and the JPY, KRW and TWD pairs)", n)
	}
	m := simModel(t, set, 200, 60)
	if got := len(m.update.Quotes); got != 504 {
		t.Errorf("%d quotes after a refresh, want 504", got)
	}
	for tab := range 21 {
		requireFits(t, fmt.Sprintf("tab %d (%s)", tab, m.tabs.ActiveFile()), m.View().Content, 200, 60)
		m = step(m, keyTab)
	}
}

// BenchmarkViewLarge renders full frames of the large set at 200x60: the
// Rotation tab with twenty cards and a 25-row segment tab. Budget: 5 ms.
func BenchmarkViewLarge(b *testing.B) {
	for _, tab := range []struct {
		name string
		key  rune
	}{{"rotation", '0'}, {"segment", '3'}} {
		b.Run(tab.name, func(b *testing.B) {
			m := simModel(b, largeSet(), 200, 60)
			m = step(m, keyRune(tab.key))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkRefreshLarge is one feed update of the large set through
// Update: baskets for 504 symbols, then every view's cached rendering.
func BenchmarkRefreshLarge(b *testing.B) {
	m := simModel(b, largeSet(), 200, 60)
	u := m.update
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m = step(m, quotesUpdatedMsg{u})
	}
}
