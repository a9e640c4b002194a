// Package watchlists turns the user's YAML watchlist files into segments of the
// AI value chain. It knows nothing about prices or the terminal.
package watchlists

import "sort"

// Era tags a segment with the phase of AI spending it belongs to.
type Era string

const (
	Training  Era = "training"
	Inference Era = "inference"
	Benchmark Era = "benchmark"
)

// Valid reports whether e is one of the three eras a file may declare.
func (e Era) Valid() bool {
	return e == Training || e == Inference || e == Benchmark
}

// Symbol is one listing in a segment.
type Symbol struct {
	Symbol string  // Yahoo form, upper-case: NVDA, 000660.KS, ^GSPC, KRW=X
	Name   string  // optional display name; empty means "use the feed's name"
	Weight float64 // > 0; 1 when the file does not say
	Note   string  // optional one-liner
}

// Segment is one watchlist file: one tab in the UI, one basket in the math.
type Segment struct {
	File        string // base name, e.g. "10-gpus.yaml"; identifies the segment
	Name        string
	Era         Era
	Description string
	Symbols     []Symbol
}

// Set is every segment loaded from one place, ordered by file name.
type Set struct {
	Source   string // directory path, or EmbeddedSource
	Segments []Segment
}

// EmbeddedSource is Set.Source for the defaults compiled into the binary.
const EmbeddedSource = "embedded defaults"

// Embedded reports whether the set came from the binary rather than a directory.
func (s Set) Embedded() bool { return s.Source == EmbeddedSource }

// Symbols returns every distinct symbol of the set, sorted, so a symbol that
// sits in several segments is fetched once.
func (s Set) Symbols() []string {
	seen := make(map[string]bool)
	var out []string
	for _, seg := range s.Segments {
		for _, sym := range seg.Symbols {
			if !seen[sym.Symbol] {
				seen[sym.Symbol] = true
				out = append(out, sym.Symbol)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Segment returns the segment loaded from file, if any.
func (s Set) Segment(file string) (Segment, bool) {
	for _, seg := range s.Segments {
		if seg.File == file {
			return seg, true
		}
	}
	return Segment{}, false
}
