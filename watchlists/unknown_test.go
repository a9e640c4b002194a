package watchlists

import (
	"fmt"
	"strings"
	"testing"
)

// wantErr is one error ParseAll must give: where, and a piece of its message.
type wantErr struct {
	line, col int
	msg       string
}

// checkAll fails unless errs are exactly wants, in order, each with its
// source line marked.
func checkAll(t *testing.T, errs []*FileError, wants []wantErr) {
	t.Helper()
	if len(errs) != len(wants) {
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		t.Fatalf("got %d errors, want %d:\n%s", len(errs), len(wants), strings.Join(got, "\n"))
	}
	for i, w := range wants {
		e := errs[i]
		if e.Line != w.line || e.Col != w.col || !strings.Contains(e.Msg, w.msg) {
			t.Errorf("error %d = %q, want %d:%d and %q", i, e.Error(), w.line, w.col, w.msg)
		}
		if marker := fmt.Sprintf(">%3d | ", w.line); !strings.Contains(e.Snippet, marker) {
			t.Errorf("error %d does not mark line %d:\n%s", i, w.line, e.Snippet)
		}
	}
}

// TestParseAllReportsEveryProblem: an unknown key no longer hides the
// rest of the file, and counts as absent (hence "name is required").
func TestParseAllReportsEveryProblem(t *testing.T) {
	src := "nmae: GPUs\n" +
		"era: traning\n" +
		"symbols:\n" +
		"  - NVDA\n" +
		"  - \"bad sym!\"\n"
	_, errs := ParseAll("w/10-gpus.yaml", []byte(src))
	checkAll(t, errs, []wantErr{
		{1, 1, `unknown field "nmae": did you mean name?`},
		{1, 1, "name is required"},
		{2, 6, `era "traning" is not one of training, inference, benchmark`},
		{5, 5, `symbol "BAD SYM!" is not a Yahoo symbol`},
	})
	if _, fe := Parse("w/10-gpus.yaml", []byte(src)); fe == nil || fe.Error() != errs[0].Error() {
		t.Errorf("Parse = %v, want ParseAll's first error", fe)
	}
}

// TestParseAllTypeErrors: a value of the wrong type is reported at that
// value, beside every other problem, and is not also called missing.
func TestParseAllTypeErrors(t *testing.T) {
	src := "name: [a, b]\n" +
		"description: {x: 1}\n" +
		"era: [training]\n" +
		"symbols:\n" +
		"  - symbol: AMD\n" +
		"    weight: half\n" +
		"    nam: x\n" +
		"  - {symbol: 'c d', weight: 0, notes: x}\n" +
		"  - symbl: AVGO\n"
	_, errs := ParseAll("w/a.yaml", []byte(src))
	checkAll(t, errs, []wantErr{
		{1, 7, "name: expected text, found a list"},
		{2, 14, "description: expected text, found a mapping"},
		{3, 6, "era: expected text, found a list"},
		{6, 13, "weight: expected a number, found text"},
		{7, 5, `unknown field "nam": did you mean name?`},
		{8, 14, `symbol "C D" is not a Yahoo symbol`},
		{8, 29, "weight must be a number greater than 0"},
		{8, 32, `unknown field "notes": did you mean note?`},
		{9, 5, `unknown field "symbl": did you mean symbol?`},
		{9, 5, "symbol entry has no symbol"},
	})
}

func TestUnknownKeyMessages(t *testing.T) {
	for _, tt := range []struct{ key, msg string }{
		{"nmae", `unknown field "nmae": did you mean name?`},                         // swapped letters
		{"Name", `unknown field "Name": did you mean name?`},                         // keys are lower case
		{"descripton", `did you mean description?`},                                  // a letter left out
		{"symbol", `did you mean symbols?`},                                          // the entry key at the top
		{"eras", `did you mean era?`},                                                // one letter more
		{"note", `in a watchlist, which has name:, era:, description: and symbols:`}, // too far from name
		{"1", `unknown field "1" in a watchlist`},                                    // not text: the decoder used to blank the file
	} {
		src := "name: GPUs\nera: training\n" + tt.key + ": x\nsymbols: [NVDA]\n"
		if tt.key == "Name" {
			src = "name: GPUs\nera: training\nName: x\nsymbols: [NVDA]\n"
		}
		_, errs := ParseAll("w/a.yaml", []byte(src))
		checkAll(t, errs, []wantErr{{3, 1, tt.msg}})
	}
}

