//go:build unix

package watchlists

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe at path, skipping the test where it cannot.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
}

// loadWithin is LoadDir, failing the test rather than hanging it.
func loadWithin(t *testing.T, dir string) (Set, []*FileError) {
	t.Helper()
	type result struct {
		set  Set
		errs []*FileError
	}
	done := make(chan result, 1)
	go func() {
		set, errs := LoadDir(dir)
		done <- result{set, errs}
	}()
	select {
	case r := <-done:
		return r.set, r.errs
	case <-time.After(5 * time.Second):
		t.Fatalf("LoadDir(%s) still running after 5 s", dir)
		return Set{}, nil
	}
}

// TestLoadDirRefusesSpecialFiles: a FIFO named like a watchlist would block
// the open forever, and /dev/null would read as an empty watchlist; each is
// an error of its own, and the good files load.
func TestLoadDirRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"10-a.yaml": segmentYAML("A")})
	mkfifo(t, filepath.Join(dir, "60-x.yaml"))
	must(t, os.Symlink("/dev/null", filepath.Join(dir, "70-null.yaml")))
	set, errs := loadWithin(t, dir)
	if got := segmentFiles(set); !slices.Equal(got, []string{"10-a.yaml"}) {
		t.Errorf("segments = %v, want the good file", got)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		filepath.Join(dir, "60-x.yaml") + ": is a named pipe (FIFO), not a YAML file; move it aside",
		filepath.Join(dir, "70-null.yaml") + ": is a character device, not a YAML file; move it aside",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWatchReportsAFIFOAndReloadsAfter: a FIFO saved into the directory is
// an error for that file, and the watcher goes on to the next save.
func TestWatchReportsAFIFOAndReloadsAfter(t *testing.T) {
	t.Parallel()
	f := startWatch(t, map[string]string{"10-a.yaml": segmentYAML("A")})
	fifo := f.path("60-x.yaml")
	mkfifo(t, fifo)
	f.until("the FIFO refused", func(r Reload) bool {
		return segmentNames(r) == "A" && len(r.Errors) == 1 &&
			r.Errors[0].Error() == fifo+": is a named pipe (FIFO), not a YAML file; move it aside"
	})
	must(t, os.Remove(fifo))
	saveAtomic(t, fifo, segmentYAML("X"))
	f.until("the file saved over it", clean("A,X"))
}
