// Package feeds defines what the rest of rotation knows about market data:
// quotes, price series and the health of their source. Yahoo, the simulated
// market and replay all implement Feed; nothing here imports a UI.
package feeds

import (
	"context"
	"errors"
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

// SeriesBatcher is a Feed that fetches the series of many symbols in one
// request. The poller prefers it to Series where a feed offers it.
type SeriesBatcher interface {
	// SeriesBatch returns the series of symbols over r, by symbol. A symbol
	// the source does not know is absent. An error wrapping ErrNoBatch means
	// the batch path is out of order: fetch these symbols with Series.
	SeriesBatch(ctx context.Context, symbols []string, r Range) (map[string]Series, error)
}

// ErrNoBatch is wrapped by SeriesBatch errors after which the caller should
// fall back to one Series call per symbol.
var ErrNoBatch = errors.New("batched series are unavailable")

// Limits are what a remote source allows; the poller plans every request
// within them. The zero value is a local source: no limit at all.
type Limits struct {
	PerMinute   int // requests in any 60 seconds; 0: unlimited
	QuoteBatch  int // most symbols one quote request carries; 0: all in one
	SeriesBatch int // most symbols one SeriesBatch request carries
}

// Limited is a Feed that states its Limits and counts what it sends, so the
// poller can keep within them exactly, handshakes and retries included.
type Limited interface {
	Limits() Limits
	Requests() int // requests sent so far
}

// LimitsOf is f's limits, or none when f states none (a local feed).
func LimitsOf(f Feed) Limits {
	if l, ok := f.(Limited); ok {
		return l.Limits()
	}
	return Limits{}
}

// RequestsOf is how many requests f has sent, 0 when it does not count them.
func RequestsOf(f Feed) int {
	if l, ok := f.(Limited); ok {
		return l.Requests()
	}
	return 0
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
	// LastTrade is the time of the last trade a stream pushed, in any
	// session; zero when none has come (a polled price).
	LastTrade    time.Time `json:"lastTrade,omitzero"`
	DelayMinutes int       `json:"delayMinutes"`
	Volume       int64     `json:"volume"`

	// Figures for capital flows and the detail view, as the source gives
	// them (Yahoo's names in JSON); nil when it gives none, never 0.
	MarketCap           *float64   `json:"marketCap,omitempty"` // as the source gives it, in the listing's currency
	SharesOutstanding   *float64   `json:"sharesOutstanding,omitempty"`
	AverageVolume3Month *float64   `json:"averageDailyVolume3Month,omitempty"`
	AverageVolume10Day  *float64   `json:"averageDailyVolume10Day,omitempty"`
	FiftyTwoWeekHigh    *float64   `json:"fiftyTwoWeekHigh,omitempty"`
	FiftyTwoWeekLow     *float64   `json:"fiftyTwoWeekLow,omitempty"`
	EarningsTime        *time.Time `json:"earningsTimestamp,omitempty"`
	EarningsStart       *time.Time `json:"earningsTimestampStart,omitempty"`
	EarningsEnd         *time.Time `json:"earningsTimestampEnd,omitempty"`
	TrailingPE          *float64   `json:"trailingPE,omitempty"`
	ForwardPE           *float64   `json:"forwardPE,omitempty"`
	FinancialCurrency   string     `json:"financialCurrency,omitempty"`
	// FromChart marks a quote built from chart data (Yahoo's spark meta)
	// while the full quote path fails: no pre/post prices, names or the
	// figures above.
	FromChart bool `json:"fromChart,omitempty"`
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
