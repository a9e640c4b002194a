//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestColourProfileIsDetectedOnce: inside tmux every colour-profile
// detection runs `tmux info`, a process of its own on the way to the first
// frame. Lip Gloss detects as it loads; the program must be handed that
// profile, not detect again (it did: two runs of tmux info per start).
func TestColourProfileIsDetectedOnce(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "rotation")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	calls := filepath.Join(dir, "tmux-calls")
	fakeDir := filepath.Join(dir, "fakebin")
	if err := os.Mkdir(fakeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho \"$@\" >> '" + calls + "'\necho '  Tc: [missing]'\n"
	if err := os.WriteFile(filepath.Join(fakeDir, "tmux"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COLORTERM=") && !strings.HasPrefix(kv, "NO_COLOR=") { // either skips the tmux step
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+fakeDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"TMUX=/tmp/tmux-fake/default,1,0", "TERM=xterm-256color", "XDG_CACHE_HOME="+dir, "XDG_CONFIG_HOME="+dir)

	cmd := exec.Command(bin, "--feed", "sim")
	cmd.Env = env
	out, err := startInPTY(cmd, 120, 40)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip("no pseudo-terminal on this system")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); out.Close() }()
	framed := make(chan struct{})
	go func() { // drained throughout: a terminal that stops reading stalls the program
		var seen bytes.Buffer
		buf := make([]byte, 64<<10)
		signalled := false
		for {
			n, err := out.Read(buf)
			if seen.Write(buf[:n]); !signalled && bytes.Contains(seen.Bytes(), []byte("SIMULATED")) {
				close(framed)
				signalled = true
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-framed:
	case <-time.After(10 * time.Second):
		t.Fatal("no frame within 10 s")
	}
	got, err := os.ReadFile(calls)
	if err != nil {
		t.Fatalf("tmux was never asked, so this test tests nothing: %v", err)
	}
	if n := strings.Count(string(got), "\n"); n != 1 {
		t.Errorf("tmux ran %d times before the first frame, want 1:\n%s", n, got)
	}
}
