package ui

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/watchlists"
)

// attributionData is what the attribution view draws.
type attributionData struct {
	Report baskets.Report
	Events []events.Event // the headline chart's: a move lists those of its UTC date
	Zone   *time.Location // the viewer's, for an intraday move's time
}

// bar is one row of the bars: a segment's part of the spread, or a member's
// part of it through its segment.
type bar struct {
	key   string // the segment's file or the member's symbol: the selection across refreshes
	label string
	era   watchlists.Era // the segment's, for its tag; "" for a member
	value baskets.Opt    // pp of the spread
	note  string         // why a member has no part
}

// barList is one level's rows and its cursor.
type barList struct {
	rows           []bar
	cursor, offset int
	selected       string // the selected row's key
}

// attributionView is why the spread moved, over the whole body: a bar per
// segment's part of the spread, largest first, training's to the left of
// the axis and inference's to the right; enter on one shows its members'
// bars; under them, the ratio line's largest moves with their day's events.
type attributionView struct {
	styles        *Styles
	width, height int
	open          bool
	data          attributionData
	segment       string // the opened segment's file; "" shows the segments
	segs, members barList
	listRows      int // rows of bars on screen, from line attributionListTop
	rendered      string
}

// attributionListTop is the body line of the first bar: the title and the
// axis's header are above it.
const attributionListTop = 2

func newAttributionView(s *Styles) attributionView { return attributionView{styles: s} }

func (a *attributionView) SetSize(w, h int) {
	a.width, a.height = w, h
	a.render()
}

func (a *attributionView) Open() bool { return a.open }

// OpenView shows the segments' bars, the cursor where it was left.
func (a *attributionView) OpenView() {
	a.open, a.segment = true, ""
	a.render()
}

func (a *attributionView) Close() { a.open = false }

// Back leaves a segment's members for the segments, or closes the view.
func (a *attributionView) Back() {
	if a.segment == "" {
		a.Close()
		return
	}
	a.segment = ""
	a.render()
}

// Segment is the opened segment's file, "" on the segments' level.
func (a *attributionView) Segment() string { return a.segment }

// Selected is the selected row's key: a segment's file or a member's symbol.
func (a *attributionView) Selected() string { return a.list().selected }

func (a *attributionView) SetData(d attributionData) {
	a.data = d
	a.rebuild()
	a.render()
}

// Restyle redraws in the current theme.
func (a *attributionView) Restyle() { a.render() }

func (a attributionView) View() string { return a.rendered }

func (a *attributionView) list() *barList {
	if a.segment != "" {
		return &a.members
	}
	return &a.segs
}

// Enter opens the selected segment's members.
func (a *attributionView) Enter() {
	if a.segment != "" || len(a.segs.rows) == 0 {
		return
	}
	a.segment = a.segs.selected
	a.members = barList{}
	a.rebuild()
	a.render()
}

// Move answers the movement keys on the level shown.
func (a *attributionView) Move(msg tea.KeyPressMsg, k KeyMap) {
	if n, ok := movement(msg, k, max(a.listRows, 1), len(a.list().rows)); ok {
		a.ScrollBy(n)
	}
}

// ScrollBy moves the selection n rows, as the wheel does.
func (a *attributionView) ScrollBy(n int) {
	a.list().cursor += n
	a.moved()
}

// Click answers a click at x, y of the body: on a bar it selects it, and
// reports true when it was selected already (a second click opens it).
func (a *attributionView) Click(_, y int) (again bool) {
	l, row := a.list(), y-attributionListTop
	if row < 0 || row >= a.listRows || l.offset+row >= len(l.rows) {
		return false
	}
	again = l.offset+row == l.cursor
	l.cursor = l.offset + row
	a.moved()
	return again
}

func (a *attributionView) moved() {
	l := a.list()
	l.clamp(a.listRows)
	if len(l.rows) > 0 {
		l.selected = l.rows[l.cursor].key
	}
	a.render()
}

// clamp keeps the cursor on a row and in view in a window of page rows.
func (l *barList) clamp(page int) {
	page = max(page, 1)
	l.cursor = min(max(l.cursor, 0), max(len(l.rows)-1, 0))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+page {
		l.offset = l.cursor - page + 1
	}
	l.offset = min(max(l.offset, 0), max(len(l.rows)-page, 0))
}

