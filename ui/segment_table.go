package ui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The table's columns in display order, after the selection gutter and the
// market state marker. The status column (age, flags) takes what is left.
type column int

const (
	colSymbol column = iota
	colName
	colLast
	colTrade // the age of the last streamed trade
	colChange
	colChangePct
	colExt
	colRange
	colContrib // the member's part of the segment's return, pp
	colSpark
	colCurrency
	numCols
)

const (
	rowPrefix = 4 // "› ● ": selection gutter, market state, spaces
	colGap    = 2
	statusMin = 7 // room for "59m old"
	nameMin   = 12
	nameMax   = 32
	sparkMin  = 8
	sparkMax  = 30
)

// rightAligned columns hold numbers.
var rightAligned = [numCols]bool{colLast: true, colTrade: true, colChange: true, colChangePct: true, colRange: true, colContrib: true}

// tableLayout is the width of each column for the current screen; 0 hides it.
type tableLayout struct {
	widths   [numCols]int
	extShort bool
	status   int
}

func (v *segmentView) titles() [numCols]string {
	return [numCols]string{"Symbol", "Name", "Last", "Trade", "Chg", "Chg %", "Pre/post",
		string(v.data.Range) + " return", "Contrib", "Trend", "Ccy"}
}

// planColumns fits the table to the width: columns take their content's
// width, then the least useful ones go or shrink until the table fits, and
// what is left widens the name, the sparkline and the status column.
func (v *segmentView) planColumns() tableLayout {
	var l tableLayout
	titles := v.titles()
	for c := range numCols {
		l.widths[c] = ansi.StringWidth(titles[c])
	}
	hasExt, hasContrib, hasTrade, shortExt, points := false, false, false, 0, 0
	for _, r := range v.rows {
		for c := range numCols {
			l.widths[c] = max(l.widths[c], ansi.StringWidth(r.cells[c].text))
		}
		hasExt = hasExt || r.extShort != ""
		hasContrib = hasContrib || r.res.Contribution.Valid
		hasTrade = hasTrade || r.traded
		points = max(points, len(r.spark))
		shortExt = max(shortExt, ansi.StringWidth(r.extShort))
	}
	namePref := min(l.widths[colName], nameMax)
	l.widths[colName] = min(l.widths[colName], nameMin)
	l.widths[colSpark] = sparkMin
	if points == 0 {
		l.widths[colSpark] = 0
	}
	if !hasExt {
		l.widths[colExt] = 0
	}
	if !hasContrib {
		l.widths[colContrib] = 0
	}
	if !hasTrade { // prices are polled: no trade has an age
		l.widths[colTrade] = 0
	} else {
		l.widths[colTrade] = len("1h05m") // as wide as its title, and as an age under two days
	}
	status := statusMin
	need := func() int {
		n := rowPrefix + status
		for _, w := range l.widths {
			if w > 0 {
				n += w + colGap
			}
		}
		return n
	}
	degrade := []func(){
		func() { l.widths[colContrib] = 0 },
		func() { l.widths[colTrade] = 0 },
		func() { l.widths[colCurrency] = 0 },
		func() { l.widths[colSpark] = 0 },
		func() { l.widths[colChange] = 0 },
		func() {
			if l.widths[colExt] > 0 {
				l.extShort, l.widths[colExt] = true, max(shortExt, ansi.StringWidth(titles[colExt]))
			}
		},
		func() { l.widths[colExt] = 0 },
		func() { l.widths[colName] = min(l.widths[colName], 8) },
		func() { l.widths[colName] = 0 },
		func() { status = 0 },
	}
	for _, step := range degrade {
		if need() <= v.width {
			break
		}
		step()
	}
	extra := max(v.width-need(), 0)
	grow := func(c column, upTo int) {
		if l.widths[c] > 0 {
			add := min(extra, max(upTo-l.widths[c], 0))
			l.widths[c] += add
			extra -= add
		}
	}
	grow(colName, namePref)
	grow(colSpark, min(max(sparkMax, v.width/8), points)) // a cell per point at most
	l.status = status + extra
	return l
}

