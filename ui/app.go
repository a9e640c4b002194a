// Package ui is rotation's terminal interface: the only package that knows
// about Bubble Tea and Lip Gloss. The root model routes messages and lays out
// components; each component owns its state and draws itself.
package ui

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// Minimum usable terminal; below it the app says so instead of breaking.
const minWidth, minHeight = 60, 16

// Source is the running poller as the UI sees it.
type Source interface {
	Updates() <-chan feeds.Update
	SetWatch(feeds.Watch)
	RefreshNow()
}

// Options is everything the UI needs from main; it does no I/O of its own
// beyond what these hand it.
type Options struct {
	Source    Source
	Clock     feeds.Clock
	Set       watchlists.Set
	Errors    []*watchlists.FileError
	Reloads   <-chan watchlists.Reload // nil when the set is not watched (built-in defaults)
	Range     feeds.Range
	Currency  string // "local", or a currency code to convert to (USD, EUR...)
	MapMode   string // the rotation map's closes: "daily" (also "") or "weekly"
	Weighting string // basket weights: "file" (also ""), "equal" or "cap"
	Benchmark string
	Editor    string // $VISUAL, $EDITOR or vi
	// InitWatchlists writes the built-in watchlists to the user's config
	// directory and starts watching it, so they can be edited.
	InitWatchlists func() WatchlistsInitializedMsg
	// Notices are diagnostics for the status line, in place of stderr,
	// which the screen hides; Startup are those found before it started.
	Notices <-chan string
	Startup []string

	// The holdings file ("" when none is in use) and the book it held at
	// start; the alert rules likewise, with the tracker that fires each
	// once per crossing (nil when no alerts file is in use) and the log
	// fired alerts are appended to. UserFiles carries each later save of
	// either (HoldingsChangedMsg, AlertRulesChangedMsg); UserErrors are
	// their problems at start, and the events file's.
	HoldingsPath string
	Holdings     book.Holdings
	AlertsPath   string
	Rules        []alerts.Rule
	Alerts       *alerts.Tracker
	AlertLog     string
	UserFiles    <-chan tea.Msg
	UserErrors   []*watchlists.FileError
	// The events file ("" when none is watched: the built-ins, or
	// --events none) and the events the charts mark at start (nil when it
	// is broken); its later saves come on UserFiles too (EventsChangedMsg).
	EventsPath string
	Events     []events.Event
	// Notify sends fired alerts as desktop notifications (--notify-cmd);
	// else NotifyOSC "777" or "9" sends them as that terminal sequence
	// (--notify); "" and nil send nothing.
	Notify    Notifier
	NotifyOSC string
}

// Model is the root model.
type Model struct {
	opts   Options
	keys   KeyMap
	styles *Styles
	help   help.Model

	width, height int
	now           time.Time

	set        watchlists.Set
	fileErrors []*watchlists.FileError
	reloads    <-chan watchlists.Reload
	generation uint64

	rng       feeds.Range
	currency  string // baskets.Local or display
	display   string // the currency c switches to: Options.Currency, USD when that is local
	mapMode   string
	weighting string
	update    feeds.Update
	report    baskets.Report
	// live reprices report trade by trade (trades.go), on the trades' bars
	// counted at the last whole compute; behind says trades came since,
	// and catchUpAt is when what they moved beyond prices is computed whole
	// (zero: nothing waits).
	live         *baskets.Live
	computedBars uint64
	behind       bool
	catchUpAt    time.Time
	flashes      map[string]flashMark // by symbol: its price's last move
	moved        map[string]bool      // symbols traded since the last frame drawn
	framing      bool                 // a tradesDueMsg is on its way
	drawnAt      time.Time            // when the last frame of trades was drawn

	header   header
	tabs     tabBar
	rotation rotationView
	segments map[string]*segmentView // by file, so selection survives tab switches
	detail   detailView
	// attribution is why the spread moved (a), over whatever tab is open.
	attribution attributionView
	book        bookView
	confirm     confirmInit // the "write the built-in lists first?" question
	prompt      datePrompt  // d: the range since a date, typed in the footer
	status      string      // the last thing the app wants the person to know
	// refreshAsked is when r asked for a refresh whose update has not come
	// yet; zero when none is awaited. Till it comes the status says so.
	refreshAsked time.Time

	holdings     book.Holdings
	holdingsErrs []*watchlists.FileError // the holdings file's errors; the last good book stays
	rules        []alerts.Rule
	alertsErrs   []*watchlists.FileError
	ruleErrors   []*watchlists.FileError // rules naming no segment of the set: validateRules
	fired        []alerts.Fired          // the latest fired alerts, newest first, for the banner
	events       []events.Event          // the events file's, or the built-ins; the last good ones stay
	eventsErrs   []*watchlists.FileError
	earnings     []events.Event // from the latest quotes' earnings dates
}

