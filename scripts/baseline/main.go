// Command baseline is the smallest full-screen Bubble Tea v2 program: one
// line of text on the alternate screen with mouse reporting, at Bubble
// Tea's defaults, quit with q. scripts/cpu-ratio.sh runs it beside rotation
// so that rotation's CPU is stated against what any such program costs on
// the same machine at the same minute.
package main

import (
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
)

type model struct{}

func (model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "q" || k.String() == "ctrl+c") {
		return m, tea.Quit
	}
	return m, nil
}

func (model) View() tea.View {
	v := tea.NewView("a minimal Bubble Tea v2 program; q quits")
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

func main() {
	if _, err := tea.NewProgram(model{}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
