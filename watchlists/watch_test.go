package watchlists

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	testDebounce = 120 * time.Millisecond
	// quietWindow is how long no further reload may arrive after the expected
	// one: several debounces, so a straggling event would have been seen.
	quietWindow   = 4 * testDebounce
	reloadTimeout = 10 * time.Second
)

func segmentYAML(name string) string {
	return fmt.Sprintf("name: %s\nera: training\nsymbols:\n  - NVDA\n  - AMD\n", name)
}

type watchFixture struct {
	t      *testing.T
	dir    string
	reload <-chan Reload
	cancel context.CancelFunc
}

// startWatch writes files, loads them as the initial set and starts watching.
func startWatch(t *testing.T, files map[string]string) *watchFixture {
	t.Helper()
	return startWatcher(t, Watcher{Dir: t.TempDir()}, files)
}

// startWatcher is startWatch with w's settings; it creates w.Dir if needed
// and uses testDebounce unless w sets one.
func startWatcher(t *testing.T, w Watcher, files map[string]string) *watchFixture {
	t.Helper()
	must(t, os.MkdirAll(w.Dir, 0o755))
	writeFiles(t, w.Dir, files)
	initial, errs := LoadDir(w.Dir)
	if len(errs) != 0 {
		t.Fatalf("initial load: %v", errs)
	}
	if w.Debounce == 0 {
		w.Debounce = testDebounce
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := w.Watch(ctx, initial)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	f := &watchFixture{t: t, dir: w.Dir, reload: ch, cancel: cancel}
	t.Cleanup(f.stop)
	return f
}

// stop cancels the watch and requires the channel to close promptly, which
// happens only after the fsnotify watcher and its goroutine are gone.
func (f *watchFixture) stop() {
	f.cancel()
	deadline := time.After(reloadTimeout)
	for {
		select {
		case _, ok := <-f.reload:
			if !ok {
				return
			}
		case <-deadline:
			f.t.Error("reload channel not closed after cancel")
			return
		}
	}
}

func (f *watchFixture) path(name string) string { return filepath.Join(f.dir, name) }

// expectOne waits for a reload and then requires silence for quietWindow.
func (f *watchFixture) expectOne() Reload {
	f.t.Helper()
	var r Reload
	select {
	case got, ok := <-f.reload:
		if !ok {
			f.t.Fatal("reload channel closed")
		}
		r = got
	case <-time.After(reloadTimeout):
		f.t.Fatal("no reload after a save")
	}
	f.expectNone()
	return r
}

func (f *watchFixture) expectNone() {
	f.t.Helper()
	select {
	case r := <-f.reload:
		f.t.Fatalf("unexpected extra reload: %d segments, errors %v", len(r.Set.Segments), r.Errors)
	case <-time.After(quietWindow):
	}
}

// expectNames requires a clean reload whose segments have exactly these names.
func (f *watchFixture) expectNames(r Reload, names ...string) {
	f.t.Helper()
	if len(r.Errors) != 0 {
		f.t.Fatalf("unexpected errors: %v", r.Errors)
	}
	var got []string
	for _, seg := range r.Set.Segments {
		got = append(got, seg.Name)
	}
	if strings.Join(got, ",") != strings.Join(names, ",") || r.Set.Source != f.dir {
		f.t.Fatalf("segments = %v from %q, want %v from %q", got, r.Set.Source, names, f.dir)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// saveInPlace truncates then writes, as most editors without backups do;
// the pause lets the watcher see the empty file first.
func saveInPlace(t *testing.T, path, content string) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	must(t, err)
	must(t, f.Sync())
	time.Sleep(10 * time.Millisecond)
	_, err = f.WriteString(content)
	must(t, err)
	must(t, f.Close())
}

// saveVim mimics vim with writebackup: probe file 4913, rename to x~,
// create x, restore permissions, delete the backup.
func saveVim(t *testing.T, path, content string) {
	dir := filepath.Dir(path)
	must(t, os.WriteFile(filepath.Join(dir, "4913"), nil, 0o644))
	must(t, os.Remove(filepath.Join(dir, "4913")))
	must(t, os.Rename(path, path+"~"))
	must(t, os.WriteFile(path, []byte(content), 0o644))
	must(t, os.Chmod(path, 0o644))
	must(t, os.Remove(path+"~"))
}

// saveEmacs mimics emacs: a lock symlink .#x and an autosave #x# exist
// while editing; saving renames x to the backup x~, writes a new x and
// removes the autosave and the lock.
func saveEmacs(t *testing.T, path, content string) {
	dir, base := filepath.Split(path)
	lock, autosave := filepath.Join(dir, ".#"+base), filepath.Join(dir, "#"+base+"#")
	must(t, os.Symlink("user@host.1234:1700000000", lock))
	must(t, os.WriteFile(autosave, []byte(content), 0o644))
	must(t, os.Rename(path, path+"~"))
	must(t, os.WriteFile(path, []byte(content), 0o644))
	must(t, os.Remove(autosave))
	must(t, os.Remove(lock))
}

// saveAtomic writes a hidden temp file and renames it over the target, as
// renameio-style tools and many IDEs do.
func saveAtomic(t *testing.T, path, content string) {
	dir, base := filepath.Split(path)
	tmp := filepath.Join(dir, "."+base+".tmp-4242")
	must(t, os.WriteFile(tmp, []byte(content), 0o644))
	must(t, os.Rename(tmp, path))
}

func TestWatchOneReloadPerSave(t *testing.T) {
	styles := map[string]func(*testing.T, string, string){
		"in place": saveInPlace,
		"vim":      saveVim,
		"emacs":    saveEmacs,
		"atomic":   saveAtomic,
	}
	for name, save := range styles {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := startWatch(t, map[string]string{"10-a.yaml": segmentYAML("A v0"), "20-b.yaml": segmentYAML("B")})
			for v := 1; v <= 2; v++ {
				save(t, f.path("10-a.yaml"), segmentYAML(fmt.Sprintf("A v%d", v)))
				f.expectNames(f.expectOne(), fmt.Sprintf("A v%d", v), "B")
			}
		})
	}
}

