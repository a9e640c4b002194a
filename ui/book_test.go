package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

func bookSegment(file, name string, era watchlists.Era, syms ...string) watchlists.Segment {
	s := watchlists.Segment{File: file, Name: name, Era: era}
	for _, sym := range syms {
		s.Symbols = append(s.Symbols, watchlists.Symbol{Symbol: sym, Weight: 1})
	}
	return s
}

// bookSet has TSM in a training and an inference segment, and a segment the
// book does not touch (Power), which the segment list leaves out.
var bookSet = watchlists.Set{Source: "test", Segments: []watchlists.Segment{
	bookSegment("10-gpus.yaml", "GPUs", watchlists.Training, "NVDA", "TSM", "AMD"),
	bookSegment("20-edge.yaml", "Edge devices", watchlists.Inference, "TSM", "6758.T"),
	bookSegment("25-telecom.yaml", "Telecom", watchlists.Inference, "VOD.L"),
	bookSegment("30-bench.yaml", "Benchmarks", watchlists.Benchmark, "SPY"),
	bookSegment("40-power.yaml", "Power", watchlists.Training, "VST"),
}}

const bookFile = `positions:
  - {symbol: NVDA, quantity: 10, cost: 100, fees: 5, date: 2024-06-01}  # US long
  - {symbol: VOD.L, quantity: 1000, cost: 80, fees: 500}                # pence
  - {symbol: 6758.T, quantity: 100, cost: 3000}                         # yen
  - {symbol: SPY, quantity: -2, cost: 500, fees: 1}                     # a short
  - {symbol: TSM, quantity: 20, cost: 140}                              # training and inference
  - {symbol: PLTR, quantity: 5.5, cost: 80}                             # in no segment
  - {symbol: AMD, quantity: 3, cost: 150}                               # no quote
`

func bookQuote(sym string, price, prev float64, cur string) feeds.Quote {
	return feeds.Quote{Symbol: sym, Price: price, PreviousClose: prev, Currency: cur}
}

var bookQuotes = map[string]feeds.Quote{
	"NVDA":   bookQuote("NVDA", 120, 118, "USD"),
	"VOD.L":  bookQuote("VOD.L", 72, 70, "GBp"),
	"GBP=X":  bookQuote("GBP=X", 0.8, 0.8, "GBP"),
	"6758.T": bookQuote("6758.T", 3300, 3285, "JPY"),
	"JPY=X":  bookQuote("JPY=X", 150, 149, "JPY"),
	"SPY":    bookQuote("SPY", 550, 545, "USD"),
	"TSM":    bookQuote("TSM", 175, 170, "USD"),
	"PLTR":   bookQuote("PLTR", 100, 98, ""),
}

func bookFixture(t testing.TB) bookData {
	t.Helper()
	h, fe := book.Parse("/home/trader/.config/rotation/holdings.yaml", []byte(bookFile))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	return bookData{Book: book.Value(h, bookSet, bookQuotes, nil), Path: h.Path}
}

// bookMany is a book of n priced lots, S01, S02…, for scrolling.
func bookMany(t testing.TB, n int) bookData {
	t.Helper()
	var b strings.Builder
	b.WriteString("positions:\n")
	quotes := map[string]feeds.Quote{}
	for i := 1; i <= n; i++ {
		sym := fmt.Sprintf("S%02d", i)
		fmt.Fprintf(&b, "  - {symbol: %s, quantity: %d, cost: 10}\n", sym, i)
		quotes[sym] = bookQuote(sym, 11, 10.5, "USD")
	}
	h, fe := book.Parse("h.yaml", []byte(b.String()))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	return bookData{Book: book.Value(h, bookSet, quotes, nil), Path: h.Path}
}

func newTestBook(w, h int, d bookData) *bookView { return newThemedBook(true, w, h, d) }

func newThemedBook(dark bool, w, h int, d bookData) *bookView {
	s := NewStyles(dark)
	v := newBookView(&s)
	v.SetSize(w, h)
	v.SetData(d)
	return &v
}

func TestBookViewGolden(t *testing.T) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			v := newTestBook(size[0], size[1], bookFixture(t))
			requireFits(t, "book", v.View(), size[0], size[1])
			requireGolden(t, v.View())
		})
	}
}

