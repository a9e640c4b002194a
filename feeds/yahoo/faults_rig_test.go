package yahoo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// The harness of the fault suite in faults_test.go: an injected clock, a
// network that can fail between the feed and the fake, and a rig that runs
// the poller one refresh at a time.

// faultStart is a Wednesday, 14:30 UTC: the watched markets are open.
var faultStart = time.Date(2025, 10, 29, 14, 30, 0, 0, time.UTC)

// watched are two recorded quotes and one the fake synthesizes.
var watched = []string{"AAPL", "MSFT", "NVDA"}

// shownText collects every error and Health sentence the suite produced,
// and every session value the fakes handed out, for one leak check.
type shownText struct {
	mu      sync.Mutex
	texts   []string
	secrets map[string]bool
}

func (s *shownText) add(u feeds.Update, fake *yahootest.Server) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.texts = append(s.texts, u.Health.Detail)
	if u.Err != nil {
		s.texts = append(s.texts, u.Err.Error())
	}
	s.secrets[fake.Cookie()] = true
	s.secrets[fake.Crumb()] = true
}

// netSwitch is a loopback reverse proxy in front of the fake. It can leave
// the network (its port then refuses connections) and come back on the same
// address, and it can cut quote responses off halfway through their body.
type netSwitch struct {
	t     *testing.T
	addr  string
	URL   string
	proxy *httputil.ReverseProxy

	mu        sync.Mutex
	srv       *http.Server
	listener  net.Listener
	cutQuotes int
}

func newNetSwitch(t *testing.T, target string) *netSwitch {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cannot listen on loopback: %v", err)
	}
	n := &netSwitch{t: t, addr: l.Addr().String(), URL: "http://" + l.Addr().String(), proxy: httputil.NewSingleHostReverseProxy(u)}
	n.proxy.ErrorLog = log.New(io.Discard, "", 0)
	n.serve(l)
	t.Cleanup(n.Down)
	return n
}

func (n *netSwitch) serve(l net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(n.handle), ErrorLog: log.New(io.Discard, "", 0)}
	n.mu.Lock()
	n.srv, n.listener = srv, l
	n.mu.Unlock()
	go srv.Serve(l)
}

// Down closes the port and every open connection. The listener is closed
// here, not left to Serve, which may not have started yet.
func (n *netSwitch) Down() {
	n.mu.Lock()
	srv, l := n.srv, n.listener
	n.srv, n.listener = nil, nil
	n.mu.Unlock()
	if srv != nil {
		l.Close()
		srv.Close()
	}
}

// Up listens again on the same address.
func (n *netSwitch) Up() {
	l, err := net.Listen("tcp", n.addr)
	if err != nil {
		n.t.Fatalf("cannot listen again on %s: %v", n.addr, err)
	}
	n.serve(l)
}

// CutQuotes makes the next k quote responses stop halfway through the body
// their Content-Length announced.
func (n *netSwitch) CutQuotes(k int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cutQuotes = k
}

func (n *netSwitch) handle(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	cut := r.URL.Path == yahootest.RouteQuote && n.cutQuotes > 0
	if cut {
		n.cutQuotes--
	}
	n.mu.Unlock()
	if !cut {
		n.proxy.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	n.proxy.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(rec.Code)
	w.Write(body[:len(body)/2])
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler) // drops the connection mid-body
}

// rig is one case's chain. Every refresh is a RefreshNow after advancing
// the injected clock; the poller's own timer is an hour away.
type rig struct {
	t      *testing.T
	fake   *yahootest.Server
	net    *netSwitch
	clock  *feedstest.Clock
	poller *feeds.Poller
	shown  *shownText
	last   feeds.Update
	good   feeds.Update // the last update with every watched quote fresh
}

type rigSetup struct {
	fake     *yahootest.Server // to script before the first refresh
	net      *netSwitch
	timeout  time.Duration                                  // HTTP client timeout
	cacheDir string                                         // session cache; "" means none
	wrap     func(*yahoo.Feed, *feedstest.Clock) feeds.Feed // nil polls the yahoo feed itself
}

// newRig starts a case and returns after the first update.
func newRig(t *testing.T, shown *shownText, setup func(*rigSetup)) *rig {
	fake := yahootest.New(t)
	r := &rig{t: t, fake: fake, net: newNetSwitch(t, fake.URL), clock: feedstest.NewClock(faultStart), shown: shown}
	s := rigSetup{fake: fake, net: r.net, timeout: 2 * time.Second}
	if setup != nil {
		setup(&s)
	}
	client := yahootest.Client()
	client.Timeout = s.timeout
	yf := yahoo.New(yahoo.Options{BaseURL: r.net.URL, HTTPClient: client, CacheDir: s.cacheDir, Clock: r.clock.Now, Rand: func() float64 { return 0.5 }})
	var feed feeds.Feed = yf
	if s.wrap != nil {
		feed = s.wrap(yf, r.clock)
	}
	r.poller = feeds.NewPoller(feed, feeds.PollerOptions{Clock: r.clock.Now, Refresh: time.Hour, ClosedRefresh: time.Hour}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.poller.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		for range r.poller.Updates() { // closed when Run returns
		}
		<-done
	})
	r.poller.SetWatch(feeds.Watch{Generation: 1, Symbols: watched, Range: feeds.Range6M})
	r.next()
	return r
}

