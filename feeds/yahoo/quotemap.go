package yahoo

import (
	"fmt"

	finance "github.com/piquette/finance-go"
	"github.com/rotation-dev/rotation/feeds"
)

// mapQuote turns finance-go's quote into ours. longName, which finance.Quote
// lacks, is read from the body by longNames; shortName stands in without it.
// Names are kept as Yahoo sends them: the UI sanitizes what it shows.
func mapQuote(q *finance.Quote, longName string) feeds.Quote {
	name := longName
	if name == "" {
		name = q.ShortName
	}
	exchange := q.FullExchangeName
	if exchange == "" {
		exchange = q.ExchangeID
	}
	out := feeds.Quote{
		Symbol:            q.Symbol,
		Name:              name,
		Price:             q.RegularMarketPrice,
		PreviousClose:     q.RegularMarketPreviousClose,
		Change:            q.RegularMarketChange,
		ChangePercent:     q.RegularMarketChangePercent,
		Currency:          q.CurrencyID,
		Exchange:          exchange,
		ExchangeTZ:        q.ExchangeTimezoneName,
		MarketState:       marketState(q.MarketState),
		PrePrice:          q.PreMarketPrice,
		PreChange:         q.PreMarketChange,
		PreChangePercent:  q.PreMarketChangePercent,
		PostPrice:         q.PostMarketPrice,
		PostChange:        q.PostMarketChange,
		PostChangePercent: q.PostMarketChangePercent,
		DelayMinutes:      q.QuoteDelay,
		Volume:            int64(q.RegularMarketVolume),
	}
	if t, ok := unixTime(int64(q.RegularMarketTime)); ok && q.RegularMarketTime > 0 {
		out.QuoteTime = t
	}
	return out
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

// longNames reads each quote's longName from the body finance-go decoded.
// A body without a quoteResponse is malformed, not an empty answer.
func longNames(op string, body []byte) (map[string]string, *feeds.Error) {
	var r struct {
		QuoteResponse *struct {
			Result []struct {
				Symbol   string `json:"symbol"`
				LongName string `json:"longName"`
			} `json:"result"`
		} `json:"quoteResponse"`
	}
	if ferr := decode(op, body, &r); ferr != nil {
		return nil, ferr
	}
	if r.QuoteResponse == nil {
		return nil, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("Yahoo sent a body without a quoteResponse; it starts %q", prefix(body, 24))}
	}
	names := make(map[string]string, len(r.QuoteResponse.Result))
	for _, q := range r.QuoteResponse.Result {
		names[q.Symbol] = q.LongName
	}
	return names, nil
}
