package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/rotation-dev/rotation/watchlists"
)

// tabInfo is one watchlist file's tab, or the Book tab (Book set, no File).
type tabInfo struct {
	File  string
	Title string
	Era   watchlists.Era
	Book  bool
}

// tabBar is the Rotation overview tab followed by one tab per watchlist file.
// Index 0 is the overview; index i > 0 is tabs[i-1].
type tabBar struct {
	styles *Styles
	tabs   []tabInfo
	active int
	width  int
	view   string // rendered on every change
}

func newTabBar(s *Styles) tabBar { return tabBar{styles: s} }

func (t *tabBar) SetSize(w int) {
	t.width = w
	t.view = t.render()
}

// SetTabs replaces the tabs, keeping the active one by file (or the Book
// tab) when it survives.
func (t *tabBar) SetTabs(tabs []tabInfo) {
	file, onBook := t.ActiveFile(), t.OnBook()
	t.tabs = tabs
	t.active = 0
	for i, tab := range tabs {
		if (tab.File == file && file != "") || (tab.Book && onBook) {
			t.active = i + 1
		}
	}
	t.view = t.render()
}

// Numbers is each watchlist tab's number, by file: the key that opens it
// and the number the home screen marks it with.
func (t tabBar) Numbers() map[string]int {
	out := make(map[string]int, len(t.tabs))
	for i, tab := range t.tabs {
		if tab.File != "" {
			out[tab.File] = i + 1
		}
	}
	return out
}

// OnOverview reports whether the Rotation tab, the overview, is the active one.
func (t tabBar) OnOverview() bool { return t.active == 0 }

// OnBook reports whether the Book tab is the active one.
func (t tabBar) OnBook() bool {
	return t.active > 0 && t.active <= len(t.tabs) && t.tabs[t.active-1].Book
}

// ActiveFile is the file of the active tab, "" for the overview.
func (t tabBar) ActiveFile() string {
	if t.active == 0 || t.active > len(t.tabs) {
		return ""
	}
	return t.tabs[t.active-1].File
}

func (t *tabBar) Next()      { t.activate((t.active + 1) % (len(t.tabs) + 1)) }
func (t *tabBar) Prev()      { t.activate((t.active + len(t.tabs)) % (len(t.tabs) + 1)) }
func (t *tabBar) Jump(i int) { t.activate(min(max(i, 0), len(t.tabs))) }

// JumpToFile opens the tab of a watchlist file, if there is one.
func (t *tabBar) JumpToFile(file string) {
	for i, tab := range t.tabs {
		if tab.File == file {
			t.activate(i + 1)
		}
	}
}

func (t *tabBar) activate(i int) {
	t.active = i
	t.view = t.render()
}

// At is the tab drawn at column x, if any: what a click there picks.
func (t tabBar) At(x int) (int, bool) {
	labels := make([]string, len(t.tabs)+1)
	for i := range labels {
		labels[i] = t.label(i)
	}
	first, last := t.window(labels)
	at := 0
	if first > 0 {
		at = 2 // "‹ "
	}
	for i := first; i <= last; i++ {
		w := lipgloss.Width(labels[i])
		if x >= at && x < at+w {
			return i, true
		}
		at += w + 1 // and the "│" between tabs
	}
	return 0, false
}

// View draws the visible window of tabs around the active one, with ‹ and ›
// marking tabs scrolled out of sight on either side.
func (t tabBar) View() string { return t.view }

func (t tabBar) render() string {
	labels := make([]string, len(t.tabs)+1)
	labels[0] = t.label(0)
	for i := range t.tabs {
		labels[i+1] = t.label(i + 1)
	}
	first, last := t.window(labels)
	var b strings.Builder
	if first > 0 {
		b.WriteString(t.styles.Muted.Render("‹ "))
	}
	b.WriteString(strings.Join(labels[first:last+1], t.styles.Muted.Render("│")))
	if last < len(labels)-1 {
		b.WriteString(t.styles.Muted.Render(" ›"))
	}
	return b.String()
}

func (t tabBar) label(i int) string {
	if i == 0 {
		if t.active == 0 {
			return t.styles.TabOverviewActive.Render("[0 Rotation]")
		}
		return t.styles.TabOverview.Render("0 Rotation")
	}
	tab := t.tabs[i-1]
	title := clean(tab.Title)
	switch {
	case i <= 9:
		title = string(rune('0'+i)) + " " + title
	case i <= 18: // alt+1 to alt+9
		title = "⌥" + string(rune('0'+i-9)) + " " + title
	}
	switch {
	case tab.Book && i == t.active:
		return t.styles.TabOverviewActive.Render("[" + title + "]")
	case tab.Book:
		return t.styles.TabOverview.Render(title)
	case i == t.active:
		return t.styles.TabActive[tab.Era].Render("[" + title + "]")
	}
	return t.styles.TabIdle[tab.Era].Render(title)
}

// window picks the widest run of tabs that fits and contains the active one,
// growing to the right first so the bar reads in file order.
func (t tabBar) window(labels []string) (first, last int) {
	const sep, arrows = 1, 4
	first, last = t.active, t.active
	used := lipgloss.Width(labels[t.active])
	fits := func(w int) bool { return used+sep+w+arrows <= t.width }
	for {
		grew := false
		if last+1 < len(labels) && fits(lipgloss.Width(labels[last+1])) {
			last++
			used += sep + lipgloss.Width(labels[last])
			grew = true
		}
		if first > 0 && fits(lipgloss.Width(labels[first-1])) {
			first--
			used += sep + lipgloss.Width(labels[first])
			grew = true
		}
		if !grew {
			return first, last
		}
	}
}
