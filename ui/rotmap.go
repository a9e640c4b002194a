package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/canvas"
	"github.com/NimbleMarkets/ntcharts/v2/canvas/graph"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/watchlists"
)

// The rotation map plots each segment's strength against the benchmark
// (RS-ratio, x) and how fast that strength is changing (RS-momentum, y), both
// centred on 100. Segments usually travel clockwise: improving, leading,
// weakening, lagging.

// quadrantCorners are where each quadrant's name is written on the map.
var quadrantCorners = []struct {
	q           baskets.Quadrant
	right, down bool
}{
	{baskets.Improving, false, false}, {baskets.Leading, true, false},
	{baskets.Lagging, false, true}, {baskets.Weakening, true, true},
}

// eraMarker tells eras apart on the map without colour.
func eraMarker(e watchlists.Era) rune {
	switch e {
	case watchlists.Inference:
		return '●'
	case watchlists.Training:
		return '■'
	default:
		return '◆'
	}
}

// eraPointMarker marks an era's own point, larger than its segments'.
func eraPointMarker(e watchlists.Era) rune {
	if e == watchlists.Inference {
		return '◉'
	}
	return '▣'
}

// mapLegend names the markers, for the map's frame; short is for a narrow
// map, so the legend never has to give way.
func mapLegend(s *Styles, short bool) string {
	in, tr, bm := "● inference", "■ training", "◆ benchmark"
	if short {
		in, tr, bm = "● inf", "■ trn", "◆ bmk"
	}
	return s.Era[watchlists.Inference].Render(in) + " " + s.Era[watchlists.Training].Render(tr) + " " +
		s.Era[watchlists.Benchmark].Render(bm)
}

// mapChart draws segments on the rotation map in exactly w×h cells: axes
// crossing at 100/100, quadrant names in the corners, each segment a marker
// in its era's colour with a braille tail of its last sessions. A segment
// with a number (its tab's, in numbers by file) is tagged with it right
// against its marker, and the cards, the list and the side legend say
// which segment it is; one without is named beside its marker.
func mapChart(s *Styles, segs []baskets.SegmentResult, numbers map[string]int, w, h int) []string {
	pal := newMapPalette(s)
	g := newCellGrid(w, h, pal.styles)
	scaleX, scaleY := mapScale(segs)
	// Dot coordinates on the braille grid: two per cell across, four down.
	dot := func(ratio, momentum float64) canvas.Point {
		return canvas.Point{
			X: int(float64(w) + (ratio-100)/scaleX*float64(w-1)),
			Y: int(float64(2*h) - (momentum-100)/scaleY*float64(2*h-1)),
		}
	}
	cx, cy := w/2, h/2
	for x := range w {
		g.set(x, cy, '─', pal.muted)
	}
	for y := range h {
		g.set(cx, y, '│', pal.muted)
	}
	g.set(cx, cy, '┼', pal.muted)
	for _, c := range quadrantCorners {
		name := string(c.q)
		x, y := 0, 0
		if c.right {
			x = w - len(name)
		}
		if c.down {
			y = h - 1
		}
		g.write(x, y, name, pal.quadrant[c.q], true)
	}
	// Tails are lines through the last sessions, so a segment's path reads
	// as one stroke; markers and names go on top.
	for _, seg := range segs {
		tail := seg.Rotation.Tail
		for i, p := range tail {
			switch {
			case !onMap(p):
			case i > 0 && onMap(tail[i-1]):
				for _, q := range graph.GetLinePoints(dot(tail[i-1].Ratio, tail[i-1].Momentum), dot(p.Ratio, p.Momentum)) {
					g.dot(q.X, q.Y, pal.era[seg.Era])
				}
			default:
				d := dot(p.Ratio, p.Momentum)
				g.dot(d.X, d.Y, pal.era[seg.Era])
			}
		}
	}
	// Every marker goes down before any name, so no name can hide one.
	type marker struct{ x, y int }
	markers := make([]marker, len(segs))
	placed := 0
	for i, seg := range segs {
		ratio, ok1 := seg.Rotation.Ratio.Get()
		momentum, ok2 := seg.Rotation.Momentum.Get()
		markers[i] = marker{-1, -1}
		if !ok1 || !ok2 || !onMap(baskets.TailPoint{Ratio: ratio, Momentum: momentum}) {
			continue
		}
		p := dot(ratio, momentum)
		x, y := min(max(p.X/2, 0), w-1), min(max(p.Y/4, 0), h-1)
		x, y = g.nearestFree(x, y) // a marker on another would hide it
		symbol := eraMarker(seg.Era)
		if seg.File == "" {
			symbol = eraPointMarker(seg.Era)
		}
		g.set(x, y, symbol, pal.era[seg.Era])
		g.taken[y*w+x] = true
		markers[i] = marker{x, y}
		placed++
	}
	// A name that finds no free spot beside its marker tries again shorter,
	// so a crowded corner keeps its labels, however cut.
	labelW := min(max(w/4, 4), 16)
	isMarker := map[marker]bool{}
	for _, m := range markers {
		isMarker[m] = m.x >= 0
	}
	for i, seg := range segs {
		if n, ok := numbers[seg.File]; ok && markers[i].x >= 0 {
			m := markers[i]
			// A tag touching a second marker could be read as that one's:
			// such spots are a last resort.
			alone := func(tx, ty int) bool {
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						if o := (marker{tx + dx, ty + dy}); o != m && isMarker[o] {
							return false
						}
					}
				}
				return true
			}
			text := strconv.Itoa(n)
			if !g.tag(m.x, m.y, text, pal.era[seg.Era], alone) {
				g.tag(m.x, m.y, text, pal.era[seg.Era], nil)
			}
		}
	}
	for i, seg := range segs {
		if _, numbered := numbers[seg.File]; numbered {
			continue
		}
		if m := markers[i]; m.x >= 0 {
			for lw := labelW; lw >= 3; lw -= 4 {
				if g.label(m.x, m.y, shortName(clean(seg.Name), lw), pal.era[seg.Era]) {
					break
				}
			}
		}
	}
	if placed == 0 {
		msg := "no rotation data yet"
		g.write(max((w-len(msg))/2, 0), max(cy-1, 0), msg, pal.muted, true)
	}
	return g.lines()
}

