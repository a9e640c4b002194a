// Package feeds defines what the rest of rotation knows about market data:
// quotes, price series and the health of their source. Yahoo, the simulated
// market and replay all implement Feed; nothing here imports a UI.
package feeds

import (
	"context"
	"time"
)

// Feed is a source of market data. Implementations must be safe for use by
// one goroutine at a time; the Poller never calls a Feed concurrently.
type Feed interface {
	// Name is "yahoo", "sim" or "replay" (or "auto" for the fallback feed).
	Name() string
	// Quotes returns the latest quote of each symbol the source knows. A
	// symbol it does not know is absent from the result, not an error. On a
	// partial failure it returns what it got together with the error.
	Quotes(ctx context.Context, symbols []string) ([]Quote, error)
	// Series returns the price history of one symbol over a range.
	Series(ctx context.Context, symbol string, r Range) (Series, error)
	// Health says, at a glance, whether the data can be trusted right now.
	Health() Health
}

// Clock tells the time. Injected everywhere so tests and --now are exact.
type Clock func() time.Time

// MarketState is the trading state of a listing's exchange at quote time.
type MarketState string

const (
	Pre     MarketState = "PRE"
	Regular MarketState = "REGULAR"
	Post    MarketState = "POST"
	Closed  MarketState = "CLOSED"
)

// Quote is one listing's latest price. Prices are in Currency units (GBp for
// London lines, as Yahoo reports them).
type Quote struct {
	Symbol        string      `json:"symbol"`
	Name          string      `json:"name"`
	Price         float64     `json:"price"`
	PreviousClose float64     `json:"previousClose"`
	Change        float64     `json:"change"`
	ChangePercent float64     `json:"changePercent"`
	Currency      string      `json:"currency"`
	Exchange      string      `json:"exchange"`
	ExchangeTZ    string      `json:"exchangeTimezone"` // IANA name, e.g. "America/New_York"
	MarketState   MarketState `json:"marketState"`
	// Extended-hours figures; zero when the source gives none.
	PrePrice          float64   `json:"prePrice,omitempty"`
	PreChange         float64   `json:"preChange,omitempty"`
	PreChangePercent  float64   `json:"preChangePercent,omitempty"`
	PostPrice         float64   `json:"postPrice,omitempty"`
	PostChange        float64   `json:"postChange,omitempty"`
	PostChangePercent float64   `json:"postChangePercent,omitempty"`
	QuoteTime         time.Time `json:"quoteTime"`
	DelayMinutes      int       `json:"delayMinutes"`
	Volume            int64     `json:"volume"`
}

// Period is one regular trading session.
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Series is a price history: closes at increasing timestamps, never a zero
// or null bar.
type Series struct {
	Symbol        string        `json:"symbol"`
	Range         Range         `json:"range"`
	Interval      time.Duration `json:"interval"`
	Times         []time.Time   `json:"times"`
	Closes        []float64     `json:"closes"`
	PreviousClose float64       `json:"previousClose,omitempty"` // the close before the series starts, when known
	Periods       []Period      `json:"periods,omitempty"`       // regular sessions covered, when known
}

// Len is the number of bars.
func (s Series) Len() int { return len(s.Times) }

// Last returns the last close and its time; ok is false for an empty series.
func (s Series) Last() (t time.Time, close float64, ok bool) {
	if len(s.Times) == 0 {
		return time.Time{}, 0, false
	}
	return s.Times[len(s.Times)-1], s.Closes[len(s.Closes)-1], true
}
