package alerts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/watchlists"
)

// sample is the contract's example file, every kind of rule once.
const sample = `# my alerts
- when: price            # a symbol's price
  symbol: nvda
  above: 200
- when: change
  symbol: AMD
  below: -5
- when: spread
  range: 1m
  above: 2
- when: quadrant
  segment: Optics and interconnect
  enters: Leading
- when: relativeVolume
  segment: HBM
  above: 2
- {when: relativeVolume, era: inference, above: 1.5, name: Inference volume}
- when: price
  symbol: "0050.TW"
  above: 250
  below: 150
`

func TestParseSample(t *testing.T) {
	rules, fe := Parse("alerts.yaml", []byte(sample))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	want := []struct {
		str       string
		line, col int
	}{
		{"NVDA price above 200", 2, 3},
		{"AMD change below -5%", 5, 3},
		{"spread 1M above 2 pp", 8, 3},
		{"Optics and interconnect enters leading", 11, 3},
		{"HBM relative volume above 2x", 14, 3},
		{"inference era relative volume above 1.5x", 17, 4},
		{"0050.TW price above 250 or below 150", 18, 3},
	}
	if len(rules) != len(want) {
		t.Fatalf("got %d rules, want %d", len(rules), len(want))
	}
	for i, w := range want {
		r := rules[i]
		if r.String() != w.str || r.Line != w.line || r.Col != w.col || r.Path != "alerts.yaml" {
			t.Errorf("rule %d = %q at %d:%d in %q, want %q at %d:%d", i, r.String(), r.Line, r.Col, r.Path, w.str, w.line, w.col)
		}
	}
	if rules[5].Name != "Inference volume" || rules[5].Label() != "Inference volume" || rules[0].Label() != rules[0].String() {
		t.Errorf("labels: %q, %q", rules[5].Label(), rules[0].Label())
	}
	if got := Symbols(rules); strings.Join(got, ",") != "0050.TW,AMD,NVDA" {
		t.Errorf("Symbols = %v", got)
	}
}

func TestParseNoRules(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "[]\n", "~\n", "---\n"} {
		rules, fe := Parse("alerts.yaml", []byte(src))
		if fe != nil || len(rules) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want no rules", src, rules, fe)
		}
	}
}

// brokenFiles are the mistakes users make, with where they must be reported.
var brokenFiles = []struct {
	name      string
	src       string
	line, col int
	msg       string // substring of FileError.Msg
}{
	{"unknown when", "- when: volume\n  symbol: NVDA\n  above: 1\n", 1, 9, `when "volume" is not one of price, change, spread, quadrant, relativeVolume`},
	{"missing when", "- symbol: NVDA\n  above: 1\n", 1, 3, "rule has no when"},
	{"unknown field", "- when: price\n  symbol: NVDA\n  abov: 200\n", 3, 3, `unknown field "abov"`},
	{"field of another kind", "- when: spread\n  symbol: NVDA\n  above: 1\n", 2, 3, "symbol is not used by spread rules"},
	{"missing symbol, price", "- when: price\n  above: 200\n", 1, 3, "price rule has no symbol"},
	{"missing symbol, change", "\n- when: change\n  below: -5\n", 2, 3, "change rule has no symbol"},
	{"bad symbol", "- when: price\n  symbol: NV DA\n  above: 1\n", 2, 11, `symbol "NV DA" is not a Yahoo symbol`},
	{"missing segment", "- when: quadrant\n  enters: leading\n", 1, 3, "quadrant rule has no segment"},
	{"missing enters", "- when: quadrant\n  segment: HBM\n", 1, 3, "quadrant rule has no enters"},
	{"bad enters", "- when: quadrant\n  segment: HBM\n  enters: top\n", 3, 11, `enters "top" is not one of leading, weakening, lagging, improving`},
	{"segment and era", "- when: quadrant\n  segment: HBM\n  era: training\n  enters: leading\n", 3, 3, "keep only one of segment, era and symbol"},
	{"bad era", "- when: quadrant\n  era: benchmark\n  enters: leading\n", 2, 8, `era "benchmark" is not training or inference`},
	{"no threshold, price", "- when: price\n  symbol: NVDA\n", 1, 3, "price rule has neither above: nor below:"},
	{"no threshold, spread", "- when: spread\n  range: 1M\n", 1, 3, "spread rule has neither above: nor below:"},
	{"no threshold, relativeVolume", "- when: relativeVolume\n  segment: HBM\n", 1, 3, "relativeVolume rule has neither"},
	{"nothing to measure", "- when: relativeVolume\n  above: 2\n", 1, 3, "relativeVolume rule has nothing to measure"},
	{"threshold on quadrant", "- when: quadrant\n  segment: HBM\n  enters: leading\n  above: 1\n", 4, 3, "above is not used by quadrant rules"},
	{"bad range", "- when: spread\n  range: 2W\n  above: 1\n", 2, 10, `unknown range "2W": use one of 1D, 5D, 1M, 3M, 6M, YTD, 1Y`},
	{"above is text", "- when: price\n  symbol: NVDA\n  above: high\n", 3, 10, `above must be a number, found text "high"`},
	{"below is quoted", "- when: change\n  symbol: NVDA\n  below: \"-5\"\n", 3, 10, `below must be a number, found text "-5"`},
	{"above is a list", "- when: spread\n  above: [1, 2]\n", 2, 10, "above must be a number, found a list"},
	{"above is infinite", "- when: spread\n  above: .inf\n", 2, 10, "above must be a finite number"},
	{"above has no value", "- when: spread\n  above:\n", 2, 3, "above has no value"},
	{"symbol is null", "- when: price\n  symbol: ~\n  above: 1\n", 2, 3, "symbol has no value"},
	{"negative price", "- when: price\n  symbol: NVDA\n  below: -1\n", 3, 10, "below must be greater than 0"},
	{"band inside out", "- when: price\n  symbol: NVDA\n  above: 150\n  below: 200\n", 3, 10, "above 150 is not greater than below 200"},
	{"duplicate rule", "- when: price\n  symbol: NVDA\n  above: 200\n- when: price\n  symbol: nvda\n  above: 200.0\n  name: again\n", 4, 3, "repeats the one at line 1"},
	{"empty rule", "- when: spread\n  above: 1\n-\n", 3, 1, "empty rule"},
	{"rule is text", "- price NVDA 200\n", 1, 3, "a rule must be a mapping"},
	{"not a list", "when: price\nsymbol: NVDA\nabove: 1\n", 1, 1, "the alerts file must be a list of rules"},
	{"when is a list", "- when: [price]\n  symbol: NVDA\n  above: 1\n", 1, 9, "when must be text, found a list"},
	{"empty segment", "- when: quadrant\n  segment: ''\n  enters: leading\n", 2, 12, "segment is empty"},
	{"merge key", "- <<: {when: spread}\n  above: 1\n", 1, 3, `unknown field "<<"`},
	{"anchor", "- when: spread\n  above: &x 1\n", 2, 10, "anchors and aliases are not used"},
	{"duplicate key", "- when: price\n  when: change\n", 2, 3, `mapping key "when" already defined`},
	{"tab indentation", "- when: price\n\tsymbol: NVDA\n", 2, 1, "found character '\t'"},
	{"second document", "- when: spread\n  above: 1\n---\n- when: spread\n  below: 1\n", 4, 1, "only one YAML document"},
}

