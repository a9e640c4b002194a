package watchlists

import (
	"fmt"
	"strings"
	"testing"
)

const header = "name: GPUs\nera: training\n"

// brokenFiles are the mistakes users make, with where they must be reported.
var brokenFiles = []struct {
	name      string
	src       string
	line, col int
	msg       string // substring of FileError.Msg
}{
	{"tab indentation", header + "symbols:\n\t- NVDA\n", 4, 1, "found character '\t'"},
	{"unknown field in entry", header + "symbols:\n  - NVDA\n  - symbol: AMD\n    wieght: 0.5\n", 6, 5, `unknown field "wieght"`},
	{"unknown top-level field", header + "descripton: x\nsymbols:\n  - NVDA\n", 3, 1, `unknown field "descripton"`},
	{"bad era", "name: GPUs\nera: trainng\nsymbols:\n  - NVDA\n", 2, 6, `era "trainng" is not one of training, inference, benchmark`},
	{"missing era", "name: GPUs\nsymbols:\n  - NVDA\n", 1, 1, "era is required"},
	{"missing name", "era: training\nsymbols:\n  - NVDA\n", 1, 1, "name is required"},
	{"blank name", "name: ' '\nera: training\nsymbols:\n  - NVDA\n", 1, 1, "name is required"},
	{"duplicate symbol, case-insensitive", header + "symbols:\n  - NVDA\n  - AMD\n  - symbol: nvda\n", 6, 13, "duplicate symbol NVDA (first listed at line 4)"},
	{"empty flow list", header + "symbols: []\n", 3, 1, "symbols is empty"},
	{"empty block list", header + "symbols:\n", 3, 1, "symbols is empty"},
	{"missing list", header + "description: x\n", 1, 1, "symbols is empty"},
	{"weight 0", header + "symbols:\n  - symbol: AVGO\n    weight: 0\n", 5, 13, "weight must be a number greater than 0, got 0"},
	{"negative weight", header + "symbols:\n  - symbol: AVGO\n    weight: -1\n", 5, 13, "greater than 0"},
	{"weight not a number", header + "symbols:\n  - symbol: AVGO\n    weight: half\n", 5, 13, "weight: expected a number, found text"},
	{"number where a list belongs", header + "symbols: 5\n", 3, 10, "symbols: expected a list, found a number"},
	{"unclosed quote", "name: \"GPUs\nera: training\nsymbols:\n  - NVDA\n", 1, 7, "could not find end character of double-quoted text"},
	{"bad symbol characters", header + "symbols:\n  - NV DA\n", 4, 5, `symbol "NV DA" is not a Yahoo symbol`},
	{"symbol too long", header + "symbols:\n  - " + strings.Repeat("A", 25) + "\n", 4, 5, "is not a Yahoo symbol"},
	{"entry is a list", header + "symbols:\n  - [NVDA]\n", 4, 5, "a symbol entry must be"},
	{"entry without symbol", header + "symbols:\n  - name: Nvidia\n", 4, 5, "symbol entry has no symbol"},
	{"name is a list", "name: [a]\nera: training\nsymbols:\n  - A\n", 1, 7, "name: expected text, found a list"},
	{"top level is a list", "- NVDA\n", 1, 1, "must be a mapping"},
	{"duplicate key", header + "era: inference\nsymbols:\n  - A\n", 3, 1, `mapping key "era" already defined at [2:1]`},
	{"second document", header + "symbols:\n  - A\n---\nname: x\n", 6, 5, "only one YAML document per file"},
	{"tag", header + "symbols:\n  - !!str 2330\n", 4, 5, "YAML tags like !!str are not used"},
	{"empty entry", header + "symbols:\n  - NVDA\n  -\n  - AMD\n", 5, 4, "empty symbol entry"},
	{"empty file", "", 1, 1, "file is empty"},
	{"only comments", "# nothing yet\n", 1, 1, "file is empty"},
}

// TestParseBrokenFiles pins the exact position of every kind of mistake,
// since file:line:col is what lets a user jump straight to it.
func TestParseBrokenFiles(t *testing.T) {
	for _, tt := range brokenFiles {
		t.Run(tt.name, func(t *testing.T) {
			_, fe := Parse("watchlists/12-hbm.yaml", []byte(tt.src))
			if fe == nil {
				t.Fatalf("Parse accepted:\n%s", tt.src)
			}
			want := fmt.Sprintf("watchlists/12-hbm.yaml:%d:%d: ", tt.line, tt.col)
			if !strings.HasPrefix(fe.Error(), want) || !strings.Contains(fe.Msg, tt.msg) {
				t.Fatalf("error = %q\nwant prefix %q and message containing %q", fe.Error(), want, tt.msg)
			}
			if tt.src != "" && tt.src != "# nothing yet\n" {
				wantMarker := fmt.Sprintf(">%3d | ", tt.line)
				if !strings.Contains(fe.Snippet, wantMarker) || !strings.Contains(fe.Snippet, "^") {
					t.Fatalf("snippet does not mark line %d:\n%s", tt.line, fe.Snippet)
				}
				if !strings.HasSuffix(fe.Report(), fe.Snippet) {
					t.Fatalf("Report lacks the snippet:\n%s", fe.Report())
				}
			}
		})
	}
}

func TestParseBothEntryForms(t *testing.T) {
	src := `name: Custom silicon designers
era: inference
description: ASIC and XPU design partners.
symbols:
  - avgo
  - 0050
  - symbol: 3661.tw
    name: Alchip
    weight: 0.5
    note: ASIC design services
  - symbol: ^GSPC
  - "KRW=X"
`
	seg, fe := Parse("/home/u/.config/rotation/watchlists/20-custom.yaml", []byte(src))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	want := Segment{
		File:        "20-custom.yaml",
		Name:        "Custom silicon designers",
		Era:         Inference,
		Description: "ASIC and XPU design partners.",
		Symbols: []Symbol{
			{Symbol: "AVGO", Weight: 1},
			{Symbol: "0050", Weight: 1}, // source text, not the octal number 40
			{Symbol: "3661.TW", Name: "Alchip", Weight: 0.5, Note: "ASIC design services"},
			{Symbol: "^GSPC", Weight: 1},
			{Symbol: "KRW=X", Weight: 1},
		},
	}
	if fmt.Sprint(seg) != fmt.Sprint(want) {
		t.Fatalf("got  %+v\nwant %+v", seg, want)
	}
}

func TestFileErrorFormats(t *testing.T) {
	positioned := &FileError{Path: "w/a.yaml", Line: 7, Col: 5, Msg: "boom", Snippet: ">  7 | x"}
	if got := positioned.Error(); got != "w/a.yaml:7:5: boom" {
		t.Errorf("Error() = %q", got)
	}
	if got := positioned.Report(); got != "w/a.yaml:7:5: boom\n>  7 | x" {
		t.Errorf("Report() = %q", got)
	}
	whole := &FileError{Path: "w/a.yaml", Msg: "too big"}
	if got := whole.Error(); got != "w/a.yaml: too big" {
		t.Errorf("Error() = %q", got)
	}
	if whole.Report() != whole.Error() {
		t.Errorf("Report() of a whole-file error = %q", whole.Report())
	}
}
