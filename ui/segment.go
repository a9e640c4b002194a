package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
)

// segmentData is what a segment tab draws.
type segmentData struct {
	Segment     baskets.SegmentResult
	Series      map[string]feeds.Series // the active range's series, by symbol
	Quotes      map[string]feeds.Quote
	Missing     map[string]bool      // symbols the feed does not know
	LastGood    map[string]time.Time // time of each symbol's last good quote
	Flashes     map[string]flashMark // by symbol: its price's last move
	Trades      bool                 // only trades moved since the last: the chart drawn within chartHold stands
	Now         time.Time
	Range       feeds.Range
	StaleAfter  time.Duration
	Description string // the watchlist's description, shown muted when there is room
	// The chart under the table, when there is room for it: the benchmark
	// beside the basket, the viewer's zone, the events it marks.
	Benchmark baskets.BenchmarkResult
	Zone      *time.Location
	Events    []events.Event
}

// segmentSort is the order of the table's rows; 's' cycles through them.
type segmentSort int

const (
	sortFile segmentSort = iota
	sortRange
	sortChange
	sortSymbol
	sortCount
)

func (s segmentSort) label(r feeds.Range) string {
	switch s {
	case sortRange:
		return string(r) + " return"
	case sortChange:
		return "day change %"
	case sortSymbol:
		return "symbol"
	}
	return "file order"
}

// segmentView is one watchlist's summary line and table. Rows are formatted
// and rendered when the data or the size changes, so drawing a frame only
// joins the visible lines.
type segmentView struct {
	styles        *Styles
	width, height int
	data          segmentData
	sort          segmentSort
	rows          []segRow // in file order
	order         []int    // indexes into rows, in display order
	cursor        int      // position in order
	offset        int      // first visible position
	selected      string   // the selected symbol, kept across refreshes and re-sorts
	layout        tableLayout
	summary       string
	description   string
	header        string
	selLine       string // the cursor's row rendered as selected
	chart         string // the chart under the table, from its leading newline; "" when none fits
	reversed      bool   // the sort runs the other way (a second click on its title)
	memo          *chartMemo
}

func newSegmentView(s *Styles) segmentView {
	return segmentView{styles: s, memo: &chartMemo{}}
}

func (v *segmentView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.renderAll()
	v.memo.forget()
	v.renderChart()
}

// SetData replaces the figures, keeping the selected symbol (and, when it is
// gone, the selected position).
func (v *segmentView) SetData(d segmentData) {
	v.data = d
	v.rows = v.rows[:0]
	for _, res := range d.Segment.Symbols {
		v.rows = append(v.rows, v.newRow(res))
	}
	alignDecimals(v.rows, colLast)
	alignDecimals(v.rows, colChange)
	v.resort()
	v.renderAll()
	if !d.Trades { // a frame of trades keeps the chart drawn within chartHold
		v.memo.forget()
	}
	v.renderChart()
}

// SetNow ages stale quotes and trades, and ends flashes; only rows whose
// text changes are redrawn.
func (v *segmentView) SetNow(now time.Time) {
	v.data.Now = now
	for i := range v.rows {
		r := &v.rows[i]
		traded := !r.greyed && v.ageTrade(r, v.data.Quotes[r.res.Symbol])
		if stale := v.staleFor(r.res.Symbol); stale != r.stale || traded {
			r.stale, r.age = stale, ageText(stale)
			r.line = v.renderRow(r, false)
			if len(v.order) > 0 && v.order[v.cursor] == i {
				v.selLine = v.renderRow(r, true)
			}
		}
	}
}

// alignDecimals pads a right-aligned column's numbers on the right so their
// decimal points line up: 118.53, 7,012.0 and 198,500 each keep their own
// precision, and the points still stand in one column.
func alignDecimals(rows []segRow, c column) {
	decimals := func(t string) int {
		if i := strings.LastIndexByte(t, '.'); i >= 0 {
			return len(t) - i - 1
		}
		return -1 // no point: it stands where the point would be
	}
	most := -1
	for _, r := range rows {
		most = max(most, decimals(r.cells[c].text))
	}
	for i := range rows {
		if t := rows[i].cells[c].text; t != "" && t != dash {
			rows[i].cells[c].text = t + strings.Repeat(" ", most-decimals(t))
		}
	}
}

func (v *segmentView) CycleSort() {
	v.sort, v.reversed = (v.sort+1)%sortCount, false
	v.resort()
	v.summary = v.renderSummary()
	v.renderCursor()
}

