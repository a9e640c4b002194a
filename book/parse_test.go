package book

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

const top = "positions:\n"

// brokenFiles are the mistakes people make in a holdings file, each with
// where it must be reported: file:line:col is what lets them jump to it.
var brokenFiles = []struct {
	name      string
	src       string
	line, col int
	msg       string // substring of FileError.Msg
}{
	{"unknown field in a lot", top + "  - symbol: AAPL\n    quantity: 10\n    cost: 150\n    note: x\n", 5, 5, `unknown field "note" in a position`},
	{"alias of a real field", top + "  - symbol: AAPL\n    shares: 10\n    cost: 150\n", 3, 5, `unknown field "shares": write quantity: instead`},
	{"unknown top-level field", "owner: me\n" + top + "  - {symbol: AAPL, quantity: 1, cost: 1}\n", 1, 1, `unknown field "owner" at the top`},
	{"zero quantity", top + "  - symbol: AAPL\n    quantity: 0\n    cost: 150\n", 3, 15, "a zero quantity holds nothing: delete the lot or give its size"},
	{"zero quantity as a float", top + "  - {symbol: AAPL, quantity: 0.0, cost: 150}\n", 2, 30, "a zero quantity holds nothing"},
	{"missing quantity", top + "  - symbol: AAPL\n    cost: 150\n", 2, 3, "quantity is required"},
	{"empty quantity", top + "  - symbol: AAPL\n    quantity:\n    cost: 150\n", 3, 5, "quantity is required"},
	{"only a symbol", top + "  - symbol: AAPL\n", 2, 3, "quantity is required"},
	{"missing cost", top + "  - symbol: AAPL\n    quantity: 10\n", 2, 3, "cost is required: give the price paid per unit"},
	{"missing symbol", top + "  - quantity: 10\n    cost: 150\n", 2, 3, "position has no symbol"},
	{"bad symbol", top + "  - symbol: AA PL\n    quantity: 10\n    cost: 150\n", 2, 13, `symbol "AA PL" is not a Yahoo symbol`},
	{"symbol too long", top + "  - symbol: " + strings.Repeat("A", 25) + "\n    quantity: 1\n    cost: 1\n", 2, 13, "is not a Yahoo symbol"},
	{"symbol is a list", top + "  - symbol: [AAPL]\n    quantity: 10\n    cost: 150\n", 2, 13, "symbol must be a single ticker"},
	{"quantity is text", top + "  - symbol: AAPL\n    quantity: ten\n    cost: 150\n", 3, 15, `quantity must be a number like 10 or -5, found text "ten"`},
	{"quantity in quotes", top + "  - symbol: AAPL\n    quantity: \"10\"\n    cost: 150\n", 3, 15, "(remove the quotes)"},
	{"quantity is a list", top + "  - symbol: AAPL\n    quantity: [10]\n    cost: 150\n", 3, 15, "quantity must be a number"},
	{"cost is true/false", top + "  - symbol: AAPL\n    quantity: 10\n    cost: yes\n", 4, 11, "cost must be a number"},
	{"negative cost", top + "  - symbol: AAPL\n    quantity: 10\n    cost: -150\n", 4, 11, "cost must be 0 or more (a short has a negative quantity"},
	{"infinite cost", top + "  - symbol: AAPL\n    quantity: 10\n    cost: .inf\n", 4, 11, "cost must be a finite number"},
	{"NaN quantity", top + "  - symbol: AAPL\n    quantity: .nan\n    cost: 1\n", 3, 15, "quantity must be a finite number"},
	{"quantity past 64 bits", top + "  - symbol: AAPL\n    quantity: 99999999999999999999999\n    cost: 1\n", 3, 15, "quantity 99999999999999999999999 is too large"},
	{"cost past float range", top + "  - symbol: AAPL\n    quantity: 1\n    cost: 1e400\n", 4, 11, "cost 1e400 is too large"},
	{"negative fees", top + "  - symbol: AAPL\n    quantity: 10\n    cost: 150\n    fees: -1\n", 5, 11, "fees must be 0 or more"},
	{"date not YYYY-MM-DD", top + "  - symbol: AAPL\n    quantity: 10\n    cost: 150\n    date: 01/06/2024\n", 5, 11, "date must be a calendar date written YYYY-MM-DD"},
	{"date that is no day", top + "  - symbol: AAPL\n    quantity: 10\n    cost: 150\n    date: 2024-02-30\n", 5, 11, "YYYY-MM-DD"},
	{"date with a time", top + "  - symbol: AAPL\n    quantity: 10\n    cost: 150\n    date: 2024-06-01T10:00:00Z\n", 5, 11, "YYYY-MM-DD"},
	{"date is a number", top + "  - symbol: AAPL\n    quantity: 10\n    cost: 150\n    date: 20240601\n", 5, 11, "YYYY-MM-DD"},
	{"empty lot", top + "  - {symbol: AAPL, quantity: 1, cost: 1}\n  -\n", 3, 3, "empty position"},
	{"lot is a bare symbol", top + "  - AAPL\n", 2, 5, "a position is a mapping with symbol:, quantity:, cost:"},
	{"positions is a mapping", top + "  symbol: AAPL\n  quantity: 10\n", 2, 9, "positions must be a list of lots, each starting with a dash"},
	{"positions is a number", "positions: 5\n", 1, 12, "positions must be a list"},
	{"list without positions:", "- symbol: AAPL\n  quantity: 10\n  cost: 150\n", 1, 1, "needs a `positions:` line above it"},
	{"top level is text", "AAPL 10 150\n", 1, 1, "a holdings file is `positions:` followed by a list"},
	{"empty mapping", "{}\n", 1, 1, "no positions: write `positions:`"},
	{"duplicate key", top + "  - {symbol: AAPL, quantity: 1, quantity: 2, cost: 1}\n", 2, 33, `mapping key "quantity" already defined`},
	{"tab indentation", top + "\t- {symbol: AAPL, quantity: 1, cost: 1}\n", 2, 1, "found character '\t'"},
	{"tag", top + "  - {symbol: !!str 6758, quantity: 1, cost: 1}\n", 2, 14, "YAML tags, anchors and aliases are not used"},
	{"alias", top + "  - &a {symbol: AAPL, quantity: 1, cost: 1}\n  - *a\n", 2, 5, "anchors and aliases are not used"},
	{"second document", top + "  - {symbol: AAPL, quantity: 1, cost: 1}\n---\npositions: []\n", 4, 10, "only one YAML document per file"},
	{"unclosed quote", top + "  - {symbol: \"AAPL, quantity: 1, cost: 1}\n", 2, 14, "could not find end character of double-quoted text"},
}

