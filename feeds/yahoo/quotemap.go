package yahoo

import (
	"cmp"
	"fmt"
	"math"
	"time"

	finance "github.com/piquette/finance-go"
	"github.com/rotation-dev/rotation/feeds"
)

// mapQuote turns finance-go's quote into ours, with what finance.Quote
// lacks (longName, market cap, volumes, earnings, P/E) read from the body by
// quoteDetails; shortName stands in for a missing longName. Names are kept
// as Yahoo sends them: the UI sanitizes what it shows.
func mapQuote(q *finance.Quote, d quoteDetail) feeds.Quote {
	out := feeds.Quote{
		Symbol:              q.Symbol,
		Name:                cmp.Or(d.LongName, q.ShortName),
		Price:               q.RegularMarketPrice,
		PreviousClose:       q.RegularMarketPreviousClose,
		Change:              q.RegularMarketChange,
		ChangePercent:       q.RegularMarketChangePercent,
		Currency:            q.CurrencyID,
		Exchange:            cmp.Or(q.FullExchangeName, q.ExchangeID),
		ExchangeTZ:          q.ExchangeTimezoneName,
		MarketState:         marketState(q.MarketState),
		PrePrice:            q.PreMarketPrice,
		PreChange:           q.PreMarketChange,
		PreChangePercent:    q.PreMarketChangePercent,
		PostPrice:           q.PostMarketPrice,
		PostChange:          q.PostMarketChange,
		PostChangePercent:   q.PostMarketChangePercent,
		DelayMinutes:        q.QuoteDelay,
		Volume:              int64(q.RegularMarketVolume),
		MarketCap:           positive(d.MarketCap),
		SharesOutstanding:   positive(d.SharesOutstanding),
		AverageVolume3Month: positive(d.AverageDailyVolume3Month),
		AverageVolume10Day:  positive(d.AverageDailyVolume10Day),
		FiftyTwoWeekHigh:    positive(d.FiftyTwoWeekHigh),
		FiftyTwoWeekLow:     positive(d.FiftyTwoWeekLow),
		EarningsTime:        epoch(d.EarningsTimestamp),
		EarningsStart:       epoch(d.EarningsTimestampStart),
		EarningsEnd:         epoch(d.EarningsTimestampEnd),
		TrailingPE:          finite(d.TrailingPE),
		ForwardPE:           finite(d.ForwardPE),
		FinancialCurrency:   d.FinancialCurrency,
	}
	if t, ok := unixTime(int64(q.RegularMarketTime)); ok && q.RegularMarketTime > 0 {
		out.QuoteTime = t
	}
	return out
}

// quoteDetail is what the feed reads of a quote besides finance.Quote. A
// field of the wrong type is lost alone (see decode), never the body.
type quoteDetail struct {
	Symbol                   string   `json:"symbol"`
	LongName                 string   `json:"longName"`
	MarketCap                *float64 `json:"marketCap"`
	SharesOutstanding        *float64 `json:"sharesOutstanding"`
	AverageDailyVolume3Month *float64 `json:"averageDailyVolume3Month"`
	AverageDailyVolume10Day  *float64 `json:"averageDailyVolume10Day"`
	FiftyTwoWeekHigh         *float64 `json:"fiftyTwoWeekHigh"`
	FiftyTwoWeekLow          *float64 `json:"fiftyTwoWeekLow"`
	EarningsTimestamp        *int64   `json:"earningsTimestamp"`
	EarningsTimestampStart   *int64   `json:"earningsTimestampStart"`
	EarningsTimestampEnd     *int64   `json:"earningsTimestampEnd"`
	TrailingPE               *float64 `json:"trailingPE"`
	ForwardPE                *float64 `json:"forwardPE"`
	FinancialCurrency        string   `json:"financialCurrency"`
}

// positive keeps a figure that can only be above zero (a cap, a volume, a
// price), and drops anything else as absent rather than as 0.
func positive(v *float64) *float64 {
	if v == nil || !(*v > 0) || math.IsInf(*v, 0) {
		return nil
	}
	return v
}

// finite keeps a figure that may be negative (a P/E of a loss-maker).
func finite(v *float64) *float64 {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return nil
	}
	return v
}

func epoch(sec *int64) *time.Time {
	if sec == nil || *sec <= 0 {
		return nil
	}
	t, ok := unixTime(*sec)
	if !ok {
		return nil
	}
	return &t
}

// marketState maps Yahoo's six states onto our four. PREPRE (overnight,
// before pre-market opens) and POSTPOST (after post-market closes) are
// CLOSED: nothing trades. The extended-hours prices Yahoo still sends then
// are kept in Pre*/Post* fields. Anything unknown is CLOSED too, so a new
// state never shows as trading.
func marketState(s finance.MarketState) feeds.MarketState {
	switch s {
	case finance.MarketStatePre:
		return feeds.Pre
	case finance.MarketStateRegular:
		return feeds.Regular
	case finance.MarketStatePost:
		return feeds.Post
	default:
		return feeds.Closed
	}
}

// quoteDetails reads, by symbol, what mapQuote takes from the body besides
// finance.Quote. A body without a quoteResponse is malformed, not an empty
// answer.
func quoteDetails(op string, body []byte) (map[string]quoteDetail, *feeds.Error) {
	var r struct {
		QuoteResponse *struct {
			Result []quoteDetail `json:"result"`
		} `json:"quoteResponse"`
	}
	if ferr := decode(op, body, &r); ferr != nil {
		return nil, ferr
	}
	if r.QuoteResponse == nil {
		return nil, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("Yahoo sent a body without a quoteResponse; it starts %q", prefix(body, 24))}
	}
	details := make(map[string]quoteDetail, len(r.QuoteResponse.Result))
	for _, q := range r.QuoteResponse.Result {
		details[q.Symbol] = q
	}
	return details, nil
}
