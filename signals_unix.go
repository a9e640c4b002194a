//go:build unix

package main

import (
	"os"
	"syscall"
)

// suspendSignals suspend the monitor (quitOnSignal).
var suspendSignals = []os.Signal{syscall.SIGTSTP}

// stopProcessGroup stops this process and its group, as SIGTSTP's own
// action would have, until SIGCONT.
func stopProcessGroup() { _ = syscall.Kill(0, syscall.SIGSTOP) }