func (r *rig) next() feeds.Update {
	r.t.Helper()
	select {
	case u, ok := <-r.poller.Updates():
		if !ok {
			r.t.Fatal("the poller stopped publishing")
		}
		r.shown.add(u, r.fake)
		if !u.Complete {
			return r.next() // the prices-first update; the refresh goes on
		}
		r.last = u
		if u.Err == nil && r.fresh(u) {
			r.good = u
		}
		return u
	case <-time.After(5 * time.Second):
		r.t.Fatal("no update within 5 s of a refresh: the feed stopped")
	}
	return feeds.Update{}
}

// refresh advances the clock by d, then runs one refresh.
func (r *rig) refresh(d time.Duration) feeds.Update {
	r.t.Helper()
	r.clock.Advance(d)
	r.poller.RefreshNow()
	return r.next()
}

// fresh reports whether every watched symbol got a quote in this refresh.
func (r *rig) fresh(u feeds.Update) bool {
	for _, sym := range watched {
		if q, ok := u.Quotes[sym]; !ok || q.Price <= 0 || !u.LastGood[sym].Equal(u.At) {
			return false
		}
	}
	return true
}

// expect checks the state and that the detail is one readable sentence
// naming the cause.
func (r *rig) expect(u feeds.Update, state feeds.State, words ...string) {
	r.t.Helper()
	h := u.Health
	if h.State != state {
		r.t.Errorf("at %s: state %q, want %q (detail %q, err %v)", u.At.Format("15:04:05"), h.State, state, h.Detail, u.Err)
	}
	first, _ := utf8.DecodeRuneInString(h.Detail)
	if len(h.Detail) > 300 || !unicode.IsUpper(first) || strings.ContainsAny(h.Detail, "\n\r\t") || strings.Contains(h.Detail, "%!") {
		r.t.Errorf("detail is not one readable sentence: %q", h.Detail)
	}
	for _, w := range words {
		if !strings.Contains(h.Detail, w) {
			r.t.Errorf("detail %q does not say %q", h.Detail, w)
		}
	}
}

// kept checks that the last good quotes are still shown, unchanged.
func (r *rig) kept(u feeds.Update) {
	r.t.Helper()
	if len(r.good.Quotes) == 0 {
		r.t.Fatal("no good update to compare with")
	}
	for _, sym := range watched {
		want, got := r.good.Quotes[sym], u.Quotes[sym]
		if got.Price != want.Price || !got.QuoteTime.Equal(want.QuoteTime) || !u.LastGood[sym].Equal(r.good.At) {
			r.t.Errorf("%s: shows %v (last good %v), want the last good %v from %v", sym, got.Price, u.LastGood[sym], want.Price, r.good.At)
		}
	}
}

// recovers advances past any pause the last update announced, refreshes,
// and checks the feed is live with fresh quotes.
func (r *rig) recovers() feeds.Update {
	r.t.Helper()
	end := r.last.Health.Until
	var fe *feeds.Error
	if errors.As(r.last.Err, &fe) && fe.Until.After(end) {
		end = fe.Until
	}
	wait := time.Second
	if d := end.Sub(r.clock.Now()); d > 0 {
		wait += d
	}
	u := r.refresh(wait)
	r.expect(u, feeds.StateLive, "refreshing normally")
	if u.Err != nil || !r.fresh(u) {
		r.t.Errorf("after the fault: err %v, quotes %v; want every watched symbol fresh", u.Err, u.Quotes)
	}
	return u
}

// quoteBody is a quote response with one minimal quote per symbol and price.
func quoteBody(prices ...any) string {
	var parts []string
	for i := 0; i+1 < len(prices); i += 2 {
		parts = append(parts, fmt.Sprintf(`{"symbol":%q,"quoteType":"EQUITY","marketState":"REGULAR","currency":"USD","regularMarketPrice":%v,"regularMarketTime":%d}`,
			prices[i], prices[i+1], yahootest.SyntheticTime))
	}
	return `{"quoteResponse":{"result":[` + strings.Join(parts, ",") + `],"error":null}}`
}

// recordedPrice is a symbol's price in the quote file the fake serves.
func recordedPrice(t *testing.T, symbol string) float64 {
	var body struct {
		QuoteResponse struct {
			Result []struct {
				Symbol             string  `json:"symbol"`
				RegularMarketPrice float64 `json:"regularMarketPrice"`
			} `json:"result"`
		} `json:"quoteResponse"`
	}
	if err := json.Unmarshal(yahootest.Fixture(t, yahootest.QuotesRegular), &body); err != nil {
		t.Fatal(err)
	}
	for _, q := range body.QuoteResponse.Result {
		if q.Symbol == symbol {
			return q.RegularMarketPrice
		}
	}
	t.Fatalf("%s is not in %s", symbol, yahootest.QuotesRegular)
	return 0
}
