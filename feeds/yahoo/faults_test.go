package yahoo_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/feeds/yahoo"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// The fault suite drives the real chain, poller -> yahoo feed -> HTTP ->
// scripted fake Yahoo, one refresh at a time on an injected clock, and
// checks what a person would see: the feed keeps publishing, Health names
// the fault, the last good quotes stay up, and the feed is live again by
// itself once the fault ends.

const invalidCrumbBody = `{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}`

func TestFaults(t *testing.T) {
	shown := &shownText{secrets: map[string]bool{}}
	t.Run("InvalidCrumbStorm", func(t *testing.T) { invalidCrumbStorm(t, shown) })
	t.Run("RateLimited", func(t *testing.T) { rateLimited(t, shown) })
	t.Run("ServerErrors", func(t *testing.T) { serverErrors(t, shown) })
	t.Run("Timeouts", func(t *testing.T) { timeouts(t, shown) })
	t.Run("BrokenBodies", func(t *testing.T) { brokenBodies(t, shown) })
	t.Run("EmptyChartResult", func(t *testing.T) { emptyChartResult(t, shown) })
	t.Run("UnaskedSymbol", func(t *testing.T) { unaskedSymbol(t, shown) })
	t.Run("ZeroAndNegativePrices", func(t *testing.T) { zeroAndNegativePrices(t, shown) })
	t.Run("NetworkGoneTenMinutes", func(t *testing.T) { networkGoneTenMinutes(t, shown) })
	t.Run("AutoFallsBackThenGoesLive", func(t *testing.T) { autoFallsBackThenGoesLive(t, shown) })

	// No error or Health sentence of any case shows a session value.
	if len(shown.texts) < 50 || len(shown.secrets) < 4 {
		t.Fatalf("collected %d texts and %d session values; the cases did not run", len(shown.texts), len(shown.secrets))
	}
	for _, text := range shown.texts {
		for secret := range shown.secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%q shows the session value %q", text, secret)
			}
		}
	}
}

// Several refreshes in a row are refused "Invalid Crumb", each with exactly
// one new handshake, and prices keep coming from charts (limited mode);
// then Yahoo accepts the renewed session, and the cache file, rewritten
// through the storm, holds it and nothing else.
func invalidCrumbStorm(t *testing.T, shown *shownText) {
	dir := t.TempDir()
	r := newRig(t, shown, func(s *rigSetup) { s.cacheDir = dir })
	r.fake.Invalidate() // the crumb in hand expires...
	for range 6 {       // ...and three renewals in a row are refused too
		r.fake.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusUnauthorized, Body: invalidCrumbBody})
	}
	for i := range 3 {
		crumbs := r.fake.Count(yahootest.RouteCrumb)
		u := r.refresh(time.Minute)
		r.expect(u, feeds.StateLimited, "LIMITED", "HTTP 401", "trying a new session after")
		if !r.fresh(u) || !u.Quotes["AAPL"].FromChart || u.Quotes["AAPL"].Price != recordedPrice(t, "AAPL") {
			t.Errorf("refresh %d of the storm: quotes not fresh from charts: %v", i+1, u.Quotes)
		}
		if n := r.fake.Count(yahootest.RouteCrumb) - crumbs; n != 1 {
			t.Errorf("refresh %d of the storm asked for %d crumbs, want 1", i+1, n)
		}
	}
	r.recovers()

	path := yahoo.SessionPathIn(t, dir)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no session cache after the storm: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("session cache mode %v, want 0600", info.Mode().Perm())
	}
	var stored map[string]any
	if b, err := os.ReadFile(path); err != nil || json.Unmarshal(b, &stored) != nil {
		t.Fatalf("session cache unreadable: %s, %v", b, err)
	}
	if len(stored) != 3 || stored["crumb"] != r.fake.Crumb() || !strings.Contains(fmt.Sprint(stored["cookie"]), r.fake.Cookie()) || stored["created"] == nil {
		t.Errorf("session cache holds %v; want only the renewed cookie, crumb and its time", stored)
	}
}