// mapPalette numbers the map's styles so cells can be compared by paint.
type mapPalette struct {
	styles   []lipgloss.Style // 0 is unstyled
	muted    uint8
	era      map[watchlists.Era]uint8
	quadrant map[baskets.Quadrant]uint8
}

func newMapPalette(s *Styles) mapPalette {
	p := mapPalette{styles: []lipgloss.Style{{}}, era: map[watchlists.Era]uint8{}, quadrant: map[baskets.Quadrant]uint8{}}
	add := func(st lipgloss.Style) uint8 {
		p.styles = append(p.styles, st)
		return uint8(len(p.styles) - 1)
	}
	p.muted = add(s.Muted)
	for _, e := range []watchlists.Era{watchlists.Training, watchlists.Inference, watchlists.Benchmark} {
		p.era[e] = add(s.Era[e])
	}
	for _, c := range quadrantCorners {
		p.quadrant[c.q] = add(s.Quadrant[string(c.q)])
	}
	return p
}

// onMap reports whether a point can be drawn: both figures finite.
func onMap(p baskets.TailPoint) bool { return !notFinite(p.Ratio) && !notFinite(p.Momentum) }

// shortName fits a name in w cells, dropping a word fragment too short to
// read: "GPUs & accelerators" becomes "GPUs…", not "GPUs & a…".
func shortName(name string, w int) string {
	if ansi.StringWidth(name) <= w {
		return name
	}
	cut := ansi.Truncate(name, w-1, "")
	if i := strings.LastIndexByte(cut, ' '); i > 0 && len(cut)-i-1 < 3 {
		cut = strings.TrimRight(cut[:i], " &/-,")
	}
	return cut + "…"
}

