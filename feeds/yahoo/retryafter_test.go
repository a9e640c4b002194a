package yahoo

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// TestRetryAfterHeader: seconds or a date, capped at maxRetryAfter; what
// was asked saturates instead of overflowing; anything unreadable, zero,
// negative or past leaves the pause to the backoff (zero).
func TestRetryAfterHeader(t *testing.T) {
	now := testStart
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	cases := []struct {
		header      string
		wait, asked time.Duration
	}{
		{"", 0, 0},
		{"30", 30 * time.Second, 30 * time.Second},
		{" 120 ", 2 * time.Minute, 2 * time.Minute},
		{"900", maxRetryAfter, maxRetryAfter},
		{"901", maxRetryAfter, 901 * time.Second},
		{"259200", maxRetryAfter, 72 * time.Hour},
		{"9223372036", maxRetryAfter, 9223372036 * time.Second}, // the most whole seconds a Duration holds
		{"9223372037", maxRetryAfter, maxWait},
		{"9223372036854775807", maxRetryAfter, maxWait},
		{"99999999999999999999", maxRetryAfter, maxWait}, // beyond int64 too
		{"0", 0, 0},
		{"-5", 0, 0},
		{"-9223372036854775808", 0, 0},
		{"+30", 0, 0}, // RFC 9110 delay-seconds has no sign
		{"1.5", 0, 0},
		{"soon", 0, 0},
		{"30s", 0, 0},
		{date(90 * time.Second), 90 * time.Second, 90 * time.Second},
		{now.Add(90 * time.Second).Format(time.RFC850), 90 * time.Second, 90 * time.Second}, // the obsolete forms HTTP still allows
		{date(72 * time.Hour), maxRetryAfter, 72 * time.Hour},
		{"Fri, 31 Dec 9999 23:59:59 GMT", maxRetryAfter, maxWait}, // far beyond what a Duration holds
		{date(-time.Hour), 0, 0},
		{date(0), 0, 0},
		{"Wed, 32 Oct 2025 14:30:00 GMT", 0, 0},
	}
	for _, c := range cases {
		wait, asked := retryAfter(c.header, now)
		if wait != c.wait || asked != c.asked {
			t.Errorf("Retry-After %q: wait %v, asked %v; want %v and %v", c.header, wait, asked, c.wait, c.asked)
		}
		if wait < 0 || wait > maxRetryAfter || asked < 0 {
			t.Errorf("Retry-After %q: wait %v, asked %v out of bounds", c.header, wait, asked)
		}
	}
}

// TestStatusErrorKeepsWhatYahooAsked: a capped Retry-After leaves the
// honoured wait in RetryAfter and what was asked in the error chain, with
// the error's message unchanged.
func TestStatusErrorKeepsWhatYahooAsked(t *testing.T) {
	resp := func(h string) *http.Response {
		r := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}
		r.Header.Set("Retry-After", h)
		return r
	}
	const want = "Yahoo quote for AAPL: HTTP 429 (rate-limited): Yahoo says: Too Many Requests"
	e := statusError("Yahoo quote for AAPL", resp("259200"), []byte("Too Many Requests"), testStart)
	var aw *askedWait
	if e.Kind != feeds.KindRateLimited || e.RetryAfter != maxRetryAfter || !errors.As(e, &aw) || aw.Asked != 72*time.Hour {
		t.Errorf("error %+v (asked %+v): want rate-limited, RetryAfter %v, asked 72h", e, aw, maxRetryAfter)
	}
	if e.Error() != want {
		t.Errorf("message %q, want %q", e.Error(), want)
	}
	e = statusError("Yahoo quote for AAPL", resp("30"), []byte("Too Many Requests"), testStart)
	if e.RetryAfter != 30*time.Second || errors.As(e, &aw) || e.Error() != want {
		t.Errorf("uncapped: %+v; want RetryAfter 30s, nothing asked beyond it, message %q", e, want)
	}
}

// TestLongRetryAfterPausesAtMostFifteenMinutes: Yahoo asking for days, or
// for a number too large to hold, pauses the feed the cap and no longer;
// Health says what was asked and what is done instead; then the feed asks
// again by itself and recovers.
func TestLongRetryAfterPausesAtMostFifteenMinutes(t *testing.T) {
	cases := []struct{ name, header, said string }{
		{"three days in seconds", "259200", "asked to wait 72h0m0s"},
		{"three days as a date", testStart.Add(72 * time.Hour).Format(http.TimeFormat), "asked to wait 72h0m0s"},
		{"beyond int64", "99999999999999999999", "asked to wait over 290 years"},
		{"int64's largest", "9223372036854775807", "asked to wait over 290 years"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := yahootest.New(t)
			srv.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusTooManyRequests, Body: "Too Many Requests", RetryAfter: c.header})
			feed, clock := newTestFeed(t, srv.URL)
			ctx := context.Background()
			deadline := testStart.Add(maxRetryAfter)

			_, err := feed.Quotes(ctx, []string{"AAPL"})
			fe := asFeedError(t, err, feeds.KindRateLimited)
			if fe.RetryAfter != maxRetryAfter || !fe.Until.Equal(deadline) {
				t.Fatalf("error %+v: want RetryAfter %v, until %v", fe, maxRetryAfter, deadline)
			}
			h := feed.Health()
			for _, w := range []string{"Yahoo answered HTTP 429", c.said, "pausing until 14:45:00", "at most 15 minutes", "trying again"} {
				if !strings.Contains(h.Detail, w) {
					t.Errorf("detail %q does not say %q", h.Detail, w)
				}
			}
			if h.State != feeds.StateRateLimited || !h.Until.Equal(deadline) {
				t.Errorf("health %+v: want rate-limited until %v", h, deadline)
			}

			clock.Advance(maxRetryAfter - time.Second)
			if _, err := feed.Quotes(ctx, []string{"AAPL"}); err == nil || srv.Count(yahootest.RouteQuote) != 1 {
				t.Errorf("a second before the cap: err %v, %d requests; want still paused", err, srv.Count(yahootest.RouteQuote))
			}
			clock.Advance(time.Second)
			if _, err := feed.Quotes(ctx, []string{"AAPL"}); err != nil {
				t.Fatalf("at the cap, Yahoo answering again: %v", err)
			}
			if h := feed.Health(); h.State != feeds.StateLive || strings.Contains(h.Detail, "asked") {
				t.Errorf("after recovery: %+v; want live, the long wait forgotten", h)
			}
		})
	}
}

// TestShortRetryAfterSaysNothingOfACap: a wait within the cap is reported
// as before, without mention of what was asked.
func TestShortRetryAfterSaysNothingOfACap(t *testing.T) {
	tr := &tracker{clock: func() time.Time { return testStart }, rand: func() float64 { return 0.5 }}
	tr.failed(&feeds.Error{Kind: feeds.KindRateLimited, Status: 429, RetryAfter: 30 * time.Second, Err: errors.New("Yahoo says: Too Many Requests")})
	if d := tr.health().Detail; d != "Yahoo answered HTTP 429; pausing until 14:30:30." {
		t.Errorf("detail %q", d)
	}
	// A RetryAfter from elsewhere than retryAfter is capped all the same.
	tr.failed(&feeds.Error{Kind: feeds.KindRateLimited, Status: 429, RetryAfter: 72 * time.Hour})
	if h := tr.health(); !h.Until.Equal(testStart.Add(maxRetryAfter)) {
		t.Errorf("an uncapped RetryAfter of 72h pauses until %v, want %v", h.Until, testStart.Add(maxRetryAfter))
	}
}
