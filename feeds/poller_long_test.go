package feeds

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// yearsFeed serves daily closes that follow one path through time: the
// close of day d is 100 + days since 2016 / 10, divided by split once the
// split day has passed (Yahoo adjusts every close it serves for splits).
// RangeLong reaches back to 2016, RangeDaily a year and seven weeks.
type yearsFeed struct {
	mu        sync.Mutex
	now       func() time.Time
	split     float64 // 0: no split
	splitDay  time.Time
	simulated bool
	asked     []SeriesKey
}

var yearsFrom = time.Date(2016, 1, 4, 14, 30, 0, 0, time.UTC)

func (f *yearsFeed) Name() string { return "years" }

func (f *yearsFeed) Quotes(_ context.Context, syms []string) ([]Quote, error) {
	out := make([]Quote, len(syms))
	for i, s := range syms {
		out[i] = Quote{Symbol: s, Price: 100, MarketState: Closed}
	}
	return out, nil
}

func (f *yearsFeed) Series(_ context.Context, sym string, r Range) (Series, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, SeriesKey{sym, r})
	now := f.now()
	from := yearsFrom
	if r != RangeLong { // two years, on the same days
		from = yearsFrom.AddDate(0, 0, int(now.AddDate(-2, 0, 0).Sub(yearsFrom)/(24*time.Hour))+1)
	}
	s := Series{Symbol: sym, Range: r, Interval: 24 * time.Hour}
	for d := from; d.Before(now); d = d.AddDate(0, 0, 1) {
		c := 100 + float64(d.Sub(yearsFrom)/(24*time.Hour))/10
		if f.split > 0 && !now.Before(f.splitDay) {
			c /= f.split
		}
		s.Times, s.Closes = append(s.Times, d), append(s.Closes, c)
	}
	return s, nil
}

func (f *yearsFeed) Health() Health {
	return Health{Feed: "years", State: StateLive, Simulated: f.simulated}
}

func (f *yearsFeed) longAsks() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, k := range f.asked {
		if k.Range == RangeLong {
			n++
		}
	}
	return n
}

// Every watched symbol's years are fetched, after every short series, and
// joined to its daily series; they are not fetched again days later, as
// the daily series extends them.
func TestPollerFetchesTheYearsOnceAndExtendsThemDaily(t *testing.T) {
	clock := &stepClock{t: time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)}
	f := &yearsFeed{now: clock.now}
	p := startPoller(t, f, PollerOptions{Clock: clock.now}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"NVDA", "AVGO"}, Range: Range1Y})
	u := next(t, p)
	long := u.SeriesFor(Range5Y)
	if len(long) != 2 || f.longAsks() != 2 {
		t.Fatalf("years of %d symbols after %d requests, want both, once each", len(long), f.longAsks())
	}
	firstLong := slices.IndexFunc(f.asked, func(k SeriesKey) bool { return k.Range == RangeLong })
	if slices.ContainsFunc(f.asked[firstLong:], func(k SeriesKey) bool { return k.Range != RangeLong }) {
		t.Errorf("requests %v: a short series waited for the years", f.asked)
	}
	if got := long["NVDA"].Times[0]; !got.Equal(yearsFrom) {
		t.Errorf("the years start %v, want %v", got, yearsFrom)
	}
	for range 3 { // three days on: the daily series brings the new days
		clock.advance(24 * time.Hour)
		p.RefreshNow()
		u = next(t, p)
	}
	if f.longAsks() != 2 {
		t.Errorf("the years were fetched again: %d requests", f.longAsks())
	}
	s := u.SeriesFor(Range5Y)["NVDA"]
	last := s.Times[len(s.Times)-1]
	if want := time.Date(2026, 12, 7, 14, 30, 0, 0, time.UTC); !last.Equal(want) {
		t.Errorf("the years end %v, want the daily series' last day %v", last, want)
	}
}

