package feeds

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds/feedstest"
)

// streamingFeed is fakeFeed with a stream the test drives through its sink.
type streamingFeed struct {
	*fakeFeed
	mu      sync.Mutex
	sink    StreamSink
	subs    [][]string
	started chan struct{}
	asked   [][]string // the symbols of each Quotes call
}

func newStreamingFeed(known ...string) *streamingFeed {
	f := &fakeFeed{known: map[string]bool{}, state: Regular}
	for _, s := range known {
		f.known[s] = true
	}
	return &streamingFeed{fakeFeed: f, started: make(chan struct{})}
}

func (f *streamingFeed) Quotes(ctx context.Context, syms []string) ([]Quote, error) {
	f.mu.Lock()
	f.asked = append(f.asked, slices.Clone(syms))
	f.mu.Unlock()
	return f.fakeFeed.Quotes(ctx, syms)
}

func (f *streamingFeed) Stream(ctx context.Context, subs <-chan []string, sink StreamSink) error {
	f.mu.Lock()
	f.sink = sink
	f.mu.Unlock()
	close(f.started)
	for {
		select {
		case <-ctx.Done():
			return nil
		case l := <-subs:
			f.mu.Lock()
			f.subs = append(f.subs, l)
			f.mu.Unlock()
		}
	}
}

func (f *streamingFeed) push(t Tick)           { f.sinkNow().Tick(t) }
func (f *streamingFeed) status(s StreamStatus) { f.sinkNow().Status(s) }
func (f *streamingFeed) quoteCalls() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.asked)
}
func (f *streamingFeed) subscriptions() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.subs)
}

func (f *streamingFeed) sinkNow() StreamSink {
	<-f.started
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sink
}

// nextWhere returns the first update ok accepts.
func nextWhere(t *testing.T, p *Poller, ok func(Update) bool) Update {
	t.Helper()
	for {
		if u := nextAny(t, p); ok(u) {
			return u
		}
	}
}

var streamStart = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

func startStreaming(t *testing.T, f *streamingFeed, clock *feedstest.Clock, syms ...string) *Poller {
	t.Helper()
	p := startPoller(t, f, PollerOptions{Stream: true, Clock: clock.Now, After: clock.After,
		Refresh: 15 * time.Second, ClosedRefresh: time.Minute}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: syms, Range: Range1D})
	next(t, p)
	return p
}

// goLive has the stream say it is live and waits for the poller to say so.
func goLive(t *testing.T, f *streamingFeed, p *Poller) Update {
	t.Helper()
	f.status(StreamStatus{State: StreamLive})
	return nextWhere(t, p, func(u Update) bool { return u.Health.Stream == StreamLive })
}

func TestTicksMoveTheRegularPriceOnly(t *testing.T) {
	clock := feedstest.NewClock(streamStart)
	f := newStreamingFeed("NVDA")
	p := startStreaming(t, f, clock, "NVDA")
	refreshes := goLive(t, f, p).Refreshes

	at := streamStart.Add(time.Second)
	f.push(Tick{Symbol: "NVDA", Price: 101, Time: at, State: Regular, PreviousClose: 98, DayVolume: 5000})
	u := nextWhere(t, p, func(u Update) bool { return u.Ticks == 1 })
	q := u.Quotes["NVDA"]
	if q.Price != 101 || !q.QuoteTime.Equal(at) || !q.LastTrade.Equal(at) || q.Volume != 5000 || q.MarketState != Regular {
		t.Errorf("after a regular trade: %+v", q)
	}
	if q.PreviousClose != 98 || q.Change != 3 {
		t.Errorf("change = %v from previous close %v, want 3 from 98", q.Change, q.PreviousClose)
	}
	if u.Refreshes != refreshes {
		t.Errorf("a trade counted as a refresh: %d, want %d", u.Refreshes, refreshes)
	}

	f.push(Tick{Symbol: "NVDA", Price: 103, Time: at.Add(time.Second), State: Post})
	f.push(Tick{Symbol: "NVDA", Price: 99, Time: at.Add(-time.Minute), State: Regular}) // older than the price held
	u = nextWhere(t, p, func(u Update) bool { return u.Ticks >= 2 && u.Quotes["NVDA"].PostPrice == 103 })
	q = u.Quotes["NVDA"]
	if q.Price != 101 || q.PostPrice != 103 || q.MarketState != Post || q.PostChange != 2 {
		t.Errorf("after a post-market trade and an old one: price %v post %v (%v) state %s", q.Price, q.PostPrice, q.PostChange, q.MarketState)
	}
}

