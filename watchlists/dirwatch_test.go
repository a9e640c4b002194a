package watchlists

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// eventsOnly is a poll interval no test outlives: with it, a test passes
// only if fsnotify events alone bring the directory back.
const eventsOnly = time.Hour

// until waits for a reload that satisfies ok, skipping the ones before it:
// a burst split by a busy machine may send an intermediate reload, which
// is not what these tests are about.
func (f *watchFixture) until(what string, ok func(Reload) bool) Reload {
	f.t.Helper()
	deadline := time.After(reloadTimeout)
	last := "none"
	for {
		select {
		case r, open := <-f.reload:
			if !open {
				f.t.Fatal("reload channel closed")
			}
			if ok(r) {
				return r
			}
			last = describe(r)
		case <-deadline:
			f.t.Fatalf("no reload with %s; the last one had %s", what, last)
		}
	}
}

func describe(r Reload) string {
	return "segments [" + segmentNames(r) + "] errors " + strings.Join(errorTexts(r), " | ")
}

func segmentNames(r Reload) string {
	var names []string
	for _, seg := range r.Set.Segments {
		names = append(names, seg.Name)
	}
	return strings.Join(names, ",")
}

func errorTexts(r Reload) []string {
	var texts []string
	for _, e := range r.Errors {
		texts = append(texts, e.Error())
	}
	return texts
}

// clean matches a reload of exactly these segments with no errors.
func clean(names string) func(Reload) bool {
	return func(r Reload) bool { return len(r.Errors) == 0 && segmentNames(r) == names }
}

// gone matches the reload that says dir is gone, the last good names kept.
func gone(t *testing.T, dir, names string) func(Reload) bool {
	want := dir + ": the watchlist directory is gone (removed or renamed); the last good lists stay on screen: " +
		"recreate it, or run '" + initCommand(dir) + "'"
	return func(r Reload) bool {
		if len(r.Errors) != 1 || r.Errors[0].Error() != want {
			return false
		}
		if e := r.Errors[0]; e.Path != dir || e.Line != 0 || e.Report() != want {
			t.Errorf("directory error %+v: want no line, column or snippet", e)
		}
		if segmentNames(r) != names || r.Set.Source != dir {
			t.Errorf("while gone: segments [%s] from %q, want the last good [%s] from %q", segmentNames(r), r.Set.Source, names, dir)
		}
		return true
	}
}

// stage writes files into a new directory beside dir, ready to move in.
func stage(t *testing.T, dir string, files map[string]string) string {
	staged := dir + ".new"
	must(t, os.Mkdir(staged, 0o755))
	writeFiles(t, staged, files)
	return staged
}

func TestWatchDirectoryRemovedThenRecreated(t *testing.T) {
	t.Parallel()
	f := startWatcher(t, Watcher{Dir: t.TempDir(), Poll: eventsOnly},
		map[string]string{"10-a.yaml": segmentYAML("A"), "20-b.yaml": segmentYAML("B")})
	saveInPlace(t, f.path("20-b.yaml"), "name: B\nera: training\n")
	f.until("the broken file's error", func(r Reload) bool { return len(r.Errors) == 1 })

	// The directory error replaces the file's: the list is complete, not a delta.
	must(t, os.RemoveAll(f.dir))
	f.until("the directory gone", gone(t, f.dir, "A,B"))
	f.expectNone() // said once

	// rm -rf dir && mkdir dir && cp ...
	must(t, os.Mkdir(f.dir, 0o755))
	writeFiles(t, f.dir, map[string]string{"30-c.yaml": segmentYAML("C"), "40-d.yml": segmentYAML("D")})
	f.until("the new files and no errors", clean("C,D"))
	saveVim(t, f.path("30-c.yaml"), segmentYAML("C v1"))
	f.until("a save in the new directory", clean("C v1,D"))
}

func TestWatchDirectoryRenamedAwayThenReplaced(t *testing.T) {
	t.Parallel()
	f := startWatcher(t, Watcher{Dir: filepath.Join(t.TempDir(), "lists"), Poll: eventsOnly},
		map[string]string{"10-a.yaml": segmentYAML("A")})
	must(t, os.Rename(f.dir, f.dir+".old"))
	f.until("the directory gone", gone(t, f.dir, "A"))

	// Neither the moved directory nor the parent's other entries count.
	saveAtomic(t, filepath.Join(f.dir+".old", "10-a.yaml"), segmentYAML("A moved"))
	must(t, os.WriteFile(filepath.Join(filepath.Dir(f.dir), "other.yaml"), []byte(segmentYAML("X")), 0o644))
	f.expectNone()

	// mv new dir
	must(t, os.Rename(stage(t, f.dir, map[string]string{"10-a.yaml": segmentYAML("A new")}), f.dir))
	f.until("the new directory's files", clean("A new"))
	saveAtomic(t, f.path("10-a.yaml"), segmentYAML("A v2"))
	f.until("a save in the new directory", clean("A v2"))
}

