package yahoo

import (
	"context"
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
	"google.golang.org/protobuf/encoding/protowire"
)

// waitLimit bounds every wait for the stream in real time; the stream's
// own waits run on the test clock.
const waitLimit = 5 * time.Second

// sinkRecorder records what a Stream delivers, and whether two of its
// calls ever overlapped.
type sinkRecorder struct {
	mu       sync.Mutex
	ticks    []feeds.Tick
	dropped  []error
	statuses []feeds.StreamStatus
	inside   atomic.Int32
	overlap  atomic.Bool
}

func (r *sinkRecorder) sink() feeds.StreamSink {
	enter := func() func() {
		if r.inside.Add(1) != 1 {
			r.overlap.Store(true)
		}
		return func() { r.inside.Add(-1) }
	}
	return feeds.StreamSink{
		Tick: func(t feeds.Tick) {
			defer enter()()
			r.mu.Lock()
			defer r.mu.Unlock()
			r.ticks = append(r.ticks, t)
		},
		Dropped: func(err error) {
			defer enter()()
			r.mu.Lock()
			defer r.mu.Unlock()
			r.dropped = append(r.dropped, err)
		},
		Status: func(s feeds.StreamStatus) {
			defer enter()()
			r.mu.Lock()
			defer r.mu.Unlock()
			r.statuses = append(r.statuses, s)
		},
	}
}

func (r *sinkRecorder) Ticks() []feeds.Tick {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ticks)
}

func (r *sinkRecorder) Dropped() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.dropped)
}

func (r *sinkRecorder) Statuses() []feeds.StreamStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.statuses)
}

// count is how many statuses of state were reported.
func (r *sinkRecorder) count(state feeds.StreamState) int {
	n := 0
	for _, s := range r.Statuses() {
		if s.State == state {
			n++
		}
	}
	return n
}

// waitFor polls cond until it holds, failing the test after waitLimit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(waitLimit); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// checkGoroutines fails the test unless, once everything registered after
// it has been cleaned up (the fake included), the goroutines are no more
// than before.
func checkGoroutines(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		n := runtime.NumGoroutine()
		for deadline := time.Now().Add(waitLimit); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
			time.Sleep(5 * time.Millisecond)
		}
		if n > before {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines left, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
		}
	})
}

