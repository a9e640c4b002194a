//go:build !unix

package feeds

// lockFile is a no-op where flock(2) does not exist: two instances sharing
// a cache directory there may still drop each other's symbols.
func lockFile(string) (func(), error) { return func() {}, nil }
