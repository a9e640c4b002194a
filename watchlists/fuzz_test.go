package watchlists

import (
	"io/fs"
	"strings"
	"testing"
)

// FuzzParse checks that no input panics the parser and that every outcome
// is either a fully valid segment or errors that each point into the file.
func FuzzParse(f *testing.F) {
	fsys := defaultsFS()
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, b := range brokenFiles {
		f.Add([]byte(b.src))
	}
	f.Add([]byte("nmae: GPUs\nera: traning\nsymbols:\n  - NVDA\n  - \"bad sym!\"\n  - {symbol: AMD, wieght: 1, name: [x]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const path = "w/fuzz.yaml"
		seg, errs := ParseAll(path, data)
		for _, fe := range errs {
			if fe.Path != path || fe.Line < 1 || fe.Col < 1 || fe.Msg == "" || strings.HasPrefix(fe.Msg, ParserCrashed) {
				t.Fatalf("malformed error %#v", fe)
			}
		}
		if len(errs) > 0 {
			return
		}
		if seg.File != "fuzz.yaml" || seg.Name == "" || !seg.Era.Valid() || len(seg.Symbols) == 0 {
			t.Fatalf("invalid segment accepted: %+v", seg)
		}
		seen := map[string]bool{}
		for _, s := range seg.Symbols {
			if !symbolPattern.MatchString(s.Symbol) || !(s.Weight > 0) || seen[s.Symbol] {
				t.Fatalf("invalid symbol accepted: %+v in %+v", s, seg)
			}
			seen[s.Symbol] = true
		}
	})
}
