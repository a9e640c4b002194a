package yahoo

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

const invalidCrumb = `{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}`

func handshakes(srv *yahootest.Server) (cookie, crumb int) {
	return srv.Count(yahootest.RouteCookie), srv.Count(yahootest.RouteCrumb)
}

func TestFirstCallInvalidCrumbRefreshesOnceAndRetriesOnce(t *testing.T) {
	srv := yahootest.New(t)
	srv.Script(yahootest.RouteQuote, yahootest.Step{Status: http.StatusUnauthorized, Body: invalidCrumb})
	feed, _ := newTestFeed(t, srv.URL)
	got, err := feed.Quotes(context.Background(), []string{"AAPL"})
	if err != nil || len(got) != 1 {
		t.Fatalf("Quotes = %v, %v; want AAPL after one refresh", got, err)
	}
	if c, k := handshakes(srv); c != 2 || k != 2 {
		t.Errorf("handshakes: cookie %d, crumb %d; want 2 and 2 (one refresh)", c, k)
	}
	if q := srv.Count(yahootest.RouteQuote); q != 2 {
		t.Errorf("quote requests %d, want 2 (one retry)", q)
	}
}

func TestExpiredCrumbMidSessionIsRenewed(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	srv.Invalidate() // Yahoo now answers 401 Invalid Crumb to the old session
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatalf("Quotes after the crumb expired: %v", err)
	}
	if c, k := handshakes(srv); c != 2 || k != 2 {
		t.Errorf("handshakes: cookie %d, crumb %d; want 2 and 2", c, k)
	}
}

// A session refused twice in a row is not asked for again and again: the
// feed prices from charts (limited mode) and tries a new session later.
func TestRefusedTwiceFallsBackToChartPricesWithoutLooping(t *testing.T) {
	srv := yahootest.New(t)
	srv.Script(yahootest.RouteQuote,
		yahootest.Step{Status: http.StatusUnauthorized, Body: invalidCrumb},
		yahootest.Step{Status: http.StatusUnauthorized, Body: invalidCrumb})
	feed, clock := newTestFeed(t, srv.URL)
	qs, err := feed.Quotes(context.Background(), []string{"AAPL"})
	if err != nil || len(qs) != 1 || !qs[0].FromChart || qs[0].Price != num(recordedQuotes(t, yahootest.QuotesRegular)["AAPL"], "regularMarketPrice") {
		t.Fatalf("quotes %+v, error %v; want AAPL at its recorded price, from its chart", qs, err)
	}
	if c, q, s := srv.Count(yahootest.RouteCookie), srv.Count(yahootest.RouteQuote), srv.Count(yahootest.RouteSpark); c != 2 || q != 2 || s != 1 {
		t.Errorf("cookie %d, quote %d, spark %d requests; want 2, 2 and 1", c, q, s)
	}
	h := feed.Health()
	if h.State != feeds.StateLimited || !strings.Contains(h.Detail, "HTTP 401") || !strings.Contains(h.Detail, "trying a new session after") {
		t.Errorf("health = %+v, want limited, saying why and when it tries a new session", h)
	}
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil || srv.Count(yahootest.RouteQuote) != 2 {
		t.Errorf("before the retry is due the full path was asked again (%d quote requests, %v)", srv.Count(yahootest.RouteQuote), err)
	}
	clock.Advance(h.Until.Sub(clock.Now()))
	qs, err = feed.Quotes(context.Background(), []string{"AAPL"})
	if err != nil || len(qs) != 1 || qs[0].FromChart {
		t.Fatalf("after the pause: %+v, %v; want a full quote again", qs, err)
	}
	if h := feed.Health(); h.State != feeds.StateLive {
		t.Errorf("health after recovery = %+v", h)
	}
}

