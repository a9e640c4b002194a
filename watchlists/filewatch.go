package watchlists

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// FileChange is one settled state of a watched file: its bytes, or why it
// cannot be read (Missing reports the file does not exist, e.g. deleted or
// not yet created). Data is nil when Missing or Err is set. Err is a
// *FileError naming the file, so it shows like any other file's error.
type FileChange struct {
	Path    string
	Data    []byte
	Missing bool
	Err     error
}

// WatchFile watches one file, such as holdings.yaml or alerts.yaml, and
// sends one FileChange per settled save, DefaultDebounce after the last
// event of the burst. The channel is closed once ctx is done.
//
// It watches the file's directory, not the file: a watch follows an inode,
// and atomic saves, vim's backup-and-rename, emacs, and deletion followed
// by re-creation all put a new inode under the name. Events for other
// entries of the directory are ignored. The directory may be missing at
// start, or removed, renamed or replaced later: the watcher follows the
// name as Watch does (see dirWatch), and reads the file once it is back.
//
// A state is sent only when it differs from the last one sent (bytes,
// missing, or error text), so a touch or a save of identical content
// sends nothing, while a chmod that makes an unreadable file readable
// again does. The caller has loaded the first state: pass those bytes as
// initial, or nil and initialMissing when the file did not exist. It is
// compared once, one debounce after start, so a save that landed between
// the caller's load and the watch starting is still sent.
func WatchFile(ctx context.Context, path string, initial []byte, initialMissing bool) (<-chan FileChange, error) {
	return fileWatcher{path: path}.watch(ctx, FileChange{Path: path, Data: initial, Missing: initialMissing})
}

// fileWatcher is WatchFile with settings that tests change.
type fileWatcher struct {
	path     string
	debounce time.Duration // DefaultDebounce when zero
	poll     time.Duration // DefaultPoll when zero

	// read is readFileChange; tests that run as root replace it, since
	// root reads a chmod 000 file anyway.
	read func(path string) FileChange
}

func (w fileWatcher) watch(ctx context.Context, initial FileChange) (<-chan FileChange, error) {
	clean := filepath.Clean(w.path)
	if base := filepath.Base(clean); base == "." || base == ".." || base == string(filepath.Separator) {
		return nil, fmt.Errorf("cannot watch %q: it names a directory, not a file", w.path)
	}
	if w.debounce <= 0 {
		w.debounce = DefaultDebounce
	}
	if w.poll <= 0 {
		w.poll = DefaultPoll
	}
	if w.read == nil {
		w.read = readFileChange
	}
	if initial.Missing {
		initial.Data = nil
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("cannot watch %s for changes: %w", w.path, err)
	}
	// A missing or unwatchable directory is not an error: the user may
	// create ~/.config/rotation/ later. check watches its parent, or
	// leaves it to the poll when that is missing too.
	d := newDirWatch(fw, filepath.Dir(clean))
	d.check(false)
	out := make(chan FileChange)
	go w.run(ctx, d, clean, initial, out)
	return out, nil
}

func (w fileWatcher) run(ctx context.Context, d *dirWatch, file string, sent FileChange, out chan<- FileChange) {
	defer close(out)
	defer d.fw.Close() // runs first: fsnotify's goroutine is gone when out closes
	d.settle(ctx, settling{
		debounce: w.debounce, poll: w.poll,
		armed:   true, // to catch a save between the caller's load and now
		touches: func(name string) bool { return filepath.Clean(name) == file },
		// Detached (say, the directory cannot be watched), no event reports
		// the file: each poll reads it.
		polled: func() bool { return d.gone != nil },
		fire:   func() bool { return w.send(ctx, &sent, out) },
	})
}

// send reads the file and sends its state unless it is the one last sent.
// It reports false when ctx ended first.
func (w fileWatcher) send(ctx context.Context, sent *FileChange, out chan<- FileChange) bool {
	c := w.read(w.path)
	if sameState(*sent, c) {
		return true
	}
	select {
	case out <- c:
		*sent = c
		return true
	case <-ctx.Done():
		return false
	}
}

// sameState reports whether b would tell a caller who has a nothing new.
func sameState(a, b FileChange) bool {
	return a.Missing == b.Missing && errText(a.Err) == errText(b.Err) && bytes.Equal(a.Data, b.Data)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// readFileChange reads path as it is now, refusing anything but a regular
// file of at most MaxFileSize bytes.
func readFileChange(path string) FileChange {
	data, fe := ReadFile(path, ReadOptions{Failed: func(op string, err error) string {
		if errors.Is(err, syscall.ENOTDIR) {
			// Not the file's fault: its directory (or one above) became a file.
			return fmt.Sprintf("cannot open: %s or a directory above it is not a directory", filepath.Dir(path))
		}
		if op == "stat" {
			op = "open" // to the user, the Stat is part of opening
		}
		return fmt.Sprintf("cannot %s: %v", op, err)
	}})
	switch {
	case fe == nil:
		return FileChange{Path: path, Data: data}
	case errors.Is(fe, fs.ErrNotExist):
		return FileChange{Path: path, Missing: true}
	default:
		return FileChange{Path: path, Err: fe}
	}
}
