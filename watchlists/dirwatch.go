package watchlists

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// errNotDir is why a path that exists cannot be watched as a directory.
var errNotDir = errors.New("not a directory")

// dirWatch keeps an fsnotify watch on whatever directory is at dir now.
//
// A watch follows an inode, not a name: after rm -rf, mv away or a
// directory renamed into its place, the old watch is dead or looks at the
// wrong directory. So while attached, dirWatch watches dir itself; once it
// is gone, it watches the parent for the name to come back, and the poll
// calls check in case the parent cannot tell (it was removed too).
type dirWatch struct {
	fw     *fsnotify.Watcher
	dir    string      // as given, for errors and loads
	clean  string      // dir cleaned, to compare with event names
	parent string      // watched while detached; "" when dir has none ("/")
	info   os.FileInfo // the directory being watched; nil while detached
	gone   *FileError  // why nothing is watched; nil while attached
}

func newDirWatch(fw *fsnotify.Watcher, dir string) *dirWatch {
	d := &dirWatch{fw: fw, dir: dir, clean: filepath.Clean(dir)}
	if p := filepath.Dir(d.clean); p != d.clean {
		d.parent = p
	}
	return d
}

// isDir reports whether an event is about the directory itself, seen by
// its own watch or by the parent's.
func (d *dirWatch) isDir(name string) bool { return filepath.Clean(name) == d.clean }

// holds reports whether an event is about an entry of the directory rather
// than of the parent.
func (d *dirWatch) holds(name string) bool { return filepath.Dir(filepath.Clean(name)) == d.clean }

// attach starts watching the directory now at dir.
func (d *dirWatch) attach() error {
	// Stat before adding: if the directory is replaced in between, the
	// remembered identity is the older one and the next check corrects it;
	// the other way round would leave us watching a dead directory.
	info, err := os.Stat(d.dir)
	if err != nil {
		return unwrapPath(err)
	}
	if !info.IsDir() {
		return errNotDir
	}
	if err := d.fw.Add(d.dir); err != nil {
		return err
	}
	d.info = info
	return nil
}

// check makes the watch follow what is at dir now and reports whether that
// changed anything: detached, attached again, or a new reason for being
// detached. removed says an event reported the directory removed or
// renamed; it forces a fresh watch even when dir looks the same, because a
// directory renamed back, or created anew with the old inode number (ext4
// reuses them), still needs one: the old watch ended with the event.
func (d *dirWatch) check(removed bool) bool {
	if d.info != nil {
		info, err := os.Stat(d.dir)
		if !removed && err == nil && info.IsDir() && os.SameFile(d.info, info) {
			return false
		}
		_ = d.fw.Remove(d.dir) // usually ended already, with its directory
		d.info = nil
	}
	// Watch the parent before looking, so that a directory created in
	// between still wakes us; when it cannot be watched the poll finds it.
	if d.parent != "" {
		_ = d.fw.Add(d.parent)
	}
	was := d.gone
	if err := d.attach(); err != nil {
		d.gone = goneError(d.dir, err)
		return was == nil || was.Msg != d.gone.Msg
	}
	d.gone = nil
	if d.parent != "" {
		_ = d.fw.Remove(d.parent) // its other entries would only wake us for nothing
	}
	return true
}

// goneError is the directory-wide error shown while nothing is watched. It
// has no line or column: it is about the directory, not a file in it.
func goneError(dir string, err error) *FileError {
	const kept = "the last good lists stay on screen"
	var msg string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = fmt.Sprintf("the watchlist directory is gone (removed or renamed); %s: recreate it, or run '%s'", kept, initCommand(dir))
	case errors.Is(err, errNotDir):
		msg = fmt.Sprintf("this is no longer a directory; %s: move what is there aside and recreate the directory", kept)
	default:
		msg = fmt.Sprintf("cannot watch the watchlist directory: %v; %s: check its permissions and those of the directories above it", err, kept)
	}
	return &FileError{Path: dir, Msg: msg}
}

// settling is what a watcher built on a dirWatch does with its events.
type settling struct {
	debounce, poll time.Duration
	armed          bool                   // start with the debounce running, for a change made before the watch began
	touches        func(name string) bool // an event about something watched in the directory
	polled         func() bool            // at a poll that found the directory as it was: fire now? (nil: never)
	fire           func() bool            // the changes have settled; false ends the watch
}

// settle runs the watch until ctx ends, fsnotify closes or fire says stop.
// Any change to the directory, or to what touches names, restarts the
// debounce; when it runs out with the directory still as last checked, fire
// runs. The file and the directory watchers differ only in what they fire.
func (d *dirWatch) settle(ctx context.Context, s settling) {
	quiet := time.NewTimer(s.debounce)
	if !s.armed {
		quiet.Stop()
	}
	defer quiet.Stop()
	poll := time.NewTicker(s.poll)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-d.fw.Events:
			if !ok {
				return
			}
			switch {
			case d.isDir(ev.Name):
				// Removed, renamed, replaced, back again, or its permissions
				// changed: any of them may change what reading gives.
				d.check(ev.Has(fsnotify.Remove | fsnotify.Rename))
				quiet.Reset(s.debounce)
			case s.touches(ev.Name):
				quiet.Reset(s.debounce)
			}
		case _, ok := <-d.fw.Errors:
			if !ok {
				return
			}
			// Usually a queue overflow: events were lost, so look again.
			d.check(false)
			quiet.Reset(s.debounce)
		case <-poll.C:
			switch {
			case d.check(false):
				quiet.Reset(s.debounce)
			case s.polled != nil && s.polled():
				// Not via quiet, which a poll shorter than the debounce
				// would keep from ever running out.
				if !s.fire() {
					return
				}
			}
		case <-quiet.C:
			if d.check(false) {
				quiet.Reset(s.debounce) // the directory changed under us: let it settle
				continue
			}
			if !s.fire() {
				return
			}
		}
	}
}
