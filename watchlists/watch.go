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

// DefaultPoll is how often the watcher checks that its directory is still
// there. Events report a removal or a return at once; the poll is the
// fallback for when they cannot (the parent went too, or cannot be watched),
// and one stat a second is nothing next to a redrawing terminal.
const DefaultPoll = time.Second

// Reload is the outcome of one save: the set to display and the errors to
// show. A broken file keeps its last good segment in Set, so a typo never
// makes a tab vanish; Errors says what to fix. Errors is always the complete
// list for the directory as it is now, never a delta: a problem that was
// fixed is simply absent.
type Reload struct {
	Set    Set
	Errors []*FileError
}

// Watcher reloads a watchlist directory whenever a file in it changes.
type Watcher struct {
	Dir      string
	Debounce time.Duration // quiet time before reloading; DefaultDebounce when zero
	Poll     time.Duration // how often to check that Dir is still there; DefaultPoll when zero

	// load is LoadDir; tests that run as root replace it, since root reads
	// a chmod 000 file anyway.
	load func(dir string) (Set, []*FileError)
}

// Watch is Watcher{Dir: dir}.Watch: it uses DefaultDebounce and DefaultPoll.
func Watch(ctx context.Context, dir string, initial Set) (<-chan Reload, error) {
	return Watcher{Dir: dir}.Watch(ctx, initial)
}

// Watch starts watching and returns a channel that receives one Reload per
// save. initial is what is on screen; its segments are the last good
// versions until a file is saved. The channel is closed once ctx is done.
// Dir must exist when Watch is called.
//
// Every burst of events that touches a watchlist file yields a Reload, even
// when the saved content is identical: the user saved, so errors are shown
// again and nothing is second-guessed. A permission change counts, so that
// chmod 644 on an unreadable file clears its error. Bursts touching only
// editor debris (swap, backup, lock and probe files) yield nothing.
//
// When Dir is removed, renamed away or replaced, the watcher keeps running:
// it sends one Reload with the last good set and a single error saying the
// directory is gone, then follows the name, and once a directory is back
// there it loads it and sends a Reload whose Errors no longer mention it.
func (w Watcher) Watch(ctx context.Context, initial Set) (<-chan Reload, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("cannot watch watchlists for changes: %w", err)
	}
	d := newDirWatch(fw, w.Dir)
	if err := d.attach(); err != nil {
		fw.Close()
		return nil, fmt.Errorf("cannot watch %s for changes: %w; check that it is a readable directory", w.Dir, err)
	}
	if w.Debounce <= 0 {
		w.Debounce = DefaultDebounce
	}
	if w.Poll <= 0 {
		w.Poll = DefaultPoll
	}
	if w.load == nil {
		w.load = LoadDir
	}
	out := make(chan Reload)
	go w.run(ctx, d, newLastGood(initial), out)
	return out, nil
}

func (w Watcher) run(ctx context.Context, d *dirWatch, good lastGood, out chan<- Reload) {
	defer close(out)
	defer d.fw.Close() // runs first: fsnotify's goroutine is gone when out closes
	reported := ""     // the directory error last sent, so it is said once
	d.settle(ctx, settling{
		debounce: w.Debounce, poll: w.Poll,
		touches: func(name string) bool { return d.holds(name) && isWatchlistName(filepath.Base(name)) },
		fire: func() bool {
			var r Reload
			if d.gone != nil {
				if d.gone.Msg == reported {
					return true
				}
				reported = d.gone.Msg
				r = Reload{Set: good.set(w.Dir), Errors: []*FileError{d.gone}}
			} else {
				reported = ""
				set, errs := w.load(w.Dir)
				r = good.merge(w.Dir, set, errs)
			}
			select {
			case out <- r:
				return true
			case <-ctx.Done():
				return false
			}
		},
	})
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
// directory-wide error (unreadable, empty, too many symbols) keeps
// everything.
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