func TestPollingSlowsWhileTheStreamLives(t *testing.T) {
	clock := feedstest.NewClock(streamStart)
	f := newStreamingFeed("A", "B")
	p := startStreaming(t, f, clock, "A", "B")
	goLive(t, f, p)
	full := len(f.quoteCalls())

	// A trades every 30 s; B never does. For 4 minutes only B is polled,
	// from 2 minutes on, every 15 s.
	for i := range 16 {
		clock.Advance(15 * time.Second)
		if i%2 == 0 {
			f.push(Tick{Symbol: "A", Price: 100 + float64(i), Time: clock.Now(), State: Regular})
			nextWhere(t, p, func(u Update) bool { return u.Quotes["A"].Price == 100+float64(i) })
		}
		waitIdle(t, clock)
	}
	calls := f.quoteCalls()[full:]
	for _, c := range calls {
		if strings.Join(c, ",") != "B" {
			t.Fatalf("while streaming, polled %v; want only the quiet B", calls)
		}
	}
	if len(calls) < 6 || len(calls) > 10 {
		t.Errorf("B polled %d times in 2 quiet minutes, want about 8 (every 15 s)", len(calls))
	}
	// At 5 minutes every quote is polled once, for what trades lack.
	clock.Advance(75 * time.Second)
	waitIdle(t, clock)
	last := f.quoteCalls()[len(f.quoteCalls())-1]
	if strings.Join(last, ",") != "A,B" {
		t.Errorf("the 5-minute poll asked %v, want A,B", last)
	}
}

// waitIdle waits until the poller has armed its next timer.
func waitIdle(t *testing.T, clock *feedstest.Clock) {
	t.Helper()
	if _, ok := clock.NextTimer(5 * time.Second); !ok {
		t.Fatal("the poller armed no timer")
	}
	time.Sleep(5 * time.Millisecond) // let a refresh in flight finish
}

func TestAStreamThatGoesDownBringsPollingBackAtOnce(t *testing.T) {
	clock := feedstest.NewClock(streamStart)
	f := newStreamingFeed("A")
	p := startStreaming(t, f, clock, "A")
	goLive(t, f, p)
	clock.Advance(30 * time.Second)
	f.push(Tick{Symbol: "A", Price: 101, Time: clock.Now(), State: Regular})
	nextWhere(t, p, func(u Update) bool { return u.Ticks == 1 })
	before := len(f.quoteCalls())

	f.status(StreamStatus{State: StreamDown, Err: errString("the streamer answered 429")})
	u := nextWhere(t, p, func(u Update) bool {
		return u.Health.Stream == StreamDown && u.Complete && len(f.quoteCalls()) > before
	})
	if want := "stream down (the streamer answered 429), polling every 15 s"; u.Health.StreamDetail != want {
		t.Errorf("detail = %q, want %q", u.Health.StreamDetail, want)
	}
	if u.Quotes["A"].Price != 101 {
		t.Errorf("the poll rolled the streamed price back: %v", u.Quotes["A"].Price)
	}
}

func TestAMuteStreamCountsAsDown(t *testing.T) {
	clock := feedstest.NewClock(streamStart)
	f := newStreamingFeed("A")
	p := startStreaming(t, f, clock, "A")
	goLive(t, f, p)
	for range 13 {
		clock.Advance(5 * time.Second)
		waitIdle(t, clock)
	}
	u := nextWhere(t, p, func(u Update) bool { return u.Health.Stream == StreamDown })
	if !strings.Contains(u.Health.StreamDetail, "silent for 60 s") {
		t.Errorf("detail = %q", u.Health.StreamDetail)
	}
	f.push(Tick{Symbol: "A", Price: 102, Time: clock.Now(), State: Regular})
	nextWhere(t, p, func(u Update) bool { return u.Health.Stream == StreamLive && u.Quotes["A"].Price == 102 })
}

