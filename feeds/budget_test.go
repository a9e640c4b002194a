package feeds

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

var budgetT0 = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)

func TestBudgetCountsASlidingMinute(t *testing.T) {
	b := requestBudget{perMinute: 10} // 8 usable: 2 kept for a handshake
	b.record(budgetT0, 6)
	if !b.fits(budgetT0, 2, nil) || b.fits(budgetT0, 3, nil) {
		t.Fatal("6 sent: 2 more must fit, 3 must not")
	}
	if w := b.wait(budgetT0.Add(10*time.Second), 3); w <= 50*time.Second || w > 51*time.Second {
		t.Errorf("wait for 3 = %v, want just over 50 s (when the six leave the window)", w)
	}
	if !b.fits(budgetT0.Add(time.Minute), 8, nil) {
		t.Error("a minute later the window is empty; 8 must fit")
	}
}

func TestBudgetLeavesRoomForPlannedRefreshes(t *testing.T) {
	b := requestBudget{perMinute: 30}
	b.record(budgetT0, 4) // a refresh of 2 quote calls and a handshake
	plan := []planned{{budgetT0.Add(15 * time.Second), 2}, {budgetT0.Add(30 * time.Second), 2}, {budgetT0.Add(45 * time.Second), 2}}
	n := 0
	for b.fits(budgetT0, 1, plan) {
		b.record(budgetT0, 1)
		n++
	}
	if n != 18 { // 28 usable - 4 sent - 6 planned
		t.Errorf("%d series requests fit, want 18", n)
	}
	if b.perMinute = 0; !b.fits(budgetT0, 1000, plan) || b.wait(budgetT0, 1000) != 0 {
		t.Error("an unlimited budget must always fit")
	}
}

func TestQuoteIntervalStretchesForLargeWatches(t *testing.T) {
	l := Limits{PerMinute: 30, QuoteBatch: 50}
	if got := quoteInterval(15*time.Second, quoteCalls(82, l), l); got != 15*time.Second {
		t.Errorf("82 symbols: %v, want the 15 s asked for", got)
	}
	if got := quoteInterval(15*time.Second, quoteCalls(500, l), l); got < 30*time.Second {
		t.Errorf("500 symbols (10 calls a refresh): %v, want at least 30 s so quotes take at most 2/3 of 30 a minute", got)
	}
	if got := quoteInterval(time.Second, 5, Limits{}); got != time.Second {
		t.Errorf("unlimited: %v, want 1s", got)
	}
}

// batchFeed is a limited source that serves series in batches and counts
// every request.
type batchFeed struct {
	fakeFeed
	limits   Limits
	noBatch  bool
	bmu      sync.Mutex
	requests int
	batches  [][]string
}

func (f *batchFeed) Limits() Limits { return f.limits }

func (f *batchFeed) Requests() int {
	f.bmu.Lock()
	defer f.bmu.Unlock()
	return f.requests + f.fakeFeedCalls()
}

func (f *batchFeed) fakeFeedCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.quoteN + len(f.seriesOf)
}

func (f *batchFeed) SeriesBatch(_ context.Context, syms []string, r Range) (map[string]Series, error) {
	f.bmu.Lock()
	defer f.bmu.Unlock()
	f.requests++
	f.batches = append(f.batches, append([]string{string(r)}, syms...))
	if f.noBatch {
		return nil, fmt.Errorf("spark answered 404: %w", ErrNoBatch)
	}
	out := map[string]Series{}
	for _, s := range syms {
		if f.known[s] {
			out[s] = Series{Symbol: s, Range: r, Times: []time.Time{time.Unix(0, 0)}, Closes: []float64{1}}
		}
	}
	return out, nil
}