// mapScale is how far from 100 each axis reaches: the farthest point of any
// tail, with a margin, so every segment fits and the centre stays put.
func mapScale(segs []baskets.SegmentResult) (x, y float64) {
	x, y = 0.5, 0.5
	for _, seg := range segs {
		points := slices.Clone(seg.Rotation.Tail)
		if r, m := seg.Rotation.Ratio, seg.Rotation.Momentum; r.Valid && m.Valid {
			points = append(points, baskets.TailPoint{Ratio: r.Value, Momentum: m.Value})
		}
		for _, p := range points {
			if onMap(p) {
				x, y = max(x, abs(p.Ratio-100)*1.15), max(y, abs(p.Momentum-100)*1.15)
			}
		}
	}
	return x, y
}

// rotationCells formats a segment's place on the map; all dashes when the
// map could not be computed for it.
func rotationCells(s *Styles, rot baskets.Rotation) (quadrant, ratio, momentum, arrow string) {
	if rot.Quadrant == "" || !rot.Ratio.Valid || !rot.Momentum.Valid {
		return s.Muted.Render(dash), dash, dash, dash
	}
	style := s.Quadrant[string(rot.Quadrant)]
	return style.Render(string(rot.Quadrant)), fmt.Sprintf("%.2f", rot.Ratio.Value),
		fmt.Sprintf("%.2f", rot.Momentum.Value), style.Render(tailArrow(rot.Tail))
}

// tailArrow is the direction of the last step on the map: ↗ gaining strength
// and momentum, ↘ gaining strength but slowing, and so on.
func tailArrow(tail []baskets.TailPoint) string {
	if len(tail) < 2 {
		return "·"
	}
	a, b := tail[len(tail)-2], tail[len(tail)-1]
	dx, dy := b.Ratio-a.Ratio, b.Momentum-a.Momentum
	switch {
	case dx >= 0 && dy >= 0:
		return "↗"
	case dx >= 0:
		return "↘"
	case dy < 0:
		return "↙"
	default:
		return "↖"
	}
}

// What the rotation map adds to cellGrid (chart.go): single dots, text
// that keeps its cells from later drawing, and names placed beside markers.

// dot sets one braille dot (x of 2w across, y of 4h down).
func (g *cellGrid) dot(x, y int, paint uint8) {
	if x >= 0 && y >= 0 {
		g.braille(x/2, y/4, brailleBlank|brailleBits[y%4][x%2], paint)
	}
}

// write puts text at x, y; when reserve is set the cells are kept from
// later labels and tails.
func (g *cellGrid) write(x, y int, text string, paint uint8, reserve bool) {
	if y < 0 || y >= g.h {
		return
	}
	for _, r := range text {
		rw := ansi.StringWidth(string(r))
		if x < 0 || x+rw > g.w {
			return
		}
		g.set(x, y, r, paint)
		if rw == 2 {
			g.set(x+1, y, -1, paint)
		}
		for i := range rw {
			g.taken[y*g.w+x+i] = g.taken[y*g.w+x+i] || reserve
		}
		x += rw
	}
}

// label writes a marker's name beside it: to the right, else to the left,
// else on the row above or below; nowhere if every spot is taken. A name
// keeps a blank cell from its marker and from any other name.
func (g *cellGrid) label(x, y int, text string, paint uint8) bool {
	tw := ansi.StringWidth(text)
	spots := []struct {
		x, y int
		text string
	}{
		{x + 1, y, " " + text}, {x - tw - 1, y, text + " "},
		{x, y - 1, text}, {x, y + 1, text}, {x - tw + 1, y - 1, text}, {x - tw + 1, y + 1, text},
	}
	for _, sp := range spots {
		n := ansi.StringWidth(sp.text)
		// Check one cell beyond the text on either side, except the marker's.
		from, to := sp.x-1, sp.x+n
		if sp.y == y {
			from, to = min(sp.x, x+1), max(sp.x+n-1, x-1)
			if sp.x > x {
				to++
			} else {
				from--
			}
		}
		if sp.x >= 0 && sp.x+n <= g.w && g.free(from, sp.y, to-from+1) {
			g.write(sp.x, sp.y, sp.text, paint, true)
			return true
		}
	}
	return false
}

