//go:build unix

// Unix only: the cases need mkfifo and /dev/null, and the expected paths
// are written with forward slashes.

package book

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

func write(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	path := write(t, "holdings.yaml", "positions:\n  - {symbol: nvda, quantity: 3, cost: 100.5}\n")
	h, fe := Load(path)
	if fe != nil {
		t.Fatal(fe.Report())
	}
	if h.Path != path || len(h.Lots) != 1 || h.Lots[0] != (Lot{Symbol: "NVDA", Quantity: 3, Cost: 100.5, Line: 2}) {
		t.Fatalf("Load = %+v", h)
	}
}

// TestLoadParseErrorNamesPath: errors from a loaded file carry its path and
// position like any other, so the user can open the file at the line.
func TestLoadParseErrorNamesPath(t *testing.T) {
	path := write(t, "holdings.yaml", "positions:\n  - {symbol: AAPL, quantity: 0, cost: 1}\n")
	_, fe := Load(path)
	if fe == nil || !strings.HasPrefix(fe.Error(), path+":2:30: a zero quantity") {
		t.Fatalf("got %v", fe)
	}
}

// TestLoadMissing: the first thing a new user sees, so it must say what to write.
func TestLoadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rotation", "holdings.yaml")
	_, fe := Load(path)
	if fe == nil || fe.Path != path || fe.Line != 0 ||
		!strings.Contains(fe.Msg, "no holdings file here") || !strings.Contains(fe.Msg, "positions:") {
		t.Fatalf("got %v", fe)
	}
	if !strings.HasPrefix(fe.Report(), path+": ") {
		t.Errorf("report %q does not start with the path", fe.Report())
	}
}

// TestLoadRefusesSpecialFiles must return promptly: opening a FIFO with no
// writer would block forever, so a hang here is the bug.
func TestLoadRefusesSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "holdings.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	cases := []struct{ path, want string }{
		{fifo, "is a named pipe (FIFO), not a regular file"},
		{"/dev/null", "is a character device, not a regular file"},
		{t.TempDir(), "is a directory"},
	}
	for _, c := range cases {
		if _, err := os.Stat(c.path); err != nil {
			t.Logf("skip %s: %v", c.path, err)
			continue
		}
		done := make(chan *watchlists.FileError, 1)
		go func() { _, fe := Load(c.path); done <- fe }()
		select {
		case fe := <-done:
			if fe == nil || !strings.Contains(fe.Msg, c.want) {
				t.Errorf("Load(%s) = %v; want %q", c.path, fe, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Load(%s) blocked", c.path)
		}
	}
}

func TestLoadTooBig(t *testing.T) {
	path := write(t, "holdings.yaml", "positions: []\n"+strings.Repeat("#\n", MaxFileSize/2))
	_, fe := Load(path)
	if fe == nil || fe.Line != 0 || !strings.Contains(fe.Msg, "larger than") {
		t.Fatalf("got %v", fe)
	}
}

func TestLoadUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	path := write(t, "holdings.yaml", "positions: []\n")
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	_, fe := Load(path)
	if fe == nil || !strings.Contains(fe.Msg, "permission denied") || strings.Count(fe.Error(), path) != 1 {
		t.Fatalf("got %v; want the path once and the reason", fe)
	}
}

func TestDefaultPath(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		getenv func(string) string
		want   string
	}{
		{env("XDG_CONFIG_HOME", "/x/cfg", "HOME", "/home/u"), "/x/cfg/rotation/holdings.yaml"},
		{env("HOME", "/home/u"), "/home/u/.config/rotation/holdings.yaml"},
		{env("XDG_CONFIG_HOME", "relative/cfg", "HOME", "/home/u"), "/home/u/.config/rotation/holdings.yaml"},
		{env(), ""},
	}
	for i, c := range cases {
		if got := DefaultPath(c.getenv); got != c.want {
			t.Errorf("case %d: DefaultPath = %q, want %q", i, got, c.want)
		}
	}
}