// TestParseBrokenFiles pins the position of every kind of mistake, since
// file:line:col with the line shown is what lets a user fix it at once.
func TestParseBrokenFiles(t *testing.T) {
	for _, tt := range brokenFiles {
		t.Run(tt.name, func(t *testing.T) {
			rules, fe := Parse("alerts.yaml", []byte(tt.src))
			if fe == nil {
				t.Fatalf("Parse accepted:\n%s\ngot %v", tt.src, rules)
			}
			want := fmt.Sprintf("alerts.yaml:%d:%d: ", tt.line, tt.col)
			if !strings.HasPrefix(fe.Error(), want) || !strings.Contains(fe.Msg, tt.msg) {
				t.Fatalf("error = %q\nwant prefix %q and message containing %q", fe.Error(), want, tt.msg)
			}
			if marker := fmt.Sprintf(">%3d | ", tt.line); !strings.Contains(fe.Snippet, marker) || !strings.Contains(fe.Snippet, "^") {
				t.Fatalf("snippet does not mark line %d:\n%s", tt.line, fe.Snippet)
			}
		})
	}
}

// TestKeyIgnoresPositionAndLabel: the key is what the state file is keyed
// by, so moving or renaming a rule must not change it, and changing what
// it tests must.
func TestParseTooManyRules(t *testing.T) {
	var b strings.Builder
	for i := 0; i <= MaxRules; i++ {
		fmt.Fprintf(&b, "- {when: spread, above: %d}\n", i)
	}
	_, fe := Parse("alerts.yaml", []byte(b.String()))
	if want := fmt.Sprintf("alerts.yaml:%d:4: more than %d rules", MaxRules+1, MaxRules); fe == nil || !strings.HasPrefix(fe.Error(), want) {
		t.Errorf("error = %v, want %q", fe, want)
	}
}

