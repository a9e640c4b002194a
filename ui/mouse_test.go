package ui

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/watchlists"
)

// sgrClick and sgrWheel are what a terminal sends for a left click and a
// wheel notch at 0-based column x, line y (SGR mouse encoding, 1-based).
func sgrClick(x, y int) string {
	return fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1)
}

func sgrWheelDown(x, y int) string { return fmt.Sprintf("\x1b[<65;%d;%dM", x+1, y+1) }

// screenAt finds text on the rendered screen: its column and line.
func screenAt(t *testing.T, m Model, text string) (x, y int) {
	t.Helper()
	for y, line := range strings.Split(ansi.Strip(m.View().Content), "\n") {
		if i := strings.Index(line, text); i >= 0 {
			return ansi.StringWidth(line[:i]), y
		}
	}
	t.Fatalf("%q is not on the screen:\n%s", text, ansi.Strip(m.View().Content))
	return 0, 0
}

// TestMouseThroughTheProgramsInput writes the terminal's mouse sequences to
// the program's input and follows the tab, the sort and the cards.
func TestMouseThroughTheProgramsInput(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 160, 48)
	m = step(m, clockTickedMsg{testNow})
	// Where things are, read off the same model's screen.
	gpusX, tabY := screenAt(t, m, "3 GPUs and GPU systems")
	onGPUs := step(m, keyRune('3'))
	headerX, headerY := screenAt(t, onGPUs, "1D return")
	in, feed := io.Pipe()
	var out bytes.Buffer
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(&out), tea.WithWindowSize(160, 48),
		tea.WithoutSignals(), tea.WithColorProfile(colorprofile.ASCII),
		tea.WithEnvironment([]string{"TERM=xterm-256color", "LANG=en_US.UTF-8"}))
	done := make(chan tea.Model, 1)
	go func() {
		final, err := p.Run()
		if err != nil {
			t.Error(err)
		}
		done <- final
	}()
	send := func(s string) {
		if _, err := io.WriteString(feed, s); err != nil {
			t.Fatal(err)
		}
	}
	send(sgrClick(gpusX+2, tabY))      // the GPUs tab
	send(sgrClick(headerX+1, headerY)) // sort by the range return…
	send(sgrClick(headerX+1, headerY)) // …then the other way round
	send(sgrClick(2, tabY))            // back to the Rotation tab
	send(sgrWheelDown(80, 30))         // the cards scroll by one segment
	send(sgrWheelDown(80, 30))
	send("q")
	var final Model
	select {
	case f := <-done:
		final = f.(Model)
	case <-time.After(10 * time.Second):
		t.Fatal("the program did not quit")
	}
	feed.Close()
	gpus := final.segments["10-gpus.yaml"]
	if gpus.sort != sortRange || !gpus.reversed {
		t.Errorf("after two clicks on the return's title: sort %v, reversed %v", gpus.sort, gpus.reversed)
	}
	if final.tabs.ActiveFile() != "" || final.rotation.offset != 2 {
		t.Errorf("after the wheel on the Rotation tab: tab %q, cards scrolled by %d, want 2", final.tabs.ActiveFile(), final.rotation.offset)
	}
	// A click on a card opens its segment.
	x, y := screenAt(t, final, final.report.Segments[2].Name)
	next, _ := final.Update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	if got := next.(Model).tabs.ActiveFile(); got != final.report.Segments[2].File {
		t.Errorf("a click on the %s card opened %q", final.report.Segments[2].Name, got)
	}
}

// TestClickingARowSelectsThenOpens: the first click selects, the second
// opens the detail.
func TestClickingARowSelectsThenOpens(t *testing.T) {
	m := step(simModel(t, watchlists.Defaults(), 120, 40), keyRune('3'))
	x, y := screenAt(t, m, "AMD")
	m = step(m, tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	if m.activeSegment().Selected() != "AMD" || m.detail.Open() {
		t.Fatalf("first click: selected %q, detail open %v", m.activeSegment().Selected(), m.detail.Open())
	}
	m = step(m, tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	if !m.detail.Open() || m.detail.Symbol() != "AMD" {
		t.Errorf("second click: detail open %v for %q", m.detail.Open(), m.detail.Symbol())
	}
	if m.View().MouseMode != tea.MouseModeCellMotion {
		t.Error("the view does not ask for the mouse")
	}
}

// TestHelpReflowsOnANarrowScreen: at 80 columns every key of ? is shown, in
// as many rows of columns as it takes, none wider than the screen.
func TestHelpReflowsOnANarrowScreen(t *testing.T) {
	m := step(simModel(t, watchlists.Defaults(), 80, 24), keyRune('?'))
	help := ansi.Strip(m.helpView())
	for _, want := range []string{"next tab", "jump to tab", "page down", "detail", "daily/weekly map", "edit watchlist", "refresh", "quit"} {
		if !strings.Contains(help, want) {
			t.Errorf("help at 80 columns lacks %q:\n%s", want, help)
		}
	}
	for _, l := range strings.Split(help, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("help line %d wide: %q", w, l)
		}
	}
	requireFits(t, "80x24 with help", m.View().Content, 80, 24)
}
