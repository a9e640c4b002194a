package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/watchlists"
)

// printEvents runs print on the simulated market (seed 7) at a fixed moment
// and returns the labels of its JSON's events.
func printEvents(t *testing.T, args ...string) []string {
	t.Helper()
	var out bytes.Buffer
	args = append([]string{"print", "--feed", "sim", "--seed", "7", "--now", "2025-02-10T15:00:00Z", "--format", "json"}, args...)
	if err := run(args, &out, os.Getenv); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	var doc struct {
		Events []struct {
			Date, Label, Source string
			Symbols             []string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, e := range doc.Events {
		if e.Symbols == nil {
			t.Errorf("event %+v: symbols null, want a list", e)
		}
		labels = append(labels, e.Date+" "+e.Label+" "+e.Source)
	}
	return labels
}

// TestPrintJSONEventsWithinRange: without an events file the built-ins
// are listed when within the range shown: the DeepSeek sell-off is in the
// month before 10 February 2025, not in its day.
func TestPrintJSONEventsWithinRange(t *testing.T) {
	isolate(t)
	const deepSeek = "2025-01-27 The DeepSeek sell-off builtin"
	if got := printEvents(t, "--range", "1M"); !slices.Contains(got, deepSeek) {
		t.Errorf("1M events %q lack %q", got, deepSeek)
	}
	if got := printEvents(t, "--range", "1D"); slices.Contains(got, deepSeek) {
		t.Errorf("1D events %q hold %q", got, deepSeek)
	}
}

// TestEventsBuiltinUnlessNone: no file means the built-ins, --events none
// means none, and a file replaces them.
func TestEventsBuiltinUnlessNone(t *testing.T) {
	isolate(t)
	const deepSeek = "2025-01-27 The DeepSeek sell-off builtin"
	var c config
	newFlagSet("print", &c)
	if u := loadUserFiles(c, watchlists.Defaults(), os.Getenv); len(u.events) != len(events.Builtin()) || u.eventsPath != "" {
		t.Errorf("no file: %d events from %q, want the %d built-ins", len(u.events), u.eventsPath, len(events.Builtin()))
	}
	if got := printEvents(t, "--range", "1M", "--events", "none"); slices.Contains(got, deepSeek) {
		t.Errorf("--events none: %q", got)
	}
	path := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "rotation", "events.yaml")
	writeFile(t, path, "- {date: 2025-02-03, label: Tariffs, symbols: [nvda]}\n")
	got := printEvents(t, "--range", "1M")
	if slices.Contains(got, deepSeek) || !slices.Contains(got, "2025-02-03 Tariffs file") {
		t.Errorf("with %s: %q, want its event and no built-in", path, got)
	}
}

// TestCheckReportsBrokenEventsFile: check names the events file and each of
// its errors at file:line:col, and exits 1; a good one is counted.
func TestCheckReportsBrokenEventsFile(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "events.yaml")
	writeFile(t, path, "- date: 2025-01-27\n  lable: DeepSeek\n- date: 27/01/2025\n  label: x\n")
	var out bytes.Buffer
	err := run([]string{"check", "--events", path}, &out, os.Getenv)
	for _, want := range []string{path + ": 3 errors, below", path + `:2:3: unknown field "lable": did you mean label?`,
		path + ":3:9: date must be a calendar date"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
	if code := exitCode(err); code != 1 || !strings.Contains(err.Error(), "events file") {
		t.Errorf("check: exit %d, %v", code, err)
	}
	writeFile(t, path, events.DefaultFile)
	out.Reset()
	if err := run([]string{"check", "--events", path}, &out, os.Getenv); err != nil || !strings.Contains(out.String(), path+": ok, 3 events") {
		t.Errorf("check of the default file: %v\n%s", err, out.String())
	}
}

// TestInitWritesEventsOnce: init writes events.yaml beside the watchlists,
// and leaves it alone the second time.
func TestInitWritesEventsOnce(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "watchlists")
	path := filepath.Join(root, "events.yaml")
	var out bytes.Buffer
	if err := run([]string{"init", dir}, &out, env()); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != events.DefaultFile || !strings.Contains(out.String(), "wrote   "+path) {
		t.Fatalf("first init: %v, %q\n%s", err, data, out.String())
	}
	writeFile(t, path, "[]\n")
	out.Reset()
	if err := run([]string{"init", dir}, &out, env()); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "[]\n" || !strings.Contains(out.String(), "skipped "+path) {
		t.Errorf("second init overwrote %s: %q\n%s", path, data, out.String())
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
