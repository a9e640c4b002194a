package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// staleAfter is how old a symbol's last good quote may be before its row
// shows its age: two closed-market refreshes and a little slack.
const staleAfter = 150 * time.Second

// watchCmd tells the poller what to fetch for the current generation.
func (m Model) watchCmd() tea.Cmd {
	w := feeds.Watch{
		Generation: m.generation,
		Symbols:    baskets.Symbols(m.set, m.opts.Benchmark, append(m.userSymbols(), baskets.DisplayPair(m.display))...),
		Range:      m.rng,
	}
	src := m.opts.Source
	return func() tea.Msg {
		src.SetWatch(w)
		return nil
	}
}

func (m Model) quotesUpdated(msg quotesUpdatedMsg) (tea.Model, tea.Cmd) {
	next := waitForUpdate(m.opts.Source.Updates())
	if msg.Generation != m.generation {
		return m, next // a reply to a watch that has since changed
	}
	prev, tradesOnly := m.update, m.tradesOnly(msg.Update)
	m.update = msg.Update
	moved := m.noteMoves(prev, msg.Update)
	if tradesOnly {
		return m.gatherTrades(moved, next)
	}
	clear(m.moved) // computed whole below
	// The refresh r asked for has come once a whole one (or a failed one)
	// started after the key; the partial update before the charts has not.
	if (msg.Complete || msg.Err != nil) && !msg.At.Before(m.refreshAsked) {
		m.refreshAsked = time.Time{}
	}
	m.recompute()
	return m.alertsChecked(next)
}

// alertsChecked fires the alerts the report holds, and waits for the next
// update with next.
func (m Model) alertsChecked(next tea.Cmd) (tea.Model, tea.Cmd) {
	shown := m.shownAlerts()
	alerting := m.checkAlerts()
	if m.shownAlerts() != shown {
		m = m.layout() // the banner grew
	}
	return m, tea.Batch(next, alerting)
}

func (m Model) watchlistsReloaded(msg watchlistsReloadedMsg) (tea.Model, tea.Cmd) {
	m.set, m.fileErrors = msg.Set, msg.Errors
	m.validateRules()
	m.generation++
	m.syncTabs()
	m.recompute()
	m = m.layout()
	if len(msg.Errors) == 0 {
		m.status = fmt.Sprintf("reloaded %d watchlists", len(msg.Set.Segments))
	}
	return m, tea.Batch(waitForReload(m.reloads), m.watchCmd())
}

// recompute turns the latest refresh into the figures every view draws.
func (m *Model) recompute() {
	u := m.update
	m.computeReport()
	m.earnings = events.Earnings(u.Quotes)
	m.header.SetData(m.headerData())
	m.rotation.SetEvents(m.chartEvents(nil, false))
	m.rotation.SetReport(m.report)
	m.recomputeBook()
	m.syncActiveSegment()
	if m.detail.Open() {
		m.detail.SetData(m.detailData(m.detail.Symbol()))
	}
	if m.attribution.Open() { // drawn when opened, like a hidden tab
		m.attribution.SetData(m.attributionData())
	}
}

// attributionData is the attribution view's: the report, and the headline
// chart's events for the largest moves' days.
func (m Model) attributionData() attributionData {
	return attributionData{Report: m.report, Events: m.chartEvents(nil, false), Zone: m.now.Location()}
}

// syncActiveSegment gives the visible segment tab the latest figures. Hidden
// tabs are brought up to date when they are opened, so a refresh or a tick
// draws the one table on screen, not every tab's (see BenchmarkRefresh).
func (m *Model) syncActiveSegment() { m.syncSegment(false) }

// syncSegment is syncActiveSegment; trades says only trades moved since the
// last (see segmentData.Trades).
func (m *Model) syncSegment(trades bool) {
	v, seg := m.activeSegment(), m.activeSegmentResult()
	if v == nil || seg == nil {
		return
	}
	u := m.update
	missing := make(map[string]bool, len(u.Missing))
	for _, s := range u.Missing {
		missing[s] = true
	}
	def, _ := m.set.Segment(seg.File)
	members := make([]string, len(seg.Symbols))
	for i, s := range seg.Symbols {
		members[i] = s.Symbol
	}
	v.SetData(segmentData{Segment: *seg, Series: u.SeriesFor(m.rng), Quotes: u.Quotes, Missing: missing, Flashes: m.flashes, Trades: trades,
		LastGood: u.LastGood, Now: m.now, Range: m.rng, StaleAfter: staleAfter, Description: def.Description,
		Benchmark: m.report.Benchmark, Zone: m.now.Location(), Events: m.chartEvents(members, false)})
}

func (m Model) detailData(symbol string) detailData {
	d := detailData{Range: m.rng, Zone: m.now.Location(), Benchmark: m.report.Benchmark, Quote: m.update.Quotes[symbol],
		Series: m.update.Series[feeds.SeriesKey{Symbol: symbol, Range: m.rng.Fetched()}], Events: m.chartEvents([]string{symbol}, true)}
	if seg := m.activeSegmentResult(); seg != nil {
		d.Segment = *seg
		for _, s := range seg.Symbols {
			if s.Symbol == symbol {
				d.Symbol = s
			}
		}
		def, _ := m.set.Segment(seg.File)
		for _, s := range def.Symbols {
			if s.Symbol == symbol {
				d.Note = s.Note
			}
		}
	}
	return d
}

func (m Model) activeSegmentResult() *baskets.SegmentResult {
	file := m.tabs.ActiveFile()
	for i := range m.report.Segments {
		if m.report.Segments[i].File == file {
			return &m.report.Segments[i]
		}
	}
	return nil
}

