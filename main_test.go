package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestFlagsComeFromTheEnvironmentButFlagsWin(t *testing.T) {
	var c config
	fs := newFlagSet("", &c)
	_, _, err := parseFlags(fs, &c, []string{"--range", "5d"}, env("ROTATION_RANGE", "1M", "ROTATION_FEED", "sim",
		"ROTATION_RECORD_APPEND", "true", "ROTATION_REFRESH", "30s"), false)
	if err != nil {
		t.Fatal(err)
	}
	if c.rng != feeds.Range5D || c.feed != "sim" || !c.recordAppend || c.refresh != 30*time.Second {
		t.Errorf("config = range %s feed %s append %v refresh %v", c.rng, c.feed, c.recordAppend, c.refresh)
	}
}

func TestBadEnvironmentValueNamesTheVariable(t *testing.T) {
	var c config
	_, _, err := parseFlags(newFlagSet("", &c), &c, nil, env("ROTATION_RANGE", "2X"), false)
	if err == nil || !strings.Contains(err.Error(), `ROTATION_RANGE="2X"`) {
		t.Fatalf("err = %v, want it to name ROTATION_RANGE", err)
	}
}

func TestHelpListsEveryFlagWithItsDefault(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"help"}, &out, env()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-watchlists", "-feed", `(default "auto")`, "-range", `(default 1D)`, "-refresh", "-record-append", "ROTATION_<FLAG>"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

func TestCheckOnTheBuiltInWatchlists(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // no user watchlists: the built-in ones
	var out bytes.Buffer
	if err := run([]string{"check"}, &out, env()); err != nil {
		t.Fatalf("check: %v\n%s", err, out.String())
	}
	for _, want := range []string{"10-gpus.yaml", "training", "inference", "benchmark"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestCheckReportsBrokenFilesWithExitOne(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("10-good.yaml", "name: Good\nera: training\nsymbols: [NVDA]\n")
	write("12-hbm.yaml", "name: HBM\nera: training\nsymbols:\n  - symbol: MU\n    wieght: 2\n")
	var out bytes.Buffer
	err := run([]string{"check", dir}, &out, env())
	var ec exitCoder
	if !errors.As(err, &ec) || ec.ExitCode() != 1 {
		t.Fatalf("err = %v, want exit code 1", err)
	}
	got := out.String()
	if !strings.Contains(got, "12-hbm.yaml:5:5") || !strings.Contains(got, "10-good.yaml") {
		t.Errorf("want the error at 12-hbm.yaml:5:5 and the good file listed:\n%s", got)
	}
}

// TestCheckReportsEveryErrorOfAFile: check prints all of a file's errors,
// each apart with its lines, and says how many a user file has.
func TestCheckReportsEveryErrorOfAFile(t *testing.T) {
	dir := t.TempDir()
	holdings := filepath.Join(t.TempDir(), "holdings.yaml")
	for path, body := range map[string]string{
		filepath.Join(dir, "10-gpus.yaml"): "nmae: GPUs\nera: traning\nsymbols:\n  - NVDA\n  - \"bad sym!\"\n",
		holdings:                           "positions:\n  - {symbol: AAPL, shares: 1, cost: -1}\n",
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	err := run([]string{"check", "--holdings", holdings, "--alerts", "none", dir}, &out, env())
	if exitCode(err) != 1 {
		t.Fatalf("err = %v, want exit code 1", err)
	}
	got := out.String()
	for _, want := range []string{
		"errors at lines 1, 2, 5", "4 errors:",
		"10-gpus.yaml:1:1: unknown field \"nmae\": did you mean name?",
		"10-gpus.yaml:1:1: name is required", "10-gpus.yaml:2:6: era \"traning\"", "10-gpus.yaml:5:5: symbol \"BAD SYM!\"",
		holdings + ": 3 errors, below",
		"\n\n" + holdings + ":2:20: unknown field \"shares\": write quantity: instead\n",
		"\n\n" + holdings + ":2:20: quantity is required", "\n\n" + holdings + ":2:37: cost must be 0 or more",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("check output lacks %q:\n%s", want, got)
		}
	}
}

func TestInitTwiceWritesOnceThenSkips(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lists")
	var first, second bytes.Buffer
	if err := run([]string{"init", dir}, &first, env()); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"init", dir}, &second, env()); err != nil {
		t.Fatal(err)
	}
	if strings.Count(first.String(), "wrote") < 14 || strings.Contains(first.String(), "skipped ") {
		t.Errorf("first init:\n%s", first.String())
	}
	if strings.Contains(second.String(), "wrote ") || strings.Count(second.String(), "skipped") < 14 {
		t.Errorf("second init:\n%s", second.String())
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	err := run([]string{"frobnicate"}, &bytes.Buffer{}, env())
	var ec exitCoder
	if !errors.As(err, &ec) || ec.ExitCode() != 2 || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("err = %v", err)
	}
}

func TestCommandsAmongFlags(t *testing.T) {
	cases := map[string][2]string{
		"print --feed sim":               {"print", "--feed sim"},
		"--feed sim print":               {"print", "--feed sim"},
		"--feed=sim print --format json": {"print", "--feed=sim --format json"},
		"--record-append print":          {"print", "--record-append"},
		"check /tmp/dir":                 {"check", "/tmp/dir"},
		"--watchlists print check":       {"check", "--watchlists print"},
		"--feed sim":                     {"", "--feed sim"},
		"nonsense print":                 {"", "nonsense print"},
		"-- print":                       {"", "-- print"},
		"--version":                      {"version", ""},
		"--feed sim -version":            {"version", "--feed sim"},
		"-- --version":                   {"", "-- --version"},
	}
	for in, want := range cases {
		cmd, rest := splitCommand(strings.Fields(in))
		if cmd != want[0] || strings.Join(rest, " ") != want[1] {
			t.Errorf("%q: command %q, args %q; want %q, %q", in, cmd, rest, want[0], want[1])
		}
	}
}

// TestBadFlagValueIsOneError: a bad value is one error naming the flag and
// the values it takes, with a hint, not the error twice and the whole usage.
func TestBadFlagValueIsOneError(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"print", "--range", "2W"}, &out, env())
	if exitCode(err) != 2 || out.Len() != 0 {
		t.Fatalf("exit %d, stdout %q", exitCode(err), out.String())
	}
	msg := err.Error()
	if strings.Count(msg, "2W") != 2 || !strings.Contains(msg, "1D, 5D") || !strings.Contains(msg, "rotation -h") || strings.Contains(msg, "Usage") {
		t.Errorf("error %q", msg)
	}
}
