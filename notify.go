package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/rotation-dev/rotation/sanitize"
)

// notifyTimeout is how long a --notify-cmd may run: a notification takes
// a moment, and one that hangs must not pile up behind the next alerts.
const notifyTimeout = 10 * time.Second

// notifyRunner runs --notify-cmd for each fired alert, through the shell so
// the command may be a pipeline. Each run gets a process group of its own,
// so that a command still running after its time, or when the monitor
// exits, is ended with every process it started.
type notifyRunner struct {
	command string
	timeout time.Duration
	log     func(string) // where a killed command is recorded

	mu      sync.Mutex
	running map[*exec.Cmd]struct{}
	stopped bool
}

func newNotifyRunner(command string, log func(string)) *notifyRunner {
	return &notifyRunner{command: command, timeout: notifyTimeout, log: log, running: map[*exec.Cmd]struct{}{}}
}

// notify runs the command with the alert in ROTATION_ALERT and its title in
// ROTATION_ALERT_TITLE, and waits for it, at most n.timeout.
func (n *notifyRunner) notify(title, body string) error {
	ctx, cancel := context.WithTimeout(context.Background(), n.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", n.command)
	cmd.Env = append(os.Environ(), "ROTATION_ALERT="+body, "ROTATION_ALERT_TITLE="+title)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	ownGroup(cmd)
	// A background child may hold the output open after the shell exits.
	cmd.WaitDelay = time.Second
	if started, err := n.start(cmd); !started {
		if err != nil {
			return fmt.Errorf("--notify-cmd %q could not start: %v", n.command, err)
		}
		return nil // the monitor is exiting
	}
	err := cmd.Wait()
	n.done(cmd)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		msg := fmt.Sprintf("--notify-cmd %q still ran after %s; it was ended", n.command, n.timeout)
		n.log(sanitize.Text(msg))
		return errors.New(msg)
	case err != nil:
		return fmt.Errorf("--notify-cmd %q failed: %v: %s", n.command, err, strings.TrimSpace(firstBytes(out.String(), 200)))
	}
	return nil
}

// start starts cmd unless the runner has stopped, and tracks it.
func (n *notifyRunner) start(cmd *exec.Cmd) (bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stopped {
		return false, nil
	}
	if err := cmd.Start(); err != nil {
		return false, err
	}
	n.running[cmd] = struct{}{}
	return true, nil
}

func (n *notifyRunner) done(cmd *exec.Cmd) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.running, cmd)
}

// stop ends every command still running, with its whole process group,
// and refuses new ones: the monitor is exiting.
func (n *notifyRunner) stop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stopped = true
	for cmd := range n.running {
		_ = cmd.Cancel()
	}
}

// firstBytes is s cut to at most max bytes, for an error message.
func firstBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
