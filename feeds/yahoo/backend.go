package yahoo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	finance "github.com/piquette/finance-go"
	"github.com/piquette/finance-go/form"
	"github.com/rotation-dev/rotation/feeds"
)

const (
	// apiHost serves quotes, charts and the crumb; altHost is its twin,
	// asked when apiHost fails (see backend.get).
	apiHost   = "https://query1.finance.yahoo.com"
	altHost   = "https://query2.finance.yahoo.com"
	crumbPath = "/v1/test/getcrumb"
	quotePath = "/v7/finance/quote"
	// legacyQuotePath is what finance-go v1.1.0 asks for; it answers 404
	// since May 2023.
	legacyQuotePath = "/v6/finance/quote"
	// userAgent is a browser's: Yahoo refuses crumbs to library agents.
	userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	maxBody   = 8 << 20
)

// realCookieURLs set the session cookie, tried in order: fc.yahoo.com is a
// bare 404 that sets it; finance.yahoo.com may need the EU consent step.
var realCookieURLs = []string{"https://fc.yahoo.com", "https://finance.yahoo.com"}

// endpoints are where requests go; one base URL replaces all of them.
type endpoints struct {
	api        string   // the first of hosts: the crumb and the session file's name
	hosts      []string // API hosts, each a failover for the other
	cookieURLs []string
}

// newEndpoints is Yahoo's hosts, or every endpoint under base, or under each
// of several bases (tests of the failover).
func newEndpoints(bases ...string) endpoints {
	var hosts []string
	for _, b := range bases {
		if b = strings.TrimRight(b, "/"); b != "" {
			hosts = append(hosts, b)
		}
	}
	if len(hosts) == 0 {
		return endpoints{api: apiHost, hosts: []string{apiHost, altHost}, cookieURLs: realCookieURLs}
	}
	return endpoints{api: hosts[0], hosts: hosts, cookieURLs: []string{hosts[0] + "/"}}
}

// backend is the finance.Backend behind finance-go's quote and chart
// clients. finance-go flattens every failure into a string; the backend
// keeps the classified error and the raw body of the call it made, and the
// feed reads them after the client returns.
type backend struct {
	http     *http.Client
	ends     endpoints
	clock    feeds.Clock
	sessions *sessions

	active int // index in ends.hosts of the host asked first

	op   string       // what the feed is doing, for error messages
	body []byte       // body of the last successful call
	err  *feeds.Error // classified failure of the last call
}

var _ finance.Backend = (*backend)(nil)

// begin clears what the previous call left behind.
func (b *backend) begin(op string) {
	b.op, b.body, b.err = op, nil, nil
}

// failure is the classified error behind err, which finance-go returned.
func (b *backend) failure(err error) *feeds.Error {
	if b.err != nil {
		return b.err
	}
	return &feeds.Error{Kind: feeds.KindUpstream, Op: b.op, Err: fmt.Errorf("Yahoo reported an error: %w", err)}
}

// Call implements finance.Backend.
func (b *backend) Call(path string, values *form.Values, ctxp *context.Context, v any) error {
	ctx := context.Background()
	if ctxp != nil && *ctxp != nil {
		ctx = *ctxp
	}
	path = "/" + strings.TrimPrefix(path, "/")
	if path == legacyQuotePath {
		path = quotePath
	}
	query := url.Values{}
	if values != nil {
		parsed, err := url.ParseQuery(values.Encode())
		if err != nil {
			b.err = &feeds.Error{Kind: feeds.KindUpstream, Op: b.op, Err: fmt.Errorf("finance-go built an unreadable query: %w", err)}
			return b.err
		}
		query = parsed
	}
	// formatted=true turns every number into a {raw, fmt} object.
	query.Del("formatted")

	body, ferr := b.fetch(ctx, path, query)
	if ferr == nil && v != nil {
		ferr = decode(b.op, body, v)
	}
	if ferr != nil {
		b.err = ferr
		return ferr
	}
	b.body = body
	return nil
}

