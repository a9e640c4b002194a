package watchlists

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// deepFiles are watchlists nested far past MaxDepth, each with where the
// limit is crossed: the opener or key that makes the 65th level.
var deepFiles = []struct {
	name      string
	src       string
	line, col int
}{
	// symbols: is level 1, so the 64th [ is the 65th level.
	{"flow lists, 30,000 deep", header + "symbols: " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n", 3, 9 + 64},
	{"unclosed flow lists", header + "symbols: " + strings.Repeat("[", 30000) + "\n", 3, 9 + 64},
	{"flow mappings", header + "symbols: " + strings.Repeat("{a: ", 30000) + "b" + strings.Repeat("}", 30000) + "\n", 3, 9 + 4*63 + 1},
	{"block lists, 30,000 dashes", header + "symbols:\n" + strings.Repeat("- ", 30000) + "NVDA\n", 4, 2*64 - 1},
	{"block lists inside a flow list", header + "symbols: [" + strings.Repeat("- ", 30000) + "NVDA]\n", 3, 11 + 2*62},
	{"indented mappings", header + "symbols:\n" + indented(100, "a:"), 3 + 64, 2*64 + 1},
}

// indented is n lines of item, each indented two spaces more than the last.
func indented(n int, item string) string {
	var b strings.Builder
	for k := 1; k <= n; k++ {
		b.WriteString(strings.Repeat("  ", k) + item + "\n")
	}
	return b.String()
}

// TestParseRefusesDeepNesting: a file nested past MaxDepth is one error at
// the level that crosses it, with the line shown, before the parser runs.
func TestParseRefusesDeepNesting(t *testing.T) {
	for _, tt := range deepFiles {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseAll("w/deep.yaml", []byte(tt.src))
			checkDepthError(t, errs, "w/deep.yaml", tt.line, tt.col)
		})
	}
}

// checkDepthError fails t unless errs is the one depth error at line:col.
func checkDepthError(t *testing.T, errs []*FileError, path string, line, col int) {
	t.Helper()
	if len(errs) != 1 {
		t.Fatalf("want one error, got %d: %v", len(errs), errs)
	}
	fe := errs[0]
	want := fmt.Sprintf("%s:%d:%d: lists and mappings nested more than %d deep", path, line, col, MaxDepth)
	if !strings.HasPrefix(fe.Error(), want) {
		t.Fatalf("error = %.200q\nwant it to start %q", fe.Error(), want)
	}
	if !strings.Contains(fe.Snippet, "^") || len(fe.Report()) > 400 {
		t.Fatalf("report should show a short excerpt of the line with a caret:\n%s", fe.Report())
	}
}

// TestDepthLimitIsExact: MaxDepth levels parse; one more is refused.
func TestDepthLimitIsExact(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  func(levels int) string
	}{
		{"flow", func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }},
		{"block", func(n int) string { return strings.Repeat("- ", n) + "x" }},
		{"keys", func(n int) string { return indented(n, "a:")[2:] }},
	} {
		if err := checkDepth([]byte(tt.src(MaxDepth))); err != nil {
			t.Errorf("%s: %d levels refused: %v", tt.name, MaxDepth, err)
		}
		if err := checkDepth([]byte(tt.src(MaxDepth + 1))); err == nil {
			t.Errorf("%s: %d levels accepted", tt.name, MaxDepth+1)
		}
	}
}

// TestDepthCountsOnlyStructure: brackets and dashes in quotes, comments and
// block scalars are text, and a file full of them still parses.
func TestDepthCountsOnlyStructure(t *testing.T) {
	deep := strings.Repeat("[{- ", 100)
	src := header +
		"description: |\n  " + deep + "\n  - - - - " + deep + "\n" +
		"# " + deep + "\n" +
		"symbols:\n" +
		"  - symbol: NVDA\n    note: '" + deep + " it''s'\n" +
		"  - {symbol: AMD, note: \"" + deep + " \\\" \\x41" + deep + "\"}\n" +
		"  - TSM # " + deep + "\n"
	seg, errs := ParseAll("w/text.yaml", []byte(src))
	if len(errs) > 0 {
		t.Fatalf("refused: %v", errs[0].Report())
	}
	if len(seg.Symbols) != 3 {
		t.Fatalf("symbols = %+v", seg.Symbols)
	}
}

// TestDeepNestingRefusedCheaply: refusing a deep file costs what reading it
// does, not the parser's gigabytes.
func TestDeepNestingRefusedCheaply(t *testing.T) {
	for _, tt := range deepFiles {
		data := []byte(tt.src)
		var before, after runtime.MemStats
		took := time.Duration(1 << 62)
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 3 { // the quickest of three, against a busy machine
			start := time.Now()
			ParseAll("w/deep.yaml", data)
			took = min(took, time.Since(start))
		}
		runtime.ReadMemStats(&after)
		if alloc := (after.TotalAlloc - before.TotalAlloc) / 3; alloc > 10<<20 || took > 100*time.Millisecond {
			t.Errorf("%s (%d bytes): refusing took %v and %d KiB; want under 100ms and 10 MiB", tt.name, len(data), took, alloc>>10)
		}
	}
}

