// Package yahoo is the live feed: quotes and charts from Yahoo Finance
// through github.com/piquette/finance-go, with a Backend of our own that
// does what finance-go v1.1.0 no longer does — the /v7 quote path with a
// cookie and crumb session, HTTP statuses kept as typed feeds.Errors — and
// with pacing after failures, so a refused or rate-limited Yahoo is asked
// less, not more.
package yahoo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	finance "github.com/piquette/finance-go"
	"github.com/piquette/finance-go/chart"
	"github.com/piquette/finance-go/datetime"
	"github.com/piquette/finance-go/quote"
	"github.com/rotation-dev/rotation/feeds"
)

// EnvURL names the environment variable that moves every Yahoo endpoint to
// one base URL (cookie at BASE/, crumb at BASE/v1/test/getcrumb, quotes at
// BASE/v7/finance/quote, charts at BASE/v8/finance/chart/SYM). main reads
// it into Options.BaseURL.
const EnvURL = "ROTATION_YAHOO_URL"

// Name is the feed's name.
const Name = "yahoo"

// RequestsPerMinute is what the feed asks of Yahoo in any minute, every
// path together (quotes, spark, charts, handshakes): Yahoo has rate-limited
// clients that sent much more since 2024. The poller plans within it.
const RequestsPerMinute = 30

// MaxSymbolsPerCall is the most symbols in one quote request; above about
// 50, Yahoo answers 429 since March 2025.
const MaxSymbolsPerCall = 50

const (
	defaultStaleAfter = 45 * time.Second
	defaultTimeout    = 20 * time.Second
)

// Options configures a Feed. The zero value talks to the real Yahoo.
type Options struct {
	BaseURL    string         // "" means Yahoo's real hosts; else every endpoint under it
	HTTPClient *http.Client   // nil means a client with a 20 s timeout
	CacheDir   string         // where session.json is kept; "" means no session cache
	Clock      feeds.Clock    // nil means time.Now
	Rand       func() float64 // backoff jitter in [0,1); nil means math/rand; Stream calls it from its own goroutine too
	StaleAfter time.Duration  // data older than this, with a failing refresh, is stale; 0 means 45 s
	// FailoverURL is a second base URL, asked when BaseURL is unreachable,
	// rate-limits or fails: what query2 is to query1 (tests of the failover).
	FailoverURL string
	// PerMinute is the request budget; 0 means RequestsPerMinute.
	PerMinute int
	// StreamAfter is what Stream waits on before reconnecting and between
	// resubscriptions; nil means real timers. Tests pass feedstest.Clock.After.
	StreamAfter func(d time.Duration) (<-chan time.Time, func())
}

// Feed is the Yahoo Finance feed. Like every feeds.Feed it is used by one
// goroutine at a time; Health may also be read from another.
type Feed struct {
	clock     feeds.Clock
	be        *backend
	track     *tracker
	sent      *atomic.Int64 // every HTTP request, counted by the transport
	perMinute int
	ws        streamConfig
}

var (
	_ feeds.Feed          = (*Feed)(nil)
	_ feeds.SeriesBatcher = (*Feed)(nil)
	_ feeds.Limited       = (*Feed)(nil)
)

// New makes a Feed. It does no I/O: the session handshake happens on the
// first quote call, unless the cache file holds a fresh session.
func New(opts Options) *Feed {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = defaultStaleAfter
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: defaultTimeout}
	}
	if opts.PerMinute <= 0 {
		opts.PerMinute = RequestsPerMinute
	}
	ws := newStreamConfig(opts) // before the counting transport: the streamer's upgrades are no quote requests
	sent := new(atomic.Int64)
	client := *opts.HTTPClient // a copy: the caller's client is not changed
	client.Transport = countingTransport{inner: client.Transport, n: sent}
	opts.HTTPClient = &client
	ends := newEndpoints(opts.BaseURL, opts.FailoverURL)
	return &Feed{
		sent: sent, perMinute: opts.PerMinute,
		clock: opts.Clock,
		ws:    ws,
		be: &backend{
			http:     opts.HTTPClient,
			ends:     ends,
			clock:    opts.Clock,
			sessions: &sessions{http: opts.HTTPClient, ends: ends, clock: opts.Clock, dir: opts.CacheDir},
		},
		track: &tracker{clock: opts.Clock, rand: opts.Rand, staleAfter: opts.StaleAfter},
	}
}

