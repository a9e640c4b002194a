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
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/sanitize"
	"github.com/rotation-dev/rotation/ui"
	"github.com/rotation-dev/rotation/watchlists"
)

// userFiles are the run's holdings, alerts and events files: where they
// are ("" when not in use), what they hold, and what is wrong with them.
type userFiles struct {
	holdingsPath, alertsPath string
	holdings                 book.Holdings
	rules                    []alerts.Rule
	// Without an events file (and not --events none), the built-ins.
	eventsPath string
	events     []events.Event
	eventErrs  []*watchlists.FileError // kept apart: print refuses a broken events file, check counts it
	// The bytes each was read from (nil when unreadable), which the
	// watchers start from rather than read the files again.
	holdingsData, alertsData, eventsData []byte
	errs                                 []*watchlists.FileError // what the files' own text gets wrong
	// Rules naming a segment no watchlist has: the monitor finds these
	// itself, again whenever the watchlists change.
	unknownSegments []*watchlists.FileError
	warnings        []string
}

// problems is every error of the files, for check and for refusing to run.
func (u userFiles) problems() []*watchlists.FileError {
	return append(append(slices.Clip(u.errs), u.unknownSegments...), u.eventErrs...)
}

// userFilePath resolves --holdings, --alerts or --events: an explicit path (whose
// absence is then an error when it is read), "none" for no file, or else
// the default path when a file is there.
func userFilePath(flagValue, def string) string {
	switch {
	case strings.EqualFold(flagValue, "none"):
		return ""
	case flagValue != "":
		return flagValue
	}
	if info, err := os.Stat(def); def == "" || err != nil || info.IsDir() {
		return ""
	}
	return def
}

// loadUserFiles reads and parses both files, once each, with every error
// of each: 'rotation check' prints them all, the monitor's banner lists them.
func loadUserFiles(c config, set watchlists.Set, getenv func(string) string) userFiles {
	var u userFiles
	u.holdingsPath = userFilePath(c.holdings, book.DefaultPath(getenv))
	if u.holdingsPath != "" {
		var errs []*watchlists.FileError
		u.holdings, u.holdingsData, errs = loadFile(u.holdingsPath, book.Read, book.ParseAll)
		u.errs = append(u.errs, errs...)
		for _, sym := range book.Unlisted(u.holdings, set) {
			u.warnings = append(u.warnings, fmt.Sprintf("%s: %s is in no watchlist; it is priced anyway and counts as unclassified", u.holdingsPath, sym))
		}
	}
	u.alertsPath = userFilePath(c.alerts, alerts.DefaultPath(getenv))
	if u.alertsPath != "" {
		var errs []*watchlists.FileError
		u.rules, u.alertsData, errs = loadFile(u.alertsPath, alerts.Read, alerts.ParseAll)
		u.errs = append(u.errs, errs...)
		u.unknownSegments = alerts.Validate(u.rules, set)
	}
	u.eventsPath = userFilePath(c.events, events.DefaultPath(getenv))
	switch {
	case u.eventsPath != "":
		u.events, u.eventsData, u.eventErrs = loadFile(u.eventsPath, events.Read, events.ParseAll)
	case !strings.EqualFold(c.events, "none"):
		u.events = events.Builtin()
	}
	return u
}

// loadFile reads path once, boundedly (read), and parses it with every
// error; data is what it was parsed from, for its watcher, nil when it
// could not be read.
func loadFile[T any](path string, read func(string) ([]byte, *watchlists.FileError),
	parse func(string, []byte) (T, []*watchlists.FileError)) (v T, data []byte, errs []*watchlists.FileError) {
	data, fe := read(path)
	if fe != nil {
		return v, nil, []*watchlists.FileError{fe}
	}
	v, errs = parse(path, data)
	return v, data, errs
}

// writeCheck is the holdings, alerts and events part of 'rotation check':
// a line per file, then every error with its annotated lines.
func (u userFiles) writeCheck(w io.Writer) {
	if u.holdingsPath != "" || u.alertsPath != "" || u.eventsPath != "" {
		fmt.Fprintln(w) // apart from the watchlists' part above
	}
	line := func(path, what string) {
		if path == "" {
			return
		}
		n := 0
		for _, e := range u.problems() {
			if e.Path == path {
				n++
			}
		}
		switch {
		case n == 1:
			what = "1 error, below"
		case n > 1:
			what = fmt.Sprintf("%d errors, below", n)
		}
		fmt.Fprintf(w, "%s: %s\n", sanitize.Text(path), what)
	}
	line(u.holdingsPath, fmt.Sprintf("ok, %d lots of %d symbols", len(u.holdings.Lots), len(u.holdings.Symbols())))
	line(u.alertsPath, fmt.Sprintf("ok, %d rules", len(u.rules)))
	line(u.eventsPath, fmt.Sprintf("ok, %d events", len(u.events)))
	for _, msg := range u.warnings {
		fmt.Fprintln(w, "note:", sanitize.Text(msg))
	}
	u.writeReports(w)
}

