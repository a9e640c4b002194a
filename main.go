// Command rotation is a terminal market monitor that follows AI spending as it
// rotates from training-era suppliers to inference-era ones.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/watchlists"
)

// exitCoder lets a command choose its exit status (check: 1, print: 2).
type exitCoder interface{ ExitCode() int }

type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) ExitCode() int { return e.code }

func main() {
	err := run(os.Args[1:], os.Stdout, os.Getenv)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return
	}
	if msg := err.Error(); msg != "" {
		stderrf("rotation: %s\n", msg)
	}
	var ec exitCoder
	if errors.As(err, &ec) {
		os.Exit(ec.ExitCode())
	}
	os.Exit(1)
}

func run(args []string, stdout io.Writer, getenv func(string) string) error {
	cmd, args := splitCommand(args)
	var c config
	fs := newFlagSet(cmd, &c)
	fs.Usage = usage(fs)
	if cmd == "help" {
		fs.SetOutput(stdout)
		fs.Usage()
		return nil
	}
	// The flag package would print the error and then the whole usage; the
	// caller prints the one error, with a hint.
	fs.SetOutput(io.Discard)
	from, settingsErrs, err := parseFlags(fs, &c, args, getenv, readsSettings[cmd])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return err
		}
		return exitError{2, fmt.Errorf("%v; run 'rotation -h' for every flag", err)}
	}
	if err := checkArgs(cmd, c.args); err != nil {
		return exitError{2, err}
	}
	arg := ""
	if len(c.args) > 0 {
		arg = c.args[0]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "rotation", version())
		return nil
	case "check":
		return runCheck(arg, c, settingsErrs, stdout, getenv)
	case "config":
		return runConfig(fs, c, from, settingsErrs, stdout, getenv)
	}
	if len(settingsErrs) > 0 {
		for _, e := range settingsErrs {
			stderrf("%s\n", e.Report())
		}
		return exitError{2, fmt.Errorf("the settings file has %d problem(s); fix them (rotation check shows them too), or run with --config none", len(settingsErrs))}
	}
	if err := checkRange(c); err != nil {
		return exitError{2, err}
	}
	switch cmd {
	case "init":
		return runInit(arg, stdout)
	case "completion":
		if err := completion(arg, stdout); err != nil {
			return exitError{2, err}
		}
		return nil
	case "print":
		return runPrint(c, stdout, getenv)
	}
	if getenv("TERM") == "dumb" {
		return exitError{1, fmt.Errorf("TERM=dumb: this terminal cannot draw the monitor; use 'rotation print', or run it in a terminal emulator")}
	}
	if !isTerminal(stdout) {
		return exitError{1, fmt.Errorf("the monitor needs a terminal, and standard output is not one; for output to a file or a pipe use 'rotation print'")}
	}
	return runMonitor(c, getenv)
}

// checkRange refuses a date range after today, by --now or the real clock.
// A replay keeps its recorded clock, so its figures say so themselves.
func checkRange(c config) error {
	if strings.HasPrefix(c.feed, "replay") && c.now.IsZero() {
		return nil
	}
	now := c.now
	if now.IsZero() {
		now = time.Now()
	}
	if err := c.rng.Check(now); err != nil {
		return fmt.Errorf("--range: %w", err)
	}
	return nil
}

// isTerminal reports whether w is a terminal the monitor can draw on.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// maxArgs is how many positional arguments each command takes: a directory
// for check and init, a shell for completion, none for the rest.
var maxArgs = map[string]int{"check": 1, "init": 1, "completion": 1}

// checkArgs refuses positional arguments a command does not take, which
// would otherwise be silently ignored.
func checkArgs(cmd string, args []string) error {
	if len(args) <= maxArgs[cmd] {
		return nil
	}
	extra := args[maxArgs[cmd]]
	switch {
	case cmd == "":
		return fmt.Errorf("unknown command %q; run 'rotation -h' for usage", extra)
	case maxArgs[cmd] == 0:
		return fmt.Errorf("%s takes no arguments, only flags: %q is not one; run 'rotation %s -h'", cmd, extra, cmd)
	}
	return fmt.Errorf("%s takes one argument: %q is one too many; run 'rotation %s -h'", cmd, extra, cmd)
}

// commands are the words that pick a command; none means the monitor.
var commands = map[string]bool{"check": true, "config": true, "init": true, "print": true, "version": true, "help": true, "completion": true}

