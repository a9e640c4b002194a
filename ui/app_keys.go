package ui

import (
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
)

func (m Model) keyPressed(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if key.Matches(msg, k.Suspend) { // from any screen, the question too
		return m, tea.Suspend
	}
	if m.confirm.open {
		return m.confirmKey(msg)
	}
	if m.prompt.Open() {
		return m.promptKey(msg)
	}
	if !key.Matches(msg, k.Help) { // ? shows the message whole; any other key clears it
		m.status = ""
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m.layout(), nil
	case m.attribution.Open() && key.Matches(msg, k.Close):
		m.attribution.Back()
		return m, nil
	case key.Matches(msg, k.Attribution):
		if m.attribution.Open() {
			m.attribution.Close()
		} else {
			m.attribution.OpenView()
			m.attribution.SetData(m.attributionData())
		}
		return m, nil
	case m.detail.Open() && key.Matches(msg, k.Close):
		m.detail.Close()
		return m, nil
	case key.Matches(msg, k.NextTab):
		m.tabs.Next()
		return m.tabChanged(), nil
	case key.Matches(msg, k.PrevTab):
		m.tabs.Prev()
		return m.tabChanged(), nil
	case key.Matches(msg, k.RotationTab):
		m.tabs.Jump(0)
		return m.tabChanged(), nil
	case key.Matches(msg, k.JumpTabHigh):
		m.tabs.Jump(9 + int(msg.Code-'0'))
		return m.tabChanged(), nil
	case key.Matches(msg, k.JumpTab):
		m.tabs.Jump(int(msg.Code - '0'))
		return m.tabChanged(), nil
	case key.Matches(msg, k.NextRange):
		return m.rangeChanged(m.rng.Next())
	case key.Matches(msg, k.PrevRange):
		return m.rangeChanged(m.rng.Prev())
	case key.Matches(msg, k.DateRange):
		since := ""
		if _, ok := m.rng.Date(); ok {
			since = string(m.rng)
		}
		m.prompt.OpenWith(since)
		return m.layout(), nil
	case key.Matches(msg, k.Currency):
		if m.currency == baskets.Local {
			m.currency = m.display
		} else {
			m.currency = baskets.Local
		}
		m.recompute()
		return m, nil
	case key.Matches(msg, k.Weighting):
		m.weighting = nextWeighting(m.report.Weighting)
		m.status = "baskets weighted by " + map[string]string{baskets.WeightFile: "the watchlist files", baskets.WeightEqual: "equal weights", baskets.WeightCap: "market value at the base"}[m.weighting]
		m.recompute()
		return m, nil
	case key.Matches(msg, k.MapMode):
		m.mapMode = baskets.RotationWeekly
		if m.report.RotationMode == baskets.RotationWeekly {
			m.mapMode = baskets.RotationDaily
		}
		m.status = "rotation map on " + m.mapMode + " closes"
		m.recompute()
		return m, nil
	case key.Matches(msg, k.Refresh):
		src := m.opts.Source
		m.refreshAsked = m.opts.Clock()
		return m, func() tea.Msg { src.RefreshNow(); return nil }
	case key.Matches(msg, k.Edit):
		return m.edit()
	}
	return m.keyForBody(msg), nil
}

// rangeChanged shows r: a new watch generation, so replies for the old
// range are dropped, the figures again, and the watch sent.
func (m Model) rangeChanged(r feeds.Range) (tea.Model, tea.Cmd) {
	m.rng = r
	m.generation++
	m.recompute()
	return m, m.watchCmd()
}

// promptKey: while the date prompt is open every key goes to it, q
// included; enter applies the range typed (a refusal keeps it open), esc
// cancels, ctrl+c still quits.
func (m Model) promptKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.PromptQuit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.PromptClose):
		m.prompt.Close()
		return m.layout(), nil
	case key.Matches(msg, m.keys.PromptApply):
		r, ok := m.prompt.Submit(m.now)
		if !ok {
			return m, nil
		}
		m.prompt.Close()
		m = m.layout()
		if r == m.rng {
			return m, nil // nothing to fetch again
		}
		return m.rangeChanged(r)
	}
	var cmd tea.Cmd
	m.prompt, cmd = m.prompt.Update(msg)
	return m, cmd
}

// keyForBody hands the remaining keys to whatever fills the body.
func (m Model) keyForBody(msg tea.KeyPressMsg) Model {
	k := m.keys
	moves := key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom)
	switch m.screen() {
	case screenRotation:
		switch {
		case key.Matches(msg, k.Sort):
			m.rotation.CycleSort()
		case key.Matches(msg, k.ToggleChart):
			m.rotation.ToggleChart()
		case moves:
			m.rotation.Scroll(msg, k)
		}
	case screenBook:
		if moves {
			m.book.Move(msg, k)
		}
	case screenAttribution:
		switch {
		case key.Matches(msg, k.Open):
			m.attribution.Enter()
		case moves:
			m.attribution.Move(msg, k)
		}
	case screenSegment, screenDetail:
		seg := m.activeSegment()
		switch {
		case key.Matches(msg, k.Sort):
			seg.CycleSort()
		case !m.detail.Open() && key.Matches(msg, k.Open):
			m = m.openDetail()
		case moves:
			seg.Move(msg, k)
			if m.detail.Open() {
				m = m.openDetail()
			}
		}
	}
	return m
}

// openDetail shows the selected row of the active segment in the detail view.
func (m Model) openDetail() Model {
	if sym := m.activeSegment().Selected(); sym != "" {
		m.detail.OpenFor(sym)
		m.detail.SetData(m.detailData(sym))
	}
	return m
}

