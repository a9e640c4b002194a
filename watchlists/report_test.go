package watchlists_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/watchlists"
)

// Terminal sequences in a file: OSC 52 sets the clipboard, CSI 2J clears
// the screen. A line holding them is what an error report quotes.
const (
	osc52 = "\x1b]52;c;ZXZpbA==\x07"
	clear = "\x1b[2J"
)

// escapeFiles hold the sequences where each kind of file reports them: in
// a bad line (quoted in the snippet), in a key or value the message names,
// in a name a check row shows.
var escapeFiles = []string{
	"name: GPUs\nera: training\nsymbols:\n  - NVDA\n  - bad " + osc52 + clear + "\n",
	"name: GPUs\nera: training\nsymbols:\n  - symbol: NVDA\n    wieght: 1 # " + osc52 + "\n",
	"name: \"GPUs\\e]52;c;ZXZpbA==\\a\\e[2J\"\nera: training\nsymbols: [NVDA]\n",
	"name: GPUs\nera: training\n" + clear + osc52 + ": x\nsymbols: [NVDA]\n",
	"name: GPUs\nera: \"x\\e[2J\"\nsymbols: [NVDA]\n",
	"positions:\n  - {symbol: NVDA, quantity: 0, cost: 1} " + osc52 + "\n",
	"positions:\n  - symbol: NVDA" + clear + "\n    quantity: 1\n    cost: 1\n",
	"- when: price\n  symbol: NVDA\n  above: x" + osc52 + clear + "\n",
	"- {when: \"pr\\e]52;c;eA==\\aice\", symbol: NVDA, above: 1}\n",
}

// inert fails t unless out holds no ESC, no other C0 control but the line
// breaks of the report, no DEL and no C1 control.
func inert(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Fatalf("%s: U+%04X at byte %d survived:\n%q", what, r, i, out)
		}
	}
	if !utf8.ValidString(out) {
		t.Fatalf("%s: not valid UTF-8:\n%q", what, out)
	}
}

// printed is every form the file errors of data reach a terminal in:
// rotation check's watchlist part (WriteCheck), and each error's Report and
// Error as the holdings and alerts part, print and the monitor show them.
func printed(data []byte) map[string]string {
	out := map[string]string{}
	const path = "w/10-fuzz.yaml"
	seg, errs := watchlists.ParseAll(path, data)
	set := watchlists.Set{Source: "w"}
	if len(errs) == 0 {
		set.Segments = []watchlists.Segment{seg}
	}
	var buf bytes.Buffer
	watchlists.WriteCheck(&buf, set, errs)
	out["check"] = buf.String()
	_, bookErrs := book.ParseAll("holdings.yaml", data)
	_, alertErrs := alerts.ParseAll("alerts.yaml", data)
	for kind, errs := range map[string][]*watchlists.FileError{"holdings": bookErrs, "alerts": alertErrs} {
		for _, e := range errs {
			out[kind+" report"] += "\n" + e.Report() + "\n"
			out[kind+" error"] += e.Error() + "\n"
		}
	}
	return out
}

// TestFileErrorsPrintInert: a terminal sequence in a watchlist, holdings or
// alerts file reaches no output as one.
func TestFileErrorsPrintInert(t *testing.T) {
	for _, src := range escapeFiles {
		for what, out := range printed([]byte(src)) {
			inert(t, what+" of "+strings.Split(src, "\n")[0], out)
		}
	}
}

// TestWriteCheckShowsFileNamesInert: a file name is text from the disk too.
func TestWriteCheckShowsFileNamesInert(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"10-" + clear + ".yaml", "20-" + osc52 + "x.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("name: A\nera: training\nsymbols: ["+name[:2]+"]\n"), 0o644); err != nil {
			t.Skipf("cannot name a file so here: %v", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "30-"+clear+".yaml"), []byte("name: B\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, errs := watchlists.LoadDir(dir)
	var buf bytes.Buffer
	watchlists.WriteCheck(&buf, set, errs)
	inert(t, "check", buf.String())
	if !strings.Contains(buf.String(), "10-.yaml") || !strings.Contains(buf.String(), "30-.yaml:1:1: era is required") {
		t.Errorf("names and errors should stay, without the sequences:\n%s", buf.String())
	}
}

// FuzzFileErrorReport feeds any bytes, as a watchlist, a holdings file and
// an alerts file, through parsing to the printed errors, and requires them
// inert: no byte of the file acts on the terminal.
func FuzzFileErrorReport(f *testing.F) {
	for _, src := range escapeFiles {
		f.Add([]byte(src))
	}
	f.Add([]byte("name: \"\\u009b2J\"\nera: training\nsymbols: [\"\\x9d0;t\\x9c\"]\n"))
	f.Add([]byte("positions:\n\t- " + osc52 + "\n"))
	f.Add([]byte("- \xff\x9b2J\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for what, out := range printed(data) {
			inert(t, what, out)
		}
	})
}
