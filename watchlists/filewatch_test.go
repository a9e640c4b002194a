package watchlists

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	// fileQuiet is how long no further change may arrive: several
	// debounces, so a straggling event would have been seen.
	fileQuiet   = 3 * DefaultDebounce
	fileTimeout = 5 * time.Second
)

type fileFixture struct {
	t      *testing.T
	path   string
	ch     <-chan FileChange
	cancel context.CancelFunc
}

// startFileWatch loads path as a caller would and watches it with WatchFile.
func startFileWatch(t *testing.T, path string) *fileFixture {
	t.Helper()
	return startFileWatcher(t, fileWatcher{path: path})
}

// startFileWatcher is startFileWatch with w's settings.
func startFileWatcher(t *testing.T, w fileWatcher) *fileFixture {
	t.Helper()
	initial := readFileChange(w.path)
	if initial.Err != nil {
		t.Fatal(initial.Err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := w.watch(ctx, initial)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	f := &fileFixture{t: t, path: w.path, ch: ch, cancel: cancel}
	t.Cleanup(f.stop)
	return f
}

// stop cancels the watch and requires the channel to close promptly, which
// happens only after the fsnotify watcher is closed.
func (f *fileFixture) stop() {
	f.cancel()
	deadline := time.After(fileTimeout)
	for {
		select {
		case _, ok := <-f.ch:
			if !ok {
				return
			}
		case <-deadline:
			f.t.Error("change channel not closed after cancel")
			return
		}
	}
}

// want is the state a change must report.
type want struct {
	data    string
	missing bool
	err     string // the whole error text, path included
}

func data(s string) want { return want{data: s} }

var missing = want{missing: true}

func (f *fileFixture) failed(msg string) want { return want{err: f.path + ": " + msg} }

// expect requires the next change to be w. The watcher never sends the same
// state twice in a row, so a save that leaked an intermediate state (the
// emptied file, the name briefly missing) fails here: that state comes first.
func (f *fileFixture) expect(w want) {
	f.t.Helper()
	var c FileChange
	select {
	case got, ok := <-f.ch:
		if !ok {
			f.t.Fatal("change channel closed")
		}
		c = got
	case <-time.After(fileTimeout):
		f.t.Fatalf("no change; want %+v", w)
	}
	_, isFileError := c.Err.(*FileError)
	if c.Path != f.path || c.Missing != w.missing || errText(c.Err) != w.err || string(c.Data) != w.data ||
		(c.Err != nil && !isFileError) || ((c.Missing || c.Err != nil) && c.Data != nil) {
		f.t.Fatalf("change = {Path:%q Data:%q Missing:%v Err:%v}, want %+v at %q", c.Path, c.Data, c.Missing, c.Err, w, f.path)
	}
}

func (f *fileFixture) expectNone() {
	f.t.Helper()
	select {
	case c := <-f.ch:
		f.t.Fatalf("unexpected change: {Data:%q Missing:%v Err:%v}", c.Data, c.Missing, c.Err)
	case <-time.After(fileQuiet):
	}
}

// holdingsIn writes holdings.yaml (and an alerts.yaml beside it) in a new
// directory dir/rotation and returns its path.
func holdingsIn(t *testing.T, content string) string {
	dir := filepath.Join(t.TempDir(), "rotation")
	must(t, os.Mkdir(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "alerts.yaml"), []byte("alerts: []\n"), 0o644))
	path := filepath.Join(dir, "holdings.yaml")
	must(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func holdingsYAML(v int) string {
	return fmt.Sprintf("holdings:\n  - symbol: NVDA\n    shares: %d\n", v)
}

func TestWatchFileOneChangePerSave(t *testing.T) {
	styles := map[string]func(*testing.T, string, string){
		"in place": saveInPlace,
		"vim":      saveVim,
		"emacs":    saveEmacs,
		"atomic":   saveAtomic,
	}
	for name, save := range styles {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := startFileWatch(t, holdingsIn(t, holdingsYAML(0)))
			for v := 1; v <= 3; v++ {
				save(t, f.path, holdingsYAML(v))
				f.expect(data(holdingsYAML(v)))
			}
			f.expectNone()
		})
	}
}

func TestWatchFileDeletedThenRecreated(t *testing.T) {
	t.Parallel()
	f := startFileWatch(t, holdingsIn(t, holdingsYAML(0)))
	must(t, os.Remove(f.path))
	f.expect(missing)
	must(t, os.WriteFile(f.path, []byte(holdingsYAML(1)), 0o644))
	f.expect(data(holdingsYAML(1)))
	f.expectNone()
}

func TestWatchFileIgnoresOtherFiles(t *testing.T) {
	t.Parallel()
	f := startFileWatch(t, holdingsIn(t, holdingsYAML(0)))
	dir := filepath.Dir(f.path)
	saveAtomic(t, filepath.Join(dir, "alerts.yaml"), "alerts: [{symbol: NVDA}]\n")
	for _, name := range []string{"holdings.yaml~", ".holdings.yaml.swp", "#holdings.yaml#", "4913", "holdings.yml", "holdings.yaml.bak"} {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte("junk: ["), 0o644))
		must(t, os.Chmod(filepath.Join(dir, name), 0o600))
		must(t, os.Remove(filepath.Join(dir, name)))
	}
	must(t, os.Mkdir(filepath.Join(dir, "holdings.yaml.d"), 0o755))
	f.expectNone()
	saveAtomic(t, f.path, holdingsYAML(1)) // still watching
	f.expect(data(holdingsYAML(1)))
}

