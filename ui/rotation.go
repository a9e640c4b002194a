package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// rotationView is the home screen: the two eras head to head, a card per
// segment and the rotation map. Data changes every refresh while View runs
// after every message (each key, tick and reply), so the whole screen is
// drawn whenever its inputs change and View hands back that drawing.
type rotationView struct {
	styles   *Styles
	width    int
	height   int
	report   baskets.Report
	byReturn bool           // cards by range return, best first; else in file order
	ratio    bool           // the chart shows inference/training instead of both indexes
	exposure string         // the user's book by era, under the headline; "" without a book
	offset   int            // segments scrolled past in the cards or list
	numbers  map[string]int // each segment's tab number, by file: its mark on the map
	events   []events.Event // marked on the chart: those for every chart

	drawn string
	hits  []segmentHit // where each card or list row was drawn, for the mouse
	// What a frame of trades keeps from the last draws (SetTrades): the
	// eras' chart and the map for up to chartHold, and every card whose
	// figures did not move since the last whole draw, which forgets them.
	headlineChart *chartMemo
	drawnMap      *chartMemo
	drawnCards    cardMemo
}

// From this size the rotation map gets a panel of its own beside the
// headline; smaller screens fold it into the segment list.
const wideLayoutWidth, wideLayoutHeight = 110, 20

func newRotationView(s *Styles) rotationView {
	return rotationView{styles: s, headlineChart: &chartMemo{}, drawnMap: &chartMemo{}, drawnCards: cardMemo{}}
}

func (v *rotationView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.redraw()
}

func (v *rotationView) SetReport(r baskets.Report) {
	v.report = r
	v.redraw()
}

// SetTrades is SetReport for a report trades repriced: the chart drawn
// within the last chartHold stands (see chartMemo).
func (v *rotationView) SetTrades(r baskets.Report) {
	v.report = r
	v.paint()
}

// chart is the headline's chart at w×h.
func (v rotationView) chart(w, h int) string {
	return v.headlineChart.get(v.report.AsOf, w, h, func() string {
		return lineChart(v.styles, w, h, v.report.AsOf.Location(), v.chartLines(), v.events)
	})
}

// SetTabNumbers numbers the segments as their tabs are, so that the map's
// markers, the cards and the list name a segment by the key that opens it.
func (v *rotationView) SetTabNumbers(numbers map[string]int) {
	v.numbers = numbers
	v.redraw()
}

// titled is segs with each name led by its tab number ("3 GPUs and GPU
// systems"), for the cards and the list: the legend of the map's numbered
// markers.
func (v rotationView) titled(segs []baskets.SegmentResult) []baskets.SegmentResult {
	out := slices.Clone(segs)
	for i := range out {
		if n, ok := v.numbers[out[i].File]; ok {
			out[i].Name = strconv.Itoa(n) + " " + out[i].Name
		}
	}
	return out
}

// SetEvents are the events the headline chart marks (those within its
// range); it redraws only when they change, since a refresh hands them
// over again with every report.
func (v *rotationView) SetEvents(evs []events.Event) {
	if !sameEvents(evs, v.events) {
		v.events = evs
		v.redraw()
	}
}

// SetExposure is the line that says how the user's book splits by era.
func (v *rotationView) SetExposure(line string) {
	if line != v.exposure {
		v.exposure = line
		v.redraw()
	}
}

// ScrollBy moves the cards or the list n segments down (up when negative),
// keeping at least the last segment in view.
func (v *rotationView) ScrollBy(n int) {
	if next := min(max(v.offset+n, 0), max(len(v.report.Segments)-1, 0)); next != v.offset {
		v.offset = next
		v.redraw()
	}
}

// Scroll answers the movement keys: a segment, a page, the top, the bottom.
func (v *rotationView) Scroll(msg tea.KeyPressMsg, k KeyMap) {
	page := max(v.height/3, 1)
	switch {
	case key.Matches(msg, k.Down):
		v.ScrollBy(1)
	case key.Matches(msg, k.Up):
		v.ScrollBy(-1)
	case key.Matches(msg, k.PageDown):
		v.ScrollBy(page)
	case key.Matches(msg, k.PageUp):
		v.ScrollBy(-page)
	case key.Matches(msg, k.Top):
		v.ScrollBy(-v.offset)
	case key.Matches(msg, k.Bottom):
		v.ScrollBy(len(v.report.Segments))
	}
}

