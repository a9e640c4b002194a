package baskets

import (
	"slices"
	"testing"

	"github.com/rotation-dev/rotation/watchlists"
)

func TestSymbolsAddsBenchmarkAndFXPairs(t *testing.T) {
	set := watchlists.Set{Segments: []watchlists.Segment{
		{Symbols: []watchlists.Symbol{{Symbol: "NVDA"}, {Symbol: "000660.KS"}, {Symbol: "RR.L"}}},
		{Symbols: []watchlists.Symbol{{Symbol: "6857.T"}, {Symbol: "8035.T"}, {Symbol: "NVDA"}}},
	}}
	want := []string{"000660.KS", "6857.T", "8035.T", "GBP=X", "JPY=X", "KRW=X", "NVDA", "RR.L", "SPY"}
	if got := Symbols(set, ""); !slices.Equal(got, want) {
		t.Errorf("Symbols = %v, want %v", got, want)
	}
	if got := Symbols(set, "QQQ"); !slices.Contains(got, "QQQ") || slices.Contains(got, "SPY") {
		t.Errorf("benchmark QQQ: %v", got)
	}
}
