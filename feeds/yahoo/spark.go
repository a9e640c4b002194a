package yahoo

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"time"

	finance "github.com/piquette/finance-go"
	"github.com/rotation-dev/rotation/feeds"
)

const (
	sparkPath = "/v7/finance/spark"
	// SparkBatch is the most symbols one spark request carries: Yahoo
	// refuses more.
	SparkBatch = 20
	// sparkRetry is how long the feed fetches charts one symbol at a time
	// after spark failed, before it tries spark again.
	sparkRetry = 30 * time.Minute
)

// sparkRanges are spark's range and interval for each series range. Spark
// is asked by range, not by period1/period2: that is what it caches.
var sparkRanges = map[feeds.Range][2]string{
	feeds.Range1D: {"1d", "5m"}, feeds.Range5D: {"5d", "30m"},
	feeds.Range1M: {"1mo", "1d"}, feeds.Range3M: {"3mo", "1d"}, feeds.Range6M: {"6mo", "1d"},
	feeds.RangeYTD: {"ytd", "1d"}, feeds.Range1Y: {"1y", "1d"}, feeds.RangeDaily: {"2y", "1d"},
	feeds.RangeLong: {"10y", "1d"},
}

func sparkParams(r feeds.Range) (rng, interval string) {
	p, ok := sparkRanges[r]
	if !ok {
		p = sparkRanges[feeds.RangeDaily]
	}
	return p[0], p[1]
}

// SeriesBatch implements feeds.SeriesBatcher through Yahoo's spark endpoint:
// up to SparkBatch symbols a request. When spark fails in a way that says
// it is broken (an error object, a 404, a body of another shape) the error
// wraps feeds.ErrNoBatch and, for sparkRetry, spark is not asked again:
// the poller then fetches per-symbol charts within the same budget.
func (f *Feed) SeriesBatch(ctx context.Context, symbols []string, r feeds.Range) (map[string]feeds.Series, error) {
	symbols = uniq(symbols)
	if len(symbols) == 0 {
		return map[string]feeds.Series{}, nil
	}
	if reason := f.track.sparkDown(); reason != "" {
		return nil, fmt.Errorf("Yahoo spark %s: %w", reason, feeds.ErrNoBatch)
	}
	out := make(map[string]feeds.Series, len(symbols))
	for _, batch := range batches(symbols, SparkBatch) {
		results, ferr := f.spark(ctx, batch, r)
		if ferr != nil {
			if sparkBroken(ferr) {
				f.track.sparkFailed(ferr, sparkRetry)
				return out, fmt.Errorf("%w: %w", ferr, feeds.ErrNoBatch)
			}
			return out, ferr
		}
		f.track.sparkWorked()
		for sym, res := range results {
			if s := seriesOf(res, sym, r); s.Len() > 0 {
				out[sym] = s
			}
		}
	}
	return out, nil
}

// sparkBroken tells a failure of the spark path itself, which per-symbol
// charts may survive, from one of Yahoo as a whole (network, 429, 5xx),
// which they would not.
func sparkBroken(err *feeds.Error) bool {
	return err.Kind == feeds.KindUpstream && err.Status < 500
}