// CycleSort switches the cards between file order and best return first.
func (v *rotationView) CycleSort() {
	v.byReturn = !v.byReturn
	v.redraw()
}

// ToggleChart switches the headline chart between the two era indexes and
// their ratio.
func (v *rotationView) ToggleChart() {
	v.ratio = !v.ratio
	v.redraw()
}

// View is at most width cells wide and height lines tall.
func (v rotationView) View() string { return v.drawn }

// Restyle redraws in the current theme.
func (v *rotationView) Restyle() { v.redraw() }

// redraw draws the tab afresh: new data, a size, a theme.
func (v *rotationView) redraw() {
	v.headlineChart.forget()
	v.drawnMap.forget()
	clear(v.drawnCards)
	v.paint()
}

// paint draws the tab with what the memos keep.
func (v *rotationView) paint() {
	v.hits = nil
	v.drawn = v.draw()
}

// segmentHit is the rectangle of the body a segment's card or row fills.
type segmentHit struct {
	x0, y0, x1, y1 int // x1 and y1 exclusive
	file           string
}

// SegmentAt is the segment whose card or list row is drawn at x, y of the
// body, if any.
func (v rotationView) SegmentAt(x, y int) (string, bool) {
	for _, h := range v.hits {
		if x >= h.x0 && x < h.x1 && y >= h.y0 && y < h.y1 {
			return h.file, true
		}
	}
	return "", false
}

// gridHits records a grid of cards of height h in cols columns over w cells,
// from line top.
func gridHits(segs []baskets.SegmentResult, top, w, cols, h int) []segmentHit {
	var out []segmentHit
	for i, seg := range segs {
		r, c := i/cols, i%cols
		x0 := c*(w/cols) + min(c, w%cols)
		cw := w / cols
		if c < w%cols {
			cw++
		}
		out = append(out, segmentHit{x0, top + r*h, x0 + cw, top + (r+1)*h, seg.File})
	}
	return out
}

// listHits records a one-line list under its header, from line top.
func listHits(segs []baskets.SegmentResult, top, x0, w, rows int) []segmentHit {
	var out []segmentHit
	for i, seg := range segs[:min(rows, len(segs))] {
		out = append(out, segmentHit{x0, top + 1 + i, x0 + w, top + 2 + i, seg.File})
	}
	return out
}

func (v *rotationView) draw() string {
	w, h := v.width, v.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if !hasPrices(v.report) {
		return v.waiting()
	}
	segs := v.ordered()
	if since := v.sinceLine(w); since != "" && h > 1 {
		// A date range says itself in words on the first line; the rest,
		// and where the mouse finds each segment, move one line down.
		body := v.layout(segs, h-1)
		for i := range v.hits {
			v.hits[i].y0, v.hits[i].y1 = v.hits[i].y0+1, v.hits[i].y1+1
		}
		return since + "\n" + body
	}
	return v.layout(segs, h)
}

// layout draws the tab in v.width x h. Every part is drawn exactly
// as wide as it is given, so the screen only needs its height fitted.
func (v *rotationView) layout(segs []baskets.SegmentResult, h int) string {
	if v.width >= wideLayoutWidth && h >= wideLayoutHeight {
		return fitHeight(strings.Join(v.wide(segs, h), "\n"), h)
	}
	return fitHeight(strings.Join(v.narrow(segs, h), "\n"), h)
}

// hasPrices reports whether any segment has a priced member yet.
func hasPrices(r baskets.Report) bool {
	return slices.ContainsFunc(r.Segments, func(s baskets.SegmentResult) bool { return s.Coverage.Priced > 0 })
}

// ordered is the segments in the chosen order; unknown returns sort last and
// ties keep file order.
func (v rotationView) ordered() []baskets.SegmentResult {
	segs := slices.Clone(v.report.Segments)
	if v.byReturn {
		slices.SortStableFunc(segs, func(a, b baskets.SegmentResult) int {
			switch {
			case a.Return.Valid && !b.Return.Valid:
				return -1
			case !a.Return.Valid && b.Return.Valid:
				return 1
			}
			return cmp.Compare(b.Return.Value, a.Return.Value)
		})
	}
	return segs
}

func (v rotationView) sortLabel() string {
	if v.byReturn {
		return "by return"
	}
	return "file order"
}

