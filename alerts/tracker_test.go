package alerts

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)

// at is the i-th poll, a minute apart.
func at(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }

var nvda = Rule{When: WhenPrice, Symbol: "NVDA", Above: ptr(200)}

// reading is nvda at price p; p <= 0 is an unknown price.
func reading(p float64) Reading {
	q := quotes()
	n := q["NVDA"]
	n.Price = p
	q["NVDA"] = n
	return Evaluate([]Rule{nvda}, report(), q)[0]
}

func statePath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "state", "rotation", "alerts.state.json")
}

func mustOpen(t *testing.T, path string) *Tracker {
	t.Helper()
	tr, err := OpenTracker(path)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTrackerFiresOncePerCrossing(t *testing.T) {
	tr := mustOpen(t, "")
	prices := []float64{199, 201, 205, 210, 195, 202, 203}
	want := []bool{false, true, false, false, false, true, false}
	for i, p := range prices {
		fired := tr.Observe([]Reading{reading(p)}, at(i))
		if got := len(fired) == 1; got != want[i] {
			t.Fatalf("poll %d at %v: fired %v, want %v", i, p, fired, want[i])
		}
		if want[i] && (fired[0].Message != reading(p).Message || fired[0].At != at(i) ||
			!fired[0].Value.Valid || fired[0].Value.Value != p || fired[0].Rule.Key() != nvda.Key()) {
			t.Errorf("poll %d: fired %+v", i, fired[0])
		}
	}
	if holds, since, ok := tr.Holding(nvda.Key()); !ok || !holds || since != at(5) {
		t.Errorf("Holding = %v since %v (%v), want true since %v", holds, since, ok, at(5))
	}
}

// TestTrackerUnknownKeepsState: a feed outage in the middle of a crossing
// must neither fire nor re-arm the rule.
func TestTrackerUnknownKeepsState(t *testing.T) {
	tr := mustOpen(t, "")
	if len(tr.Observe([]Reading{reading(0)}, at(0))) != 0 {
		t.Fatal("an unknown first reading fired")
	}
	if _, _, ok := tr.Holding(nvda.Key()); ok {
		t.Fatal("an unknown reading was recorded")
	}
	if len(tr.Observe([]Reading{reading(201)}, at(1))) != 1 {
		t.Fatal("did not fire")
	}
	if len(tr.Observe([]Reading{reading(0)}, at(2))) != 0 || len(tr.Observe([]Reading{reading(202)}, at(3))) != 0 {
		t.Fatal("an unknown reading re-armed the rule")
	}
	// And an unknown reading in the middle of a false stretch does not arm
	// it into firing on its own either.
	tr.Observe([]Reading{reading(150)}, at(4))
	if len(tr.Observe([]Reading{reading(0)}, at(5))) != 0 {
		t.Fatal("an unknown reading fired")
	}
	// A quadrant the map cannot place is unknown too.
	quad := Rule{When: WhenQuadrant, Segment: "Power", Enters: "leading"}
	rd := Evaluate([]Rule{quad}, report(), nil)[0]
	tr.Observe([]Reading{reading(150), rd}, at(6))
	if _, _, ok := tr.Holding(quad.Key()); ok {
		t.Fatal("an unplaced quadrant was recorded")
	}
}

// TestTrackerNoRefireAfterRestart: a rule holding when the program stops
// must not fire again when it starts and the rule still holds.
func TestTrackerNoRefireAfterRestart(t *testing.T) {
	path := statePath(t)
	tr := mustOpen(t, path)
	if len(tr.Observe([]Reading{reading(201)}, at(0))) != 1 {
		t.Fatal("did not fire")
	}
	if err := tr.Save(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v, %v", info, err)
	}
	if dir, err := os.Stat(filepath.Dir(path)); err != nil || dir.Mode().Perm() != 0o700 {
		t.Fatalf("state dir: %v, %v", dir, err)
	}
	tr = mustOpen(t, path)
	if fired := tr.Observe([]Reading{reading(205)}, at(1)); len(fired) != 0 {
		t.Fatalf("fired again after restart: %v", fired)
	}
	// Cleared while stopped: the restart sees it false, then true fires.
	tr.Observe([]Reading{reading(190)}, at(2))
	if err := tr.Save(); err != nil {
		t.Fatal(err)
	}
	tr = mustOpen(t, path)
	if len(tr.Observe([]Reading{reading(201)}, at(3))) != 1 {
		t.Fatal("did not fire after re-arming across a restart")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// TestTrackerReorderKeepsState: state follows the rule, not its place in
// the file, and rules deleted from the file leave the state on Save.
func TestTrackerReorderKeepsState(t *testing.T) {
	path := statePath(t)
	first, fe := Parse("alerts.yaml", []byte("- {when: spread, above: 2}\n- {when: price, symbol: NVDA, above: 200}\n- {when: change, symbol: AMD, below: -5}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	tr := mustOpen(t, path)
	if fired := tr.Observe(Evaluate(first, report(), quotes()), at(0)); len(fired) != 3 {
		t.Fatalf("fired %d, want 3", len(fired))
	}
	if err := tr.Save(); err != nil {
		t.Fatal(err)
	}
	// Reordered, relabelled, one rule deleted.
	second, fe := Parse("alerts.yaml", []byte("# reordered\n- {when: price, symbol: nvda, above: 200, name: big}\n- {when: spread, range: '', above: 2.0}\n"))
	if fe == nil {
		t.Fatal("an empty range was accepted")
	}
	second, fe = Parse("alerts.yaml", []byte("# reordered\n- {when: price, symbol: nvda, above: 200, name: big}\n- {when: spread, above: 2.0}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	tr = mustOpen(t, path)
	if fired := tr.Observe(Evaluate(second, report(), quotes()), at(1)); len(fired) != 0 {
		t.Fatalf("reordering fired %v", fired)
	}
	if err := tr.Save(); err != nil {
		t.Fatal(err)
	}
	var state map[string]json.RawMessage
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &state); err != nil || len(state) != 2 {
		t.Fatalf("state after deleting a rule: %s (%v)", data, err)
	}
	if _, ok := state[first[2].Key()]; ok {
		t.Errorf("the deleted rule is still in the state: %s", data)
	}
}

func TestTrackerCorruptState(t *testing.T) {
	for _, bad := range []string{"{not json", `["a list"]`, `{"k": {"holds": "yes"}}`} {
		path := statePath(t)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		tr, err := OpenTracker(path)
		if err == nil || tr == nil || !strings.Contains(err.Error(), path) {
			t.Fatalf("%q: OpenTracker = %v, %v; want a usable tracker and a warning naming the file", bad, tr, err)
		}
		if len(tr.Observe([]Reading{reading(150)}, at(0))) != 0 {
			t.Fatal("fired on a false reading")
		}
		if err := tr.Save(); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenTracker(path); err != nil {
			t.Errorf("%q: not replaced: %v", bad, err)
		}
	}
	// Not a file at all: still a usable tracker.
	dir := t.TempDir()
	if tr, err := OpenTracker(dir); err == nil || tr == nil {
		t.Errorf("directory as state: %v, %v", tr, err)
	}
}

func TestTrackerMissingStateIsEmpty(t *testing.T) {
	tr, err := OpenTracker(statePath(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Observe([]Reading{reading(201)}, at(0))) != 1 {
		t.Error("a rule already true when first seen did not fire")
	}
}
