package fsbound

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func write(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadFileReadsUpToTheLimit(t *testing.T) {
	for _, content := range []string{"", "a", "positions:\n  - {symbol: A}\n", strings.Repeat("x", 100)} {
		got, err := ReadFile(write(t, content), 100)
		if err != nil || string(got) != content {
			t.Errorf("ReadFile of %d bytes = %q, %v", len(content), got, err)
		}
	}
	path := write(t, strings.Repeat("x", 101))
	_, err := ReadFile(path, 100)
	var tb *TooBigError
	if !errors.As(err, &tb) || !errors.Is(err, ErrTooBig) || tb.Size != 101 || tb.Limit != 100 ||
		err.Error() != path+" is 101 bytes, larger than 100 bytes" {
		t.Errorf("one byte over: %v", err)
	}
}

// TestOpenRefusesASparseHugeFileUnread: the size alone refuses it.
func TestOpenRefusesASparseHugeFileUnread(t *testing.T) {
	path := write(t, "")
	if err := os.Truncate(path, 600<<20); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadFile(path, 64<<20)
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() != path+" is 600 MiB, larger than 64 MiB" {
		t.Errorf("err = %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<10 {
		t.Errorf("refusing allocated %d bytes", alloc)
	}
}

func TestOpenRefusesADirectoryAndSaysWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFile(dir, 100)
	var nr *NotRegularError
	if !errors.As(err, &nr) || !errors.Is(err, ErrNotRegular) || err.Error() != dir+" is a directory, not a regular file" {
		t.Errorf("directory: %v", err)
	}
	_, err = ReadFile(filepath.Join(dir, "none.yaml"), 100)
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Op != "stat" {
		t.Errorf("missing: %v", err)
	}
}

// TestLimitStopsAFileThatGrows: a source longer than the limit fails at the
// limit rather than being read on; one of exactly the limit reads to EOF.
func TestLimitStopsAFileThatGrows(t *testing.T) {
	_, err := io.ReadAll(Limit(strings.NewReader(strings.Repeat("x", 11)), "grows.jsonl", 10))
	if !errors.Is(err, ErrTooBig) || err.Error() != "grows.jsonl grew past 10 bytes while being read" {
		t.Errorf("11 bytes, limit 10: %v", err)
	}
	if got, err := io.ReadAll(Limit(strings.NewReader(strings.Repeat("x", 10)), "exact", 10)); err != nil || len(got) != 10 {
		t.Errorf("10 bytes, limit 10: %d, %v", len(got), err)
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1536: "1.5 KiB", 16 << 20: "16 MiB",
		600<<20 + 1<<19: "600.5 MiB", 1 << 30: "1 GiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
