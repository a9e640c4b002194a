package feeds

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds/feedstest"
)

// streamingStub is a stubFeed whose stream sends one trade, named after
// the feed, for each list it is given.
type streamingStub struct{ *stubFeed }

func (s streamingStub) Stream(ctx context.Context, subs <-chan []string, sink StreamSink) error {
	sink.Status(StreamStatus{State: StreamLive})
	for {
		select {
		case <-ctx.Done():
			return nil
		case l := <-subs:
			for _, sym := range l {
				sink.Tick(Tick{Symbol: sym + "@" + s.name, Price: 1, State: Regular})
			}
		}
	}
}

// The auto feed streams from the source it shows, so simulated trades
// never mix with real prices: nothing until the first answer decides, the
// fallback's trades while it is shown, the primary's once it answers.
func TestTheAutoFeedStreamsFromTheSourceItShows(t *testing.T) {
	yahoo := &stubFeed{name: "yahoo", err: refused}
	sim := &stubFeed{name: "sim", simulated: true}
	clock := feedstest.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	auto := NewAuto(streamingStub{yahoo}, streamingStub{sim}, AutoOptions{Clock: clock.Now, ProbeEvery: time.Minute})

	var mu sync.Mutex
	var got []string
	sink := StreamSink{
		Tick:    func(tk Tick) { mu.Lock(); got = append(got, tk.Symbol); mu.Unlock() },
		Dropped: func(error) {},
		Status:  func(StreamStatus) {},
	}
	ticks := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), got...) }
	subs := make(chan []string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- StreamOf(auto).Stream(ctx, subs, sink) }()

	subs <- []string{"NVDA"}
	time.Sleep(20 * time.Millisecond)
	if g := ticks(); len(g) != 0 {
		t.Errorf("undecided, the stream sent %v", g)
	}
	servedBy(t, auto) // the primary is unreachable: the fallback is shown
	waitFor(t, func() bool { return len(ticks()) == 1 })
	if g := ticks(); g[0] != "NVDA@sim" {
		t.Errorf("on the fallback the trades are %v, want the fallback's", g)
	}
	yahoo.err = nil
	clock.Advance(time.Minute)
	servedBy(t, auto) // a probe answers: the primary is shown
	waitFor(t, func() bool { return len(ticks()) == 2 })
	if g := ticks(); g[1] != "NVDA@yahoo" {
		t.Errorf("back on the primary the trades are %v, want the primary's", g)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestAnAutoFeedOfSourcesWithoutStreamsHasNone(t *testing.T) {
	auto, _, _, _ := newAutoForTest(nil, false)
	if err := StreamOf(auto).Stream(context.Background(), nil, StreamSink{}); err != ErrNoStream {
		t.Errorf("Stream = %v, want ErrNoStream", err)
	}
}
