package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
)

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {160, 48}, {200, 60}}

func newTestSegment(dark bool, w, h int, d segmentData) *segmentView {
	s := NewStyles(dark)
	v := newSegmentView(&s)
	v.SetSize(w, h)
	v.SetData(d)
	return &v
}

var (
	keyDown   = tea.KeyPressMsg{Code: tea.KeyDown}
	keyUp     = tea.KeyPressMsg{Code: 'k', Text: "k"}
	keyPgDown = tea.KeyPressMsg{Code: tea.KeyPgDown}
	keyPgUp   = tea.KeyPressMsg{Code: tea.KeyPgUp}
	keyBottom = tea.KeyPressMsg{Code: 'G', Text: "G"}
	keyTop    = tea.KeyPressMsg{Code: 'g', Text: "g"}
)

func TestSegmentViewGolden(t *testing.T) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			v := newTestSegment(true, size[0], size[1], segFixture())
			v.Move(keyDown, DefaultKeyMap())
			requireGolden(t, v.View())
		})
	}
}

func TestSegmentViewLightGolden(t *testing.T) {
	v := newTestSegment(false, 120, 40, segFixture())
	v.CycleSort()
	requireGolden(t, v.View())
}

// rowsOf returns the table's symbol rows as plain text, in display order.
func rowsOf(v *segmentView) []string {
	lines := strings.Split(ansi.Strip(v.View()), "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "Symbol") {
			rows := lines[i+1:]
			if end := slices.Index(rows, ""); end >= 0 { // the blank line over the chart
				rows = rows[:end]
			}
			return rows
		}
	}
	return nil
}

// rowSymbol is the symbol of a table row: after the gutter and the marker.
func rowSymbol(row string) string {
	fields := strings.Fields(strings.TrimPrefix(row, "›"))
	if len(fields) < 2 {
		return ""
	}
	return fields[1]
}

func symbolsOf(v *segmentView) []string {
	var out []string
	for _, l := range rowsOf(v) {
		out = append(out, rowSymbol(l))
	}
	return out
}

func TestSegmentSortCycles(t *testing.T) {
	v := newTestSegment(true, 200, 60, segFixture())
	want := []struct {
		label   string
		symbols []string
	}{
		{"sort: file order", []string{"NVDA", "AVGO", "MRVL", "6857.T", "000660.KS", "2317.TW", "3661.TW", "ALAB", "ZZZZ"}},
		{"sort: 1M return", []string{"6857.T", "NVDA", "2317.TW", "MRVL", "AVGO", "000660.KS", "3661.TW", "ALAB", "ZZZZ"}},
		{"sort: day change %", []string{"NVDA", "MRVL", "2317.TW", "3661.TW", "6857.T", "AVGO", "000660.KS", "ALAB", "ZZZZ"}},
		{"sort: symbol", []string{"000660.KS", "2317.TW", "3661.TW", "6857.T", "ALAB", "AVGO", "MRVL", "NVDA", "ZZZZ"}},
		{"sort: file order", []string{"NVDA", "AVGO", "MRVL", "6857.T", "000660.KS", "2317.TW", "3661.TW", "ALAB", "ZZZZ"}},
	}
	for i, w := range want {
		if i > 0 {
			v.CycleSort()
		}
		if got := symbolsOf(v); !slices.Equal(got, w.symbols) {
			t.Errorf("step %d: rows %v, want %v", i, got, w.symbols)
		}
		if !strings.Contains(ansi.Strip(v.View()), w.label) {
			t.Errorf("step %d: no %q on screen", i, w.label)
		}
		if v.Selected() != "NVDA" {
			t.Errorf("step %d: selected %q, want NVDA kept across sorts", i, v.Selected())
		}
	}
}

