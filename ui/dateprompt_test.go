package ui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

var (
	keyBackspace = tea.KeyPressMsg{Code: tea.KeyBackspace}
	keyCtrlC     = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	keyCtrlU     = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
)

// promptModel is the monitor on the built-in lists at the fixed clock,
// with no data, its watches recorded.
func promptModel(t *testing.T) (Model, *recordingSource) {
	t.Helper()
	src := &recordingSource{}
	m := New(Options{Source: src, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D, Currency: "local", Benchmark: "SPY"})
	return step(m, tea.WindowSizeMsg{Width: 120, Height: 40}), src
}

// typeText presses a key for each character of s.
func typeText(m Model, s string) Model {
	for _, r := range s {
		m = step(m, keyRune(r))
	}
	return m
}

// screenText is the frame without its styling.
func screenText(m Model) string { return ansi.Strip(m.View().Content) }

// TestDateRangeKeyAppliesADate: d, a date and enter show the range since
// that date and send the poller a watch for it, as ] and [ do; d again
// opens on that date, and a range's name is accepted too.
func TestDateRangeKeyAppliesADate(t *testing.T) {
	m, src := promptModel(t)
	m = step(m, keyRune('d'))
	if !m.prompt.Open() || m.prompt.Value() != "" {
		t.Fatalf("d: prompt open %v holding %q; want open and empty on 1D", m.prompt.Open(), m.prompt.Value())
	}
	if s := screenText(m); !strings.Contains(s, "since (YYYY-MM-DD): ") || !strings.Contains(s, "enter apply") {
		t.Fatalf("d: the prompt or its keys are not on the screen:\n%s", s)
	}
	m = typeText(m, "2025-01-27")
	gen := m.generation
	next, cmd := m.Update(keyEnter)
	m = next.(Model)
	if m.prompt.Open() || m.rng != "2025-01-27" || m.generation != gen+1 {
		t.Fatalf("enter: prompt open %v, range %q, generation %d; want closed, 2025-01-27, %d", m.prompt.Open(), m.rng, m.generation, gen+1)
	}
	if cmd == nil {
		t.Fatal("enter: no watch sent")
	}
	cmd()
	if src.watch.Range != "2025-01-27" || src.watch.Generation != m.generation {
		t.Errorf("the watch sent: range %q generation %d; want 2025-01-27, %d", src.watch.Range, src.watch.Generation, m.generation)
	}
	if m.report.Range != "2025-01-27" {
		t.Errorf("the figures are for %q, not recomputed for the date", m.report.Range)
	}

	m = step(m, keyRune('d'))
	if m.prompt.Value() != "2025-01-27" || !strings.Contains(screenText(m), "since (YYYY-MM-DD): 2025-01-27") {
		t.Fatalf("d on a date range: the prompt holds %q, want the date on screen", m.prompt.Value())
	}
	// Typing replaces the date it was opened with; an editing key keeps it.
	m = typeText(m, "2023-05-24")
	if m.prompt.Value() != "2023-05-24" {
		t.Errorf("typed over the prefilled date: %q", m.prompt.Value())
	}
	m = step(step(m, keyEsc), keyRune('d'))
	m = typeText(step(m, tea.KeyPressMsg{Code: tea.KeyBackspace}), "8")
	if m.prompt.Value() != "2025-01-28" {
		t.Errorf("backspace then 8 on the prefilled date: %q, want 2025-01-28", m.prompt.Value())
	}
	m = step(typeText(step(m, keyCtrlU), "5y"), keyEnter)
	if m.prompt.Open() || m.rng != feeds.Range5Y {
		t.Errorf("5y, enter: prompt open %v, range %q; want closed on 5Y", m.prompt.Open(), m.rng)
	}
	if m = step(m, keyRune(']')); m.rng != feeds.Range1D {
		t.Errorf("] after the prompt: range %q, want the cycle to go on (1D)", m.rng)
	}
}

// TestDatePromptFlow runs the program: q typed in the prompt does not end
// it (else the date would never be applied), esc and a second d, a date
// and enter show that date's range.
func TestDatePromptFlow(t *testing.T) {
	tm := startApp(t, watchlists.Defaults(), nil, 120, 40)
	waitFor(t, tm, "Inference vs Training", "SIMULATED")
	press(tm, keyRune('d'), keyRune('q'))
	waitFor(t, tm, "since (YYYY-MM-DD): ", "esc cancel")
	press(tm, keyEsc, keyRune('d'))
	for _, r := range "2025-01-27" {
		press(tm, keyRune(r))
	}
	press(tm, keyEnter)
	if m := finalModel(t, tm); m.rng != "2025-01-27" || m.prompt.Open() {
		t.Errorf("final state: range %q, prompt open %v; want 2025-01-27 and closed", m.rng, m.prompt.Open())
	}
}

