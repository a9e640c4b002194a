//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestColourProfileIsDetectedOnce: inside tmux every colour-profile
// detection runs `tmux info`, a process of its own on the way to the first
// frame. Lip Gloss detects as it loads; the program must be handed that
// profile, not detect again and run tmux info a second time.
func TestColourProfileIsDetectedOnce(t *testing.T) {
	dir := t.TempDir()
	bin := buildRotation(t, dir)
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
	defer startShowing(t, cmd, 120, 40, "SIMULATED")()
	got, err := os.ReadFile(calls)
	if err != nil {
		t.Fatalf("tmux was never asked, so this test tests nothing: %v", err)
	}
	if n := strings.Count(string(got), "\n"); n != 1 {
		t.Errorf("tmux ran %d times before the first frame, want 1:\n%s", n, got)
	}
}
