package ui

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// bookApp is the model with a book of two lots and two rules: NVDA above
// 150 and the inference era entering the leading quadrant.
func bookApp(t *testing.T) (Model, string) {
	t.Helper()
	h, fe := book.Parse("holdings.yaml", []byte("positions:\n  - {symbol: NVDA, quantity: 10, cost: 100}\n  - {symbol: PLTR, quantity: 4, cost: 80}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	rules, fe := alerts.Parse("alerts.yaml", []byte("- {when: price, symbol: NVDA, above: 150}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	dir := t.TempDir()
	tracker, err := alerts.OpenTracker(filepath.Join(dir, "alerts.state.json"))
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "alerts.log")
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D,
		Currency: "local", Benchmark: "SPY", HoldingsPath: "holdings.yaml", Holdings: h,
		AlertsPath: "alerts.yaml", Rules: rules, Alerts: tracker, AlertLog: log})
	return step(m, tea.WindowSizeMsg{Width: 120, Height: 40}), log
}

// priced is a refresh with NVDA at price and PLTR at 100.
func priced(m Model, price float64) quotesUpdatedMsg {
	return quotesUpdatedMsg{feeds.Update{Generation: m.generation, Quotes: map[string]feeds.Quote{
		"NVDA": {Symbol: "NVDA", Price: price, PreviousClose: 140, Currency: "USD"},
		"PLTR": {Symbol: "PLTR", Price: 100, PreviousClose: 98, Currency: "USD"},
	}, Health: feeds.Health{Feed: "sim", State: feeds.StateSimulated, Simulated: true}}}
}

// run applies msg and every command it returns, as the runtime would,
// except the waits on channels, and collects what reached the terminal raw.
func run(t *testing.T, m Model, msg tea.Msg) (Model, []string) {
	t.Helper()
	next, cmd := m.Update(msg)
	var raw []string
	var drain func(tea.Cmd)
	drain = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch out := c().(type) {
		case tea.BatchMsg:
			for _, c := range out {
				drain(c)
			}
		case tea.RawMsg:
			raw = append(raw, out.Msg.(string))
		case alertsRecordedMsg:
			if out.Err != nil {
				t.Errorf("recording alerts: %v", out.Err)
			}
		}
	}
	drain(cmd)
	return next.(Model), raw
}

func logLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	for s := bufio.NewScanner(f); s.Scan(); {
		out = append(out, s.Text())
	}
	return out
}

func TestAlertFiresOnceAcrossRefreshesAndIsLoggedOnce(t *testing.T) {
	m, log := bookApp(t)
	m, raw := run(t, m, priced(m, 140))
	if len(raw) != 0 || len(logLines(t, log)) != 0 {
		t.Fatalf("a rule that does not hold rang %q and logged %v", raw, logLines(t, log))
	}
	m, raw = run(t, m, priced(m, 151))
	if len(raw) != 1 || raw[0] != "\a" {
		t.Errorf("crossing 150 sent %q, want one bell", raw)
	}
	view := ansi.Strip(m.View().Content)
	if !strings.Contains(view, "🔔 15:00:00  NVDA price 151.00 is above 150 (simulated data)") {
		t.Errorf("no alert banner:\n%s", view)
	}
	for _, p := range []float64{152, 155, 151} { // still above: nothing more
		if m, raw = run(t, m, priced(m, p)); len(raw) != 0 {
			t.Errorf("at %v the alert fired again: %q", p, raw)
		}
	}
	if lines := logLines(t, log); len(lines) != 1 || !strings.Contains(lines[0], `"message":"NVDA price 151.00 is above 150 (simulated data)"`) {
		t.Errorf("log %q, want the one firing", lines)
	}
	m, _ = run(t, m, priced(m, 149)) // clears: re-armed
	if _, raw = run(t, m, priced(m, 150.5)); len(raw) != 1 {
		t.Errorf("after clearing, crossing again sent %q, want one bell", raw)
	}
	if n := len(logLines(t, log)); n != 2 {
		t.Errorf("%d log lines after two crossings", n)
	}
}

