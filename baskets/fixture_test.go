package baskets

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// loadAAPL decodes the recorded 6-month daily chart of AAPL (see
// testdata/SOURCES.md): timestamps and closes, skipping null bars.
func loadAAPL(t *testing.T) (feeds.Series, time.Time) {
	t.Helper()
	data, err := os.ReadFile("testdata/yahoo_v8_chart_AAPL_6mo_1d.json")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Chart struct {
			Result []struct {
				Meta struct {
					RegularMarketTime  int64   `json:"regularMarketTime"`
					ChartPreviousClose float64 `json:"chartPreviousClose"`
				} `json:"meta"`
				Timestamp  []int64 `json:"timestamp"`
				Indicators struct {
					Quote []struct {
						Close []*float64 `json:"close"`
					} `json:"quote"`
				} `json:"indicators"`
			} `json:"result"`
		} `json:"chart"`
	}
	if err := json.Unmarshal(data, &body); err != nil {
		t.Fatal(err)
	}
	res := body.Chart.Result[0]
	s := feeds.Series{Symbol: "AAPL", Range: feeds.Range6M, Interval: 24 * time.Hour, PreviousClose: res.Meta.ChartPreviousClose}
	for i, ts := range res.Timestamp {
		if c := res.Indicators.Quote[0].Close[i]; c != nil {
			s.Times = append(s.Times, time.Unix(ts, 0).UTC())
			s.Closes = append(s.Closes, *c)
		}
	}
	if s.Len() != 127 {
		t.Fatalf("decoded %d bars, the file holds 127", s.Len())
	}
	return s, time.Unix(res.Meta.RegularMarketTime, 0).UTC()
}

// TestAAPLFixtureReturns checks range returns against closes read off the
// recorded chart by date. asOf is the chart's regularMarketTime,
// 2025-10-29 16:00:01 New York; price now is the last close, 269.70001220703125
// (no quote is given, so the last series close is used).
func TestAAPLFixtureReturns(t *testing.T) {
	series, asOf := loadAAPL(t)
	const now = 269.70001220703125
	cases := []struct {
		r    feeds.Range
		base float64
		why  string
	}{
		{feeds.Range1M, 254.42999267578125, "close of 2025-09-29 (Mon), 1 month before 2025-10-29"},
		{feeds.Range3M, 211.27000427246094, "close of 2025-07-29 (Tue), 3 months before"},
		{feeds.Range6M, 211.21, "2025-04-29 is before the first bar (2025-04-30): chartPreviousClose, the close of 2025-04-29"},
	}
	set := watchlists.Set{Segments: []watchlists.Segment{{File: "apple.yaml", Era: watchlists.Inference,
		Symbols: []watchlists.Symbol{{Symbol: "AAPL", Weight: 1}}}}}
	for _, tc := range cases {
		for _, withQuote := range []bool{false, true} {
			in := Input{Set: set, Range: tc.r, AsOf: asOf, Series: map[string]feeds.Series{"AAPL": series}}
			if withQuote {
				// The chart's own meta: regularMarketPrice 269.7 in New York.
				in.Quotes = map[string]feeds.Quote{"AAPL": {Symbol: "AAPL", Price: 269.7, Currency: "USD", ExchangeTZ: "America/New_York"}}
			}
			price := now
			if withQuote {
				price = 269.7
			}
			seg := Compute(in).Segments[0]
			row := seg.Symbols[0]
			assertOpt(t, string(tc.r)+" base ("+tc.why+")", row.Base, tc.base)
			assertOpt(t, string(tc.r)+" return", row.RangeReturn, 100*(price/tc.base-1))
			assertOpt(t, string(tc.r)+" basket", seg.Return, 100*(price/tc.base-1))
		}
	}
	// Stated by hand: 269.70001220703125 / 254.42999267578125 - 1 = +6.0017 %.
	in := Input{Set: set, Range: feeds.Range1M, AsOf: asOf, Series: map[string]feeds.Series{"AAPL": series}}
	if r := Compute(in).Segments[0].Return; !r.Valid || r.Value < 6.0016 || r.Value > 6.0017 {
		t.Errorf("1M return %v, want +6.0017 %%", r)
	}
}

// TestAAPLFixtureBeforeItsStart: a base date more than a week before the
// first bar is not replaced by chartPreviousClose.
func TestAAPLFixtureBeforeItsStart(t *testing.T) {
	series, asOf := loadAAPL(t)
	in := Input{Range: feeds.Range1Y, AsOf: asOf, Series: map[string]feeds.Series{"AAPL": series},
		Set: watchlists.Set{Segments: []watchlists.Segment{{File: "a.yaml", Symbols: []watchlists.Symbol{{Symbol: "AAPL", Weight: 1}}}}}}
	row := Compute(in).Segments[0].Symbols[0]
	if row.RangeReturn.Valid || row.Flag == "" {
		t.Errorf("1Y from a 6-month chart: return %v, flag %q; want null and a flag", row.RangeReturn, row.Flag)
	}
}