// spark fetches the chart results of symbols, keyed as asked. A 400 for a
// batch splits it in two and asks again, so one symbol Yahoo rejects, or a
// smaller limit on symbols a call, costs requests but no data; a 400 for a
// single symbol means Yahoo does not know it.
func (f *Feed) spark(ctx context.Context, symbols []string, r feeds.Range) (map[string]chartResult, *feeds.Error) {
	op := fmt.Sprintf("Yahoo %s spark of %d symbols (%s…)", r, len(symbols), symbols[0])
	if len(symbols) > SparkBatch {
		return nil, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("%d symbols asked, more than the %d Yahoo allows", len(symbols), SparkBatch)}
	}
	if ferr := f.track.gate(op); ferr != nil {
		return nil, ferr
	}
	rng, interval := sparkParams(r)
	q := url.Values{"symbols": {strings.Join(symbols, ",")}, "range": {rng}, "interval": {interval}}
	f.be.begin(op)
	body, ferr := f.be.fetch(ctx, sparkPath, q)
	if ferr != nil && ferr.Status == http.StatusBadRequest {
		if len(symbols) == 1 {
			return map[string]chartResult{}, nil
		}
		half := len(symbols) / 2
		a, ferr := f.spark(ctx, symbols[:half], r)
		if ferr != nil {
			return nil, ferr
		}
		b, ferr := f.spark(ctx, symbols[half:], r)
		if ferr != nil {
			return nil, ferr
		}
		maps.Copy(a, b)
		return a, nil
	}
	if ferr != nil {
		if sparkBroken(ferr) {
			return nil, ferr
		}
		return nil, f.fail(ctx, ferr)
	}
	results, ferr := decodeSpark(op, body)
	if ferr != nil {
		return nil, ferr
	}
	f.track.succeeded(-1)
	// Yahoo answers in upper case; results are keyed as asked.
	asked := make(map[string]string, len(symbols))
	for _, s := range symbols {
		asked[strings.ToUpper(s)] = s
	}
	out := make(map[string]chartResult, len(results))
	for sym, res := range results {
		if a, ok := asked[strings.ToUpper(sym)]; ok {
			out[a] = res
		}
	}
	return out, nil
}

// sparkV7 is the /v7/finance/spark body: a v8 chart result per symbol.
type sparkV7 struct {
	Spark *struct {
		Result []struct {
			Symbol   string        `json:"symbol"`
			Response []chartResult `json:"response"`
		} `json:"result"`
		Error *finance.YfinError `json:"error"`
	} `json:"spark"`
}

// sparkV8 is one symbol of the /v8/finance/spark body, which is an object
// keyed by symbol.
type sparkV8 struct {
	Symbol             string     `json:"symbol"`
	Timestamp          []int64    `json:"timestamp"`
	Close              []*float64 `json:"close"`
	ChartPreviousClose float64    `json:"chartPreviousClose"`
	PreviousClose      float64    `json:"previousClose"`
	DataGranularity    string     `json:"dataGranularity"`
}

// decodeSpark reads either spark shape into chart results by symbol. A
// symbol Yahoo does not know comes without a response and is left out.
func decodeSpark(op string, body []byte) (map[string]chartResult, *feeds.Error) {
	var v7 sparkV7
	if ferr := decode(op, body, &v7); ferr != nil {
		return nil, ferr
	}
	if v7.Spark != nil {
		if e := v7.Spark.Error; e != nil {
			return nil, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("Yahoo says: %s", e.Description)}
		}
		out := make(map[string]chartResult, len(v7.Spark.Result))
		for _, r := range v7.Spark.Result {
			if r.Symbol != "" && len(r.Response) > 0 {
				out[r.Symbol] = r.Response[0]
			}
		}
		return out, nil
	}
	var v8 map[string]sparkV8
	if err := json.Unmarshal(body, &v8); err != nil || len(v8) == 0 {
		return nil, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("Yahoo sent a spark body of neither known shape; it starts %q", prefix(body, 24))}
	}
	out := make(map[string]chartResult, len(v8))
	for key, s := range v8 {
		sym := s.Symbol
		if sym == "" {
			sym = key
		}
		var res chartResult
		res.Meta.Symbol = sym
		res.Meta.ChartPreviousClose = s.ChartPreviousClose
		res.Meta.PreviousClose = s.PreviousClose
		res.Meta.DataGranularity = s.DataGranularity
		res.Timestamp = s.Timestamp
		res.Indicators.Quote = append(res.Indicators.Quote, struct {
			Close []*float64 `json:"close"`
		}{s.Close})
		out[sym] = res
	}
	return out, nil
}

func uniq(symbols []string) []string {
	if b := batches(symbols, len(symbols)+1); len(b) > 0 {
		return b[0]
	}
	return nil
}
