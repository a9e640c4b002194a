package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap is every key the monitor answers to, with its help text. Views match
// keys only through these bindings, so help and behaviour cannot drift apart.
type KeyMap struct {
	NextTab     key.Binding
	PrevTab     key.Binding
	JumpTab     key.Binding // 1-9
	JumpTabHigh key.Binding // alt+1-9: tabs 10-18
	RotationTab key.Binding // 0
	Up          key.Binding
	Down        key.Binding
	PageUp      key.Binding
	PageDown    key.Binding
	Top         key.Binding
	Bottom      key.Binding
	Open        key.Binding
	Close       key.Binding
	PrevRange   key.Binding
	NextRange   key.Binding
	DateRange   key.Binding // the range since a date typed in a prompt
	Sort        key.Binding
	Currency    key.Binding
	ToggleChart key.Binding
	Attribution key.Binding // why the spread moved: its parts by segment and member, its largest moves
	MapMode     key.Binding
	Weighting   key.Binding
	Edit        key.Binding
	Refresh     key.Binding
	Suspend     key.Binding
	Help        key.Binding
	Quit        key.Binding
	ConfirmYes  key.Binding
	ConfirmNo   key.Binding
	PromptApply key.Binding // the date prompt's keys: apply, cancel, and
	PromptClose key.Binding // quit, which q does not do there (it types q)
	PromptQuit  key.Binding
}

// DefaultKeyMap returns the bindings the README documents.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextTab:     key.NewBinding(key.WithKeys("tab", "l", "right"), key.WithHelp("tab/l/→", "next tab")),
		PrevTab:     key.NewBinding(key.WithKeys("shift+tab", "h", "left"), key.WithHelp("⇧tab/h/←", "prev tab")),
		JumpTab:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "jump to tab")),
		JumpTabHigh: key.NewBinding(key.WithKeys("alt+1", "alt+2", "alt+3", "alt+4", "alt+5", "alt+6", "alt+7", "alt+8", "alt+9"), key.WithHelp("alt+1-9", "tabs 10-18")),
		RotationTab: key.NewBinding(key.WithKeys("0"), key.WithHelp("0", "rotation tab")),
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Close:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		PrevRange:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "prev range")),
		NextRange:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next range")),
		DateRange:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "since date")),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Currency:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "local/USD")),
		ToggleChart: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "indexes/ratio")),
		Attribution: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "attribution")),
		MapMode:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "daily/weekly map")),
		Weighting:   key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "weights file/equal/cap")),
		Edit:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit watchlist")),
		Refresh:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Suspend:     key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		ConfirmYes:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		ConfirmNo:   key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "no")),
		PromptApply: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		PromptClose: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		PromptQuit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// ShortHelp is the one line at the bottom of the screen.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextTab, k.Down, k.Open, k.NextRange, k.Sort, k.Edit, k.Help, k.Quit}
}

// FullHelp is what ? shows, grouped by what the keys act on.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NextTab, k.PrevTab, k.JumpTab, k.JumpTabHigh, k.RotationTab},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Close, k.PrevRange, k.NextRange, k.DateRange, k.Sort, k.Currency, k.ToggleChart, k.Attribution, k.MapMode, k.Weighting},
		{k.Edit, k.Refresh, k.Suspend, k.Help, k.Quit},
	}
}

// movement is how far the movement keys move a cursor or a view over all
// rows: a row, a page, to the top or the bottom; ok is false for any other
// key.
func movement(msg tea.KeyPressMsg, k KeyMap, page, all int) (n int, ok bool) {
	for i, b := range []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom} {
		if key.Matches(msg, b) {
			return []int{-1, 1, -page, page, -all, all}[i], true
		}
	}
	return 0, false
}
