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

// SeriesPerRefresh is how many series one refresh may fetch, so that series
// are staggered rather than fetched all at once. With the default
// watchlists' ~80 symbols (two quote calls) and a refresh every 15 s this
// keeps the feed under 30 requests a minute: (2 + 5) * 4 = 28.
const SeriesPerRefresh = 5

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
	Rand       func() float64 // backoff jitter in [0,1); nil means math/rand
	StaleAfter time.Duration  // data older than this, with a failing refresh, is stale; 0 means 45 s
}

// Feed is the Yahoo Finance feed. Like every feeds.Feed it is used by one
// goroutine at a time; Health may also be read from another.
type Feed struct {
	clock feeds.Clock
	be    *backend
	track *tracker
}

var _ feeds.Feed = (*Feed)(nil)

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
	ends := newEndpoints(opts.BaseURL)
	return &Feed{
		clock: opts.Clock,
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

// Health implements feeds.Feed.
func (f *Feed) Health() feeds.Health { return f.track.health() }

// Quotes implements feeds.Feed. Symbols are de-duplicated and asked for in
// batches of at most MaxSymbolsPerCall, one request at a time. A symbol
// Yahoo does not return is absent. After a failure that pauses the feed the
// remaining batches are not asked for; after any other failure they are.
func (f *Feed) Quotes(ctx context.Context, symbols []string) ([]feeds.Quote, error) {
	var out []feeds.Quote
	var firstErr error
	for _, batch := range batches(symbols, MaxSymbolsPerCall) {
		got, ferr := f.quoteBatch(ctx, batch)
		out = append(out, got...)
		if ferr == nil {
			continue
		}
		if firstErr == nil {
			firstErr = ferr
		}
		if !ferr.Until.IsZero() || ctx.Err() != nil {
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
		return nil, f.fail(ctx, f.be.failure(err))
	}
	names, ferr := longNames(op, f.be.body)
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
		mapped := mapQuote(q, names[q.Symbol])
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
