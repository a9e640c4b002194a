package feeds

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// fakeFeed prices every symbol it knows at 100 and records what was asked.
type fakeFeed struct {
	mu       sync.Mutex
	known    map[string]bool
	state    MarketState
	err      error
	quoteN   int
	seriesOf []SeriesKey
	gate     chan struct{} // when set, each Series call waits for a value
}

func (f *fakeFeed) Name() string { return "fake" }

func (f *fakeFeed) Quotes(_ context.Context, syms []string) ([]Quote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.quoteN++
	if f.err != nil {
		return nil, f.err
	}
	var out []Quote
	for _, s := range syms {
		if f.known[s] {
			out = append(out, Quote{Symbol: s, Price: 100, MarketState: f.state})
		}
	}
	return out, nil
}

func (f *fakeFeed) Series(_ context.Context, sym string, r Range) (Series, error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seriesOf = append(f.seriesOf, SeriesKey{sym, r})
	if !f.known[sym] {
		return Series{}, fmt.Errorf("no chart data for %s", sym)
	}
	return Series{Symbol: sym, Range: r, Times: []time.Time{time.Unix(0, 0)}, Closes: []float64{1}}, nil
}

func (f *fakeFeed) Health() Health { return Health{Feed: "fake", State: StateLive} }

func (f *fakeFeed) seriesCalls() []SeriesKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]SeriesKey(nil), f.seriesOf...)
}

func startPoller(t *testing.T, f Feed, opts PollerOptions, seed *Snapshot) *Poller {
	t.Helper()
	if opts.Refresh == 0 {
		opts.Refresh, opts.ClosedRefresh = time.Hour, time.Hour // tests step with RefreshNow
	}
	p := NewPoller(f, opts, seed)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		for { // what is left unread, then the close
			select {
			case _, open := <-p.Updates():
				if open {
					continue
				}
			case <-time.After(time.Second):
				t.Error("Updates not closed after Run returned")
			}
			break
		}
	})
	return p
}

// next returns the next complete refresh (or snapshot), skipping the
// prices-first update a refresh sends before its series.
func next(t *testing.T, p *Poller) Update {
	t.Helper()
	for {
		u := nextAny(t, p)
		if u.Complete || !u.Snapshot.IsZero() {
			return u
		}
	}
}

func nextAny(t *testing.T, p *Poller) Update {
	t.Helper()
	select {
	case u := <-p.Updates():
		return u
	case <-time.After(5 * time.Second):
		t.Fatal("no update within 5s")
		return Update{}
	}
}

func TestPollerDeliversQuotesAndMissingSymbols(t *testing.T) {
	f := &fakeFeed{known: map[string]bool{"NVDA": true, "AVGO": true}, state: Regular}
	p := startPoller(t, f, PollerOptions{}, nil)
	p.SetWatch(Watch{Generation: 3, Symbols: []string{"AVGO", "NOPE", "NVDA"}, Range: Range1D})
	u := next(t, p)
	if u.Generation != 3 {
		t.Errorf("generation = %d, want 3", u.Generation)
	}
	if len(u.Quotes) != 2 || u.Quotes["NVDA"].Price != 100 {
		t.Errorf("quotes = %v", u.Quotes)
	}
	if fmt.Sprint(u.Missing) != "[NOPE]" {
		t.Errorf("missing = %v, want [NOPE]", u.Missing)
	}
	if u.LastGood["NVDA"].IsZero() || !u.LastGood["NOPE"].IsZero() {
		t.Errorf("lastGood = %v", u.LastGood)
	}
}

func TestPollerFetchesEverySeriesAtOnceFromALocalFeed(t *testing.T) {
	f := &fakeFeed{known: map[string]bool{"A": true, "B": true, "C": true}, state: Regular}
	p := startPoller(t, f, PollerOptions{}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"A", "B", "C"}, Range: Range1M})
	u := next(t, p)
	// The active range (1M, served by the daily series) first.
	want := []SeriesKey{{"A", RangeDaily}, {"B", RangeDaily}, {"C", RangeDaily}, {"A", Range1D}, {"B", Range1D}, {"C", Range1D},
		{"A", Range5D}, {"B", Range5D}, {"C", Range5D}, {"A", RangeLong}, {"B", RangeLong}, {"C", RangeLong}}
	if got := f.seriesCalls(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("first refresh fetched %v, want %v", got, want)
	}
	if len(u.Series) != 12 || u.Pending != 0 || len(u.SeriesFor(Range3M)) != 3 || len(u.SeriesFor(Range5Y)) != 3 {
		t.Errorf("update holds %d series (%d pending, %d for 3M, %d for 5Y), want 12, 0, 3 and 3", len(u.Series), u.Pending, len(u.SeriesFor(Range3M)), len(u.SeriesFor(Range5Y)))
	}
	p.RefreshNow()
	next(t, p)
	if n := len(f.seriesCalls()); n != 12 {
		t.Errorf("second refresh fetched %d more series; fresh ones must wait until due", n-12)
	}
	p.SetWatch(Watch{Generation: 2, Symbols: []string{"A", "B", "C"}, Range: Range5D})
	next(t, p)
	if got := f.seriesCalls()[12:]; len(got) != 0 {
		t.Errorf("switching to 5D fetched %v; every horizon's series is already kept", got)
	}
}

