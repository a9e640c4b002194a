//go:build !unix

package fsbound

// openFlags are none where there are no FIFOs to block on: the Stat before
// the open and the one after it refuse what is not a regular file.
const openFlags = 0