// setRows replaces the rows, the cursor following the selected key.
func (l *barList) setRows(rows []bar) {
	l.rows = rows
	if i := slices.IndexFunc(rows, func(b bar) bool { return b.key == l.selected }); i >= 0 {
		l.cursor = i
	}
	l.cursor = min(max(l.cursor, 0), max(len(rows)-1, 0))
	if len(rows) > 0 {
		l.selected = rows[l.cursor].key
	}
}

// rebuild makes both levels' rows from the report: the segments in the
// spread's order, the opened segment's members largest part first. A
// segment no longer in the spread returns to the segments.
func (a *attributionView) rebuild() {
	r := a.data.Report
	rows := make([]bar, 0, len(r.SpreadContributions))
	for _, c := range r.SpreadContributions {
		rows = append(rows, bar{key: c.File, label: clean(c.Segment), era: c.Era, value: c.PP})
	}
	a.segs.setRows(rows)
	i := slices.IndexFunc(r.Segments, func(s baskets.SegmentResult) bool { return s.File == a.segment })
	if a.segment == "" || i < 0 || !slices.ContainsFunc(rows, func(b bar) bool { return b.key == a.segment }) {
		a.segment = ""
		return
	}
	seg := r.Segments[i]
	sign := 1.0
	if seg.Era == watchlists.Training {
		sign = -1 // a training member's part of its era counts against the spread
	}
	members := make([]bar, 0, len(seg.Symbols))
	for _, m := range seg.Symbols {
		b := bar{key: m.Symbol, label: joinNonEmpty(" ", clean(m.Symbol), clean(m.Name))}
		if v, ok := m.EraContribution.Get(); ok {
			b.value = baskets.Some(sign * v)
		} else {
			b.note = cmp.Or(clean(m.Flag), "not in the basket")
		}
		members = append(members, b)
	}
	slices.SortStableFunc(members, func(x, y bar) int {
		switch {
		case x.value.Valid && !y.value.Valid:
			return -1
		case !x.value.Valid && y.value.Valid:
			return 1
		}
		return cmp.Compare(math.Abs(y.value.Value), math.Abs(x.value.Value))
	})
	a.members.setRows(members)
}

func (a *attributionView) render() {
	w, h := a.width, a.height
	if w <= 0 || h <= 0 {
		a.rendered = ""
		return
	}
	s, l := a.styles, a.list()
	lines := []string{a.titleLine()}
	moves := a.moveLines()
	n := max(len(l.rows), 1)
	blank := 1
	if attributionListTop+n+blank+len(moves) > h {
		blank = 0
	}
	if attributionListTop+n+len(moves) > h {
		n = max(h-attributionListTop-len(moves), min(n, 3))
	}
	if room := h - attributionListTop - n; len(moves) > room {
		moves = moves[:max(room, 0)]
		if len(moves) == 1 {
			moves = nil // a title without a move under it
		}
	}
	a.listRows = max(min(n, h-attributionListTop), 0)
	l.clamp(a.listRows)
	switch {
	case !hasPrices(a.data.Report):
		lines = append(lines, "", s.Muted.Render("waiting for the first quotes…"))
	case len(l.rows) == 0:
		lines = append(lines, "", s.Muted.Render("no parts yet: the spread needs a return for both eras over this range"))
	default:
		lines = append(lines, a.barLines(l)...)
	}
	lines = fitLines(lines, attributionListTop+a.listRows)
	if len(moves) > 0 {
		if blank > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, moves...)
	}
	lines = fitLines(lines, h)
	for i, line := range lines {
		lines[i] = truncate(line, w)
	}
	a.rendered = strings.Join(lines, "\n")
}

// fitLines pads or cuts lines to n.
func fitLines(lines []string, n int) []string {
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines[:n]
}

