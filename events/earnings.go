package events

import (
	"cmp"
	"slices"

	"github.com/rotation-dev/rotation/feeds"
)

// Earnings are the earnings dates the quotes carry, one event per symbol
// on its UTC date, labelled "NVDA earnings" and belonging to that symbol's
// charts alone, sorted by symbol so the output is stable. The symbol and
// label come from the feed: callers sanitize them before they are shown.
func Earnings(quotes map[string]feeds.Quote) []Event {
	var out []Event
	for sym, q := range quotes {
		if q.EarningsTime == nil || q.EarningsTime.IsZero() {
			continue
		}
		out = append(out, Event{Date: dateOf(*q.EarningsTime), Label: sym + " earnings",
			Symbols: []string{sym}, Source: SourceEarnings})
	}
	slices.SortFunc(out, func(a, b Event) int { return cmp.Compare(a.Symbols[0], b.Symbols[0]) })
	return out
}
