package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
)

func rotationAt(t testing.TB, dark bool, w, h int, r baskets.Report) rotationView {
	t.Helper()
	s := NewStyles(dark)
	v := newRotationView(&s)
	v.SetSize(w, h)
	v.SetReport(r)
	return v
}

// requireRotationFits fails when a view is taller than h or any line wider than w.
func requireRotationFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Fatalf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%dx%d: line %d is %d wide: %q", w, h, i, lw, ansi.Strip(l))
		}
	}
}

func TestRotationGolden80x24(t *testing.T) {
	requireGolden(t, rotationAt(t, true, 80, 24, fixtureReport()).View())
}

func TestRotationGolden120x40(t *testing.T) {
	requireGolden(t, rotationAt(t, true, 120, 40, fixtureReport()).View())
}

func TestRotationGolden200x60(t *testing.T) {
	requireGolden(t, rotationAt(t, true, 200, 60, fixtureReport()).View())
}

func TestRotationGoldenLight(t *testing.T) {
	requireGolden(t, rotationAt(t, false, 120, 40, fixtureReport()).View())
}

func TestRotationGoldenRatioSorted(t *testing.T) {
	v := rotationAt(t, true, 120, 40, fixtureReport())
	v.ToggleChart()
	v.CycleSort()
	requireGolden(t, v.View())
}

func TestRotationWaitsForFirstQuotes(t *testing.T) {
	r := fixtureReport()
	for i := range r.Segments {
		r.Segments[i].Coverage.Priced = 0
	}
	view := rotationAt(t, true, 80, 24, r).View()
	if !strings.Contains(view, "waiting for the first quotes…") {
		t.Fatalf("no waiting note in:\n%s", view)
	}
	requireGolden(t, view)
	if empty := rotationAt(t, true, 80, 24, baskets.Report{}).View(); empty != view {
		t.Errorf("a report without segments should also wait, got:\n%s", empty)
	}
}

func TestRotationToggleChart(t *testing.T) {
	v := rotationAt(t, true, 120, 40, fixtureReport())
	before := v.View()
	v.ToggleChart()
	after := v.View()
	if before == after {
		t.Fatal("ToggleChart did not change the view")
	}
	if !strings.Contains(ansi.Strip(after), "parity 100") || strings.Contains(ansi.Strip(before), "parity") {
		t.Errorf("the parity line should be drawn only in ratio mode")
	}
	v.ToggleChart()
	if v.View() != before {
		t.Error("toggling twice should restore the index chart")
	}
}

func TestRotationCycleSortOrdersCardsByReturn(t *testing.T) {
	v := rotationAt(t, true, 200, 60, fixtureReport())
	cards := func() string { // the part below the headline and the map
		view := ansi.Strip(v.View())
		return view[strings.Index(view, "Segments ·"):]
	}
	fileOrder := cards()
	v.CycleSort()
	byReturn := cards()
	if !strings.Contains(fileOrder, "file order") || !strings.Contains(byReturn, "by return") {
		t.Fatal("the sort label is missing")
	}
	// Optical interconnect has the best return and Servers & ODMs the worst.
	best, worst := strings.Index(byReturn, "Optical interconnect"), strings.Index(byReturn, "Servers & ODMs")
	if best < 0 || worst < 0 || best > worst {
		t.Errorf("by return: best at %d, worst at %d", best, worst)
	}
	if strings.Index(fileOrder, "GPUs & accelerators") > strings.Index(fileOrder, "Optical interconnect") {
		t.Error("file order should start with the first file")
	}
	v.CycleSort()
	if cards() != fileOrder {
		t.Error("cycling twice should restore file order")
	}
}

func TestRotationFitsEverySize(t *testing.T) {
	r := fixtureReport()
	// The sizes around every layout switch (the wide layout from 110x20, the
	// card sizes, the too-small limit) and the common terminals.
	for _, w := range []int{60, 61, 70, 79, 80, 99, 109, 110, 111, 120, 137, 160, 161, 200, 220} {
		for _, h := range []int{10, 16, 17, 19, 20, 21, 24, 30, 36, 40, 48, 60, 70} {
			v := rotationAt(t, true, w, h, r)
			requireRotationFits(t, v.View(), w, h)
			v.ToggleChart()
			v.CycleSort()
			requireRotationFits(t, v.View(), w, h)
		}
	}
}

func TestRotationCleansNames(t *testing.T) {
	r := fixtureReport()
	r.Segments[0].Name = "GPUs\x1b[31m\x07 evil"
	r.Benchmark.Symbol = "SPY\x1b]0;pwned\x07"
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		view := rotationAt(t, true, size[0], size[1], r).View()
		if strings.Contains(view, "\x07") || strings.Contains(view, "pwned") || strings.Contains(view, "\x1b[31m") {
			t.Fatalf("%v: control sequence from a name reached the screen", size)
		}
	}
}

func TestRotationRedrawsWhenThemeChanges(t *testing.T) {
	s := NewStyles(true)
	v := newRotationView(&s)
	v.SetSize(120, 40)
	v.SetReport(fixtureReport())
	s = NewStyles(false)
	v.Restyle()
	light := rotationAt(t, false, 120, 40, fixtureReport()).View()
	if v.View() != light {
		t.Error("after Restyle, View should draw with the new styles")
	}
}

func BenchmarkRotationView(b *testing.B) {
	v := rotationAt(b, true, 200, 60, fixtureReport())
	b.ReportAllocs()
	for b.Loop() {
		_ = v.View()
	}
}

// BenchmarkRotationSetReport is the cost of one refresh: drawing the whole
// screen, charts included, which View then reuses.
func BenchmarkRotationSetReport(b *testing.B) {
	r := fixtureReport()
	v := rotationAt(b, true, 200, 60, r)
	b.ReportAllocs()
	for b.Loop() {
		v.SetReport(r)
	}
}