func TestKeyIgnoresPositionAndLabel(t *testing.T) {
	a, fe := Parse("a.yaml", []byte("- when: quadrant\n  segment: HBM\n  enters: leading\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	b, fe := Parse("b.yaml", []byte("# moved\n\n- {name: memory, enters: LEADING, segment: ' hbm ', when: quadrant}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	if a[0].Key() != b[0].Key() {
		t.Errorf("keys differ: %q vs %q", a[0].Key(), b[0].Key())
	}
	c, _ := Parse("c.yaml", []byte("- when: quadrant\n  segment: HBM\n  enters: lagging\n"))
	if c[0].Key() == a[0].Key() {
		t.Errorf("different rules share key %q", a[0].Key())
	}
	// A segment name cannot forge a key with other fields in it.
	d, _ := Parse("d.yaml", []byte("- when: quadrant\n  segment: 'x enters=\"leading\"'\n  enters: leading\n"))
	e, _ := Parse("e.yaml", []byte("- when: quadrant\n  segment: x\n  enters: leading\n"))
	if d[0].Key() == e[0].Key() {
		t.Errorf("forged key %q", d[0].Key())
	}
}

func TestValidateUnknownSegment(t *testing.T) {
	src := "- when: quadrant\n  segment: HBM\n  enters: leading\n- when: relativeVolume\n  segment: Optcs\n  above: 2\n" +
		"- when: quadrant\n  segment: 30-optics.yaml\n  enters: lagging\n- when: quadrant\n  era: training\n  enters: leading\n"
	rules, fe := Parse("alerts.yaml", []byte(src))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	set := watchlists.Set{Source: "/w", Segments: []watchlists.Segment{
		{File: "12-hbm.yaml", Name: "hbm", Era: watchlists.Training},
		{File: "30-optics.yaml", Name: "Optics and interconnect", Era: watchlists.Inference},
	}}
	errs := Validate(rules, set)
	if len(errs) != 1 {
		t.Fatalf("got %d errors, want 1: %v", len(errs), errs)
	}
	got := errs[0]
	if !strings.HasPrefix(got.Error(), "alerts.yaml:4:3: ") || !strings.Contains(got.Msg, `segment "Optcs" is not in the watchlists`) ||
		!strings.Contains(got.Msg, `"hbm", "Optics and interconnect"`) {
		t.Errorf("error = %q", got.Error())
	}
	if !strings.Contains(got.Snippet, ">  4 | ") {
		t.Errorf("snippet does not mark line 4:\n%s", got.Snippet)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alerts.yaml")
	if _, fe := Load(path); fe == nil || !strings.Contains(fe.Msg, "create it with a YAML list of rules") {
		t.Errorf("missing file: %v", fe)
	}
	if data, fe := Read(path); data != nil || fe == nil || !errors.Is(fe, fs.ErrNotExist) {
		t.Errorf("Read of a missing file = %q, %v; want a not-exist error", data, fe)
	}
	if _, fe := Load(dir); fe == nil || !strings.Contains(fe.Msg, "not a regular file") {
		t.Errorf("directory: %v", fe)
	}
	if err := os.WriteFile(path, []byte(strings.Repeat("#", MaxFileSize+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, fe := Load(path); fe == nil || !strings.Contains(fe.Msg, "larger than") {
		t.Errorf("huge file: %v", fe)
	}
	if err := os.WriteFile(path, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	if rules, fe := Load(path); fe != nil || len(rules) != 7 {
		t.Errorf("Load = %d rules, %v", len(rules), fe)
	}
}

// FuzzParse: whatever the user types, Parse returns rules or a positioned
// error, never a panic (which Parse would turn into a 1:1 crash report).
func FuzzParse(f *testing.F) {
	f.Add(sample)
	for _, tt := range brokenFiles {
		f.Add(tt.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		rules, fe := Parse("alerts.yaml", []byte(src))
		if fe != nil {
			if strings.Contains(fe.Msg, "parser crashed") {
				t.Fatalf("parser crashed: %s", fe.Msg)
			}
			return
		}
		for _, r := range rules {
			if r.Line < 1 || r.Col < 1 || r.Key() == "" || r.String() == "" {
				t.Fatalf("accepted a malformed rule %+v", r)
			}
		}
	})
}

// TestParseAllReportsEveryProblem: each rule is checked on its own, and
// within a rule each key and value, so one save shows every mistake.
func TestParseAllReportsEveryProblem(t *testing.T) {
	src := "- when: price\n" +
		"  symbol: NVDA\n" +
		"  abov: 200\n" + //                    line 3
		"- when: spread\n" +
		"  range: 2W\n" +
		"  above: high\n" + //                  line 6
		"- wehn: price\n" + //                   line 7
		"  symbol: AMD\n" +
		"  above: 1\n" +
		"- {when: change, symbol: 'A B', segment: HBM, below: -5}\n" + // line 10
		"-\n" + //                               line 11
		"- {when: price, symbol: AMD, above: 150}\n"
	_, errs := ParseAll("alerts.yaml", []byte(src))
	want := []struct {
		line, col int
		msg       string
	}{
		{3, 3, `unknown field "abov": did you mean above?`},
		{5, 10, `unknown range "2W"`},
		{6, 10, `above must be a number, found text "high"`},
		{7, 3, `unknown field "wehn": did you mean when?`},
		{7, 3, "rule has no when"},
		{10, 26, `symbol "A B" is not a Yahoo symbol`},
		{10, 33, "segment is not used by change rules"},
		{11, 1, "empty rule"},
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(errs), len(want), errs)
	}
	for i, w := range want {
		if e := errs[i]; e.Line != w.line || e.Col != w.col || !strings.Contains(e.Msg, w.msg) || e.Snippet == "" {
			t.Errorf("error %d = %q, want %d:%d and %q", i, e.Error(), w.line, w.col, w.msg)
		}
	}
	if _, fe := Parse("alerts.yaml", []byte(src)); fe == nil || fe.Error() != errs[0].Error() {
		t.Errorf("Parse = %v, want ParseAll's first error", fe)
	}
}
