package watchlists

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/rotation-dev/rotation/fsbound"
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
// FileError (no line) worded by opts. It opens through fsbound, so a FIFO
// or a device at the path is refused at once rather than waited on or read
// forever.
func ReadFile(path string, opts ReadOptions) ([]byte, *FileError) {
	data, err := fsbound.ReadFile(path, MaxFileSize)
	if err != nil {
		return nil, opts.refused(path, err)
	}
	return data, nil
}

// refused is the FileError for an error of fsbound's.
func (o ReadOptions) refused(path string, err error) *FileError {
	var nr *fsbound.NotRegularError
	var pe *fs.PathError
	switch {
	case errors.As(err, &nr):
		return readError(path, o.notRegular(nr.Mode), err)
	case errors.Is(err, fsbound.ErrTooBig):
		return o.tooBig(path)
	case o.Missing != "" && errors.Is(err, fs.ErrNotExist):
		return readError(path, o.Missing, unwrapPath(err))
	case errors.As(err, &pe):
		return o.failed(path, pe.Op, err)
	}
	return o.failed(path, "read", err)
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
// (/dev/null), "a block device", "a socket". It is fsbound.Kind, for the
// readers of a user's file that word their own refusals.
func FileKind(mode fs.FileMode) string { return fsbound.Kind(mode) }

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
