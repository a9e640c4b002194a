//go:build linux

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ctrl+z and kill -TSTP suspend the monitor as they do other terminal
// programs: the alternate screen is left, the cursor shown, mouse reporting
// and raw mode turned off, and the process stopped; SIGCONT (what fg sends)
// takes the terminal back and paints the screen again, which then answers
// keys. The binary runs in a pseudo-terminal of its own.
func TestSuspendRestoresTheTerminalAndResumeRepaints(t *testing.T) {
	dir := t.TempDir()
	bin := buildRotation(t, dir)
	for _, c := range []struct {
		name    string
		suspend func(pid int, tty *os.File) error
	}{
		{"kill -TSTP", func(pid int, _ *os.File) error { return syscall.Kill(pid, syscall.SIGTSTP) }},
		{"ctrl+z", func(_ int, tty *os.File) error { _, err := tty.Write([]byte{0x1a}); return err }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, "--feed", "sim", "--now", "2026-11-20T15:00:00Z")
			cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+dir, "XDG_CONFIG_HOME="+dir, "TERM=xterm-256color")
			tty, err := startInPTY(cmd, 120, 40)
			if errors.Is(err, errors.ErrUnsupported) {
				t.Skip("no pseudo-terminal on this system")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer tty.Close()
			exited := make(chan error, 1)
			defer func() { _ = cmd.Process.Kill(); <-exited }()
			seen := &lockedBuffer{}
			go func() {
				buf := make([]byte, 64<<10)
				for {
					n, err := tty.Read(buf)
					seen.Write(buf[:n])
					if err != nil {
						return
					}
				}
			}()
			go func() { exited <- cmd.Wait() }()
			pid := cmd.Process.Pid
			since := func(mark int) func() string { return func() string { return seen.String()[mark:] } }
			waitUntil(t, "the first frame", since(0), "SIMULATED")

			mark := len(seen.String())
			if err := c.suspend(pid, tty); err != nil {
				t.Fatal(err)
			}
			waitForState(t, pid, "stopped", func(s byte) bool { return s == 'T' })
			// What it wrote before stopping may still be on its way through
			// the pseudo-terminal to the reader: wait for it, a while.
			wants := []struct{ what, seq string }{{"leave the alternate screen", "\x1b[?1049l"},
				{"show the cursor", "\x1b[?25h"}, {"turn mouse reporting off", "\x1b[?1002l"}}
			out := since(mark)
			for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if strings.Contains(out(), wants[0].seq) && strings.Contains(out(), wants[1].seq) && strings.Contains(out(), wants[2].seq) {
					break
				}
			}
			for _, want := range wants {
				if !strings.Contains(out(), want.seq) {
					t.Errorf("on suspending it did not %s (%q); it wrote %q", want.what, want.seq, out())
				}
			}
			if raw(t, tty) {
				t.Error("the terminal was left in raw mode for the shell")
			}

			mark = len(seen.String())
			if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
				t.Fatal(err)
			}
			waitUntil(t, "a repainted screen after SIGCONT", since(mark), "\x1b[?1049h", "SIMULATED", "Rotation map")
			waitForState(t, pid, "running", func(s byte) bool { return s != 'T' })
			if !raw(t, tty) {
				t.Error("after SIGCONT the terminal is not in raw mode: keys would wait for Enter")
			}
			if _, err := tty.Write([]byte("q")); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("q after resuming: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("q after resuming did not quit")
			}
			exited <- nil // for the deferred kill
		})
	}
}

// waitUntil waits up to 10 s for out() to hold every one of want.
func waitUntil(t *testing.T, what string, out func() string, want ...string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !showsAll(out(), want); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10 s: want %q in %q", what, want, out())
		}
	}
}

// waitForState waits up to 10 s for the process's state in /proc to pass ok.
func waitForState(t *testing.T, pid int, what string, ok func(byte) bool) {
	t.Helper()
	var state byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			t.Fatal(err)
		}
		// The state follows the command name, which is in parentheses.
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 && i+2 < len(stat) {
			if state = stat[i+2]; ok(state) {
				return
			}
		}
	}
	t.Fatalf("the process is not %s after 10 s: state %c", what, state)
}

// raw reports whether the terminal's line discipline is off, as Bubble Tea
// sets it; the master side reads the settings the program made.
func raw(t *testing.T, tty *os.File) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ICANON == 0
}