// waiting is the calm screen before the first prices arrive.
func (v rotationView) waiting() string {
	s, w := v.styles, v.width
	lines := []string{centred(s.Title.Render("Inference vs Training"), w), "",
		centred(s.Muted.Render("waiting for the first quotes…"), w)}
	if d := clean(v.report.Feed.Detail); d != "" {
		lines = append(lines, centred(s.Muted.Render(truncate(d, w)), w))
	}
	top := max((v.height-len(lines))/2, 0)
	return blockOf(strings.Repeat("\n", top)+strings.Join(lines, "\n"), w, v.height)
}

// wide puts the headline and the rotation map side by side on top and the
// cards below, as large as the height allows.
func (v *rotationView) wide(segs []baskets.SegmentResult, h int) []string {
	w := v.width
	topMin := min(max(h*2/5, 10), 24, h)
	cards, caption := v.cards(v.titled(v.scrolled(segs)), w, h-topMin-1)
	top := h - len(cards) - 1
	for i := range v.hits { // the cards sit under the top row and the caption
		v.hits[i].y0, v.hits[i].y1 = v.hits[i].y0+top+1, v.hits[i].y1+top+1
	}
	mapW := min(max(top*5/2, 40), w*9/20)
	// Widen the map for the side legend where it fits (the panel's border
	// and padding take 4 columns and 2 rows).
	if wider := min(mapW+mapLegendWidth, w/2); len(v.numbers) > 0 && sideLegendFits(wider-4, top-2, len(segs)) {
		mapW = wider
	}
	drawnMap := v.drawnMap.get(v.report.AsOf, mapW, top, func() string { return strings.Join(v.mapPanel(segs, mapW, top), "\n") })
	row := joinColumns(v.headline(w-mapW, top), strings.Split(drawnMap, "\n"))
	return append(append(row, v.withHorizons(caption, w)), cards...)
}

// scrolled is segs without those scrolled past.
func (v rotationView) scrolled(segs []baskets.SegmentResult) []baskets.SegmentResult {
	return segs[min(v.offset, len(segs)):]
}

// withHorizons puts the horizon strip at the right end of the caption line
// where it fits: each horizon's spread, then the verdict's count.
func (v rotationView) withHorizons(caption string, w int) string {
	s, hs := v.styles, v.report.Horizons
	if len(hs) == 0 {
		return padRight(caption, w)
	}
	cells := make([]string, 0, len(hs))
	ranges := make([]feeds.Range, 0, len(hs))
	for _, h := range hs {
		cells = append(cells, s.Muted.Render(string(h.Range)+" ")+s.Change(h.Spread.Value).Render(compactPoints(h.Spread)))
		ranges = append(ranges, h.Range)
	}
	verdict := ""
	if in, tr := baskets.Tally(hs); len(in)+len(tr) > 0 {
		n := len(in) + len(tr)
		side := fmt.Sprintf("inference %d/%d", len(in), n)
		switch {
		case len(tr) > len(in):
			side = fmt.Sprintf("training %d/%d", len(tr), n)
		case len(tr) == len(in):
			side = "undecided"
		}
		verdict = s.Muted.Render(" → ") + s.Bold.Render(side)
	}
	label := s.Muted.Render("spread pp ")
	room := w - ansi.StringWidth(caption) - 2 - ansi.StringWidth(label+verdict)
	strip := label + strings.Join(stripCells(cells, ranges, room), " ") + verdict
	gap := w - ansi.StringWidth(caption) - ansi.StringWidth(strip)
	if gap < 2 {
		return padRight(caption, w)
	}
	return caption + strings.Repeat(" ", gap) + strip
}