func TestWatchFileUnchangedContentNotResent(t *testing.T) {
	t.Parallel()
	f := startFileWatch(t, holdingsIn(t, holdingsYAML(0)))
	later := time.Now().Add(time.Hour)
	must(t, os.Chtimes(f.path, later, later)) // touch
	must(t, os.Chmod(f.path, 0o600))          // still readable
	saveAtomic(t, f.path, holdingsYAML(0))
	saveVim(t, f.path, holdingsYAML(0))
	saveInPlace(t, f.path, holdingsYAML(0))
	f.expectNone()
	saveInPlace(t, f.path, holdingsYAML(1))
	f.expect(data(holdingsYAML(1)))
}

// Bytes equal to the last readable state are sent again after an error:
// the caller must learn the error is gone.
func TestWatchFileUnreadableThenReadable(t *testing.T) {
	t.Parallel()
	w := fileWatcher{path: holdingsIn(t, holdingsYAML(0))}
	if os.Geteuid() == 0 {
		w.read = readAsUser // root reads a chmod 000 file anyway
	}
	f := startFileWatcher(t, w)
	must(t, os.Chmod(f.path, 0))
	f.expect(f.failed("cannot open: permission denied"))
	must(t, os.Chmod(f.path, 0o000)) // the same error is not repeated
	f.expectNone()
	must(t, os.Chmod(f.path, 0o644))
	f.expect(data(holdingsYAML(0)))
}

// readAsUser is readFileChange as a user other than root sees it.
func readAsUser(path string) FileChange {
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o444 == 0 {
		return FileChange{Path: path, Err: &FileError{Path: path, Msg: "cannot open: " + fs.ErrPermission.Error()}}
	}
	return readFileChange(path)
}

func TestWatchFileRefusesLargeAndNonRegularFiles(t *testing.T) {
	t.Parallel()
	f := startFileWatch(t, holdingsIn(t, holdingsYAML(0)))
	saveAtomic(t, f.path, "# "+strings.Repeat("x", MaxFileSize)+"\n")
	f.expect(f.failed(fmt.Sprintf("file is larger than %d bytes; check it is the right file", MaxFileSize)))
	must(t, os.Remove(f.path))
	must(t, os.Mkdir(f.path, 0o755))
	f.expect(f.failed("is a directory, not a YAML file; move it aside"))
	must(t, os.Remove(f.path))
	must(t, os.WriteFile(f.path, []byte(holdingsYAML(1)), 0o644))
	f.expect(data(holdingsYAML(1)))
}

// A plain open of a FIFO waits for a writer: the watcher would hang.
func TestWatchFileRefusesAFIFO(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("mkfifo"); err != nil {
		t.Skip("no mkfifo:", err)
	}
	f := startFileWatch(t, holdingsIn(t, holdingsYAML(0)))
	fifo := f.path + ".fifo"
	if out, err := exec.Command("mkfifo", fifo).CombinedOutput(); err != nil {
		t.Skipf("mkfifo: %v %s", err, out)
	}
	must(t, os.Rename(fifo, f.path))
	f.expect(f.failed("is a named pipe (FIFO), not a YAML file; move it aside"))
	saveAtomic(t, f.path, holdingsYAML(1))
	f.expect(data(holdingsYAML(1)))
}

