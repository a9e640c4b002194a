package yahoo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
	"github.com/rotation-dev/rotation/watchlists"
)

// budgetStart is a Tuesday, 10:00 in New York: US markets open.
var budgetStart = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)

// The poller as main runs it on Yahoo (wiring.go startPoller, flags.go):
// quotes every 15 s, at most yahoo.SeriesPerRefresh series a refresh, intraday series kept
// 5 minutes and daily ones 30.
const (
	budgetRefresh        = 15 * time.Second
	budgetSeriesPerCycle = yahoo.SeriesPerRefresh
	budgetIntradayEvery  = 5 * time.Minute
	budgetDailyEvery     = 30 * time.Minute
	budgetMinutes        = 60
	budgetPerMinute      = 30 // what the feed may ask of Yahoo in a minute, all paths together
)

// seriesLog is a feed that notes when each series was asked for.
type seriesLog struct {
	feeds.Feed
	clock func() time.Time

	mu    sync.Mutex
	times map[feeds.SeriesKey][]time.Time
}

func (l *seriesLog) Series(ctx context.Context, symbol string, r feeds.Range) (feeds.Series, error) {
	k := feeds.SeriesKey{Symbol: symbol, Range: r}
	l.mu.Lock()
	l.times[k] = append(l.times[k], l.clock())
	l.mu.Unlock()
	return l.Feed.Series(ctx, symbol, r)
}

// minuteCounts is the requests of one simulated minute, by route.
type minuteCounts struct{ session, quotes, charts int }

func (c minuteCounts) total() int { return c.session + c.quotes + c.charts }

