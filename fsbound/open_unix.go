//go:build unix

package fsbound

import "syscall"

// openFlags open without blocking: a FIFO put at the path after the Stat
// opens at once (and is refused), where a plain open would wait for a
// writer. A terminal device does not become the controlling terminal.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
