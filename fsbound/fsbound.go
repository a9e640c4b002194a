// Package fsbound opens the files a user points the program at: a
// watchlist, the holdings, alerts and settings files, a recording, the
// snapshot. Whatever is at the path, opening returns at once and reading
// ends: a FIFO would block the open until some writer came, a device such
// as /dev/zero never ends, a directory or socket is no file to read, and a
// regular file may be far larger than anything the caller could mean.
//
// So Open refuses anything but a regular file, before opening it when the
// name already says so (opening a device can have effects of its own) and
// again on the opened file, since the name may point elsewhere by then. It
// opens without blocking, and the File it returns fails rather than read
// past the caller's limit, should the file grow while being read.
//
// It imports nothing of this module: every package that reads a file may
// use it.
package fsbound

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

var (
	// ErrNotRegular is what errors.Is finds in a *NotRegularError.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooBig is what errors.Is finds in a *TooBigError.
	ErrTooBig = errors.New("over the size limit")
)

// NotRegularError refuses a path that names something other than a
// regular file. Mode is what it is; Kind(Mode) says it in words.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, Kind(e.Mode))
}

func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// TooBigError refuses a file larger than Limit bytes. Size is its size, or
// -1 when it grew past Limit while being read.
type TooBigError struct {
	Path        string
	Size, Limit int64
}

func (e *TooBigError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s grew past %s while being read", e.Path, Bytes(e.Limit))
	}
	return fmt.Sprintf("%s is %s, larger than %s", e.Path, Bytes(e.Size), Bytes(e.Limit))
}

func (e *TooBigError) Is(target error) bool { return target == ErrTooBig }

// File is a regular file open for reading, of at most its limit.
type File struct {
	f    *os.File
	r    io.Reader
	info fs.FileInfo
}

// Open opens the regular file at path, of at most limit bytes, for reading.
// Its errors are the system's *fs.PathError (Op "stat", "open" or "read";
// errors.Is(err, fs.ErrNotExist) tells a missing file), *NotRegularError
// and *TooBigError.
func Open(path string, limit int64) (*File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	// The name may point elsewhere since the Stat: check what was opened.
	// A newer regular file is fine to read, so no os.SameFile.
	if info, err = f.Stat(); err == nil {
		err = check(path, info, limit)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &File{f: f, r: Limit(f, path, limit), info: info}, nil
}

func check(path string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return &NotRegularError{Path: path, Mode: info.Mode()}
	}
	if info.Size() > limit {
		return &TooBigError{Path: path, Size: info.Size(), Limit: limit}
	}
	return nil
}

// Read reads from the file; past the limit it fails with a *TooBigError.
func (f *File) Read(p []byte) (int, error) { return f.r.Read(p) }

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadFile returns the contents of the regular file at path, of at most
// limit bytes, with Open's errors.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Room for the size as opened and one byte more, so that a file that
	// has not grown is read without copying.
	data := make([]byte, 0, min(f.info.Size(), limit)+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		switch {
		case errors.Is(err, io.EOF):
			return data, nil
		case err != nil:
			return nil, err
		case len(data) == cap(data):
			data = append(data, 0)[:len(data)] // grew since the Stat: let append find room
		}
	}
}

// Limit reads r, failing with a *TooBigError (naming path) rather than
// reading past n bytes; a source of exactly n bytes reads to its end.
func Limit(r io.Reader, path string, n int64) io.Reader {
	return &limited{r: r, path: path, limit: n, left: n}
}

type limited struct {
	r           io.Reader
	path        string
	limit, left int64
}

func (l *limited) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if l.left <= 0 {
		var one [1]byte // r may end exactly at the limit: one more byte tells
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &TooBigError{Path: l.path, Size: -1, Limit: l.limit}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// Kind names what a file that is not a regular one is, in words a user
// recognises: "a directory", "a named pipe (FIFO)", "a character device"
// (/dev/null), "a block device", "a socket".
func Kind(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode.IsRegular():
		return "a regular file"
	}
	return "a special file (" + mode.Type().String() + ")"
}

// Bytes is n bytes for a person: "1023 bytes", "1.5 KiB", "64 MiB".
func Bytes(n int64) string {
	for _, u := range []struct {
		unit  string
		bytes int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		switch {
		case n >= u.bytes && n%u.bytes == 0:
			return fmt.Sprintf("%d %s", n/u.bytes, u.unit)
		case n >= u.bytes:
			return fmt.Sprintf("%.1f %s", float64(n)/float64(u.bytes), u.unit)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
