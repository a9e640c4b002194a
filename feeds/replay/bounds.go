package replay

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/rotation-dev/rotation/watchlists"
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

var (
	// errTooLarge is what a capped reader returns once its source goes
	// past the cap: the file grew while being read.
	errTooLarge = errors.New("over the size cap")
	// errLineTooLong is what a lineReader returns for a line over maxLineSize.
	errLineTooLong = errors.New("line over the length cap")
)

// openBounded opens path for reading, refusing anything but a regular file
// no larger than maxFileSize. It stats before opening, since opening a FIFO
// blocks until some writer comes; the opened file is checked again, in case
// the path was replaced in between.
func openBounded(path string) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if err := checkRecordingFile(path, info); err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if info, err = file.Stat(); err == nil {
		err = checkRecordingFile(path, info)
	}
	if err != nil {
		file.Close()
		return nil, err
	}
	return file, nil
}

func checkRecordingFile(path string, info fs.FileInfo) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("replay %s: %s, not a recording file; give a file written by --record", path, watchlists.FileKind(info.Mode()))
	}
	if info.Size() > maxFileSize {
		return fmt.Errorf("replay %s: the file is %s, over the %s a recording may be; replay a shorter recording, or split this one by lines (split -l)",
			path, size(info.Size()), size(maxFileSize))
	}
	return nil
}

// size is n bytes for a person, in KiB or MiB from 1 KiB on.
func size(n int64) string {
	for _, u := range []struct {
		unit  string
		bytes int64
	}{{"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		switch {
		case n >= u.bytes && n%u.bytes == 0:
			return fmt.Sprintf("%d %s", n/u.bytes, u.unit)
		case n >= u.bytes:
			return fmt.Sprintf("%.1f %s", float64(n)/float64(u.bytes), u.unit)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// capped reads r up to n bytes and fails with errTooLarge, rather than
// ending, when r holds more: a file that grows while being read cannot
// make Open read forever.
type capped struct {
	r io.Reader
	n int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.n <= 0 {
		var one [1]byte // r may end exactly at the cap: one more byte tells
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
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
