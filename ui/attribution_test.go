package ui

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestAttributionGolden is the a view of the seeded simulated market: the
// segments' bars, and the first segment's members.
func TestAttributionGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		m := simModel(t, watchlists.Defaults(), size[0], size[1])
		m = step(step(m, clockTickedMsg{testNow}), keyRune('a'))
		t.Run(fmt.Sprintf("%dx%d-segments", size[0], size[1]), func(t *testing.T) {
			requireGolden(t, m.View().Content)
		})
		m = step(m, keyEnter)
		t.Run(fmt.Sprintf("%dx%d-members", size[0], size[1]), func(t *testing.T) {
			requireGolden(t, m.View().Content)
		})
	}
}

// whyNumbers reads the why line off a screen: its parts' numbers as
// written, and whether it was found.
func whyNumbers(t *testing.T, screen string) ([]string, bool) {
	t.Helper()
	for _, line := range strings.Split(ansi.Strip(screen), "\n") {
		i := strings.Index(line, "why")
		if i < 0 || !strings.Contains(line, "╰") {
			continue
		}
		text := line[i:]
		_, text, _ = strings.Cut(text, ": ")
		text = strings.TrimRight(text, "─╯ ")
		var nums []string
		for _, part := range strings.Split(text, " · ") {
			num, _, _ := strings.Cut(part, " ")
			nums = append(nums, num)
		}
		return nums, true
	}
	return nil, false
}

// TestWhyLineNeverCutsANumber: at every width from 60 to 200 the why line
// shows at least one part, and its numbers are whole and the first of the
// spread's parts, in order.
func TestWhyLineNeverCutsANumber(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 200, 40)
	parts := m.report.SpreadContributions
	if len(parts) < 3 {
		t.Fatalf("the simulated market has %d parts of the spread", len(parts))
	}
	for w := 60; w <= 200; w++ {
		m = step(m, tea.WindowSizeMsg{Width: w, Height: 40})
		nums, ok := whyNumbers(t, m.View().Content)
		if !ok || len(nums) == 0 {
			t.Fatalf("%d columns: no why line:\n%s", w, ansi.Strip(m.View().Content))
		}
		if len(nums) > len(parts) {
			t.Fatalf("%d columns: %d numbers for %d parts", w, len(nums), len(parts))
		}
		for i, n := range nums {
			if _, err := strconv.ParseFloat(n, 64); err != nil {
				t.Fatalf("%d columns: part %d is %q: %v", w, i, n, err)
			}
			if want := barValue(parts[i].PP.Value); n != want {
				t.Fatalf("%d columns: part %d is %s, want %s (%s)", w, i, n, want, parts[i].Segment)
			}
		}
	}
}

// TestWhyLineFitsAnyWidth: the line alone, at every width, with long and
// short names: never wider than asked, dropping parts whole, and a name
// shortened only when one part alone does not fit.
func TestWhyLineFitsAnyWidth(t *testing.T) {
	s := NewStyles(true)
	parts := []baskets.SpreadContribution{
		{Segment: "Accelerator owners (TPU/ASIC/LPU)", Era: watchlists.Inference, PP: baskets.Some(0.6249)},
		{Segment: "GPUs", Era: watchlists.Training, PP: baskets.Some(-0.31)},
		{Segment: "Edge\x1b[31m network", Era: watchlists.Inference, PP: baskets.Some(0.004)},
	}
	for w := 0; w <= 100; w++ {
		line := ansi.Strip(whyLine(&s, parts, w))
		if got := ansi.StringWidth(line); got > w {
			t.Fatalf("%d cells: %d wide: %q", w, got, line)
		}
		if strings.Contains(line, "\x1b") {
			t.Fatalf("%d cells: an escape got through: %q", w, line)
		}
		if line == "" {
			continue
		}
		_, rest, _ := strings.Cut(line, ": ")
		shown := strings.Split(rest, " · ")
		for i, p := range shown {
			num, name, _ := strings.Cut(p, " ")
			if want := barValue(parts[i].PP.Value); num != want {
				t.Fatalf("%d cells: part %d %q, want %s", w, i, p, want)
			}
			if strings.HasSuffix(name, "…") && len(shown) > 1 {
				t.Fatalf("%d cells: a name shortened beside other parts: %q", w, line)
			}
		}
	}
	if got := ansi.Strip(whyLine(&s, parts, 200)); got != "why (pp): +0.62 Accelerator owners (TPU/ASIC/LPU) · -0.31 GPUs · 0.00 Edge network" {
		t.Errorf("at 200 cells: %q", got)
	}
	if got := ansi.Strip(whyLine(&s, parts, 20)); got != "why: +0.62 Accelera…" {
		t.Errorf("at 20 cells: %q", got)
	}
}

