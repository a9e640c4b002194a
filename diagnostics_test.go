package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// While the screen runs nothing reaches stderr: messages go to the status
// line; what was said before it started is handed to it; all of it is in
// the log.
func TestDiagnosticsNeverWriteBehindTheScreen(t *testing.T) {
	var stderr bytes.Buffer
	d := &diagnostics{stderr: &stderr, logPath: filepath.Join(t.TempDir(), "state", "rotation", "rotation.log")}
	d.say("rotation: snapshot is damaged; delete it\n")
	notices, early := d.startScreen()
	if len(early) != 1 || early[0] != "snapshot is damaged; delete it" {
		t.Errorf("early = %q", early)
	}
	d.say("rotation: cannot write snapshot: disk full\n")
	if got := <-notices; got != "cannot write snapshot: disk full" {
		t.Errorf("notice = %q", got)
	}
	if strings.Contains(stderr.String(), "disk full") {
		t.Error("a message reached stderr while the screen ran")
	}
	d.endScreen()
	d.say("rotation: stopped\n")
	if !strings.HasSuffix(stderr.String(), "rotation: stopped\n") {
		t.Errorf("after the screen, stderr = %q", stderr.String())
	}
	log, err := os.ReadFile(d.logPath)
	if err != nil || strings.Count(string(log), "\n") != 3 || !strings.Contains(string(log), "disk full") {
		t.Errorf("log = %q, %v; want the three messages", log, err)
	}
	for range 20 { // a full channel drops, never blocks
		d.startScreen()
		d.say("x\n")
	}
}

func TestLogRotatesPastItsCap(t *testing.T) {
	d := &diagnostics{stderr: &bytes.Buffer{}, logPath: filepath.Join(t.TempDir(), "rotation.log")}
	if err := os.WriteFile(d.logPath, bytes.Repeat([]byte("x"), maxLog+1), 0o600); err != nil {
		t.Fatal(err)
	}
	d.say("fresh\n")
	if info, err := os.Stat(d.logPath); err != nil || info.Size() > 100 {
		t.Errorf("log after rotation: %v, %v", info.Size(), err)
	}
	if _, err := os.Stat(d.logPath + ".1"); err != nil {
		t.Errorf("no rotated log: %v", err)
	}
}
