package alerts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/fsbound"
)

// maxStateSize bounds the state file read: it holds one small entry per
// rule, so anything bigger is not ours.
const maxStateSize = 1 << 20

// StatePaths are where the tracker's state and the log of fired alerts
// live: $XDG_STATE_HOME/rotation/alerts.state.json and alerts.log, else
// under $HOME/.local/state/rotation; both "" when neither is set.
func StatePaths(getenv func(string) string) (state, log string) {
	return xdgPath(getenv, "XDG_STATE_HOME", filepath.Join(".local", "state"), "alerts.state.json"),
		xdgPath(getenv, "XDG_STATE_HOME", filepath.Join(".local", "state"), "alerts.log")
}

// xdgPath is name under $env/rotation, else under $HOME/fallback/rotation.
func xdgPath(getenv func(string) string, env, fallback, name string) string {
	if dir := getenv(env); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "rotation", name)
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, fallback, "rotation", name)
	}
	return ""
}

// Fired is a rule that has just become true.
type Fired struct {
	Rule    Rule
	Value   baskets.Opt
	Message string
	At      time.Time
}

// entry is a rule's recorded state: whether it held at its last known
// reading, and since when it has been so.
type entry struct {
	Holds bool      `json:"holds"`
	Since time.Time `json:"since"`
}

// Tracker turns readings into edges: a rule fires when it becomes true and
// re-arms when it becomes false. The state is a JSON object of rule key ->
// {"holds","since"} so a rule holding across a restart does not fire again.
// A Tracker is safe for concurrent use.
type Tracker struct {
	mu    sync.Mutex
	path  string
	state map[string]entry
	dirty bool // state differs from the file
}

// OpenTracker reads the state at path. The returned tracker is always
// usable: a missing file is an empty state, and an unreadable or corrupt
// one is an empty state too, reported in err (a warning to show, never a
// reason to stop), and replaced by the next Save. An empty path keeps the
// state in memory only.
func OpenTracker(path string) (*Tracker, error) {
	t := &Tracker{path: path, state: make(map[string]entry)}
	if path == "" {
		return t, nil
	}
	state, err := readState(path)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		t.dirty = true // so that Save replaces the bad file even if nothing fires
		return t, fmt.Errorf("alerts state %s: %w; starting with no alert held, the file will be replaced", path, err)
	}
	t.state = state
	return t, nil
}

func readState(path string) (map[string]entry, error) {
	data, err := fsbound.ReadFile(path, maxStateSize)
	var nr *fsbound.NotRegularError
	switch {
	case errors.As(err, &nr):
		return nil, fmt.Errorf("%s, not a regular file", fsbound.Kind(nr.Mode))
	case errors.Is(err, fsbound.ErrTooBig):
		return nil, fmt.Errorf("larger than %d bytes", maxStateSize)
	case err != nil:
		return nil, err
	}
	var state map[string]entry
	if err := json.Unmarshal(data, &state); err != nil {
		return nil, fmt.Errorf("corrupt: %v", err)
	}
	if state == nil { // the file said null
		state = make(map[string]entry)
	}
	return state, nil
}

// Observe records readings taken at now and returns, in reading order, the
// rules that became true: not holding at their last known reading (or
// never seen) and holding now. A false reading re-arms its rule; an
// unknown one changes nothing, so a feed outage neither fires nor re-arms.
//
// readings must cover every current rule (as Evaluate's do): rules absent
// from them are taken as removed from the file and dropped from the state.
func (t *Tracker) Observe(readings []Reading, now time.Time) []Fired {
	t.mu.Lock()
	defer t.mu.Unlock()
	var fired []Fired
	live := make(map[string]bool, len(readings))
	for _, rd := range readings {
		key := rd.Rule.Key()
		live[key] = true
		if !rd.Known() {
			continue
		}
		prev, seen := t.state[key]
		if seen && prev.Holds == rd.Holds {
			continue
		}
		t.state[key] = entry{Holds: rd.Holds, Since: now}
		t.dirty = true
		if rd.Holds {
			fired = append(fired, Fired{Rule: rd.Rule, Value: rd.Value, Message: rd.Message, At: now})
		}
	}
	for key := range t.state {
		if !live[key] {
			delete(t.state, key)
			t.dirty = true
		}
	}
	return fired
}

// Holding reports whether the rule with key held at its last known reading
// and since when; ok is false for a rule with no known reading yet.
func (t *Tracker) Holding(key string) (holds bool, since time.Time, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.state[key]
	return e.Holds, e.Since, ok
}

// Save writes the state if it changed since it was read or last saved:
// to a temporary file in the same directory, then renamed over the old
// one, so a crash leaves either the old state or the new, never half.
func (t *Tracker) Save() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.path == "" || !t.dirty {
		return nil
	}
	data, err := json.MarshalIndent(t.state, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(t.path, append(data, '\n')); err != nil {
		return fmt.Errorf("cannot save alerts state: %w", err)
	}
	t.dirty = false
	return nil
}