// fetch GETs path with the session. Quotes need one; charts and spark use
// one when there is one. A refused session is dropped; quotes then renew it
// and try once more, charts try once more without it, so a broken
// handshake costs quotes but never charts.
func (b *backend) fetch(ctx context.Context, path string, query url.Values) ([]byte, *feeds.Error) {
	required := path == quotePath
	for attempt := 0; ; attempt++ {
		s, ferr := b.sessions.get(ctx, b.op, required)
		if ferr != nil {
			return nil, ferr
		}
		body, ferr := b.get(ctx, path, query, s)
		if ferr == nil || ferr.Kind != feeds.KindAuth || attempt > 0 {
			return body, ferr
		}
		b.sessions.drop()
	}
}

// get asks the active host and, when it is unreachable, rate-limits or
// fails (5xx), its twin once; the twin that answers stays the active one.
func (b *backend) get(ctx context.Context, path string, query url.Values, s session) ([]byte, *feeds.Error) {
	body, ferr := b.getFrom(ctx, b.ends.hosts[b.active], path, query, s)
	if ferr == nil || len(b.ends.hosts) < 2 || !failsOver(ferr) || ctx.Err() != nil {
		return body, ferr
	}
	other := (b.active + 1) % len(b.ends.hosts)
	body2, ferr2 := b.getFrom(ctx, b.ends.hosts[other], path, query, s)
	if ferr2 == nil {
		b.active = other
		return body2, nil
	}
	return body, ferr
}

// failsOver: what one host's trouble explains, and its twin may not share.
func failsOver(err *feeds.Error) bool {
	return err.Kind == feeds.KindOffline || err.Kind == feeds.KindRateLimited || err.Status >= 500
}

func (b *backend) getFrom(ctx context.Context, host, path string, query url.Values, s session) ([]byte, *feeds.Error) {
	u, err := url.Parse(host)
	if err != nil {
		return nil, &feeds.Error{Kind: feeds.KindOffline, Op: b.op, Err: fmt.Errorf("Yahoo base URL %q is not a URL; fix %s: %w", host, EnvURL, err)}
	}
	u.Path = strings.TrimRight(u.Path, "/") + path
	q := maps.Clone(query)
	if q == nil {
		q = url.Values{}
	}
	if s.Crumb != "" {
		q.Set("crumb", s.Crumb)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &feeds.Error{Kind: feeds.KindUpstream, Op: b.op, Err: fmt.Errorf("cannot build request for %s: %w", path, err)}
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	if s.Cookie != "" {
		req.Header.Set("Cookie", s.Cookie)
	}
	body, status, ferr := doRequest(b.http, req, b.op, b.clock)
	if ferr == nil && isRefusedSession(body) {
		ferr = &feeds.Error{Kind: feeds.KindAuth, Status: status, Op: b.op, Err: errors.New("Yahoo refused the session cookie and crumb")}
	}
	return body, s.redact(ferr)
}

// doRequest sends req and classifies any failure. Network errors lose their
// URL, whose query holds the crumb.
func doRequest(c *http.Client, req *http.Request, op string, clock feeds.Clock) ([]byte, int, *feeds.Error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, networkError(op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		// Yahoo answered; what it sent broke off (a cut connection, a
		// truncated gzip stream): a bad response, not an unreachable Yahoo.
		return nil, resp.StatusCode, &feeds.Error{Kind: feeds.KindUpstream, Op: op,
			Err: fmt.Errorf("bad response: the body broke off (%v)", err)}
	}
	return body, resp.StatusCode, statusError(op, resp, body, clock())
}

func networkError(op string, err error) *feeds.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &feeds.Error{Kind: feeds.KindOffline, Op: op, Err: fmt.Errorf("cannot reach Yahoo: %w", err)}
}

// statusError classifies an HTTP error status; nil below 400.
func statusError(op string, resp *http.Response, body []byte, now time.Time) *feeds.Error {
	code := resp.StatusCode
	if code < 400 {
		return nil
	}
	e := &feeds.Error{Status: code, Op: op, Err: errors.New(describe(body, code))}
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		e.Kind = feeds.KindAuth
	case code == http.StatusTooManyRequests:
		e.Kind = feeds.KindRateLimited
		var asked time.Duration
		e.RetryAfter, asked = retryAfter(resp.Header.Get("Retry-After"), now)
		if asked > e.RetryAfter {
			e.Err = &askedWait{Asked: asked, err: e.Err}
		}
	default:
		e.Kind = feeds.KindUpstream
	}
	return e
}

