//go:build unix

package fsbound

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// readWithin is ReadFile, failing the test rather than hanging it.
func readWithin(t *testing.T, path string, limit int64) ([]byte, error) {
	t.Helper()
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := ReadFile(path, limit)
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("ReadFile(%s) still running after 5 s", path)
		return nil, nil
	}
}

// TestOpenRefusesSpecialFilesWithoutBlocking: a FIFO nobody writes to, a
// device that never ends or reads as empty, and a socket, named directly or
// through a symlink, are each refused at once as what they are.
func TestOpenRefusesSpecialFilesWithoutBlocking(t *testing.T) {
	dir, err := os.MkdirTemp("", "fsb") // short: socket paths are limited to about 100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	sock := filepath.Join(dir, "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("cannot make a Unix socket here: %v", err)
	}
	defer l.Close()
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, kind string }{
		{fifo, "a named pipe (FIFO)"},
		{sock, "a socket"},
		{zero, "a character device"},
		{"/dev/null", "a character device"},
	} {
		_, err := readWithin(t, tt.path, 1<<20)
		if !errors.Is(err, ErrNotRegular) || err.Error() != tt.path+" is "+tt.kind+", not a regular file" {
			t.Errorf("%s: %v", tt.path, err)
		}
	}
}
