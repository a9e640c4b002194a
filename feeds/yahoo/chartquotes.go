package yahoo

import (
	"cmp"
	"context"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// quotesFromCharts prices symbols from spark's one-day charts, which need
// no crumb: what the feed shows while Yahoo refuses its session. Such a
// quote has a price, a previous close, a time, a currency and a zone, but
// no pre/post prices and none of the figures of a full quote but the
// 52-week range and volume; it is marked FromChart.
func (f *Feed) quotesFromCharts(ctx context.Context, symbols []string) ([]feeds.Quote, error) {
	now := f.clock()
	var out []feeds.Quote
	for _, batch := range batches(symbols, SparkBatch) {
		results, ferr := f.spark(ctx, batch, feeds.Range1D)
		if ferr != nil {
			if sparkBroken(ferr) {
				f.track.failed(ferr) // nothing else to fall back on: say so
			}
			return out, ferr
		}
		for _, sym := range batch {
			if res, ok := results[sym]; ok {
				if q, ok := quoteFromChart(res, sym, now); ok {
					out = append(out, q)
				}
			}
		}
	}
	return out, nil
}

// quoteFromChart builds a quote from a chart result's meta: its
// regularMarketPrice, else (older bodies) its last close; previousClose,
// else chartPreviousClose, which for a one-day chart is the same close.
func quoteFromChart(res chartResult, sym string, now time.Time) (feeds.Quote, bool) {
	m := res.Meta
	price := m.RegularMarketPrice
	at, _ := unixTime(m.RegularMarketTime)
	if m.RegularMarketTime <= 0 {
		at = time.Time{}
	}
	if !(price > 0) {
		t, c, ok := seriesOf(res, sym, feeds.Range1D).Last()
		if !ok {
			return feeds.Quote{}, false
		}
		price, at = c, t
	}
	prev := m.PreviousClose
	if !(prev > 0) {
		prev = m.ChartPreviousClose
	}
	q := feeds.Quote{
		Symbol: sym, Name: cmp.Or(m.LongName, m.ShortName), Price: price, PreviousClose: prev,
		Currency: m.Currency, Exchange: cmp.Or(m.FullExchangeName, m.ExchangeName), ExchangeTZ: m.ExchangeTimezoneName,
		MarketState: stateAt(res, now), QuoteTime: at, Volume: int64(max(m.RegularMarketVolume, 0)),
		FiftyTwoWeekHigh: positive(&m.FiftyTwoWeekHigh), FiftyTwoWeekLow: positive(&m.FiftyTwoWeekLow),
		FromChart: true,
	}
	if prev > 0 {
		q.Change = price - prev
		q.ChangePercent = 100 * (price/prev - 1)
	}
	return q, true
}

// stateAt reads the market state from the chart's current trading period,
// which is all a chart says about it; CLOSED outside every part of it.
func stateAt(res chartResult, now time.Time) feeds.MarketState {
	p := res.Meta.CurrentTradingPeriod
	in := func(start, end int) bool {
		return start > 0 && end > start && !now.Before(time.Unix(int64(start), 0)) && now.Before(time.Unix(int64(end), 0))
	}
	switch {
	case in(p.Regular.Start, p.Regular.End):
		return feeds.Regular
	case in(p.Pre.Start, p.Pre.End):
		return feeds.Pre
	case in(p.Post.Start, p.Post.End):
		return feeds.Post
	}
	return feeds.Closed
}