// TestParseBrokenFiles pins the position and wording of every mistake, and
// that the offending line is shown under the message.
func TestParseBrokenFiles(t *testing.T) {
	for _, tt := range brokenFiles {
		t.Run(tt.name, func(t *testing.T) {
			h, fe := Parse("cfg/holdings.yaml", []byte(tt.src))
			if fe == nil {
				t.Fatalf("Parse accepted:\n%s\ngot %+v", tt.src, h)
			}
			want := fmt.Sprintf("cfg/holdings.yaml:%d:%d: ", tt.line, tt.col)
			if !strings.HasPrefix(fe.Error(), want) || !strings.Contains(fe.Msg, tt.msg) {
				t.Fatalf("error = %q\nwant prefix %q and message containing %q", fe.Error(), want, tt.msg)
			}
			// The snippet marks the offending line with ">" and its number.
			marker := fmt.Sprintf(">%3d |", tt.line)
			if !strings.Contains(fe.Snippet, marker) || !strings.Contains(fe.Report(), fe.Snippet) {
				t.Errorf("snippet does not show line %d:\n%s", tt.line, fe.Snippet)
			}
		})
	}
}

// TestParseLots covers the accepted forms: several lots of one symbol stay
// separate, symbols are upper-cased, numeric symbols keep their text, flow
// and block styles mix, and the optional fields default to zero.
func TestParseLots(t *testing.T) {
	src := "# my book\n" + top +
		"  - symbol: aapl\n" + //                 line 3
		"    quantity: 10\n    cost: 150\n    fees: 5\n    date: 2024-06-01\n" +
		"  - symbol: AAPL\n" + //                 line 8: a second lot, not a duplicate
		"    quantity: -2.5\n    cost: 190.5\n    fees:\n" +
		"  - {symbol: 0050.TW, quantity: 1_000, cost: 0}\n" + // line 12
		"  - symbol: 6758\n    quantity: 0x10\n    cost: 1.2e3\n    date: \"2023-12-31\"\n" // line 13
	h, fe := Parse("h.yaml", []byte(src))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	want := []Lot{
		{Symbol: "AAPL", Quantity: 10, Cost: 150, Fees: 5, Date: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), Line: 3},
		{Symbol: "AAPL", Quantity: -2.5, Cost: 190.5, Line: 8},
		{Symbol: "0050.TW", Quantity: 1000, Cost: 0, Line: 12},
		{Symbol: "6758", Quantity: 16, Cost: 1200, Date: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), Line: 13},
	}
	if h.Path != "h.yaml" || len(h.Lots) != len(want) {
		t.Fatalf("got %+v", h)
	}
	for i, w := range want {
		if got := h.Lots[i]; got != w {
			t.Errorf("lot %d = %+v\nwant     %+v", i, got, w)
		}
	}
	if got := strings.Join(h.Symbols(), ","); got != "0050.TW,6758,AAPL" {
		t.Errorf("Symbols() = %s, want distinct and sorted", got)
	}
}