func TestBookViewFitsEverySize(t *testing.T) {
	withErr := bookFixture(t)
	withErr.Err, withErr.Simulated = "holdings.yaml:3:5: quantity must be a number, not \"ten\"\nsnippet", true
	cases := map[string]bookData{"fixture": bookFixture(t), "error": withErr, "many": bookMany(t, 50),
		"empty": {Path: "/a/very/long/path/to/the/holdings/file/holdings.yaml"}}
	for name, d := range cases {
		for _, w := range []int{1, 2, 3, 10, 20, 40, 60, 61, 79, 80, 99, 100, 119, 120, 137, 200, 220} {
			for h := 1; h <= 70; h += 5 {
				v := newTestBook(w, h, d)
				requireFits(t, name, v.View(), w, h)
				v.Move(keyBottom, DefaultKeyMap())
				requireFits(t, name+" at the bottom", v.View(), w, h)
			}
		}
	}
}

// bookRows is the table's rows as plain text, between the titles and the hint.
func bookRows(v *bookView) (rows []string, hint string) {
	lines := strings.Split(ansi.Strip(v.View()), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "Symbol") {
			rows = lines[i+1:]
		}
	}
	if n := len(rows); n > 0 && strings.HasPrefix(rows[n-1], "rows ") {
		return rows[:n-1], rows[n-1]
	}
	return rows, ""
}

func TestBookViewScrolls(t *testing.T) {
	v := newTestBook(80, 24, bookMany(t, 40))
	k := DefaultKeyMap()
	first := func() string {
		rows, _ := bookRows(v)
		if len(rows) == 0 {
			t.Fatalf("no rows:\n%s", ansi.Strip(v.View()))
		}
		return strings.Fields(rows[0])[0]
	}
	rows, hint := bookRows(v)
	page := len(rows)
	if page < 3 || hint != fmt.Sprintf("rows 1–%d of 40", page) || first() != "S01" {
		t.Fatalf("%d rows, hint %q, first %s:\n%s", page, hint, first(), ansi.Strip(v.View()))
	}
	steps := []struct {
		do   func()
		want int // the first row shown, 1-based
	}{
		{func() { v.Move(keyDown, k) }, 2},
		{func() { v.Move(keyUp, k) }, 1},
		{func() { v.Move(keyUp, k) }, 1}, // stays at the top
		{func() { v.Move(keyPgDown, k) }, 1 + page},
		{func() { v.Move(keyPgUp, k) }, 1},
		{func() { v.Move(keyBottom, k) }, 41 - page},
		{func() { v.Move(keyDown, k) }, 41 - page}, // stays at the bottom
		{func() { v.ScrollBy(-3) }, 38 - page},
		{func() { v.SetData(bookMany(t, 40)) }, 38 - page}, // a refresh keeps the place
		{func() { v.Move(keyTop, k) }, 1},
		{func() { v.ScrollBy(1000) }, 41 - page},
	}
	for i, s := range steps {
		s.do()
		rows, hint := bookRows(v)
		want := fmt.Sprintf("S%02d", s.want)
		if got := first(); got != want {
			t.Fatalf("step %d: first row %s, want %s", i, got, want)
		}
		if wantHint := fmt.Sprintf("rows %d–%d of 40", s.want, s.want+len(rows)-1); hint != wantHint {
			t.Fatalf("step %d: hint %q, want %q", i, hint, wantHint)
		}
	}
	v.SetSize(80, 30) // a taller screen shows more rows, still ending at the last
	if rows, hint := bookRows(v); len(rows) <= page || hint != fmt.Sprintf("rows %d–40 of 40", 41-len(rows)) {
		t.Errorf("at 80x30: %d rows, hint %q", len(rows), hint)
	}
	v.SetSize(80, 70) // everything fits: no hint, from the top
	if rows, hint := bookRows(v); len(rows) != 40 || hint != "" || first() != "S01" {
		t.Errorf("at 80x70: %d rows, hint %q", len(rows), hint)
	}
}