// displayCurrency is what c converts to: the currency asked for, US dollars
// when that was each listing's own.
func displayCurrency(c string) string {
	if c == "" || strings.EqualFold(c, baskets.Local) {
		return baskets.USD
	}
	return strings.ToUpper(c)
}

// New builds the root model.
func New(opts Options) Model {
	styles := NewStyles(true)
	m := Model{
		opts:       opts,
		keys:       DefaultKeyMap(),
		styles:     &styles,
		help:       help.New(),
		set:        opts.Set,
		fileErrors: opts.Errors,
		reloads:    opts.Reloads,
		rng:        opts.Range,
		currency:   cmp.Or(opts.Currency, baskets.Local),
		display:    displayCurrency(opts.Currency),
		mapMode:    opts.MapMode,
		weighting:  opts.Weighting,
		segments:   map[string]*segmentView{},
		holdings:   opts.Holdings,
		rules:      opts.Rules,
		events:     opts.Events,
	}
	for _, e := range opts.UserErrors {
		switch e.Path {
		case opts.HoldingsPath:
			m.holdingsErrs = append(m.holdingsErrs, e)
		case opts.EventsPath:
			m.eventsErrs = append(m.eventsErrs, e)
		default:
			m.alertsErrs = append(m.alertsErrs, e)
		}
	}
	m.keys.Currency.SetHelp("c", "local/"+m.display)
	m.now = opts.Clock()
	m.help.Styles = styles.Help
	m.header = newHeader(m.styles)
	m.header.SetNow(m.now) // the clock shows from the first frame, not the first tick
	m.tabs = newTabBar(m.styles)
	m.rotation = newRotationView(m.styles)
	m.detail = newDetailView(m.styles)
	m.attribution = newAttributionView(m.styles)
	m.book = newBookView(m.styles)
	m.prompt = newDatePrompt(m.styles)
	m.rotation.SetEvents(m.chartEvents(nil, false))
	m.syncTabs()
	m.validateRules()
	if n := len(opts.Startup); n > 0 {
		m.status = opts.Startup[n-1]
		if n > 1 {
			m.status = fmt.Sprintf("%s (and %d more in the log)", m.status, n-1)
		}
	}
	return m
}

// Init starts the clock, the feed and the watcher, and asks the terminal for
// its background so the theme can match it.
func (m Model) Init() tea.Cmd {
	return tea.Batch(
		tea.RequestBackgroundColor,
		tickEvery(m.opts.Clock),
		m.watchCmd(),
		waitForUpdate(m.opts.Source.Updates()),
		waitForReload(m.reloads),
		waitForNotice(m.opts.Notices),
		waitForUserFile(m.opts.UserFiles),
	)
}

