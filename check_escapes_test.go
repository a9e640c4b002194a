package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckAndPrintShowFileErrorsInert: a holdings or alerts file whose bad
// line holds OSC 52 (set the clipboard) and CSI 2J (clear the screen), in a
// file whose name holds one too, is reported by check on stdout and by print
// on stderr with the sequences gone.
func TestCheckAndPrintShowFileErrorsInert(t *testing.T) {
	isolate(t)
	const seqs = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"
	dir := t.TempDir()
	if err := run([]string{"init", dir}, &bytes.Buffer{}, env()); err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	holdings := filepath.Join(files, "hold"+seqs+"ings.yaml")
	alerts := filepath.Join(files, "alerts.yaml")
	for path, body := range map[string]string{
		holdings: "positions:\n  - {symbol: NVDA, quantity: 0, cost: 1} # " + seqs + "\n",
		alerts:   "- when: price\n  symbol: NVDA\n  above: x" + seqs + "\n",
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Skipf("cannot write %q: %v", path, err)
		}
	}
	var out bytes.Buffer
	err := run([]string{"check", dir, "--holdings", holdings, "--alerts", alerts}, &out, env())
	if exitCode(err) != 1 || !strings.Contains(out.String(), "ings.yaml:2:30: a zero quantity holds nothing") {
		t.Errorf("check: %v, want exit 1 and the holdings error:\n%s", err, out.String())
	}
	inertOutput(t, "check", out.String())

	stderr := captureStderr(t, func() {
		err = run([]string{"print", "--feed", "sim", "--watchlists", dir, "--holdings", holdings, "--alerts", alerts}, io.Discard, env())
	})
	if exitCode(err) != 1 || !strings.Contains(stderr, "a zero quantity holds nothing") {
		t.Errorf("print: %v, want exit 1 and the errors on stderr:\n%s", err, stderr)
	}
	inertOutput(t, "print's stderr", stderr)
}

// inertOutput fails t if out holds an ESC or any other control but a line
// break, DEL or a C1 control.
func inertOutput(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Fatalf("%s: U+%04X at byte %d survived:\n%q", what, r, i, out)
		}
	}
}

// captureStderr is what f writes to os.Stderr.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	read := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		read <- string(b)
	}()
	defer func() {
		os.Stderr = saved
	}()
	f()
	os.Stderr = saved
	w.Close()
	return <-read
}
