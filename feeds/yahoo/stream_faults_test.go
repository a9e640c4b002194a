package yahoo_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// streamRig is the monitor's data path against the fake Yahoo: the feed,
// the gate and a streaming poller on a steppable clock. The streamer's own
// waits (reconnects) run on the wall clock, half a second at first.
type streamRig struct {
	t     *testing.T
	fake  *yahootest.Server
	clock *feedstest.Clock
	mu    sync.Mutex
	last  feeds.Update
	n     int // updates seen
}

const faultSymbol = "NVDA"

func newStreamRig(t *testing.T, refuse int) *streamRig {
	t.Helper()
	fake := yahootest.New(t)
	fake.SetMarketState("REGULAR")
	fake.StreamRefuse(refuse)
	fake.StreamRetryAfter("1") // a 429 asks for a second's wait
	r := &streamRig{t: t, fake: fake, clock: feedstest.NewClock(budgetOpen)}
	yf := yahoo.New(yahoo.Options{BaseURL: fake.URL, HTTPClient: yahootest.Client(), Clock: r.clock.Now,
		Rand: func() float64 { return 0.5 }})
	p := feeds.NewPoller(feeds.NewGate(yf, r.clock.Now), feeds.PollerOptions{Clock: r.clock.Now, After: r.clock.After,
		Refresh: budgetRefresh, ClosedRefresh: budgetClosedRefresh, Stream: true}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done, seen := make(chan struct{}), make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	go func() {
		defer close(seen)
		for u := range p.Updates() {
			r.mu.Lock()
			r.last, r.n = u, r.n+1
			r.mu.Unlock()
		}
	}()
	t.Cleanup(func() { cancel(); <-done; <-seen })
	p.SetWatch(feeds.Watch{Generation: 1, Symbols: []string{faultSymbol, "SPY"}, Range: feeds.Range1D})
	r.await("the first quotes", func(u feeds.Update) bool { return u.Quotes[faultSymbol].Price > 0 })
	return r
}

// await waits until an update satisfies ok, and returns it.
func (r *streamRig) await(what string, ok func(feeds.Update) bool) feeds.Update {
	r.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		r.mu.Lock()
		u := r.last
		r.mu.Unlock()
		if ok(u) {
			return u
		}
	}
	r.t.Fatalf("waited 10 s for %s; the last update: stream %q (%s), price %v", what, r.last.Health.Stream,
		r.last.Health.StreamDetail, r.last.Quotes[faultSymbol].Price)
	return feeds.Update{}
}

// trade pushes a regular trade at the synthetic price times f until it is
// applied, and returns the price. Pushed again: a client that says live
// may not be the fake's newest connection yet, and a frame pushed to a
// connection being dropped is lost.
func (r *streamRig) trade(f float64) float64 {
	r.t.Helper()
	price := float32(yahootest.SyntheticPrice(faultSymbol) * f)
	applied := func() (float64, bool) {
		r.mu.Lock()
		defer r.mu.Unlock()
		p := r.last.Quotes[faultSymbol].Price
		return p, float32(p) == price
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		r.fake.Push(yahootest.PricingFrame(faultSymbol, price, r.clock.Now(), 1, 0))
		for wait := time.Now().Add(200 * time.Millisecond); time.Now().Before(wait); time.Sleep(2 * time.Millisecond) {
			if p, ok := applied(); ok {
				return p
			}
		}
	}
	r.mu.Lock()
	p, state := r.last.Quotes[faultSymbol].Price, r.last.Health.Stream
	r.mu.Unlock()
	r.t.Fatalf("a trade at %v was never applied; the price is %v, the stream %q", price, p, state)
	return 0
}

// step moves the poller's clock on to its next timer, n times.
func (r *streamRig) step(n int) {
	for range n {
		at, ok := r.clock.NextTimer(10 * time.Second)
		if !ok {
			r.t.Fatal("the poller armed no timer")
		}
		r.clock.AdvanceTo(at)
	}
}

func live(u feeds.Update) bool { return u.Health.Stream == feeds.StreamLive }
func down(u feeds.Update) bool { return u.Health.Stream == feeds.StreamDown }

// Every fault of the stream keeps the last good price, shows the stream
// down where it is, and recovers by itself.
func TestStreamFaultsKeepTheLastGoodPrice(t *testing.T) {
	t.Run("garbage and implausible prices", func(t *testing.T) {
		r := newStreamRig(t, 0)
		r.await("a live stream", live)
		good := r.trade(1.01)
		r.fake.Push("garbage")
		r.fake.Push(`{"type":"pricing","message":"%%%"}`)
		r.fake.Push(yahootest.PricingFrame(faultSymbol, 3e38, r.clock.Now(), 1, 0))
		r.fake.Push(yahootest.PricingFrame(faultSymbol, 0, r.clock.Now(), 1, 0))
		r.fake.Push(yahootest.PricingFrame(faultSymbol, float32(4*good), r.clock.Now(), 1, 0)) // a bad print
		u := r.await("the counts", func(u feeds.Update) bool {
			h := u.Health
			return h.FramesDropped == 2 && h.TicksRejected == 3
		})
		if u.Quotes[faultSymbol].Price != good || !live(u) {
			t.Errorf("after garbage the price is %v, not %v, and the stream %q", u.Quotes[faultSymbol].Price, good, u.Health.Stream)
		}
		r.trade(1.02)
	})
	t.Run("drop mid-frame", func(t *testing.T) {
		r := newStreamRig(t, 0)
		r.await("a live stream", live)
		good := r.trade(1.01)
		r.fake.DropMidFrame()
		u := r.await("the stream down", down)
		if u.Quotes[faultSymbol].Price != good || !strings.Contains(u.Health.StreamDetail, "polling every 15 s") {
			t.Errorf("dropped: price %v, detail %q", u.Quotes[faultSymbol].Price, u.Health.StreamDetail)
		}
		r.await("the stream back", live)
		r.trade(1.02)
	})
	for _, status := range []int{403, 429} {
		t.Run("upgrade refused with "+strconv.Itoa(status), func(t *testing.T) {
			r := newStreamRig(t, status)
			u := r.await("the stream down", down)
			if u.Quotes[faultSymbol].Price <= 0 || !strings.Contains(u.Health.StreamDetail, strconv.Itoa(status)) {
				t.Errorf("refused: price %v, detail %q", u.Quotes[faultSymbol].Price, u.Health.StreamDetail)
			}
			r.fake.StreamRefuse(0)
			r.await("the stream back", live)
			r.trade(1.02)
		})
	}
	t.Run("mute", func(t *testing.T) {
		r := newStreamRig(t, 0)
		r.await("a live stream", live)
		good := r.trade(1.01)
		r.fake.StreamMute(true)
		before := r.fake.Count(yahootest.RouteQuote)
		r.step(14) // past 60 s of silence, in the poller's 5 s checks and its refreshes
		u := r.await("the stream judged mute", down)
		if u.Quotes[faultSymbol].Price != good || !strings.Contains(u.Health.StreamDetail, "silent for 60 s") {
			t.Errorf("mute: price %v, detail %q", u.Quotes[faultSymbol].Price, u.Health.StreamDetail)
		}
		r.step(2)
		if r.fake.Count(yahootest.RouteQuote) == before {
			t.Error("no quote was polled once the stream was mute")
		}
		r.fake.StreamMute(false)
		r.trade(1.02)
		r.await("the stream live again", live)
	})
}