func TestCrumbThatIsNotACrumb(t *testing.T) {
	cases := []struct {
		body string
		kind feeds.ErrorKind
	}{
		{"<!DOCTYPE html><html><body>Oops</body></html>", feeds.KindAuth},
		{"Too Many Requests", feeds.KindRateLimited},
		{"", feeds.KindAuth},
	}
	for _, c := range cases {
		srv := yahootest.New(t)
		step := yahootest.Step{Body: c.body, ContentType: "text/html"}
		srv.Script(yahootest.RouteCrumb, step, step)
		feed, _ := newTestFeed(t, srv.URL)
		// The handshake's own error, which limited mode then works around.
		if _, ferr := feed.fullQuotes(context.Background(), []string{"AAPL"}); ferr == nil || ferr.Kind != c.kind {
			t.Errorf("crumb %q: full quotes failed with %v, want kind %s", c.body, ferr, c.kind)
		}
		qs, err := feed.Quotes(context.Background(), []string{"AAPL"})
		if err != nil || len(qs) != 1 || !qs[0].FromChart {
			t.Errorf("crumb %q: quotes %v, %v; want AAPL from its chart", c.body, qs, err)
		}
		if n := srv.Count(yahootest.RouteQuote); n != 0 {
			t.Errorf("crumb %q: %d quote requests made without a crumb", c.body, n)
		}
	}
}

func TestEUConsentStep(t *testing.T) {
	srv := yahootest.New(t)
	srv.RequireConsent(true)
	feed, _ := newTestFeed(t, srv.URL)
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatalf("Quotes behind the consent form: %v", err)
	}
	if srv.Count(yahootest.RouteConsent) != 1 || srv.Count(yahootest.RouteCollectConsent) != 1 {
		t.Errorf("consent form shown %d times, posted %d times; want once each",
			srv.Count(yahootest.RouteConsent), srv.Count(yahootest.RouteCollectConsent))
	}
}

func TestDefaultEndpointsAreYahoos(t *testing.T) {
	guard := &yahootest.GuardTransport{}
	clock := feedstest.NewClock(testStart)
	feed := New(Options{HTTPClient: &http.Client{Transport: guard}, Clock: clock.Now})
	_, err := feed.Quotes(context.Background(), []string{"AAPL"})
	asFeedError(t, err, feeds.KindOffline)
	if got := guard.Refused(); !slices.Equal(got, []string{"fc.yahoo.com", "finance.yahoo.com"}) {
		t.Errorf("hosts asked for the cookie: %v", got)
	}
}

func TestSessionCacheFile(t *testing.T) {
	srv := yahootest.New(t)
	dir := filepath.Join(t.TempDir(), "cache")
	withCache := func(o *Options) { o.CacheDir = dir }
	first, _ := newTestFeed(t, srv.URL, withCache)
	if _, err := first.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	path := sessionPathIn(t, dir)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no session cache: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("session cache mode %v, want 0600", info.Mode().Perm())
	}
	var stored map[string]any
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 3 || stored["cookie"] == "" || stored["crumb"] != srv.Crumb() || stored["created"] == nil {
		t.Errorf("cache holds %v; want only cookie, crumb and time", stored)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("cache dir holds %d entries; a temp file was left behind", len(entries))
	}

	// A restart within a day reuses the session.
	second, clock := newTestFeed(t, srv.URL, withCache)
	clock.Advance(23 * time.Hour)
	if _, err := second.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	if c, k := handshakes(srv); c != 1 || k != 1 {
		t.Errorf("second feed shook hands again: cookie %d, crumb %d", c, k)
	}

	// After 24 hours the cached session is not used.
	third, clock := newTestFeed(t, srv.URL, withCache)
	clock.Advance(24*time.Hour + time.Second)
	if _, err := third.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	if c, k := handshakes(srv); c != 2 || k != 2 {
		t.Errorf("expired cache: cookie %d, crumb %d requests; want a second handshake", c, k)
	}
}

