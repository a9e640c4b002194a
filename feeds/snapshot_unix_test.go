//go:build unix

package feeds

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadSnapshotRefusesSpecialFiles: a FIFO would block the read (and the
// monitor at CONNECTING) forever, /dev/zero would fill memory. Each is
// refused, saying what it is; the run goes on without a snapshot.
func TestLoadSnapshotRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	zero := filepath.Join(dir, "zero.json")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, kind string }{{fifo, "a named pipe (FIFO)"}, {zero, "a character device"}} {
		s, err := loadWithin(t, tt.path)
		if s != nil || err == nil || !strings.Contains(err.Error(), tt.path+" is "+tt.kind+", not a file") {
			t.Errorf("LoadSnapshot(%s) = %v, %v; want it refused as %s", tt.path, s, err, tt.kind)
		}
	}
}

// TestSaveSnapshotReplacesAFIFO: saving reads the old snapshot to merge
// it; a FIFO there must not block the save, which replaces it.
func TestSaveSnapshotReplacesAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snapshot.json")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	at := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	done := make(chan error, 1)
	go func() {
		done <- SaveSnapshot(path, &Snapshot{SavedAt: at, Quotes: map[string]Quote{"A": {Symbol: "A", Price: 1}}})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SaveSnapshot still running after 5 s")
	}
	if s, err := LoadSnapshot(path); err != nil || s == nil || s.Quotes["A"].Price != 1 {
		t.Errorf("after the save: %v, %v; want the saved snapshot", s, err)
	}
}
