package events

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

// sample is the contract's example file.
const sample = `- date: 2025-01-27
  label: DeepSeek-R1 sell-off
  symbols: [nvda]          # only on NVDA's charts
- date: 2023-05-24
  label: Nvidia guides data-centre revenue far above estimates
`

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseSample(t *testing.T) {
	evs, fe := Parse("events.yaml", []byte(sample))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	want := []Event{
		{Date: day("2025-01-27"), Label: "DeepSeek-R1 sell-off", Symbols: []string{"NVDA"}, Source: SourceFile, Line: 1},
		{Date: day("2023-05-24"), Label: "Nvidia guides data-centre revenue far above estimates", Source: SourceFile, Line: 4},
	}
	if len(evs) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		e := evs[i]
		if !e.Date.Equal(w.Date) || e.Label != w.Label || !slices.Equal(e.Symbols, w.Symbols) || e.Source != w.Source || e.Line != w.Line {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
	}
	for _, src := range []string{"", "# nothing yet\n", "[]\n", "~\n"} {
		if evs, fe := Parse("events.yaml", []byte(src)); fe != nil || len(evs) != 0 {
			t.Errorf("%q: %d events, %v; want none and no error", src, len(evs), fe)
		}
	}
}

// TestParseAllErrorsAtPositions: every problem of the file, each at its
// file:line:col, in file order.
func TestParseAllErrorsAtPositions(t *testing.T) {
	src := "- date: 2025-01-27\n" +
		"  lable: DeepSeek\n" + //                          line 2
		"- date: 2025-02-30\n" + //                         line 3
		"  label: Not a day\n" +
		"- date: 2024-01-01\n" +
		"  label: '  '\n" + //                              line 6
		"- {date: 2024-02-01, label: X, symbols: [NVDA, 'A B', nvda]}\n" + // line 7
		"- date: 2025-01-27\n" + //                         line 8
		"  label: ChatGPT\n" +
		"- date: 2025-01-27\n" + //                         line 10
		"  label: chatgpt\n" +
		"-\n" + //                                          line 12
		"- date: 2024-03-01\n" +
		"  label: Y\n" +
		"  symbols: NVDA\n" //                              line 15
	_, errs := ParseAll("events.yaml", []byte(src))
	want := []struct {
		line, col int
		msg       string
	}{
		{2, 3, `unknown field "lable": did you mean label?`},
		{2, 3, "event has no label"},
		{3, 9, "date must be a calendar date written YYYY-MM-DD"},
		{6, 10, "label is empty"},
		{7, 48, `symbol "A B" is not a Yahoo symbol`},
		{7, 55, "NVDA is listed twice"},
		{10, 3, "repeats the one at line 8"},
		{12, 1, "empty event"},
		{15, 12, "symbols must be a list"},
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(errs), len(want), errs)
	}
	for i, w := range want {
		if e := errs[i]; e.Path != "events.yaml" || e.Line != w.line || e.Col != w.col || !strings.Contains(e.Msg, w.msg) || e.Snippet == "" {
			t.Errorf("error %d = %q, want %d:%d and %q", i, e.Error(), w.line, w.col, w.msg)
		}
	}
	if _, fe := Parse("events.yaml", []byte(src)); fe == nil || fe.Error() != errs[0].Error() {
		t.Errorf("Parse = %v, want ParseAll's first error", fe)
	}
}

func TestParseWholeFileErrors(t *testing.T) {
	for _, tt := range []struct{ src, msg string }{
		{"date: 2025-01-27\nlabel: x\n", "must be a list of events"},
		{"- &a {date: 2025-01-27, label: x}\n- *a\n", "anchors and aliases"},
		{"- date: 2025-01-27\n\tlabel: x\n", "YAML syntax error"},
		{"- {date: 2025-01-27, label: x}\n---\n- {date: 2025-01-28, label: y}\n", "only one YAML document"},
	} {
		_, errs := ParseAll("events.yaml", []byte(tt.src))
		if len(errs) != 1 || !strings.Contains(errs[0].Msg, tt.msg) || errs[0].Line < 1 {
			t.Errorf("%q: %v, want one positioned error containing %q", tt.src, errs, tt.msg)
		}
	}
}

// TestBuiltinIsDefaultFile: what init writes is what runs without a file.
func TestBuiltinIsDefaultFile(t *testing.T) {
	evs, fe := Parse("events.yaml", []byte(DefaultFile))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	b := Builtin()
	if len(evs) != len(b) || len(b) != 3 {
		t.Fatalf("DefaultFile has %d events, Builtin %d; want 3 each", len(evs), len(b))
	}
	for i := range b {
		if !evs[i].Date.Equal(b[i].Date) || evs[i].Label != b[i].Label || len(evs[i].Symbols) != len(b[i].Symbols) || b[i].Source != SourceBuiltin {
			t.Errorf("event %d: file %+v, built-in %+v", i, evs[i], b[i])
		}
	}
}

func TestIn(t *testing.T) {
	evs := []Event{
		{Date: day("2025-01-27"), Label: "c"},
		{Date: day("2022-11-30"), Label: "a"},
		{Date: day("2025-01-10"), Label: "b"},
	}
	// Both ends count, by calendar date: an as-of time late in the day
	// still holds that day's events.
	got := In(evs, day("2025-01-10"), time.Date(2025, 1, 27, 15, 0, 0, 0, time.UTC))
	if len(got) != 2 || got[0].Label != "b" || got[1].Label != "c" {
		t.Errorf("In = %+v, want b then c", got)
	}
	if got := In(evs, day("2025-01-28"), day("2025-02-10")); len(got) != 0 {
		t.Errorf("In = %+v, want none", got)
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	if _, fe := Read(filepath.Join(dir, "events.yaml")); fe == nil || !strings.Contains(fe.Msg, "no events file") {
		t.Errorf("missing file: %v", fe)
	}
	if _, fe := Read(dir); fe == nil || !strings.Contains(fe.Msg, "directory") {
		t.Errorf("directory: %v", fe)
	}
	path := filepath.Join(dir, "events.yaml")
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, fe := Read(path); fe != nil || string(data) != sample {
		t.Errorf("Read = %q, %v", data, fe)
	}
	if got := DefaultPath(func(k string) string { return map[string]string{"XDG_CONFIG_HOME": "/x"}[k] }); got != filepath.Join("/x", "rotation", "events.yaml") {
		t.Errorf("DefaultPath = %q", got)
	}
}

// FuzzParse: whatever the user types, ParseAll returns events or positioned
// errors, never a panic (which it would turn into a 1:1 crash report).
func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add(DefaultFile)
	f.Add("- {date: 2025-01-27, lable: x, symbols: [NVDA, 'a b', NVDA]}\n-\n- date: 2025-13-01\n")
	f.Fuzz(func(t *testing.T, src string) {
		evs, errs := ParseAll("events.yaml", []byte(src))
		for _, fe := range errs {
			if fe.Path != "events.yaml" || fe.Line < 1 || fe.Col < 1 || fe.Msg == "" || strings.HasPrefix(fe.Msg, watchlists.ParserCrashed) {
				t.Fatalf("malformed error %#v", fe)
			}
		}
		for _, e := range evs {
			if e.Line < 1 || e.Date.IsZero() || strings.TrimSpace(e.Label) == "" || e.Source != SourceFile {
				t.Fatalf("accepted a malformed event %+v", e)
			}
			for _, s := range e.Symbols {
				if !watchlists.ValidSymbol(s) {
					t.Fatalf("accepted symbol %q", s)
				}
			}
		}
	})
}
