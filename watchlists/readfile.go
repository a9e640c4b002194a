package watchlists

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ReadOptions words ReadFile's errors for one kind of file, so that each
// caller (watchlists, holdings, alerts) keeps the messages its users know.
// A zero field takes the default wording given with it.
type ReadOptions struct {
	// Missing is the whole message when nothing is at the path, for a
	// caller to whom that is a mistake to explain. Empty: a missing file is
	// a failed stat like any other. Either way errors.Is(fe, fs.ErrNotExist)
	// holds, for a caller to whom a missing file is a state.
	Missing string

	// Failed words a "stat", "open" or "read" (op) that failed with err,
	// its *PathError already dropped since the FileError names the path.
	// Nil: "cannot <op>: <err>".
	Failed func(op string, err error) string

	// NotRegular words the refusal of a directory, FIFO, device or socket.
	// Nil: "is a named pipe, not a YAML file; move it aside".
	NotRegular func(mode fs.FileMode) string

	// TooBig is the message for a file of more than MaxFileSize bytes.
	// Empty: "file is larger than 1048576 bytes; check it is the right file".
	TooBig string
}

// ReadFile returns the bytes of the file at path, refusing anything but a
// regular file of at most MaxFileSize bytes. Every error is a whole-file
// FileError (no line) worded by opts.
//
// It stats before it opens, and opens without blocking, because opening a
// FIFO waits for a writer and would hang the caller; a device never ends.
func ReadFile(path string, opts ReadOptions) ([]byte, *FileError) {
	info, err := os.Stat(path)
	if err != nil {
		if opts.Missing != "" && errors.Is(err, fs.ErrNotExist) {
			return nil, readError(path, opts.Missing, unwrapPath(err))
		}
		return nil, opts.failed(path, "stat", err)
	}
	if !info.Mode().IsRegular() {
		return nil, readError(path, opts.notRegular(info.Mode()), nil)
	}
	if info.Size() > MaxFileSize {
		return nil, opts.tooBig(path)
	}
	// O_NONBLOCK: were a FIFO swapped in after the Stat, a plain open would
	// wait for a writer forever; this one returns, and is refused below.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, opts.failed(path, "open", err)
	}
	defer f.Close()
	// The name may point elsewhere since the Stat. A newer save is fine to
	// read, so no os.SameFile check (the watcher would report an atomic save
	// landing here as an error); anything but a regular file is not.
	if again, err := f.Stat(); err != nil || !again.Mode().IsRegular() {
		return nil, readError(path, "changed while being opened; try again", err)
	}
	return opts.readAll(path, f)
}

// readAll reads r to its end, but no further than one byte past
// MaxFileSize: the file may have grown since its size was checked.
func (o ReadOptions) readAll(path string, r io.Reader) ([]byte, *FileError) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, o.failed(path, "read", err)
	}
	if len(data) > MaxFileSize {
		return nil, o.tooBig(path)
	}
	return data, nil
}

func (o ReadOptions) failed(path, op string, err error) *FileError {
	err = unwrapPath(err)
	if o.Failed != nil {
		return readError(path, o.Failed(op, err), err)
	}
	return readError(path, fmt.Sprintf("cannot %s: %v", op, err), err)
}

func (o ReadOptions) notRegular(mode fs.FileMode) string {
	if o.NotRegular != nil {
		return o.NotRegular(mode)
	}
	return fmt.Sprintf("is %s, not a YAML file; move it aside", FileKind(mode))
}

// FileKind names what a file that is not a regular one is, in words a user
// recognises: "a directory", "a named pipe (FIFO)", "a character device"
// (/dev/null), "a block device", "a socket". Every reader of a user's file
// (watchlists, holdings, alerts, recordings) says it in these words.
func FileKind(mode fs.FileMode) string {
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
	}
	return "a special file (" + mode.Type().String() + ")"
}

func (o ReadOptions) tooBig(path string) *FileError {
	if o.TooBig != "" {
		return readError(path, o.TooBig, nil)
	}
	return readError(path, fmt.Sprintf("file is larger than %d bytes; check it is the right file", MaxFileSize), nil)
}

// readError is a whole-file FileError; cause is what errors.Is looks at.
func readError(path, msg string, cause error) *FileError {
	return &FileError{Path: path, Msg: msg, cause: cause}
}

// unwrapPath drops the *PathError wrapper, whose path the FileError already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
