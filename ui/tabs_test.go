package ui

import (
	tea "charm.land/bubbletea/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestActiveTabMarkedWithoutColour: with every style stripped, as on a dumb
// terminal, the active tab still stands out, and a click finds each tab.
func TestActiveTabMarkedWithoutColour(t *testing.T) {
	s := NewStyles(true)
	bar := newTabBar(&s)
	bar.SetSize(120)
	bar.SetTabs([]tabInfo{{File: "a.yaml", Title: "GPUs", Era: watchlists.Training}, {Title: "Book", Book: true},
		{File: "b.yaml", Title: "Optics", Era: watchlists.Inference}})
	for i, want := range []string{"[0 Rotation]", "[1 GPUs]", "[2 Book]", "[3 Optics]"} {
		bar.Jump(i)
		plain := ansi.Strip(bar.View())
		if !strings.Contains(plain, want) || strings.Count(plain, "[") != 1 {
			t.Errorf("tab %d active: %q, want only %s in brackets", i, plain, want)
		}
		x := strings.Index(plain, want)
		if got, ok := bar.At(ansi.StringWidth(plain[:x]) + 1); !ok || got != i {
			t.Errorf("a click on %s finds tab %d (%v)", want, got, ok)
		}
	}
	if _, ok := bar.At(119); ok {
		t.Error("a click past the last tab finds one")
	}
}

// TestTabsPastTheNinthHaveKeys: alt+1 opens the tenth tab, whose label says so.
func TestTabsPastTheNinthHaveKeys(t *testing.T) {
	set := watchlists.Defaults() // 14 segments
	m := New(Options{Source: idleSource{}, Clock: fixedClock, Set: set, Range: "1D", Currency: "local", Benchmark: "SPY"})
	m = step(m, tea.WindowSizeMsg{Width: 200, Height: 40})
	m = step(m, tea.KeyPressMsg{Code: '1', Mod: tea.ModAlt})
	if got, want := m.tabs.ActiveFile(), set.Segments[9].File; got != want {
		t.Errorf("alt+1 opened %q, want the tenth tab %q", got, want)
	}
	if !strings.Contains(ansi.Strip(m.tabs.View()), "⌥1 "+set.Segments[9].Name) {
		t.Errorf("tab bar %q does not label the tenth tab with its key", ansi.Strip(m.tabs.View()))
	}
}

// The home screen marks each segment with the number of its tab, which a
// Book tab ahead of the lists shifts: the number is the key that opens it.
func TestTabNumbersAreTheKeysThatOpenThem(t *testing.T) {
	s := NewStyles(true)
	bar := newTabBar(&s)
	bar.SetSize(160)
	bar.SetTabs([]tabInfo{{Title: "Book", Book: true}, {File: "a.yaml", Title: "GPUs", Era: watchlists.Training},
		{File: "b.yaml", Title: "Optics", Era: watchlists.Inference}})
	numbers := bar.Numbers()
	if len(numbers) != 2 {
		t.Fatalf("numbers %v: want the two lists only", numbers)
	}
	for file, n := range numbers {
		bar.Jump(n)
		if got := bar.ActiveFile(); got != file {
			t.Errorf("%s is numbered %d, but tab %d is %q", file, n, n, got)
		}
	}
	v := newRotationView(&s)
	v.SetTabNumbers(numbers)
	titled := v.titled([]baskets.SegmentResult{{File: "b.yaml", Name: "Optics"}, {File: "gone.yaml", Name: "Gone"}})
	if titled[0].Name != "3 Optics" || titled[1].Name != "Gone" {
		t.Errorf("titled: %q, %q", titled[0].Name, titled[1].Name)
	}
}