// symbols are what the files need fetched beyond the watchlists.
func (u userFiles) symbols() []string {
	return append(u.holdings.Symbols(), alerts.Symbols(u.rules)...)
}

// writeReports prints every file error with its annotated lines, each
// after a blank line so that a file's several errors stay apart. Report
// is sanitized line by line: the lines quote the file.
func (u userFiles) writeReports(w io.Writer) {
	for _, e := range u.problems() {
		fmt.Fprintf(w, "\n%s\n", e.Report())
	}
}

// watchUserFiles sends each settled save of the holdings, alerts or events
// file to the monitor as a ui.HoldingsChangedMsg, ui.AlertRulesChangedMsg or
// ui.EventsChangedMsg, parsed here so the UI does no I/O. A file deleted
// while watched reads as empty.
func watchUserFiles(ctx context.Context, u userFiles) (<-chan tea.Msg, error) {
	out := make(chan tea.Msg)
	started := 0
	// watch follows one file from the bytes it was read from at start;
	// msg turns a settled save, or why it cannot be read, into a message.
	watch := func(path string, initial []byte, msg fileMsg) error {
		if path == "" {
			return nil
		}
		changes, err := watchlists.WatchFile(ctx, path, initial, initial == nil)
		if err != nil {
			return err
		}
		started++
		go func() {
			for ch := range changes {
				var m tea.Msg
				switch {
				case ch.Missing:
					m = msg(nil, nil) // deleted: nothing in it
				case ch.Err != nil:
					m = msg(nil, asFileError(ch.Path, ch.Err))
				default:
					m = msg(ch.Data, nil)
				}
				select {
				case out <- m:
				case <-ctx.Done():
					return
				}
			}
		}()
		return nil
	}
	files := []struct {
		path string
		data []byte
		msg  fileMsg
	}{
		{u.holdingsPath, u.holdingsData, parsedAs(u.holdingsPath, book.ParseAll, func(h book.Holdings, errs []*watchlists.FileError) tea.Msg {
			return ui.HoldingsChangedMsg{Holdings: h, Errs: errs}
		})},
		{u.alertsPath, u.alertsData, parsedAs(u.alertsPath, alerts.ParseAll, func(rules []alerts.Rule, errs []*watchlists.FileError) tea.Msg {
			return ui.AlertRulesChangedMsg{Rules: rules, Errs: errs}
		})},
		{u.eventsPath, u.eventsData, parsedAs(u.eventsPath, events.ParseAll, func(evs []events.Event, errs []*watchlists.FileError) tea.Msg {
			return ui.EventsChangedMsg{Events: evs, Errs: errs}
		})},
	}
	var err error
	for _, f := range files {
		if err = watch(f.path, f.data, f.msg); err != nil {
			break
		}
	}
	if started == 0 {
		return nil, err
	}
	return out, err
}

// fileMsg is the message a watched file's settled save sends: what its
// bytes parse to, or the reason it could not be read (unreadable).
type fileMsg func(data []byte, unreadable *watchlists.FileError) tea.Msg

// parsedAs is the fileMsg of a file parsed by parse into msg; an
// unreadable file is msg of nothing and that one error.
func parsedAs[T any](path string, parse func(string, []byte) (T, []*watchlists.FileError),
	msg func(T, []*watchlists.FileError) tea.Msg) fileMsg {
	return func(data []byte, unreadable *watchlists.FileError) tea.Msg {
		if unreadable != nil {
			var none T
			return msg(none, []*watchlists.FileError{unreadable})
		}
		v, errs := parse(path, data)
		return msg(v, errs)
	}
}

func asFileError(path string, err error) *watchlists.FileError {
	if fe, ok := err.(*watchlists.FileError); ok {
		return fe
	}
	return &watchlists.FileError{Path: path, Msg: err.Error()}
}

// oscFlavour picks the notification sequence the terminal understands:
// OSC 9 for iTerm2, WezTerm and Windows Terminal, OSC 777 otherwise
// (foot, Ghostty, rxvt, VTE terminals and others).
func oscFlavour(getenv func(string) string) string {
	switch getenv("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm":
		return "9"
	}
	if getenv("WT_SESSION") != "" {
		return "9"
	}
	return "777"
}
