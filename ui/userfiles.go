package ui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// The user's own files beside the watchlists: the holdings file (the Book
// tab and the exposure line), the alert rules and the events the charts
// mark. main watches each and sends each settled save as one of these
// messages.

// HoldingsChangedMsg is one save of the holdings file: the book it holds,
// or every reason it could not be read (the last good book stays).
type HoldingsChangedMsg struct {
	Holdings book.Holdings
	Errs     []*watchlists.FileError
}

// AlertRulesChangedMsg is one save of the alerts file, likewise.
type AlertRulesChangedMsg struct {
	Rules []alerts.Rule
	Errs  []*watchlists.FileError
}

// EventsChangedMsg is one save of the events file, likewise: the last
// good events stay while it is broken.
type EventsChangedMsg struct {
	Events []events.Event
	Errs   []*watchlists.FileError
}

// userFilesClosedMsg says the watchers stopped.
type userFilesClosedMsg struct{}

func waitForUserFile(ch <-chan tea.Msg) tea.Cmd {
	return waitOn(ch, func(msg tea.Msg) tea.Msg { return msg }, userFilesClosedMsg{})
}

func (m Model) holdingsChanged(msg HoldingsChangedMsg) (tea.Model, tea.Cmd) {
	m.holdingsErrs = msg.Errs
	if len(msg.Errs) == 0 {
		m.holdings = msg.Holdings
		m.status = "reloaded the holdings"
	}
	return m.userFilesReloaded()
}

func (m Model) alertRulesChanged(msg AlertRulesChangedMsg) (tea.Model, tea.Cmd) {
	m.alertsErrs = msg.Errs
	if len(msg.Errs) == 0 {
		m.rules = msg.Rules
		m.status = "reloaded the alert rules"
	}
	return m.userFilesReloaded()
}

// eventsChanged redraws the charts with the new events. Nothing is
// fetched for them, so the watch stays as it is.
func (m Model) eventsChanged(msg EventsChangedMsg) (tea.Model, tea.Cmd) {
	m.eventsErrs = msg.Errs
	if len(msg.Errs) == 0 {
		m.events = msg.Events
		m.status = "reloaded the events"
	}
	m.rotation.SetEvents(m.chartEvents(nil, false))
	m.syncActiveSegment()
	if m.detail.Open() {
		m.detail.SetData(m.detailData(m.detail.Symbol()))
	}
	if m.attribution.Open() {
		m.attribution.SetData(m.attributionData())
	}
	m = m.layout() // the banner may have grown or shrunk
	return m, waitForUserFile(m.opts.UserFiles)
}

// chartEvents are the events of a chart (see eventsOn): the file's or the
// built-ins, and the earnings dates of the latest quotes.
func (m Model) chartEvents(symbols []string, detail bool) []events.Event {
	return eventsOn(slices.Concat(m.events, m.earnings), symbols, detail)
}

// userFilesReloaded refetches (held and alerted symbols are watched too) and
// redraws what the files feed.
func (m Model) userFilesReloaded() (tea.Model, tea.Cmd) {
	m.validateRules()
	m.generation++
	m.recompute()
	m = m.layout() // the banner may have grown or shrunk
	return m, tea.Batch(waitForUserFile(m.opts.UserFiles), m.watchCmd())
}

// userSymbols are the symbols the user's files need beyond the watchlists.
func (m Model) userSymbols() []string {
	out := m.holdings.Symbols()
	if m.opts.Alerts != nil {
		out = append(out, alerts.Symbols(m.rules)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// userFileErrors are the holdings, alerts and events problems for the
// banner: the files that do not parse, and rules naming a segment no
// watchlist has.
func (m Model) userFileErrors() []*watchlists.FileError {
	return slices.Concat(m.holdingsErrs, m.alertsErrs, m.ruleErrors, m.eventsErrs)
}

// validateRules finds the rules that name a segment no watchlist has. It
// runs when the rules or the watchlists change, not with every frame.
func (m *Model) validateRules() {
	m.ruleErrors = nil
	if m.opts.Alerts != nil {
		m.ruleErrors = alerts.Validate(m.rules, m.set)
	}
}

// recomputeBook values the holdings on the latest quotes.
func (m *Model) recomputeBook() {
	if m.opts.HoldingsPath == "" {
		return
	}
	b := book.Value(m.holdings, m.set, m.update.Quotes,
		book.RatesFrom(m.update.SeriesFor(feeds.RangeDaily), m.update.SeriesFor(feeds.RangeLong)))
	m.book.SetData(bookData{Book: b, Path: m.opts.HoldingsPath, Simulated: m.report.Feed.Simulated, Err: errText(m.holdingsErrs)})
	m.rotation.SetExposure(b.ExposureLine())
}

// errText is a file's first error, and how many more the banner lists.
func errText(errs []*watchlists.FileError) string {
	switch len(errs) {
	case 0:
		return ""
	case 1:
		return errs[0].Error()
	}
	return fmt.Sprintf("%s (and %d more above)", errs[0].Error(), len(errs)-1)
}