// toneStyle is a tone's style, on the selection's background when selected.
func toneStyle(s *Styles, t tone, selected bool) lipgloss.Style {
	st := s.Selected
	switch t {
	case toneUp:
		st = s.Up
	case toneDown:
		st = s.Down
	case toneFlat:
		st = s.Flat
	case toneMuted:
		st = s.Muted
	case toneInfo:
		st = s.Info
	case toneStale:
		st = s.Stale
	case toneGrey:
		st = s.Greyed
	}
	if selected && t != toneNone {
		st = st.Inherit(s.Selected)
	}
	return st
}

// renderRow draws one row; the selected one is highlighted across the width.
func (v *segmentView) renderRow(r *segRow, selected bool) string {
	var b strings.Builder
	used := 0
	paint := func(t tone, s string) {
		used += ansi.StringWidth(s)
		if t == toneNone && !selected {
			b.WriteString(s)
			return
		}
		b.WriteString(toneStyle(v.styles, t, selected).Render(s))
	}
	gutter := "  "
	if selected {
		gutter = "› "
	}
	paint(toneNone, gutter)
	paint(r.state.tone, r.state.text)
	paint(toneNone, " ")
	l := v.layout
	text := toneNone
	if r.greyed {
		text = toneGrey
	}
	for c := range numCols {
		w := l.widths[c]
		if w == 0 {
			continue
		}
		if r.greyed && c > colName {
			break
		}
		cl := r.cells[c]
		switch {
		case c == colSpark:
			cl.text = sparkline(r.spark, w)
		case c == colExt && l.extShort:
			cl.text = r.extShort
		}
		if cl.tone == toneNone {
			cl.tone = text
		}
		switch {
		case c == colLast && r.flash != toneNone:
			// The move's direction in the gap after the price: an arrow
			// reads without colour, and the columns do not shift. Not the
			// change's ▲▼, which say where the day stands.
			arrow := "↑"
			if r.flash == toneDown {
				arrow = "↓"
			}
			paint(r.flash, padLeft(cl.text, w)+arrow)
			paint(toneNone, " ")
		case rightAligned[c]:
			paint(cl.tone, padLeft(cl.text, w)+"  ")
		default:
			paint(cl.tone, padRight(cl.text, w)+"  ")
		}
	}
	// The status column runs to the edge; only the selected row is padded,
	// so its highlight spans the width.
	final := func(t tone, s string) {
		if rest := max(v.width-used, 0); selected {
			paint(t, padRight(s, rest))
		} else if s != "" {
			paint(t, truncate(s, rest))
		}
	}
	switch {
	case r.greyed:
		final(toneGrey, joinNonEmpty(" · ", r.reason, r.age))
	case r.res.Flag == "":
		final(toneStale, r.age)
	default:
		if r.age != "" {
			paint(toneStale, truncate(r.age+" · ", max(v.width-used, 0)))
		}
		final(toneMuted, clean(r.res.Flag))
	}
	if used > v.width {
		return truncate(b.String(), v.width)
	}
	return b.String()
}

// renderHeader draws the column titles, with the cursor's position at the
// right when the rows do not all fit.
func (v *segmentView) renderHeader() string {
	titles := v.titles()
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", rowPrefix))
	for c := range numCols {
		if w := v.layout.widths[c]; w > 0 {
			if rightAligned[c] {
				b.WriteString(padLeft(titles[c], w) + "  ")
			} else {
				b.WriteString(padRight(titles[c], w) + "  ")
			}
		}
	}
	line := b.String()
	if n := len(v.order); n > v.visibleRows() {
		pos := strconv.Itoa(v.cursor+1) + "/" + strconv.Itoa(n)
		line = padRight(line, v.width-ansi.StringWidth(pos)) + pos
	}
	return v.styles.TableHeader.Render(truncate(line, v.width))
}

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