// Name implements feeds.Feed.
func (f *Feed) Name() string { return Name }

// Limits implements feeds.Limited: the request budget, and the batch sizes
// Yahoo takes. While quotes come from charts, a quote refresh takes spark
// batches of SparkBatch.
func (f *Feed) Limits() feeds.Limits {
	quoteBatch := MaxSymbolsPerCall
	if on, _ := f.track.limited(); on {
		quoteBatch = SparkBatch
	}
	return feeds.Limits{PerMinute: f.perMinute, QuoteBatch: quoteBatch, SeriesBatch: SparkBatch}
}

// Requests implements feeds.Limited.
func (f *Feed) Requests() int { return int(f.sent.Load()) }

// countingTransport counts every request that leaves, redirects and
// handshakes included: what Yahoo sees.
type countingTransport struct {
	inner http.RoundTripper
	n     *atomic.Int64
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if c.inner == nil {
		return http.DefaultTransport.RoundTrip(r)
	}
	return c.inner.RoundTrip(r)
}

// Health implements feeds.Feed.
func (f *Feed) Health() feeds.Health { return f.track.health() }

// Quotes implements feeds.Feed. Symbols are de-duplicated and asked for in
// batches of at most MaxSymbolsPerCall, one request at a time. A symbol
// Yahoo does not return is absent. After a failure that pauses the feed the
// remaining batches are not asked for; after any other failure they are.
//
// While the session handshake or the quote path itself is refused (401
// Invalid Crumb, 429 on the crumb, "Too Many Requests" as a crumb), prices
// come from spark instead (limited mode, see quotesFromCharts) and the full
// path is tried again with a doubling pause.
func (f *Feed) Quotes(ctx context.Context, symbols []string) ([]feeds.Quote, error) {
	if on, retryDue := f.track.limited(); on && !retryDue {
		return f.quotesFromCharts(ctx, symbols)
	}
	out, ferr := f.fullQuotes(ctx, symbols)
	if ferr != nil && len(out) == 0 && ctx.Err() == nil && f.sessionRefused(ferr) {
		f.track.enterLimited(ferr)
		return f.quotesFromCharts(ctx, symbols)
	}
	if ferr != nil {
		return out, ferr
	}
	f.track.leaveLimited()
	return out, nil
}

// sessionRefused tells a failure that limited mode can work around: Yahoo
// refusing the session or the crumb, not Yahoo being down or rate-limiting
// the quote path.
func (f *Feed) sessionRefused(err *feeds.Error) bool {
	return err.Kind == feeds.KindAuth || f.be.sessions.handshakeFailed
}

func (f *Feed) fullQuotes(ctx context.Context, symbols []string) ([]feeds.Quote, *feeds.Error) {
	var out []feeds.Quote
	var firstErr *feeds.Error
	for _, batch := range batches(symbols, MaxSymbolsPerCall) {
		got, ferr := f.quoteBatch(ctx, batch)
		out = append(out, got...)
		if ferr == nil {
			continue
		}
		if firstErr == nil {
			firstErr = ferr
		}
		if !ferr.Until.IsZero() || ctx.Err() != nil || f.sessionRefused(ferr) {
			break
		}
	}
	return out, firstErr
}