func TestTheStreamFollowsTheWatch(t *testing.T) {
	clock := feedstest.NewClock(streamStart)
	f := newStreamingFeed("A", "B", "C")
	p := startStreaming(t, f, clock, "A", "B")
	waitFor(t, func() bool { return len(f.subscriptions()) == 1 })
	p.SetWatch(Watch{Generation: 2, Symbols: []string{"B", "C"}, Range: Range1D})
	nextWhere(t, p, func(u Update) bool { return u.Generation == 2 })
	waitFor(t, func() bool { return len(f.subscriptions()) == 2 })
	subs := f.subscriptions()
	if len(subs) < 2 || strings.Join(subs[0], ",") != "A,B" || strings.Join(subs[len(subs)-1], ",") != "B,C" {
		t.Errorf("subscriptions = %v, want [A B] then [B C]", subs)
	}
}

func TestTradesExtendTheIntradaySeries(t *testing.T) {
	p := NewPoller(newStreamingFeed("A"), PollerOptions{}, nil)
	open := time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)
	day := Series{Symbol: "A", Range: Range1D, Times: []time.Time{open, open.Add(5 * time.Minute)}, Closes: []float64{100, 101},
		Periods: []Period{{Start: open, End: open.Add(390 * time.Minute)}}}
	series := map[SeriesKey]Series{{"A", Range1D}: day}
	p.extendIntraday(&series, Tick{Symbol: "A", Price: 102, Time: open.Add(7 * time.Minute), State: Regular})
	p.extendIntraday(&series, Tick{Symbol: "A", Price: 103, Time: open.Add(21 * time.Minute), State: Regular})
	got := series[SeriesKey{"A", Range1D}]
	if len(got.Times) != 3 || got.Closes[1] != 102 || got.Closes[2] != 103 || !got.Times[2].Equal(open.Add(20*time.Minute)) {
		t.Errorf("extended series: %v %v", got.Times, got.Closes)
	}
	if day.Closes[1] != 101 {
		t.Error("the series an update shares was written in place")
	}
	p.extendIntraday(&series, Tick{Symbol: "A", Price: 104, Time: open.Add(24 * time.Hour), State: Regular})
	if len(series[SeriesKey{"A", Range1D}].Times) != 3 || !p.stream.unextended[SeriesKey{"A", Range1D}] {
		t.Error("a trade of the next session was added to the last one's series")
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// A symbol watched while the stream lives is quoted at once, not at the
// next full poll: trades apply to a quote. One the source does not know is
// asked once.
func TestASymbolWatchedWhileStreamingIsQuotedAtOnce(t *testing.T) {
	clock := feedstest.NewClock(streamStart)
	f := newStreamingFeed("A", "B")
	p := startStreaming(t, f, clock, "A")
	goLive(t, f, p)
	p.SetWatch(Watch{Generation: 2, Symbols: []string{"A", "B", "NOPE"}, Range: Range1D})
	u := nextWhere(t, p, func(u Update) bool { return u.Generation == 2 && u.Complete })
	if u.Quotes["B"].Price != 100 || !slices.Equal(u.Missing, []string{"NOPE"}) {
		t.Errorf("after the watch grew: B quoted at %v, missing %v", u.Quotes["B"].Price, u.Missing)
	}
	calls := f.quoteCalls()
	if last := calls[len(calls)-1]; strings.Join(last, ",") != "B,NOPE" {
		t.Errorf("the new symbols were asked as %v, want B and NOPE alone", last)
	}
	n := len(f.quoteCalls())
	for range 4 { // a minute: A trades, nothing is asked again
		clock.Advance(15 * time.Second)
		f.push(Tick{Symbol: "A", Price: 101, Time: clock.Now(), State: Regular})
		nextWhere(t, p, func(u Update) bool { return u.Quotes["A"].Price == 101 })
		waitIdle(t, clock)
	}
	if extra := f.quoteCalls()[n:]; len(extra) != 0 {
		t.Errorf("asked again %v", extra)
	}
}
