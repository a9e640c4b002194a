package sim_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestStreamSoak streams the simulated market into the poller through a
// US trading day and the Asian morning after, the poller refreshing as it
// does on its own schedule, on a clock that moves from one timer to the
// next: every trade is applied, the intraday series never outgrow their
// sessions, and neither the heap nor the goroutines grow from the first
// hours to the last.
func TestStreamSoak(t *testing.T) {
	feedstest.Long(t)
	start := time.Date(2026, 11, 18, 13, 0, 0, 0, time.UTC) // Wednesday, before the US open
	end := start.Add(15 * time.Hour)                        // through the US close and Tokyo's morning
	clock := feedstest.NewClock(start)
	feed := feeds.NewGate(sim.New(sim.Options{Seed: 7, Clock: clock.Now, After: clock.After}), clock.Now)
	p := feeds.NewPoller(feed, feeds.PollerOptions{Clock: clock.Now, After: clock.After, Stream: true}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	goroutines := runtime.NumGoroutine()
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()

	var (
		mu      sync.Mutex
		last    feeds.Update
		longest int // bars of the longest 1D series seen
	)
	seen := make(chan struct{})
	go func() {
		defer close(seen)
		for u := range p.Updates() {
			n := 0
			for k, s := range u.Series {
				if k.Range == feeds.Range1D {
					n = max(n, len(s.Times))
				}
			}
			mu.Lock()
			last, longest = u, max(longest, n)
			mu.Unlock()
		}
	}()
	symbols := baskets.Symbols(watchlists.Defaults(), "SPY")
	p.SetWatch(feeds.Watch{Generation: 1, Symbols: symbols, Range: feeds.Range1D})

	var heapAfter2h, heapAtEnd uint64
	clock.RunUntil(t, end, func() {
		if heapAfter2h == 0 && !clock.Now().Before(start.Add(2*time.Hour)) {
			heapAfter2h = heapInUse()
		}
	})
	heapAtEnd = heapInUse()
	cancel()
	<-done
	<-seen
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d trades applied in %s; %d bars at most in a 1D series; heap %.1f MB after 2 hours, %.1f MB at the end (%.2fx)",
		last.Ticks, end.Sub(start), longest, mb(heapAfter2h), mb(heapAtEnd), float64(heapAtEnd)/float64(heapAfter2h))
	if last.Ticks < 500_000 {
		t.Errorf("%d trades in a US day and an Asian morning, want over half a million", last.Ticks)
	}
	if last.Bars == 0 {
		t.Error("trades added no bar to the intraday series")
	}
	if longest > 24*60/5 {
		t.Errorf("a 1D series of %d bars: longer than a day of 5-minute bars", longest)
	}
	if heapAtEnd > heapAfter2h*3/2 {
		t.Errorf("heap grew from %.1f MB to %.1f MB", mb(heapAfter2h), mb(heapAtEnd))
	}
	for deadline := time.Now().Add(2 * time.Second); runtime.NumGoroutine() > goroutines && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after the soak, %d before", n, goroutines)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
