package baskets

import (
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// Settings are the choices a person makes about a report, from flags and
// keys: everything in an Input that is not market data.
type Settings struct {
	Range        feeds.Range
	Currency     string // Local or a currency code
	Benchmark    string
	RotationMode string // RotationDaily or RotationWeekly
	Weighting    string // WeightFile, WeightEqual or WeightCap
}

// NewInput is the one place an Input is assembled from a refresh of the
// poller: the quotes, the active range's series, the daily series (every
// daily range and the rotation map read them) and the feed's health, at
// asOf. stale marks symbols whose last good quote is old; nil for none.
func NewInput(set watchlists.Set, u feeds.Update, s Settings, asOf time.Time, stale map[string]bool) Input {
	return Input{
		Set:          set,
		Range:        s.Range,
		AsOf:         asOf,
		Quotes:       u.Quotes,
		Series:       u.SeriesFor(s.Range),
		Daily:        u.SeriesFor(feeds.RangeDaily),
		Currency:     s.Currency,
		Benchmark:    s.Benchmark,
		RotationMode: s.RotationMode,
		Weighting:    s.Weighting,
		Stale:        stale,
		Feed:         u.Health,
	}
}
