// Package yahootest is a scripted fake of Yahoo Finance on a loopback
// httptest server, for tests of the yahoo feed and of anything built on it.
//
// It behaves like the live service where that matters: a session cookie is
// set at "/", a crumb is handed out at /v1/test/getcrumb to holders of that
// cookie, /v7/finance/quote answers 401 "Invalid Crumb" without both and 429
// above 50 symbols, and /v8/finance/chart/SYM serves recorded charts. Quotes
// come from the recorded files in feeds/yahoo/testdata, and are synthesized
// for any other symbol. Every route can be scripted to misbehave. A
// websocket upgrade to "/?version=2" reaches the fake streamer (streamer.go).
package yahootest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Routes, as counted by Count and scripted by Script. RouteChart covers
// every /v8/finance/chart/SYM.
const (
	RouteCookie         = "/"
	RouteCrumb          = "/v1/test/getcrumb"
	RouteQuote          = "/v7/finance/quote"
	RouteChart          = "/v8/finance/chart/"
	RouteConsent        = "/consent"
	RouteCollectConsent = "/v2/collectConsent"
)

// MaxSymbols is the most symbols one quote call may ask for before the fake,
// like Yahoo since March 2025, answers 429.
const MaxSymbols = 50

const (
	cookieName        = "A3"
	invalidCrumbBody  = `{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}`
	invalidCookieBody = `{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Cookie"}}}`
	noChartBody       = `{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}`
)

// Step is one scripted answer, given instead of the normal one.
type Step struct {
	Status      int    // 0 means 200
	Body        string // sent as-is
	ContentType string // "" means application/json
	RetryAfter  string // Retry-After header, when not empty
	Hang        bool   // never answer; the client has to give up
	Normal      bool   // answer as usual; lets a script fail a later request
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	URL string // base URL; pass it as the feed's BaseURL

	srv  *httptest.Server
	stop chan struct{}

	mu         sync.Mutex
	generation int // bumped by Invalidate; cookies and crumbs of older generations are refused
	consent    bool
	synthesize bool
	quotes     map[string]json.RawMessage
	missing    map[string]bool
	charts     map[string][]byte
	steps      map[string][]Step
	counts     map[string]int
	queries    map[string][]url.Values
	sparkLimit int
	intraday   []byte           // the chart spark serves for intraday intervals
	state      string           // marketState of synthesized quotes; "" means REGULAR
	clock      func() time.Time // when set, every request is logged with its time
	hits       []Hit
	stream     streamState
	today      func() time.Time // when set, the intraday day is served as of its UTC date (MoveSessionsToToday)
}

// Hit is one request the fake received, at the time of its clock.
type Hit struct {
	Route string
	At    time.Time
}

// New starts a fake serving the REGULAR quote file for AAPL and MSFT,
// synthesized quotes for every other symbol, and the 6-month daily AAPL chart
// for any chart request. It is closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		stop:       make(chan struct{}),
		generation: 1,
		synthesize: true,
		missing:    map[string]bool{},
		charts:     map[string][]byte{"*": Fixture(tb, Chart6mo)},
		intraday:   Fixture(tb, Chart1m),
		steps:      map[string][]Step{},
		counts:     map[string]int{},
		queries:    map[string][]url.Values{},
	}
	s.UseQuotes(tb, QuotesRegular)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server, releasing any hanging request first.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.stop:
		s.mu.Unlock()
		return
	default:
		close(s.stop)
	}
	s.mu.Unlock()
	s.srv.Close()
}

// Script queues answers for the next requests to route, one per request,
// ahead of the normal behaviour.
func (s *Server) Script(route string, steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps[route] = append(s.steps[route], steps...)
}

// FailNext makes the next n requests to route answer status with a short
// JSON error body.
func (s *Server) FailNext(route string, n, status int) {
	body := fmt.Sprintf(`{"finance":{"result":null,"error":{"code":%q,"description":"scripted failure"}}}`, http.StatusText(status))
	for range n {
		s.Script(route, Step{Status: status, Body: body})
	}
}

// Count is how many requests reached route.
func (s *Server) Count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[route]
}

// Queries are the query parameters of every request to route, in order.
func (s *Server) Queries(route string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.queries[route]...)
}

// LogHits makes the fake note every request with the time of clock (the
// test's simulated one); Hits returns them.
func (s *Server) LogHits(clock func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = clock
}

// Hits are the requests logged since LogHits, in order.
func (s *Server) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits...)
}

// SetMarketState sets the marketState of every quote served, recorded or
// synthesized (REGULAR, CLOSED, PRE, POST...); "" restores the recorded ones.
func (s *Server) SetMarketState(state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = state
}

// Cookie and Crumb are the session values currently handed out, so a test
// can check they never leak into an error message.
func (s *Server) Cookie() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cookieValue()
}

func (s *Server) Crumb() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.crumbValue()
}

// Invalidate makes every session handed out so far invalid, as Yahoo does
// when a crumb expires: the next quote call is answered 401 Invalid Crumb.
func (s *Server) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.generation++
}

