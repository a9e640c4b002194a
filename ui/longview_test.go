package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// longModel is the seeded simulated market on range r, with the built-in
// events, the ratio line on screen when ratio is set.
func longModel(t *testing.T, r feeds.Range, ratio bool, w, h int) Model {
	t.Helper()
	m := simModelWith(t, Options{Set: watchlists.Defaults(), Events: events.Builtin()}, w, h)
	m.rng = r
	m.recompute()
	if ratio {
		m = step(m, keyRune('t'))
	}
	return step(m, clockTickedMsg{testNow})
}

// The since view: a date range says itself in words, names the event of
// its date, and the ratio line carries that event's marker.
func TestSinceViewGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := longModel(t, "2025-01-27", true, size[0], size[1])
			view := m.View().Content
			plain := ansi.Strip(view)
			e := m.report.Eras
			want := fmt.Sprintf("since 2025-01-27 (The DeepSeek sell-off): inference %+.1f %%, training %+.1f %%, spread %+.1f pp",
				e.Inference.Return.Value, e.Training.Return.Value, e.Spread.Value)
			if !e.Spread.Valid || !strings.Contains(plain, want) {
				t.Errorf("no since line %q on screen:\n%s", want, plain)
			}
			if !strings.Contains(plain, "1 2025-01-27 The DeepSeek sell-off") {
				t.Errorf("the ratio line's legend does not list the DeepSeek marker:\n%s", plain)
			}
			if !strings.Contains(plain, "2025-01-27 +") && !strings.Contains(plain, "2025-01-27 -") {
				t.Errorf("the horizon strip has no spread for the date:\n%s", plain)
			}
			requireGolden(t, view)
		})
	}
}

// Five years of the indexes, drawn on monthly points, with the events of
// those years marked.
func TestFiveYearHeadlineGolden(t *testing.T) {
	m := longModel(t, feeds.Range5Y, false, 120, 40)
	plain := ansi.Strip(m.View().Content)
	for _, want := range []string{"Inference vs Training · 5Y", "2022-11-30 ChatGPT released"} {
		if !strings.Contains(plain, want) {
			t.Errorf("no %q on screen:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "since ") {
		t.Error("a named range has a since line")
	}
	requireGolden(t, m.View().Content)
}
