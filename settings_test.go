package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// writeSettings writes body as the default settings file under a fresh
// XDG_CONFIG_HOME and returns that directory.
func writeSettings(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "rotation"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rotation", "config.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A flag wins over the environment, the environment over the file, and the
// file over the default; each setting says where it came from.
func TestSettingsPrecedence(t *testing.T) {
	dir := writeSettings(t, "currency: eur\nrange: 3M\nweighting: cap\nrefresh: 30s\nnotify: true\n")
	var c config
	from, fileErrs, err := parseFlags(newFlagSet("", &c), &c, []string{"--weighting", "equal"},
		env("XDG_CONFIG_HOME", dir, "ROTATION_RANGE", "6M"), true)
	if err != nil || len(fileErrs) > 0 {
		t.Fatalf("err %v, file errors %v", err, fileErrs)
	}
	if c.currency != "EUR" || c.rng != feeds.Range6M || c.weighting != "equal" || c.refresh != 30*time.Second ||
		!c.notify || c.mapMode != "daily" {
		t.Errorf("currency %s range %s weighting %s refresh %v notify %v map %s", c.currency, c.rng, c.weighting, c.refresh, c.notify, c.mapMode)
	}
	want := origins{"currency": "config.yaml:1", "range": "env ROTATION_RANGE", "weighting": "flag",
		"refresh": "config.yaml:4", "notify": "config.yaml:5"}
	for k, v := range want {
		if from[k] != v {
			t.Errorf("%s came from %q, want %q", k, from[k], v)
		}
	}
	if _, ok := from["map"]; ok {
		t.Errorf("map came from %q, want the default", from["map"])
	}
}

// Every unknown key and bad value is an error at its line and column, and
// none of the file's values is then used.
func TestSettingsErrorsArePlaced(t *testing.T) {
	dir := writeSettings(t, "currency: euro\nrnage: 3M\nrefresh: 3 days\nnotify: maybe\nseed: [1]\nfeed:\nmap: weekly\n")
	var c config
	_, fileErrs, err := parseFlags(newFlagSet("", &c), &c, nil, env("XDG_CONFIG_HOME", dir), true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`config.yaml:1:11: currency "euro": want local or a three-letter currency code`,
		`config.yaml:2:1: unknown field "rnage": did you mean range?`,
		`config.yaml:3:10: refresh "3 days": want a duration such as 30s`,
		`config.yaml:4:9: notify "maybe": want true or false`,
		`config.yaml:5:7: seed takes one value`,
		`config.yaml:6:1: feed has no value`,
	}
	if len(fileErrs) != len(want) {
		t.Fatalf("%d errors, want %d: %v", len(fileErrs), len(want), fileErrs)
	}
	for i, w := range want {
		if !strings.Contains(fileErrs[i].Error(), w) {
			t.Errorf("error %d = %q, want it to contain %q", i, fileErrs[i].Error(), w)
		}
	}
	if c.mapMode != "daily" {
		t.Errorf("map = %s: a broken file's good values must not be used either", c.mapMode)
	}
}

// Paths in the file mean what they say to a person reading it: ~/ is home
// and a relative path starts beside the file; replay:FILE too.
func TestSettingsPathsResolve(t *testing.T) {
	dir := writeSettings(t, "watchlists: ~/lists\nholdings: book.yaml\nalerts: none\nevents: dates.yaml\nfeed: replay:day.jsonl\nrecord: /abs/rec.jsonl\n")
	var c config
	_, fileErrs, err := parseFlags(newFlagSet("", &c), &c, nil, env("XDG_CONFIG_HOME", dir, "HOME", "/home/u"), true)
	if err != nil || len(fileErrs) > 0 {
		t.Fatalf("err %v, file errors %v", err, fileErrs)
	}
	base := filepath.Join(dir, "rotation")
	if c.watchlists != "/home/u/lists" || c.holdings != filepath.Join(base, "book.yaml") || c.alerts != "none" ||
		c.feed != "replay:"+filepath.Join(base, "day.jsonl") || c.record != "/abs/rec.jsonl" || c.events != filepath.Join(base, "dates.yaml") {
		t.Errorf("watchlists %s holdings %s alerts %s feed %s record %s events %s", c.watchlists, c.holdings, c.alerts, c.feed, c.record, c.events)
	}
}

// --config names another file, which must then exist; --config none and a
// missing default file read nothing; an empty file or one of comments is
// no settings.
func TestSettingsFileChoice(t *testing.T) {
	dir := writeSettings(t, "range: 3M\n")
	other := filepath.Join(t.TempDir(), "work.yaml")
	if err := os.WriteFile(other, []byte("# work\nrange: 1M\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := t.TempDir() // holds a file named rotation
	if err := os.WriteFile(filepath.Join(notDir, "rotation"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(empty, []byte("# nothing yet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		getenv  func(string) string
		rng     feeds.Range
		problem string
	}{
		{"default file", nil, env("XDG_CONFIG_HOME", dir), feeds.Range3M, ""},
		{"--config FILE", []string{"--config", other}, env("XDG_CONFIG_HOME", dir), feeds.Range1M, ""},
		{"ROTATION_CONFIG", nil, env("XDG_CONFIG_HOME", dir, "ROTATION_CONFIG", other), feeds.Range1M, ""},
		{"--config none", []string{"--config", "none"}, env("XDG_CONFIG_HOME", dir), feeds.Range1D, ""},
		{"no default file", nil, env("XDG_CONFIG_HOME", t.TempDir()), feeds.Range1D, ""},
		{"a file where the directory would be", nil, env("XDG_CONFIG_HOME", notDir), feeds.Range1D, ""},
		{"only comments", []string{"--config", empty}, env(), feeds.Range1D, ""},
		{"named but missing", []string{"--config", other + ".missing"}, env(), feeds.Range1D, "no settings file here"},
		{"a directory", []string{"--config", dir}, env(), feeds.Range1D, "is not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c config
			_, fileErrs, err := parseFlags(newFlagSet("", &c), &c, tc.args, tc.getenv, true)
			if err != nil {
				t.Fatal(err)
			}
			if c.rng != tc.rng {
				t.Errorf("range = %s, want %s", c.rng, tc.rng)
			}
			switch {
			case tc.problem == "" && len(fileErrs) > 0:
				t.Errorf("unexpected errors: %v", fileErrs)
			case tc.problem != "" && (len(fileErrs) != 1 || !strings.Contains(fileErrs[0].Error(), tc.problem)):
				t.Errorf("errors %v, want one saying %q", fileErrs, tc.problem)
			}
		})
	}
}

// The file must be a mapping of flag names; YAML's aliases and tags have
// no place in it, and --config itself is no key of it.
func TestSettingsFileShape(t *testing.T) {
	for body, want := range map[string]string{
		"- range: 3M\n":                                 "1:1: the settings file must be flag names and values",
		"range: &r 3M\nbenchmark: *r\n":                 "1:8: YAML tags, anchors and aliases are not used",
		"config: other.yaml\n":                          `1:1: unknown field "config" in the settings file`,
		"range: 3M\nrange: 1M\n":                        `2:1: mapping key "range" already defined`,
		"range: 3M\n---\nrange: 1M\n":                   "3:6: only one YAML document per file",
		"currency: EUR\n  range: 3M\n":                  "1:11: mapping value is not allowed",
		"refresh: 15\n":                                 `1:10: refresh "15": want a duration`,
		"seed: 1.5\n":                                   `1:7: seed "1.5": want a whole number`,
		"speed: fast\n":                                 `1:8: speed "fast": want a number`,
		"range: 9Y\n":                                   `1:8: range: unknown range "9Y"`,
		"weighting: [file, equal]\n":                    "1:12: weighting takes one value",
		"benchmark: {symbol: QQQ}\n":                    "1:12: benchmark takes one value",
		"now: 2026-11-20T15:00:00Z\n":                   "",
		"format: json\ntimeout: 30s\n":                  "",
		"notify-cmd: notify-send \"$ROTATION_ALERT\"\n": "",
	} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		_, errs := parseSettings(path, []byte(body), env())
		switch {
		case want == "" && len(errs) > 0:
			t.Errorf("%q: unexpected errors %v", body, errs)
		case want != "" && (len(errs) == 0 || !strings.Contains(errs[0].Error(), want)):
			t.Errorf("%q: errors %v, want the first to contain %q", body, errs, want)
		}
	}
}

// 'rotation config' prints each setting's value and where it came from.
func TestConfigCommandSaysWhereEachSettingCameFrom(t *testing.T) {
	dir := writeSettings(t, "currency: EUR\nrange: 3M\n")
	var out bytes.Buffer
	if err := run([]string{"config", "--range", "1M"}, &out, env("XDG_CONFIG_HOME", dir, "ROTATION_MAP", "weekly")); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, re := range []string{
		`settings file: ` + filepath.Join(dir, "rotation", "config.yaml") + "\n",
		`\ncurrency +EUR +config.yaml:1\n`,
		`\nrange +1M +flag\n`,
		`\nmap +weekly +env ROTATION_MAP\n`,
		`\nweighting +file +default\n`,
		`\ntimeout +20s +default\n`, // print's settings too
		`\nwatchlists +the built-in lists +default\n`,
	} {
		if !matches(re, text) {
			t.Errorf("config output lacks %q:\n%s", re, text)
		}
	}
}

// A broken settings file stops the monitor and print with every error and
// what to do, and 'rotation check' lists it among the files it checks.
func TestBrokenSettingsFileStopsPrintAndFailsCheck(t *testing.T) {
	isolate(t)
	dir := writeSettings(t, "range: 9Y\n")
	var out bytes.Buffer
	err := run([]string{"print", "--feed", "sim"}, &out, env("XDG_CONFIG_HOME", dir))
	var ec exitCoder
	if err == nil || !errors.As(err, &ec) || ec.ExitCode() != 2 || !strings.Contains(err.Error(), "--config none") {
		t.Errorf("print: %v, want exit 2 that suggests --config none", err)
	}
	out.Reset()
	err = run([]string{"check"}, &out, env("XDG_CONFIG_HOME", dir))
	if err == nil || !errors.As(err, &ec) || ec.ExitCode() != 1 || !strings.Contains(err.Error(), "the settings file") {
		t.Errorf("check: %v, want exit 1 naming the settings file", err)
	}
	if !strings.Contains(out.String(), `config.yaml:1:8: range: unknown range "9Y"`) {
		t.Errorf("check output lacks the placed error:\n%s", out.String())
	}
	out.Reset()
	if err := run([]string{"check", "--config", "none"}, &out, env("XDG_CONFIG_HOME", dir)); err != nil {
		t.Errorf("check --config none: %v", err)
	}
}

// The done criterion: a settings file sets the currency and range print
// uses, and a flag overrides it.
func TestSettingsFileSetsPrintsCurrencyAndRange(t *testing.T) {
	isolate(t)
	dir := writeSettings(t, "currency: EUR\nrange: 3M\n")
	type head struct{ Range, Currency string }
	args := []string{"--feed", "sim", "--now", "2026-11-20T15:00:00Z", "--seed", "7"}
	if p := printAs[head](t, args, env("XDG_CONFIG_HOME", dir)); p.Range != "3M" || p.Currency != "EUR" {
		t.Errorf("from the file: range %s currency %s, want 3M EUR", p.Range, p.Currency)
	}
	if p := printAs[head](t, append(args, "--range", "1M"), env("XDG_CONFIG_HOME", dir)); p.Range != "1M" || p.Currency != "EUR" {
		t.Errorf("with --range 1M: range %s currency %s, want 1M EUR", p.Range, p.Currency)
	}
}

func matches(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