// RequireConsent makes "/" redirect to an EU-style consent form that has to
// be posted before the cookie is set.
func (s *Server) RequireConsent(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.consent = on
}

func (s *Server) cookieValue() string {
	return fmt.Sprintf("d=AQABBFakeCookie%04d&S=AQAAAsecret", s.generation)
}

func (s *Server) crumbValue() string { return fmt.Sprintf("fAkeCrumb%04dX", s.generation) }

// route names the route a path belongs to.
func route(path string) string {
	if strings.HasPrefix(path, RouteChart) {
		return RouteChart
	}
	return path
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == RouteStream && isUpgrade(r) {
		s.serveStream(w, r) // the streamer; neither counted nor scripted as the cookie route
		return
	}
	rt := route(r.URL.Path)
	s.mu.Lock()
	s.counts[rt]++
	s.queries[rt] = append(s.queries[rt], r.URL.Query())
	if s.clock != nil {
		s.hits = append(s.hits, Hit{rt, s.clock()})
	}
	var step *Step
	if queued := s.steps[rt]; len(queued) > 0 {
		step = &queued[0]
		s.steps[rt] = queued[1:]
	}
	s.mu.Unlock()

	if step != nil && !step.Normal {
		s.answer(w, r, *step)
		return
	}
	switch rt {
	case RouteCookie:
		s.serveCookie(w, r)
	case RouteConsent:
		s.serveConsentForm(w, r)
	case RouteCollectConsent:
		s.serveCollectConsent(w, r)
	case RouteCrumb:
		s.serveCrumb(w, r)
	case RouteQuote:
		s.serveQuotes(w, r)
	case RouteChart:
		s.serveChart(w, r)
	case RouteSpark:
		s.serveSpark(w, r, false)
	case RouteSparkV8:
		s.serveSpark(w, r, true)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, st Step) {
	if st.Hang {
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
		return
	}
	ct := st.ContentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	if st.RetryAfter != "" {
		w.Header().Set("Retry-After", st.RetryAfter)
	}
	status := st.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	fmt.Fprint(w, st.Body)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// hasSession reports whether the request carries the current cookie and,
// when needCrumb, the current crumb.
func (s *Server) hasSession(r *http.Request, needCrumb bool) bool {
	s.mu.Lock()
	cookie, crumb := s.cookieValue(), s.crumbValue()
	s.mu.Unlock()
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value != cookie {
		return false
	}
	return !needCrumb || r.URL.Query().Get("crumb") == crumb
}

// serveCookie acts like fc.yahoo.com: a 404 page that sets the cookie.
func (s *Server) serveCookie(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	consent, cookie := s.consent, s.cookieValue()
	s.mu.Unlock()
	if consent && !s.hasSession(r, false) {
		http.Redirect(w, r, RouteConsent+"?sessionId=fake-session", http.StatusFound)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: cookie, Path: "/", HttpOnly: true})
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "<html><body>Not found</body></html>")
}

func (s *Server) serveConsentForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, `<!DOCTYPE html><html><body>
<form method="post" class="consent-form" action="%s?sessionId=fake-session">
<input type="hidden" name="csrfToken" value="fake-csrf&amp;token">
<input type="hidden" name="sessionId" value="fake-session">
<button type="submit" name="agree" value="agree">Accept all</button>
</form></body></html>`, RouteCollectConsent)
}

func (s *Server) serveCollectConsent(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil ||
		r.PostForm.Get("agree") != "agree" || r.PostForm.Get("csrfToken") != "fake-csrf&token" ||
		r.PostForm.Get("sessionId") != "fake-session" {
		http.Error(w, "consent form incomplete", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	cookie := s.cookieValue()
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: cookie, Path: "/", HttpOnly: true})
	http.Redirect(w, r, RouteCookie, http.StatusFound)
}

// serveCrumb hands the crumb to a browser holding the cookie. Like Yahoo, it
// answers other user agents "Too Many Requests".
func (s *Server) serveCrumb(w http.ResponseWriter, r *http.Request) {
	if !strings.Contains(r.UserAgent(), "Mozilla/") {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, "Too Many Requests")
		return
	}
	if !s.hasSession(r, false) {
		writeJSON(w, http.StatusUnauthorized, invalidCookieBody)
		return
	}
	s.mu.Lock()
	crumb := s.crumbValue()
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain;charset=utf-8")
	fmt.Fprint(w, crumb)
}

func (s *Server) serveChart(w http.ResponseWriter, r *http.Request) {
	symbol := strings.TrimPrefix(r.URL.Path, RouteChart)
	s.mu.Lock()
	body, ok := s.charts[symbol]
	if !ok {
		body, ok = s.charts["*"]
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, noChartBody)
		return
	}
	writeJSON(w, http.StatusOK, string(body))
}

// SetChart serves body for chart requests of symbol; "*" is any symbol
// without its own chart. A nil body removes the entry.
func (s *Server) SetChart(symbol string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if body == nil {
		delete(s.charts, symbol)
		return
	}
	s.charts[symbol] = body
}
