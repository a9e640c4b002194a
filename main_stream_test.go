package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
	"github.com/rotation-dev/rotation/ui"
	"github.com/rotation-dev/rotation/watchlists"
)

// screenProbe wraps the monitor's model and reports when a rendered frame
// first holds the text it waits for: the time a price reaches the screen.
type screenProbe struct {
	inner tea.Model
	w     *probeWait
}

type probeWait struct {
	mu   sync.Mutex
	want string
	seen chan time.Time
}

func (p screenProbe) Init() tea.Cmd { return p.inner.Init() }

func (p screenProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := p.inner.Update(msg)
	return screenProbe{m, p.w}, cmd
}

func (p screenProbe) View() tea.View {
	v := p.inner.View()
	p.w.mu.Lock()
	defer p.w.mu.Unlock()
	if p.w.want != "" && strings.Contains(v.Content, p.w.want) {
		p.w.want = ""
		p.w.seen <- time.Now()
	}
	return v
}

// await arms the probe for text and returns a function that waits for it.
func (w *probeWait) await(text string) func(timeout time.Duration) (time.Time, bool) {
	w.mu.Lock()
	w.want = text
	w.mu.Unlock()
	return func(timeout time.Duration) (time.Time, bool) {
		select {
		case at := <-w.seen:
			return at, true
		case <-time.After(timeout):
			return time.Time{}, false
		}
	}
}

// streamedMonitor runs the monitor on the default lists at 160x48 against
// the fake Yahoo with its streamer, on the segment tab holding symbol, and
// returns the probe once that tab shows prices and the stream is live.
func streamedMonitor(b *testing.B, srv *yahootest.Server, symbol string) (*probeWait, *tea.Program) {
	b.Helper()
	set := watchlists.Defaults()
	feed := feeds.NewGate(yahoo.New(yahoo.Options{BaseURL: srv.URL, HTTPClient: yahootest.Client()}), nil)
	ctx, cancel := context.WithCancel(context.Background())
	p := feeds.NewPoller(feed, feeds.PollerOptions{Stream: true}, nil)
	go p.Run(ctx)
	w := &probeWait{seen: make(chan time.Time, 1)}
	model := ui.New(ui.Options{Source: p, Clock: time.Now, Set: set, Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	prog := tea.NewProgram(screenProbe{model, w}, tea.WithInput(nil), tea.WithOutput(io.Discard),
		tea.WithFPS(30), tea.WithWindowSize(160, 48), tea.WithoutSignalHandler())
	done := make(chan struct{})
	go func() { defer close(done); _, _ = prog.Run() }()
	b.Cleanup(func() { prog.Quit(); <-done; cancel() })

	tab := slices.IndexFunc(set.Segments, func(s watchlists.Segment) bool {
		return slices.ContainsFunc(s.Symbols, func(m watchlists.Symbol) bool { return m.Symbol == symbol })
	})
	shown := w.await(fmt.Sprintf("%.2f", yahootest.SyntheticPrice(symbol)))
	prog.Send(tea.KeyPressMsg{Code: rune('1' + tab), Text: string(rune('1' + tab))})
	if _, ok := shown(30 * time.Second); !ok {
		b.Fatalf("%s's polled price never showed", symbol)
	}
	for deadline := time.Now().Add(10 * time.Second); !slices.Contains(srv.Subscribed(), symbol); {
		if time.Now().After(deadline) {
			b.Fatal("the stream never subscribed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return w, prog
}

// BenchmarkTickToScreen is the time from a frame the fake streamer writes
// to the first rendered frame holding its price, on the default lists at
// 160x48 and 30 frames a second, while the other symbols trade 40 times a
// second: the path a trade takes through the websocket, the gate, the
// poller, the reprice, the frame of trades (up to ui's tradeFrame) and the
// renderer. Reported as the median and the 99th percentile of b.N trades.
func BenchmarkTickToScreen(b *testing.B) {
	srv := yahootest.New(b)
	const symbol = "NVDA"
	w, _ := streamedMonitor(b, srv, symbol)

	// The rest of the market trades around it, 40 times a second.
	others := slices.DeleteFunc(watchlists.Defaults().Symbols(), func(s string) bool { return s == symbol })
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewPCG(1, 2))
		tick := time.NewTicker(25 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case now := <-tick.C:
				sym := others[rng.IntN(len(others))]
				price := yahootest.SyntheticPrice(sym) * (1 + 0.002*(rng.Float64()-0.5))
				srv.Push(yahootest.PricingFrame(sym, float32(price), now, 1, 0))
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()

	base := yahootest.SyntheticPrice(symbol)
	rng := rand.New(rand.NewPCG(3, 4))
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		// Alternately up and down, so every trade is a new price on screen.
		price := base + 0.01*float64(1+i%50)*float64(1-2*(i%2))
		text := fmt.Sprintf("%.2f", price)
		seen := w.await(text)
		sent := time.Now()
		srv.Push(yahootest.PricingFrame(symbol, float32(price), sent, 1, 0))
		at, ok := seen(5 * time.Second)
		if !ok {
			b.Fatalf("trade %d at %s never reached the screen", i, text)
		}
		lat = append(lat, at.Sub(sent))
		time.Sleep(time.Duration(50+rng.IntN(200)) * time.Millisecond) // trades of one name come apart
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "ms-median")
	b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "ms-p99")
	b.ReportMetric(0, "ns/op") // the wall time per trade includes the pauses between them
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
