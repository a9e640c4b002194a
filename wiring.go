package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/replay"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/feeds/yahoo"
)

// snapshotMaxAge is how old a disk snapshot may be and still be shown (as
// stale) instead of falling back to simulated prices.
const snapshotMaxAge = 7 * 24 * time.Hour

// snapshotEvery limits how often the snapshot is rewritten while running.
const snapshotEvery = time.Minute

// wired is a feed with everything that goes with it for one run.
type wired struct {
	feed  feeds.Feed
	clock feeds.Clock // the run's clock: the one given, or a replay's recorded one
	// snapshot is the last known market, for real feeds: it waits for the
	// disk read loadSnapshot started, so the screen need not. nil without one.
	snapshot func() *feeds.Snapshot
	snapPath string         // "" when this feed keeps no snapshot
	history  *feeds.History // where a real feed's years of daily closes are kept; nil for none
	close    func() error   // flushes and closes a recording
}

// newClock returns the run's clock: the real one, or one that starts at
// --now and runs on (frozen for print, so its output is reproducible).
func newClock(start time.Time, frozen bool) feeds.Clock {
	if start.IsZero() {
		return time.Now
	}
	if frozen {
		return func() time.Time { return start }
	}
	began := time.Now()
	return func() time.Time { return start.Add(time.Since(began)) }
}

func cacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "rotation")
}

// buildFeed turns --feed, --seed, --record and the environment into a feed.
// A replay without --now brings its own clock, the recorded one, which the
// whole run then keeps (w.clock).
func buildFeed(c config, clock feeds.Clock, getenv func(string) string) (*wired, error) {
	w := &wired{clock: clock, close: func() error { return nil }}
	seed := c.seed
	if seed == 0 {
		seed = sim.DefaultSeed(clock())
	}
	newSim := func() *sim.Feed { return sim.New(sim.Options{Seed: seed, Clock: clock}) }
	newYahoo := func() *yahoo.Feed {
		return yahoo.New(yahoo.Options{BaseURL: getenv(yahoo.EnvURL), CacheDir: cacheDir(), Clock: clock})
	}
	switch kind, file, _ := strings.Cut(c.feed, ":"); kind {
	case "sim":
		w.feed = newSim()
	case "yahoo":
		w.feed = newYahoo()
		w.loadSnapshot(clock)
		w.keepHistory()
	case "auto":
		w.loadSnapshot(clock)
		w.keepHistory()
		opts := feeds.AutoOptions{Clock: clock, HasSnapshot: func() bool { return w.snapshot != nil && w.snapshot() != nil }}
		if c.timeout > 0 { // print: decide well before its --timeout
			opts.DecideWithin = c.timeout / 3
		}
		w.feed = feeds.NewAuto(newYahoo(), newSim(), opts)
	case "replay":
		if file == "" {
			return nil, fmt.Errorf("--feed replay needs a file: --feed replay:FILE")
		}
		r, err := replay.Open(file, replay.Options{Speed: c.speed, Clock: clock})
		if err != nil {
			return nil, err
		}
		for _, warn := range r.Warnings() {
			stderrf("rotation: %s\n", warn)
		}
		w.feed = r
		if c.now.IsZero() {
			w.clock = r.Clock()
		}
	default:
		return nil, fmt.Errorf("--feed %q: want auto, yahoo, sim or replay:FILE", c.feed)
	}
	// Below the recorder, so a recording holds only what was believed.
	w.feed = feeds.NewGate(w.feed, w.clock)
	if c.record != "" {
		f, err := replay.OpenRecording(c.record, c.recordAppend)
		if err != nil {
			return nil, err
		}
		w.feed = replay.NewRecorder(w.feed, f, w.clock)
		w.close = f.Close
	}
	return w, nil
}

// keepHistory keeps a real feed's years of daily closes on disk, beside the
// snapshot, so a restart or a second instance does not fetch them again.
func (w *wired) keepHistory() {
	if dir := cacheDir(); dir != "" {
		w.history = &feeds.History{Dir: filepath.Join(dir, "history")}
	}
}

// loadSnapshot starts reading the last known market of a real feed, kept if
// it is recent. The read (tens of milliseconds for the default lists) runs
// while the screen starts; w.snapshot waits for it.
func (w *wired) loadSnapshot(clock feeds.Clock) {
	dir := cacheDir()
	if dir == "" {
		return
	}
	w.snapPath = filepath.Join(dir, "snapshot.json")
	read := make(chan *feeds.Snapshot, 1)
	go func() {
		s, err := feeds.LoadSnapshot(w.snapPath)
		if err != nil {
			stderrf("rotation: %v\n", err)
		}
		if s != nil && s.Age(clock()) >= snapshotMaxAge {
			s = nil
		}
		read <- s
	}()
	w.snapshot = sync.OnceValue(func() *feeds.Snapshot { return <-read })
}

// saver returns the poller's Save hook: it rewrites the snapshot at most once
// a minute, and only with real prices.
func (w *wired) saver() (save func(feeds.Update), flush func()) {
	if w.snapPath == "" {
		return nil, func() {}
	}
	var (
		mu     sync.Mutex
		last   time.Time
		latest feeds.Update
	)
	write := func(u feeds.Update) {
		if u.Health.Simulated || len(u.Quotes) == 0 {
			return
		}
		if err := feeds.SaveSnapshot(w.snapPath, feeds.SnapshotOf(w.feed.Name(), u)); err != nil {
			stderrf("rotation: %v\n", err)
		}
	}
	save = func(u feeds.Update) {
		mu.Lock()
		defer mu.Unlock()
		latest = u
		if u.At.Sub(last) >= snapshotEvery {
			last = u.At
			write(u)
		}
	}
	flush = func() {
		mu.Lock()
		defer mu.Unlock()
		if !latest.At.IsZero() && latest.At.After(last) {
			write(latest)
		}
	}
	return save, flush
}

// startPoller runs a poller for w until ctx ends; wait blocks until it has.
// The monitor starts from the snapshot; print (oneShot) reports a refresh.
// Both keep within the feed's request budget.
func (w *wired) startPoller(ctx context.Context, c config, clock feeds.Clock, save func(feeds.Update), oneShot bool) (p *feeds.Poller, wait func()) {
	opts := feeds.PollerOptions{Clock: clock, Refresh: c.refresh, Save: save, History: w.history, OneShot: oneShot,
		Stream: c.stream && !oneShot, // print reports one refresh: nothing to stream
		Warn:   func(err error) { stderrf("rotation: %v\n", err) }}
	if !oneShot { // print reports a refresh, never a snapshot
		opts.Seed = w.snapshot
	}
	p = feeds.NewPoller(w.feed, opts, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx)
	}()
	return p, func() { <-done }
}
