package ui

import (
	"bytes"
	"context"
	"github.com/charmbracelet/x/ansi"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/watchlists"
)

// testNow is a Friday with New York and Europe open and Asia closed.
var testNow = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// startApp runs the whole UI on the simulated market at a fixed clock, the
// way main wires it, with size, environment and colour profile pinned.
func startApp(t *testing.T, set watchlists.Set, reloads <-chan watchlists.Reload, w, h int) *teatest.TestModel {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	feed := sim.New(sim.Options{Seed: 7, Clock: fixedClock})
	poller := feeds.NewPoller(feed, feeds.PollerOptions{Clock: fixedClock, Refresh: time.Hour, ClosedRefresh: time.Hour}, nil)
	done := make(chan struct{})
	go func() { poller.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	m := New(Options{Source: poller, Clock: fixedClock, Set: set, Reloads: reloads, Range: feeds.Range1D,
		Currency: "local", Benchmark: "SPY", Editor: "true"})
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII),
			tea.WithEnvironment([]string{"TERM=xterm-256color", "NO_COLOR=", "LANG=en_US.UTF-8"})))
}

// waitFor waits until the screen output contains every one of want.
func waitFor(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func press(tm *teatest.TestModel, keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		tm.Send(k)
	}
}

func keyRune(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

var (
	keyTab      = tea.KeyPressMsg{Code: tea.KeyTab}
	keyShiftTab = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	keyRight    = tea.KeyPressMsg{Code: tea.KeyRight}
	keyLeft     = tea.KeyPressMsg{Code: tea.KeyLeft}
	keyEnter    = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEsc      = tea.KeyPressMsg{Code: tea.KeyEscape}
)

func finalModel(t *testing.T, tm *teatest.TestModel) Model {
	t.Helper()
	press(tm, keyRune('q'))
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
}

// TestTabKeysMoveThroughTheValueChain drives the model directly, one key at
// a time, checking the active tab after each.
func TestTabKeysMoveThroughTheValueChain(t *testing.T) {
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	m = step(m, tea.WindowSizeMsg{Width: 160, Height: 48})
	steps := []struct {
		key  tea.KeyPressMsg
		file string
	}{
		{keyTab, "01-benchmarks.yaml"},
		{keyRune('l'), "02-renewables.yaml"},
		{keyRight, "10-gpus.yaml"},
		{keyRune('h'), "02-renewables.yaml"},
		{keyLeft, "01-benchmarks.yaml"},
		{keyShiftTab, ""},
		{keyShiftTab, "25-nuclear-gas.yaml"},
		{keyTab, ""},
		{keyRune('5'), "12-hbm.yaml"},
		{keyRune('0'), ""},
		{keyRune('9'), "20-custom-silicon.yaml"},
	}
	for i, s := range steps {
		m = step(m, s.key)
		if got := m.tabs.ActiveFile(); got != s.file {
			t.Fatalf("step %d (%s): active tab %q, want %q", i, s.key.String(), got, s.file)
		}
	}
}

// idleSource is a poller that never refreshes.
type idleSource struct{}

func (idleSource) Updates() <-chan feeds.Update { return nil }
func (idleSource) SetWatch(feeds.Watch)         {}
func (idleSource) RefreshNow()                  {}

func step(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

func TestRangeDetailAndResizeFlow(t *testing.T) {
	tm := startApp(t, watchlists.Defaults(), nil, 120, 40)
	waitFor(t, tm, "Inference vs Training", "1D local", "SIMULATED")

	// The renderer sends only the cells that change, so intermediate states
	// are checked on the final model rather than searched for in the stream.
	press(tm, keyRune(']'), keyRune('['), keyRune('['))
	// Every tab key, ending on the Rotation tab: tab, l, →, h, ←, shift+tab.
	press(tm, keyTab, keyRune('l'), keyRight, keyRune('h'), keyLeft, keyShiftTab)

	press(tm, keyRune('3'), keyRune('j'), keyEnter)
	waitFor(t, tm, "esc back", "AMD")
	press(tm, keyEsc)

	tm.Send(tea.WindowSizeMsg{Width: 50, Height: 12})
	waitFor(t, tm, "window too small: 50x12;", "rotation needs at least 60x16")
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})

	m := finalModel(t, tm)
	if m.rng != feeds.Range5Y || m.detail.Open() || m.tabs.ActiveFile() != "10-gpus.yaml" {
		t.Errorf("final state: range %s, detail open %v, tab %q", m.rng, m.detail.Open(), m.tabs.ActiveFile())
	}
	if v := m.View().Content; strings.Contains(v, "too small") {
		t.Errorf("still too small after growing back to 80x24:\n%s", v)
	}
}

