package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// config is every setting of one run, from flags and then the environment.
type config struct {
	watchlists   string
	feed         string
	rng          feeds.Range
	refresh      time.Duration
	seed         int64
	now          time.Time // zero: the real clock
	speed        float64
	record       string
	recordAppend bool
	currency     string
	benchmark    string
	mapMode      string // the rotation map's closes: daily or weekly
	weighting    string // basket weights: file, equal or cap
	holdings     string // the holdings file; "" for the default, "none" for none
	alerts       string // the alert rules file, likewise
	events       string // the events file, likewise; without one, events.Builtin
	notify       bool   // fired alerts also as terminal notifications
	notifyCmd    string // fired alerts also through this shell command
	stream       bool   // take prices pushed as trades happen (the monitor only)
	settings     string // the settings file; "" for the default, "none" for none
	settingsPath string // the settings file read, "" when none was

	args []string // the positional arguments, wherever they stood among the flags

	// rotation print only
	format  string
	segment string
	timeout time.Duration
}

// rangeFlag and timeFlag let the flag package validate as it parses, so a bad
// value fails with the flag's name.
type rangeFlag struct{ r *feeds.Range }

func (f rangeFlag) String() string {
	if f.r == nil {
		return ""
	}
	return string(*f.r)
}

func (f rangeFlag) Set(s string) error {
	r, err := feeds.ParseRange(s)
	if err == nil {
		*f.r = r
	}
	return err
}

type timeFlag struct{ t *time.Time }

func (f timeFlag) String() string {
	if f.t == nil || f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

// The clock a person may start at: calendars, sessions and the simulated
// market's history are laid out for these years, and a walk to the year
// 9999 would take minutes.
var (
	earliestNow = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	latestNow   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (f timeFlag) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("want RFC 3339 like 2026-11-20T15:00:00Z")
	}
	if t.Before(earliestNow) || !t.Before(latestNow) {
		return fmt.Errorf("want a time from 1970 to 2199, like 2026-11-20T15:00:00Z")
	}
	*f.t = t
	return nil
}

// durationFlag is a duration of at least min: --refresh 1us would poll
// without pause, and --timeout 0 would wait for nothing.
type durationFlag struct {
	d   *time.Duration
	min time.Duration
}

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want a duration such as 30s, 2m or 1h30m")
	}
	if d < f.min {
		return fmt.Errorf("want at least %s", f.min)
	}
	*f.d = d
	return nil
}

type choiceFlag struct {
	v       *string
	choices []string
}

func (f choiceFlag) String() string {
	if f.v == nil {
		return ""
	}
	return *f.v
}