// Move handles the navigation keys through the key map's bindings.
func (v *segmentView) Move(msg tea.KeyPressMsg, k KeyMap) {
	page := max(v.visibleRows(), 1)
	switch {
	case key.Matches(msg, k.Up):
		v.cursor--
	case key.Matches(msg, k.Down):
		v.cursor++
	case key.Matches(msg, k.PageUp):
		v.cursor -= page
	case key.Matches(msg, k.PageDown):
		v.cursor += page
	case key.Matches(msg, k.Top):
		v.cursor = 0
	case key.Matches(msg, k.Bottom):
		v.cursor = len(v.order) - 1
	default:
		return
	}
	v.clampCursor()
	if len(v.order) > 0 {
		v.selected = v.rows[v.order[v.cursor]].res.Symbol
	}
	v.renderCursor()
}

// Click answers a click at row y of the view (0 is its first line) and
// column x: on a column title it sorts by that column, or reverses the sort
// when it already is; on a row it selects that row and reports true when
// the row was already selected (a second click opens its detail).
func (v *segmentView) Click(x, y int) (open bool) {
	_, _, above := v.chrome()
	switch {
	case y == above-1:
		v.sortByColumn(v.columnAt(x))
	case y >= above && y-above < v.visibleRows():
		pos := v.offset + y - above
		if pos >= len(v.order) {
			return false
		}
		open = pos == v.cursor
		v.cursor = pos
		v.selected = v.rows[v.order[pos]].res.Symbol
		v.renderCursor()
	}
	return open
}

// ScrollBy moves the selection n rows, as the wheel does.
func (v *segmentView) ScrollBy(n int) {
	if len(v.order) == 0 {
		return
	}
	v.cursor += n
	v.clampCursor()
	v.selected = v.rows[v.order[v.cursor]].res.Symbol
	v.renderCursor()
}

// columnAt is the column under x in the table, numCols for none.
func (v *segmentView) columnAt(x int) column {
	at := rowPrefix
	for c := range numCols {
		if w := v.layout.widths[c]; w > 0 {
			if x >= at && x < at+w {
				return c
			}
			at += w + colGap
		}
	}
	return numCols
}

// sortByColumn sorts by the clicked column, reversing a second click.
func (v *segmentView) sortByColumn(c column) {
	by := map[column]segmentSort{colSymbol: sortSymbol, colName: sortFile, colChange: sortChange,
		colChangePct: sortChange, colRange: sortRange, colSpark: sortRange}
	s, ok := by[c]
	if !ok {
		return
	}
	if s == v.sort {
		v.reversed = !v.reversed
	} else {
		v.sort, v.reversed = s, false
	}
	v.resort()
	v.summary = v.renderSummary()
	v.renderAll()
	v.renderCursor()
}

func (v *segmentView) Selected() string {
	if len(v.order) == 0 {
		return ""
	}
	return v.selected
}

// resort orders the rows and moves the cursor to the selected symbol.
func (v *segmentView) resort() {
	v.order = v.order[:0]
	for i := range v.rows {
		v.order = append(v.order, i)
	}
	slices.SortStableFunc(v.order, v.compare)
	for pos, i := range v.order {
		if v.rows[i].res.Symbol == v.selected {
			v.cursor = pos
		}
	}
	v.clampCursor()
	if len(v.order) > 0 {
		v.selected = v.rows[v.order[v.cursor]].res.Symbol
	}
}

// compare sorts figures high to low, unknown figures last, and ties in file order.
func (v *segmentView) compare(a, b int) int {
	ra, rb := v.rows[a].res, v.rows[b].res
	byFigure := func(x, y baskets.Opt) int {
		switch {
		case x.Valid && y.Valid:
			return cmp.Compare(y.Value, x.Value)
		case x.Valid:
			return -1
		case y.Valid:
			return 1
		}
		return 0
	}
	c := 0
	switch v.sort {
	case sortRange:
		c = byFigure(ra.RangeReturn, rb.RangeReturn)
	case sortChange:
		c = byFigure(ra.ChangePercent, rb.ChangePercent)
	case sortSymbol:
		c = strings.Compare(ra.Symbol, rb.Symbol)
	}
	if v.reversed {
		c = -c
	}
	return cmp.Or(c, cmp.Compare(a, b))
}

func (v *segmentView) clampCursor() {
	v.cursor = min(max(v.cursor, 0), max(len(v.order)-1, 0))
	page := max(v.visibleRows(), 1)
	if v.cursor < v.offset {
		v.offset = v.cursor
	}
	if v.cursor >= v.offset+page {
		v.offset = v.cursor - page + 1
	}
	v.offset = min(max(v.offset, 0), max(len(v.order)-page, 0))
}

// chrome is how many lines sit above the table's rows: the summary, the
// description and a blank line when there is room, and the column titles.
func (v *segmentView) chrome() (desc, blank bool, lines int) {
	desc = v.data.Description != "" && v.height >= 10
	blank = v.height >= 14
	lines = 2
	if desc {
		lines++
	}
	if blank {
		lines++
	}
	return desc, blank, lines
}

