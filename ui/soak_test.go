package ui

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/watchlists"
)

// The soak runs the whole program logic except the terminal: the simulated
// market, the real poller on its own goroutine, and the root model driven
// through Update and View, on a clock the test moves.

// soakWeek is a normal trading week: Monday 00:00 UTC to Saturday 00:00
// UTC, every exchange open on each weekday (Veterans Day closes only bonds).
var (
	soakStart = time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)
	soakEnd   = time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)
)

// soakKeys are pressed in turn, one every 20 simulated minutes: tab moves,
// a detail opened and closed, sorting, currency, help, the chart toggle
// and a manual refresh.
var soakKeys = []tea.KeyPressMsg{
	keyTab, keyRune('3'), keyEnter, keyRune('j'), keyEsc, keyRune('s'),
	keyRune('c'), keyRune('?'), keyRune('0'), keyRune('t'), keyShiftTab, keyRune('r'), keyRune('9'),
}

// raceEnabled reports whether the test binary was built with -race, which
// makes each refresh far slower, so the long tests do less under it.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// pollerSource is the poller as the model sees it, except that the test
// reads the updates itself: with Updates nil, no command the model returns
// blocks, so every one can be run in place.
type pollerSource struct {
	p       *feeds.Poller
	watched bool // SetWatch was called since the last refresh
}

func (s *pollerSource) Updates() <-chan feeds.Update { return nil }
func (s *pollerSource) SetWatch(w feeds.Watch)       { s.p.SetWatch(w); s.watched = true }
func (s *pollerSource) RefreshNow()                  { s.p.RefreshNow() }

// soakRig is one running app: model, poller and simulated market.
type soakRig struct {
	tb     testing.TB
	clock  *feedstest.Clock
	poller *feeds.Poller
	src    *pollerSource
	m      Model
	stop   func()
}

func newSoakRig(tb testing.TB, start time.Time, set watchlists.Set, w, h int) *soakRig {
	tb.Helper()
	clock := feedstest.NewClock(start)
	feed := sim.New(sim.Options{Seed: 7, Clock: clock.Now})
	// The poller's own timer is an hour away: the test refreshes it.
	poller := feeds.NewPoller(feed, feeds.PollerOptions{Clock: clock.Now, Refresh: time.Hour, ClosedRefresh: time.Hour}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); poller.Run(ctx) }()
	r := &soakRig{tb: tb, clock: clock, poller: poller, src: &pollerSource{p: poller}}
	r.stop = sync.OnceFunc(func() {
		cancel()
		for range poller.Updates() { // closed when Run returns
		}
		<-done
	})
	tb.Cleanup(r.stop) // also after a failed step; the soak stops it earlier to count goroutines
	r.m = New(Options{Source: r.src, Clock: clock.Now, Set: set, Range: feeds.Range1D, Currency: "local",
		Benchmark: "SPY", Editor: "true"})
	r.send(tea.WindowSizeMsg{Width: w, Height: h})
	r.run(r.m.watchCmd()) // what Init does for the feed
	r.refresh()
	return r
}

// send hands msg to the model and runs the command it returns, as the
// Bubble Tea runtime would, feeding any resulting message back in.
func (r *soakRig) send(msg tea.Msg) {
	next, cmd := r.m.Update(msg)
	r.m = next.(Model)
	r.run(cmd)
}

func (r *soakRig) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			r.run(c)
		}
	default:
		r.send(msg)
	}
}

// tick is the 1 Hz clock message; its command (the next tick, a real
// one-second timer) is dropped because the test moves the clock.
func (r *soakRig) tick() {
	next, _ := r.m.Update(clockTickedMsg{r.clock.Now()})
	r.m = next.(Model)
}

// refresh makes the poller refresh at the current clock and hands the
// model every update it publishes until one answers the current watch at
// the current time. A new watch already started a refresh of its own.
func (r *soakRig) refresh() {
	r.tb.Helper()
	if !r.src.watched {
		r.poller.RefreshNow()
	}
	r.src.watched = false
	now := r.clock.Now()
	for {
		select {
		case u, ok := <-r.poller.Updates():
			if !ok {
				r.tb.Fatal("the poller stopped")
			}
			r.send(quotesUpdatedMsg{u})
			if u.Complete && u.Generation == r.m.generation && !u.At.Before(now) {
				return
			}
		case <-time.After(10 * time.Second):
			r.tb.Fatalf("no update for generation %d at %s within 10 s", r.m.generation, now.Format(time.DateTime))
		}
	}
}

// view renders a frame and checks it fills the screen exactly.
func (r *soakRig) view() {
	r.tb.Helper()
	content := r.m.View().Content
	if lines := strings.Count(content, "\n") + 1; lines != r.m.height {
		r.tb.Fatalf("at %s: frame has %d lines, want %d:\n%s", r.clock.Now().Format(time.DateTime), lines, r.m.height, content)
	}
}

// soakExtra is the segment the hourly reloads add and remove.
var soakExtra = watchlists.Segment{File: "30-soak.yaml", Name: "Soak extra", Era: watchlists.Inference,
	Symbols: []watchlists.Symbol{{Symbol: "ARM", Weight: 1}, {Symbol: "6723.T", Weight: 1}, {Symbol: "2330.TW", Weight: 1}, {Symbol: "035420.KS", Weight: 1}}}

// soakReload is the reload of simulated hour h: the extra segment added on
// even hours and removed on odd ones; every seventh hour instead reports a
// broken file and keeps the current set, as the watcher does.
func soakReload(base, current watchlists.Set, h int) watchlists.Reload {
	if h%7 == 6 {
		return watchlists.Reload{Set: current, Errors: []*watchlists.FileError{
			{Path: "10-gpus.yaml", Line: 4, Col: 5, Msg: `unknown key "wieght": did you mean "weight"?`}}}
	}
	set := watchlists.Set{Source: "soak", Segments: append([]watchlists.Segment(nil), base.Segments...)}
	if h%2 == 0 {
		set.Segments = append(set.Segments, soakExtra)
	}
	return watchlists.Reload{Set: set}
}

