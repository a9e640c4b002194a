package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// screen is what fills the body. body(), the key routing and the footer's
// hints all read it, so they cannot disagree about where the person is.
type screen int

const (
	screenRotation    screen = iota // the home screen
	screenBook                      // the user's holdings
	screenSegment                   // one watchlist's table
	screenDetail                    // one symbol over a segment's table
	screenAttribution               // why the spread moved, over any tab
	screenConfirm                   // the "write the built-in lists?" question
)

func (m Model) screen() screen {
	switch {
	case m.confirm.open:
		return screenConfirm
	case m.attribution.Open():
		return screenAttribution
	case m.detail.Open():
		return screenDetail
	case m.activeSegment() != nil:
		return screenSegment
	case m.tabs.OnBook():
		return screenBook
	}
	return screenRotation
}

// screenKeys is the KeyMap as the help shows it on one screen: only the
// keys that do something there; while the date prompt is open, its keys,
// whatever the screen.
type screenKeys struct {
	k      KeyMap
	screen screen
	prompt bool
}

func (m Model) helpKeys() screenKeys { return screenKeys{m.keys, m.screen(), m.prompt.Open()} }

func (s screenKeys) ShortHelp() []key.Binding {
	k := s.k
	if s.prompt {
		return []key.Binding{k.PromptApply, k.PromptClose, k.PromptQuit}
	}
	switch s.screen {
	case screenConfirm:
		return []key.Binding{k.ConfirmYes, k.ConfirmNo}
	case screenDetail:
		return []key.Binding{k.Close, k.Down, k.NextRange, k.Currency, k.Help, k.Quit}
	case screenAttribution:
		back, open := k.Close, k.Open
		back.SetHelp("esc", "back")
		open.SetHelp("enter", "members")
		return []key.Binding{back, k.Down, open, k.NextRange, k.Weighting, k.Help, k.Quit}
	case screenBook:
		edit := k.Edit
		edit.SetHelp("e", "edit holdings")
		return []key.Binding{k.NextTab, scroll(k.Down), edit, k.Help, k.Quit}
	case screenSegment:
		return []key.Binding{k.NextTab, k.Down, k.Open, k.NextRange, k.Sort, k.Edit, k.Help, k.Quit}
	}
	return []key.Binding{k.NextTab, scroll(k.Down), k.NextRange, k.Sort, k.Attribution, k.ToggleChart, k.Help, k.Quit}
}

// scroll is the down key as a view that scrolls, not one that selects, says it.
func scroll(down key.Binding) key.Binding {
	down.SetHelp(down.Help().Key, "scroll")
	return down
}

func (s screenKeys) FullHelp() [][]key.Binding { return s.k.FullHelp() }

// helpView is the footer: the short hints, or with ? every key in columns
// that wrap onto more rows rather than run off a narrow screen.
func (m Model) helpView() string {
	keys := m.helpKeys()
	if !m.help.ShowAll || m.prompt.Open() { // the prompt's few keys fit a line
		// Whole hints only: drop from the least needed (the end) rather than
		// cut a word, keeping ? help and q quit, which lead to the rest.
		short, h := keys.ShortHelp(), m.help
		h.SetWidth(0) // measure untruncated
		for len(short) > 2 && lipgloss.Width(h.ShortHelpView(short)) > m.width {
			short = append(short[:len(short)-3], short[len(short)-2:]...)
		}
		return truncate(h.ShortHelpView(short), m.width)
	}
	var rows []string
	var row []string
	used := 0
	const gap = 3
	for _, group := range keys.FullHelp() {
		col := m.help.FullHelpView([][]key.Binding{group})
		w := lipgloss.Width(col)
		if len(row) > 0 && used+gap+w > m.width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, used = nil, 0
		}
		if len(row) > 0 {
			row = append(row, strings.Repeat(" ", gap))
			used += gap
		}
		row, used = append(row, col), used+w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return strings.Join(rows, "\n")
}
