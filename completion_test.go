package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestCompletionScripts: each shell's script names every flag and command,
// and bash and zsh (where installed) parse it.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		var out bytes.Buffer
		if err := run([]string{"completion", shell}, &out, env()); err != nil {
			t.Fatalf("%s: %v", shell, err)
		}
		script := out.String()
		for _, f := range completionFlags() {
			if !strings.Contains(script, f.name) {
				t.Errorf("%s script lacks --%s", shell, f.name)
			}
		}
		for _, word := range []string{"print", "check", "completion", "weekly", "replay:"} {
			if !strings.Contains(script, word) {
				t.Errorf("%s script lacks %q", shell, word)
			}
		}
		if shell == "fish" {
			if strings.Contains(script, `"`) {
				t.Error("fish script uses double quotes, which expand $variables in the help")
			}
			continue
		}
		path, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s not installed: its script is not parsed", shell)
			continue
		}
		cmd := exec.Command(path, "-n")
		cmd.Stdin = strings.NewReader(script)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, msg)
		}
	}
	var out bytes.Buffer
	if err := run([]string{"completion", "tcsh"}, &out, env()); exitCode(err) != 2 {
		t.Errorf("an unknown shell: %v", err)
	}
}
