package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/goccy/go-yaml/ast"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/sanitize"
	"github.com/rotation-dev/rotation/watchlists"
)

// The settings file holds a person's standing defaults, one key per flag
// (`currency: EUR`, `range: 3M`). A flag wins over the environment, which
// wins over the file, which wins over the built-in default. Nothing in the
// monitor writes it: a key pressed there changes the running session only.

// settingsFile is a settings file as read: each key's value as its flag
// would take it, and the line it stands on.
type settingsFile struct {
	path   string
	values map[string]setting
}

type setting struct {
	value string
	line  int
}

// settingsExample is the file's shape, for the messages that must show it.
const settingsExample = "`currency: EUR` on a line of its own"

// settingKeys are the flags the file may set: every flag of the monitor and
// of print, but not --config, which says where the file is.
func settingKeys() []string {
	var keys []string
	newFlagSet("config", &config{}).VisitAll(func(f *flag.Flag) {
		if f.Name != "config" {
			keys = append(keys, f.Name)
		}
	})
	return keys
}

// pathSettings are the keys whose value is a path: in the file, `~/`
// starts at the home directory and a relative path at the file's own.
var pathSettings = []string{"watchlists", "holdings", "alerts", "events", "record"}

// defaultSettingsPath is config.yaml beside the watchlists (see
// watchlists.ConfigFile).
func defaultSettingsPath(getenv func(string) string) string {
	return watchlists.ConfigFile(getenv, "config.yaml")
}

// readSettings reads the settings file named by --config (or
// ROTATION_CONFIG): "none" reads none, and no name reads the default path
// when a file is there. A file named but missing is an error; the default
// one missing is no settings.
func readSettings(named string, getenv func(string) string) (*settingsFile, []*watchlists.FileError) {
	path, explicit := named, named != ""
	switch {
	case strings.EqualFold(named, "none"):
		return nil, nil
	case !explicit:
		path = defaultSettingsPath(getenv)
		if path == "" {
			return nil, nil
		}
	}
	data, fe := watchlists.ReadFile(path, watchlists.ReadOptions{
		Missing: "no settings file here: create it with one flag name and value a line, e.g. " + settingsExample,
		NotRegular: func(mode fs.FileMode) string {
			return fmt.Sprintf("is not a regular file (%s): the settings file must be a YAML file", mode.Type())
		},
		TooBig: fmt.Sprintf("file is larger than %d bytes; a settings file is a few lines, so check it is the right file", watchlists.MaxFileSize),
	})
	if fe != nil {
		if !explicit && (errors.Is(fe, fs.ErrNotExist) || errors.Is(fe, syscall.ENOTDIR)) {
			return nil, nil // nothing there, not even a rotation directory
		}
		return nil, []*watchlists.FileError{fe}
	}
	return parseSettings(path, data, getenv)
}

// parseSettings validates every key and value of a settings file, each as
// its flag would, with every problem at its line and column.
func parseSettings(path string, data []byte, getenv func(string) string) (f *settingsFile, errs []*watchlists.FileError) {
	defer func() { // a parser panic is an error, as in every file we read
		if r := recover(); r != nil {
			f, errs = nil, []*watchlists.FileError{watchlists.Recovered(path, r)}
		}
	}()
	f = &settingsFile{path: path, values: map[string]setting{}}
	problems := f.parse(data, getenv)
	if len(problems) > 0 {
		return nil, watchlists.PositionErrors(path, problems)
	}
	return f, nil
}

func (f *settingsFile) parse(data []byte, getenv func(string) string) []error {
	one := func(err error) []error { return []error{err} }
	body, err := watchlists.ParseDocument(data, "keep every setting in the first one")
	if err != nil {
		return one(err)
	}
	if body == nil {
		return nil
	}
	if _, null := body.(*ast.NullNode); null {
		return nil
	}
	if n := watchlists.FirstSpecial(body); n != nil {
		return one(watchlists.ErrorAt(n, "YAML tags, anchors and aliases are not used in the settings file: write each value out"))
	}
	m, ok := body.(ast.MapNode)
	if !ok {
		return one(watchlists.ErrorAt(body, "the settings file must be flag names and values, e.g. %s", settingsExample))
	}
	known := settingKeys()
	keys := watchlists.Keys{Known: known, Where: "in the settings file, which takes the flags' names: " + strings.Join(known, ", ")}
	errs := keys.Unknown(body)
	check := newFlagSet("config", &config{})
	for it := m.MapRange(); it.Next(); {
		kv := it.KeyValue()
		if kv.Key == nil {
			continue
		}
		name := watchlists.KeyText(kv.Key)
		if !keys.Has(name) {
			continue
		}
		value, err := settingText(name, kv)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if slices.Contains(pathSettings, name) {
			value = f.resolvePath(value, getenv)
		} else if name == "feed" && strings.HasPrefix(value, "replay:") {
			value = "replay:" + f.resolvePath(strings.TrimPrefix(value, "replay:"), getenv)
		}
		if err := check.Set(name, value); err != nil {
			err = valueHint(check.Lookup(name), err)
			if strings.Contains(err.Error(), strconv.Quote(value)) { // range's own error quotes it
				errs = append(errs, watchlists.ErrorAt(kv.Value, "%s: %v", name, err))
			} else {
				errs = append(errs, watchlists.ErrorAt(kv.Value, "%s %q: %v", name, value, err))
			}
			continue
		}
		f.values[name] = setting{value: value, line: kv.Key.GetToken().Position.Line}
	}
	return errs
}

