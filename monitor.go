package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/report"
	"github.com/rotation-dev/rotation/ui"
	"github.com/rotation-dev/rotation/watchlists"
)

// runMonitor starts the terminal UI.
func runMonitor(c config, getenv func(string) string) error {
	set, errs := loadWatchlists(c.watchlists, getenv)
	if err := requireSegments(set, errs); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := buildFeed(c, newClock(c.now, false), getenv)
	if err != nil {
		return err
	}
	clock := w.clock
	defer w.close()
	save, flush := w.saver()
	poller, wait := w.startPoller(ctx, c, clock, save, false)
	defer flush()
	defer wait()
	defer cancel()

	var reloads <-chan watchlists.Reload
	if !set.Embedded() {
		if reloads, err = watchlists.Watch(ctx, set.Source, set); err != nil {
			return err
		}
	}
	u := loadUserFiles(c, set, getenv)
	for _, w := range u.warnings {
		diag.say(w)
	}
	userFiles, err := watchUserFiles(ctx, u)
	if err != nil {
		diag.say("cannot watch the holdings, alerts or events file, edits will not reload: " + err.Error())
	}
	var tracker *alerts.Tracker
	statePath, alertLog := alerts.StatePaths(getenv)
	if u.alertsPath != "" {
		if tracker, err = alerts.OpenTracker(statePath); err != nil {
			diag.say(err.Error())
		}
	}
	notifyOSC := ""
	if c.notify {
		notifyOSC = oscFlavour(getenv)
	}
	var notify ui.Notifier
	if c.notifyCmd != "" {
		runner := newNotifyRunner(c.notifyCmd, diag.logOnly)
		defer runner.stop() // no notification outlives the monitor
		notify = runner.notify
	}
	// From here until the screen ends, nothing is written to stderr.
	notices, early := diag.startScreen()
	model := ui.New(ui.Options{
		Notices:        notices,
		Startup:        early,
		Source:         poller,
		Clock:          clock,
		Set:            set,
		Errors:         errs,
		Reloads:        reloads,
		Range:          c.rng,
		Currency:       c.currency,
		Benchmark:      c.benchmark,
		MapMode:        c.mapMode,
		Weighting:      c.weighting,
		Editor:         editor(getenv),
		InitWatchlists: initWatchlists(ctx),
		HoldingsPath:   u.holdingsPath,
		Holdings:       u.holdings,
		AlertsPath:     u.alertsPath,
		Rules:          u.rules,
		Alerts:         tracker,
		AlertLog:       alertLog,
		UserFiles:      userFiles,
		UserErrors:     append(slices.Clip(u.errs), u.eventErrs...),
		EventsPath:     u.eventsPath,
		Events:         u.events,
		Notify:         notify,
		NotifyOSC:      notifyOSC,
	})
	// 30 frames a second, not Bubble Tea's 60: each tick wakes the process,
	// and idle CPU falls by about a third (scripts/cpu-ratio.sh).
	program := tea.NewProgram(model, tea.WithFPS(30), tea.WithoutSignalHandler(),
		tea.WithColorProfile(ui.DetectedProfile()), tea.WithFilter(suspendFilter))
	stop := quitOnSignal(program)
	_, err = program.Run()
	diag.endScreen()
	if s := stop(); s != nil && err == nil {
		return signalExit(s) // the deferred flushes run on the way out
	}
	return err
}

// requireSegments refuses to run without a single loadable watchlist,
// reporting every file error first.
func requireSegments(set watchlists.Set, errs []*watchlists.FileError) error {
	if len(set.Segments) > 0 {
		return nil
	}
	for _, e := range errs {
		stderrf("%s\n", e.Report())
	}
	return fmt.Errorf("no watchlist could be loaded; fix the files above, or run 'rotation init' for the built-in ones")
}

func editor(getenv func(string) string) string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if e := getenv(v); e != "" {
			return e
		}
	}
	return "vi"
}

// initWatchlists writes the built-in watchlists to the user's config
// directory and starts watching it: what 'e' on the built-in lists needs.
func initWatchlists(ctx context.Context) func() ui.WatchlistsInitializedMsg {
	return func() ui.WatchlistsInitializedMsg {
		dir, err := watchlists.DefaultDir()
		if err == nil {
			_, _, err = watchlists.Init(dir)
		}
		if err != nil {
			return ui.WatchlistsInitializedMsg{Err: fmt.Errorf("cannot write the built-in watchlists: %w", err)}
		}
		set, errs := watchlists.LoadDir(dir)
		reloads, err := watchlists.Watch(ctx, dir, set)
		return ui.WatchlistsInitializedMsg{Dir: dir, Set: set, Errors: errs, Reloads: reloads, Err: err}
	}
}

