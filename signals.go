package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// stopSignals are the signals that end the monitor cleanly: the terminal is
// restored and the snapshot and recording are flushed. SIGHUP comes when the
// terminal itself goes away, SIGQUIT from ^\ or a supervisor.
var stopSignals = []os.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT}

// quitOnSignal asks p to quit on any stop signal and returns a function
// that stops listening and tells which signal, if any, ended the run.
func quitOnSignal(p *tea.Program) (stop func() os.Signal) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	var (
		mu  sync.Mutex
		got os.Signal
	)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			mu.Lock()
			got = s
			mu.Unlock()
			p.Quit()
		case <-done:
		}
	}()
	return func() os.Signal {
		signal.Stop(ch)
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return got
	}
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