func TestRefusedCachedSessionIsReplacedOnDisk(t *testing.T) {
	srv := yahootest.New(t)
	dir := t.TempDir()
	withCache := func(o *Options) { o.CacheDir = dir }
	first, _ := newTestFeed(t, srv.URL, withCache)
	if _, err := first.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	srv.Invalidate()
	second, _ := newTestFeed(t, srv.URL, withCache)
	if _, err := second.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatalf("Quotes with a refused cached session: %v", err)
	}
	b, err := os.ReadFile(sessionPathIn(t, dir))
	if err != nil || !strings.Contains(string(b), srv.Crumb()) {
		t.Errorf("cache after renewal = %s, %v; want the new crumb", b, err)
	}
}

// Every failure a session can meet, and its Health sentence, stays free
// of the cookie and the crumb.
func TestErrorsNeverContainCookieOrCrumb(t *testing.T) {
	srv := yahootest.New(t)
	client := yahootest.Client()
	client.Timeout = 300 * time.Millisecond
	feed, clock := newTestFeed(t, srv.URL, func(o *Options) { o.HTTPClient = client })
	if _, err := feed.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	secrets := []string{srv.Crumb(), srv.Cookie()}
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		for _, text := range []string{err.Error(), feed.Health().Detail} {
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("%s: %q leaks a session value", what, text)
				}
			}
		}
		clock.Advance(time.Hour) // past any pause
	}
	steps := map[string]yahootest.Step{
		"timeout":   {Hang: true},
		"500":       {Status: 500, Body: "oops"},
		"429":       {Status: 429, Body: "Too Many Requests", RetryAfter: "5"},
		"malformed": {Body: "{not json"},
	}
	for what, step := range steps {
		srv.Script(yahootest.RouteQuote, step)
		_, err := feed.Quotes(context.Background(), []string{"AAPL"})
		check(what, err)
	}
	srv.Script(yahootest.RouteQuote,
		yahootest.Step{Status: http.StatusUnauthorized, Body: invalidCrumb},
		yahootest.Step{Status: http.StatusUnauthorized, Body: invalidCrumb})
	_, ferr := feed.fullQuotes(context.Background(), []string{"AAPL"})
	secrets = append(secrets, srv.Crumb(), srv.Cookie())
	check("401 twice", ferr)
}

func TestRedactRemovesEverySessionValue(t *testing.T) {
	s := session{Cookie: "A3=d=secretA3; A1=secretA1", Crumb: "crumbXYZ"}
	e := s.redact(&feeds.Error{Kind: feeds.KindOffline, Err: os.ErrDeadlineExceeded})
	if e.Err != os.ErrDeadlineExceeded {
		t.Errorf("an error without secrets was rewritten: %v", e.Err)
	}
	e = s.redact(&feeds.Error{Kind: feeds.KindUpstream, Err: &os.PathError{Op: "get", Path: "?crumb=crumbXYZ&c=d=secretA3,secretA1", Err: os.ErrInvalid}})
	for _, secret := range []string{"crumbXYZ", "d=secretA3", "secretA1"} {
		if strings.Contains(e.Error(), secret) {
			t.Errorf("%q still holds %q", e.Error(), secret)
		}
	}
}

// sessionPathIn finds the one session file a feed wrote in dir (its name
// depends on the endpoints it talked to).
func sessionPathIn(t *testing.T, dir string) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, "session*.json"))
	if len(matches) != 1 {
		t.Fatalf("session files in %s: %v, want exactly one", dir, matches)
	}
	return matches[0]
}

func TestSessionFileBelongsToItsHost(t *testing.T) {
	yahooSessions := &sessions{dir: "/c", ends: newEndpoints("")}
	a := &sessions{dir: "/c", ends: newEndpoints("http://127.0.0.1:1")}
	b := &sessions{dir: "/c", ends: newEndpoints("http://127.0.0.1:2/")}
	if yahooSessions.path() != "/c/session.json" || a.path() == b.path() || a.path() == yahooSessions.path() {
		t.Errorf("paths: yahoo %s, a %s, b %s; want one file per host", yahooSessions.path(), a.path(), b.path())
	}
}
