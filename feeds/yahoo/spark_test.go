package yahoo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// The recorded v7 spark body (2018): meta without regularMarketPrice, one
// daily bar per currency pair.
func TestDecodeRecordedSparkBody(t *testing.T) {
	results, ferr := decodeSpark("test", yahootest.Fixture(t, yahootest.SparkFixture))
	if ferr != nil {
		t.Fatal(ferr)
	}
	if len(results) != 2 {
		t.Fatalf("%d results, want NOK=X and NIO=X", len(results))
	}
	s := seriesOf(results["NOK=X"], "NOK=X", feeds.Range1D)
	if s.Len() != 1 || s.Closes[0] != 8.44 || s.PreviousClose != 8.3756 || !s.Times[0].Equal(time.Unix(1541759519, 0)) {
		t.Errorf("NOK=X series = %+v, want the one recorded bar 8.44 after 8.3756", s)
	}
	q, ok := quoteFromChart(results["NOK=X"], "NOK=X", time.Unix(1541759519, 0))
	if !ok || q.Price != 8.44 || q.PreviousClose != 8.3756 || q.Currency != "NOK" || q.ExchangeTZ != "Europe/London" || !q.FromChart {
		t.Fatalf("quote from the old body = %+v; want the last close as price, chartPreviousClose as previous close", q)
	}
	if want := 100 * (8.44/8.3756 - 1); math.Abs(q.ChangePercent-want) > 1e-9 || q.MarketState != feeds.Regular {
		t.Errorf("change %v%% state %s, want %v%% REGULAR (inside the recorded trading period)", q.ChangePercent, q.MarketState, want)
	}
}

func TestSeriesBatchThroughSparkBothShapes(t *testing.T) {
	fake := yahootest.New(t)
	f, _ := newTestFeed(t, fake.URL)
	syms := []string{"NVDA", "AVGO", "8035.T"}
	got, err := f.SeriesBatch(context.Background(), syms, feeds.RangeDaily)
	if err != nil {
		t.Fatal(err)
	}
	q := fake.Queries(yahootest.RouteSpark)
	if len(q) != 1 || q[0].Get("range") != "2y" || q[0].Get("interval") != "1d" || q[0].Get("symbols") != "NVDA,AVGO,8035.T" || q[0].Has("period1") {
		t.Fatalf("spark asked %v; want one request by range=2y&interval=1d for the three symbols", q)
	}
	for _, sym := range syms {
		s := got[sym]
		if s.Symbol != sym || s.Range != feeds.RangeDaily || s.Len() != 127 || s.Interval != 24*time.Hour {
			t.Errorf("%s: %s %s %d bars at %s; want the 127 daily bars", sym, s.Symbol, s.Range, s.Len(), s.Interval)
		}
	}
	if fake.Count(yahootest.RouteCookie)+fake.Count(yahootest.RouteCrumb) != 0 {
		t.Error("spark needs no session; the feed shook hands for it")
	}
	// The /v8 shape, decoded from the fake's answer for the same symbols.
	resp, err := yahootest.Client().Get(fake.URL + yahootest.RouteSparkV8 + "?symbols=NVDA&range=2y&interval=1d")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body strings.Builder
	if _, err := fmt.Fprint(&body, mustRead(t, resp)); err != nil {
		t.Fatal(err)
	}
	v8, ferr := decodeSpark("v8", []byte(body.String()))
	if ferr != nil {
		t.Fatal(ferr)
	}
	if s := seriesOf(v8["NVDA"], "NVDA", feeds.RangeDaily); s.Len() != 127 || s.Closes[126] != got["NVDA"].Closes[126] {
		t.Errorf("v8 shape: %d bars, last %v; want what the v7 shape gave", s.Len(), s.Closes)
	}
}

func TestSparkSplitsABatchYahooRefuses(t *testing.T) {
	fake := yahootest.New(t)
	fake.SetSparkLimit(5)
	fake.Missing("NOPE")
	f, _ := newTestFeed(t, fake.URL)
	syms := make([]string, 20)
	for i := range syms {
		syms[i] = fmt.Sprintf("S%02d", i)
	}
	syms[7] = "NOPE"
	got, err := f.SeriesBatch(context.Background(), syms, feeds.Range1D)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 19 {
		t.Errorf("%d series, want 19 (all but the unknown NOPE)", len(got))
	}
	if n := fake.Count(yahootest.RouteSpark); n != 7 { // 20 -> 10+10 -> 5+5+5+5
		t.Errorf("%d spark requests, want 7 (one refused 20, two refused 10, four of 5)", n)
	}
	if h := f.Health(); h.State != feeds.StateLive {
		t.Errorf("after a split batch the feed is %s: %s", h.State, h.Detail)
	}
}

