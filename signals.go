package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// stopSignals are the signals that end the monitor cleanly: the terminal is
// restored and the snapshot and recording are flushed. SIGHUP comes when the
// terminal itself goes away, SIGQUIT from ^\ or a supervisor.
var stopSignals = []os.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT}

// quitOnSignal asks p to quit on any stop signal, and to suspend on
// SIGTSTP, and returns a function that stops listening and tells which
// signal, if any, ended the run.
func quitOnSignal(p *tea.Program) (stop func() os.Signal) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	tstp := make(chan os.Signal, 1)
	if len(suspendSignals) > 0 {
		signal.Notify(tstp, suspendSignals...)
	}
	var (
		mu  sync.Mutex
		got os.Signal
	)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-ch:
				mu.Lock()
				got = s
				mu.Unlock()
				p.Quit()
				return
			case <-tstp:
				suspendOn(p)
			case <-done:
				return
			}
		}
	}()
	return func() os.Signal {
		signal.Stop(ch)
		signal.Stop(tstp)
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

// Suspending is as ctrl+z is in other terminal programs: the terminal is
// given back as it was, the process stops, and fg resumes it on a
// repainted screen. Bubble Tea does this on tea.SuspendMsg (what ctrl+z
// returns): it restores the terminal, sends SIGTSTP to its process group
// and waits for SIGCONT. A SIGTSTP from outside (kill -TSTP) has to be
// caught, to restore the terminal before stopping; but once Go has caught
// SIGTSTP it never stops the process again, so Bubble Tea's own comes here
// too. Each SIGTSTP is therefore either
//   - Bubble Tea's, when a suspend has passed suspendFilter: the terminal
//     is restored, and SIGSTOP stops the group as SIGTSTP would have; or
//   - from outside: Bubble Tea is asked to suspend.
var suspending atomic.Int32 // suspends begun whose SIGTSTP has not come yet

// suspendFilter counts each suspend on its way to Bubble Tea; it is the
// program's tea.WithFilter.
func suspendFilter(_ tea.Model, msg tea.Msg) tea.Msg {
	if _, ok := msg.(tea.SuspendMsg); ok {
		suspending.Add(1)
	}
	return msg
}

func suspendOn(p *tea.Program) {
	if suspending.Load() > 0 {
		suspending.Add(-1)
		stopProcessGroup() // returns once continued
		return
	}
	// Not waited for: the program takes it only between other messages,
	// and the SIGTSTP it then sends must find this goroutine listening.
	go p.Send(tea.SuspendMsg{})
}

// signalExit is the error for a run ended by s: exit status 128+n, as
// shells report a death by signal, with a word on what was kept.
func signalExit(s os.Signal) error {
	code := 1
	if n, ok := s.(syscall.Signal); ok {
		code = 128 + int(n)
	}
	return exitError{code, fmt.Errorf("stopped by %v; the snapshot and any recording were saved", s)}
}