// TestAttributionKeys: a opens the view on the largest part, j moves down,
// enter opens that segment's members, esc goes back, esc again closes; ?
// and q still answer there.
func TestAttributionKeys(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 80, 24)
	parts := m.report.SpreadContributions
	m = step(m, keyRune('a'))
	if m.screen() != screenAttribution || m.attribution.Selected() != parts[0].File {
		t.Fatalf("a: screen %d, selected %q", m.screen(), m.attribution.Selected())
	}
	m = step(m, keyRune('j'))
	if got := m.attribution.Selected(); got != parts[1].File {
		t.Fatalf("j: selected %q, want %q", got, parts[1].File)
	}
	m = step(m, keyEnter)
	if m.attribution.Segment() != parts[1].File {
		t.Fatalf("enter: opened %q, want %q", m.attribution.Segment(), parts[1].File)
	}
	seg := m.report.Segments[slicesIndexFile(m.report.Segments, parts[1].File)]
	if screen := ansi.Strip(m.View().Content); !strings.Contains(screen, "its members' parts") || !strings.Contains(screen, seg.Symbols[0].Symbol) {
		t.Fatalf("enter: the members are not shown:\n%s", screen)
	}
	help := step(m, keyRune('?'))
	if !strings.Contains(ansi.Strip(help.View().Content), "attribution") || help.screen() != screenAttribution {
		t.Errorf("? on the attribution view: no full help\n%s", ansi.Strip(help.View().Content))
	}
	m = step(m, keyEsc)
	if m.screen() != screenAttribution || m.attribution.Segment() != "" || m.attribution.Selected() != parts[1].File {
		t.Fatalf("esc: screen %d, segment %q, selected %q", m.screen(), m.attribution.Segment(), m.attribution.Selected())
	}
	if _, cmd := m.Update(keyRune('q')); cmd == nil {
		t.Error("q does not quit from the attribution view")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q does not quit from the attribution view")
	}
	m = step(m, keyEsc)
	if m.screen() != screenRotation {
		t.Fatalf("esc again: screen %d", m.screen())
	}
}

func slicesIndexFile(segs []baskets.SegmentResult, file string) int {
	for i, s := range segs {
		if s.File == file {
			return i
		}
	}
	return -1
}

// TestAttributionMembersAddUpToTheirSegment: a segment's members' bars are
// its part of the spread taken apart, training's negated like the segment.
func TestAttributionMembersAddUpToTheirSegment(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 120, 40)
	m = step(m, keyRune('a'))
	for i, p := range m.report.SpreadContributions {
		v := m.attribution
		v.segs.cursor, v.segs.selected = i, p.File
		v.Enter()
		sum := 0.0
		for _, b := range v.members.rows {
			sum += b.value.Value
		}
		if d := sum - p.PP.Value; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: members add up to %v, the segment's part is %v", p.Segment, sum, p.PP.Value)
		}
	}
}

// TestAttributionMouse: a click on a bar selects it, a second opens it; the
// wheel scrolls a list longer than the screen.
func TestAttributionMouse(t *testing.T) {
	m := step(simModel(t, watchlists.Defaults(), 160, 48), keyRune('a'))
	parts := m.report.SpreadContributions
	x, y := screenAt(t, m, clean(parts[2].Segment))
	click := tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}
	m = step(m, click)
	if m.attribution.Selected() != parts[2].File || m.attribution.Segment() != "" {
		t.Fatalf("first click: selected %q, opened %q", m.attribution.Selected(), m.attribution.Segment())
	}
	m = step(m, click)
	if m.attribution.Segment() != parts[2].File {
		t.Fatalf("second click: opened %q", m.attribution.Segment())
	}

	small := step(simModel(t, watchlists.Defaults(), 80, 17), keyRune('a'))
	last := clean(parts[len(parts)-1].Segment)
	if strings.Contains(ansi.Strip(small.View().Content), last) {
		t.Fatalf("at 80x17 every part fits; the wheel has nothing to scroll:\n%s", ansi.Strip(small.View().Content))
	}
	for range parts {
		small = step(small, tea.MouseWheelMsg{X: 10, Y: 8, Button: tea.MouseWheelDown})
	}
	if screen := ansi.Strip(small.View().Content); !strings.Contains(screen, last) || small.attribution.Selected() != parts[len(parts)-1].File {
		t.Errorf("the wheel did not scroll to the last part (%s):\n%s", last, screen)
	}
}

// TestAttributionMovesCarryTheirDaysEvents: each move says when, to the
// day on a daily range and to the minute on 1D, with its UTC day's events.
func TestAttributionMovesCarryTheirDaysEvents(t *testing.T) {
	s := NewStyles(true)
	day := time.Date(2026, 3, 5, 21, 0, 0, 0, time.UTC)
	r := baskets.Report{Range: feeds.Range1M, TopMoves: []baskets.Move{
		{Time: day, RatioChange: baskets.Some(-1.234)},
		{Time: day.AddDate(0, 0, 1), RatioChange: baskets.Some(0.5)},
	}}
	evs := []events.Event{{Date: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), Label: "GTC\x1b[2J keynote"}}
	v := newAttributionView(&s)
	v.SetSize(100, 20)
	v.SetData(attributionData{Report: r, Events: evs, Zone: time.FixedZone("UTC+9", 9*3600)})
	lines := v.moveLines()
	if got := ansi.Strip(lines[1]); !strings.Contains(got, "2026-03-05") || !strings.Contains(got, "▼ -1.23%") || !strings.Contains(got, "GTC keynote") {
		t.Errorf("first move: %q", got)
	}
	if got := ansi.Strip(lines[2]); !strings.Contains(got, "2026-03-06") || strings.Contains(got, "GTC") {
		t.Errorf("second move: %q", got)
	}
	r.Range = feeds.Range1D
	v.SetData(attributionData{Report: r, Events: evs, Zone: time.FixedZone("UTC+9", 9*3600)})
	if got := ansi.Strip(v.moveLines()[1]); !strings.Contains(got, "2026-03-06 06:00") || !strings.Contains(got, "GTC keynote") {
		t.Errorf("1D move, in the viewer's zone, with its UTC day's events: %q", got)
	}
}
