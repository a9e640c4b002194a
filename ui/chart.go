package ui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/canvas"
	"github.com/NimbleMarkets/ntcharts/v2/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/v2/linechart"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/events"
)

// chartLine is one series of a line chart. Times may be nil, in which case
// points are spaced evenly and the time axis is left unlabelled.
type chartLine struct {
	Label  string
	Times  []time.Time
	Values []float64
	Style  lipgloss.Style
}

// Below brailleMinHeight a chart gets one sparkline per line; below
// axesMinHeight it is drawn bare, without axes, its tags giving the values.
const (
	brailleMinWidth  = 24
	brailleMinHeight = 3
	axesMinHeight    = 8
)

// lineChart draws lines in exactly w×h cells as a braille chart with a value
// axis, a time axis and, on the right, each line's label and last value at
// the height of that value, so lines read apart without colour. Points are
// spaced by session, not by clock time, so nights and weekends leave no gaps.
// The events of evs dated within the chart's span are marked on its time
// axis and listed in a legend line under it (see markers.go), when the
// chart has axes and room for the legend; a smaller one marks none.
// It is meant to be called when data or size change, not on every frame.
func lineChart(s *Styles, w, h int, zone *time.Location, lines []chartLine, evs []events.Event) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines = readable(finiteLines(lines))
	if len(lines) == 0 {
		return blockOf(centred(s.Muted.Render("no data yet"), w), w, h)
	}
	tags, tagW := chartTags(lines, w)
	plotW := w - tagW
	if plotW < brailleMinWidth || h < brailleMinHeight {
		return sparkRows(s, w, h, lines)
	}
	axis := timeAxis(lines)
	if evs = eventsIn(evs, axis); h-1 < axesMinHeight || w < markersMinWidth {
		evs = nil // no time axis to mark, or no room for the legend
	}
	if len(evs) > 0 {
		h-- // the legend's line
	}
	axes := h >= axesMinHeight
	graphH := h
	if axes {
		graphH = h - 2 // the time axis and its labels
	}
	maxX := float64(max(len(axis)-1, 1))
	vs := fitValues(lines, graphH, axes)
	steps := 0
	if axes {
		steps = 1
	}
	lc := linechart.New(plotW, h, 0, maxX, vs.lo, vs.hi,
		linechart.WithXYSteps(steps, steps),
		linechart.WithStyles(s.Muted, s.Muted, s.Muted),
		linechart.WithXLabelFormatter(func(int, float64) string { return "" }),
		linechart.WithYLabelFormatter(vs.label))
	left := 0
	if axes {
		lc.DrawXYAxisAndLabel()
		timeLabels(&lc, axis, zone)
		left = lc.Origin().X + 1
	}
	// ntcharts lays out and labels the axes and computes the braille dots;
	// the cells are painted through a cellGrid, which styles runs of cells
	// rather than each cell.
	palette := []lipgloss.Style{{}, s.Muted}
	for _, l := range lines {
		palette = append(palette, l.Style)
	}
	palette = append(palette, s.Marker)
	g := newCellGrid(plotW, h, palette)
	for y := range h {
		for x := range plotW {
			if r := lc.Canvas.Cell(canvas.Point{X: x, Y: y}).Rune; r != 0 {
				g.set(x, y, r, 1)
			}
		}
	}
	gw := lc.GraphWidth()
	rows := make([]int, len(lines))
	for i, l := range lines {
		grid := graph.NewBrailleGrid(gw, graphH, 0, maxX, vs.bottom, vs.hi)
		prev := canvas.Point{X: -1}
		for k, v := range l.Values {
			p := grid.GridPoint(canvas.Float64Point{X: float64(position(axis, l, k)), Y: v})
			if prev.X < 0 {
				prev = p
			}
			for _, q := range graph.GetLinePoints(prev, p) {
				grid.Set(q)
			}
			prev = p
		}
		rows[i] = min(max(prev.Y/4, 0), graphH-1)
		for y, row := range grid.BraillePatterns() {
			for x, r := range row {
				if r != brailleBlank {
					g.braille(left+x, y, r, uint8(2+i))
				}
			}
		}
	}
	var legend string
	if len(evs) > 0 {
		// A bar's column as ntcharts places the lines' dots: the same
		// scale over the same graph width, one braille cell per 2 dots.
		xs := graph.NewBrailleGrid(gw, 1, 0, maxX, 0, 1)
		column := func(bar int) int { return left + xs.GridPoint(canvas.Float64Point{X: float64(bar)}).X/2 }
		marks, unmarked := placeMarkers(evs, axis, column)
		g.drawMarkers(marks, lc.Origin().Y, uint8(len(palette)-1))
		legend = markerLegend(s, marks, unmarked, w)
	}
	out := g.lines()
	placeTags(out, graphH, tags, rows, tagW)
	if legend != "" {
		out = append(out, legend)
	}
	return strings.Join(out, "\n")
}

