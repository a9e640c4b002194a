//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// alive reports whether the process in pidFile still runs.
func alive(t *testing.T, pidFile string) bool {
	t.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the command never wrote its child's pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	// Ended but not yet reaped: a child orphaned when its shell was ended
	// is reparented to the system's first process, which may reap it late
	// (a container's often does). A zombie runs nothing.
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: the signal's answer stands
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) == 0 || fields[0] != "Z"
}

// waitGone waits up to two seconds for the process in pidFile to end.
func waitGone(t *testing.T, pidFile string) bool {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if !alive(t, pidFile) {
			return true
		}
	}
	return false
}

// A --notify-cmd still running after its time is ended with everything it
// started, and the error says so and is logged.
func TestNotifyCmdThatHangsIsEnded(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	var logged []string
	n := newNotifyRunner("sleep 60 & echo $! > "+pidFile+"; wait", func(s string) { logged = append(logged, s) })
	n.timeout = 300 * time.Millisecond
	start := time.Now()
	err := n.notify("rotation alert", "NVDA above 200")
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("notify returned after %v; its timeout is %v", took, n.timeout)
	}
	if err == nil || !strings.Contains(err.Error(), "still ran after 300ms; it was ended") {
		t.Errorf("err = %v, want it to say the command was ended", err)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "still ran after") {
		t.Errorf("logged %q, want the ending recorded", logged)
	}
	if !waitGone(t, pidFile) {
		t.Error("the command's own child still runs")
	}
}

// When the monitor exits, a --notify-cmd still running is ended with its
// children, and no new one starts.
func TestNotifyCmdEndsWithTheMonitor(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	n := newNotifyRunner("sleep 60 & echo $! > "+pidFile+"; wait", func(string) {})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = n.notify("rotation alert", "x") }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(pidFile); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the command did not start")
		}
	}
	n.stop()
	wg.Wait()
	if !waitGone(t, pidFile) {
		t.Error("the command's child outlived the monitor")
	}
	marker := filepath.Join(t.TempDir(), "ran")
	n.command = "touch " + marker
	if err := n.notify("rotation alert", "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a command started after the monitor stopped")
	}
}

// The alert reaches the command in ROTATION_ALERT, and a failing command's
// error carries what it printed.
func TestNotifyCmdGetsTheAlert(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	n := newNotifyRunner(`printf '%s|%s' "$ROTATION_ALERT_TITLE" "$ROTATION_ALERT" > `+out, func(string) {})
	if err := n.notify("rotation alert", "NVDA above 200"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); string(got) != "rotation alert|NVDA above 200" {
		t.Errorf("the command got %q", got)
	}
	n.command = "echo no display >&2; exit 3"
	if err := n.notify("t", "b"); err == nil || !strings.Contains(err.Error(), "no display") {
		t.Errorf("err = %v, want the command's own words", err)
	}
}