func TestSparkFailureFallsBackToChartsAndSaysSo(t *testing.T) {
	fake := yahootest.New(t)
	fake.Script(yahootest.RouteSpark, yahootest.Step{Status: http.StatusNotFound, Body: `{"finance":{"result":null,"error":{"code":"Not Found","description":"HTTP 404 Not Found"}}}`})
	f, clock := newTestFeed(t, fake.URL)
	ctx := context.Background()
	if _, err := f.Quotes(ctx, []string{"NVDA"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.SeriesBatch(ctx, []string{"NVDA", "AMD"}, feeds.Range1D)
	if !errors.Is(err, feeds.ErrNoBatch) {
		t.Fatalf("err = %v, want one wrapping feeds.ErrNoBatch", err)
	}
	h := f.Health()
	if h.State != feeds.StateLive || !strings.Contains(h.Detail, "one symbol at a time") || !strings.Contains(h.Detail, "HTTP 404") {
		t.Errorf("health = %s %q; want LIVE, saying charts come one symbol at a time and why", h.State, h.Detail)
	}
	if _, err := f.SeriesBatch(ctx, []string{"NVDA"}, feeds.Range1D); !errors.Is(err, feeds.ErrNoBatch) || fake.Count(yahootest.RouteSpark) != 1 {
		t.Errorf("spark asked again %d times right after failing (err %v)", fake.Count(yahootest.RouteSpark)-1, err)
	}
	clock.Advance(sparkRetry)
	if got, err := f.SeriesBatch(ctx, []string{"NVDA"}, feeds.Range1D); err != nil || len(got) != 1 {
		t.Fatalf("after %s spark is tried again and works: %d series, %v", sparkRetry, len(got), err)
	}
	if h := f.Health(); strings.Contains(h.Detail, "one symbol at a time") {
		t.Errorf("health still says %q after spark recovered", h.Detail)
	}
}

func TestSparkErrorObjectIsBrokenSpark(t *testing.T) {
	fake := yahootest.New(t)
	fake.Script(yahootest.RouteSpark, yahootest.Step{Body: `{"spark":{"result":null,"error":{"code":"Bad Request","description":"Invalid interval"}}}`})
	f, _ := newTestFeed(t, fake.URL)
	if _, err := f.SeriesBatch(context.Background(), []string{"NVDA"}, feeds.Range1D); !errors.Is(err, feeds.ErrNoBatch) || !strings.Contains(err.Error(), "Invalid interval") {
		t.Errorf("err = %v; want ErrNoBatch with Yahoo's reason", err)
	}
	fake.Script(yahootest.RouteSpark, yahootest.Step{Body: `[1,2,3]`})
	g, _ := newTestFeed(t, fake.URL)
	if _, err := g.SeriesBatch(context.Background(), []string{"NVDA"}, feeds.Range1D); !errors.Is(err, feeds.ErrNoBatch) {
		t.Errorf("a body of another shape: err = %v, want ErrNoBatch", err)
	}
}

func TestLimitsAndRequestCount(t *testing.T) {
	fake := yahootest.New(t)
	f, _ := newTestFeed(t, fake.URL)
	if l := f.Limits(); l.PerMinute != RequestsPerMinute || l.QuoteBatch != MaxSymbolsPerCall || l.SeriesBatch != SparkBatch {
		t.Errorf("limits = %+v", l)
	}
	if _, err := f.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	total := fake.Count(yahootest.RouteCookie) + fake.Count(yahootest.RouteCrumb) + fake.Count(yahootest.RouteQuote)
	if f.Requests() != total || total != 3 {
		t.Errorf("Requests() = %d, the fake saw %d; want 3 (cookie, crumb, quote)", f.Requests(), total)
	}
}

func mustRead(t *testing.T, resp *http.Response) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}
