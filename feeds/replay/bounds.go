package replay

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/rotation-dev/rotation/fsbound"
)

// Bounds on what Open reads. A recording is a file a recorder wrote a line
// at a time, so anything else is refused before it is read: /dev/zero or a
// pipe would otherwise be read forever, into memory. They are variables so
// tests can lower them instead of writing hundreds of megabytes.
var (
	// maxFileSize is far above a day's recording of a large watchlist
	// (a few MiB an hour), yet small enough to load without swapping.
	maxFileSize int64 = 512 << 20
	// maxLineSize is far above the largest record (a RangeDaily series of
	// 500 bars is about 30 KiB); a longer line is not a record.
	maxLineSize = 16 << 20
)

// errLineTooLong is what a lineReader returns for a line over maxLineSize.
var errLineTooLong = errors.New("line over the length cap")

// openBounded opens path for reading through fsbound: anything but a
// regular file of at most maxFileSize bytes is refused, at once, and the
// file fails with fsbound.ErrTooBig rather than be read past the cap, should
// it grow while being read.
func openBounded(path string) (*fsbound.File, error) {
	file, err := fsbound.Open(path, maxFileSize)
	var nr *fsbound.NotRegularError
	var tb *fsbound.TooBigError
	switch {
	case errors.As(err, &nr):
		return nil, fmt.Errorf("replay %s: %s, not a recording file; give a file written by --record", path, fsbound.Kind(nr.Mode))
	case errors.As(err, &tb):
		return nil, fmt.Errorf("replay %s: the file is %s, over the %s a recording may be; replay a shorter recording, or split this one by lines (split -l)",
			path, fsbound.Bytes(tb.Size), fsbound.Bytes(maxFileSize))
	case err != nil:
		return nil, fmt.Errorf("replay: %w", err)
	}
	return file, nil
}

// lineReader yields the lines of a recording one at a time, so memory
// stays proportional to the longest line, not the file.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte // a line longer than br's buffer, pieced together
	line int    // number of the line last returned, from 1
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its newline; last reports that the
// input ended without one, so this is the final piece (maybe empty). The
// line is valid until the next call. A line over maxLineSize is an error,
// found once that many bytes are in hand rather than at its end.
func (lr *lineReader) next() (line []byte, last bool, err error) {
	lr.line++
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		n := len(lr.buf) + len(chunk)
		if err == nil {
			n-- // the newline
		}
		if n > maxLineSize {
			return nil, false, errLineTooLong
		}
		switch {
		case err == nil && len(lr.buf) == 0:
			return chunk[:len(chunk)-1], false, nil // the common case: no copy
		case err == nil:
			lr.buf = append(lr.buf, chunk[:len(chunk)-1]...)
			return lr.buf, false, nil
		case errors.Is(err, bufio.ErrBufferFull):
			lr.buf = append(lr.buf, chunk...)
		case errors.Is(err, io.EOF):
			return append(lr.buf, chunk...), true, nil
		default:
			return nil, false, err
		}
	}
}
