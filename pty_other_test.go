//go:build !linux

package main

import (
	"errors"
	"os"
	"os/exec"
)

// startInPTY opens pseudo-terminals through Linux's /dev/ptmx ioctls only;
// elsewhere the start-up and memory benchmarks skip.
func startInPTY(*exec.Cmd, int, int) (*os.File, error) {
	return nil, errors.ErrUnsupported
}
