//go:build unix

package replay

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Files that are not files must be refused, not read until memory runs out
// (/dev/zero) nor waited on forever in Open (a FIFO nobody writes to).

func TestOpenRefusesADevice(t *testing.T) {
	const zero = "/dev/zero"
	if info, err := os.Stat(zero); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("no character device at %s: %v", zero, err)
	}
	_, err := openWithin(t, zero)
	if err == nil || err.Error() != "replay /dev/zero: a character device, not a recording file; give a file written by --record" {
		t.Errorf("err = %v; want it refused as a character device", err)
	}
}

func TestOpenRefusesAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe.jsonl")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	_, err := openWithin(t, path)
	wantRefused(t, "FIFO", err, path, "a named pipe (FIFO), not a recording file")
}

func TestOpenRefusesASocket(t *testing.T) {
	dir, err := os.MkdirTemp("", "sock") // short: socket paths are limited to about 100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "s")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Skipf("cannot make a Unix socket here: %v", err)
	}
	defer l.Close()
	_, err = openWithin(t, path)
	wantRefused(t, "socket", err, path, "a socket, not a recording file")
}

func TestOpenRecordingRefusesFIFOsAndDevices(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.jsonl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	for _, appendMode := range []bool{false, true} {
		_, err := OpenRecording(fifo, appendMode)
		wantRefused(t, "FIFO", err, fifo, "a named pipe (FIFO), not a regular file")
		if _, err := os.Stat("/dev/null"); err == nil {
			_, err := OpenRecording("/dev/null", appendMode)
			wantRefused(t, "/dev/null", err, "/dev/null", "a character device, not a regular file")
		}
	}
}