// cards picks the richest way to show every segment in w×h: full cards,
// compact cards, a list in columns; failing all of those, whichever of
// compact cards or the list shows more, with a note of how many are left out.
// It records where each segment went in v.hits, from the block's first line.
func (v *rotationView) cards(segs []baskets.SegmentResult, w, h int) (lines []string, caption string) {
	s, n := v.styles, len(segs)
	bench := v.report.Benchmark.Symbol
	maxCols := max(w/cardMinWidth, 1)
	rows := (n + maxCols - 1) / maxCols
	cols := (n + rows - 1) / rows
	listCols := max(w/56, 1)
	caption = s.Title.Render("Segments") + s.Muted.Render(fmt.Sprintf(" · %d · %s · s to sort", len(v.report.Segments), v.sortLabel()))
	if v.offset > 0 {
		caption += s.Muted.Render(fmt.Sprintf(" · ↑%d above", v.offset))
	}
	switch {
	case rows*fullCardHeight <= h:
		v.hits = gridHits(segs, 0, w, cols, fullCardHeight)
		return cardGrid(s, segs, bench, w, cols, true, v.drawnCards), caption
	case rows*compactCardHeight <= h:
		v.hits = gridHits(segs, 0, w, cols, compactCardHeight)
		return cardGrid(s, segs, bench, w, cols, false, v.drawnCards), caption
	case (n+listCols-1)/listCols+1 <= h:
		v.hits = columnHits(segs, w, h, listCols)
		return listInColumns(s, segs, bench, w, h, listCols), caption
	}
	fitCards, fitList := (h/compactCardHeight)*maxCols, max(h-1, 1)*listCols
	more := func(shown int) string {
		return s.Muted.Render(fmt.Sprintf(" · +%d more below: j/k or the wheel scroll", n-shown))
	}
	if fitCards >= fitList {
		v.hits = gridHits(segs[:fitCards], 0, w, maxCols, compactCardHeight)
		return cardGrid(s, segs[:fitCards], bench, w, maxCols, false, v.drawnCards), caption + more(fitCards)
	}
	v.hits = columnHits(segs[:min(fitList, n)], w, max(h, 2), listCols)
	return listInColumns(s, segs[:min(fitList, n)], bench, w, max(h, 2), listCols), caption + more(fitList)
}

// columnHits is where listInColumns puts each segment's row.
func columnHits(segs []baskets.SegmentResult, w, h, cols int) []segmentHit {
	per := max(min((len(segs)+cols-1)/cols, h-1), 1)
	var out []segmentHit
	for b, i := 0, 0; i < len(segs) && b < cols; b, i = b+1, i+per {
		out = append(out, listHits(segs[i:min(i+per, len(segs))], 0, b*(w/cols), w/cols, per)...)
	}
	return out
}

// listInColumns splits the one-line list into side-by-side columns of at
// most h-1 rows under their headers.
func listInColumns(s *Styles, segs []baskets.SegmentResult, bench string, w, h, cols int) []string {
	per := max(min((len(segs)+cols-1)/cols, h-1), 1)
	var blocks [][]string
	for i := 0; i < len(segs) && len(blocks) < cols; i += per {
		cw := w/cols - 2
		if len(blocks) == cols-1 {
			cw = w - (w/cols)*(cols-1)
		} else if i+per >= len(segs) {
			cw = w - (w/cols)*len(blocks) // the last block takes the rest of the row
		}
		blocks = append(blocks, segmentList(s, segs[i:min(i+per, len(segs))], bench, "segment", cw, per+1, false))
	}
	for i := range blocks[:len(blocks)-1] {
		for k := range blocks[i] {
			blocks[i][k] += "  "
		}
	}
	return joinColumns(blocks...)
}

// narrow stacks the headline over one list of every segment that carries
// the rotation map's columns too.
func (v *rotationView) narrow(segs []baskets.SegmentResult, h int) []string {
	w := v.width
	// The headline takes what the list leaves: at least 7 lines, at most
	// half the screen (and 18 lines) once it has those 7.
	listH := len(segs) + 1
	top := min(max(h-listH, min(7, h)), max(7, min(h/2, 18)))
	lines := v.headline(w, top)
	title := "sort: " + v.sortLabel()
	if w < 70 {
		title = v.sortLabel()
	}
	if v.offset > 0 {
		title = fmt.Sprintf("↑%d · %s", v.offset, title)
	}
	shown := v.scrolled(segs)
	rows := len(shown)
	if rows > h-top-1 {
		rows = max(h-top-2, 0) // the last line says how many more
	}
	v.hits = listHits(shown, len(lines), 0, w, rows)
	return append(lines, segmentList(v.styles, v.titled(shown), v.report.Benchmark.Symbol, title, w, h-top, true)...)
}