// crossed reports whether a step from prev to now passed a multiple of every.
func crossed(prev, now time.Time, every time.Duration) bool {
	return prev.Truncate(every) != now.Truncate(every)
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// settledGoroutines waits up to two seconds for the goroutine count to come
// down to want, and returns the count it saw last.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

// TestSoakTradingWeek runs a simulated week at 200x60 with hourly
// watchlist reloads, range changes and key presses, rendering every step.
// Without -race it steps 5 simulated minutes (1,440 refreshes); with -race,
// where each step is far slower, an hour (120 refreshes, each with a reload
// and a key press).
func TestSoakTradingWeek(t *testing.T) {
	feedstest.Long(t)
	if testing.Short() {
		t.Skip("a simulated week takes 20-30 s; run without -short")
	}
	stepBy := 5 * time.Minute
	if raceEnabled() {
		stepBy = time.Hour
	}
	before := runtime.NumGoroutine()
	base := watchlists.Defaults()
	r := newSoakRig(t, soakStart, base, 200, 60)

	var dayOne uint64
	var steps, reloads, rangeChanges, keys int
	for now := r.clock.Now(); now.Before(soakEnd); {
		prev := now
		r.clock.Advance(stepBy)
		now = r.clock.Now()
		r.tick()
		if crossed(prev, now, time.Hour) {
			r.send(watchlistsReloadedMsg{soakReload(base, r.m.set, int(now.Sub(soakStart)/time.Hour))})
			reloads++
		}
		// Every range is seen on the first day, so its heap is a fair baseline.
		if crossed(prev, now, 2*time.Hour) {
			r.send(keyRune(']'))
			rangeChanges++
		}
		if crossed(prev, now, 20*time.Minute) {
			r.send(soakKeys[keys%len(soakKeys)])
			keys++
		}
		r.refresh()
		r.view()
		steps++
		if now.Equal(soakStart.Add(24 * time.Hour)) {
			dayOne = heapInUse()
		}
	}
	week := heapInUse()

	if !r.m.update.At.Equal(soakEnd) || len(r.m.report.Segments) == 0 {
		t.Errorf("last refresh at %s with %d segments in the report; want one at %s with every segment", r.m.update.At, len(r.m.report.Segments), soakEnd)
	}
	if want := uint64(reloads + rangeChanges); r.m.generation != want {
		t.Errorf("generation %d after %d reloads and %d range changes, want %d", r.m.generation, reloads, rangeChanges, want)
	}
	t.Logf("%d steps of %s, %d reloads, %d range changes, %d keys; %d series held at the end",
		steps, stepBy, reloads, rangeChanges, keys, len(r.m.update.Series))
	t.Logf("heap in use after GC: %.1f MB after day one, %.1f MB after the week (%.2fx)",
		mb(dayOne), mb(week), float64(week)/float64(dayOne))
	if dayOne == 0 || float64(week) > 1.5*float64(dayOne) {
		t.Errorf("heap in use grew from %.1f MB after day one to %.1f MB after the week: more than 1.5x", mb(dayOne), mb(week))
	}
	runtime.KeepAlive(r.m)

	r.stop()
	if after := settledGoroutines(before); after != before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before the week, %d after stopping the poller:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// TestMemoryBoundedOverRefreshes compares the heap (and the process's
// resident memory) after 100 refreshes with after 5,000, 15 simulated
// seconds apart: 41 hours of markets opening and closing. It is slow, so it
// is skipped under -race (the soak covers races) and -short.
func TestMemoryBoundedOverRefreshes(t *testing.T) {
	feedstest.Long(t)
	if raceEnabled() || testing.Short() {
		t.Skip("5,000 refreshes take 75-110 s (far longer under -race); run: ROTATION_LONG=1 go test ./ui -run MemoryBounded")
	}
	r := newSoakRig(t, soakStart.Add(-5*time.Hour), watchlists.Defaults(), 200, 60)
	measure := func() (heap, rss uint64) {
		heap = heapInUse()
		debug.FreeOSMemory() // so resident memory reflects what is in use
		return heap, residentBytes()
	}
	var heap100, rss100 uint64
	for i := 1; i <= 5_000; i++ {
		r.clock.Advance(15 * time.Second)
		r.tick()
		r.refresh()
		if i%100 == 0 {
			r.view()
		}
		if i == 100 {
			heap100, rss100 = measure()
		}
	}
	heap, rss := measure()
	t.Logf("heap in use after GC: %.1f MB after 100 refreshes, %.1f MB after 5,000 (%.2fx)", mb(heap100), mb(heap), float64(heap)/float64(heap100))
	if float64(heap) > 1.5*float64(heap100) {
		t.Errorf("heap in use grew from %.1f MB to %.1f MB over 4,900 refreshes: more than 1.5x", mb(heap100), mb(heap))
	}
	if rss100 == 0 {
		t.Log("no VmRSS in /proc/self/status on this system; resident memory not compared")
		return
	}
	t.Logf("resident memory: %.1f MB after 100 refreshes, %.1f MB after 5,000 (%.2fx)", mb(rss100), mb(rss), float64(rss)/float64(rss100))
	if float64(rss) > 1.5*float64(rss100) {
		t.Errorf("resident memory grew from %.1f MB to %.1f MB over 4,900 refreshes: more than 1.5x", mb(rss100), mb(rss))
	}
}

// residentBytes reads VmRSS from /proc/self/status; 0 where there is none.
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