func TestAlertBannerLeavesAfterTenMinutes(t *testing.T) {
	m, _ := bookApp(t)
	m, _ = run(t, m, priced(m, 160))
	h := m.bodyHeight()
	if !strings.Contains(m.View().Content, "🔔") {
		t.Fatal("no banner after firing")
	}
	m = step(m, clockTickedMsg{Now: testNow.Add(11 * time.Minute)})
	if strings.Contains(m.View().Content, "🔔") || m.bodyHeight() != h+1 {
		t.Errorf("banner still shown or body not grown back (%d, was %d)", m.bodyHeight(), h)
	}
}

func TestNotifyByOSCOrCommand(t *testing.T) {
	m, _ := bookApp(t)
	m.opts.NotifyOSC = "777"
	_, raw := run(t, m, priced(m, 160))
	if len(raw) != 2 || !strings.HasPrefix(raw[1], "\x1b]777;notify;rotation alert;NVDA price 160.00") {
		t.Errorf("OSC 777 notification %q", raw)
	}
	m, _ = bookApp(t)
	var sent []string
	m.opts.Notify = func(title, body string) error { sent = append(sent, title+": "+body); return nil }
	run(t, m, priced(m, 160))
	if len(sent) != 1 || sent[0] != "rotation alert: NVDA price 160.00 is above 150 (simulated data)" {
		t.Errorf("--notify-cmd got %q", sent)
	}
}

func TestBookTabAndExposureLine(t *testing.T) {
	m, _ := bookApp(t)
	m, _ = run(t, m, priced(m, 120))
	if !strings.Contains(m.View().Content, "your book: 75% training, 0% inference, 25% other") {
		t.Errorf("no exposure line on the Rotation tab:\n%s", m.View().Content)
	}
	m = step(m, keyRune('1'))
	if !m.tabs.OnBook() {
		t.Fatal("1 does not open the Book tab")
	}
	view := ansi.Strip(m.View().Content)
	for _, want := range []string{"1 Book", "value $1,600.00", "NVDA", "PLTR", "unclassified"} {
		if !strings.Contains(view, want) {
			t.Errorf("Book tab lacks %q:\n%s", want, view)
		}
	}
	// A broken save keeps the last good book and says why, every error in
	// the banner.
	m = step(m, HoldingsChangedMsg{Errs: []*watchlists.FileError{
		{Path: "holdings.yaml", Line: 2, Col: 5, Msg: "quantity is required"},
		{Path: "holdings.yaml", Line: 4, Col: 7, Msg: `unknown field "cots": did you mean cost?`}}})
	view = ansi.Strip(m.View().Content)
	if !strings.Contains(view, "holdings.yaml:2:5: quantity is required") || !strings.Contains(view, "holdings.yaml:4:7") ||
		!strings.Contains(view, "and 1 more above") || !strings.Contains(view, "PLTR") {
		t.Errorf("broken holdings save:\n%s", view)
	}
	m = step(m, HoldingsChangedMsg{Holdings: book.Holdings{Path: "holdings.yaml"}})
	if strings.Contains(m.View().Content, "quantity is required") || strings.Contains(m.View().Content, "PLTR") {
		t.Errorf("fixed save did not replace the book:\n%s", m.View().Content)
	}
}