// runPrint waits for the first complete refresh, prints the report and exits:
// 0 on success, 2 when the feed gave no data at all.
func runPrint(c config, stdout io.Writer, getenv func(string) string) error {
	set, errs := loadWatchlists(c.watchlists, getenv)
	if err := requireSegments(set, errs); err != nil {
		return err // where the monitor refuses to start, print does too
	}
	for _, e := range errs {
		stderrf("%s\n", e.Report())
	}
	if c.segment != "" {
		seg, ok := findSegment(set, c.segment)
		if !ok {
			return exitError{2, fmt.Errorf("--segment %q matches no watchlist name or file", c.segment)}
		}
		set.Segments = []watchlists.Segment{seg}
	}
	u := loadUserFiles(c, set, getenv)
	if len(u.problems()) > 0 {
		u.writeReports(os.Stderr)
		return exitError{1, fmt.Errorf("%d problem(s) in the holdings, alerts or events file; fix them (rotation check shows them too)", len(u.problems()))}
	}
	for _, w := range u.warnings {
		stderrf("rotation: %s\n", w)
	}
	w, err := buildFeed(c, newClock(c.now, true), getenv)
	if err != nil {
		return err
	}
	clock := w.clock
	defer w.close()
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	poller, wait := w.startPoller(ctx, c, clock, nil, true)
	defer wait()
	poller.SetWatch(feeds.Watch{Generation: 1, Symbols: baskets.Symbols(set, c.benchmark, append(u.symbols(), baskets.DisplayPair(c.currency))...),
		Range: c.rng})

	upd := firstRefresh(ctx, poller)
	cancel()
	if len(upd.Quotes) == 0 {
		reason := "no refresh completed within --timeout " + c.timeout.String()
		if upd.Err != nil {
			reason = upd.Err.Error()
		}
		return exitError{2, fmt.Errorf("the %s feed gave no data: %s", w.feed.Name(), reason)}
	}
	if !upd.Complete || upd.Pending > 0 {
		stderrf("rotation: --timeout %s passed before every chart arrived; figures that need them are missing (null)\n", c.timeout)
	}
	settings := baskets.Settings{Range: c.rng, Currency: c.currency, Benchmark: c.benchmark, RotationMode: c.mapMode, Weighting: c.weighting}
	rep := baskets.ComputeAll(baskets.NewInput(set, upd, settings, clock(), nil), upd.SeriesFor, alerts.Ranges(u.rules)...)
	doc := report.Document{Report: rep}
	if u.holdingsPath != "" {
		b := book.Value(u.holdings, set, upd.Quotes, book.RatesFrom(upd.SeriesFor(feeds.RangeDaily), upd.SeriesFor(feeds.RangeLong)))
		doc.Holdings = &b
	}
	doc.Alerts = report.Holding(alerts.Evaluate(u.rules, rep, upd.Quotes))
	doc.Events = report.Events(append(slices.Clip(u.events), events.Earnings(upd.Quotes)...),
		baskets.RangeStart(c.rng, rep.AsOf), rep.AsOf)
	switch c.format {
	case "json":
		return report.WriteJSON(stdout, doc)
	case "csv":
		return report.WriteCSV(stdout, doc)
	}
	return report.WriteTable(stdout, doc, colorOK(stdout, getenv))
}

// firstRefresh waits for the first refresh that holds every series, which
// a large watch reaches over several refreshes within the request budget;
// if the time runs out first, it settles for the latest update.
func firstRefresh(ctx context.Context, p *feeds.Poller) feeds.Update {
	var latest feeds.Update
	for {
		select {
		case u, ok := <-p.Updates():
			if !ok {
				return latest
			}
			latest = u
			if u.Complete && u.Pending == 0 {
				return u
			}
		case <-ctx.Done():
			return latest
		}
	}
}

func findSegment(set watchlists.Set, nameOrFile string) (watchlists.Segment, bool) {
	for _, seg := range set.Segments {
		if strings.EqualFold(seg.Name, nameOrFile) || seg.File == nameOrFile ||
			strings.TrimSuffix(strings.TrimSuffix(seg.File, ".yaml"), ".yml") == nameOrFile {
			return seg, true
		}
	}
	return watchlists.Segment{}, false
}

// colorOK: colour only on a terminal, and never with NO_COLOR set.
func colorOK(w io.Writer, getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && isTerminal(w)
}
