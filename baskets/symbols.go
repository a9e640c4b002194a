package baskets

import (
	"slices"

	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// Symbols is every symbol Compute may read, sorted and distinct: the set's
// members, the benchmark (DefaultBenchmark when empty), more (held or
// alerted symbols, a display currency's pair) and the FX pair of each
// non-USD listing currency, inferred from the symbol by market.ForSymbol. A
// listing whose quote later names another currency is flagged when
// converted until its pair is fetched too.
func Symbols(set watchlists.Set, benchmark string, more ...string) []string {
	if benchmark == "" {
		benchmark = DefaultBenchmark
	}
	out := append(set.Symbols(), benchmark)
	for _, sym := range more {
		if sym != "" {
			out = append(out, sym)
		}
	}
	for _, sym := range out {
		if fx, _ := market.FX(market.ForSymbol(sym).Currency); fx != "" {
			out = append(out, fx)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
