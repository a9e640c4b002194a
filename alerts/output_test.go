package alerts

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/baskets"
)

func TestAppendLogWritesJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "rotation", "alerts.log")
	quad := Rule{When: WhenQuadrant, Segment: "HBM", Enters: "leading"}
	first := []Fired{
		{Rule: nvda, Value: baskets.Some(201.3), Message: "NVDA price 201.30 is above 200", At: at(0)},
		{Rule: quad, Message: "HBM is in the leading \"quadrant\"\n", At: at(0)},
	}
	if err := AppendLog(path, first); err != nil {
		t.Fatal(err)
	}
	if err := AppendLog(path, nil); err != nil { // nothing fired: no-op
		t.Fatal(err)
	}
	if err := AppendLog(path, first[:1]); err != nil { // appends, never truncates
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("log file: %v, %v", info, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type line struct {
		Time    string   `json:"time"`
		Rule    string   `json:"rule"`
		Key     string   `json:"key"`
		Value   *float64 `json:"value"`
		Message string   `json:"message"`
	}
	var lines []line
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var l line
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d is not a log object: %q: %v", len(lines)+1, sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3", len(lines))
	}
	if l := lines[0]; l.Time != "2026-03-02T15:30:00Z" || l.Rule != "NVDA price above 200" || l.Key != nvda.Key() ||
		l.Value == nil || *l.Value != 201.3 || l.Message != "NVDA price 201.30 is above 200" {
		t.Errorf("line 1 = %+v", l)
	}
	if l := lines[1]; l.Value != nil || l.Rule != "HBM enters leading" || l.Message != first[1].Message {
		t.Errorf("line 2 = %+v", l)
	}
	if err := AppendLog("", first); err == nil {
		t.Error("an empty path was accepted")
	}
}

// TestLogValuesAreRoundedToWhatTheyMean: a logged value is written as
// print writes its kind: a day's change in percent to 6 decimals, a price
// to its quote's decimals (KRW=X's six).
func TestLogValuesAreRoundedToWhatTheyMean(t *testing.T) {
	rules := []Rule{{When: WhenChange, Symbol: "NVDA", Above: ptr(1)}, nvda, {When: WhenPrice, Symbol: "KRW=X", Above: ptr(0)}}
	var fired []Fired
	for _, rd := range Evaluate(rules, report(), quotes()) {
		fired = append(fired, Fired{Rule: rd.Rule, Value: rd.Value, Message: rd.Message, At: at(0)})
	}
	path := filepath.Join(t.TempDir(), "alerts.log")
	if err := AppendLog(path, fired); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// 100 * (201.3 / 190 - 1) = 5.9473684210...
	for _, want := range []string{`"value":5.947368,`, `"value":201.3,`, `"value":0.000712,`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("log lacks %s:\n%s", want, data)
		}
	}
}

func TestOSCEscapesHostileText(t *testing.T) {
	hostile := "NVDA\x1b]0;owned\a;x\x07\x1b[2J\u009b31m\u202e\n;end"
	got777 := OSC777("rot;ation\x1b\\", hostile)
	want777 := "\x1b]777;notify;rot,ation;NVDA,x,end\a"
	if got777 != want777 {
		t.Errorf("OSC777 = %q, want %q", got777, want777)
	}
	got9 := OSC9(hostile)
	if want9 := "\x1b]9;NVDA,x,end\a"; got9 != want9 {
		t.Errorf("OSC9 = %q, want %q", got9, want9)
	}
	// The only ESC and BEL are the sequence's own, and the 777 form keeps
	// exactly its three separators.
	for _, s := range []string{got777, got9} {
		if strings.Count(s, "\x1b") != 1 || strings.Count(s, "\a") != 1 || !strings.HasSuffix(s, "\a") {
			t.Errorf("sequence broken: %q", s)
		}
	}
	if n := strings.Count(got777, ";"); n != 3 {
		t.Errorf("OSC777 has %d separators: %q", n, got777)
	}
	if got := OSC777("rotation", "HBM is in the leading quadrant"); got != "\x1b]777;notify;rotation;HBM is in the leading quadrant\a" {
		t.Errorf("plain OSC777 = %q", got)
	}
}

func TestDefaultPaths(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	xdg := env(map[string]string{"XDG_CONFIG_HOME": "/c", "XDG_STATE_HOME": "/s", "HOME": "/h"})
	home := env(map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/h"})
	if got := DefaultPath(xdg); got != filepath.FromSlash("/c/rotation/alerts.yaml") {
		t.Errorf("DefaultPath = %q", got)
	}
	if got := DefaultPath(home); got != filepath.FromSlash("/h/.config/rotation/alerts.yaml") {
		t.Errorf("DefaultPath without XDG = %q", got)
	}
	if got := DefaultPath(env(nil)); got != "" {
		t.Errorf("DefaultPath with nothing set = %q", got)
	}
	if s, l := StatePaths(xdg); s != filepath.FromSlash("/s/rotation/alerts.state.json") || l != filepath.FromSlash("/s/rotation/alerts.log") {
		t.Errorf("StatePaths = %q, %q", s, l)
	}
	if s, l := StatePaths(home); s != filepath.FromSlash("/h/.local/state/rotation/alerts.state.json") || l != filepath.FromSlash("/h/.local/state/rotation/alerts.log") {
		t.Errorf("StatePaths without XDG = %q, %q", s, l)
	}
}