// TestSyntaxErrorSaysWhatToDo: a syntax error is the file's only error, so
// its message says how to fix it and that the rest waits for that.
func TestSyntaxErrorSaysWhatToDo(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		line, col int
		hint      string
	}{
		{"tab", "nmae: GPUs\nera: training\nsymbols:\n\t- NVDA\n", 4, 1, "indent with spaces, not tabs"},
		{"unclosed quote", "name: \"GPUs\nera: x\n", 1, 7, "close the quote"},
		{"unclosed list", "name: GPUs\nera: training\nsymbols: [NVDA, AMD\n", 3, 10, "close the list with ]"},
		{"key given twice", "name: GPUs\nera: training\nera: x\n", 3, 1, "keep one of the two"},
		{"colon in a value", "name: GPUs: the rest\nera: training\n", 1, 7, `quote a value holding ": "`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseAll("w/a.yaml", []byte(tt.src))
			checkAll(t, errs, []wantErr{{tt.line, tt.col, tt.hint}})
			if !strings.Contains(errs[0].Msg, "a YAML syntax error: the rest of the file is checked once it is fixed") {
				t.Errorf("message does not say the rest waits: %q", errs[0].Msg)
			}
		})
	}
	// Errors found after parsing are not syntax errors.
	_, errs := ParseAll("w/a.yaml", []byte("name: GPUs\nera: x\nsymbols: [NVDA]\n"))
	if len(errs) != 1 || strings.Contains(errs[0].Msg, "syntax") {
		t.Errorf("errs = %v", errs)
	}
}

// TestAliasesStillDecode: anchors and aliases stay allowed in watchlists;
// the decoder resolves them, and an unknown key is still one among others.
func TestAliasesStillDecode(t *testing.T) {
	src := "name: &n GPUs\ndescription: *n\nera: training\nsymbols: [NVDA]\n"
	seg, fe := Parse("w/a.yaml", []byte(src))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	if seg.Name != "GPUs" || seg.Description != "GPUs" {
		t.Errorf("got %+v", seg)
	}
	_, errs := ParseAll("w/a.yaml", []byte(src+"<<: {era: x}\nsymbols2: x\n"))
	checkAll(t, errs, []wantErr{
		{5, 1, `unknown field "<<" in a watchlist`},
		{6, 1, `unknown field "symbols2": did you mean symbols?`},
	})
}

func TestNearest(t *testing.T) {
	known := []string{"symbol", "quantity", "cost", "fees", "date"}
	for name, want := range map[string]string{
		"symbl": "symbol", "quanity": "quantity", "qauntity": "quantity", "cots": "cost", "fee": "fees",
		"note": "", "price": "", "x": "", "": "", strings.Repeat("quantity", 20): "",
	} {
		if got := nearest(name, known); got != want {
			t.Errorf("nearest(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestCheckNamesEachLineOnce: a typo'd key and the key it leaves missing
// share a line, which the table names once.
func TestCheckNamesEachLineOnce(t *testing.T) {
	_, errs := ParseAll("w/10-gpus.yaml", []byte("nmae: GPUs\nera: traning\nsymbols: [NVDA]\n"))
	rows := checkRows(Set{Source: "w"}, errs)
	if len(rows) != 1 || !strings.HasSuffix(rows[0], "errors at lines 1, 2") {
		t.Errorf("rows = %q", rows)
	}
}