// readsSettings are the commands that read the settings file: those whose
// flags it sets, and those that show or check it.
var readsSettings = map[string]bool{"": true, "print": true, "check": true, "config": true}

// splitCommand finds the command wherever it stands among the flags
// ('rotation --feed sim print' as well as 'rotation print --feed sim') and
// returns the arguments without it. Only the first word that is not a flag
// or a flag's value can be the command.
func splitCommand(args []string) (string, []string) {
	// The flags themselves say which take no value (the word after one is
	// then not its value): those of print and of the monitor.
	printFlags, monitorFlags := newFlagSet("print", &config{}), newFlagSet("", &config{})
	takesValue := func(name string) bool {
		f := printFlags.Lookup(name)
		if f == nil {
			f = monitorFlags.Lookup(name)
		}
		if f == nil {
			return name != "h" && name != "help" // flag's own; unknown ones fail in Parse
		}
		b, ok := f.Value.(interface{ IsBoolFlag() bool })
		return !ok || !b.IsBoolFlag()
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return "", args
		}
		if a == "-version" || a == "--version" { // what most tools answer to
			return "version", slices.Delete(slices.Clone(args), i, i+1)
		}
		if strings.HasPrefix(a, "-") {
			if name := strings.TrimLeft(a, "-"); !strings.Contains(name, "=") && takesValue(name) {
				i++ // its value
			}
			continue
		}
		if commands[a] {
			return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
		}
		return "", args
	}
	return "", args
}

// version is the module version the binary was built at, as go install
// records it (v1.2.0, or a pseudo-version of the commit), else "devel" for
// a build from a work tree that Go could not stamp.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	return v + " (" + bi.GoVersion + ")"
}

// loadWatchlists finds and loads the watchlists the way every command does:
// an explicit directory, then $ROTATION_WATCHLISTS, the user config path,
// and last the built-in defaults.
func loadWatchlists(dir string, getenv func(string) string) (watchlists.Set, []*watchlists.FileError) {
	dir, embedded := watchlists.Resolve(dir, getenv)
	if embedded {
		return watchlists.Defaults(), nil
	}
	return watchlists.LoadDir(dir)
}

func runCheck(dir string, c config, settingsErrs []*watchlists.FileError, stdout io.Writer, getenv func(string) string) error {
	if dir == "" {
		dir = c.watchlists
	}
	set, errs := loadWatchlists(dir, getenv)
	watchlists.WriteCheck(stdout, set, errs)
	for _, e := range errs {
		if e.Path == set.Source {
			// The directory itself (missing, empty, too many symbols): its
			// own message says what to do, where a count of files would not.
			return exitError{1, e}
		}
	}
	writeSettingsCheck(stdout, c, settingsErrs)
	u := loadUserFiles(c, set, getenv)
	u.writeCheck(stdout)
	var broken []string
	if n := watchlists.BrokenFiles(set.Source, errs); len(errs) > 0 {
		broken = append(broken, fmt.Sprintf("%d watchlist file(s)", n))
	}
	if len(settingsErrs) > 0 {
		broken = append(broken, "the settings file")
	}
	if len(u.problems()) > 0 {
		broken = append(broken, "the holdings, alerts or events file")
	}
	if len(broken) > 0 {
		return exitError{1, fmt.Errorf("errors in %s; fix them and run 'rotation check' again", strings.Join(broken, " and "))}
	}
	return nil
}

func runInit(dir string, stdout io.Writer) error {
	if dir == "" {
		d, err := watchlists.DefaultDir()
		if err != nil {
			return err
		}
		dir = d
	}
	written, skipped, err := watchlists.Init(dir)
	if err == nil {
		// Beside the watchlists, where DefaultPath looks when DIR is the
		// default; never over the user's own.
		var created bool
		path := filepath.Join(filepath.Dir(filepath.Clean(dir)), "events.yaml")
		switch created, err = watchlists.WriteNew(path, []byte(events.DefaultFile)); {
		case err != nil:
			err = fmt.Errorf("cannot write %s: %w; the watchlists were written", path, err)
		case created:
			written = append(written, path)
		default:
			skipped = append(skipped, path)
		}
	}
	for _, f := range written {
		fmt.Fprintln(stdout, "wrote  ", f)
	}
	for _, f := range skipped {
		fmt.Fprintln(stdout, "skipped", f, "(exists; not overwritten)")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d written, %d skipped. Edit them, then run: rotation --watchlists %s\n", len(written), len(skipped), dir)
	return nil
}
