package yahoo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

func TestRateLimitedWithRetryAfterPausesTheWholeFeed(t *testing.T) {
	srv := yahootest.New(t)
	srv.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusTooManyRequests, Body: "Too Many Requests", RetryAfter: "30"})
	feed, clock := newTestFeed(t, srv.URL)
	ctx := context.Background()

	_, err := feed.Quotes(ctx, []string{"AAPL"})
	fe := asFeedError(t, err, feeds.KindRateLimited)
	deadline := testStart.Add(30 * time.Second)
	if fe.Status != 429 || fe.RetryAfter != 30*time.Second || !fe.Until.Equal(deadline) {
		t.Fatalf("error %+v: want 429, Retry-After 30s, until %v", fe, deadline)
	}
	h := feed.Health()
	if h.State != feeds.StateRateLimited || !h.Until.Equal(deadline) || !strings.Contains(h.Detail, "pausing until "+clockTime(deadline)) {
		t.Errorf("health = %+v", h)
	}

	// Up to the deadline, neither quotes nor charts reach Yahoo.
	clock.Advance(29 * time.Second)
	_, err = feed.Quotes(ctx, []string{"AAPL"})
	if fe := asFeedError(t, err, feeds.KindRateLimited); !fe.Until.Equal(deadline) {
		t.Errorf("paused error until %v, want %v", fe.Until, deadline)
	}
	_, err = feed.Series(ctx, "AAPL", feeds.Range1D)
	asFeedError(t, err, feeds.KindRateLimited)
	if q, c := srv.Count(yahootest.RouteQuote), srv.Count(yahootest.RouteChart); q != 1 || c != 0 {
		t.Fatalf("requests while paused: quote %d, chart %d; want 1 and 0", q, c)
	}

	clock.Advance(time.Second)
	if _, err := feed.Quotes(ctx, []string{"AAPL"}); err != nil {
		t.Fatalf("Quotes at the deadline: %v", err)
	}
	if q := srv.Count(yahootest.RouteQuote); q != 2 {
		t.Errorf("quote requests %d, want 2", q)
	}
}