// finiteLines drops points that are not finite numbers, which could not be
// placed, and lines left without points.
func finiteLines(lines []chartLine) []chartLine {
	out := make([]chartLine, 0, len(lines))
	for _, l := range lines {
		if slices.ContainsFunc(l.Values, notFinite) {
			keep := l
			keep.Times, keep.Values = nil, nil
			for k, v := range l.Values {
				if !notFinite(v) {
					keep.Values = append(keep.Values, v)
					if len(l.Times) >= len(l.Values) {
						keep.Times = append(keep.Times, l.Times[k])
					}
				}
			}
			l = keep
		}
		if len(l.Values) > 0 {
			out = append(out, l)
		}
	}
	return out
}

func notFinite(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// timeAxis is every distinct time of the lines, in order; when no line has
// times, zero times, one per point of the longest line.
func timeAxis(lines []chartLine) []time.Time {
	var all []time.Time
	longest := 0
	for _, l := range lines {
		longest = max(longest, len(l.Values))
		if len(l.Times) >= len(l.Values) {
			all = append(all, l.Times[:len(l.Values)]...)
		}
	}
	if len(all) == 0 {
		return make([]time.Time, longest)
	}
	slices.SortFunc(all, time.Time.Compare)
	return slices.CompactFunc(all, time.Time.Equal)
}

// position is the place of a line's k-th point on the axis.
func position(axis []time.Time, l chartLine, k int) int {
	if len(l.Times) < len(l.Values) {
		return len(axis) - len(l.Values) + k // no times: align the ends
	}
	i, _ := slices.BinarySearchFunc(axis, l.Times[k], time.Time.Compare)
	return i
}

// valueScale maps values onto rows: hi at the top row, bottom at the
// lowest graph row and, when there are axes, lo on the time axis's row.
// Labels name round numbers, each on the row nearest to it.
type valueScale struct {
	lo, bottom, hi float64
	step           float64 // between labels
	perRow         float64
	decimals       int
}

// fitValues spans the values with a little air above and below, so the
// lines fill the graph's height, and picks a round label step (1, 2, 2.5 or
// 5 times a power of ten) for a label every three rows or so.
func fitValues(lines []chartLine, rows int, axes bool) valueScale {
	lo, hi := lines[0].Values[0], lines[0].Values[0]
	for _, l := range lines {
		for _, v := range l.Values {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	air := (hi - lo) * 0.04
	if air == 0 {
		air = max(abs(hi)*0.01, 0.01)
	}
	vs := valueScale{bottom: lo - air, hi: hi + air}
	vs.perRow = (vs.hi - vs.bottom) / float64(max(rows-1, 1))
	vs.lo = vs.bottom
	if axes {
		vs.lo = vs.bottom - vs.perRow
	}
	exp := math.Pow(10, math.Floor(math.Log10(3*vs.perRow)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if vs.step = m * exp; vs.step >= 3*vs.perRow {
			break
		}
	}
	vs.decimals = max(0, -int(math.Floor(math.Log10(vs.step)+1e-9)))
	if scaled := vs.step * math.Pow(10, float64(vs.decimals)); abs(scaled-math.Round(scaled)) > 1e-9 {
		vs.decimals++ // 2.5, 0.25: one digit more
	}
	return vs
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// label is ntcharts' value-axis formatter: row i shows the round number
// within half a row of its value, if there is one.
func (vs valueScale) label(i int, _ float64) string {
	v := vs.lo + float64(i)*vs.perRow
	tick := math.Round(v/vs.step) * vs.step
	if d := tick - v; d < -vs.perRow/2 || d >= vs.perRow/2 {
		return ""
	}
	return strconv.FormatFloat(tick, 'f', vs.decimals, 64)
}

// timeLabels writes dates under the time axis: the first at the left edge,
// the last ending at the right edge, evenly spaced ones between. Clock
// times are shown in zone, the viewer's; dates stay the grid's calendar
// days (UTC midnights), which a zone west of UTC would shift a day back.
func timeLabels(lc *linechart.Model, axis []time.Time, zone *time.Location) {
	if len(axis) == 0 || axis[0].IsZero() {
		return
	}
	layout := timeLayout(axis[0], axis[len(axis)-1])
	if zone != nil && strings.Contains(layout, "15:04") {
		local := make([]time.Time, len(axis))
		for i, t := range axis {
			local[i] = t.In(zone)
		}
		axis = local
	}
	labelW := len(axis[0].Format(layout))
	left, gw, row := lc.Origin().X+1, lc.GraphWidth(), lc.Origin().Y+1
	n := min(max(gw/(labelW+10), 1), len(axis))
	if n == 1 || gw < 2*labelW+2 {
		lc.Canvas.SetString(canvas.Point{X: left, Y: row}, axis[0].Format(layout))
		return
	}
	for j := range n {
		start := j * (gw - labelW) / (n - 1)
		anchor := start + j*(labelW-1)/(n-1) // the column the label's time belongs to
		i := min(anchor*(len(axis)-1)/max(gw-1, 1), len(axis)-1)
		lc.Canvas.SetString(canvas.Point{X: left + start, Y: row}, axis[i].Format(layout))
	}
}

// timeLayout picks the date format for the span: clock times for a day,
// weekday and hour for a week, dates beyond.
func timeLayout(first, last time.Time) string {
	switch span := last.Sub(first); {
	case span <= 36*time.Hour:
		return "15:04"
	case span <= 10*24*time.Hour:
		return "Mon 15:04"
	case span <= 400*24*time.Hour:
		return "Jan 02"
	default:
		return "Jan '06"
	}
}

// chartTags are "label last-value" tags, or bare values when labels would
// squeeze the plot, or nothing when even those would.
func chartTags(lines []chartLine, w int) (tags []string, width int) {
	build := func(withLabel bool) {
		tags, width = tags[:0], 0
		for _, l := range lines {
			t := fmtPrice(l.Values[len(l.Values)-1])
			if withLabel && l.Label != "" {
				t = clean(l.Label) + " " + t
			}
			tags = append(tags, l.Style.Render(t))
			width = max(width, ansi.StringWidth(t)+1)
		}
	}
	build(true)
	if w-width >= 2*brailleMinWidth {
		return tags, width
	}
	build(false)
	if w-width >= brailleMinWidth {
		return tags, width
	}
	return nil, 0
}

// placeTags appends a column of tags to the chart rows, each on its line's
// last row among the first graphRows, moved to the nearest free row when
// two lines end together; rows without a tag get blanks.
func placeTags(rows []string, graphRows int, tags []string, at []int, width int) {
	if width == 0 {
		return
	}
	column := make([]string, len(rows))
	for i, tag := range tags {
		r := at[i]
		for d := 0; d < graphRows; d++ {
			if up := r - d; up >= 0 && column[up] == "" {
				r = up
				break
			}
			if down := r + d; down < graphRows && column[down] == "" {
				r = down
				break
			}
		}
		if column[r] == "" {
			column[r] = tag
		}
	}
	for i := range rows {
		rows[i] += " " + padRight(column[i], width-1)
	}
}

// sparkRows is the small-screen chart: one "label ▁▂▄▆ last" row per line.
func sparkRows(s *Styles, w, h int, lines []chartLine) string {
	labelW := 0
	for _, l := range lines {
		labelW = max(labelW, ansi.StringWidth(clean(l.Label)))
	}
	labelW = min(labelW, w/3)
	out := make([]string, 0, h)
	for _, l := range lines[:min(len(lines), h)] {
		last := fmtPrice(l.Values[len(l.Values)-1])
		sw := w - labelW - len(last) - 2
		label := padRight(clean(l.Label), labelW) + " "
		if sw < 4 {
			label, sw = "", w-len(last)-1
		}
		out = append(out, padRight(label+l.Style.Render(sparkline(l.Values, max(sw, 0))+" "+last), w))
	}
	return blockOf(strings.Join(out, "\n"), w, h)
}

// cellGrid is a small character canvas for charts and the rotation map.
// Unlike ntcharts' canvas it knows that wide characters fill two cells, so
// CJK names cannot shift the rest of a row, and it styles runs of equally
// painted cells with one Render, which keeps redraws cheap.
type cellGrid struct {
	w, h    int
	runes   []rune  // 0: blank; -1: the right half of a wide character
	paint   []uint8 // index into palette; 0 is unstyled
	taken   []bool  // cells a marker or label must not cover
	palette []lipgloss.Style
}

func newCellGrid(w, h int, palette []lipgloss.Style) *cellGrid {
	return &cellGrid{w: w, h: h, runes: make([]rune, w*h), paint: make([]uint8, w*h),
		taken: make([]bool, w*h), palette: palette}
}

// set puts one rune in a cell. Overwriting half of a wide character blanks
// its other half, so the row keeps its width.
func (g *cellGrid) set(x, y int, r rune, paint uint8) {
	if x < 0 || x >= g.w || y < 0 || y >= g.h {
		return
	}
	i := y*g.w + x
	if g.runes[i] == -1 && x > 0 {
		g.runes[i-1] = 0
	}
	if x+1 < g.w && g.runes[i+1] == -1 && r != -1 {
		g.runes[i+1] = 0
	}
	g.runes[i], g.paint[i] = r, paint
}

// brailleBlank is the braille pattern with no dots.
const brailleBlank = 0x2800

// brailleBits are the dot bits by row (of 4) and column (of 2) in a cell.
var brailleBits = [4][2]rune{{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}

// braille merges a braille pattern into a cell, replacing anything else
// there but markers and labels, which stay on top.
func (g *cellGrid) braille(x, y int, pattern rune, paint uint8) {
	if x < 0 || y < 0 || x >= g.w || y >= g.h || g.taken[y*g.w+x] {
		return
	}
	r := g.runes[y*g.w+x]
	if r < brailleBlank || r > 0x28ff {
		r = brailleBlank
	}
	g.set(x, y, r|pattern, paint)
}

// lines renders the grid, one Render per run of equally painted cells.
func (g *cellGrid) lines() []string {
	out := make([]string, g.h)
	var row, run strings.Builder
	for y := range g.h {
		row.Reset()
		cells, paints := g.runes[y*g.w:(y+1)*g.w], g.paint[y*g.w:(y+1)*g.w]
		paintAt := func(x int) uint8 {
			if cells[x] == 0 {
				return 0 // blanks are never styled, so they join any blank run
			}
			return paints[x]
		}
		for x := 0; x < g.w; {
			run.Reset()
			p := paintAt(x)
			for ; x < g.w && paintAt(x) == p; x++ {
				switch r := cells[x]; r {
				case 0:
					run.WriteByte(' ')
				case -1: // covered by the wide character before it
				default:
					run.WriteRune(r)
				}
			}
			if p == 0 {
				row.WriteString(run.String())
			} else {
				row.WriteString(g.palette[p].Render(run.String()))
			}
		}
		out[y] = row.String()
	}
	return out
}
