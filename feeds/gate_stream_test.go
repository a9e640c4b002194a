package feeds

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTheGateIgnoresAndCountsImplausibleTrades(t *testing.T) {
	f := newStreamingFeed("NVDA")
	g := NewGate(f, func() time.Time { return streamStart })
	if _, err := g.Quotes(context.Background(), []string{"NVDA"}); err != nil { // accepts 100
		t.Fatal(err)
	}
	var (
		mu  sync.Mutex
		got []float64
	)
	sink := StreamSink{Tick: func(tk Tick) { mu.Lock(); got = append(got, tk.Price); mu.Unlock() },
		Dropped: func(error) {}, Status: func(StreamStatus) {}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- StreamOf(g).Stream(ctx, make(chan []string), sink) }()
	for _, price := range []float64{101, 0, math.NaN(), 3e38, 310, 33, -5, 102} {
		f.push(Tick{Symbol: "NVDA", Price: price, Time: streamStart, State: Regular})
	}
	f.sinkNow().Dropped(errString("bad frame"))
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != 101 || got[1] != 102 {
		t.Errorf("passed %v, want [101 102]", got)
	}
	h := g.Health()
	if h.TicksRejected != 6 || h.FramesDropped != 1 {
		t.Errorf("health counts %d rejected trades and %d dropped frames, want 6 and 1", h.TicksRejected, h.FramesDropped)
	}
	if !strings.Contains(h.Detail, "Ignored 6 implausible streamed price(s)") {
		t.Errorf("detail = %q", h.Detail)
	}
}

func TestAGateOverAFeedWithoutAStreamHasNone(t *testing.T) {
	g := NewGate(&fakeFeed{}, nil)
	if err := StreamOf(g).Stream(context.Background(), nil, StreamSink{}); err != ErrNoStream {
		t.Errorf("Stream = %v, want ErrNoStream", err)
	}
}