// Update routes each message to a short handler.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resized(msg.Width, msg.Height), nil
	case tea.BackgroundColorMsg:
		return m.restyled(msg.IsDark()), nil
	case tea.KeyPressMsg:
		return m.keyPressed(msg)
	case tea.PasteMsg:
		if m.prompt.Open() {
			var cmd tea.Cmd
			m.prompt, cmd = m.prompt.Update(msg)
			return m, cmd
		}
		return m, nil
	case tea.MouseClickMsg:
		return m.clicked(msg)
	case tea.MouseWheelMsg:
		return m.wheeled(msg)
	case clockTickedMsg:
		return m.ticked(msg.Now), tickEvery(m.opts.Clock)
	case quotesUpdatedMsg:
		return m.quotesUpdated(msg)
	case tradesDueMsg:
		return m.tradesDue()
	case watchlistsReloadedMsg:
		return m.watchlistsReloaded(msg)
	case WatchlistsInitializedMsg:
		return m.watchlistsInitialized(msg)
	case editorClosedMsg:
		return m.editorClosed(msg), nil
	case HoldingsChangedMsg:
		return m.holdingsChanged(msg)
	case AlertRulesChangedMsg:
		return m.alertRulesChanged(msg)
	case EventsChangedMsg:
		return m.eventsChanged(msg)
	case alertsRecordedMsg:
		if msg.Err != nil {
			m.status = "alerts: " + msg.Err.Error()
		}
		return m, nil
	case noticedMsg:
		m.status = clean(msg.Text)
		return m, waitForNotice(m.opts.Notices)
	case updatesClosedMsg:
		m.refreshAsked = time.Time{} // no refresh will come now
		return m, nil
	case reloadsClosedMsg, noticesClosedMsg, userFilesClosedMsg:
		return m, nil
	}
	return m, nil
}

// tooSmall is a window below the smallest layout that shows anything useful.
func (m Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// tooSmallView says so, wrapped at words into whatever cells there are:
// the size first, then what is needed, as much of it as fits.
func (m Model) tooSmallView() string {
	lines := wrapLines(fmt.Sprintf("window too small: %dx%d;", m.width, m.height), m.width, m.height)
	for i, l := range lines {
		lines[i] = m.styles.Bold.Render(l)
	}
	for _, l := range wrapLines(fmt.Sprintf("rotation needs at least %dx%d", minWidth, minHeight), m.width, m.height-len(lines)) {
		lines = append(lines, m.styles.Muted.Render(l))
	}
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
}

// noWatchlists is the home screen while the watched directory holds no
// loadable watchlist: what is wrong and what to do, not a blank screen.
func (m Model) noWatchlists() string {
	where := clean(m.set.Source)
	lines := []string{m.styles.Title.Render("No watchlists"), "",
		m.styles.Muted.Render(truncate("no loadable watchlist in "+where, m.width)),
		m.styles.Muted.Render(truncate("add a .yaml file there (see the README, Watchlists), or run: rotation init "+where, m.width))}
	return lipgloss.Place(m.width, m.bodyHeight(), lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
}

// View lays out the screen; every component has already been sized.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion // clicks and the wheel; shift+drag still selects text
	v.WindowTitle = "rotation"
	return v
}

func (m Model) render() string {
	if m.width == 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	// The banner, status and help are drawn once a frame, and the body gets
	// what they leave.
	banner, status, help := m.chrome()
	parts := []string{m.header.View(), m.tabs.View()}
	if banner != "" {
		parts = append(parts, banner)
	}
	parts = append(parts, fitHeight(m.body(), m.heightLeft(banner, status, help)), status, help)
	// A plain join: every part is already cut to the width, so measuring
	// each line again, as JoinVertical does, would only slow every frame
	// (see BenchmarkView).
	return strings.Join(parts, "\n")
}

func (m Model) body() string {
	switch m.screen() {
	case screenConfirm:
		return m.confirm.View(m.styles, m.width)
	case screenDetail:
		return m.detail.View()
	case screenAttribution:
		return m.attribution.View()
	case screenSegment:
		return m.activeSegment().View()
	case screenBook:
		return m.book.View()
	}
	if len(m.set.Segments) == 0 {
		return m.noWatchlists()
	}
	return m.rotation.View()
}
