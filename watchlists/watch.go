package watchlists

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long a directory must stay quiet before a reload.
// Editors save in bursts (vim: probe file, rename, create, write, chmod,
// remove backup) spread over a few milliseconds; 150 ms covers them without
// the user noticing the delay.
const DefaultDebounce = 150 * time.Millisecond

// Reload is the outcome of one save: the set to display and the errors to
// show. A broken file keeps its last good segment in Set, so a typo never
// makes a tab vanish; Errors says what to fix.
type Reload struct {
	Set    Set
	Errors []*FileError
}

// Watcher reloads a watchlist directory whenever a file in it changes.
type Watcher struct {
	Dir      string
	Debounce time.Duration // quiet time before reloading; DefaultDebounce when zero
}

// Watch is Watcher{Dir: dir}.Watch: it uses DefaultDebounce.
func Watch(ctx context.Context, dir string, initial Set) (<-chan Reload, error) {
	return Watcher{Dir: dir}.Watch(ctx, initial)
}

// Watch starts watching and returns a channel that receives one Reload per
// save. initial is what is on screen; its segments are the last good
// versions until a file is saved. The channel is closed once ctx is done.
//
// Every burst of events that touches a watchlist file yields a Reload, even
// when the saved content is identical: the user saved, so errors are shown
// again and nothing is second-guessed. Bursts touching only editor debris
// (swap, backup, lock and probe files) or only permissions yield nothing.
func (w Watcher) Watch(ctx context.Context, initial Set) (<-chan Reload, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("cannot watch watchlists for changes: %w", err)
	}
	// The directory, not the files: editors replace files by renaming, which
	// would silently end a watch on the file itself.
	if err := fw.Add(w.Dir); err != nil {
		fw.Close()
		return nil, fmt.Errorf("cannot watch %s for changes: %w; check that it is a readable directory", w.Dir, err)
	}
	debounce := w.Debounce
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	out := make(chan Reload)
	go w.run(ctx, fw, debounce, newLastGood(initial), out)
	return out, nil
}

func (w Watcher) run(ctx context.Context, fw *fsnotify.Watcher, debounce time.Duration, good lastGood, out chan<- Reload) {
	defer close(out)
	defer fw.Close() // runs first: fsnotify's goroutine is gone when out closes
	quiet := time.NewTimer(debounce)
	quiet.Stop()
	defer quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-fw.Events:
			if !ok {
				return
			}
			if w.relevant(ev) {
				quiet.Reset(debounce)
			}
		case _, ok := <-fw.Errors:
			if !ok {
				return
			}
			// Usually a queue overflow: events were lost, so reload to be sure.
			quiet.Reset(debounce)
		case <-quiet.C:
			set, errs := LoadDir(w.Dir)
			select {
			case out <- good.merge(w.Dir, set, errs):
			case <-ctx.Done():
				return
			}
		}
	}
}

// relevant reports whether ev can change the set: a watchlist file was
// created, written, removed or renamed, or the directory itself went away.
func (w Watcher) relevant(ev fsnotify.Event) bool {
	if !ev.Has(fsnotify.Create | fsnotify.Write | fsnotify.Remove | fsnotify.Rename) {
		return false // pure CHMOD: touch, vim's permission restore
	}
	if filepath.Clean(ev.Name) == filepath.Clean(w.Dir) {
		return true
	}
	return isWatchlistName(filepath.Base(ev.Name))
}

// lastGood remembers the newest valid segment of every file.
type lastGood map[string]Segment

func newLastGood(initial Set) lastGood {
	good := make(lastGood, len(initial.Segments))
	for _, seg := range initial.Segments {
		good[seg.File] = seg
	}
	return good
}

// merge combines a fresh load with the last good segments: a broken file
// keeps its previous segment, a removed file drops out, and a
// directory-wide error (unreadable, too many symbols) keeps everything.
func (good lastGood) merge(dir string, loaded Set, errs []*FileError) Reload {
	for _, e := range errs {
		if e.Path == dir {
			return Reload{Set: good.set(dir), Errors: errs}
		}
	}
	next := make(lastGood, len(loaded.Segments)+len(errs))
	for _, seg := range loaded.Segments {
		next[seg.File] = seg
	}
	for _, e := range errs {
		file := filepath.Base(e.Path)
		if seg, ok := good[file]; ok {
			next[file] = seg
		}
	}
	clear(good)
	for file, seg := range next {
		good[file] = seg
	}
	return Reload{Set: good.set(dir), Errors: errs}
}

func (good lastGood) set(dir string) Set {
	set := Set{Source: dir, Segments: make([]Segment, 0, len(good))}
	for _, seg := range good {
		set.Segments = append(set.Segments, seg)
	}
	sort.Slice(set.Segments, func(i, j int) bool { return set.Segments[i].File < set.Segments[j].File })
	return set
}