// describe is Yahoo's own explanation in an error body, or the status text.
func describe(body []byte, code int) string {
	var e struct {
		Finance, Chart, QuoteResponse struct {
			Error *finance.YfinError `json:"error"`
		}
	}
	if json.Unmarshal(body, &e) == nil {
		for _, ye := range []*finance.YfinError{e.Finance.Error, e.Chart.Error, e.QuoteResponse.Error} {
			if ye != nil && ye.Description != "" {
				return "Yahoo says: " + ye.Description
			}
		}
	}
	text := strings.TrimSpace(string(body))
	if text != "" && len(text) <= 80 && !strings.ContainsAny(text, "<{\n") {
		return "Yahoo says: " + text
	}
	return "Yahoo says: " + http.StatusText(code)
}

func isRefusedSession(body []byte) bool {
	return bytes.Contains(body, []byte("Invalid Crumb")) || bytes.Contains(body, []byte("Invalid Cookie"))
}

// maxRetryAfter is the longest pause a Retry-After header can impose. A
// header may ask for days, which would keep the feed dark long after Yahoo
// recovered; asking again after the cap costs one request,
// answered with another 429 and pause if Yahoo still means it.
const maxRetryAfter = 15 * time.Minute

// maxWait is the longest time.Duration, what a longer request is read as.
const maxWait = time.Duration(math.MaxInt64)

// retryAfter reads a Retry-After header given in seconds or as an HTTP
// date: wait is the pause to honour, at most maxRetryAfter; asked is what
// the header asked for, saturating at maxWait rather than overflowing. A
// missing, unreadable, zero, negative or past value gives zero for both,
// and the tracker's backoff decides.
func retryAfter(h string, now time.Time) (wait, asked time.Duration) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, 0
	}
	if isDigits(h) { // RFC 9110: delay-seconds = 1*DIGIT, so no sign
		secs, err := strconv.ParseInt(h, 10, 64)
		switch {
		case err != nil || secs > int64(maxWait/time.Second): // ParseInt fails only on range here
			asked = maxWait
		default:
			asked = time.Duration(secs) * time.Second
		}
	} else if t, err := http.ParseTime(h); err == nil && t.After(now) {
		asked = t.Sub(now) // Sub saturates at maxWait for a date centuries away
	}
	return min(asked, maxRetryAfter), asked
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// askedWait is the Err of a 429 whose Retry-After asked for longer than
// maxRetryAfter: Yahoo's words, and what it asked, for Health to report.
// feeds.Error.RetryAfter holds the wait honoured.
type askedWait struct {
	Asked time.Duration
	err   error
}

func (a *askedWait) Error() string { return a.err.Error() }
func (a *askedWait) Unwrap() error { return a.err }

// readFields are the JSON fields the feed maps. A value of the wrong type in
// one of them makes the body malformed; elsewhere it only loses a field
// nobody reads, so the rest of the body is still used.
var readFields = map[string]bool{
	"symbol": true, "shortName": true, "longName": true, "marketState": true,
	"regularMarketPrice": true, "regularMarketPreviousClose": true,
	"regularMarketChange": true, "regularMarketChangePercent": true,
	"regularMarketTime": true, "regularMarketVolume": true, "currency": true,
	"fullExchangeName": true, "exchange": true, "exchangeTimezoneName": true,
	"exchangeDataDelayedBy": true,
	"preMarketPrice":        true, "preMarketChange": true, "preMarketChangePercent": true,
	"postMarketPrice": true, "postMarketChange": true, "postMarketChangePercent": true,
	"result": true, "timestamp": true, "close": true, "chartPreviousClose": true,
	"previousClose": true, "tradingPeriods": true, "currentTradingPeriod": true,
	"start": true, "end": true, "dataGranularity": true,
}

// decode unmarshals body into v, failing only on what the feed relies on.
func decode(op string, body []byte, v any) *feeds.Error {
	err := json.Unmarshal(body, v)
	var te *json.UnmarshalTypeError
	if err == nil {
		return nil
	}
	if errors.As(err, &te) {
		field := te.Field[strings.LastIndex(te.Field, ".")+1:]
		if !readFields[field] {
			return nil
		}
		// Value quotes a number whole, however long: cut it for Health.
		err = fmt.Errorf("field %s holds a JSON %s", te.Field, prefix([]byte(te.Value), 40))
	}
	return &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: fmt.Errorf("Yahoo sent a malformed body (%v); it starts %q", err, prefix(body, 24))}
}

func prefix(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}