func TestPollerKeepsLastGoodDataWhenTheFeedFails(t *testing.T) {
	f := &fakeFeed{known: map[string]bool{"A": true}, state: Regular}
	p := startPoller(t, f, PollerOptions{}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"A"}, Range: Range1D})
	first := next(t, p)

	f.mu.Lock()
	f.err = &Error{Kind: KindOffline, Err: errors.New("connection refused")}
	f.mu.Unlock()
	p.RefreshNow()
	u := next(t, p)
	if KindOf(u.Err) != KindOffline {
		t.Fatalf("err = %v, want offline", u.Err)
	}
	if u.Quotes["A"].Price != 100 || !u.LastGood["A"].Equal(first.LastGood["A"]) {
		t.Errorf("last good quote lost: %v %v", u.Quotes, u.LastGood)
	}
	if n := len(f.seriesCalls()); n != 4 {
		t.Errorf("series fetched %d times, want 4 (1D, daily, 5D and the years, once): a failing feed is not asked for series", n)
	}
}

func TestPollerShowsSnapshotBeforeFirstRefresh(t *testing.T) {
	saved := time.Date(2026, 11, 20, 21, 0, 0, 0, time.UTC)
	seed := &Snapshot{SavedAt: saved, Quotes: map[string]Quote{"A": {Symbol: "A", Price: 42}}}
	f := &fakeFeed{known: map[string]bool{"A": true}, state: Closed}
	f.mu.Lock() // hold the first refresh back so the snapshot update can be seen alone
	p := startPoller(t, f, PollerOptions{}, seed)
	p.SetWatch(Watch{Generation: 7, Symbols: []string{"A"}, Range: Range1D})
	u := next(t, p)
	f.mu.Unlock()
	if !u.Snapshot.Equal(saved) || u.Quotes["A"].Price != 42 || u.Generation != 7 {
		t.Fatalf("first update = snapshot %v price %v gen %d, want the snapshot under gen 7", u.Snapshot, u.Quotes["A"].Price, u.Generation)
	}
	u = next(t, p)
	if !u.Snapshot.IsZero() || u.Quotes["A"].Price != 100 {
		t.Fatalf("after a live refresh: snapshot %v price %v", u.Snapshot, u.Quotes["A"].Price)
	}
}

func TestPollerIntervalFollowsMarketState(t *testing.T) {
	p := NewPoller(&fakeFeed{}, PollerOptions{Refresh: time.Second, ClosedRefresh: time.Minute}, nil)
	p.quotes = map[string]Quote{"A": {MarketState: Closed}, "B": {MarketState: Closed}}
	if got := p.interval(); got != time.Minute {
		t.Errorf("all closed: %v, want 1m", got)
	}
	p.quotes["B"] = Quote{MarketState: Post}
	if got := p.interval(); got != time.Second {
		t.Errorf("one in POST: %v, want 1s", got)
	}
}

func TestSnapshotRoundTripsAtomically(t *testing.T) {
	path := t.TempDir() + "/snapshot.json"
	if s, err := LoadSnapshot(path); s != nil || err != nil {
		t.Fatalf("missing file: %v %v, want nil nil", s, err)
	}
	at := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	cap, earnings := 4.4e12, at.Add(48*time.Hour)
	in := &Snapshot{SavedAt: at, Feed: "yahoo",
		Quotes: map[string]Quote{"NVDA": {Symbol: "NVDA", Price: 181.5, MarketCap: &cap, EarningsTime: &earnings}},
		Series: map[SeriesKey]Series{{"NVDA", Range1D}: {Symbol: "NVDA", Range: Range1D, Times: []time.Time{at}, Closes: []float64{181.5}}}}
	if err := SaveSnapshot(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if out.Quotes["NVDA"].Price != 181.5 || out.Series[SeriesKey{"NVDA", Range1D}].Closes[0] != 181.5 || !out.SavedAt.Equal(at) {
		t.Errorf("round trip lost data: %+v", out)
	}
	if q := out.Quotes["NVDA"]; q.MarketCap == nil || *q.MarketCap != cap || q.EarningsTime == nil || !q.EarningsTime.Equal(earnings) || q.ForwardPE != nil {
		t.Errorf("optional quote fields after a round trip: cap %v, earnings %v, forward P/E %v", q.MarketCap, q.EarningsTime, q.ForwardPE)
	}
}

func TestPollerMissingIsRefreshedEvenWhenNothingIsKnown(t *testing.T) {
	f := &fakeFeed{known: map[string]bool{"A": true}, state: Regular}
	p := startPoller(t, f, PollerOptions{}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"A", "B"}, Range: Range1D})
	if u := next(t, p); fmt.Sprint(u.Missing) != "[B]" {
		t.Fatalf("missing = %v, want [B]", u.Missing)
	}
	f.mu.Lock()
	f.known = map[string]bool{} // the source now knows none of them
	f.mu.Unlock()
	p.RefreshNow()
	if u := next(t, p); fmt.Sprint(u.Missing) != "[A B]" {
		t.Fatalf("missing = %v, want [A B]", u.Missing)
	}
}

