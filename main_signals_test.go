//go:build unix

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Each stop signal ends the monitor as q does: the alternate screen is
// left, the cursor shown again, and the recording is whole. The binary
// runs in a pseudo-terminal (script(1)) so the terminal modes are real.
func TestStopSignalsRestoreTheTerminalAndFlush(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("needs script(1) from util-linux for a pseudo-terminal")
	}
	dir := t.TempDir()
	bin := buildRotation(t, dir)
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			pidFile, rec := filepath.Join(dir, "pid-"+sig.String()), filepath.Join(dir, "rec-"+sig.String()+".jsonl")
			inner := "echo $$ > " + pidFile + "; exec " + bin + " --feed sim --now 2026-11-20T15:00:00Z --record " + rec
			cmd := exec.Command("script", "-qfec", "sh -c '"+inner+"'", "/dev/null")
			cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+dir, "XDG_CONFIG_HOME="+dir, "TERM=xterm-256color")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdin, _ := cmd.StdinPipe() // kept open: no keys are typed
			defer stdin.Close()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
			seen := &lockedBuffer{}
			read := make(chan struct{})
			go func() { _, _ = io.Copy(seen, out); close(read) }()
			pid := waitForPID(t, pidFile)
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(seen.String(), "SIMULATED") && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-read:
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10 s after %v", sig)
			}
			screen := seen.String()
			if i, j := strings.LastIndex(screen, "\x1b[?1049h"), strings.LastIndex(screen, "\x1b[?1049l"); i < 0 || j < i {
				t.Errorf("after %v the alternate screen was not left (entered at %d, left at %d)", sig, i, j)
			}
			if !strings.Contains(screen[strings.LastIndex(screen, "\x1b[?1049h")+1:], "\x1b[?25h") {
				t.Errorf("after %v the cursor was not shown again", sig)
			}
			data, err := os.ReadFile(rec)
			if err != nil || len(data) == 0 || data[len(data)-1] != '\n' {
				t.Errorf("recording after %v: %d bytes, %v; want whole lines", sig, len(data), err)
			}
		})
	}
}

func waitForPID(t *testing.T, path string) int {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				return pid
			}
		}
	}
	t.Fatal("the monitor never started")
	return 0
}