// TestDatePromptRefusesAndKeepsTheEntry: a date that is no calendar date,
// or one after today, is refused beside the entry; the range, the watch
// and the prompt stay as they were, and an edit clears the refusal.
func TestDatePromptRefusesAndKeepsTheEntry(t *testing.T) {
	m, _ := promptModel(t)
	m = typeText(step(m, keyRune('d')), "2025-02-30")
	gen := m.generation
	next, cmd := m.Update(keyEnter)
	m = next.(Model)
	if !m.prompt.Open() || m.prompt.Value() != "2025-02-30" || m.rng != feeds.Range1D || m.generation != gen || cmd != nil {
		t.Fatalf("enter on 2025-02-30: open %v holding %q, range %q, generation %d, cmd %v; want it refused and nothing else changed",
			m.prompt.Open(), m.prompt.Value(), m.rng, m.generation, cmd)
	}
	if s := screenText(m); !strings.Contains(s, `2025-02-30   range "2025-02-30" is not a calendar date`) {
		t.Errorf("the refusal is not beside the entry:\n%s", s)
	}
	// In the smallest window the refusal loses its advice, then is cut.
	small := step(m, tea.WindowSizeMsg{Width: minWidth, Height: minHeight})
	requireFits(t, "the refusal", small.View().Content, minWidth, minHeight)
	if s := screenText(small); !strings.Contains(s, `2025-02-30   range "2025-02-30" is not …`) {
		t.Errorf("the refusal at %dx%d:\n%s", minWidth, minHeight, s)
	}
	if m = step(m, keyBackspace); strings.Contains(screenText(m), "not a calendar date") {
		t.Error("the refusal stayed after the entry changed")
	}

	// testNow is 2026-11-20: the day after is refused with Check's words,
	// the day itself is a range.
	m = step(typeText(step(m, keyCtrlU), "2026-11-21"), keyEnter)
	want := feeds.Range("2026-11-21").Check(testNow)
	if want == nil {
		t.Fatal("Check accepts the day after testNow")
	}
	if !m.prompt.Open() || m.rng != feeds.Range1D || !strings.Contains(screenText(m), want.Error()) {
		t.Errorf("a future date: open %v, range %q; want it refused with %q on the screen:\n%s", m.prompt.Open(), m.rng, want, screenText(m))
	}
	m = step(typeText(step(m, keyCtrlU), "2026-11-20"), keyEnter)
	if m.prompt.Open() || m.rng != "2026-11-20" {
		t.Errorf("today: open %v, range %q; want it applied", m.prompt.Open(), m.rng)
	}
}

// TestDatePromptTakesOnlyADatesCharacters: digits, '-' and letters, ten
// at most; a paste keeps only those; the cursor moves and edits.
func TestDatePromptTakesOnlyADatesCharacters(t *testing.T) {
	m, _ := promptModel(t)
	m = typeText(step(m, keyRune('d')), "2025 /01.27é-0127x")
	if got := m.prompt.Value(); got != "20250127-0" {
		t.Errorf("typed with a space, a slash, a dot, an é and past ten: %q, want %q", got, "20250127-0")
	}
	m = step(step(m, keyCtrlU), tea.PasteMsg{Content: " 2025-01-27\n\x1b[2J"})
	if got := m.prompt.Value(); got != "2025-01-27" {
		t.Errorf("pasted: %q, want 2025-01-27", got)
	}
	// 2025-01-|27: two back, out with "-1", in with "2-"; the 3 has no room.
	m = step(step(step(step(m, keyLeft), keyLeft), keyBackspace), keyBackspace)
	m = typeText(m, "2-3")
	if got := m.prompt.Value(); got != "2025-02-27" {
		t.Errorf("edited in the middle: %q, want 2025-02-27", got)
	}
}

