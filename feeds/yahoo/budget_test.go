package yahoo_test

import (
	"context"
	"fmt"
	"sort"
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

// budgetOpen is a Tuesday, 10:00 in New York: US markets open.
// budgetClosed is the Saturday after: every market closed.
var (
	budgetOpen   = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)
	budgetClosed = time.Date(2026, 11, 14, 15, 0, 0, 0, time.UTC)
)

// The poller as main runs it on Yahoo (wiring.go startPoller, flags.go).
const (
	budgetRefresh       = 15 * time.Second
	budgetClosedRefresh = 60 * time.Second
	budgetIntradayEvery = 5 * time.Minute
	budgetDailyEvery    = 30 * time.Minute
	budgetPerMinute     = 30 // what the feed may ask of Yahoo in any minute, all paths together
)

// budgetRun is what a simulated run saw.
type budgetRun struct {
	symbols  int
	hits     []yahootest.Hit
	filledAt time.Duration // when every symbol's 1D and daily series were first all there; -1: never
	start    time.Time
	fetches  map[feeds.SeriesKey][]time.Time
}

// runBudget polls symbols against a fake Yahoo that answers for every one
// of them, on a simulated clock that jumps from one poller timer to the
// next, exactly as the real schedule would run, for the given minutes.
func runBudget(t *testing.T, symbols []string, start time.Time, state string, minutes int) budgetRun {
	t.Helper()
	fake := yahootest.New(t)
	fake.SetMarketState(state)
	clock := feedstest.NewClock(start)
	fake.LogHits(clock.Now)
	yf := yahoo.New(yahoo.Options{BaseURL: fake.URL, HTTPClient: yahootest.Client(), Clock: clock.Now, Rand: func() float64 { return 0.5 }})
	poller := feeds.NewPoller(yf, feeds.PollerOptions{Clock: clock.Now, After: clock.After, Refresh: budgetRefresh, ClosedRefresh: budgetClosedRefresh,
		IntradayEvery: budgetIntradayEvery, DailyEvery: budgetDailyEvery}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); poller.Run(ctx) }()

	run := budgetRun{symbols: len(symbols), filledAt: -1, start: start, fetches: map[feeds.SeriesKey][]time.Time{}}
	var mu sync.Mutex
	seen := make(chan struct{})
	go func() {
		defer close(seen)
		for u := range poller.Updates() {
			if u.Err != nil {
				t.Errorf("refresh at +%s failed: %v", u.At.Sub(start), u.Err)
			}
			mu.Lock()
			if run.filledAt < 0 && hasAll(u, symbols) {
				run.filledAt = u.At.Sub(start)
			}
			mu.Unlock()
		}
	}()
	poller.SetWatch(feeds.Watch{Generation: 1, Symbols: symbols, Range: feeds.Range1D})
	clock.RunUntil(t, start.Add(time.Duration(minutes)*time.Minute), nil)
	cancel()
	<-done
	<-seen
	run.hits = fake.Hits()
	return run
}

func hasAll(u feeds.Update, symbols []string) bool {
	for _, s := range symbols {
		_, a := u.Series[feeds.SeriesKey{Symbol: s, Range: feeds.Range1D}]
		_, b := u.Series[feeds.SeriesKey{Symbol: s, Range: feeds.RangeDaily}]
		if !a || !b {
			return false
		}
	}
	return len(symbols) > 0
}

// worstWindow is the most requests in any 60 seconds, and when it began.
func (r budgetRun) worstWindow() (int, time.Duration) {
	worst, at := 0, time.Duration(0)
	for i, h := range r.hits {
		n := 0
		for _, g := range r.hits[i:] {
			if g.At.Sub(h.At) < time.Minute {
				n++
			}
		}
		if n > worst {
			worst, at = n, h.At.Sub(r.start)
		}
	}
	return worst, at
}

// inMinute counts requests by route in the m-th minute after the start.
func (r budgetRun) inMinute(m int) map[string]int {
	out := map[string]int{}
	for _, h := range r.hits {
		if int(h.At.Sub(r.start)/time.Minute) == m {
			out[h.Route]++
			out["all"]++
		}
	}
	return out
}

func defaultSymbols() []string { return baskets.Symbols(watchlists.Defaults(), "SPY") }

func manySymbols(n int) []string {
	out := defaultSymbols()
	for i := len(out); i < n; i++ {
		out = append(out, fmt.Sprintf("X%03d", i))
	}
	return out[:n]
}

