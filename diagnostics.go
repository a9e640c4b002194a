package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// maxLog is the size at which the log is rotated to rotation.log.1: the log
// is for the last days' diagnostics, not an archive.
const maxLog = 1 << 20

// diagnostics is where messages for the person go. Before the screen starts
// and after it ends: stderr. While it runs, stderr would scroll the screen
// away or hide behind it, so messages go to the status line instead. All of
// them are also appended to $XDG_STATE_HOME/rotation/rotation.log.
type diagnostics struct {
	mu      sync.Mutex
	stderr  io.Writer
	logPath string
	screen  bool
	notices chan string
	early   []string // said before the screen started, shown once it does
}

var diag = &diagnostics{stderr: os.Stderr, logPath: logPath(os.Getenv)}

// logPath is the log file, "" when there is no home to put it in.
func logPath(getenv func(string) string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "rotation", "rotation.log")
}

// say delivers one message, already sanitized.
func (d *diagnostics) say(msg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.appendLog(msg)
	line := strings.TrimSpace(msg)
	if !d.screen {
		fmt.Fprint(d.stderr, msg)
		if line != "" {
			d.early = append(d.early, firstLine(line))
		}
		return
	}
	select {
	case d.notices <- firstLine(line):
	default: // the screen is behind: the log has it
	}
}

// logOnly appends msg to the log alone, for what the screen already shows
// in its own words.
func (d *diagnostics) logOnly(msg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.appendLog(msg)
}

// startScreen sends messages to the status line from now on; it returns
// their channel and what was said before.
func (d *diagnostics) startScreen() (notices <-chan string, early []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.screen, d.notices = true, make(chan string, 16)
	early, d.early = d.early, nil
	return d.notices, early
}

// endScreen sends messages to stderr again.
func (d *diagnostics) endScreen() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.screen = false
}

// appendLog writes msg with the time to the log, rotating it past maxLog.
// A log that cannot be written is no reason to stop: it is skipped.
func (d *diagnostics) appendLog(msg string) {
	if d.logPath == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(d.logPath), 0o700); err != nil {
		return
	}
	if info, err := os.Stat(d.logPath); err == nil && info.Size() > maxLog {
		_ = os.Rename(d.logPath, d.logPath+".1")
	}
	f, err := os.OpenFile(d.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s\n", time.Now().Format(time.RFC3339), strings.TrimRight(msg, "\n"))
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return strings.TrimPrefix(first, "rotation: ")
}