func TestRateLimitedWithoutRetryAfterBacksOffWithJitter(t *testing.T) {
	srv := yahootest.New(t)
	feed, clock := newTestFeed(t, srv.URL) // jitter fixed at 0.5
	ctx := context.Background()
	wantWaits := []time.Duration{
		rateLimitBase / 2, rateLimitBase, 2 * rateLimitBase, // doubling ceilings, half of each
	}
	for i, want := range wantWaits {
		srv.FailNext(yahootest.RouteQuote, 1, http.StatusTooManyRequests)
		start := clock.Now()
		_, err := feed.Quotes(ctx, []string{"AAPL"})
		fe := asFeedError(t, err, feeds.KindRateLimited)
		if got := fe.Until.Sub(start); got != want {
			t.Errorf("429 #%d: paused %v, want %v", i+1, got, want)
		}
		clock.Advance(fe.Until.Sub(start))
	}
	// Success resets the backoff.
	if _, err := feed.Quotes(ctx, []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(yahootest.RouteQuote, 1, http.StatusTooManyRequests)
	start := clock.Now()
	_, err := feed.Quotes(ctx, []string{"AAPL"})
	if fe := asFeedError(t, err, feeds.KindRateLimited); fe.Until.Sub(start) != wantWaits[0] {
		t.Errorf("after a success the pause is %v, want %v", fe.Until.Sub(start), wantWaits[0])
	}
}

func TestBackoffCeilings(t *testing.T) {
	tr := &tracker{rand: func() float64 { return 0.999 }}
	if got := tr.jitter(30, rateLimitBase, rateLimitCap); got > rateLimitCap || got < rateLimitCap*99/100 {
		t.Errorf("30th 429 waits %v, want just under %v", got, rateLimitCap)
	}
	if got := tr.jitter(30, failureBase, failureCap); got > failureCap || got < failureCap*99/100 {
		t.Errorf("30th failure waits %v, want just under %v", got, failureCap)
	}
	tr.rand = func() float64 { return 0 }
	if got := tr.jitter(3, failureBase, failureCap); got != 0 {
		t.Errorf("full jitter at 0 waits %v, want 0", got)
	}
}

func TestServerErrorsBackOffAndTheFeedRecovers(t *testing.T) {
	srv := yahootest.New(t)
	feed, clock := newTestFeed(t, srv.URL)
	ctx := context.Background()
	if _, err := feed.Quotes(ctx, []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(yahootest.RouteQuote, 3, http.StatusInternalServerError)
	clock.Advance(time.Minute) // the last good data is now older than 45 s
	for i, want := range []time.Duration{failureBase / 2, failureBase, 2 * failureBase} {
		start := clock.Now()
		_, err := feed.Quotes(ctx, []string{"AAPL"})
		fe := asFeedError(t, err, feeds.KindUpstream)
		if fe.Status != 500 || fe.Until.Sub(start) != want {
			t.Errorf("500 #%d: status %d, paused %v; want 500 and %v", i+1, fe.Status, fe.Until.Sub(start), want)
		}
		h := feed.Health()
		if h.State != feeds.StateStale || !h.Since.Equal(testStart) || !strings.Contains(h.Detail, "HTTP 500") {
			t.Errorf("health = %+v, want stale since %v", h, testStart)
		}
		requests := srv.Count(yahootest.RouteQuote)
		if _, err := feed.Quotes(ctx, []string{"AAPL"}); err == nil || srv.Count(yahootest.RouteQuote) != requests {
			t.Errorf("a request went out during the pause")
		}
		clock.Advance(want)
	}
	if _, err := feed.Quotes(ctx, []string{"AAPL"}); err != nil {
		t.Fatalf("after the 500s: %v", err)
	}
	if h := feed.Health(); h.State != feeds.StateLive || !h.LastOK.Equal(clock.Now()) {
		t.Errorf("health after recovery = %+v", h)
	}
}

func TestRecentDataStaysLiveThroughOneFailure(t *testing.T) {
	srv := yahootest.New(t)
	feed, clock := newTestFeed(t, srv.URL)
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)
	srv.FailNext(yahootest.RouteQuote, 1, http.StatusBadGateway)
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err == nil {
		t.Fatal("no error for a 502")
	}
	h := feed.Health()
	if h.State != feeds.StateLive || !strings.Contains(h.Detail, "HTTP 502") {
		t.Errorf("health = %+v, want live, mentioning the failed refresh", h)
	}
}

func TestMalformedBodiesAreUpstreamAndDoNotPause(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	bodies := []string{"{not json", "<html><body>Service unavailable</body></html>", `{"something":"else"}`}
	for _, body := range bodies {
		srv.Script(yahootest.RouteQuote, yahootest.Step{Body: body})
		_, err := feed.Quotes(context.Background(), []string{"AAPL"})
		fe := asFeedError(t, err, feeds.KindUpstream)
		if !fe.Until.IsZero() {
			t.Errorf("body %q paused the feed until %v", body, fe.Until)
		}
	}
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatalf("after malformed bodies: %v", err)
	}
	if n := srv.Count(yahootest.RouteQuote); n != len(bodies)+1 {
		t.Errorf("%d quote requests, want %d", n, len(bodies)+1)
	}
}

func TestClosedPortIsOffline(t *testing.T) {
	base, err := yahootest.ClosedURL()
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := newTestFeed(t, base)
	_, err = feed.Quotes(context.Background(), []string{"AAPL"})
	fe := asFeedError(t, err, feeds.KindOffline)
	if fe.Until.IsZero() {
		t.Errorf("offline error without a retry time: %+v", fe)
	}
	h := feed.Health()
	if h.State != feeds.StateOffline || !h.Since.Equal(testStart) || !strings.Contains(h.Detail, "Cannot reach Yahoo") {
		t.Errorf("health = %+v, want offline since the first failure", h)
	}
}

func TestServerGoneIsOfflineSinceLastGoodData(t *testing.T) {
	srv := yahootest.New(t)
	feed, clock := newTestFeed(t, srv.URL)
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	clock.Advance(time.Minute)
	_, err := feed.Quotes(context.Background(), []string{"AAPL"})
	asFeedError(t, err, feeds.KindOffline)
	if h := feed.Health(); h.State != feeds.StateOffline || !h.Since.Equal(testStart) {
		t.Errorf("health = %+v, want offline since %v", h, testStart)
	}
}

