package yahoo_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// streamBudgetMinutes is simulated: past the fill and a half-hourly refill.
const streamBudgetMinutes = 36

// TestRequestBudgetWhileStreaming is the figure in docs/performance.md:
// the default lists, US market open, every symbol trading on the stream
// about every 30 s. Once filled, HTTP requests carry only what trades
// lack: every quote each 5 minutes, the series each 30. At most 3 a
// minute on average, against about 10 when polling. With ROTATION_LONG=1.
func TestRequestBudgetWhileStreaming(t *testing.T) {
	feedstest.Long(t) // CI runs it by name
	symbols := defaultSymbols()
	fake := yahootest.New(t)
	fake.SetMarketState("REGULAR")
	clock := feedstest.NewClock(budgetOpen)
	fake.LogHits(clock.Now)
	fake.MoveSessionsToToday(clock.Now)
	// The streamer's timers run on the wall clock: the simulated one moves
	// from one poller timer to the next, so only the poller's may be on it.
	yf := yahoo.New(yahoo.Options{BaseURL: fake.URL, HTTPClient: yahootest.Client(), Clock: clock.Now,
		Rand: func() float64 { return 0.5 }})
	poller := feeds.NewPoller(yf, feeds.PollerOptions{Clock: clock.Now, After: clock.After, Refresh: budgetRefresh,
		ClosedRefresh: budgetClosedRefresh, IntradayEvery: budgetIntradayEvery, DailyEvery: budgetDailyEvery, Stream: true}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); poller.Run(ctx) }()
	var ticks, streamed atomic.Uint64 // trades applied; updates while the badge said STREAM
	seen := make(chan struct{})
	go func() {
		defer close(seen)
		for u := range poller.Updates() {
			ticks.Store(u.Ticks)
			if u.Health.Stream == feeds.StreamLive {
				streamed.Add(1)
			}
		}
	}()
	poller.SetWatch(feeds.Watch{Generation: 1, Symbols: symbols, Range: feeds.Range1D})

	// Every symbol trades every 30 simulated seconds, the poller applying
	// each round before the clock moves on.
	nextRound, pushed := budgetOpen.Add(30*time.Second), uint64(0)
	clock.RunUntil(t, budgetOpen.Add(streamBudgetMinutes*time.Minute), func() {
		if clock.Now().Before(nextRound) || fake.StreamOpen() == 0 {
			return
		}
		nextRound = nextRound.Add(30 * time.Second)
		for i, sym := range symbols {
			price := float32(yahootest.SyntheticPrice(sym) * (1 + 0.0001*float64(i%3)))
			fake.Push(yahootest.PricingFrame(sym, price, clock.Now(), 1, 0))
		}
		pushed += uint64(len(symbols))
		for deadline := time.Now().Add(10 * time.Second); ticks.Load() < pushed-uint64(len(symbols))/2; {
			if time.Now().After(deadline) {
				t.Fatalf("the poller applied %d of %d trades", ticks.Load(), pushed)
			}
			time.Sleep(time.Millisecond)
		}
	})
	cancel()
	<-done
	<-seen
	if streamed.Load() == 0 {
		t.Fatal("the stream never counted as live")
	}
	run := budgetRun{symbols: len(symbols), hits: fake.Hits(), start: budgetOpen}
	// From minute 5: the fill, the years included, is over.
	total, most := 0, 0
	for m := 5; m < streamBudgetMinutes; m++ {
		n := run.inMinute(m)["all"]
		total += n
		most = max(most, n)
	}
	mean := float64(total) / float64(streamBudgetMinutes-5)
	worst, worstAt := run.worstWindow()
	t.Logf("streaming, %d symbols, minutes 5-%d: %.1f requests a minute on average, %d at most (%d quote, %d spark in all); first minute %d; worst 60 s window %d (from +%s); %d trades applied",
		len(symbols), streamBudgetMinutes-1, mean, most, countRoute(run.hits, yahootest.RouteQuote), countRoute(run.hits, yahootest.RouteSpark),
		run.inMinute(0)["all"], worst, worstAt, ticks.Load())
	if mean > 3 {
		t.Errorf("%.1f requests a minute on average while streaming, want at most 3", mean)
	}
	if worst > budgetPerMinute {
		t.Errorf("%d requests in the 60 s from +%s, want at most %d", worst, worstAt, budgetPerMinute)
	}
}
