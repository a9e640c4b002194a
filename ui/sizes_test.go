package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestEveryWindowSizeFits resizes the app through the window sizes from
// 1x1 to 200x60, seven screens taking them in turn, and draws each as the
// program would, the figures computed once: no size may panic, and no frame
// may be wider or taller than the window. Below the smallest layout the
// screen says it is too small; there a frame costs little and every size
// is drawn. Above it each resize redraws every view, milliseconds under
// -race, so every width and every height is drawn at a few sizes, and
// ROTATION_LONG=1 draws them all.
func TestEveryWindowSizeFits(t *testing.T) {
	holdings, fe := book.Parse("holdings.yaml", []byte("positions:\n  - {symbol: NVDA, quantity: 10, cost: 100}\n  - {symbol: PLTR, quantity: 4, cost: 80}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	screens := []struct {
		name   string
		keys   []tea.KeyPressMsg
		screen screen
	}{
		{"rotation", []tea.KeyPressMsg{keyRune('0')}, screenRotation},
		{"book", []tea.KeyPressMsg{keyRune('1')}, screenBook},
		{"segment", []tea.KeyPressMsg{keyRune('4')}, screenSegment},
		{"detail", []tea.KeyPressMsg{keyRune('4'), keyRune('j'), keyEnter}, screenDetail},
		{"rotation with the full help", []tea.KeyPressMsg{keyRune('0'), keyRune('?')}, screenRotation},
		{"attribution", []tea.KeyPressMsg{keyRune('0'), keyRune('a')}, screenAttribution},
		{"a segment's attribution", []tea.KeyPressMsg{keyRune('0'), keyRune('a'), keyRune('j'), keyEnter}, screenAttribution},
	}
	models := make([]Model, len(screens))
	for i, s := range screens {
		// A model each: copies of one would share their segment tables.
		m := simModelWith(t, Options{Set: watchlists.Defaults(), HoldingsPath: "holdings.yaml", Holdings: holdings}, 200, 60)
		for _, k := range s.keys {
			m = step(m, k)
		}
		if m.screen() != s.screen {
			t.Fatalf("%s: the keys led to screen %d", s.name, m.screen())
		}
		// Keys clear the status; a long one, cut with "… ? more", is the harder line.
		m.status = "cannot write the snapshot to /home/someone/.cache/rotation/snapshot.json: no space left on device"
		models[i] = m
	}
	all := os.Getenv(feedstest.LongEnv) == "1"
	drawn := 0
	for w := 1; w <= 200; w++ {
		for h := 1; h <= 60; h++ {
			small := w < minWidth || h < minHeight
			if !all && !small && !sampledSize(w, h) {
				continue
			}
			i := (w + h) % len(screens)
			what := fmt.Sprintf("%s at %dx%d", screens[i].name, w, h)
			view := viewAt(t, &models[i], what, w, h)
			requireFits(t, screens[i].name, view, w, h)
			switch plain := ansi.Strip(view); {
			case small && w >= 17 && !strings.Contains(plain, "too small"):
				t.Errorf("%s: does not say the window is too small:\n%s", what, plain)
			case !small && strings.Contains(plain, "too small"):
				t.Errorf("%s: says the window is too small", what)
			case !small && strings.Count(view, "\n")+1 != h:
				t.Errorf("%s: %d lines, want %d", what, strings.Count(view, "\n")+1, h)
			}
			if t.Failed() {
				t.FailNow() // one size's failure is enough to read
			}
			drawn++
		}
	}
	t.Logf("%d sizes drawn", drawn)
}

// sampledSize picks the sizes of the usable layouts drawn without
// ROTATION_LONG: the smallest, every width at the least height and at one
// more, every height at the least width and at one more; the "one more"
// strides through the range so that each layout switch is crossed.
func sampledSize(w, h int) bool {
	return w == minWidth || h == minHeight ||
		h == minHeight+w*7%(61-minHeight) || w == minWidth+h*31%(201-minWidth)
}

// viewAt resizes *m to w x h and draws it, a panic failing the test with
// the size that caused it.
func viewAt(t *testing.T, m *Model, what string, w, h int) (view string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: panic: %v", what, r)
		}
	}()
	*m = step(*m, tea.WindowSizeMsg{Width: w, Height: h})
	return m.View().Content
}
