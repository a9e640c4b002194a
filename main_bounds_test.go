package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Flags whose values would make the monitor spin, hang or walk the
// simulated market for minutes are refused with the bound they break,
// from the command line and the environment alike.
func TestFlagsWithinBounds(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		getenv func(string) string
		want   string
	}{
		{[]string{"--refresh", "1us"}, env(), "want at least 1s"},
		{[]string{"--refresh", "999ms"}, env(), "want at least 1s"},
		{nil, env("ROTATION_REFRESH", "1us"), `ROTATION_REFRESH="1us": want at least 1s`},
		{[]string{"--refresh", "soon"}, env(), "want a duration such as 30s"},
		{[]string{"print", "--timeout", "0s"}, env(), "want at least 100ms"},
		{[]string{"print", "--now", "9999-12-31T23:59:59Z"}, env(), "want a time from 1970 to 2199"},
		{[]string{"print", "--now", "1969-12-31T23:59:59Z"}, env(), "want a time from 1970 to 2199"},
		{[]string{"print", "--now", "2200-01-01T00:00:00Z"}, env(), "want a time from 1970 to 2199"},
	} {
		var out bytes.Buffer
		err := run(tc.args, &out, tc.getenv)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want exit 2 saying %q", tc.args, err, tc.want)
		}
	}
	var c config
	if _, _, err := parseFlags(newFlagSet("print", &c), &c, []string{"--refresh", "1s", "--now", "2199-12-31T23:00:00Z", "--timeout", "3s"}, env(), false); err != nil {
		t.Errorf("values at the bounds: %v", err)
	}
	if c.refresh != time.Second || c.timeout != 3*time.Second || c.now.Year() != 2199 {
		t.Errorf("refresh %v timeout %v now %v", c.refresh, c.timeout, c.now)
	}
}

// print keeps to --timeout whatever the clock it was given.
func TestPrintKeepsToItsTimeoutAtAFarClock(t *testing.T) {
	isolate(t)
	start := time.Now()
	var out bytes.Buffer
	_ = run([]string{"print", "--feed", "sim", "--now", "2199-12-31T12:00:00Z", "--timeout", "2s"}, &out, env())
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("print took %v with --timeout 2s", took)
	}
}

// Positional arguments a command does not take are errors, and flags after
// a positional argument count: 'check DIR --holdings F' checks F.
func TestStrayArgumentsAndFlagsAfterThem(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"print", "--feed", "sim", "extra"}, `print takes no arguments, only flags: "extra"`},
		{[]string{"config", "extra"}, `config takes no arguments`},
		{[]string{"check", "a", "b"}, `check takes one argument: "b" is one too many`},
		{[]string{"init", "a", "b"}, `init takes one argument`},
		{[]string{"completion", "bash", "zsh"}, `completion takes one argument`},
		{[]string{"--feed", "sim", "nonsense"}, `unknown command "nonsense"`},
		{[]string{"print", "--", "--feed"}, `print takes no arguments, only flags: "--feed"`},
	} {
		var out bytes.Buffer
		err := run(tc.args, &out, env())
		if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want exit 2 saying %q", tc.args, err, tc.want)
		}
	}

	dir := t.TempDir()
	if err := run([]string{"init", dir}, &bytes.Buffer{}, env()); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "holdings.yaml")
	if err := os.WriteFile(bad, []byte("positions:\n  - {symbol: NVDA, quantity: 0, cost: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run([]string{"check", dir, "--holdings", bad}, &out, env())
	if exitCode(err) != 1 || !strings.Contains(out.String(), "a zero quantity holds nothing") {
		t.Errorf("check DIR --holdings BAD: %v, want exit 1 with the holdings error; output:\n%s", err, out.String())
	}
}

// The monitor draws on a terminal or not at all: with standard output
// going elsewhere it says what to use instead and exits 1, writing nothing
// there.
func TestMonitorRefusesAStdoutThatIsNotATerminal(t *testing.T) {
	isolate(t)
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = run([]string{"--feed", "sim"}, f, env())
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "needs a terminal") || !strings.Contains(err.Error(), "rotation print") {
		t.Errorf("err = %v, want exit 1 saying it needs a terminal and pointing to print", err)
	}
	if info, _ := f.Stat(); info.Size() != 0 {
		t.Errorf("%d bytes were written to the file", info.Size())
	}
}

// A dumb terminal (an editor's shell buffer) cannot draw the screen: the
// monitor says so instead of drawing escape codes into it.
func TestMonitorRefusesADumbTerminal(t *testing.T) {
	isolate(t)
	err := run([]string{"--feed", "sim"}, os.Stdout, env("TERM", "dumb"))
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "TERM=dumb") {
		t.Errorf("err = %v, want exit 1 naming TERM=dumb", err)
	}
}
