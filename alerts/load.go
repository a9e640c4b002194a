package alerts

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rotation-dev/rotation/watchlists"
)

// MaxFileSize bounds the alerts file: a few dozen rules are a few KiB, so
// anything near this is the wrong file.
const MaxFileSize = 1 << 20

// DefaultPath is where the alerts file lives: $XDG_CONFIG_HOME/rotation/
// alerts.yaml, else $HOME/.config/rotation/alerts.yaml; "" when neither
// is set. A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
func DefaultPath(getenv func(string) string) string {
	return xdgPath(getenv, "XDG_CONFIG_HOME", ".config", "alerts.yaml")
}

// StatePaths are where the tracker's state and the log of fired alerts
// live: $XDG_STATE_HOME/rotation/alerts.state.json and alerts.log, else
// under $HOME/.local/state/rotation; both "" when neither is set.
func StatePaths(getenv func(string) string) (state, log string) {
	return xdgPath(getenv, "XDG_STATE_HOME", filepath.Join(".local", "state"), "alerts.state.json"),
		xdgPath(getenv, "XDG_STATE_HOME", filepath.Join(".local", "state"), "alerts.log")
}

func xdgPath(getenv func(string) string, env, fallback, name string) string {
	if dir := getenv(env); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "rotation", name)
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, fallback, "rotation", name)
	}
	return ""
}

// Load reads and parses the alerts file at path. A missing file is an
// error that says how to create one; see LoadIfExists for the quiet form.
func Load(path string) ([]Rule, *watchlists.FileError) {
	data, fe := readFile(path)
	if fe != nil {
		return nil, fe
	}
	return Parse(path, data)
}

// LoadIfExists is Load, except that a missing file is no rules and no
// error: alerts are optional.
func LoadIfExists(path string) ([]Rule, *watchlists.FileError) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return Load(path)
}

// readFile returns the file's bytes after refusing what is not a small
// regular file. Stat comes before Open because opening a FIFO would block.
func readFile(path string) ([]byte, *watchlists.FileError) {
	fail := func(format string, args ...any) *watchlists.FileError {
		return &watchlists.FileError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fail("no alerts file: create it with a YAML list of rules, one per item, e.g. %s", example)
	}
	if err != nil {
		return nil, fail("cannot stat: %v", unwrapPath(err))
	}
	if !info.Mode().IsRegular() {
		return nil, fail("is not a regular file (%s): the alerts file must be a YAML file", info.Mode().Type())
	}
	tooBig := fail("file is larger than %d bytes; an alerts file is a short list of rules, so check it is the right file", MaxFileSize)
	if info.Size() > MaxFileSize {
		return nil, tooBig
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fail("cannot open: %v", unwrapPath(err))
	}
	defer f.Close()
	// The file may have been swapped between Stat and Open.
	if again, err := f.Stat(); err != nil || !os.SameFile(info, again) {
		return nil, fail("changed while being opened; try again")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fail("cannot read: %v", unwrapPath(err))
	}
	if len(data) > MaxFileSize {
		return nil, tooBig
	}
	return data, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