func TestHangingYahooTimesOutAsOffline(t *testing.T) {
	srv := yahootest.New(t)
	client := yahootest.Client()
	client.Timeout = 200 * time.Millisecond
	feed, _ := newTestFeed(t, srv.URL, func(o *Options) { o.HTTPClient = client })
	srv.Script(yahootest.RouteCookie, yahootest.Step{Hang: true})
	_, err := feed.Quotes(context.Background(), []string{"AAPL"})
	asFeedError(t, err, feeds.KindOffline)
}

func TestCancelledCallLeavesHealthAlone(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := feed.Quotes(ctx, []string{"AAPL"}); err == nil {
		t.Fatal("no error from a cancelled call")
	}
	if h := feed.Health(); h.State != feeds.StateLive || !h.LastOK.IsZero() {
		t.Errorf("health after a cancelled call = %+v", h)
	}
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Errorf("the next call was paused: %v", err)
	}
}

func TestPausedBatchesStopButOtherFailuresContinue(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	symbols := make([]string, 120)
	for i := range symbols {
		symbols[i] = fmt.Sprintf("P%03d", i)
	}
	if _, err := feed.Quotes(context.Background(), symbols[:1]); err != nil {
		t.Fatal(err)
	}
	// A malformed second batch: the first and third are still returned.
	srv.Script(yahootest.RouteQuote, yahootest.Step{Normal: true}, yahootest.Step{Body: "{bad"})
	got, err := feed.Quotes(context.Background(), symbols)
	asFeedError(t, err, feeds.KindUpstream)
	if len(got) != 70 {
		t.Errorf("got %d quotes around a malformed batch, want 70", len(got))
	}
	// A 429 on the first batch stops the refresh.
	before := srv.Count(yahootest.RouteQuote)
	srv.FailNext(yahootest.RouteQuote, 1, http.StatusTooManyRequests)
	got, err = feed.Quotes(context.Background(), symbols)
	asFeedError(t, err, feeds.KindRateLimited)
	if len(got) != 0 || srv.Count(yahootest.RouteQuote) != before+1 {
		t.Errorf("after a 429: %d quotes, %d requests; want none and one", len(got), srv.Count(yahootest.RouteQuote)-before)
	}
}

func TestChartServerErrorPausesQuotesToo(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	srv.FailNext(yahootest.RouteChart, 1, http.StatusServiceUnavailable)
	_, err := feed.Series(context.Background(), "AAPL", feeds.Range1D)
	if fe := asFeedError(t, err, feeds.KindUpstream); fe.Status != 503 || fe.Until.IsZero() {
		t.Fatalf("error %+v: want 503 with a pause", fe)
	}
	_, err = feed.Quotes(context.Background(), []string{"AAPL"})
	asFeedError(t, err, feeds.KindUpstream)
	if n := srv.Count(yahootest.RouteQuote) + srv.Count(yahootest.RouteCookie); n != 0 {
		t.Errorf("%d requests during the pause", n)
	}
}

// A pause of seconds is not given as a clock time, which would be past by
// the time it is read; a pause of minutes is.
func TestRetryIsSaidAsItWillReadWhenShown(t *testing.T) {
	tr := &tracker{clock: func() time.Time { return testStart }, rand: func() float64 { return 0.999 }}
	down := &feeds.Error{Kind: feeds.KindOffline, Err: errors.New("connection refused")}
	tr.failed(down) // the first strikes wait at most seconds
	if d := tr.health().Detail; !strings.HasSuffix(d, "retrying within a minute.") {
		t.Errorf("after one failure: %q", d)
	}
	for range 8 { // up to the 2-minute ceiling
		tr.failed(down)
	}
	if want := "retrying after " + clockTime(tr.until) + "."; tr.until.Sub(testStart) < time.Minute || !strings.HasSuffix(tr.health().Detail, want) {
		t.Errorf("after nine failures (paused %v): %q, want it to end %q", tr.until.Sub(testStart), tr.health().Detail, want)
	}
}