// nearestFree is x, y when no marker or label holds it, else the first free
// cell around it; x, y itself when all eight are held. One cell is within
// the map's resolution, and every segment stays in sight.
func (g *cellGrid) nearestFree(x, y int) (int, int) {
	for _, d := range [][2]int{{0, 0}, {1, 0}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {1, 1}, {-1, -1}, {-1, 1}} {
		if nx, ny := x+d[0], y+d[1]; nx >= 0 && ny >= 0 && nx < g.w && ny < g.h && !g.taken[ny*g.w+nx] {
			return nx, ny
		}
	}
	return x, y
}

// tag writes a short mark, a tab number, touching its marker: to the right,
// the left, then above or below and the corners. It needs its own cells
// free and the cells either side of it too (but the marker's), so that two
// tags never run together, and alone (when given) to hold for each of its
// cells; nowhere if no spot will do.
func (g *cellGrid) tag(x, y int, text string, paint uint8, alone func(x, y int) bool) bool {
	tw := ansi.StringWidth(text)
	spots := []struct{ x, y int }{
		{x + 1, y}, {x - tw, y},
		{x, y - 1}, {x, y + 1}, {x + 1, y - 1}, {x + 1, y + 1},
		{x - tw + 1, y - 1}, {x - tw + 1, y + 1}, {x - tw, y - 1}, {x - tw, y + 1},
	}
	for _, sp := range spots {
		// The cells either side stay clear, but for the marker's own.
		from, n := sp.x-1, tw+2
		switch {
		case sp.y == y && sp.x > x:
			from, n = sp.x, tw+1
		case sp.y == y:
			n = tw + 1
		}
		if sp.x < 0 || sp.x+tw > g.w || !g.free(from, sp.y, n) {
			continue
		}
		ok := true
		for i := range tw {
			ok = ok && (alone == nil || alone(sp.x+i, sp.y))
		}
		if ok {
			g.write(sp.x, sp.y, text, paint, true)
			return true
		}
	}
	return false
}

// mapLegendWidth is the side legend's column, its gap included; the map
// takes one only while the plot keeps mapMinPlot cells across.
const mapLegendWidth, mapMinPlot = 22, 34

// sideLegendFits reports whether a map w cells across and h high can give
// n segments a legend line each and still keep mapMinPlot cells of plot.
func sideLegendFits(w, h, n int) bool {
	return w-mapLegendWidth >= mapMinPlot && n > 0 && n <= h
}

// mapSideLegend lists the numbered segments beside the map, " 3 ■ GPUs and
// GPU…", when the plot keeps mapMinPlot cells across and every segment on
// the map has a line.
func mapSideLegend(s *Styles, segs []baskets.SegmentResult, numbers map[string]int, w, h int) ([]string, bool) {
	var entries []baskets.SegmentResult
	for _, seg := range segs {
		if _, ok := numbers[seg.File]; ok && seg.Rotation.Ratio.Valid && seg.Rotation.Momentum.Valid {
			entries = append(entries, seg)
		}
	}
	if !sideLegendFits(w, h, len(entries)) {
		return nil, false
	}
	slices.SortFunc(entries, func(a, b baskets.SegmentResult) int { return numbers[a.File] - numbers[b.File] })
	lines := make([]string, h)
	top := (h - len(entries)) / 2
	for i := range lines {
		lines[i] = strings.Repeat(" ", mapLegendWidth)
	}
	for i, seg := range entries {
		text := fmt.Sprintf("%2d %c %s", numbers[seg.File], eraMarker(seg.Era), shortName(clean(seg.Name), mapLegendWidth-7))
		lines[top+i] = "  " + padRight(s.Era[seg.Era].Render(text), mapLegendWidth-2)
	}
	return lines, true
}

// free reports whether n cells from x are clear of markers and labels;
// cells beyond the edges count as clear.
func (g *cellGrid) free(x, y, n int) bool {
	if y < 0 || y >= g.h || x+1 < 0 || x+n-1 > g.w {
		return false
	}
	for i := max(x, 0); i < min(x+n, g.w); i++ {
		if g.taken[y*g.w+i] {
			return false
		}
	}
	return true
}