// headline is the "Inference vs Training" panel: both eras' returns, excess
// and breadth, the spread between them and the chart.
func (v rotationView) headline(w, h int) []string {
	s, r := v.styles, v.report
	iw, ih := w-4, h-2
	title := s.Title.Render("Inference vs Training") + s.Muted.Render(" · "+string(r.Range))
	if _, ok := r.Range.Date(); ok { // the since line above says which date, whole
		title = s.Title.Render("Inference vs Training")
	}
	mode := s.Bold.Render("indexes") + s.Muted.Render(" ⇄ ratio · t")
	if v.ratio {
		mode = s.Muted.Render("indexes ⇄ ") + s.Bold.Render("ratio") + s.Muted.Render(" · t")
	}
	stacked := ih >= 3+axesMinHeight
	stats := eraStats(s, r, iw, stacked)
	chartW := iw - statsWidth - 2
	var body []string
	switch {
	case stacked:
		body = append(stats, strings.Split(v.chart(iw, ih-len(stats)), "\n")...)
	case chartW >= 30:
		chart := strings.Split(v.chart(chartW, ih), "\n")
		body = joinColumns(strings.Split(blockOf(strings.Join(stats, "\n"), statsWidth+2, ih), "\n"), chart)
	case chartW >= 12:
		body = joinColumns(strings.Split(blockOf(strings.Join(stats, "\n"), statsWidth+2, ih), "\n"), v.eraSparks(chartW))
	default:
		body = stats
	}
	exposure := ""
	if v.exposure != "" {
		exposure = s.Info.Render(clean(v.exposure))
	}
	lines := frame(s, title, mode, exposure, body, w, h)
	if h > 1 {
		// The why line takes the bottom edge's left, beside the exposure.
		foot := padded(exposure)
		if ansi.StringWidth(foot)+4 > w {
			foot = "" // as frame left it out
		}
		why := whyLine(s, r.SpreadContributions, w-4-2-1-ansi.StringWidth(foot))
		lines[len(lines)-1] = frameEdge(s.PanelBorder, "╰", "╯", padded(why), foot, w)
	}
	return lines
}

// whyLine is what the spread is made of, in at most w cells: its largest
// parts, largest first, "why (pp): +0.62 Edge network · -0.31 GPUs". Parts
// are dropped from the end, never cut; only when not one fits whole is its
// name shortened (the number never is). "" when there is none or no room.
func whyLine(s *Styles, parts []baskets.SpreadContribution, w int) string {
	const sep = " · "
	type part struct {
		num, name string
		v         float64
	}
	ps := make([]part, 0, len(parts))
	for _, c := range parts {
		if v, ok := c.PP.Get(); ok {
			ps = append(ps, part{signed(v, figureDecimals(v)), clean(c.Segment), v})
		}
	}
	fit := func(label string) int { // how many whole parts fit after label
		used, n := ansi.StringWidth(label), 0
		for i, p := range ps {
			add := ansi.StringWidth(p.num) + 1 + ansi.StringWidth(p.name)
			if i > 0 {
				add += ansi.StringWidth(sep)
			}
			if used+add > w {
				break
			}
			used, n = used+add, n+1
		}
		return n
	}
	if len(ps) == 0 {
		return ""
	}
	label := "why (pp): "
	n := fit(label)
	if short := fit("why: "); short > n {
		label, n = "why: ", short
	}
	if n == 0 { // the first part's name, shortened, and its number whole
		label, n = "why: ", 1
		room := w - ansi.StringWidth(label) - ansi.StringWidth(ps[0].num) - 1
		if room < 6 { // "Edge…": fewer letters name nothing
			return ""
		}
		ps[0].name = truncate(ps[0].name, room)
	}
	var b strings.Builder
	b.WriteString(s.Muted.Render(label))
	for i, p := range ps[:n] {
		if i > 0 {
			b.WriteString(s.Muted.Render(sep))
		}
		b.WriteString(s.Change(p.v).Render(p.num) + " " + p.name)
	}
	return b.String()
}

// eraSparks is the chart squeezed into a column beside the era table: each
// era's sparkline on that era's row, or the ratio's on the first.
func (v rotationView) eraSparks(w int) []string {
	s, r := v.styles, v.report
	spark := func(l baskets.Line, st lipgloss.Style) string {
		last, ok := l.Last()
		if !ok {
			return ""
		}
		value := fmtPrice(last)
		return st.Render(sparkline(l.Values, w-len(value)-1) + " " + value)
	}
	if v.ratio {
		return []string{s.TableHeader.Render("ratio"), spark(r.RatioLine, s.Info)}
	}
	return []string{s.TableHeader.Render("trend"),
		spark(r.Eras.Inference.Index, s.Era[watchlists.Inference]),
		spark(r.Eras.Training.Index, s.Era[watchlists.Training])}
}

