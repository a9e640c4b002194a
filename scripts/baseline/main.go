// Command baseline is the floor of rotation's stack: a Bubble Tea v2
// program at rotation's frame rate (30 a second) on the alternate screen
// with mouse reporting that draws a full screen once a second, every cell
// of it new, and nothing else; q quits. scripts/cpu-ratio.sh runs it beside
// rotation so that rotation's CPU is stated against what such a program
// costs on the same machine at the same minute.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

type model struct {
	w, h int
	n    int // seconds drawn
}

type second struct{}

func every() tea.Cmd { return tea.Tick(time.Second, func(time.Time) tea.Msg { return second{} }) }

func (model) Init() tea.Cmd { return every() }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "q" || msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case second:
		m.n++
		return m, every()
	}
	return m, nil
}

// View fills the screen with digits that all change each second, as a
// monitor's full redraw would at worst.
func (m model) View() tea.View {
	var b strings.Builder
	for y := range m.h {
		for x := range m.w {
			b.WriteByte(byte('0' + (x+y+m.n)%10))
		}
		if y < m.h-1 {
			b.WriteByte('\n')
		}
	}
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

func main() {
	if _, err := tea.NewProgram(model{}, tea.WithFPS(30)).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
