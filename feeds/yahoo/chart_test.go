package yahoo

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// recordedChart reads a chart fixture generically: its timestamps, closes
// (nil for JSON null) and meta.
type recordedChart struct {
	times  []int64
	closes []*float64
	meta   map[string]any
}

func readChart(t *testing.T, name string) recordedChart {
	t.Helper()
	var body struct {
		Chart struct {
			Result []struct {
				Meta       map[string]any `json:"meta"`
				Timestamp  []int64        `json:"timestamp"`
				Indicators struct {
					Quote []struct {
						Close []*float64 `json:"close"`
					} `json:"quote"`
				} `json:"indicators"`
			} `json:"result"`
		} `json:"chart"`
	}
	if err := json.Unmarshal(yahootest.Fixture(t, name), &body); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	r := body.Chart.Result[0]
	return recordedChart{times: r.Timestamp, closes: r.Indicators.Quote[0].Close, meta: r.Meta}
}

// checkSeriesMatchesRecording compares every kept bar with the recording:
// all non-null, non-zero closes, in order, at their timestamps.
func checkSeriesMatchesRecording(t *testing.T, s feeds.Series, rec recordedChart) (skipped int) {
	t.Helper()
	i := 0
	for k, ts := range rec.times {
		c := rec.closes[k]
		if c == nil || *c == 0 {
			skipped++
			continue
		}
		if i >= s.Len() {
			t.Fatalf("series ends after %d bars; the recording has more", i)
		}
		if !s.Times[i].Equal(time.Unix(ts, 0)) || s.Closes[i] != *c {
			t.Fatalf("bar %d = %v %v, recorded %v %v", i, s.Times[i], s.Closes[i], time.Unix(ts, 0).UTC(), *c)
		}
		i++
	}
	if i != s.Len() {
		t.Fatalf("series has %d bars, the recording %d usable ones", s.Len(), i)
	}
	return skipped
}

func TestSeriesOneMinuteChartSkipsTheNullBar(t *testing.T) {
	srv := yahootest.New(t)
	srv.SetChart("*", yahootest.Fixture(t, yahootest.Chart1m))
	feed, _ := newTestFeed(t, srv.URL)
	s, err := feed.Series(context.Background(), "AAPL", feeds.Range1D)
	if err != nil {
		t.Fatalf("Series: %v", err)
	}
	rec := readChart(t, yahootest.Chart1m)
	if skipped := checkSeriesMatchesRecording(t, s, rec); skipped != 1 || s.Len() != 390 {
		t.Errorf("%d bars, %d skipped; the recording has 391 bars, one of them null", s.Len(), skipped)
	}
	if s.Interval != time.Minute || s.Symbol != "AAPL" || s.Range != feeds.Range1D {
		t.Errorf("series header %s %s %v", s.Symbol, s.Range, s.Interval)
	}
	if s.PreviousClose != rec.meta["chartPreviousClose"].(float64) {
		t.Errorf("previous close %v, recorded chartPreviousClose %v", s.PreviousClose, rec.meta["chartPreviousClose"])
	}
	// tradingPeriods lists three regular sessions.
	periods := rec.meta["tradingPeriods"].([]any)
	if len(s.Periods) != len(periods) {
		t.Fatalf("%d periods, recorded %d", len(s.Periods), len(periods))
	}
	for i, p := range periods {
		want := p.([]any)[0].(map[string]any)
		got := s.Periods[i]
		if got.Start.Unix() != int64(want["start"].(float64)) || got.End.Unix() != int64(want["end"].(float64)) {
			t.Errorf("period %d = %v–%v, recorded %v", i, got.Start, got.End, want)
		}
	}
}

func TestSeriesSixMonthsDaily(t *testing.T) {
	srv := yahootest.New(t) // serves the 6-month daily chart by default
	feed, _ := newTestFeed(t, srv.URL)
	s, err := feed.Series(context.Background(), "AAPL", feeds.Range6M)
	if err != nil {
		t.Fatalf("Series: %v", err)
	}
	rec := readChart(t, yahootest.Chart6mo)
	checkSeriesMatchesRecording(t, s, rec)
	if s.Len() != 127 || s.Interval != 24*time.Hour {
		t.Errorf("%d bars of %v, want 127 daily bars", s.Len(), s.Interval)
	}
	if s.PreviousClose != rec.meta["chartPreviousClose"].(float64) {
		t.Errorf("previous close %v, recorded %v", s.PreviousClose, rec.meta["chartPreviousClose"])
	}
	// No tradingPeriods here: the current regular session stands in.
	reg := rec.meta["currentTradingPeriod"].(map[string]any)["regular"].(map[string]any)
	if len(s.Periods) != 1 || s.Periods[0].Start.Unix() != int64(reg["start"].(float64)) {
		t.Errorf("periods %v, want the current regular session %v", s.Periods, reg)
	}
}

