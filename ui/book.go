package ui

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/watchlists"
)

// bookData is what the Book tab draws.
type bookData struct {
	Book      book.Book
	Path      string // the holdings file, shown muted in the header line
	Simulated bool   // prices are simulated: the view says so
	Err       string // the holdings file's current error ("" when fine); the last good book is still shown
}

// bookView is the valued holdings file: totals, exposure by era and by
// segment, then the positions table. Lines are rendered when the data or
// the size changes, so a frame only joins the visible ones.
type bookView struct {
	styles        *Styles
	width, height int
	data          bookData
	top           []string // every line above the table
	header        string
	rows          []string // one per position, in file order
	room          int      // table rows shown at once
	offset        int      // first row shown
}

// bookCols are the table's columns in display order; drop is when one goes
// as the width shrinks, least useful first (0: what a lot is worth stays).
var bookCols = [numBookCols]struct {
	title string
	right bool
	drop  int
}{
	{"Symbol", false, 0}, {"Qty", true, 6}, {"Cost", true, 1}, {"Price", true, 5}, {"Ccy", false, 2},
	{"Value USD", true, 0}, {"P&L USD", true, 0}, {"P&L %", true, 9}, {"Day USD", true, 4},
	{"Weight", true, 8}, {"Era", false, 7}, {"Note", false, 3},
}

const (
	numBookCols, noteCol = 12, 11
	noteMin              = 12 // a flag cut shorter than this no longer says anything
	eraLabelW            = 12 // "unclassified"
	eraFixed             = eraLabelW + 1 + 1 + 7
	barMax               = 40
	sideGap              = 4
	segFixed             = 2 + 9 + 1 + 7 + 2 + 8 // a segment line after its name: era, percent, value
)

func newBookView(s *Styles) bookView { return bookView{styles: s} }

func (v *bookView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.render()
}

// SetData keeps the scroll position: a refresh must not jump the table.
func (v *bookView) SetData(d bookData) {
	v.data = d
	v.render()
}

// Move scrolls the positions through the key map's bindings.
func (v *bookView) Move(msg tea.KeyPressMsg, k KeyMap) {
	if n, ok := movement(msg, k, max(v.room, 1), len(v.rows)); ok {
		v.ScrollBy(n)
	}
}

// ScrollBy moves the first visible row by n, staying within the table.
func (v *bookView) ScrollBy(n int) {
	v.offset = min(max(v.offset+n, 0), max(len(v.rows)-v.room, 0))
}

func (v *bookView) render() {
	defer v.ScrollBy(0) // keep the offset within the new table
	s, n := v.styles, len(v.data.Book.Positions)
	v.top, v.rows, v.header, v.room = nil, nil, "", 0
	if n > 0 {
		v.top = append(v.top, v.totalsLine())
	}
	if v.data.Err != "" { // its first line: `rotation check` prints the whole report
		msg := clean(strings.SplitN(v.data.Err, "\n", 2)[0])
		if more := msg + " (showing the last good book)"; n > 0 && ansi.StringWidth(more) <= v.width-2 {
			msg = more
		}
		v.top = append(v.top, truncate(s.Banner.Render(truncate(msg, v.width-2)), v.width))
	}
	if n == 0 {
		msg := "no positions: add them to " + cmp.Or(clean(v.data.Path), "your holdings file") +
			" (see the README, Holdings)"
		for _, l := range strings.Split(ansi.Wrap(msg, max(v.width, 1), ""), "\n") {
			v.top = append(v.top, s.Muted.Render(truncate(l, v.width)))
		}
		return
	}
	v.renderTable()
	v.planHeight()
}

// planHeight shares the lines below the totals. The table keeps three rows
// whatever happens, then the era block shows; segments get the lines a
// complete table leaves, and beside the eras four come free.
func (v *bookView) planHeight() {
	n := len(v.rows)
	gap := min(v.height/20, 1) // blank lines around the block from 20 lines up
	// The segments the book touches, largest share first.
	var segs []book.SegmentExposure
	for _, g := range v.data.Book.ExposureBySegment {
		if p, ok := g.Percent.Get(); ok && math.Abs(p) >= 0.05 {
			segs = append(segs, g)
		}
	}
	slices.SortStableFunc(segs, func(a, b book.SegmentExposure) int {
		return cmp.Compare(math.Abs(b.Percent.Value), math.Abs(a.Percent.Value))
	})
	nameW := 4
	for _, g := range segs {
		nameW = min(max(nameW, ansi.StringWidth(clean(g.Name))), 24)
	}
	// Side by side only with a bar of 10 cells: a shorter one reads worse.
	side := len(segs) > 0 && v.width-nameW-segFixed-sideGap-eraFixed >= 10
	avail := v.height - len(v.top) - 5 - 2*gap    // after the block's title and four eras
	if avail >= 1+min(n, 3)+min(max(n-3, 0), 1) { // header, rows and the hint
		spare := avail - n - 1
		k := min(len(segs), max(spare-1, 0)) // a title, then the entries
		if side {
			k = min(len(segs), 4+max(spare, 0))
		}
		block := v.exposure(segs[:k], side, nameW)
		if gap > 0 {
			block = append(append([]string{""}, block...), "")
		}
		v.top = append(v.top, block...)
	}
	rest := v.height - len(v.top)
	v.room = min(n, max(rest-1, 0)) // under the header
	if v.room < n && rest >= 3 {
		v.room = rest - 2 // and a line for the hint
	}
}