// titleLine says what the bars are; the right end how to leave.
func (a *attributionView) titleLine() string {
	s, r := a.styles, a.data.Report
	left := s.Title.Render("Why the spread moved") + s.Muted.Render(" · "+string(r.Range)+" · spread ") +
		s.Change(r.Eras.Spread.Value).Render(points(r.Eras.Spread))
	right := s.Muted.Render("esc close")
	if a.segment != "" {
		name := clean(a.segment)
		if i := slices.IndexFunc(a.segs.rows, func(b bar) bool { return b.key == a.segment }); i >= 0 {
			name = a.segs.rows[i].label
		}
		left = s.Title.Render(name) + s.Muted.Render(" · its members' parts of the "+string(r.Range)+" spread")
		right = s.Muted.Render("esc segments")
	}
	gap := a.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 2 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// barLines are the axis's header and the rows in view: gutter, name, the
// segment's era, its part in pp and its bar, scaled to the largest part.
func (a *attributionView) barLines(l *barList) []string {
	s := a.styles
	nameW, valW, largest := 8, 5, 0.0
	for _, b := range l.rows {
		nameW = max(nameW, ansi.StringWidth(b.label))
		if v, ok := b.value.Get(); ok {
			valW = max(valW, len(barValue(v)))
			largest = max(largest, math.Abs(v))
		}
	}
	nameW = min(nameW, max(a.width/3, 8), 32)
	tagW := 0
	if a.segment == "" {
		tagW = 4 // " TRN"
	}
	half := min(max((a.width-2-nameW-tagW-1-valW-1-1)/2, 0), 50)
	what := "segment"
	if a.segment != "" {
		what = "member"
	}
	head := "  " + padRight(what, nameW+tagW) + " " + padLeft("pp", valW) + " " +
		padLeft("training ◀ ", half) + "│" + padRight(" ▶ inference", half)
	if len(l.rows) > a.listRows {
		pos := strconv.Itoa(l.cursor+1) + "/" + strconv.Itoa(len(l.rows))
		head = padRight(head, a.width-len(pos)-1) + " " + pos
	}
	out := []string{s.TableHeader.Render(truncate(head, a.width))}
	for i := l.offset; i < min(l.offset+a.listRows, len(l.rows)); i++ {
		b := l.rows[i]
		gutter, name := "  ", padRight(b.label, nameW)
		if i == l.cursor {
			gutter, name = "› ", s.Selected.Render(name)
		}
		row := gutter + name
		if tagW > 0 {
			row += " " + s.Era[b.era].Render(eraWords[b.era][1])
		}
		v, ok := b.value.Get()
		if !ok {
			out = append(out, row+" "+padLeft(dash, valW)+" "+s.Muted.Render(b.note))
			continue
		}
		cells := 0
		switch {
		case roundTo(v, figureDecimals(v)) == 0: // "0.00" has no side to draw on
		case largest > 0:
			cells = max(int(math.Round(math.Abs(v)/largest*float64(half))), 1)
		}
		drawn := s.Change(v).Render(strings.Repeat("█", min(cells, half)))
		left, right := strings.Repeat(" ", half), strings.Repeat(" ", half)
		if v < 0 {
			left = padLeft(drawn, half)
		} else {
			right = padRight(drawn, half)
		}
		out = append(out, row+" "+s.Change(v).Render(padLeft(barValue(v), valW))+" "+left+s.Muted.Render("│")+right)
	}
	return out
}

// barValue is a part as the bars label it: signed, in pp without the unit.
func barValue(v float64) string { return signed(v, figureDecimals(v)) }

// moveLines are the ratio line's largest moves under a title: when, the
// ratio's change and the labels of the events of that UTC day.
func (a *attributionView) moveLines() []string {
	s, r := a.styles, a.data.Report
	if len(r.TopMoves) == 0 {
		return nil
	}
	out := []string{s.Title.Render("Largest moves") + s.Muted.Render(" of the inference/training ratio")}
	zone, layout := cmp.Or(a.data.Zone, time.UTC), time.DateOnly
	if r.Range.Intraday() {
		layout = "2006-01-02 15:04" // a bucket of the day, in the viewer's zone
	}
	for _, m := range r.TopMoves {
		when := m.Time.UTC().Format(layout)
		if r.Range.Intraday() {
			when = m.Time.In(zone).Format(layout)
		}
		var labels []string
		for _, e := range events.In(a.data.Events, m.Time, m.Time) { // that UTC day's
			labels = append(labels, clean(e.Label))
		}
		line := "  " + padRight(when, len(layout)) + "  " + s.Change(m.RatioChange.Value).Render(padLeft(pct(m.RatioChange), 10))
		if len(labels) > 0 {
			line += "  " + s.Marker.Render(strings.Join(labels, "; "))
		}
		out = append(out, line)
	}
	return out
}