func (m Model) tabChanged() Model {
	m.detail.Close()
	m.attribution.Close()
	if m.behind { // trades drew only the tab that was open
		m.recompute()
	}
	m.syncActiveSegment()
	return m
}

func (m Model) resized(w, h int) Model {
	m.width, m.height = w, h
	return m.layout()
}

// layout sizes every component for the current screen, banner and help.
// Below the smallest layout none is drawn, so none is sized: a resize
// back up lays them out again.
func (m Model) layout() Model {
	m.help.SetWidth(m.width)
	if m.tooSmall() {
		return m
	}
	m.header.SetSize(m.width)
	m.tabs.SetSize(m.width)
	m.prompt.SetSize(m.width)
	h := m.bodyHeight()
	m.rotation.SetSize(m.width, h)
	m.detail.SetSize(m.width, h)
	m.attribution.SetSize(m.width, h)
	m.book.SetSize(m.width, h)
	for _, v := range m.segments {
		v.SetSize(m.width, h)
	}
	return m
}

func (m Model) bodyHeight() int { return m.heightLeft(m.chrome()) }

// chrome is what the body shares the screen with besides the header and
// the tabs: the banner, the status and the help. The full help runs longer
// than a short window has room for, so it is cut to leave the body a line.
func (m Model) chrome() (banner, status, help string) {
	banner, status, help = m.banner(), m.statusLine(), m.helpView()
	if m.prompt.Open() {
		status = m.prompt.View() // in the status line's place
	}
	room := m.height - 1 - 1 - lineCount(status) - 1 // header, tabs, status, a line of body
	if banner != "" {
		room -= lineCount(banner)
	}
	if lineCount(help) > room {
		help = fitHeight(help, max(room, 1))
	}
	return banner, status, help
}

// heightLeft is the body's height beside the header, the tabs and these.
func (m Model) heightLeft(banner, status, help string) int {
	used := 1 + 1 + lineCount(status) + lineCount(help) // header, tabs, status, help
	if banner != "" {
		used += lineCount(banner)
	}
	return max(m.height-used, 1)
}

// restyled switches the theme: every view redraws what it caches, and no
// figure is recomputed.
func (m Model) restyled(dark bool) Model {
	*m.styles = NewStyles(dark)
	m.help.Styles = m.styles.Help
	m.rotation.Restyle()
	m.detail.Restyle()
	m.attribution.Restyle()
	m.book.Restyle()
	for _, v := range m.segments {
		v.Restyle()
	}
	return m.layout()
}

func (m Model) ticked(now time.Time) Model {
	shown := m.shownAlerts()
	m.now = now
	m.catchUp()
	if m.shownAlerts() != shown {
		m = m.layout() // an alert left the banner
	}
	m.header.SetNow(now)
	if v := m.activeSegment(); v != nil {
		v.SetNow(now) // hidden tabs catch up when opened
	}
	return m
}

// edit opens the active tab's watchlist file in the user's editor. Built-in
// watchlists cannot be edited in place, so it offers to write them out first.
func (m Model) edit() (tea.Model, tea.Cmd) {
	if m.tabs.OnBook() {
		return m, m.editorCmd(m.opts.HoldingsPath)
	}
	if m.set.Embedded() {
		m.confirm.open = true
		return m, nil
	}
	target := m.set.Source
	if file := m.tabs.ActiveFile(); file != "" {
		target = filepath.Join(m.set.Source, file)
	}
	return m, m.editorCmd(target)
}

func (m Model) editorCmd(path string) tea.Cmd {
	argv := strings.Fields(m.opts.Editor)
	if len(argv) == 0 {
		argv = []string{"vi"}
	}
	cmd := exec.Command(argv[0], append(argv[1:], path)...)
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return editorClosedMsg{File: path, Err: err} })
}

func (m Model) editorClosed(msg editorClosedMsg) Model {
	if msg.Err != nil {
		m.status = "editor: " + msg.Err.Error() + " (set $VISUAL or $EDITOR to your editor)"
	} else {
		m.status = "back from editing " + filepath.Base(msg.File) + "; saved changes reload on their own"
	}
	return m
}

func (m Model) confirmKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ConfirmYes):
		m.confirm.open = false
		if m.opts.InitWatchlists == nil {
			m.status = "cannot write the built-in watchlists from here; run 'rotation init' and restart"
			return m, nil
		}
		m.status = "writing the built-in watchlists…"
		return m, func() tea.Msg { return m.opts.InitWatchlists() }
	case key.Matches(msg, m.keys.ConfirmNo, m.keys.Quit):
		m.confirm.open = false
	}
	return m, nil
}

func (m Model) watchlistsInitialized(msg WatchlistsInitializedMsg) (tea.Model, tea.Cmd) {
	if msg.Err != nil {
		m.status = msg.Err.Error()
		return m, nil
	}
	m.set, m.fileErrors, m.reloads = msg.Set, msg.Errors, msg.Reloads
	m.validateRules()
	m.generation++
	m.syncTabs()
	m.recompute()
	m = m.layout()
	m.status = "watchlists are now in " + msg.Dir + "; edits reload on save"
	edit := m.editorCmd(msg.Dir)
	if file := m.tabs.ActiveFile(); file != "" {
		edit = m.editorCmd(filepath.Join(msg.Dir, file))
	}
	return m, tea.Batch(waitForReload(m.reloads), m.watchCmd(), edit)
}

// nextWeighting cycles file -> equal -> cap -> file.
func nextWeighting(w string) string {
	switch w {
	case baskets.WeightFile, "":
		return baskets.WeightEqual
	case baskets.WeightEqual:
		return baskets.WeightCap
	}
	return baskets.WeightFile
}