func (v *segmentView) visibleRows() int {
	_, _, lines := v.chrome()
	return max(v.height-lines, 0)
}

// staleFor is how old the symbol's last good quote is, to the precision its
// age is shown with, or 0 while it is fresh.
func (v *segmentView) staleFor(sym string) time.Duration {
	at, ok := v.data.LastGood[sym]
	if !ok || at.IsZero() {
		return 0
	}
	d := v.data.Now.Sub(at)
	switch {
	case d <= v.data.StaleAfter:
		return 0
	case d < time.Minute:
		return d.Truncate(time.Second)
	case d < 48*time.Hour:
		return d.Truncate(time.Minute)
	}
	return d.Truncate(time.Hour)
}

// ageText is "3m old" for a stale quote, "" for a fresh one.
func ageText(stale time.Duration) string {
	if stale <= 0 {
		return ""
	}
	return span(stale) + " old"
}

// Restyle redraws in the current theme.
func (v *segmentView) Restyle() {
	v.renderAll()
	v.memo.forget()
	v.renderChart()
}

// renderAll re-lays out the table and renders every cached line.
func (v *segmentView) renderAll() {
	v.layout = v.planColumns()
	for i := range v.rows {
		v.rows[i].line = v.renderRow(&v.rows[i], false)
	}
	v.clampCursor()
	v.summary = v.renderSummary()
	v.description = v.styles.Muted.Render(truncate(clean(v.data.Description), v.width))
	v.renderCursor()
}

// renderCursor redraws what follows the cursor: its row and the position
// shown in the column titles.
func (v *segmentView) renderCursor() {
	v.header = v.renderHeader()
	v.selLine = ""
	if len(v.order) > 0 {
		v.selLine = v.renderRow(&v.rows[v.order[v.cursor]], true)
	}
}

// renderSummary is the basket's line: return, excess, breadth, coverage,
// best and worst, with the sort order at the right.
func (v *segmentView) renderSummary() string {
	s, seg := v.styles, v.data.Segment
	parts := []string{
		s.Muted.Render("basket ") + s.Change(seg.Return.Value).Render(pct(seg.Return)),
		s.Muted.Render("excess ") + s.Change(seg.Excess.Value).Render(points(seg.Excess)),
		s.Up.Render(strconv.Itoa(seg.Up)+"▲") + " " + s.Down.Render(strconv.Itoa(seg.Down)+"▼"),
		strconv.Itoa(seg.Coverage.Priced) + "/" + strconv.Itoa(seg.Coverage.Total) + s.Muted.Render(" priced"),
	}
	if seg.Best != nil {
		parts = append(parts, s.Muted.Render("best ")+seg.Best.Symbol+" "+s.Change(seg.Best.RangeReturn.Value).Render(pct(seg.Best.RangeReturn)))
	}
	if seg.Worst != nil && seg.Worst != seg.Best {
		parts = append(parts, s.Muted.Render("worst ")+seg.Worst.Symbol+" "+s.Change(seg.Worst.RangeReturn.Value).Render(pct(seg.Worst.RangeReturn)))
	}
	right := s.Muted.Render("sort: ") + v.sort.label(v.data.Range)
	if v.reversed {
		right += s.Muted.Render(" (reversed)")
	}
	sep := "  "
	for len(parts) > 1 && ansi.StringWidth(strings.Join(parts, sep))+2+ansi.StringWidth(right) > v.width {
		parts = parts[:len(parts)-1]
	}
	left := strings.Join(parts, sep)
	gap := v.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 2 {
		return truncate(left, v.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (v segmentView) View() string {
	if len(v.rows) == 0 {
		msg := "no symbols in this watchlist"
		if v.data.Segment.File == "" {
			msg = "waiting for the first quotes…"
		}
		return v.styles.Muted.Render(truncate(msg, v.width))
	}
	desc, blank, _ := v.chrome()
	if v.height < 2 { // no room for the table
		return fitHeight(v.summary, v.height)
	}
	var b strings.Builder
	b.Grow(len(v.summary) + len(v.header) + v.height*(v.width+64))
	b.WriteString(v.summary)
	if desc {
		b.WriteByte('\n')
		b.WriteString(v.description)
	}
	if blank {
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(v.header)
	end := min(v.offset+v.visibleRows(), len(v.order))
	for pos := v.offset; pos < end; pos++ {
		b.WriteByte('\n')
		r := &v.rows[v.order[pos]]
		if pos == v.cursor {
			b.WriteString(v.selLine)
		} else {
			b.WriteString(r.line)
		}
	}
	b.WriteString(v.chart)
	return b.String()
}