// chartLines are the headline chart's series for the current mode.
func (v rotationView) chartLines() []chartLine {
	s, r := v.styles, v.report
	if v.ratio {
		parity := make([]float64, len(r.RatioLine.Values))
		for i := range parity {
			parity[i] = 100
		}
		return []chartLine{
			{Label: "parity", Times: r.RatioLine.Times, Values: parity, Style: s.Muted},
			{Label: "ratio", Times: r.RatioLine.Times, Values: r.RatioLine.Values, Style: s.Info},
		}
	}
	return []chartLine{
		{Label: "training", Times: r.Eras.Training.Index.Times, Values: r.Eras.Training.Index.Values, Style: s.Era[watchlists.Training]},
		{Label: "inference", Times: r.Eras.Inference.Index.Times, Values: r.Eras.Inference.Index.Values, Style: s.Era[watchlists.Inference]},
	}
}

// statsWidth is the width of the era table when it stands beside the chart.
const statsWidth = 41

// eraStats is the era table; beside the chart it takes two more lines for
// the spread and the benchmark, stacked above it those go to its right.
func eraStats(s *Styles, r baskets.Report, w int, stacked bool) []string {
	bench := clean(r.Benchmark.Symbol)
	row := func(name string, era watchlists.Era, e baskets.EraResult) string {
		return padRight(s.Era[era].Render(name), 10) +
			padLeft(s.Change(e.Return.Value).Render(pct(e.Return)), 10) +
			padLeft(s.Change(e.Excess.Value).Render(points(e.Excess)), 11) +
			padLeft(breadthOf(s, e.Up, e.Down), 10)
	}
	spreadCell := s.Muted.Render("spread ") + s.Change(r.Eras.Spread.Value).Render(points(r.Eras.Spread))
	benchCell := s.Muted.Render(padRight(bench, 7)) + s.Change(r.Benchmark.Return.Value).Render(pct(r.Benchmark.Return))
	lines := []string{
		s.TableHeader.Render(padRight("", 10) + padLeft("return", 10) + padLeft("vs "+bench, 11) + padLeft("breadth", 10)),
		row("Inference", watchlists.Inference, r.Eras.Inference),
		row("Training", watchlists.Training, r.Eras.Training),
	}
	flows := flowCells(s, r)
	if stacked && w >= statsWidth+28 {
		cw := max(ansi.StringWidth(spreadCell), ansi.StringWidth(benchCell))
		lines[1] += "     " + padRight(spreadCell, cw)
		lines[2] += "     " + padRight(benchCell, cw)
		switch {
		case len(flows) == 2 && w >= statsWidth+28+34:
			lines[1] += "     " + s.Muted.Render("flows ") + flows[0]
			lines[2] += "     " + s.Muted.Render("flows ") + flows[1]
		case len(flows) == 2:
			lines = append(lines, s.Muted.Render(padRight("flows", 10))+s.Era[watchlists.Inference].Render("inference ")+flows[0]+
				"   "+s.Era[watchlists.Training].Render("training ")+flows[1])
		}
		return lines
	}
	eras := []watchlists.Era{watchlists.Inference, watchlists.Training} // flowCells' order
	for i, f := range flows {
		flows[i] = s.Muted.Render("flows ") + s.Era[eras[i]].Render(padRight(eraWords[eras[i]][0], 10)) + f
	}
	return append(append(lines, spreadCell, benchCell), flows...)
}

// flowCells say where market value went over the range and how busy each
// era trades, inference then training: "+$412B  vol 1.30x". None when no
// era has a figure.
func flowCells(s *Styles, r baskets.Report) []string {
	in, tr := r.Eras.Inference, r.Eras.Training
	if !in.CapChangeUSD.Valid && !tr.CapChangeUSD.Valid && !in.RelativeVolume.Valid && !tr.RelativeVolume.Valid {
		return nil
	}
	cell := func(e baskets.EraResult) string {
		return s.Change(e.CapChangeUSD.Value).Render(padLeft(dollars(e.CapChangeUSD), 8)) + "  " + s.Muted.Render(relVol(e.RelativeVolume))
	}
	return []string{cell(in), cell(tr)}
}