// selectedRow is the on-screen row carrying the selection gutter.
func selectedRow(t *testing.T, v *segmentView) string {
	t.Helper()
	var found []string
	for _, l := range rowsOf(v) {
		if strings.HasPrefix(l, "›") {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one selected row on screen, got %d:\n%s", len(found), ansi.Strip(v.View()))
	}
	return found[0]
}

func TestSegmentMoveScrollsToKeepSelectionVisible(t *testing.T) {
	d := segManyRows(40)
	v := newTestSegment(true, 100, 16, d) // 12 rows visible
	k := DefaultKeyMap()
	page := v.visibleRows()
	if page != 12 {
		t.Fatalf("visible rows %d, want 12 at height 16", page)
	}
	steps := []struct {
		key  tea.KeyPressMsg
		want int
	}{
		{keyDown, 1}, {keyDown, 2}, {keyUp, 1}, {keyUp, 0}, {keyUp, 0},
		{keyPgDown, page}, {keyPgDown, 2 * page}, {keyPgUp, page},
		{keyBottom, 39}, {keyDown, 39}, {keyPgUp, 39 - page}, {keyTop, 0},
	}
	for i, s := range steps {
		v.Move(s.key, k)
		want := fmt.Sprintf("SYM%d", s.want)
		if v.Selected() != want {
			t.Fatalf("step %d (%s): selected %s, want %s", i, s.key, v.Selected(), want)
		}
		if row := selectedRow(t, v); !strings.Contains(row, want+" ") {
			t.Fatalf("step %d: selected row on screen is %q, want %s", i, row, want)
		}
		if n := len(strings.Split(v.View(), "\n")); n > 16 {
			t.Fatalf("step %d: %d lines for a height of 16", i, n)
		}
		pos := fmt.Sprintf("%d/40", s.want+1)
		if !strings.Contains(ansi.Strip(v.View()), pos) {
			t.Errorf("step %d: position %s not shown", i, pos)
		}
	}
}

func TestSegmentSelectionKeptAcrossRefreshAndResort(t *testing.T) {
	d := segFixture()
	v := newTestSegment(true, 120, 40, d)
	v.CycleSort() // by range return
	for v.Selected() != "000660.KS" {
		v.Move(keyDown, DefaultKeyMap())
	}
	// The refresh moves SK hynix from worst to best.
	d = segFixture()
	d.Segment.Symbols[4].RangeReturn = baskets.Some(30)
	v.SetData(d)
	if v.Selected() != "000660.KS" {
		t.Fatalf("selected %q after refresh, want 000660.KS", v.Selected())
	}
	if got := symbolsOf(v)[0]; got != "000660.KS" {
		t.Errorf("first row %q, want 000660.KS re-sorted to the top", got)
	}
	if row := selectedRow(t, v); !strings.Contains(row, "000660.KS") {
		t.Errorf("selected row %q, want 000660.KS", row)
	}
	// When the selected symbol leaves the watchlist the position is kept.
	d.Segment.Symbols = slices.Delete(d.Segment.Symbols, 4, 5)
	v.SetData(d)
	if v.Selected() == "" || v.Selected() == "000660.KS" {
		t.Errorf("selected %q after its symbol was removed", v.Selected())
	}
}

func TestSegmentRowsSayWhyDataIsMissing(t *testing.T) {
	v := newTestSegment(true, 200, 60, segFixture())
	screen := ansi.Strip(v.View())
	for sym, reason := range map[string]string{
		"ZZZZ":    "no data: the feed does not know this symbol",
		"ALAB":    "no quote yet",
		"3661.TW": "no 1M series: the feed sent no bars",
		"MRVL":    "3m old",
	} {
		row := lineWith(screen, sym)
		if !strings.Contains(row, reason) {
			t.Errorf("%s row %q does not say %q", sym, row, reason)
		}
	}
	if strings.Contains(v.View(), "pwned") || !strings.Contains(screen, "Broadcom Inc.") {
		t.Errorf("the feed's name was not cleaned: %q", lineWith(v.View(), "AVGO"))
	}
	if row := lineWith(screen, "NVDA"); !strings.Contains(row, "PRE 120.10 ▲ +1.32%") || !strings.Contains(row, "◐") {
		t.Errorf("NVDA row %q lacks its pre-market price or marker", row)
	}
}

func lineWith(screen, sym string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, " "+sym+" ") {
			return l
		}
	}
	return ""
}

