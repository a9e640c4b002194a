package feeds

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// loadWithin is LoadSnapshot, failing the test rather than hanging it.
func loadWithin(t *testing.T, path string) (*Snapshot, error) {
	t.Helper()
	type result struct {
		s   *Snapshot
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := LoadSnapshot(path)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("LoadSnapshot(%s) still reading after 5 s", path)
		return nil, nil
	}
}

// TestLoadSnapshotRefusesAHugeFile: a snapshot past MaxSnapshotSize (here a
// sparse 600 MB file, which costs no disk) is refused by its size, without
// reading it, and the run goes on without a snapshot.
func TestLoadSnapshotRefusesAHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snapshot.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(600 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := loadWithin(t, path)
	runtime.ReadMemStats(&after)
	if s != nil || err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") || !strings.Contains(err.Error(), "starting without it") {
		t.Errorf("LoadSnapshot = %v, %v; want it refused for its size, and the run going on without it", s, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusing the file allocated %d KiB; want it refused unread", alloc>>10)
	}
}
