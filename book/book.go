// Package book reads the user's holdings file and values it against the
// latest quotes: what each lot is worth, its profit and loss, the day's
// change, all in US dollars, and how the book splits across the eras and
// segments of the watchlists. Parsing does no I/O and valuing has no clock,
// so both are exact in tests; Load is the only function that touches disk.
//
// The file is YAML, one list of lots:
//
//	positions:
//	  - symbol: AAPL
//	    quantity: 10        # negative for a short
//	    cost: 150           # per unit, in the listing's currency (pence for GBp)
//	    fees: 5             # optional, total for this lot, same currency
//	    date: 2024-06-01    # optional
package book

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

// MaxFileSize is the largest holdings file read: a book is a few hundred
// lines at most, so anything bigger is the wrong file.
const MaxFileSize = watchlists.MaxFileSize

// Lot is one purchase (or short sale) of a symbol. The same symbol may have
// several lots, bought at different times and prices.
type Lot struct {
	Symbol   string    // Yahoo form, upper-case
	Quantity float64   // units held; negative for a short, never 0
	Cost     float64   // per unit, in the listing's currency (pence for GBp); >= 0
	Fees     float64   // total for the lot, same currency; >= 0
	Date     time.Time // UTC midnight of the trade date; zero when the file gives none
	Line     int       // 1-based line of the entry in the file
}

// Holdings is one parsed holdings file.
type Holdings struct {
	Path string
	Lots []Lot // in file order
}

// Symbols returns the distinct symbols held, sorted, so each is fetched once.
func (h Holdings) Symbols() []string {
	out := make([]string, 0, len(h.Lots))
	for _, l := range h.Lots {
		out = append(out, l.Symbol)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Unlisted returns the symbols held that sit in no segment of set, sorted.
// They are still priced (the caller fetches them with the rest) and count
// as "unclassified"; this list is for a warning that names them.
func Unlisted(h Holdings, set watchlists.Set) []string {
	listed := make(map[string]bool)
	for _, s := range set.Symbols() {
		listed[s] = true
	}
	var out []string
	for _, s := range h.Symbols() {
		if !listed[s] {
			out = append(out, s)
		}
	}
	return out
}

// DefaultPath is where the holdings file lives when nothing says otherwise:
// $XDG_CONFIG_HOME/rotation/holdings.yaml, or $HOME/.config/rotation/
// holdings.yaml. A relative XDG_CONFIG_HOME is ignored, as the XDG spec
// asks. It is "" when neither variable helps; the caller then needs a flag.
func DefaultPath(getenv func(string) string) string {
	return watchlists.ConfigFile(getenv, "holdings.yaml")
}

// createHint is how to start a holdings file, for the "missing" error.
const createHint = "create it with your lots, e.g. the two lines `positions:` and " +
	"`  - {symbol: AAPL, quantity: 10, cost: 150}`"

// Load reads and parses the holdings file at path. It reads at most
// MaxFileSize bytes and refuses anything but a regular file: opening a
// FIFO would block until some writer appears, and a device never ends.
func Load(path string) (Holdings, *watchlists.FileError) {
	data, fe := Read(path)
	if fe != nil {
		return Holdings{}, fe
	}
	return Parse(path, data)
}

// Read reads the holdings file at path, refusing what is not a small
// regular file; a missing file is an error that says how to create one.
func Read(path string) ([]byte, *watchlists.FileError) {
	return watchlists.ReadFile(path, watchlists.ReadOptions{
		Missing: "no holdings file here; " + createHint,
		Failed: func(op string, err error) string {
			if op == "stat" {
				op = "read" // to the user, the Stat is part of reading
			}
			return fmt.Sprintf("cannot %s the holdings file: %v", op, err)
		},
		NotRegular: func(mode fs.FileMode) string {
			if mode.IsDir() {
				return "is a directory; the holdings file is a YAML file such as " + filepath.Join(path, "holdings.yaml")
			}
			return "is " + watchlists.FileKind(mode) + ", not a regular file; holdings are read from an ordinary YAML file"
		},
		TooBig: tooBigMsg,
	})
}

// tooBigMsg refuses a file over MaxFileSize, in Load and in Parse.
var tooBigMsg = fmt.Sprintf(
	"file is larger than %d bytes; a holdings file is a short list of lots, so check it is the right file", MaxFileSize)

func tooBig(path string) *watchlists.FileError {
	return &watchlists.FileError{Path: path, Msg: tooBigMsg}
}