func rateLimited(t *testing.T, shown *shownText) {
	t.Run("RetryAfter", func(t *testing.T) {
		r := newRig(t, shown, nil)
		r.fake.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusTooManyRequests, Body: "Too Many Requests", RetryAfter: "120"})
		u := r.refresh(time.Minute)
		until := u.At.Add(2 * time.Minute)
		r.expect(u, feeds.StateRateLimited, "HTTP 429", "pausing until "+until.Format("15:04:05"))
		r.kept(u)
		// Within the pause, refreshes still publish but do not ask Yahoo.
		asked := r.fake.Count(yahootest.RouteQuote)
		u = r.refresh(time.Minute)
		r.expect(u, feeds.StateRateLimited, "HTTP 429")
		r.kept(u)
		if n := r.fake.Count(yahootest.RouteQuote); n != asked {
			t.Errorf("%d quote requests during the Retry-After pause", n-asked)
		}
		r.recovers()
	})
	// Retry-After of three days: the feed pauses at most 15 minutes, says
	// what Yahoo asked, and recovers by itself once Yahoo answers again.
	t.Run("RetryAfterOfThreeDays", func(t *testing.T) {
		r := newRig(t, shown, nil)
		r.fake.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusTooManyRequests, Body: "Too Many Requests", RetryAfter: "259200"})
		u := r.refresh(time.Minute)
		until := u.At.Add(15 * time.Minute)
		r.expect(u, feeds.StateRateLimited, "HTTP 429", "asked to wait 72h0m0s", "pausing until "+until.Format("15:04:05"), "at most 15 minutes")
		r.kept(u)
		if !u.Health.Until.Equal(until) {
			t.Errorf("paused until %v, want %v: 15 minutes, not three days", u.Health.Until, until)
		}
		asked := r.fake.Count(yahootest.RouteQuote)
		u = r.refresh(14 * time.Minute)
		r.expect(u, feeds.StateRateLimited, "asked to wait 72h0m0s")
		if n := r.fake.Count(yahootest.RouteQuote); n != asked {
			t.Errorf("%d quote requests within the 15 minutes", n-asked)
		}
		r.recovers()
	})
	t.Run("NoRetryAfter", func(t *testing.T) {
		r := newRig(t, shown, nil)
		for range 3 {
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusTooManyRequests, Body: "Too Many Requests"})
		}
		var lastWait time.Duration
		step := time.Minute
		for i := range 3 {
			u := r.refresh(step)
			r.expect(u, feeds.StateRateLimited, "HTTP 429", "pausing until")
			r.kept(u)
			wait := u.Health.Until.Sub(u.At)
			if wait <= lastWait {
				t.Errorf("429 number %d pauses %v, after %v before; want a growing backoff", i+1, wait, lastWait)
			}
			lastWait, step = wait, wait
		}
		r.recovers()
	})
}

func serverErrors(t *testing.T, shown *shownText) {
	r := newRig(t, shown, nil)
	r.fake.FailNext(yahootest.RouteQuote, 1, http.StatusInternalServerError)
	r.fake.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusServiceUnavailable, ContentType: "text/html",
		Body: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"})
	u := r.refresh(time.Minute)
	r.expect(u, feeds.StateStale, "No fresh Yahoo data since 14:30:00", "HTTP 500", "retrying within a minute")
	r.kept(u)
	u = r.refresh(time.Minute)
	r.expect(u, feeds.StateStale, "HTTP 503", "retrying within a minute")
	r.kept(u)
	r.recovers()
}

// A Yahoo that accepts the connection and never answers.
func timeouts(t *testing.T, shown *shownText) {
	r := newRig(t, shown, func(s *rigSetup) { s.timeout = 250 * time.Millisecond })
	r.fake.Script(yahootest.RouteQuote, yahootest.Step{Hang: true}, yahootest.Step{Hang: true})
	for range 2 {
		u := r.refresh(time.Minute)
		// The detail quotes net/http's wording, which varies with where the
		// timeout struck, so the timeout itself is read from the error.
		r.expect(u, feeds.StateOffline, "Cannot reach Yahoo Finance since 14:30:00", "retrying within a minute")
		var ne net.Error
		if !errors.As(u.Err, &ne) || !ne.Timeout() || feeds.KindOf(u.Err) != feeds.KindOffline {
			t.Errorf("error %v, want an offline timeout", u.Err)
		}
		r.kept(u)
	}
	r.recovers()
}