func TestPollerForgetsSymbolsNoLongerWatched(t *testing.T) {
	f := &fakeFeed{known: map[string]bool{"A": true, "B": true}, state: Regular}
	p := startPoller(t, f, PollerOptions{}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"A", "B"}, Range: Range1D})
	first := next(t, p)
	p.SetWatch(Watch{Generation: 2, Symbols: []string{"A"}, Range: Range1D})
	u := next(t, p)
	if _, kept := u.Quotes["B"]; kept || len(u.LastGood) != 1 {
		t.Errorf("B is still carried after it left the watchlists: quotes %v lastGood %v", u.Quotes, u.LastGood)
	}
	for k := range u.Series {
		if k.Symbol == "B" {
			t.Errorf("series of B still carried: %v", k)
		}
	}
	if _, ok := first.Quotes["B"]; !ok {
		t.Error("an update already sent was changed afterwards")
	}
}

func TestPollerShowsPricesBeforeTheSeriesArrive(t *testing.T) {
	f := &fakeFeed{known: map[string]bool{"A": true}, state: Regular, gate: make(chan struct{})}
	p := startPoller(t, f, PollerOptions{}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"A"}, Range: Range1D})
	u := nextAny(t, p)
	if u.Complete || u.Quotes["A"].Price != 100 || len(u.Series) != 0 {
		t.Fatalf("first update: complete %v, quotes %v, %d series; want prices only", u.Complete, u.Quotes, len(u.Series))
	}
	close(f.gate)
	u = nextAny(t, p)
	if !u.Complete || len(u.Series) != 4 {
		t.Fatalf("second update: complete %v, %d series; want the refresh complete", u.Complete, len(u.Series))
	}
}

// A write that dies before its rename leaves only a stray temp file; the
// snapshot read at the next start is the previous, whole one.
func TestSnapshotSurvivesAWriteThatDiedMidway(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/snapshot.json"
	at := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	if err := SaveSnapshot(path, &Snapshot{SavedAt: at, Quotes: map[string]Quote{"A": {Symbol: "A", Price: 1}}}); err != nil {
		t.Fatal(err)
	}
	// What a crash between write and rename leaves behind.
	if err := os.WriteFile(dir+"/.snapshot.json.tmp123", []byte(`{"version":1,"quotes":{"A":{"pri`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSnapshot(path)
	if err != nil || s == nil || s.Quotes["A"].Price != 1 {
		t.Fatalf("previous snapshot lost: %+v, %v", s, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("snapshot mode %v, %v; want 0600", info.Mode().Perm(), err)
	}
}

// Two instances sharing a cache directory, watching different symbols:
// neither drops the other's, each symbol keeps when it was saved, and a
// symbol nobody has saved for a week goes.
func TestSnapshotsOfTwoInstancesMerge(t *testing.T) {
	path := t.TempDir() + "/snapshot.json"
	at := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	save := func(when time.Time, prices map[string]float64) {
		t.Helper()
		s := &Snapshot{SavedAt: when, Feed: "yahoo", Quotes: map[string]Quote{}, Series: map[SeriesKey]Series{}}
		for sym, p := range prices {
			s.Quotes[sym] = Quote{Symbol: sym, Price: p}
			s.Series[SeriesKey{sym, Range1D}] = Series{Symbol: sym, Range: Range1D, Times: []time.Time{when}, Closes: []float64{p}}
		}
		if err := SaveSnapshot(path, s); err != nil {
			t.Fatal(err)
		}
	}
	save(at, map[string]float64{"OLD": 1, "NVDA": 180})
	save(at.Add(8*24*time.Hour), map[string]float64{"NVDA": 181})             // instance A, a week on
	save(at.Add(8*24*time.Hour+time.Minute), map[string]float64{"AVGO": 340}) // instance B
	out, err := LoadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if out.Quotes["NVDA"].Price != 181 || out.Quotes["AVGO"].Price != 340 {
		t.Errorf("quotes %v; want A's NVDA and B's AVGO both kept", out.Quotes)
	}
	if _, ok := out.Quotes["OLD"]; ok {
		t.Error("a symbol last saved over a week before was kept")
	}
	if got := out.SavedAtOf("NVDA"); !got.Equal(at.Add(8 * 24 * time.Hour)) {
		t.Errorf("NVDA saved at %v, want when A saved it", got)
	}
	if len(out.Series) != 2 {
		t.Errorf("%d series, want NVDA's and AVGO's", len(out.Series))
	}
}