// TestRequestBudget is the figure in docs/performance.md: for the default
// watchlists and for 500 symbols, market open and closed, every symbol's
// intraday and daily series arrive within the first minute (the default
// lists) in at most 30 requests in any minute, then stay within 30 a minute
// for the rest of an hour.
func TestRequestBudget(t *testing.T) {
	cases := []struct {
		name    string
		symbols []string
		start   time.Time
		state   string
		fillBy  time.Duration // 0: only reported
		minutes int           // simulated: past the fill and a daily refill
		long    bool          // only with ROTATION_LONG=1
	}{
		{"default lists, market open", defaultSymbols(), budgetOpen, "REGULAR", time.Minute, 35, false},
		{"default lists, markets closed", defaultSymbols(), budgetClosed, "CLOSED", time.Minute, 5, false},
		{"500 symbols, market open", manySymbols(500), budgetOpen, "REGULAR", 0, 10, true},
		{"500 symbols, markets closed", manySymbols(500), budgetClosed, "CLOSED", 0, 10, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.long {
				feedstest.Long(t)
			}
			run := runBudget(t, c.symbols, c.start, c.state, c.minutes)
			first := run.inMinute(0)
			worst, worstAt := run.worstWindow()
			t.Logf("%d symbols: every 1D and daily series after %s; first minute %d requests (%d quote, %d spark, %d chart, %d session); worst 60 s window %d requests (from +%s); %d in %d minutes",
				run.symbols, run.filledAt.Round(time.Second), first["all"], first[yahootest.RouteQuote], first[yahootest.RouteSpark], first[yahootest.RouteChart],
				first[yahootest.RouteCookie]+first[yahootest.RouteCrumb], worst, worstAt, len(run.hits), c.minutes)
			if run.filledAt < 0 {
				t.Fatalf("after %d minutes some of the %d symbols' series are still missing", c.minutes, run.symbols)
			}
			if c.fillBy > 0 && run.filledAt >= c.fillBy {
				t.Errorf("series complete after %s, want within %s", run.filledAt, c.fillBy)
			}
			if worst > budgetPerMinute {
				t.Errorf("%d requests in the 60 s from +%s, want at most %d", worst, worstAt, budgetPerMinute)
			}
			if first[yahootest.RouteChart] != 0 {
				t.Errorf("%d per-symbol chart requests in the first minute; spark should serve every series", first[yahootest.RouteChart])
			}
			if c.state == "REGULAR" && !c.long {
				checkSteadyState(t, run, c.minutes)
			}
		})
	}
}

// checkSteadyState: after the fill, a refresh is the quote calls alone,
// with the 1D series again every 5 minutes and the daily ones every 30, in
// batches.
func checkSteadyState(t *testing.T, run budgetRun, minutes int) {
	t.Helper()
	quoteCalls := (run.symbols + yahoo.MaxSymbolsPerCall - 1) / yahoo.MaxSymbolsPerCall
	sparkCalls := (run.symbols + yahoo.SparkBatch - 1) / yahoo.SparkBatch
	var perMinute []int
	for m := 1; m < minutes; m++ {
		c := run.inMinute(m)
		perMinute = append(perMinute, c["all"])
		if q := c[yahootest.RouteQuote]; q != 4*quoteCalls {
			t.Errorf("minute %d: %d quote requests, want %d (4 refreshes of %d)", m, q, 4*quoteCalls, quoteCalls)
		}
	}
	sort.Ints(perMinute)
	total := 0
	for _, n := range perMinute {
		total += n
	}
	// The fill (1D, 5D, daily and the years, once), then the 1D and 5D
	// series every 5 minutes and the daily one every 30, of sparkCalls
	// requests each.
	want := sparkCalls * (4 + 2*((minutes-1)/5) + (minutes-1)/30)
	if got := countRoute(run.hits, yahootest.RouteSpark); got != want {
		t.Errorf("%d spark requests in %d minutes, want %d", got, minutes, want)
	}
	t.Logf("steady state, minutes 1-%d: %.1f requests a minute on average, %d at most, %d at least; an app asking one quote per symbol every second would make %d a minute",
		minutes-1, float64(total)/float64(len(perMinute)), perMinute[len(perMinute)-1], perMinute[0], run.symbols*60)
}

func countRoute(hits []yahootest.Hit, route string) int {
	n := 0
	for _, h := range hits {
		if h.Route == route {
			n++
		}
	}
	return n
}
