//go:build !unix

package main

import "os"

// suspendSignals: no job control here, so nothing suspends the monitor.
var suspendSignals []os.Signal

func stopProcessGroup() {}