// exposure is the era bars and the segment list, side by side when the
// width allows a readable bar, else one under the other.
func (v *bookView) exposure(segs []book.SegmentExposure, side bool, nameW int) []string {
	s, e := v.styles, v.data.Book.Exposure
	bar, leftW := min(max(v.width-eraFixed, 0), barMax), v.width
	if side {
		bar = min(v.width-nameW-segFixed-sideGap-eraFixed, barMax)
		leftW = eraFixed + bar
	}
	title := "exposure by era"
	if g, ok := v.data.Book.GrossUSD.Get(); ok {
		if long := title + ", % of gross " + bookUSD(g, false, "$"); ansi.StringWidth(long) <= leftW {
			title = long
		}
	}
	left := []string{s.Muted.Render(title)}
	// Each era's share is a bar of full blocks, 100% filling it. A short makes
	// a share negative: its bar has the size, its percent is red.
	for i, p := range []book.Opt{e.Training, e.Inference, e.Benchmark, e.Unclassified} {
		era := []watchlists.Era{watchlists.Training, watchlists.Inference, watchlists.Benchmark, book.Unclassified}[i]
		cells, share := 0, s.Muted.Render(dash)
		if x, ok := p.Get(); ok {
			cells = min(int(math.Round(math.Abs(x)/100*float64(bar))), bar)
			if cells == 0 && math.Abs(x) >= 0.05 {
				cells = min(1, bar) // a small share still shows
			}
			if share = bookPercent(p); x < 0 {
				share = s.Down.Render(share)
			}
		}
		st := v.eraStyle(era)
		left = append(left, padRight(st.Render(string(era)), eraLabelW)+" "+
			padRight(st.Render(strings.Repeat("█", cells)), bar)+" "+padLeft(share, 7))
	}
	var right []string
	if len(segs) > 0 {
		right = append(right, s.Muted.Render("by segment"))
	}
	for _, g := range segs {
		right = append(right, padRight(clean(g.Name), nameW)+"  "+
			padRight(v.eraStyle(g.Era).Render(clean(string(g.Era))), 9)+" "+
			padLeft(bookPercent(g.Percent), 7)+"  "+padLeft(strings.TrimPrefix(dollars(g.ValueUSD), "+"), 8))
	}
	out := append(left, right...)
	if side {
		for len(left) < len(right) {
			left = append(left, "")
		}
		for i := range right {
			left[i] = padRight(left[i], leftW+sideGap) + right[i]
		}
		out = left
	}
	for i := range out {
		out[i] = truncate(out[i], v.width)
	}
	return out
}

// eraStyle colours an era as the tabs do; mixed and unclassified are muted.
func (v *bookView) eraStyle(era watchlists.Era) lipgloss.Style {
	if st, ok := v.styles.Era[era]; ok {
		return st
	}
	return v.styles.Muted
}

// totalsLine is the book's value, P&L, day change and coverage, with the
// holdings file at the right when there is room. SIMULATED comes first so
// no width can drop it.
func (v *bookView) totalsLine() string {
	s, b := v.styles, v.data.Book
	var parts []string
	if v.data.Simulated {
		parts = append(parts, s.Warn.Render("SIMULATED prices"))
	}
	figure := func(label string, o book.Opt, signed bool) string {
		x, ok := o.Get()
		text, st := bookUSD(x, signed, "$"), s.Bold
		if signed {
			text, st = arrow(x)+" "+text, s.Change(x)
		}
		if !ok {
			text, st = dash, s.Muted
		}
		return s.Muted.Render(label+" ") + st.Render(text)
	}
	priced, pst := fmt.Sprintf("%d of %d priced", b.Priced, b.Total), s.Muted
	if b.Priced < b.Total {
		pst = s.Warn
	}
	parts = append(parts, figure("value", b.TotalValueUSD, false), figure("P&L", b.PnLUSD, true))
	if b.FXPnLUSD.Valid && b.FXPnLUSD.Value != 0 { // the currencies' part of the P&L, when a dated lot has one
		parts = append(parts, figure("of it currency", b.FXPnLUSD, true))
	}
	parts = append(parts, figure("day", b.DayChangeUSD, true), pst.Render(priced))
	for len(parts) > 1 && ansi.StringWidth(strings.Join(parts, "  ")) > v.width {
		parts = parts[:len(parts)-1]
	}
	line := strings.Join(parts, "  ")
	// The path is cut from the left, so the file's name is what stays.
	if room := v.width - ansi.StringWidth(line) - 4; v.data.Path != "" && room >= 12 {
		path := clean(v.data.Path)
		if pw := ansi.StringWidth(path); pw > room {
			path = ansi.TruncateLeft(path, pw-room+1, "…")
		}
		line += strings.Repeat(" ", v.width-ansi.StringWidth(line)-ansi.StringWidth(path)) + s.Muted.Render(path)
	}
	return truncate(line, v.width)
}