// syncTabs rebuilds the tab bar from the set, keeping the active tab (by
// file) and each segment's selected row when they still exist.
func (m *Model) syncTabs() {
	tabs := make([]tabInfo, 0, len(m.set.Segments)+1)
	if m.opts.HoldingsPath != "" {
		tabs = append(tabs, tabInfo{Title: "Book", Book: true})
	}
	keep := map[string]bool{}
	for _, seg := range m.set.Segments {
		tabs = append(tabs, tabInfo{File: seg.File, Title: seg.Name, Era: seg.Era})
		keep[seg.File] = true
		if m.segments[seg.File] == nil {
			v := newSegmentView(m.styles)
			m.segments[seg.File] = &v
		}
	}
	for file := range m.segments {
		if !keep[file] {
			delete(m.segments, file)
		}
	}
	m.tabs.SetTabs(tabs)
	m.rotation.SetTabNumbers(m.tabs.Numbers())
	if m.activeSegment() == nil && m.detail.Open() {
		m.detail.Close()
	}
}

func (m Model) activeSegment() *segmentView {
	return m.segments[m.tabs.ActiveFile()]
}

// banner lists files that failed to parse, each wrapped over at most two
// lines; it stays until they are fixed, while a file's last good version,
// if it ever had one, keeps running. Fired alerts come first.
func (m Model) banner() string {
	errs := append(slices.Clip(m.fileErrors), m.userFileErrors()...)
	alerted := m.alertLines()
	if len(errs) == 0 {
		return strings.Join(alerted, "\n")
	}
	const maxErrors = 3
	var lines []string
	for i, e := range errs {
		if i == maxErrors-1 && len(errs) > maxErrors {
			lines = append(lines, fmt.Sprintf("… and %d more: run 'rotation check' for all of them", len(errs)-i))
			break
		}
		first, _, _ := strings.Cut(e.Error(), "\n")
		// The directory is known; the file name and position are what to fix.
		first = strings.TrimPrefix(first, m.set.Source+string(filepath.Separator))
		lines = append(lines, wrapLines("⚠ "+first+"  "+m.keptNote(e), m.width-2, 2)...)
	}
	for i, l := range lines {
		lines[i] = m.styles.Banner.Width(m.width).MaxWidth(m.width).Render(truncate(l, m.width-2))
	}
	return strings.Join(append(alerted, lines...), "\n")
}

// keptNote says what runs meanwhile: the file's last good version, or, for
// one that never loaded, nothing of it.
func (m Model) keptNote(e *watchlists.FileError) string {
	switch e.Path {
	case m.opts.HoldingsPath:
		if len(m.holdings.Lots) > 0 {
			return "(last good version kept)"
		}
	case m.opts.AlertsPath:
		if len(m.rules) > 0 {
			return "(last good version kept)"
		}
	case m.opts.EventsPath:
		if len(m.events) > 0 {
			return "(last good version kept)"
		}
	default:
		if _, ok := m.set.Segment(filepath.Base(e.Path)); ok {
			return "(last good version kept)"
		}
	}
	return "(not loaded)"
}

// cutAtWord is the longest start of s within w cells that ends at a space,
// or the plain cut when no space comes late enough; "" when w < 1.
func cutAtWord(s string, w int) string {
	w = max(w, 0) // the room left beside a suffix, in a narrow window, is negative
	cut := ansi.Truncate(s, w, "")
	if len(cut) < len(s) && s[len(cut)] != ' ' { // else the cut already ends a word
		if i := strings.LastIndexByte(cut, ' '); i > w/3 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, " ·")
}

// wrapLines breaks s at spaces into lines of at most w cells, at most n of
// them, the last cut with an ellipsis when the text runs on; none when w
// or n is below 1.
func wrapLines(s string, w, n int) []string {
	if w <= 0 || n <= 0 {
		return nil
	}
	var out []string
	for s != "" && len(out) < n {
		if ansi.StringWidth(s) <= w || len(out) == n-1 {
			out = append(out, truncate(s, w))
			break
		}
		cut := cutAtWord(s, w)
		out = append(out, cut)
		s = strings.TrimLeft(s[len(cut):], " ·")
	}
	return out
}

// statusLine is the latest message, cut at a word with "… ? more" when it
// runs long; ? shows it whole.
func (m Model) statusLine() string {
	msg := m.statusText()
	if m.help.ShowAll {
		lines := wrapLines(msg, m.width, 3)
		for i, l := range lines {
			lines[i] = m.styles.Status.Render(l)
		}
		return strings.Join(lines, "\n")
	}
	if ansi.StringWidth(msg) > m.width {
		const more = " … ? more"
		msg = cutAtWord(msg, m.width-ansi.StringWidth(more)) + more
	}
	return m.styles.Status.Render(truncate(msg, m.width))
}

// statusText is the app's last message, else a refresh under way, else
// the feed's state and detail, said once.
func (m Model) statusText() string {
	msg := m.status
	if msg == "" && !m.refreshAsked.IsZero() {
		msg = "refreshing…"
	}
	if msg == "" {
		h := m.update.Health
		msg = h.Detail
		if h.StreamDetail != "" { // how prices arrive comes first: it says why they are older
			msg = strings.TrimSuffix(h.StreamDetail+". "+msg, " ")
		}
		if err := m.update.Err; err != nil && h.State == feeds.StateLive && !strings.Contains(msg, err.Error()) {
			msg = "last refresh: " + err.Error()
		}
		if !m.update.At.IsZero() {
			msg += "  ·  updated " + m.update.At.In(m.now.Location()).Format("15:04:05")
		}
	}
	return clean(msg)
}