// eventsOnly as the poll: these pass only if fsnotify events alone follow
// the directory.
func TestWatchFileParentDirectoryGoneAndBack(t *testing.T) {
	t.Run("removed and re-created", func(t *testing.T) {
		t.Parallel()
		f := startFileWatcher(t, fileWatcher{path: holdingsIn(t, holdingsYAML(0)), poll: eventsOnly})
		dir := filepath.Dir(f.path)
		must(t, os.RemoveAll(dir))
		f.expect(missing)
		must(t, os.Mkdir(dir, 0o755))
		must(t, os.WriteFile(f.path, []byte(holdingsYAML(1)), 0o644))
		f.expect(data(holdingsYAML(1)))
		saveVim(t, f.path, holdingsYAML(2)) // the new directory is watched
		f.expect(data(holdingsYAML(2)))
		f.expectNone()
	})
	t.Run("renamed away and replaced", func(t *testing.T) {
		t.Parallel()
		f := startFileWatcher(t, fileWatcher{path: holdingsIn(t, holdingsYAML(0)), poll: eventsOnly})
		dir := filepath.Dir(f.path)
		must(t, os.Rename(dir, dir+".old"))
		f.expect(missing)
		saveAtomic(t, filepath.Join(dir+".old", "holdings.yaml"), holdingsYAML(9)) // not ours any more
		f.expectNone()
		staged := stage(t, dir, map[string]string{"holdings.yaml": holdingsYAML(1)})
		must(t, os.Rename(staged, dir))
		f.expect(data(holdingsYAML(1)))
		saveAtomic(t, f.path, holdingsYAML(2))
		f.expect(data(holdingsYAML(2)))
	})
	t.Run("replaced by a file", func(t *testing.T) {
		t.Parallel()
		f := startFileWatcher(t, fileWatcher{path: holdingsIn(t, holdingsYAML(0)), poll: eventsOnly})
		dir := filepath.Dir(f.path)
		must(t, os.RemoveAll(dir))
		must(t, os.WriteFile(dir, []byte("oops"), 0o644))
		f.expect(f.failed("cannot open: " + dir + " or a directory above it is not a directory"))
		must(t, os.Remove(dir))
		must(t, os.Rename(stage(t, dir, map[string]string{"holdings.yaml": holdingsYAML(1)}), dir))
		f.expect(data(holdingsYAML(1)))
	})
}

// The missing first state is not sent; the file's arrival is, however
// much of its path had to be created first.
func TestWatchFileCreatedAfterStart(t *testing.T) {
	cases := []struct {
		name    string
		missing string // the directory created before the file, relative to a temp dir
		poll    time.Duration
	}{
		{"file missing", "", eventsOnly},
		{"directory missing", "rotation", eventsOnly},
		// Nothing watchable is left to report .config: the poll finds it.
		{"two directories missing", ".config/rotation", 50 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), tc.missing)
			f := startFileWatcher(t, fileWatcher{path: filepath.Join(dir, "holdings.yaml"), poll: tc.poll})
			must(t, os.MkdirAll(dir, 0o755))
			f.expectNone() // an empty directory: still missing, so nothing new
			saveAtomic(t, f.path, holdingsYAML(1))
			f.expect(data(holdingsYAML(1)))
			saveInPlace(t, f.path, holdingsYAML(2))
			f.expect(data(holdingsYAML(2)))
		})
	}
}

// A save between the caller's load and the watch starting is not lost.
func TestWatchFileSaveBeforeStartIsSent(t *testing.T) {
	t.Parallel()
	path := holdingsIn(t, holdingsYAML(1))
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := WatchFile(ctx, path, []byte(holdingsYAML(0)), false)
	must(t, err)
	f := &fileFixture{t: t, path: path, ch: ch, cancel: cancel}
	t.Cleanup(f.stop)
	f.expect(data(holdingsYAML(1)))
	f.expectNone()
}

func TestWatchFileCancelClosesTheChannel(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		startFileWatch(t, holdingsIn(t, holdingsYAML(0))).stop()
	})
	t.Run("change undelivered", func(t *testing.T) {
		t.Parallel()
		f := startFileWatch(t, holdingsIn(t, holdingsYAML(0)))
		saveAtomic(t, f.path, holdingsYAML(1))
		time.Sleep(3 * DefaultDebounce) // the change now waits for a reader
		f.stop()
	})
}

func TestWatchFileRefusesADirectoryPath(t *testing.T) {
	for _, path := range []string{"", "/", "."} {
		if ch, err := WatchFile(context.Background(), path, nil, true); err == nil || ch != nil {
			t.Errorf("WatchFile(%q): err = %v, want an error and no channel", path, err)
		}
	}
}