// TestWatchlistReloadAddsRemovesAndReportsBrokenFiles edits a real watched
// directory the way an editor would and watches the tabs follow.
func TestWatchlistReloadAddsRemovesAndReportsBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("10-gpus.yaml", "name: GPUs\nera: training\nsymbols: [NVDA, AMD]\n")
	write("20-asic.yaml", "name: ASIC designers\nera: inference\nsymbols: [AVGO, MRVL]\n")
	set, errs := watchlists.LoadDir(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reloads, err := (watchlists.Watcher{Dir: dir, Debounce: 50 * time.Millisecond}).Watch(ctx, set)
	if err != nil {
		t.Fatal(err)
	}
	tm := startApp(t, set, reloads, 120, 40)
	waitFor(t, tm, "GPUs", "ASIC designers")

	write("30-optics.yaml", "name: Optics\nera: inference\nsymbols: [COHR, LITE]\n")
	waitFor(t, tm, "3 Optics")
	if err := os.Remove(filepath.Join(dir, "10-gpus.yaml")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "1 ASIC designers", "2 Optics")
	write("20-asic.yaml", "name: ASIC designers\nera: inference\nsymbols:\n  - symbol: AVGO\n    wieght: 2\n")
	waitFor(t, tm, "20-asic.yaml:5:5", "last good version kept")

	m := finalModel(t, tm)
	if len(m.set.Segments) != 2 || len(m.fileErrors) != 1 {
		t.Errorf("segments %d, errors %d; want 2 (the broken file's last good version kept) and 1", len(m.set.Segments), len(m.fileErrors))
	}
}

func TestRangeKeysCycleAndStaleRepliesAreDropped(t *testing.T) {
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	m = step(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, s := range []struct {
		key tea.KeyPressMsg
		rng feeds.Range
	}{{keyRune(']'), feeds.Range5D}, {keyRune('['), feeds.Range1D}, {keyRune('['), feeds.Range5Y}, {keyRune('['), feeds.Range3Y}} {
		m = step(m, s.key)
		if m.rng != s.rng {
			t.Fatalf("after %s: range %s, want %s", s.key.String(), m.rng, s.rng)
		}
	}
	gen := m.generation
	quotes := map[string]feeds.Quote{"NVDA": {Symbol: "NVDA", Price: 100, PreviousClose: 99}}
	m = step(m, quotesUpdatedMsg{feeds.Update{Generation: gen - 1, Quotes: quotes}})
	if len(m.update.Quotes) != 0 {
		t.Fatal("a reply for an older generation (before the range changed) was applied")
	}
	m = step(m, quotesUpdatedMsg{feeds.Update{Generation: gen, Quotes: quotes}})
	if m.update.Quotes["NVDA"].Price != 100 {
		t.Fatal("a reply for the current generation was dropped")
	}
	m = step(m, keyRune('c'))
	if m.currency != "USD" || m.report.Currency != "USD" {
		t.Errorf("c: currency %s, report in %s; want USD", m.currency, m.report.Currency)
	}
}

// Editing the built-in lists asks first; without a way to write them the
// answer is a message, not a crash.
func TestEditingBuiltInListsAsksFirst(t *testing.T) {
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	m = step(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = step(m, keyRune('e'))
	if !m.confirm.open || !strings.Contains(m.View().Content, "built into rotation") {
		t.Fatal("e on the built-in lists did not ask before writing them")
	}
	m = step(m, keyRune('y'))
	if m.confirm.open || !strings.Contains(m.status, "rotation init") {
		t.Errorf("after y: confirm open %v, status %q", m.confirm.open, m.status)
	}
}

// w puts the rotation map on weekly closes and back; the title says which.
func TestMapModeKey(t *testing.T) {
	tm := startApp(t, watchlists.Defaults(), nil, 160, 48)
	waitFor(t, tm, "Rotation map", "SIMULATED")
	// The renderer sends only changed cells: the final model is checked.
	press(tm, keyRune('w'), keyRune('w'), keyRune('w'))
	m := finalModel(t, tm)
	if m.report.RotationMode != "weekly" || !strings.Contains(ansi.Strip(m.render()), "Rotation map · weekly") {
		t.Errorf("after w three times: mode %q; want weekly, and the title saying so", m.report.RotationMode)
	}
}

// b cycles the basket weights file -> equal -> cap -> file.
func TestWeightingKey(t *testing.T) {
	tm := startApp(t, watchlists.Defaults(), nil, 120, 40)
	waitFor(t, tm, "Rotation map", "SIMULATED")
	press(tm, keyRune('b'), keyRune('b'))
	if m := finalModel(t, tm); m.report.Weighting != "cap" {
		t.Errorf("after b twice: weighting %q, want cap", m.report.Weighting)
	}
}