func TestWatchEmptiedDirectoryThenRenamedOver(t *testing.T) {
	t.Parallel()
	f := startWatcher(t, Watcher{Dir: t.TempDir(), Poll: eventsOnly},
		map[string]string{"10-a.yaml": segmentYAML("A")})
	must(t, os.Remove(f.path("10-a.yaml")))
	want := f.dir + ": holds no watchlist files (*.yaml or *.yml); run '" + initCommand(f.dir) + "' to write the built-in ones there"
	r := f.until("the empty-directory error", func(r Reload) bool { return len(r.Errors) > 0 })
	if got := errorTexts(r); len(got) != 1 || got[0] != want || segmentNames(r) != "A" {
		t.Fatalf("emptied: %s; want only %q, the last good A kept", describe(r), want)
	}

	// rename(2) over an empty directory replaces it in one step; os.Rename
	// refuses to, so call it directly.
	must(t, syscall.Rename(stage(t, f.dir, map[string]string{"20-b.yaml": segmentYAML("B")}), f.dir))
	f.until("the replacement's files", clean("B"))
	saveInPlace(t, f.path("20-b.yaml"), segmentYAML("B v1"))
	f.until("a save in the replacement", clean("B v1"))
}

// With the parent gone too there is nothing left to tell the watcher when
// the directory is back: the poll finds it.
func TestWatchDirectoryRemovedWithItsParent(t *testing.T) {
	t.Parallel()
	parent := filepath.Join(t.TempDir(), "rotation")
	f := startWatcher(t, Watcher{Dir: filepath.Join(parent, "watchlists"), Poll: 50 * time.Millisecond},
		map[string]string{"10-a.yaml": segmentYAML("A")})
	must(t, os.RemoveAll(parent))
	f.until("the directory gone", gone(t, f.dir, "A"))
	f.expectNone() // several polls later, still said only once

	must(t, os.Mkdir(parent, 0o755))
	must(t, os.Rename(stage(t, parent, map[string]string{"10-a.yaml": segmentYAML("A back")}), f.dir))
	f.until("the directory back", clean("A back"))
	saveAtomic(t, f.path("10-a.yaml"), segmentYAML("A v2"))
	f.until("a save after coming back", clean("A v2"))
}

func TestWatchDirectoryReplacedByAFile(t *testing.T) {
	t.Parallel()
	f := startWatcher(t, Watcher{Dir: t.TempDir(), Poll: eventsOnly},
		map[string]string{"10-a.yaml": segmentYAML("A")})
	must(t, os.RemoveAll(f.dir))
	must(t, os.WriteFile(f.dir, []byte("oops"), 0o644))
	want := f.dir + ": this is no longer a directory; the last good lists stay on screen: " +
		"move what is there aside and recreate the directory"
	f.until("the not-a-directory error", func(r Reload) bool {
		return len(r.Errors) == 1 && r.Errors[0].Error() == want && segmentNames(r) == "A"
	})
	must(t, os.Remove(f.dir))
	must(t, os.Rename(stage(t, f.dir, map[string]string{"10-a.yaml": segmentYAML("A back")}), f.dir))
	f.until("the directory back", clean("A back"))
}

// Back under its name before the watcher looks, the directory is the same
// inode, yet the watch on it ended with the rename and must be made anew.
func TestWatchDirectoryRenamedAwayAndBack(t *testing.T) {
	t.Parallel()
	f := startWatcher(t, Watcher{Dir: t.TempDir(), Poll: eventsOnly}, map[string]string{"10-a.yaml": segmentYAML("A")})
	must(t, os.Rename(f.dir, f.dir+".old"))
	must(t, os.Rename(f.dir+".old", f.dir))
	f.until("a reload after the return", clean("A"))
	saveAtomic(t, f.path("10-a.yaml"), segmentYAML("A v1"))
	f.until("a save after the return", clean("A v1"))
}