// FuzzDepthBound holds the depth scan to its promise: whatever goccy parses
// after the scan let it through nests no deeper than the scan counted
// (twice over, since [a: b] is a list holding a mapping behind one [).
func FuzzDepthBound(f *testing.F) {
	for _, tt := range brokenFiles {
		f.Add([]byte(tt.src))
	}
	for _, tt := range trickyNesting {
		f.Add([]byte("x: " + strings.Repeat(tt.open, 3) + "null" + strings.Repeat(tt.close, 3)))
	}
	for _, s := range []string{
		"a: [\"x\ty\"]]\n[\"\tx\"], [\"\tx\"], [\"\tx\"]",
		"a: |\n  \"\n[[[[]]]]\nb: [[[[\n]]]]",
		"k: !t[[ [[[]]]\n",
		"x: \"a\\\r\nb\" [[]]",
		"- - - [- - [? a : b]]\n",
		"a: &x [[\n<<: *x\n",
		"? [a]\n: {b: [c]}\n",
		"a: b\n  - c\n  - [d]\n",
		"%YAML 1.2\n---\n[a, [b]]\n...\n--- [c]\n",
		"a: 'it''s [' \nb: \"\\\"[\" \nc: \"\\u00e9[\\x41\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newDepthScan(data)
		s.run()
		if s.err != nil {
			return
		}
		file, err := parser.ParseBytes(data, 0)
		if err != nil {
			return
		}
		for _, doc := range file.Docs {
			if d := astDepth(doc.Body); d > 2*s.deepest+1 {
				t.Fatalf("the parser nested %d deep where the scan counted %d:\n%q", d, s.deepest, data)
			}
		}
	})
}

// astDepth is how many lists and mapping values n nests.
func astDepth(n ast.Node) int {
	deepest := 0
	ast.Walk(&depthVisitor{max: &deepest}, n)
	return deepest
}

type depthVisitor struct {
	depth int
	max   *int
}

func (v *depthVisitor) Visit(n ast.Node) ast.Visitor {
	switch n.(type) {
	case *ast.SequenceNode, *ast.MappingValueNode, *ast.MappingKeyNode:
		next := &depthVisitor{depth: v.depth + 1, max: v.max}
		*v.max = max(*v.max, next.depth)
		return next
	}
	return v
}

// trickyNesting are constructs where goccy reads a bracket differently
// from a plain reading of YAML, each as what opens a level and closes it.
var trickyNesting = []struct{ open, close string }{
	{"[\"\tx\"], ", "]"},        // goccy skips the ] after a double-quoted tab
	{"[\"\tx\t\ty\"]]], ", "]"}, // one per such tab
	{"[!t] ", "]"},              // a tag swallows the ]
	{"[&a ", "]"},               // an anchor before a list
	{"[a, #]\n", "]"},           // a comment swallows the ]
	{"[\"\\x\"]\", ", "]"},      // \x takes two characters, a quote among them
	{"['it''s]', ", "]"},        // '' is a quote in single quotes
	{"[\"a\\\r\n b]\", ", "]"},  // a backslash line break
	{"[- ", "]"},                // block lists inside flow ones
	{"{a: ", "}"},
}

// TestDepthBoundOnTrickyFiles nests, 200 deep, constructs where goccy
// reads a bracket differently from a plain reading of YAML: each must be
// refused, as goccy nests them all.
func TestDepthBoundOnTrickyFiles(t *testing.T) {
	for _, tt := range trickyNesting {
		const n = 200
		data := []byte("x: " + strings.Repeat(tt.open, n) + "null" + strings.Repeat(tt.close, n) + "\n")
		if err := checkDepth(data); err != nil {
			continue
		}
		file, err := parser.ParseBytes(data, 0)
		if err != nil {
			t.Errorf("%q: neither the scan nor the parser refused:\n%s", tt.open, err)
			continue
		}
		t.Errorf("%q: the parser nested %d deep where the scan let it through", tt.open, astDepth(file.Docs[0].Body))
	}
}

// BenchmarkDeepNestingRefused is the cost of refusing each deep file, the
// figure docs/robustness.md gives. Run:
// go test ./watchlists -run '^$' -bench DeepNestingRefused -benchmem
func BenchmarkDeepNestingRefused(b *testing.B) {
	for _, tt := range deepFiles {
		data := []byte(tt.src)
		b.Run(strings.ReplaceAll(tt.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				ParseAll("w/deep.yaml", data)
			}
		})
	}
}