// settingText is the value of key name as a flag's text: a scalar, never
// a list, a mapping or nothing.
func settingText(name string, kv *ast.MappingValueNode) (string, error) {
	switch n := kv.Value.(type) {
	case *ast.StringNode:
		return n.Value, nil
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return n.GetToken().Value, nil
	case nil, *ast.NullNode:
		return "", watchlists.ErrorAt(kv.Key, "%s has no value: give it one, as its flag --%s takes, or delete the line", name, name)
	}
	return "", watchlists.ErrorAt(kv.Value, "%s takes one value, as its flag --%s does, not a list or a mapping", name, name)
}

// resolvePath makes a path from the file mean what it means to a person
// reading the file: `~/` is the home directory, and a relative path starts
// beside the file. "none" (no holdings or alerts) stays as it is.
func (f *settingsFile) resolvePath(p string, getenv func(string) string) string {
	switch {
	case p == "" || strings.EqualFold(p, "none") || filepath.IsAbs(p):
		return p
	case p == "~" || strings.HasPrefix(p, "~/"):
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
		return p
	}
	return filepath.Join(filepath.Dir(f.path), p)
}

// valueHint words a refused flag value for a person: the flag package's own
// "parse error" says nothing of what it wanted.
func valueHint(f *flag.Flag, err error) error {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return err
	}
	switch g.Get().(type) { // durations are durationFlag's, which words its own
	case bool:
		return fmt.Errorf("want true or false")
	case int64, int:
		return fmt.Errorf("want a whole number")
	case float64:
		return fmt.Errorf("want a number such as 1 or 0.5")
	}
	return err
}

// origin says where a setting came from, for 'rotation config'.
func (f *settingsFile) origin(name string) string {
	return fmt.Sprintf("%s:%d", filepath.Base(f.path), f.values[name].line)
}

// writeSettingsCheck is the settings part of 'rotation check': the file
// and how many settings it holds, or each of its errors with its lines.
func writeSettingsCheck(w io.Writer, c config, errs []*watchlists.FileError) {
	switch {
	case len(errs) > 0:
		fmt.Fprintln(w)
		for _, e := range errs {
			fmt.Fprintln(w, sanitizeLines(e.Report()))
		}
	case c.settingsPath != "":
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%s: ok\n", sanitize.Text(c.settingsPath))
	}
}

// runConfig prints every setting as the monitor and print would take it:
// its value and where it came from. Paths and values come from the user's
// files and environment, so they are sanitized like any other such text.
func runConfig(fs *flag.FlagSet, c config, from origins, errs []*watchlists.FileError, w io.Writer, getenv func(string) string) error {
	file := c.settingsPath
	switch {
	case len(errs) > 0:
		file = errs[0].Path + " (not used: it has errors, below)"
	case strings.EqualFold(c.settings, "none"):
		file = "none (--config none)"
	case file == "":
		file = "none (" + cmp.Or(defaultSettingsPath(getenv), "$XDG_CONFIG_HOME/rotation/config.yaml") + " does not exist)"
	}
	fmt.Fprintf(w, "settings file: %s\n\n", sanitize.Text(file))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "config" {
			return
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, sanitize.Text(effective(f, c, getenv)), sanitize.Text(cmp.Or(from[f.Name], "default")))
	})
	tw.Flush()
	if len(errs) > 0 {
		fmt.Fprintln(w)
		for _, e := range errs {
			fmt.Fprintln(w, sanitizeLines(e.Report()))
		}
		return exitError{1, fmt.Errorf("the settings file has %d problem(s); fix them, or run with --config none", len(errs))}
	}
	return nil
}

// effective is what a setting comes to: for the files found by default,
// the file the run would use (or that it uses none); for the rest, the
// flag's value.
func effective(f *flag.Flag, c config, getenv func(string) string) string {
	switch f.Name {
	case "watchlists":
		if dir, embedded := watchlists.Resolve(c.watchlists, getenv); !embedded {
			return dir
		}
		return "the built-in lists"
	case "holdings":
		return cmp.Or(userFilePath(c.holdings, book.DefaultPath(getenv)), "none")
	case "alerts":
		return cmp.Or(userFilePath(c.alerts, alerts.DefaultPath(getenv)), "none")
	case "now":
		return cmp.Or(f.Value.String(), "the real clock")
	case "seed":
		if c.seed == 0 {
			return "from the date"
		}
	}
	if v := f.Value.String(); v != "" {
		return v
	}
	return "-"
}

// sanitizeLines is sanitize.Text of each line of s: a file error's snippet
// quotes the file, but its line breaks are the message's own.
func sanitizeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize.Text(l)
	}
	return strings.Join(lines, "\n")
}
