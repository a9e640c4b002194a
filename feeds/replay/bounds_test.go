package replay

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/fsbound"
)

// lowerCaps sets the file and line caps for one test, so the tests build
// files of a few KiB rather than hundreds of MiB. Tests that call it must
// not run in parallel.
func lowerCaps(t *testing.T, file int64, line int) {
	t.Helper()
	oldFile, oldLine := maxFileSize, maxLineSize
	maxFileSize, maxLineSize = file, line
	t.Cleanup(func() { maxFileSize, maxLineSize = oldFile, oldLine })
}

// openWithin opens path, failing the test rather than hanging it if Open
// reads forever or blocks (a FIFO without a writer).
func openWithin(t *testing.T, path string) (*Feed, error) {
	t.Helper()
	type result struct {
		f   *Feed
		err error
	}
	done := make(chan result, 1)
	go func() {
		f, err := Open(path, Options{})
		done <- result{f, err}
	}()
	select {
	case r := <-done:
		return r.f, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("Open(%s) still reading after 5 s", path)
		return nil, nil
	}
}

// wantRefused checks that err names path and says every one of words.
func wantRefused(t *testing.T, what string, err error, path string, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: opened, want it refused", what)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("%s: error %q does not name %s", what, err, path)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not say %q", what, err, w)
		}
	}
}

func TestOpenRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := openWithin(t, dir)
	wantRefused(t, "directory", err, dir, "a directory, not a recording file", "--record")
}

// padded is a valid record line of exactly n bytes: good with spaces
// inside its JSON object, which the decoder ignores.
func padded(t *testing.T, n int) string {
	t.Helper()
	if n < len(good) {
		t.Fatalf("cannot pad %d bytes into %d", len(good), n)
	}
	return good[:len(good)-1] + strings.Repeat(" ", n-len(good)) + "}"
}

func TestOpenCapsLineLength(t *testing.T) {
	lowerCaps(t, 1<<30, 200)
	if _, err := Open(writeFile(t, good+"\n"+padded(t, 200)+"\n"), Options{}); err != nil {
		t.Errorf("a line of exactly the cap: %v", err)
	}
	cases := []struct{ name, content, want string }{
		{"one byte over", good + "\n" + padded(t, 201) + "\n" + good + "\n", ":2: line 2 is longer than 200 bytes"},
		{"over, as the last line without newline", good + "\n" + good + "\n" + padded(t, 500), ":3: line 3 is longer"},
		{"no newline at all", strings.Repeat("x", 10_000), ":1: line 1 is longer"},
	}
	for _, c := range cases {
		path := writeFile(t, c.content)
		_, err := Open(path, Options{})
		wantRefused(t, c.name, err, path, c.want, "not a recording written by --record")
	}
}

// A line longer than the reader's 64 KiB buffer is pieced together, and
// still refused once it passes the cap.
func TestOpenLinesLongerThanTheBuffer(t *testing.T) {
	long := padded(t, 200<<10)
	f, err := Open(writeFile(t, good+"\n"+long+"\n"+long), Options{})
	if err != nil {
		t.Fatalf("lines of 200 KiB under the 16 MiB cap: %v", err)
	}
	if len(f.Warnings()) != 0 || len(f.quotes["NVDA"]) != 3 {
		t.Errorf("warnings %q, %d NVDA quotes; want none and 3", f.Warnings(), len(f.quotes["NVDA"]))
	}
	lowerCaps(t, 1<<30, 150<<10)
	path := writeFile(t, good+"\n"+long+"\n")
	_, err = Open(path, Options{})
	wantRefused(t, "200 KiB line, 150 KiB cap", err, path, ":2: line 2 is longer than 150 KiB")
}

func TestOpenCapsFileSize(t *testing.T) {
	line := good + "\n"
	lowerCaps(t, int64(10*len(line)), 1<<20)
	if _, err := Open(writeFile(t, strings.Repeat(line, 10)), Options{}); err != nil {
		t.Errorf("a file of exactly the cap: %v", err)
	}
	path := writeFile(t, strings.Repeat(line, 11))
	_, err := Open(path, Options{})
	want := fmt.Sprintf("the file is %s, over the %s a recording may be", fsbound.Bytes(int64(11*len(line))), fsbound.Bytes(int64(10*len(line))))
	wantRefused(t, "one line over", err, path, want, "split")
}

// A file that grows while being read stops at the cap with an error rather
// than being read on and on: read is given a source longer than the cap, as
// Stat saw a smaller file.
func TestReadStopsAtTheCapWhenTheFileGrows(t *testing.T) {
	line := good + "\n"
	lowerCaps(t, int64(3*len(line)), 1<<20)
	f := &Feed{path: "growing.jsonl", quotes: map[string][]timedQuote{}, series: map[feeds.SeriesKey][]timedSeries{}}
	err := f.read(fsbound.Limit(strings.NewReader(strings.Repeat(line, 5)), "growing.jsonl", maxFileSize))
	wantRefused(t, "growing", err, "growing.jsonl:4", fmt.Sprintf("grew past %d bytes while being read", 3*len(line)), "copy it")

	f = &Feed{path: "exact.jsonl", quotes: map[string][]timedQuote{}, series: map[feeds.SeriesKey][]timedSeries{}}
	if err := f.read(fsbound.Limit(strings.NewReader(strings.Repeat(line, 3)), "exact.jsonl", maxFileSize)); err != nil {
		t.Errorf("a source of exactly the cap: %v", err)
	}
}

// The reader keeps the numbering and the truncated-last-line rule of the
// whole-file reader it replaced: blank lines count, only the final piece
// without newline may be cut short.
func TestLineNumbersCountBlankLines(t *testing.T) {
	path := writeFile(t, "\n"+good+"\n\n   \n"+good[:30])
	f, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := f.Warnings(); len(w) != 1 || !strings.Contains(w[0], path+":5: skipped the truncated last line") {
		t.Errorf("warnings %q; want line 5 skipped as truncated", w)
	}
	path = writeFile(t, good+"\r\n\n"+good[:30]+"\r\n")
	_, err = Open(path, Options{})
	wantRefused(t, "a cut line with its newline", err, path+":3: malformed record")
}

func TestOpenRecordingRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	for _, appendMode := range []bool{false, true} {
		_, err := OpenRecording(dir, appendMode)
		wantRefused(t, "directory", err, dir, "record to "+dir+": a directory, not a regular file", "--record-append")
	}
	path := filepath.Join(t.TempDir(), "new.jsonl")
	f, err := OpenRecording(path, true)
	if err != nil {
		t.Fatalf("append to a new file: %v", err)
	}
	f.Close()
	if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
		t.Errorf("append made %v (%v), want a regular file", info, err)
	}
}