// mapPanel frames the rotation map with its key and its axes. The wide
// layout always gives it at least 36×8 cells inside; smaller screens show
// the map's figures in the segment list instead.
func (v rotationView) mapPanel(segs []baskets.SegmentResult, w, h int) []string {
	s := v.styles
	title := "Rotation map"
	if v.report.RotationMode == baskets.RotationWeekly {
		title += " · weekly"
	}
	legend, axes := mapLegend(s, false), s.Muted.Render("x: RS-ratio  y: RS-momentum")
	if ansi.StringWidth(legend)+ansi.StringWidth(title)+6 > w {
		legend = mapLegend(s, true) // the key and the axes both stay, the key in short
	}
	if ansi.StringWidth(axes)+6 > w {
		axes = s.Muted.Render("x ratio · y momentum")
	}
	points := append(slices.Clip(segs), eraPoints(v.report)...)
	side, withLegend := mapSideLegend(s, segs, v.numbers, w-4, h-2)
	plotW := w - 4
	if withLegend {
		plotW -= mapLegendWidth
	}
	body := mapChart(s, points, v.numbers, plotW, h-2)
	if withLegend {
		body = joinColumns(body, side)
	}
	return frame(s, s.Title.Render(title), legend, axes, body, w, h)
}

// eraPoints are the two eras as points of the map (a segment result with no
// file): each placed by the mean of its segments' indexes.
func eraPoints(r baskets.Report) []baskets.SegmentResult {
	return []baskets.SegmentResult{
		{Name: "INFERENCE", Era: watchlists.Inference, Rotation: r.Eras.Inference.Rotation},
		{Name: "TRAINING", Era: watchlists.Training, Rotation: r.Eras.Training.Rotation},
	}
}

// frame draws a rounded border around body in exactly w×h cells, with a
// title and a right-hand note in the top edge and a note at the right of
// the bottom edge. The title is cut before the notes are left out.
func frame(s *Styles, title, right, footer string, body []string, w, h int) []string {
	if h <= 0 || w < 4 {
		return nil
	}
	b := s.PanelBorder
	rightText := padded(right)
	if ansi.StringWidth(rightText)+14 > w {
		rightText = "" // the title matters more
	}
	titleText := padded(truncate(title, w-7-ansi.StringWidth(rightText))) // leave at least one dash of border
	out := []string{frameEdge(b, "╭", "╮", titleText, rightText, w)}
	side := b.Render("│")
	for i := range h - 2 {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		out = append(out, side+" "+padRight(line, w-4)+" "+side)
	}
	if h > 1 {
		foot := padded(footer)
		if ansi.StringWidth(foot)+4 > w {
			foot = ""
		}
		out = append(out, frameEdge(b, "╰", "╯", "", foot, w))
	}
	return out
}

// frameEdge is a frame's top or bottom edge in w cells, text at its left
// and tail at its right; the plain edge when they leave no dash between.
func frameEdge(b lipgloss.Style, left, corner, text, tail string, w int) string {
	fill := w - 4 - ansi.StringWidth(text) - ansi.StringWidth(tail) // corners and their dashes take 4
	if fill < 1 {
		return b.Render(left + strings.Repeat("─", w-2) + corner)
	}
	return b.Render(left+"─") + text + b.Render(strings.Repeat("─", fill)) + tail + b.Render("─"+corner)
}

// padded is t with a space either side, "" for "".
func padded(t string) string {
	if t == "" {
		return ""
	}
	return " " + t + " "
}

// blockOf pads or cuts s to exactly h lines of exactly w cells.
func blockOf(s string, w, h int) string {
	lines := strings.Split(fitHeight(s, h), "\n")
	for i, l := range lines {
		lines[i] = padRight(l, w)
	}
	return strings.Join(lines, "\n")
}

// centred places a one-line string in the middle of w cells.
func centred(s string, w int) string {
	return padRight(strings.Repeat(" ", max((w-ansi.StringWidth(s))/2, 0))+s, w)
}

// joinColumns sets blocks side by side; every block has the same height.
func joinColumns(blocks ...[]string) []string {
	out := slices.Clone(blocks[0])
	for _, b := range blocks[1:] {
		for i := range out {
			if i < len(b) {
				out[i] += b[i]
			}
		}
	}
	return out
}