func TestSegmentAgesStaleQuotesEverySecond(t *testing.T) {
	v := newTestSegment(true, 120, 40, segFixture())
	before := lineWith(ansi.Strip(v.View()), "NVDA")
	v.SetNow(segNow.Add(70 * time.Second))
	screen := ansi.Strip(v.View())
	if row := lineWith(screen, "MRVL"); !strings.Contains(row, "4m old") {
		t.Errorf("MRVL row %q, want 4m old", row)
	}
	if row := lineWith(screen, "NVDA"); row != before {
		t.Errorf("NVDA was fresh at 20s and still is at 90s: %q", row)
	}
	v.SetNow(segNow.Add(140 * time.Second)) // NVDA's quote is now 160s old
	if row := lineWith(ansi.Strip(v.View()), "NVDA"); !strings.Contains(row, "2m old") {
		t.Errorf("NVDA row %q, want 2m old once past StaleAfter", row)
	}
}

// Columns stay aligned whatever the width of the name's characters: every
// price's decimal point (or, without one, its end) stands in one column.
func TestSegmentColumnsAlignWithWideNames(t *testing.T) {
	for _, w := range []int{80, 95, 96, 97, 120, 200} {
		v := newTestSegment(true, w, 40, segFixture())
		points := map[int][]string{}
		for _, l := range rowsOf(v) {
			sym := rowSymbol(l)
			if segPrice(sym) == 0 {
				continue // a greyed row
			}
			last := fmtPrice(segPrice(sym))
			i := strings.Index(l, " "+last+" ")
			whole, _, _ := strings.Cut(last, ".")
			at := ansi.StringWidth(l[:i+1+len(whole)])
			points[at] = append(points[at], sym)
		}
		if len(points) != 1 {
			t.Errorf("width %d: the Last column's decimal points stand at different columns: %v", w, points)
		}
	}
	for _, w := range []int{1, 2, 3, 4, 5, 7, 9} {
		if got := ansi.StringWidth(padRight("鴻海精密工業", w)); got != w {
			t.Errorf("padRight to %d cells gave %d", w, got)
		}
	}
}

func segPrice(sym string) float64 {
	for _, m := range segMembers {
		if m.sym == sym {
			return m.price
		}
	}
	return 0
}

// Arrows carry direction without colour.
func TestSegmentDirectionReadsWithoutColour(t *testing.T) {
	v := newTestSegment(true, 120, 40, segFixture())
	screen := ascii(t, v.View())
	for sym, arrow := range map[string]string{"NVDA": "▲ +2.41%", "AVGO": "▼ -1.19%", "000660.KS": "▼ -5.20%", "6857.T": "▲ +8.90%"} {
		if row := lineWith(ansi.Strip(screen), sym); !strings.Contains(row, arrow) {
			t.Errorf("%s row %q lacks %q", sym, row, arrow)
		}
	}
}

func TestSegmentViewFitsEverySize(t *testing.T) {
	d := segFixture()
	for w := 60; w <= 220; w += 7 {
		for h := 1; h <= 70; h += 3 {
			v := newTestSegment(true, w, h, d)
			v.Move(keyBottom, DefaultKeyMap())
			requireFits(t, "segment", v.View(), w, h)
		}
	}
}

func requireFits(t *testing.T, what, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("%s at %dx%d: %d lines", what, w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s at %dx%d: line %d is %d wide: %q", what, w, h, i, lw, ansi.Strip(l))
		}
	}
}

func benchmarkSegmentView(b *testing.B, rows int) {
	v := newTestSegment(true, 200, 60, segManyRows(rows))
	v.Move(keyDown, DefaultKeyMap())
	b.ReportAllocs()
	for b.Loop() {
		_ = v.View()
	}
}

func BenchmarkSegmentView(b *testing.B)        { benchmarkSegmentView(b, 10) }
func BenchmarkSegmentView500(b *testing.B)     { benchmarkSegmentView(b, 500) }
func BenchmarkSegmentViewSetNow(b *testing.B)  { benchmarkSegmentSetNow(b, 70) }
func BenchmarkSegmentViewSetData(b *testing.B) { benchmarkSegmentSetData(b, 70) }

func benchmarkSegmentSetNow(b *testing.B, rows int) {
	v := newTestSegment(true, 200, 60, segManyRows(rows))
	b.ReportAllocs()
	now := segNow
	for b.Loop() {
		now = now.Add(time.Second)
		v.SetNow(now)
		_ = v.View()
	}
}

func benchmarkSegmentSetData(b *testing.B, rows int) {
	d := segManyRows(rows)
	v := newTestSegment(true, 200, 60, d)
	b.ReportAllocs()
	for b.Loop() {
		v.SetData(d)
	}
}