func brokenBodies(t *testing.T, shown *shownText) {
	full := string(yahootest.Fixture(t, yahootest.QuotesRegular))
	cases := []struct {
		name  string
		fault func(*rig)
		state feeds.State
		words []string
	}{
		{"HalfAJSONBody", func(r *rig) {
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{Body: full[:len(full)/2]})
		}, feeds.StateStale, []string{"malformed body", "the next refresh tries again"}},
		{"ConnectionCutMidBody", func(r *rig) { r.net.CutQuotes(1) },
			feeds.StateStale, []string{"bad response", "unexpected EOF"}},
		{"HTMLInsteadOfJSON", func(r *rig) {
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{ContentType: "text/html",
				Body: "<!DOCTYPE html><html><head><title>Yahoo</title></head><body>Will be right back...</body></html>"})
		}, feeds.StateStale, []string{"malformed body", `it starts "<!DOCTYPE html>`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, shown, nil)
			c.fault(r)
			u := r.refresh(time.Minute)
			r.expect(u, c.state, c.words...)
			r.kept(u)
			r.recovers()
		})
	}
}

// A chart answered with no result is that symbol's problem: the quotes stay
// live, the last good chart stays up, and it is fetched again when due.
// Spark leaves such a symbol out; the per-symbol chart, asked when spark is
// down, says so in an error.
func emptyChartResult(t *testing.T, shown *shownText) {
	r := newRig(t, shown, nil)
	key := feeds.SeriesKey{Symbol: "AAPL", Range: feeds.RangeDaily}
	r.fake.Script(yahootest.RouteSpark, yahootest.Step{Status: http.StatusNotFound, Body: "{}"})
	before, ok := r.last.Series[key]
	if !ok || before.Len() == 0 {
		t.Fatalf("first refresh has no AAPL chart: %v", r.last.Series)
	}
	r.fake.SetChart("AAPL", []byte(`{"chart":{"result":[]}}`))
	u := r.refresh(31 * time.Minute) // past the daily series' refresh age
	r.expect(u, feeds.StateLive, "refreshing normally")
	if u.Err == nil || !strings.Contains(u.Err.Error(), "no chart data for AAPL") {
		t.Errorf("update error %v, want one naming AAPL's missing chart", u.Err)
	}
	if got := u.Series[key]; got.Len() != before.Len() || !got.Times[0].Equal(before.Times[0]) {
		t.Errorf("AAPL chart after an empty answer has %d bars, want the last good %d", got.Len(), before.Len())
	}
	if !r.fresh(u) {
		t.Errorf("quotes were not refreshed alongside the failed chart: %v", u.LastGood)
	}
	r.fake.SetChart("AAPL", nil) // back to the recorded chart
	u = r.refresh(31 * time.Minute)
	if u.Err != nil || u.Series[key].Len() == 0 {
		t.Errorf("chart not fetched again once Yahoo answers: err %v", u.Err)
	}
	r.expect(u, feeds.StateLive, "refreshing normally")
}

// Yahoo answering a symbol nobody asked for: it is not shown, and the
// watched symbols it left out count as missing.
func unaskedSymbol(t *testing.T, shown *shownText) {
	r := newRig(t, shown, nil)
	r.fake.Script(yahootest.RouteQuote, yahootest.Step{Body: quoteBody("AAPL", 270.5, "EVIL", 999.0, "msft.x", 1.0)})
	u := r.refresh(time.Minute)
	r.expect(u, feeds.StateLive)
	for sym := range u.Quotes {
		if sym != "AAPL" && sym != "MSFT" && sym != "NVDA" {
			t.Errorf("unasked symbol %q is shown", sym)
		}
	}
	if q := u.Quotes["AAPL"]; q.Price != 270.5 || !u.LastGood["AAPL"].Equal(u.At) {
		t.Errorf("AAPL = %v at %v, want the new 270.5", q.Price, u.LastGood["AAPL"])
	}
	for _, sym := range []string{"MSFT", "NVDA"} {
		if u.Quotes[sym].Price != r.good.Quotes[sym].Price || u.LastGood[sym].Equal(u.At) {
			t.Errorf("%s shows %v as fresh; want its last good %v", sym, u.Quotes[sym].Price, r.good.Quotes[sym].Price)
		}
	}
	if strings.Join(u.Missing, ",") != "MSFT,NVDA" {
		t.Errorf("missing %v, want MSFT and NVDA", u.Missing)
	}
	r.recovers()
}