// renderTable lays the columns out for the width and renders every row.
func (v *bookView) renderTable() {
	cells := make([][numBookCols]string, 1, 1+len(v.data.Book.Positions))
	for c := range noteCol { // Note's title waits: when no lot has a flag, there is no column
		cells[0][c] = bookCols[c].title
	}
	for _, p := range v.data.Book.Positions {
		cells = append(cells, v.positionCells(p))
	}
	// Each column takes its content's width, titles included; then columns go
	// in their drop order until the table fits, and the note takes what is left.
	var widths [numBookCols]int
	for _, row := range cells {
		for c, t := range row {
			widths[c] = max(widths[c], ansi.StringWidth(t))
		}
	}
	notePref := widths[noteCol]
	widths[noteCol] = min(widths[noteCol], noteMin)
	need := func() int {
		n := -colGap
		for _, x := range widths {
			if x > 0 {
				n += x + colGap
			}
		}
		return n
	}
	for drop := 1; drop <= 9 && need() > v.width; drop++ {
		for c := range widths {
			if bookCols[c].drop == drop {
				widths[c] = 0
			}
		}
	}
	if widths[noteCol] > 0 {
		widths[noteCol] += min(max(v.width-need(), 0), notePref-widths[noteCol])
	}
	cells[0][noteCol] = bookCols[noteCol].title
	line := func(cl [numBookCols]string) string {
		var b strings.Builder
		for c, w := range widths {
			switch {
			case w == 0:
				continue
			case c > 0:
				b.WriteString("  ")
			}
			if bookCols[c].right {
				b.WriteString(padLeft(cl[c], w))
			} else {
				b.WriteString(padRight(cl[c], w))
			}
		}
		return truncate(strings.TrimRight(b.String(), " "), v.width)
	}
	v.header = v.styles.TableHeader.Render(line(cells[0]))
	v.rows = make([]string, len(cells)-1)
	for i := range v.rows {
		v.rows[i] = line(cells[i+1])
	}
}

// positionCells formats one lot in column order; an unknown figure is a
// muted dash, and the note says why.
func (v *bookView) positionCells(p book.Position) [numBookCols]string {
	s := v.styles
	fig := func(o book.Opt, text string) string {
		if !o.Valid {
			return s.Muted.Render(dash)
		}
		return text
	}
	change := func(o book.Opt, text string) string { return fig(o, s.Change(o.Value).Render(text)) }
	note := ""
	if len(p.Flags) > 0 {
		note = s.Warn.Render(clean(strings.Join(p.Flags, "; ")))
	}
	// The quantity keeps the decimals it was written with, up to four.
	_, frac, _ := strings.Cut(strconv.FormatFloat(math.Abs(p.Quantity), 'f', -1, 64), ".")
	return [numBookCols]string{clean(p.Symbol), fmtNumber(p.Quantity, min(len(frac), 4)), fmtPrice(p.Cost),
		fig(p.Price, price(p.Price)), s.Muted.Render(clean(p.Currency)),
		fig(p.ValueUSD, bookUSD(p.ValueUSD.Value, false, "")),
		change(p.PnLUSD, bookUSD(p.PnLUSD.Value, true, "")), change(p.PnLPercent, pct(p.PnLPercent)),
		change(p.DayChangeUSD, bookUSD(p.DayChangeUSD.Value, true, "")),
		fig(p.Weight, bookPercent(p.Weight)), v.eraStyle(p.Era).Render(clean(string(p.Era))), note}
}

// Restyle redraws in the current theme.
func (v *bookView) Restyle() { v.render() }

func (v bookView) View() string {
	lines := slices.Clone(v.top[:min(len(v.top), max(v.height, 0))])
	if v.room > 0 {
		lines = append(lines, v.header)
		lines = append(lines, v.rows[v.offset:v.offset+v.room]...)
		if n := len(v.rows); v.room < n && len(lines) < v.height {
			hint := fmt.Sprintf("rows %d–%d of %d", v.offset+1, v.offset+v.room, n)
			lines = append(lines, v.styles.Muted.Render(truncate(hint, v.width)))
		}
	}
	return strings.Join(lines, "\n")
}

// bookUSD is an amount in dollars, unit after any sign (-$106.25). From a
// million up cents stop mattering, and the column stays narrow.
func bookUSD(x float64, signed bool, unit string) string {
	s := fmtNumber(x, 2)
	if math.Abs(x) >= 1e6 {
		s = fmtNumber(x, 0)
	}
	switch {
	case strings.HasPrefix(s, "-"):
		return "-" + unit + s[1:]
	case signed:
		return "+" + unit + s
	}
	return unit + s
}

// bookPercent is a share of the book's gross value; it never shows -0.0%.
func bookPercent(o book.Opt) string {
	x, ok := o.Get()
	switch {
	case !ok:
		return dash
	case math.Abs(x) < 0.05:
		return "0.0%"
	}
	return baskets.Fixed(x, 1) + "%"
}