func TestWatchBrokenSaveKeepsLastGood(t *testing.T) {
	t.Parallel()
	f := startWatch(t, map[string]string{"10-a.yaml": segmentYAML("A v0"), "20-b.yaml": segmentYAML("B")})
	saveAtomic(t, f.path("20-b.yaml"), segmentYAML("B v1"))
	f.expectNames(f.expectOne(), "A v0", "B v1")

	saveInPlace(t, f.path("20-b.yaml"), "name: B v2\nera: training\nsymbols:\n  - symbol: NVDA\n    weight: 0\n")
	r := f.expectOne()
	if len(r.Errors) != 1 || r.Errors[0].Error() != f.path("20-b.yaml")+":5:13: weight must be a number greater than 0, got 0; leave it out for the default 1" {
		t.Fatalf("errors = %v", r.Errors)
	}
	r.Errors = nil
	f.expectNames(r, "A v0", "B v1") // the broken file keeps its last good segment

	saveVim(t, f.path("20-b.yaml"), segmentYAML("B v3"))
	f.expectNames(f.expectOne(), "A v0", "B v3")
}

func TestWatchFilesAddedAndRemoved(t *testing.T) {
	t.Parallel()
	f := startWatch(t, map[string]string{"10-a.yaml": segmentYAML("A")})
	saveAtomic(t, f.path("05-new.yml"), segmentYAML("New"))
	f.expectNames(f.expectOne(), "New", "A")

	must(t, os.WriteFile(f.path("30-broken.yaml"), []byte("name: X\nera: training\n"), 0o644))
	r := f.expectOne()
	if len(r.Errors) != 1 || r.Errors[0].Path != f.path("30-broken.yaml") {
		t.Fatalf("errors = %v", r.Errors)
	}
	r.Errors = nil
	f.expectNames(r, "New", "A") // never good, so nothing to keep

	must(t, os.Remove(f.path("30-broken.yaml")))
	f.expectNames(f.expectOne(), "New", "A")
	must(t, os.Remove(f.path("05-new.yml")))
	f.expectNames(f.expectOne(), "A")
}

