//go:build unix

package yahoo

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A session cache that is no file (a FIFO in its place) is no session: the
// feed shakes hands anew rather than wait for a writer forever.
func TestSessionCacheThatIsAFIFODoesNotBlock(t *testing.T) {
	s := &sessions{dir: t.TempDir(), ends: newEndpoints("")}
	if err := os.MkdirAll(filepath.Dir(s.path()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(s.path(), 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	done := make(chan bool)
	go func() { _, ok := s.load(time.Now()); done <- ok }()
	select {
	case ok := <-done:
		if ok {
			t.Error("a FIFO loaded as a session")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("loading the session cache blocked on a FIFO")
	}
}