type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestPollerBatchesSeriesAndDefersWhatTheBudgetCannotTake(t *testing.T) {
	syms := []string{"A", "B", "C", "D", "E", "NOPE"}
	known := map[string]bool{"A": true, "B": true, "C": true, "D": true, "E": true}
	f := &batchFeed{fakeFeed: fakeFeed{known: known, state: Regular}, limits: Limits{PerMinute: 6, QuoteBatch: 50, SeriesBatch: 2}}
	clock := &stepClock{t: budgetT0}
	p := startPoller(t, f, PollerOptions{Clock: clock.now}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: syms, Range: Range1D})
	u := next(t, p)
	// 4 usable: 1 quote call and 3 batches of 2; the other 3 batches wait.
	if got := fmt.Sprint(f.batches); got != "[[1D A B] [1D C D] [1D E NOPE]]" {
		t.Fatalf("first refresh asked for %s", got)
	}
	if u.Pending != 18 || len(u.Series) != 5 {
		t.Errorf("pending %d, series %d; want 18 (three batches each of daily, 5D and the years) and 5 (NOPE is unknown)", u.Pending, len(u.Series))
	}
	p.RefreshNow() // too early: nothing fits before the minute is over
	clock.advance(time.Minute)
	p.RefreshNow()
	u = next(t, p)
	if got := fmt.Sprint(f.batches[3:]); got != "[[daily A B] [daily C D] [daily E NOPE]]" {
		t.Errorf("second refresh asked for %s", got)
	}
	if u.Pending != 12 || len(u.Series) != 10 {
		t.Errorf("pending %d, series %d; want 12 and 10", u.Pending, len(u.Series))
	}
	clock.advance(time.Minute)
	p.RefreshNow()
	u = next(t, p)
	if got := fmt.Sprint(f.batches[6:]); got != "[[5D A B] [5D C D] [5D E NOPE]]" || u.Pending != 6 || len(u.Series) != 15 {
		t.Errorf("third refresh asked for %s; pending %d, series %d; want the 5D batches, 6 and 15", got, u.Pending, len(u.Series))
	}
	// The years come last, in the background.
	clock.advance(time.Minute)
	p.RefreshNow()
	u = next(t, p)
	if got := fmt.Sprint(f.batches[9:]); got != "[[10Y A B] [10Y C D] [10Y E NOPE]]" || u.Pending != 0 || len(u.Series) != 20 {
		t.Errorf("fourth refresh asked for %s; pending %d, series %d; want the years' batches, 0 and 20", got, u.Pending, len(u.Series))
	}
}

func TestPollerFallsBackToSingleSeriesWhenBatchesFail(t *testing.T) {
	f := &batchFeed{fakeFeed: fakeFeed{known: map[string]bool{"A": true, "B": true}, state: Regular},
		limits: Limits{PerMinute: 30, QuoteBatch: 50, SeriesBatch: 20}, noBatch: true}
	p := startPoller(t, f, PollerOptions{}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"A", "B"}, Range: Range1D})
	u := next(t, p)
	if len(u.Series) != 8 || u.Err != nil {
		t.Fatalf("%d series, error %v; want all 8 through Series", len(u.Series), u.Err)
	}
	if got := fmt.Sprint(f.seriesCalls()); got != "[{A 1D} {B 1D} {A daily} {B daily} {A 5D} {B 5D} {A 10Y} {B 10Y}]" {
		t.Errorf("single requests %s", got)
	}
	if !errors.Is(fmt.Errorf("x: %w", ErrNoBatch), ErrNoBatch) {
		t.Fatal("ErrNoBatch must survive wrapping")
	}
}

// A one-shot poller (print) leaves no room for quote refreshes that will
// never come, so its one refresh fetches what the budget allows at once.
func TestOneShotPollerSpendsTheWholeBudgetOnItsRefresh(t *testing.T) {
	syms := []string{"A", "B", "C", "D", "E", "NOPE"}
	known := map[string]bool{"A": true, "B": true, "C": true, "D": true, "E": true}
	for _, c := range []struct {
		oneShot bool
		batches int
	}{{false, 7}, {true, 12}} {
		// A refresh plans 6 quote requests (one a symbol), every 40 s: the
		// monitor keeps 6 of the minute's 14 for the next one.
		f := &batchFeed{fakeFeed: fakeFeed{known: known, state: Regular}, limits: Limits{PerMinute: 16, QuoteBatch: 1, SeriesBatch: 2}}
		clock := &stepClock{t: budgetT0}
		p := startPoller(t, f, PollerOptions{Clock: clock.now, Refresh: 15 * time.Second, ClosedRefresh: 15 * time.Second, OneShot: c.oneShot}, nil)
		p.SetWatch(Watch{Generation: 1, Symbols: syms, Range: Range1D})
		next(t, p)
		if got := len(f.batches); got != c.batches {
			t.Errorf("one-shot %v: %d series requests in the first refresh, want %d", c.oneShot, got, c.batches)
		}
	}
}