// streamRig is a Stream running against a fake, on a test clock.
type streamRig struct {
	t     *testing.T
	feed  *Feed
	clock *feedstest.Clock
	subs  chan []string
	rec   *sinkRecorder

	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// startStream runs a Stream of a feed on base, sends it list first unless
// list is nil, and stops it when the test ends.
func startStream(t *testing.T, base string, list []string, change ...func(*Options)) *streamRig {
	t.Helper()
	clock := feedstest.NewClock(testStart)
	change = append([]func(*Options){func(o *Options) { o.Clock, o.StreamAfter = clock.Now, clock.After }}, change...)
	f, _ := newTestFeed(t, base, change...)
	ctx, cancel := context.WithCancel(context.Background())
	r := &streamRig{t: t, feed: f, clock: clock, subs: make(chan []string), rec: &sinkRecorder{}, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- f.Stream(ctx, r.subs, r.rec.sink()) }()
	t.Cleanup(func() { r.stop() })
	if list != nil {
		r.follow(list)
	}
	return r
}

// follow hands Stream a new list.
func (r *streamRig) follow(list []string) {
	r.t.Helper()
	select {
	case r.subs <- list:
	case <-time.After(waitLimit):
		r.t.Fatal("Stream did not take the list")
	}
}

// stop cancels the Stream and waits for it; how long it took to return.
func (r *streamRig) stop() time.Duration {
	r.t.Helper()
	var took time.Duration
	r.once.Do(func() {
		start := time.Now()
		r.cancel()
		select {
		case err := <-r.done:
			took = time.Since(start)
			if err != nil {
				r.t.Errorf("Stream returned %v, want nil", err)
			}
		case <-time.After(waitLimit):
			r.t.Error("Stream did not return after its context ended")
		}
		if r.rec.overlap.Load() {
			r.t.Error("the sink's functions were called concurrently")
		}
	})
	return took
}

// waitState waits until the n-th status of state has been reported, and
// returns it.
func (r *streamRig) waitState(state feeds.StreamState, n int) feeds.StreamStatus {
	r.t.Helper()
	waitFor(r.t, "status "+string(state), func() bool { return r.rec.count(state) >= n })
	seen := 0
	for _, s := range r.rec.Statuses() {
		if s.State == state {
			if seen++; seen == n {
				return s
			}
		}
	}
	panic("unreachable")
}

// nextWait is how long after now the stream's next timer is due.
func (r *streamRig) nextWait() (time.Time, time.Duration) {
	r.t.Helper()
	at, ok := r.clock.NextTimer(waitLimit)
	if !ok {
		r.t.Fatal("the stream armed no timer")
	}
	return at, at.Sub(r.clock.Now())
}

// waitTicks waits for n ticks in all and returns them.
func (r *streamRig) waitTicks(n int) []feeds.Tick {
	r.t.Helper()
	waitFor(r.t, "ticks", func() bool { return len(r.rec.Ticks()) >= n })
	return r.rec.Ticks()
}

// waitSubscribed waits until the fake's newest connection is subscribed
// to exactly list.
func waitSubscribed(t *testing.T, srv *yahootest.Server, list ...string) {
	t.Helper()
	want := slices.Sorted(slices.Values(list))
	waitFor(t, "subscription to "+strings.Join(want, ","), func() bool { return slices.Equal(srv.Subscribed(), want) })
}

// waitMessages waits until the fake has received n messages in all and
// returns them.
func waitMessages(t *testing.T, srv *yahootest.Server, n int) []yahootest.StreamMessage {
	t.Helper()
	waitFor(t, "stream messages", func() bool { return len(srv.StreamMessages()) >= n })
	return srv.StreamMessages()
}

func newStreamServer(t *testing.T) *yahootest.Server {
	checkGoroutines(t)
	return yahootest.New(t)
}

func TestStreamURL(t *testing.T) {
	for base, want := range map[string]string{
		"":                                 "wss://streamer.finance.yahoo.com/?version=2",
		"  ":                               "wss://streamer.finance.yahoo.com/?version=2",
		"http://127.0.0.1:8080":            "ws://127.0.0.1:8080/?version=2",
		"http://127.0.0.1:8080/":           "ws://127.0.0.1:8080/?version=2",
		"https://proxy.example:8443":       "wss://proxy.example:8443/?version=2",
		"HTTPS://proxy.example":            "wss://proxy.example/?version=2",
		"http://[::1]:9000":                "ws://[::1]:9000/?version=2",
		"http://localhost:1/yahoo/":        "ws://localhost:1/yahoo/?version=2",
		"http://localhost:1/?crumb=x#frag": "ws://localhost:1/?version=2",
		"ws://localhost:1":                 "ws://localhost:1/?version=2",
	} {
		if got := streamURL(base); got != want {
			t.Errorf("streamURL(%q) = %q, want %q", base, got, want)
		}
	}
}

// The feed is a Streamer; wrapped in nothing, StreamOf finds it.
func TestStreamIsStreamer(t *testing.T) {
	if feeds.StreamOf(New(Options{})) == nil {
		t.Fatal("*yahoo.Feed does not implement feeds.Streamer")
	}
}

// recordedTick is the tick a recorded frame must arrive as, read from the
// fields frames.jsonl lists for it.
func recordedTick(t *testing.T, f recordedFrame) feeds.Tick {
	t.Helper()
	field := func(name string, v any) {
		if raw, ok := f.Decoded[name]; ok {
			if err := json.Unmarshal(raw, v); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
	var (
		want   feeds.Tick
		millis int64
		hours  int
	)
	field("id", &want.Symbol)
	field("price", &want.Price)
	field("time", &millis)
	field("market_hours", &hours)
	field("day_volume", &want.DayVolume)
	field("previous_close", &want.PreviousClose)
	want.Time = time.UnixMilli(millis).UTC()
	want.State = map[int]feeds.MarketState{0: feeds.Pre, 1: feeds.Regular, 2: feeds.Post}[hours]
	// The recorded floats are the wire's float32 widened; a tick carries
	// the decimal each was quoted as, the same float32.
	want.Price, want.PreviousClose = decimal32(want.Price), decimal32(want.PreviousClose)
	return want
}

// Every recorded frame, pushed by the fake streamer, reaches the sink as a
// tick of exactly the recorded fields.
func TestStreamRecordedFrames(t *testing.T) {
	srv := newStreamServer(t)
	frames := recordedFrames(t)
	var symbols []string
	for _, f := range frames {
		if want := recordedTick(t, f); !slices.Contains(symbols, want.Symbol) {
			symbols = append(symbols, want.Symbol)
		}
	}
	r := startStream(t, srv.URL, symbols)
	r.waitState(feeds.StreamLive, 1)
	waitSubscribed(t, srv, symbols...)
	for i, f := range frames {
		if n := srv.Push(f.Frame); n != 1 {
			t.Fatalf("the frame reached %d clients", n)
		}
		got := r.waitTicks(i + 1)[i]
		want := recordedTick(t, f)
		if got != want {
			t.Errorf("%s frame from %s:\n got %+v\nwant %+v", f.Envelope, f.Source, got, want)
		}
		if float32(got.Price) != float32(want.Price) {
			t.Errorf("%s: price %v is another float32 than the recorded %v", f.Source, got.Price, want.Price)
		}
	}
	if d := r.rec.Dropped(); len(d) != 0 {
		t.Errorf("dropped %v", d)
	}
	if got := r.rec.Statuses(); len(got) != 2 || got[0] != (feeds.StreamStatus{State: feeds.StreamConnecting}) || got[1] != (feeds.StreamStatus{State: feeds.StreamLive}) {
		t.Errorf("statuses %+v, want connecting then live", got)
	}
	if ua := srv.StreamUserAgents(); len(ua) != 1 || ua[0] != userAgent {
		t.Errorf("upgrade's User-Agent %q, want the feed's %q", ua, userAgent)
	}
	// The streamer is not the quote path: its upgrade spends none of the
	// poller's request budget.
	if n := r.feed.Requests(); n != 0 {
		t.Errorf("Requests() = %d after the stream connected, want 0", n)
	}
}

// A frame without a time takes the time it arrived on the feed's clock; a
// symbol asked in lower case comes back as asked; a previous close is
// carried. The frame is crafted (crafted is streamer_frame_test.go's).
func TestStreamTickFromCraftedFrame(t *testing.T) {
	srv := newStreamServer(t)
	r := startStream(t, srv.URL, []string{"aapl"})
	r.waitState(feeds.StreamLive, 1)
	waitSubscribed(t, srv, "aapl")
	r.clock.Advance(42 * time.Second)
	msg := crafted(tag(2, protowire.Fixed32Type), protowire.AppendFixed32(nil, 0x43190000), // 153
		tag(7, protowire.VarintType, 4), tag(16, protowire.Fixed32Type, 0, 0, 0x18, 0x43)) // overnight; 152
	srv.Push(`{"type":"pricing","message":"` + string(b64(msg)) + `"}`)
	want := feeds.Tick{Symbol: "aapl", Price: 153, Time: testStart.Add(42 * time.Second), State: feeds.Post, PreviousClose: 152}
	if got := r.waitTicks(1)[0]; got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// The first list is subscribed on connect; a new one sends only its
// differences; the whole list goes again every 15 s.
func TestStreamSubscriptions(t *testing.T) {
	srv := newStreamServer(t)
	r := startStream(t, srv.URL, []string{"NVDA", "EURUSD=X", "NVDA", ""})
	r.waitState(feeds.StreamLive, 1)
	want := []string{`{"subscribe":["NVDA","EURUSD=X"]}`}
	got := waitMessages(t, srv, 1)
	checkMessages := func(got []yahootest.StreamMessage) {
		t.Helper()
		var texts []string
		for _, m := range got {
			texts = append(texts, m.Text)
			if m.Conn != 1 {
				t.Errorf("message %q on connection %d", m.Text, m.Conn)
			}
		}
		if !slices.Equal(texts, want) {
			t.Errorf("messages\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
		}
	}
	checkMessages(got)

	r.follow([]string{"EURUSD=X", "AAPL", "^GSPC"})
	want = append(want, `{"unsubscribe":["NVDA"]}`, `{"subscribe":["AAPL","^GSPC"]}`)
	checkMessages(waitMessages(t, srv, 3))
	waitSubscribed(t, srv, "EURUSD=X", "AAPL", "^GSPC")

	r.follow([]string{"EURUSD=X", "AAPL", "^GSPC"}) // no change: nothing sent
	r.follow([]string{"AAPL"})                      // only removals: no empty subscribe
	want = append(want, `{"unsubscribe":["EURUSD=X","^GSPC"]}`)
	checkMessages(waitMessages(t, srv, 4))

	for i := range 3 {
		at, wait := r.nextWait()
		if wait != resubscribeEvery {
			t.Fatalf("resubscription %d due in %v, want %v", i, wait, resubscribeEvery)
		}
		r.clock.AdvanceTo(at)
		want = append(want, `{"subscribe":["AAPL"]}`)
		checkMessages(waitMessages(t, srv, len(want)))
	}
	if n := srv.StreamConns(); n != 1 || r.rec.count(feeds.StreamLive) != 1 {
		t.Errorf("%d connections, %d live statuses; want one of each", n, r.rec.count(feeds.StreamLive))
	}
}

// After a reconnect the whole current list is subscribed, including the
// changes made while the stream was down.
func TestStreamResubscribesAllAfterReconnect(t *testing.T) {
	srv := newStreamServer(t)
	r := startStream(t, srv.URL, []string{"NVDA", "MSFT"})
	r.waitState(feeds.StreamLive, 1)
	waitSubscribed(t, srv, "NVDA", "MSFT")
	r.follow([]string{"NVDA", "MSFT", "AAPL"})
	waitSubscribed(t, srv, "NVDA", "MSFT", "AAPL")

	srv.StreamRefuse(503)
	srv.DropMidFrame()
	r.waitState(feeds.StreamDown, 1)
	at, _ := r.nextWait()
	r.follow([]string{"MSFT", "AAPL", "EURUSD=X"}) // while down
	r.clock.AdvanceTo(at)
	r.waitState(feeds.StreamDown, 2) // the 503
	srv.StreamRefuse(0)
	at, _ = r.nextWait()
	r.clock.AdvanceTo(at)
	r.waitState(feeds.StreamLive, 2)
	msgs := waitMessages(t, srv, 3)
	if last := msgs[len(msgs)-1]; last != (yahootest.StreamMessage{Conn: 2, Text: `{"subscribe":["MSFT","AAPL","EURUSD=X"]}`}) {
		t.Errorf("first message on the new connection: %+v", last)
	}
	waitSubscribed(t, srv, "MSFT", "AAPL", "EURUSD=X")
}

// The synthetic frames the benchmarks push decode as the trades they say.
func TestPricingFrameDecodes(t *testing.T) {
	at := time.Date(2026, 11, 20, 15, 0, 1, 0, time.UTC)
	tk, err := DecodeStreamFrame([]byte(yahootest.PricingFrame("NVDA", 186.21, at, 1, 184.5)))
	if err != nil {
		t.Fatal(err)
	}
	if tk.Symbol != "NVDA" || float32(tk.Price) != 186.21 || !tk.Time.Equal(at) || tk.MarketHours != 1 ||
		tk.PreviousClose == nil || float32(*tk.PreviousClose) != 184.5 {
		t.Errorf("decoded %+v", tk)
	}
}