func (f *Feed) quoteBatch(ctx context.Context, symbols []string) ([]feeds.Quote, *feeds.Error) {
	op := fmt.Sprintf("Yahoo quotes for %d symbols (%s…)", len(symbols), symbols[0])
	if len(symbols) == 1 {
		op = "Yahoo quote for " + symbols[0]
	}
	if ferr := f.track.gate(op); ferr != nil {
		return nil, ferr
	}
	f.be.begin(op)
	it := quote.Client{B: f.be}.ListP(&quote.Params{Params: finance.Params{Context: &ctx}, Symbols: symbols})
	if err := it.Err(); err != nil {
		ferr := f.be.failure(err)
		if f.sessionRefused(ferr) {
			return nil, ferr // limited mode takes over; the feed is not paused
		}
		return nil, f.fail(ctx, ferr)
	}
	details, ferr := quoteDetails(op, f.be.body)
	if ferr != nil {
		return nil, f.fail(ctx, ferr)
	}
	// Yahoo answers in upper case; quotes carry the symbol as asked.
	asked := make(map[string]string, len(symbols))
	for _, s := range symbols {
		asked[strings.ToUpper(s)] = s
	}
	var out []feeds.Quote
	delay := 0
	for it.Next() {
		q := it.Quote()
		sym, ok := asked[strings.ToUpper(q.Symbol)]
		// Yahoo may echo an unknown symbol with no price: that is absent.
		if !ok || q.RegularMarketPrice <= 0 {
			continue
		}
		mapped := mapQuote(q, details[q.Symbol])
		mapped.Symbol = sym
		out = append(out, mapped)
		delay = max(delay, q.QuoteDelay)
	}
	f.track.succeeded(delay)
	return out, nil
}

// Series implements feeds.Feed: 5-minute bars for 1D, 30-minute for 5D,
// daily closes for longer ranges, from r.Start(now) to now.
func (f *Feed) Series(ctx context.Context, symbol string, r feeds.Range) (feeds.Series, error) {
	op := fmt.Sprintf("Yahoo %s chart of %s", r, symbol)
	if symbol == "" {
		return feeds.Series{}, &feeds.Error{Kind: feeds.KindUpstream, Op: op, Err: errors.New("no symbol given")}
	}
	if ferr := f.track.gate(op); ferr != nil {
		return feeds.Series{}, ferr
	}
	now := f.clock()
	start := r.Start(now)
	params := &chart.Params{
		Params:   finance.Params{Context: &ctx},
		Symbol:   symbol,
		Start:    datetime.New(&start),
		End:      datetime.New(&now),
		Interval: chartInterval(r),
	}
	f.be.begin(op)
	clientErr := runChart(params, f.be)
	if ferr := f.be.err; ferr != nil {
		// A 404 or a bad body concerns this symbol's chart; the feed's
		// health and pacing only follow failures of Yahoo itself.
		if ferr.Kind == feeds.KindUpstream && ferr.Status < 500 {
			return feeds.Series{}, ferr
		}
		return feeds.Series{}, f.fail(ctx, ferr)
	}
	if f.be.body == nil { // finance-go refused the parameters before any request
		return feeds.Series{}, f.be.failure(clientErr)
	}
	s, ferr := parseChart(op, f.be.body, symbol, r)
	if ferr != nil {
		return feeds.Series{}, ferr // about this symbol's chart, not about Yahoo
	}
	f.track.succeeded(-1)
	return s, nil
}

// runChart lets finance-go's chart client make the request. Its iterator
// indexes result[0] unchecked and panics on an empty result; the bars are
// decoded from the body by parseChart anyway, so a panic is only turned
// into an error here.
func runChart(params *chart.Params, be *backend) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("finance-go's chart client failed: %v", p)
		}
	}()
	return chart.Client{B: be}.Get(params).Err()
}

// fail records err for pacing and Health, unless the caller cancelled the
// call, which says nothing about Yahoo.
func (f *Feed) fail(ctx context.Context, err *feeds.Error) *feeds.Error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return err
	}
	f.track.failed(err)
	return err
}

// batches de-duplicates symbols, keeping the first of each, and splits
// them into groups of at most size.
func batches(symbols []string, size int) [][]string {
	seen := make(map[string]bool, len(symbols))
	var uniq []string
	for _, s := range symbols {
		if s != "" && !seen[s] {
			seen[s] = true
			uniq = append(uniq, s)
		}
	}
	var out [][]string
	for len(uniq) > 0 {
		n := min(size, len(uniq))
		out = append(out, uniq[:n:n])
		uniq = uniq[n:]
	}
	return out
}