// TestParseEmpty: a fresh file with nothing in it yet is a valid, empty book.
func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "positions: []\n", "positions:\n", "positions:\n# soon\n", "---\n"} {
		h, fe := Parse("h.yaml", []byte(src))
		if fe != nil || len(h.Lots) != 0 || h.Path != "h.yaml" {
			t.Errorf("Parse(%q) = %+v, %v; want an empty book", src, h, fe)
		}
	}
}

// TestParseTooBig: the cap applies to Parse too, not only to Load.
func TestParseTooBig(t *testing.T) {
	data := []byte(top + strings.Repeat("# padding\n", MaxFileSize/10+1))
	_, fe := Parse("h.yaml", data)
	if fe == nil || fe.Line != 0 || !strings.Contains(fe.Msg, "larger than 1048576 bytes") {
		t.Fatalf("got %v, want a whole-file size error", fe)
	}
}

// TestParseSymbolLimit: more distinct symbols than the quote budget allows is
// refused at the first lot over the limit; more lots of one symbol are fine.
func TestParseSymbolLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(top)
	for i := range 1001 {
		fmt.Fprintf(&b, "  - {symbol: S%d, quantity: 1, cost: 1}\n", i)
	}
	_, fe := Parse("h.yaml", []byte(b.String()))
	if fe == nil || fe.Line != 1002 || !strings.Contains(fe.Msg, "more than 1000 distinct symbols") {
		t.Fatalf("got %v, want the limit reported at line 1002", fe)
	}
	b.Reset()
	b.WriteString(top + strings.Repeat("  - {symbol: AAPL, quantity: 1, cost: 1}\n", 2000))
	if h, fe := Parse("h.yaml", []byte(b.String())); fe != nil || len(h.Lots) != 2000 {
		t.Fatalf("2000 lots of one symbol: %v", fe)
	}
}

// FuzzParse checks that no input panics the parser (the recover would turn
// it into a "crashed" message) and that whatever is accepted is valid.
func FuzzParse(f *testing.F) {
	for _, b := range brokenFiles {
		f.Add([]byte(b.src))
	}
	f.Add([]byte(top + "  - {symbol: AAPL, quantity: -3, cost: 1.5, fees: 1, date: 2024-01-02}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, fe := Parse("h.yaml", data)
		if fe != nil {
			if fe.Path != "h.yaml" || fe.Msg == "" || strings.HasPrefix(fe.Msg, watchlists.ParserCrashed) ||
				(fe.Line < 1 && len(data) <= MaxFileSize) {
				t.Fatalf("malformed error %#v", fe)
			}
			return
		}
		for _, l := range h.Lots {
			if l.Symbol == "" || l.Quantity == 0 || !(l.Cost >= 0) || !(l.Fees >= 0) || l.Line < 1 {
				t.Fatalf("invalid lot accepted: %+v", l)
			}
		}
	})
}

// TestParseAllReportsEveryProblem: one save shows every mistake of the
// file, in file order, each at its place; an unknown key counts as absent,
// and a "required" error goes on the key that stands in for it.
func TestParseAllReportsEveryProblem(t *testing.T) {
	src := "owner: me\n" + top +
		"  - symbol: AAPL\n" + // line 3
		"    shares: 10\n" +
		"    cost: -1\n" +
		"  - {symbol: A B, quantity: 0, cost: 1, dat: 2024-01-01}\n" + // line 6
		"  - {symbol: MSFT, quantity: 1, cost: 1}\n" + //                   fine
		"  - {symbl: NVDA, quantity: ten, cost: 1, fees: -1}\n" //        line 8
	_, errs := ParseAll("h.yaml", []byte(src))
	want := []struct {
		line, col int
		msg       string
	}{
		{1, 1, `unknown field "owner" at the top`},
		{4, 5, `unknown field "shares": write quantity: instead`},
		{4, 5, "quantity is required"},
		{5, 11, "cost must be 0 or more"},
		{6, 14, `symbol "A B" is not a Yahoo symbol`},
		{6, 29, "a zero quantity holds nothing"},
		{6, 41, `unknown field "dat": did you mean date?`},
		{8, 6, `unknown field "symbl": did you mean symbol?`},
		{8, 6, "position has no symbol"},
		{8, 29, `quantity must be a number like 10 or -5, found text "ten"`},
		{8, 49, "fees must be 0 or more"},
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(errs), len(want), errs)
	}
	for i, w := range want {
		if e := errs[i]; e.Line != w.line || e.Col != w.col || !strings.Contains(e.Msg, w.msg) || e.Snippet == "" {
			t.Errorf("error %d = %q, want %d:%d and %q", i, e.Error(), w.line, w.col, w.msg)
		}
	}
	if _, fe := Parse("h.yaml", []byte(src)); fe == nil || fe.Error() != errs[0].Error() {
		t.Errorf("Parse = %v, want ParseAll's first error", fe)
	}
}