func (f choiceFlag) Set(s string) error {
	for _, c := range f.choices {
		if strings.EqualFold(s, c) {
			*f.v = c
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(f.choices, ", "))
}

// currencyFlag is "local" or a three-letter currency code, upper-cased.
type currencyFlag struct{ v *string }

func (f currencyFlag) String() string {
	if f.v == nil {
		return ""
	}
	return *f.v
}

func (f currencyFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "local") {
		*f.v = "local"
		return nil
	}
	if len(s) != 3 || strings.IndexFunc(s, func(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') }) >= 0 {
		return fmt.Errorf("want local or a three-letter currency code such as USD, EUR, JPY, GBP")
	}
	*f.v = strings.ToUpper(s)
	return nil
}

// newFlagSet defines the flags of a command. The monitor and print each get
// a few of their own; 'config' gets them all.
func newFlagSet(cmd string, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("rotation "+cmd, flag.ContinueOnError)
	c.feed, c.rng, c.currency, c.benchmark, c.format = "auto", feeds.Range1D, "local", "SPY", "table"
	fs.StringVar(&c.watchlists, "watchlists", "", "watchlist `DIR` (default: $XDG_CONFIG_HOME/rotation/watchlists if it exists, else the built-in lists)")
	fs.StringVar(&c.feed, "feed", c.feed, "market data `SOURCE`: auto, yahoo, sim or replay:FILE (auto falls back to sim when Yahoo is unreachable)")
	fs.Var(rangeFlag{&c.rng}, "range", "`RANGE` for returns and charts: 1D, 5D, 1M, 3M, 6M, YTD, 1Y, 2Y, 3Y, 5Y, or a date (2025-01-27: since that day)")
	c.refresh = 15 * time.Second
	fs.Var(durationFlag{&c.refresh, time.Second}, "refresh", "quote refresh `INTERVAL` while a market is open, at least 1s (60s when all are closed)")
	fs.Int64Var(&c.seed, "seed", 0, "`SEED` of the simulated market (default: derived from the date)")
	fs.Var(timeFlag{&c.now}, "now", "start the clock at this RFC 3339 `TIME` (sim and print; default: the real clock)")
	fs.Float64Var(&c.speed, "speed", 1, "replay speed `MULTIPLIER`; 0 plays as fast as possible and holds the last state")
	fs.StringVar(&c.record, "record", "", "append every update the feed delivers to `FILE` as JSON Lines")
	fs.BoolVar(&c.recordAppend, "record-append", false, "let --record append to an existing file")
	fs.Var(currencyFlag{&c.currency}, "currency", "prices and returns in each listing's `CURRENCY` (local), or converted: USD, EUR, JPY, GBP... (key c switches)")
	fs.StringVar(&c.benchmark, "benchmark", c.benchmark, "benchmark `SYMBOL` for excess returns and the rotation map")
	c.mapMode = "daily"
	fs.Var(choiceFlag{&c.mapMode, []string{"daily", "weekly"}}, "map", "rotation map `MODE`: daily or weekly closes (key w switches)")
	c.weighting = "file"
	fs.Var(choiceFlag{&c.weighting, []string{"file", "equal", "cap"}}, "weighting", "basket `WEIGHTS`: file (the watchlist files'), equal, or cap (market value); key b cycles")
	fs.StringVar(&c.holdings, "holdings", "", "your positions `FILE` (default: $XDG_CONFIG_HOME/rotation/holdings.yaml if it exists; none: no book)")
	fs.StringVar(&c.alerts, "alerts", "", "alert rules `FILE` (default: $XDG_CONFIG_HOME/rotation/alerts.yaml if it exists; none: no alerts)")
	fs.StringVar(&c.events, "events", "", "events `FILE` of dated moments to mark (default: $XDG_CONFIG_HOME/rotation/events.yaml if it exists, else the built-in events; none: no events)")
	fs.StringVar(&c.settings, "config", "", "settings `FILE` of standing defaults, one flag name and value a line (default: $XDG_CONFIG_HOME/rotation/config.yaml if it exists; none: no file)")
	all := cmd == "config" // 'rotation config' shows every setting of every command
	if cmd == "" || all {
		fs.BoolVar(&c.notify, "notify", false, "also send fired alerts as desktop notifications through the terminal (OSC 777 or 9)")
		fs.StringVar(&c.notifyCmd, "notify-cmd", "", "also run shell `CMD` for each fired alert, the message in $ROTATION_ALERT")
		fs.BoolVar(&c.stream, "stream", true, "take prices pushed as trades happen (Yahoo's streamer, the simulated market's trades); false: poll only")
	}
	if cmd == "print" || all {
		fs.Var(choiceFlag{&c.format, []string{"table", "json", "csv"}}, "format", "output `FORMAT`: table, json or csv")
		fs.StringVar(&c.segment, "segment", "", "print only this `SEGMENT` (its name or file name)")
		c.timeout = 20 * time.Second
		fs.Var(durationFlag{&c.timeout, 100 * time.Millisecond}, "timeout", "how long to wait for the first complete refresh (a `DURATION` such as 30s)")
	}
	return fs
}

// origins says where each setting came from: "flag", "env ROTATION_X" or
// "config.yaml:LINE"; a setting absent from it has its default.
type origins map[string]string

// parseFlags parses args, then fills every flag not given on the command
// line from ROTATION_<FLAG>, and then, when readFile, every flag still unset
// from the settings file. A bad variable fails as clearly as a bad flag.
// The file's own problems come back in fileErrs, and then none of its
// values is used: the caller decides whether that stops it.
func parseFlags(fs *flag.FlagSet, c *config, args []string, getenv func(string) string, readFile bool) (from origins, fileErrs []*watchlists.FileError, err error) {
	if c.args, err = parseInterleaved(fs, args); err != nil {
		return nil, nil, err
	}
	from = origins{}
	fs.Visit(func(f *flag.Flag) { from[f.Name] = "flag" })
	fs.VisitAll(func(f *flag.Flag) {
		if from[f.Name] != "" || err != nil {
			return
		}
		name := envName(f.Name)
		if v := getenv(name); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, valueHint(f, e))
			}
			from[f.Name] = "env " + name
		}
	})
	if err != nil || !readFile {
		return from, nil, err
	}
	file, fileErrs := readSettings(c.settings, getenv)
	if file == nil {
		return from, fileErrs, nil
	}
	c.settingsPath = file.path
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := file.values[f.Name]; !ok || from[f.Name] != "" {
			return
		}
		if e := fs.Set(f.Name, file.values[f.Name].value); e != nil && err == nil {
			err = fmt.Errorf("%s: %v", file.origin(f.Name), e) // parseSettings checked it: not expected
		}
		from[f.Name] = file.origin(f.Name)
	})
	return from, nil, err
}

// parseInterleaved parses flags wherever they stand among the positional
// arguments ('check DIR --holdings F' as well as 'check --holdings F DIR'),
// which the flag package would drop after the first positional one. After
// "--" everything is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) (positional []string, err error) {
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(positional, rest...), nil
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
}

func envName(flagName string) string {
	return "ROTATION_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func usage(fs *flag.FlagSet) func() {
	return func() {
		fmt.Fprintf(fs.Output(), `rotation watches AI spending rotate from training-era to inference-era suppliers.

Usage:
  rotation [flags]              start the monitor
  rotation print [flags]        print returns, eras and the rotation map, then exit
  rotation check [DIR]          validate the watchlists, settings, holdings, alerts and events files
  rotation config [flags]       print every setting, its value and where it came from
  rotation init [DIR]           write the built-in watchlists to DIR, and events.yaml beside it, to edit them
  rotation completion SHELL     print a completion script for bash, zsh or fish
  rotation version              print the version (also: rotation --version)

Every flag may also come from the environment as ROTATION_<FLAG>, e.g.
ROTATION_FEED=sim, or from the settings file ($XDG_CONFIG_HOME/rotation/config.yaml,
one flag name and value a line: currency: EUR). A flag wins over the
environment, and the environment over the file. ROTATION_YAHOO_URL moves every
Yahoo endpoint to one base URL.

Flags:
`)
		fs.PrintDefaults()
	}
}

// stderrf writes a message to stderr sanitized line by line: error text can
// quote Yahoo's or a file's words, but the line breaks the message was
// formatted with (a trailing newline, a file error's snippet) must survive.
func stderrf(format string, a ...any) {
	diag.say(sanitizeLines(fmt.Sprintf(format, a...)))
}