func TestBookViewEmptySaysHowToAdd(t *testing.T) {
	h, fe := book.Parse("/tmp/h.yaml", []byte("positions: []\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	d := bookData{Book: book.Value(h, bookSet, nil, nil), Path: h.Path}
	v := newTestBook(80, 24, d)
	want := "no positions: add them to /tmp/h.yaml (see the README, Holdings)"
	if got := ansi.Strip(v.View()); got != want {
		t.Errorf("empty book at 80:\n%q\nwant\n%q", got, want)
	}
	v.SetSize(30, 24) // wrapped, not cut
	if got := strings.Join(strings.Fields(ansi.Strip(v.View())), " "); got != want {
		t.Errorf("empty book at 30: %q", got)
	}
	requireFits(t, "empty", v.View(), 30, 24)
}

func TestBookViewErrorAndSimulated(t *testing.T) {
	d := bookFixture(t)
	d.Simulated, d.Err = true, "holdings.yaml:3:5: quantity must be a number\n   3 | - {symbol: X}"
	for _, w := range []int{40, 80, 200} {
		v := newTestBook(w, 24, d)
		lines := strings.Split(ansi.Strip(v.View()), "\n")
		if !strings.HasPrefix(lines[0], "SIMULATED prices") {
			t.Errorf("at %d the first line is %q", w, lines[0])
		}
		if !strings.Contains(lines[1], "holdings.yaml:3:5: quantity") || strings.Contains(v.View(), "3 |") {
			t.Errorf("at %d the error line is %q", w, lines[1])
		}
		if !strings.Contains(ansi.Strip(v.View()), "NVDA") {
			t.Errorf("at %d the last good book is gone", w)
		}
	}
}

// TestBookViewColumnsDropRightToLeft: at 80 columns the figures that say what
// a lot is worth stay; Cost, Ccy, Note and Day USD come back as it widens.
func TestBookViewColumnsDropRightToLeft(t *testing.T) {
	header := func(w int) string {
		for _, l := range strings.Split(ansi.Strip(newTestBook(w, 40, bookFixture(t)).View()), "\n") {
			if strings.HasPrefix(l, "Symbol") {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		return ""
	}
	if got, want := header(80), "Symbol Qty Price Value USD P&L USD P&L % Weight Era"; got != want {
		t.Errorf("at 80: %q, want %q", got, want)
	}
	if got, want := header(200), "Symbol Qty Cost Price Ccy Value USD P&L USD P&L % Day USD Weight Era Note"; got != want {
		t.Errorf("at 200: %q, want %q", got, want)
	}
	if got, want := header(30), "Symbol Value USD P&L USD"; got != want {
		t.Errorf("at 30: %q, want %q", got, want)
	}
}

// bookSGR matches the styling the view is allowed to emit; anything else that
// starts an escape came from the data.
var bookSGR = regexp.MustCompile("\x1b\\[[0-9;:]*m")

func TestBookViewCleansHostileText(t *testing.T) {
	evil := "\x1b]52;c;ZXZpbA==\x07\x1b[2J\u009b31m"
	d := bookFixture(t)
	p := &d.Book.Positions[0]
	p.Symbol, p.Currency = evil+"EVIL", "US"+evil+"D"
	p.Flags = []string{"bad " + evil + "flag"}
	d.Book.ExposureBySegment[0].Name = evil + "SEGNAME"
	d.Path, d.Err = "/tmp/"+evil+"h.yaml", "broken "+evil+"file"
	empty := bookData{Path: d.Path, Err: d.Err}
	for _, dd := range []bookData{d, empty} {
		for _, w := range []int{80, 200} {
			out := bookSGR.ReplaceAllString(newTestBook(w, 40, dd).View(), "")
			if strings.ContainsAny(out, "\x1b\x07\u009b") {
				t.Errorf("at %d an escape survived: %q", w, out)
			}
			for _, want := range []string{"h.yaml", "broken file"} {
				if !strings.Contains(out, want) {
					t.Errorf("at %d %q is missing:\n%s", w, want, out)
				}
			}
		}
	}
	out := ansi.Strip(newTestBook(200, 40, d).View())
	for _, want := range []string{"EVIL", "US", "bad ", "SEGNAME"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q is missing:\n%s", want, out)
		}
	}
}

// TestBookViewUnpricedShowsWhy: an unpriced lot has dashes for its figures
// and its flag in the note; it counts in "k of n priced".
func TestBookViewUnpricedShowsWhy(t *testing.T) {
	out := ansi.Strip(newTestBook(200, 60, bookFixture(t)).View())
	if !strings.Contains(out, "6 of 7 priced") {
		t.Errorf("no coverage:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "AMD ") {
			f := strings.Fields(l)
			if !strings.HasSuffix(l, "no quote for AMD") || strings.Count(l, dash) != 6 || f[1] != "3" {
				t.Errorf("AMD row %q", l)
			}
			return
		}
	}
	t.Errorf("no AMD row:\n%s", out)
}

// TestBookViewRedrawsWhenThemeChanges: Restyle redraws the cached lines in
// the new theme without waiting for the next refresh.
func TestBookViewRedrawsWhenThemeChanges(t *testing.T) {
	v := newTestBook(120, 40, bookFixture(t))
	dark := v.View()
	*v.styles = NewStyles(false)
	v.Restyle()
	if light := newThemedBook(false, 120, 40, bookFixture(t)).View(); v.View() != light || light == dark {
		t.Error("the view kept the dark theme's colours")
	}
}