// A second start, and a second instance, read the years from disk and ask
// for none; a simulated feed neither reads nor writes them.
func TestPollerKeepsTheYearsOnDisk(t *testing.T) {
	dir := t.TempDir()
	h := &History{Dir: dir}
	clock := &stepClock{t: time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)}
	run := func(f *yearsFeed) Update {
		p := startPoller(t, f, PollerOptions{Clock: clock.now, History: h}, nil)
		p.SetWatch(Watch{Generation: 1, Symbols: []string{"NVDA", "AVGO"}, Range: Range5Y})
		return next(t, p)
	}
	first := &yearsFeed{now: clock.now}
	u1 := run(first)
	if first.longAsks() != 2 {
		t.Fatalf("first start: %d requests for the years, want 2", first.longAsks())
	}
	firstAt := clock.now()
	// Three days on, as a restart would be: the kept years are extended by
	// the daily series, and the file keeps when they were fetched whole.
	clock.advance(3 * 24 * time.Hour)
	second := &yearsFeed{now: clock.now}
	u2 := run(second)
	if e, ok, err := h.Load("NVDA"); err != nil || !ok || !e.Fetched.Equal(firstAt) || !lastDay(e.Series).Equal(lastDay(u2.SeriesFor(Range5Y)["NVDA"])) {
		t.Errorf("kept after the restart: fetched %v (want %v), ending %v, %v; want the extended years", e.Fetched, firstAt, lastDay(e.Series), err)
	}
	if second.longAsks() != 0 {
		t.Errorf("second start asked for the years %d times, want none", second.longAsks())
	}
	a, b := u1.SeriesFor(Range5Y)["NVDA"], u2.SeriesFor(Range5Y)["NVDA"]
	if len(b.Times) < len(a.Times) || !b.Times[0].Equal(a.Times[0]) || b.Closes[0] != a.Closes[0] {
		t.Errorf("the second start's years (%d bars from %v) are not the first's (%d from %v)", len(b.Times), b.Times[0], len(a.Times), a.Times[0])
	}
	sim := &yearsFeed{now: clock.now, simulated: true}
	simDir := &History{Dir: t.TempDir()}
	p := startPoller(t, sim, PollerOptions{Clock: clock.now, History: simDir}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"NVDA"}, Range: Range5Y})
	next(t, p)
	if _, ok, _ := simDir.Load("NVDA"); ok || sim.longAsks() != 1 {
		t.Errorf("simulated years kept on disk (%v) or not fetched (%d)", ok, sim.longAsks())
	}
}

// A split after the years were kept: the daily series, adjusted for it,
// rescales them, so a return across the split is the true one and the
// years are not fetched again.
func TestPollerRescalesTheYearsAfterASplit(t *testing.T) {
	dir := t.TempDir()
	h := &History{Dir: dir}
	clock := &stepClock{t: time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)}
	before := &yearsFeed{now: clock.now}
	p := startPoller(t, before, PollerOptions{Clock: clock.now, History: h}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"NVDA"}, Range: Range5Y})
	next(t, p)

	clock.advance(24 * time.Hour)
	after := &yearsFeed{now: clock.now, split: 4, splitDay: clock.now().Add(-time.Hour)}
	p = startPoller(t, after, PollerOptions{Clock: clock.now, History: h}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"NVDA"}, Range: Range5Y})
	s := next(t, p).SeriesFor(Range5Y)["NVDA"]
	if after.longAsks() != 0 {
		t.Errorf("the years were fetched again after the split")
	}
	// Day 0 closes at 100 before the split, 25 on the new scale.
	if s.Closes[0] != 25 {
		t.Errorf("first close %v, want 25 (100 on the old scale, split 4:1)", s.Closes[0])
	}
	n := len(s.Closes) - 1
	days := float64(s.Times[n].Sub(yearsFrom) / (24 * time.Hour))
	if want := (100 + days/10) / 4; s.Closes[n] != want {
		t.Errorf("last close %v, want %v", s.Closes[n], want)
	}
}

// A cache that cannot be written is said once, and the years stay in
// memory for the figures.
func TestPollerSaysOnceWhenTheYearsCannotBeKept(t *testing.T) {
	dir := t.TempDir()
	blocked := filepath.Join(dir, "history")
	if err := os.WriteFile(blocked, []byte("a file where the directory goes"), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var warned []error
	clock := &stepClock{t: time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)}
	f := &yearsFeed{now: clock.now}
	p := startPoller(t, f, PollerOptions{Clock: clock.now, History: &History{Dir: blocked},
		Warn: func(err error) { mu.Lock(); defer mu.Unlock(); warned = append(warned, err) }}, nil)
	p.SetWatch(Watch{Generation: 1, Symbols: []string{"NVDA", "AVGO"}, Range: Range5Y})
	u := next(t, p)
	mu.Lock()
	defer mu.Unlock()
	if len(warned) != 1 || !strings.Contains(warned[0].Error(), "cannot keep the years") {
		t.Errorf("warned %v, want once", warned)
	}
	if len(u.SeriesFor(Range5Y)) != 2 {
		t.Errorf("years of %d symbols held, want both", len(u.SeriesFor(Range5Y)))
	}
}