// TestDatePromptEscCancelsAndQTypes: while the prompt is open it has every
// key: q types, esc cancels (and closes no detail behind it), ctrl+c
// quits. It opens from every screen ] and [ work on.
func TestDatePromptEscCancelsAndQTypes(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 120, 40)
	m = step(step(m, keyRune('3')), keyEnter) // a symbol's detail over GPUs
	if !m.detail.Open() {
		t.Fatal("the detail did not open")
	}
	m = step(m, keyRune('d'))
	next, cmd := m.Update(keyRune('q'))
	m = next.(Model)
	if cmd != nil || !m.prompt.Open() || m.prompt.Value() != "q" {
		t.Fatalf("q in the prompt: cmd %v, open %v, holding %q; want it typed", cmd, m.prompt.Open(), m.prompt.Value())
	}
	m = step(m, keyEsc)
	if m.prompt.Open() || m.rng != feeds.Range1D || !m.detail.Open() {
		t.Errorf("esc: prompt open %v, range %q, detail open %v; want the prompt gone and the rest as it was", m.prompt.Open(), m.rng, m.detail.Open())
	}
	if s := screenText(m); strings.Contains(s, "since (YYYY-MM-DD)") {
		t.Errorf("the prompt is still drawn after esc:\n%s", s)
	}
	m = step(m, keyRune('d'))
	if _, cmd := m.Update(keyCtrlC); cmd == nil {
		t.Error("ctrl+c in the prompt: no command")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Errorf("ctrl+c in the prompt: %T, want tea.QuitMsg", cmd())
	}

	// The question before writing the built-in lists has its own keys.
	q := step(step(step(m, keyEsc), keyEsc), keyRune('e'))
	if q = step(q, keyRune('d')); q.prompt.Open() {
		t.Error("d opened the prompt over the question")
	}
}

// TestDatePromptClickOutsideCancels: a click off the prompt's line closes
// it and does nothing else; one on it leaves it open.
func TestDatePromptClickOutsideCancels(t *testing.T) {
	m, _ := promptModel(t)
	m = typeText(step(m, keyRune('d')), "2025")
	_, y := screenAt(t, m, "since (YYYY-MM-DD)")
	if on := step(m, tea.MouseClickMsg{X: 30, Y: y, Button: tea.MouseLeft}); !on.prompt.Open() {
		t.Error("a click on the prompt's line closed it")
	}
	tabX, tabY := screenAt(t, m, "3 GPUs")
	m = step(m, tea.MouseClickMsg{X: tabX + 2, Y: tabY, Button: tea.MouseLeft})
	if m.prompt.Open() || m.tabs.ActiveFile() != "" || m.rng != feeds.Range1D {
		t.Errorf("a click on a tab: prompt open %v, tab %q, range %q; want only the prompt closed", m.prompt.Open(), m.tabs.ActiveFile(), m.rng)
	}
}

// TestDateRangeKeyInHelp: d is bound to nothing else, the full help lists
// it beside the range keys, and the footer shows the prompt's keys while
// it is open, the full help put aside till it closes.
func TestDateRangeKeyInHelp(t *testing.T) {
	k := DefaultKeyMap()
	for _, group := range k.FullHelp() {
		for _, b := range group {
			if b.Help() != k.DateRange.Help() && key.Matches(keyRune('d'), b) {
				t.Errorf("d is also %q", b.Help().Desc)
			}
		}
	}
	m, _ := promptModel(t)
	m = step(m, keyRune('?'))
	// In the range keys' column, right after them.
	rangeX, rangeY := screenAt(t, m, "next range")
	if x, y := screenAt(t, m, "since date"); y != rangeY+1 || x != rangeX {
		t.Fatalf("the full help lists d at %d,%d, not under ] next range:\n%s", x, y, screenText(m))
	}
	body := m.bodyHeight()
	m = step(m, keyRune('d'))
	s := screenText(m)
	lines := strings.Split(s, "\n")
	if got := lines[len(lines)-1]; !strings.Contains(got, "enter apply") || !strings.Contains(got, "esc cancel") || !strings.Contains(got, "ctrl+c quit") {
		t.Errorf("footer %q; want the prompt's keys", got)
	}
	if !strings.HasPrefix(lines[len(lines)-2], "since (YYYY-MM-DD): ") || len(lines) != 40 || m.bodyHeight() <= body {
		t.Errorf("the prompt's line is not above the footer, or the frame is not 40 lines (%d) with the body regrown:\n%s", len(lines), s)
	}
	if m = step(m, keyEsc); !strings.Contains(screenText(m), "since date") {
		t.Error("the full help did not come back after esc")
	}
}

// TestDatePromptGolden is the screen with the prompt open over a segment
// tab: an entry typed, and one refused.
func TestDatePromptGolden(t *testing.T) {
	for _, c := range []struct {
		name  string
		keys  string
		enter bool
	}{{"typed", "2025-01-27", false}, {"refused", "2025-02-30", true}} {
		t.Run(c.name, func(t *testing.T) {
			m := simModel(t, watchlists.Defaults(), 120, 40)
			m = step(m, clockTickedMsg{testNow})
			m = typeText(step(step(m, keyRune('3')), keyRune('d')), c.keys)
			if c.enter {
				m = step(m, keyEnter)
			}
			requireFits(t, c.name, m.View().Content, 120, 40)
			requireGolden(t, m.View().Content)
		})
	}
}