// A price of 0 or below is no price: never shown, the symbol is missing
// (or keeps its last good quote), and nothing crashes.
func zeroAndNegativePrices(t *testing.T, shown *shownText) {
	r := newRig(t, shown, func(s *rigSetup) {
		s.fake.Script(yahootest.RouteQuote, yahootest.Step{Body: quoteBody("AAPL", 0, "MSFT", -12.5, "NVDA", 181.25)})
	})
	u := r.last // the first refresh ever: nothing to fall back on
	if _, ok := u.Quotes["AAPL"]; ok {
		t.Errorf("AAPL at price 0 is shown: %v", u.Quotes["AAPL"])
	}
	if _, ok := u.Quotes["MSFT"]; ok {
		t.Errorf("MSFT at a negative price is shown: %v", u.Quotes["MSFT"])
	}
	if u.Quotes["NVDA"].Price != 181.25 || strings.Join(u.Missing, ",") != "AAPL,MSFT" {
		t.Errorf("NVDA %v, missing %v; want 181.25 and AAPL,MSFT missing", u.Quotes["NVDA"].Price, u.Missing)
	}
	r.recovers()

	r.fake.Script(yahootest.RouteQuote,
		yahootest.Step{Body: quoteBody("AAPL", -1, "MSFT", 0, "NVDA", 181.25)},
		yahootest.Step{Body: quoteBody("AAPL", 0.0, "MSFT", -0.01, "NVDA", 0)})
	for range 2 {
		u = r.refresh(time.Minute)
		for sym, q := range u.Quotes {
			if q.Price <= 0 {
				t.Errorf("%s shown at price %v", sym, q.Price)
			}
		}
		for _, sym := range []string{"AAPL", "MSFT"} {
			if u.Quotes[sym].Price != r.good.Quotes[sym].Price || u.LastGood[sym].Equal(u.At) {
				t.Errorf("%s: %v at %v; want its last good quote kept, not refreshed", sym, u.Quotes[sym].Price, u.LastGood[sym])
			}
		}
	}
	r.recovers()
}

// The network goes away for ten minutes of refreshes, then comes back on
// the same address.
func networkGoneTenMinutes(t *testing.T, shown *shownText) {
	r := newRig(t, shown, nil)
	lastOK := r.good.At
	r.net.Down()
	for range 10 {
		u := r.refresh(time.Minute)
		// The pause grows past a minute and is then said as a clock time:
		// both wordings are TestRetryIsSaidAsItWillReadWhenShown's.
		r.expect(u, feeds.StateOffline, "Cannot reach Yahoo Finance since 14:30:00", "connection refused", "retrying ")
		if !u.Health.Since.Equal(lastOK) {
			t.Errorf("offline since %v, want the last good data at %v", u.Health.Since, lastOK)
		}
		r.kept(u)
	}
	r.net.Up()
	r.recovers()
}

// With Yahoo unreachable and no snapshot, the auto feed shows the simulated
// market, says so, and switches to Yahoo within one probe interval of it
// answering again.
func autoFallsBackThenGoesLive(t *testing.T, shown *shownText) {
	const probe = time.Minute
	r := newRig(t, shown, func(s *rigSetup) {
		s.net.Down()
		s.wrap = func(yf *yahoo.Feed, clock *feedstest.Clock) feeds.Feed {
			simulated := sim.New(sim.Options{Seed: 7, Clock: clock.Now})
			return feeds.NewAuto(yf, simulated, feeds.AutoOptions{Clock: clock.Now, ProbeEvery: probe})
		}
	})
	u := r.last
	h := u.Health
	if h.State != feeds.StateSimulated || !h.Simulated {
		t.Fatalf("unreachable Yahoo, no snapshot: health %+v, want simulated", h)
	}
	r.expect(u, feeds.StateSimulated, "Yahoo unreachable", "connection refused", "showing SIMULATED prices", "retrying every minute")
	recorded := recordedPrice(t, "AAPL")
	if q := u.Quotes["AAPL"]; q.Price <= 0 || q.Price == recorded {
		t.Errorf("fallback AAPL quote %v, want a simulated price (Yahoo's is %v)", q.Price, recorded)
	}

	u = r.refresh(probe / 2)
	r.expect(u, feeds.StateSimulated, "Yahoo unreachable")
	r.net.Up()
	// Yahoo answers again, but the next probe is not due yet.
	u = r.refresh(probe / 3)
	r.expect(u, feeds.StateSimulated, "Yahoo unreachable")
	if n := r.fake.Count(yahootest.RouteQuote); n != 0 {
		t.Errorf("%d quote requests before the probe was due", n)
	}
	u = r.refresh(probe - probe/2 - probe/3)
	r.expect(u, feeds.StateLive, "Live Yahoo Finance quotes")
	if u.Health.Simulated || u.Health.Feed != yahoo.Name || !r.fresh(u) || u.Quotes["AAPL"].Price != recorded {
		t.Errorf("one probe interval after Yahoo answers: health %+v, AAPL %v; want live Yahoo quotes", u.Health, u.Quotes["AAPL"])
	}
}
