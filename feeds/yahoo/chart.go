package yahoo

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	finance "github.com/piquette/finance-go"
	"github.com/piquette/finance-go/datetime"
	"github.com/rotation-dev/rotation/feeds"
)

// chartInterval is the bar size asked of Yahoo for a range.
func chartInterval(r feeds.Range) datetime.Interval {
	switch r.Interval() {
	case 5 * time.Minute:
		return datetime.FiveMins
	case 30 * time.Minute:
		return datetime.ThirtyMins
	default:
		return datetime.OneDay
	}
}

// chartBody is the v8 chart response, decoded here rather than by
// finance-go, whose float64 bars turn JSON null into 0 and whose meta has
// no previousClose or tradingPeriods.
type chartBody struct {
	Chart *struct {
		Result []chartResult      `json:"result"`
		Error  *finance.YfinError `json:"error"`
	} `json:"chart"`
}

type chartResult struct {
	Meta struct {
		finance.ChartMeta
		PreviousClose  float64         `json:"previousClose"`
		TradingPeriods json.RawMessage `json:"tradingPeriods"`
		// What a quote built from a chart needs (quotes from spark).
		RegularMarketPrice  float64 `json:"regularMarketPrice"`
		RegularMarketTime   int64   `json:"regularMarketTime"`
		RegularMarketVolume float64 `json:"regularMarketVolume"`
		FiftyTwoWeekHigh    float64 `json:"fiftyTwoWeekHigh"`
		FiftyTwoWeekLow     float64 `json:"fiftyTwoWeekLow"`
		LongName            string  `json:"longName"`
		ShortName           string  `json:"shortName"`
		FullExchangeName    string  `json:"fullExchangeName"`
	} `json:"meta"`
	Timestamp  []int64 `json:"timestamp"`
	Indicators struct {
		Quote []struct {
			Close []*float64 `json:"close"`
		} `json:"quote"`
	} `json:"indicators"`
}

type tradingPeriod struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// parseChart turns a chart body into a Series, skipping null and zero
// closes and any bar not later than the one before it.
func parseChart(op string, body []byte, symbol string, r feeds.Range) (feeds.Series, *feeds.Error) {
	var cb chartBody
	if ferr := decode(op, body, &cb); ferr != nil {
		return feeds.Series{}, ferr
	}
	switch {
	case cb.Chart == nil:
		return feeds.Series{}, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("Yahoo sent a body without a chart for %s; it starts %q", symbol, prefix(body, 24))}
	case cb.Chart.Error != nil:
		return feeds.Series{}, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("Yahoo says: %s", cb.Chart.Error.Description)}
	case len(cb.Chart.Result) == 0:
		return feeds.Series{}, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("no chart data for %s", symbol)}
	}
	return seriesOf(cb.Chart.Result[0], symbol, r), nil
}

// seriesOf turns one chart result, from a chart or a spark body, into a
// Series.
func seriesOf(res chartResult, symbol string, r feeds.Range) feeds.Series {
	s := feeds.Series{
		Symbol:        symbol,
		Range:         r,
		Interval:      granularity(res.Meta.DataGranularity, r.Interval()),
		PreviousClose: res.Meta.ChartPreviousClose,
		Periods:       periods(res.Meta.TradingPeriods, res.Meta.CurrentTradingPeriod.Regular.Start, res.Meta.CurrentTradingPeriod.Regular.End),
	}
	if s.PreviousClose <= 0 {
		s.PreviousClose = res.Meta.PreviousClose
	}
	var closes []*float64
	if len(res.Indicators.Quote) > 0 {
		closes = res.Indicators.Quote[0].Close
	}
	for i, ts := range res.Timestamp {
		if i >= len(closes) {
			break
		}
		c := closes[i]
		if c == nil || *c <= 0 || math.IsNaN(*c) || math.IsInf(*c, 0) {
			continue
		}
		t, ok := unixTime(ts)
		if !ok {
			continue
		}
		if n := len(s.Times); n > 0 && !t.After(s.Times[n-1]) {
			continue
		}
		s.Times = append(s.Times, t)
		s.Closes = append(s.Closes, *c)
	}
	return s
}

// granularity reads Yahoo's dataGranularity ("1m", "5m", "1h", "1d"),
// falling back to the range's interval for anything else ("1wk", "1mo").
func granularity(g string, fallback time.Duration) time.Duration {
	units := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}
	for suffix, unit := range units {
		if n, err := strconv.Atoi(strings.TrimSuffix(g, suffix)); err == nil && strings.HasSuffix(g, suffix) && n > 0 {
			return time.Duration(n) * unit
		}
	}
	return fallback
}

// periods reads meta.tradingPeriods, which Yahoo sends either as a list of
// lists of regular sessions or, with pre/post data, as an object holding
// one under "regular". Without it, the current regular session is used.
func periods(raw json.RawMessage, curStart, curEnd int) []feeds.Period {
	var lists [][]tradingPeriod
	if json.Unmarshal(raw, &lists) != nil {
		var split struct {
			Regular [][]tradingPeriod `json:"regular"`
		}
		if json.Unmarshal(raw, &split) == nil {
			lists = split.Regular
		}
	}
	var out []feeds.Period
	add := func(start, end int64) {
		s, okS := unixTime(start)
		e, okE := unixTime(end)
		if start > 0 && end > start && okS && okE {
			out = append(out, feeds.Period{Start: s, End: e})
		}
	}
	for _, list := range lists {
		for _, p := range list {
			add(p.Start, p.End)
		}
	}
	if len(out) == 0 {
		add(int64(curStart), int64(curEnd))
	}
	slices.SortFunc(out, func(a, b feeds.Period) int { return a.Start.Compare(b.Start) })
	return slices.CompactFunc(out, func(a, b feeds.Period) bool { return a.Start.Equal(b.Start) })
}

// Times outside years 0 to 9999 cannot be written as JSON, so one of them
// in a series or quote would make every snapshot and recording holding it
// fail to save. Yahoo sends none; such a time in a body is garbage.
var (
	minUnix = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxUnix = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
)

// unixTime converts Yahoo's epoch seconds; ok is false for a time JSON
// cannot hold.
func unixTime(sec int64) (t time.Time, ok bool) {
	if sec < minUnix || sec > maxUnix {
		return time.Time{}, false
	}
	return time.Unix(sec, 0).UTC(), true
}