func TestWatchIgnoresDebris(t *testing.T) {
	t.Parallel()
	f := startWatch(t, map[string]string{"10-a.yaml": segmentYAML("A")})
	for _, name := range []string{".10-a.yaml.swp", "4913", "10-a.yaml~", "#10-a.yaml#", "notes.txt"} {
		must(t, os.WriteFile(f.path(name), []byte("junk: ["), 0o644))
		must(t, os.Chmod(f.path(name), 0o600))
	}
	f.expectNone()
}

func TestWatchStopsWhileReloadUndelivered(t *testing.T) {
	t.Parallel()
	f := startWatch(t, map[string]string{"10-a.yaml": segmentYAML("A")})
	saveAtomic(t, f.path("10-a.yaml"), segmentYAML("A v1"))
	time.Sleep(3 * testDebounce) // the reload is now waiting for a reader
	f.stop()
}

func TestWatchMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	if _, err := Watch(context.Background(), dir, Set{}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Watch on a missing directory: err = %v", err)
	}
}

func TestMergeDirectoryErrorKeepsEverything(t *testing.T) {
	good := newLastGood(Set{Segments: []Segment{{File: "b.yaml", Name: "B"}, {File: "a.yaml", Name: "A"}}})
	dirErr := &FileError{Path: "/w", Msg: "too many symbols"}
	r := good.merge("/w", Set{Source: "/w"}, []*FileError{dirErr})
	if len(r.Set.Segments) != 2 || r.Set.Segments[0].Name != "A" || r.Set.Source != "/w" || r.Errors[0] != dirErr {
		t.Fatalf("merge = %+v", r)
	}
}

// userFS is os.DirFS as a user other than root sees it: root reads chmod
// 000 files and lists chmod 000 directories anyway, and CI runs as root.
type userFS struct {
	fs.FS
	dir string
}

func (u userFS) Open(name string) (fs.File, error) {
	if info, err := os.Stat(filepath.Join(u.dir, name)); err == nil && info.Mode().Perm()&0o444 == 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.FS.Open(name)
}

// permissionWatcher watches dir, honouring permissions even as root.
func permissionWatcher(dir string) Watcher {
	w := Watcher{Dir: dir}
	if os.Geteuid() == 0 {
		w.load = func(dir string) (Set, []*FileError) { return LoadFS(userFS{os.DirFS(dir), dir}, dir) }
	}
	return w
}

func TestWatchChmodReloadsAndClearsTheError(t *testing.T) {
	t.Parallel()
	f := startWatcher(t, permissionWatcher(t.TempDir()),
		map[string]string{"10-a.yaml": segmentYAML("A"), "20-b.yaml": segmentYAML("B")})
	unreadable := f.path("10-a.yaml") + ": cannot open: permission denied"
	broken := f.path("20-b.yaml") + ":1:1: era is required: one of training, inference, benchmark"
	// Each reload lists every error there is now, and the last good A and B.
	expect := func(want ...string) {
		t.Helper()
		f.until(fmt.Sprintf("errors %q", want), func(r Reload) bool {
			return strings.Join(errorTexts(r), "\n") == strings.Join(want, "\n") && segmentNames(r) == "A,B"
		})
	}

	must(t, os.Chmod(f.path("10-a.yaml"), 0))
	expect(unreadable)
	saveAtomic(t, f.path("20-b.yaml"), "name: B\nsymbols: [NVDA]\n")
	expect(unreadable, broken)
	must(t, os.Chmod(f.path("10-a.yaml"), 0o644))
	expect(broken)
	saveAtomic(t, f.path("20-b.yaml"), segmentYAML("B"))
	expect()
}

func TestWatchDirectoryChmodReloadsAndClearsTheError(t *testing.T) {
	t.Parallel()
	f := startWatcher(t, permissionWatcher(t.TempDir()), map[string]string{"10-a.yaml": segmentYAML("A")})
	t.Cleanup(func() { os.Chmod(f.dir, 0o755) }) // or TempDir cannot remove it
	must(t, os.Chmod(f.dir, 0))
	want := f.dir + ": cannot list watchlists: permission denied; check the path, or run '" +
		initCommand(f.dir) + "' to create it with the built-in ones"
	f.until("the listing error", func(r Reload) bool {
		return len(r.Errors) == 1 && r.Errors[0].Error() == want && segmentNames(r) == "A"
	})
	must(t, os.Chmod(f.dir, 0o755))
	f.until("the error cleared", clean("A"))
}