func TestSeriesAsksForTheRangesBarsAndSpan(t *testing.T) {
	srv := yahootest.New(t)
	feed, clock := newTestFeed(t, srv.URL)
	want := map[feeds.Range]string{feeds.Range1D: "5m", feeds.Range5D: "30m", feeds.Range1M: "1d", feeds.Range1Y: "1d", feeds.RangeYTD: "1d"}
	for _, r := range feeds.Ranges {
		if _, err := feed.Series(context.Background(), "NVDA", r); err != nil {
			t.Fatalf("Series %s: %v", r, err)
		}
		qs := srv.Queries(yahootest.RouteChart)
		q := qs[len(qs)-1]
		now := clock.Now()
		if w, ok := want[r]; ok && q.Get("interval") != w {
			t.Errorf("%s: interval %q, want %q", r, q.Get("interval"), w)
		}
		if q.Get("period1") != strconv.FormatInt(r.Start(now).Unix(), 10) || q.Get("period2") != strconv.FormatInt(now.Unix(), 10) {
			t.Errorf("%s: period1=%s period2=%s, want %d and %d", r, q.Get("period1"), q.Get("period2"), r.Start(now).Unix(), now.Unix())
		}
		if q.Has("formatted") || q.Get("includePrePost") == "true" {
			t.Errorf("%s: query %v", r, q)
		}
	}
	// Charts need no session, so none was made for them.
	if n := srv.Count(yahootest.RouteCookie); n != 0 {
		t.Errorf("%d cookie requests for charts alone", n)
	}
}

func TestSeriesUsesTheSessionWhenThereIsOne(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	if _, err := feed.Series(context.Background(), "AAPL", feeds.Range1M); err != nil {
		t.Fatal(err)
	}
	if q := srv.Queries(yahootest.RouteChart)[0]; q.Get("crumb") != srv.Crumb() {
		t.Errorf("chart query %v lacks the crumb", q)
	}
}

func TestSeriesEmptyResultIsAnErrorNotAPanic(t *testing.T) {
	srv := yahootest.New(t)
	srv.SetChart("GONE", []byte(`{"chart":{"result":[],"error":null}}`))
	feed, _ := newTestFeed(t, srv.URL)
	_, err := feed.Series(context.Background(), "GONE", feeds.Range1D)
	fe := asFeedError(t, err, feeds.KindUpstream)
	if !strings.Contains(fe.Error(), "no chart data for GONE") {
		t.Errorf("error %q", fe)
	}
	// The feed keeps working.
	if _, err := feed.Series(context.Background(), "AAPL", feeds.Range6M); err != nil {
		t.Errorf("next Series: %v", err)
	}
}

func TestSeriesOddShapesNeverPanic(t *testing.T) {
	bodies := map[string]string{
		"closes shorter than timestamps": `{"chart":{"result":[{"meta":{},"timestamp":[1700000000,1700000060],"indicators":{"quote":[{"close":[5]}]}}],"error":null}}`,
		"no indicators":                  `{"chart":{"result":[{"meta":{},"timestamp":[1700000000]}],"error":null}}`,
		"zero and repeated bars":         `{"chart":{"result":[{"meta":{},"timestamp":[1700000000,1700000000,1700000060],"indicators":{"quote":[{"close":[5,6,0]}]}}],"error":null}}`,
	}
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	for what, body := range bodies {
		srv.SetChart("ODD", []byte(body))
		s, err := feed.Series(context.Background(), "ODD", feeds.Range1D)
		if err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		for i, c := range s.Closes {
			if c <= 0 || (i > 0 && !s.Times[i].After(s.Times[i-1])) {
				t.Errorf("%s: bar %d is zero or out of order: %v", what, i, s)
			}
		}
	}
}

func TestSeriesUnknownSymbolIsUpstreamWithYahoosReason(t *testing.T) {
	srv := yahootest.New(t)
	srv.SetChart("*", nil)
	feed, _ := newTestFeed(t, srv.URL)
	_, err := feed.Series(context.Background(), "NOSUCH", feeds.Range1M)
	fe := asFeedError(t, err, feeds.KindUpstream)
	if fe.Status != 404 || !strings.Contains(fe.Error(), "No data found") {
		t.Errorf("error %q, want 404 with Yahoo's reason", fe)
	}
	if !fe.Until.IsZero() {
		t.Errorf("one unknown symbol paused the feed until %v", fe.Until)
	}
	if h := feed.Health(); h.State != feeds.StateLive || strings.Contains(h.Detail, "failed") {
		t.Errorf("one unknown chart changed the feed's health: %+v", h)
	}
}

func TestTradingPeriodsWithPrePostShape(t *testing.T) {
	raw := json.RawMessage(`{"pre":[[{"start":1,"end":2}]],"regular":[[{"start":100,"end":200}],[{"start":300,"end":400}]],"post":[[{"start":5,"end":6}]]}`)
	got := periods(raw, 0, 0)
	if len(got) != 2 || got[0].Start.Unix() != 100 || got[1].End.Unix() != 400 {
		t.Errorf("periods = %v, want the two regular sessions", got)
	}
}

func TestGranularity(t *testing.T) {
	cases := map[string]time.Duration{"1m": time.Minute, "5m": 5 * time.Minute, "30m": 30 * time.Minute, "1h": time.Hour, "1d": 24 * time.Hour, "1wk": 7, "1mo": 7, "": 7}
	for g, want := range cases {
		if got := granularity(g, 7); got != want {
			t.Errorf("granularity(%q) = %v, want %v", g, got, want)
		}
	}
}