// TestRequestBudgetDuringMarketHours polls the default watchlists' symbols
// for an hour of US trading, one refresh every 15 simulated seconds, and
// counts what reaches the fake Yahoo each minute. The poller's own timer is
// an hour away and RefreshNow drives it, so the choice between the open and
// closed intervals is not exercised here; every quote is REGULAR, for which
// main's interval is the 15 s stepped.
func TestRequestBudgetDuringMarketHours(t *testing.T) {
	symbols := baskets.Symbols(watchlists.Defaults(), "SPY")
	n := len(symbols)
	fake := yahootest.New(t) // synthesizes a REGULAR quote for every symbol and serves a chart for any
	clock := feedstest.NewClock(budgetStart)
	yf := yahoo.New(yahoo.Options{BaseURL: fake.URL, HTTPClient: yahootest.Client(), Clock: clock.Now, Rand: func() float64 { return 0.5 }})
	fetches := &seriesLog{Feed: yf, clock: clock.Now, times: map[feeds.SeriesKey][]time.Time{}}
	poller := feeds.NewPoller(fetches, feeds.PollerOptions{Clock: clock.Now, Refresh: time.Hour, ClosedRefresh: time.Hour,
		IntradayEvery: budgetIntradayEvery, DailyEvery: budgetDailyEvery, SeriesPerCycle: budgetSeriesPerCycle}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); poller.Run(ctx) }()
	defer func() {
		cancel()
		for range poller.Updates() {
		}
		<-done
	}()

	batches := (n + yahoo.MaxSymbolsPerCall - 1) / yahoo.MaxSymbolsPerCall
	counted := func() minuteCounts {
		return minuteCounts{session: fake.Count(yahootest.RouteCookie) + fake.Count(yahootest.RouteCrumb),
			quotes: fake.Count(yahootest.RouteQuote), charts: fake.Count(yahootest.RouteChart)}
	}
	perMinute := make([]minuteCounts, budgetMinutes)
	filledAt := time.Duration(-1)
	for i := 0; i < budgetMinutes*int(time.Minute/budgetRefresh); i++ {
		before := counted()
		if i == 0 { // a new watch starts a refresh of its own
			poller.SetWatch(feeds.Watch{Generation: 1, Symbols: symbols, Range: feeds.Range1D, DailyRange: feeds.Range3M})
		} else {
			clock.Advance(budgetRefresh)
			poller.RefreshNow()
		}
		u := nextUpdate(t, poller)
		after := counted()
		elapsed := clock.Now().Sub(budgetStart)
		bucket := &perMinute[elapsed/time.Minute]
		bucket.session += after.session - before.session
		bucket.quotes += after.quotes - before.quotes
		bucket.charts += after.charts - before.charts

		if u.Err != nil || len(u.Quotes) != n {
			t.Fatalf("refresh at +%s: %d of %d quotes, error %v", elapsed, len(u.Quotes), n, u.Err)
		}
		for sym, q := range u.Quotes {
			if q.MarketState != feeds.Regular {
				t.Fatalf("%s is %q; the budget assumes every market open (REGULAR)", sym, q.MarketState)
			}
		}
		if q := after.quotes - before.quotes; q != batches {
			t.Errorf("refresh at +%s asked for quotes %d times, want %d (%d symbols, %d a call)", elapsed, q, batches, n, yahoo.MaxSymbolsPerCall)
		}
		if filledAt < 0 && len(u.Series) == 2*n {
			filledAt = elapsed
		}
	}

	if filledAt < 0 {
		t.Fatalf("after %d minutes the poller still lacks some of the %d series", budgetMinutes, 2*n)
	}
	checkSeriesSpacing(t, fetches.times)
	if charts, calls := fake.Count(yahootest.RouteChart), seriesCalls(fetches.times); charts != calls {
		t.Errorf("%d chart requests for %d series fetches: each fetch should be one request", charts, calls)
	}

	// Steady state: every whole minute after the one the fill ended in.
	steadyFrom := int(filledAt/time.Minute) + 1
	var steady minuteCounts
	worst := 0
	for m, c := range perMinute {
		t.Logf("minute %2d: %2d quote, %2d chart, %d session requests", m, c.quotes, c.charts, c.session)
		if m < steadyFrom {
			continue
		}
		steady.session += c.session
		steady.quotes += c.quotes
		steady.charts += c.charts
		worst = max(worst, c.total())
		if maxQuotes := batches * int(time.Minute/budgetRefresh); c.quotes > maxQuotes {
			t.Errorf("minute %d: %d quote requests, want at most %d", m, c.quotes, maxQuotes)
		}
		if c.total() > budgetPerMinute {
			t.Errorf("minute %d: %d requests (%d quote, %d chart, %d session), want at most %d; at most %d quote batches and %d series a refresh allow %d",
				m, c.total(), c.quotes, c.charts, c.session, budgetPerMinute, batches, budgetSeriesPerCycle, (batches+budgetSeriesPerCycle)*int(time.Minute/budgetRefresh))
		}
	}
	minutes := float64(budgetMinutes - steadyFrom)
	t.Logf("%d symbols: every series fetched once after %s (%d refreshes); the first minute took %d requests",
		n, filledAt, int(filledAt/budgetRefresh)+1, perMinute[0].total())
	t.Logf("steady state over minutes %d-%d: %.1f quote + %.1f chart + %.1f session = %.1f requests a minute on average, %d at most",
		steadyFrom, budgetMinutes-1, float64(steady.quotes)/minutes, float64(steady.charts)/minutes, float64(steady.session)/minutes,
		float64(steady.total())/minutes, worst)
	t.Logf("an app asking one quote per symbol every second would make %d requests a minute: %.0fx as many", n*60, float64(n*60)/(float64(steady.total())/minutes))
}

// checkSeriesSpacing fails when a series was fetched again sooner than its
// range allows: intraday every 5 minutes, daily every 30.
func checkSeriesSpacing(t *testing.T, times map[feeds.SeriesKey][]time.Time) {
	t.Helper()
	for k, ts := range times {
		every := budgetDailyEvery
		if k.Range.Intraday() {
			every = budgetIntradayEvery
		}
		for i := 1; i < len(ts); i++ {
			if gap := ts[i].Sub(ts[i-1]); gap < every {
				t.Errorf("%s %s fetched again after %s, want at least %s", k.Symbol, k.Range, gap, every)
			}
		}
	}
}

func seriesCalls(times map[feeds.SeriesKey][]time.Time) int {
	n := 0
	for _, ts := range times {
		n += len(ts)
	}
	return n
}

func nextUpdate(t *testing.T, p *feeds.Poller) feeds.Update {
	t.Helper()
	select {
	case u, ok := <-p.Updates():
		if !ok {
			t.Fatal("the poller stopped publishing")
		}
		if !u.Complete {
			return nextUpdate(t, p) // the prices-first update; the refresh goes on
		}
		return u
	case <-time.After(10 * time.Second):
		t.Fatal("no update within 10 s of a refresh")
	}
	return feeds.Update{}
}