// TestBannerSaysWhatKeepsRunning: a broken file that once loaded keeps its
// last good version; one that never did says so; long errors wrap.
func TestBannerSaysWhatKeepsRunning(t *testing.T) {
	set := watchlists.Defaults()
	set.Source = "/w"
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: set, Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	long := "symbol \"NOT A SYMBOL\" is not a Yahoo symbol: use 1-24 of A-Z 0-9 ^ = . - (e.g. NVDA, 000660.KS, ^GSPC)"
	m.fileErrors = []*watchlists.FileError{
		{Path: "/w/10-gpus.yaml", Line: 3, Col: 5, Msg: "era is required"},
		{Path: "/w/99-new.yaml", Line: 7, Col: 3, Msg: long},
	}
	lines := strings.Split(ansi.Strip(m.banner()), "\n")
	if len(lines) != 3 {
		t.Fatalf("banner of %d lines, want 1 + 2:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	if !strings.Contains(lines[0], "10-gpus.yaml:3:5: era is required  (last good version kept)") {
		t.Errorf("a file that loaded before: %q", lines[0])
	}
	if !strings.Contains(lines[1], "99-new.yaml:7:3: symbol") || !strings.Contains(lines[2], "(not loaded)") {
		t.Errorf("a new broken file, wrapped: %q / %q", lines[1], lines[2])
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("banner line %d wide: %q", ansi.StringWidth(l), l)
		}
	}
}

// TestLongStatusCutsAtAWordAndShowsWholeWithHelp.
func TestLongStatusCutsAtAWordAndShowsWholeWithHelp(t *testing.T) {
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	m = step(m, tea.WindowSizeMsg{Width: 60, Height: 24})
	m.status = "cannot write the snapshot to /home/someone/.cache/rotation/snapshot.json: no space left on device"
	line := ansi.Strip(m.statusLine())
	if !strings.HasSuffix(line, "… ? more") || ansi.StringWidth(line) > 60 || strings.Contains(line, "snapshot.json") {
		t.Errorf("cut status %q", line)
	}
	if cut := strings.TrimSuffix(line, " … ? more"); !strings.HasPrefix(m.status, cut) || m.status[len(cut)] != ' ' {
		t.Errorf("status %q is not cut at a word", line)
	}
	m = step(m, keyRune('?'))
	whole := ansi.Strip(m.statusLine())
	if !strings.Contains(strings.ReplaceAll(whole, "\n", " "), "no space left on device") {
		t.Errorf("with ? the status is %q", whole)
	}
	requireFits(t, "help and a long status", m.View().Content, 60, 24)
}

// TestEmptyDirectorySaysWhatToDo: when every watchlist is gone the home
// screen says so and how to fix it.
func TestEmptyDirectorySaysWhatToDo(t *testing.T) {
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	m = step(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = step(m, watchlistsReloadedMsg{watchlists.Reload{Set: watchlists.Set{Source: "/home/me/lists"}}})
	view := ansi.Strip(m.View().Content)
	if !strings.Contains(view, "no loadable watchlist in /home/me/lists") || !strings.Contains(view, "rotation init /home/me/lists") {
		t.Errorf("empty directory:\n%s", view)
	}
}

// TestRuleNamingNoSegmentIsReportedUntilTheSegmentExists: the check runs
// when the rules or the watchlists change.
func TestRuleNamingNoSegmentIsReportedUntilTheSegmentExists(t *testing.T) {
	rules, fe := alerts.Parse("alerts.yaml", []byte("- {when: quadrant, segment: Robots, enters: leading}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	tracker, _ := alerts.OpenTracker("")
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D,
		Currency: "local", Benchmark: "SPY", AlertsPath: "alerts.yaml", Rules: rules, Alerts: tracker})
	m = step(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	if !strings.Contains(ansi.Strip(m.banner()), "Robots") {
		t.Fatalf("banner %q does not name the unknown segment", ansi.Strip(m.banner()))
	}
	set := watchlists.Defaults()
	set.Segments = append(set.Segments, watchlists.Segment{File: "99-robots.yaml", Name: "Robots", Era: watchlists.Inference,
		Symbols: []watchlists.Symbol{{Symbol: "ABB", Weight: 1}}})
	m = step(m, watchlistsReloadedMsg{watchlists.Reload{Set: set}})
	if b := ansi.Strip(m.banner()); strings.Contains(b, "Robots") {
		t.Errorf("after the segment appeared the banner still says %q", b)
	}
}
