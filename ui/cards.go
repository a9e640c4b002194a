package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/watchlists"
)

// Card sizes, borders included. A full card gives the sparkline a whole
// line and adds the quadrant; a compact one puts the sparkline beside the
// breadth. Both give best and worst a line each, in words: arrows would
// read as up and down.
const (
	cardMinWidth      = 30
	fullCardHeight    = 7
	compactCardHeight = 6
)

// eraWords are the era badge texts and the list's short codes.
var eraWords = map[watchlists.Era][2]string{
	watchlists.Training:  {"training", "TRN"},
	watchlists.Inference: {"inference", "INF"},
	watchlists.Benchmark: {"benchmark", "BMK"},
}

// segmentCard draws one segment in exactly w cells across: the name at the
// top of the frame and the era badge at the bottom, then return, excess over
// the benchmark, breadth, coverage when incomplete, the basket's sparkline
// and its best and worst members; a full card adds its quadrant on the map.
func segmentCard(s *Styles, seg *baskets.SegmentResult, bench string, w int, full bool) []string {
	iw := w - 4
	words := eraWords[seg.Era]
	badge := s.EraBadge[seg.Era].Render(words[0])
	ret := s.Change(seg.Return.Value).Render(pct(seg.Return))
	excess := s.Change(seg.Excess.Value).Render(points(seg.Excess)) + s.Muted.Render(" vs "+clean(bench))
	breadth := breadthOf(s, seg.Up, seg.Down)
	if c := seg.Coverage; c.Priced < c.Total {
		breadth += "  " + s.Warn.Render(fmt.Sprintf("%d/%d priced", c.Priced, c.Total))
	}
	trend := s.Change(seg.Return.Value)
	var body []string
	if full {
		place, _, _, arrow := rotationCells(s, seg.Rotation)
		if seg.Rotation.Quadrant != "" {
			place += " " + arrow
		}
		if v := relVol(seg.RelativeVolume); v != "" && ansi.StringWidth(breadth)+ansi.StringWidth(v)+ansi.StringWidth(place)+2 <= iw {
			breadth += " " + s.Muted.Render(v)
		}
		body = []string{
			spread(ret, excess, iw),
			spread(breadth, place, iw),
			trend.Render(sparkline(seg.Index.Values, iw)),
			memberLine(s, "best ", seg.Best, iw),
			memberLine(s, "worst", seg.Worst, iw),
		}
	} else {
		if v := relVol(seg.RelativeVolume); v != "" && iw-ansi.StringWidth(breadth)-ansi.StringWidth(v)-3 >= 8 {
			breadth += " " + s.Muted.Render(v) // the sparkline keeps at least 8 cells
		}
		room := iw - ansi.StringWidth(breadth) - 2
		line2 := breadth
		if room >= 6 {
			line2 = spread(breadth, trend.Render(sparkline(seg.Index.Values, room)), iw)
		}
		body = []string{spread(ret, excess, iw), line2, memberLine(s, "best ", seg.Best, iw), memberLine(s, "worst", seg.Worst, iw)}
	}
	h := compactCardHeight
	if full {
		h = fullCardHeight
	}
	return frame(s, s.Title.Render(clean(seg.Name)), "", badge, body, w, h)
}

// breadthOf is "5▲ 2▼": members up and down over the range.
func breadthOf(s *Styles, up, down int) string {
	return s.Up.Render(strconv.Itoa(up)+"▲") + " " + s.Down.Render(strconv.Itoa(down)+"▼")
}

// memberLine is "best  NVDA      ▲ +20.10%"; a symbol too long for the
// line gives way to its name's first word (see memberLabel).
func memberLine(s *Styles, what string, m *baskets.SymbolResult, w int) string {
	if m == nil {
		return s.Muted.Render(what + " " + dash)
	}
	ret := s.Change(m.RangeReturn.Value).Render(pct(m.RangeReturn))
	label := memberLabel(m, w-ansi.StringWidth(what)-ansi.StringWidth(ret)-2)
	return spread(s.Muted.Render(what)+" "+label, ret, w)
}

// memberLabel names a member in w cells: its symbol when it fits whole, else
// the first word of its name when that does (Hanmi for 042700.KS), else the
// symbol cut.
func memberLabel(m *baskets.SymbolResult, w int) string {
	sym := clean(m.Symbol)
	if ansi.StringWidth(sym) <= w {
		return sym
	}
	if first, _, _ := strings.Cut(strings.TrimSpace(clean(m.Name)), " "); first != "" && ansi.StringWidth(first) <= w {
		return first
	}
	return truncate(sym, w)
}

// spread puts left and right at the two ends of w cells, cutting right first.
func spread(left, right string, w int) string {
	gap := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return truncate(left+" "+right, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// cardGrid lays cards out in rows of cols, widths shared out so the grid
// fills w exactly.
func cardGrid(s *Styles, segs []baskets.SegmentResult, bench string, w, cols int, full bool, memo cardMemo) []string {
	var out []string
	for start := 0; start < len(segs); start += cols {
		row := segs[start:min(start+cols, len(segs))]
		lines, used := []string(nil), 0
		for i := range row {
			cw := w / cols
			if i < w%cols {
				cw++
			}
			card := memo.card(s, &row[i], bench, cw, full)
			if lines == nil {
				lines = slices.Clone(card) // a kept card is not written to
			} else {
				for k := range lines {
					lines[k] += card[k]
				}
			}
			used += cw
		}
		for k := range lines {
			lines[k] += strings.Repeat(" ", w-used) // a last row that is not full
		}
		out = append(out, lines...)
	}
	return out
}

// listColumns are the widths of the one-line-per-segment list.
type listColumns struct {
	name, spark int
	quadrant    bool // quadrant and direction of the last step
	rsFigures   bool // RS-ratio and RS-momentum
}

// Widths of the list's fixed columns, gaps included.
const (
	listEraW       = 4           // " TRN"
	listNumbersW   = 10 + 11 + 9 // return, excess, breadth
	listQuadrantW  = 2 + 9 + 2   // "  weakening ↘"
	listRSFiguresW = 7 + 7       // ratio, momentum
	listNameMin    = 12
)

// planList fits the list's columns into w: the name first, then the
// rotation columns when asked for (its figures only if the name keeps 14
// cells), then a sparkline with what is left.
func planList(w int, rotation bool) listColumns {
	c := listColumns{quadrant: rotation}
	fixed := listEraW + listNumbersW
	if rotation {
		fixed += listQuadrantW
		c.rsFigures = w-fixed-listRSFiguresW >= 14
		if c.rsFigures {
			fixed += listRSFiguresW
		}
	}
	room := w - fixed
	c.name = min(max(room, listNameMin), 24)
	if spare := room - c.name; spare >= 8 {
		c.spark = min(spare-1, 16)
	} else if room-listNameMin >= 10 {
		c.name = room - 10
		c.spark = 9
	}
	return c
}

// segmentList is one line per segment under a header row whose first
// column reads title: name, era, return, excess, breadth,
// a sparkline when there is room and, in place of the rotation map on
// narrow screens, the segment's quadrant, direction, ratio and momentum.
// Rows that do not fit end in a "+N more" line.
func segmentList(s *Styles, segs []baskets.SegmentResult, bench, title string, w, h int, rotation bool) []string {
	c := planList(w, rotation)
	head := padRight(title, c.name) + "    " + padLeft("return", 10) + padLeft("vs "+clean(bench), 11) + padLeft("breadth", 9)
	if c.spark > 0 {
		head += " " + padRight("trend", c.spark)
	}
	if c.quadrant {
		head += "  " + padRight("rotation", 11)
	}
	if c.rsFigures {
		head += padLeft("ratio", 7) + padLeft("mom", 7)
	}
	out := []string{s.TableHeader.Render(truncate(head, w))}
	shown := len(segs)
	if shown > h-1 {
		shown = max(h-2, 0)
	}
	for i := range segs[:shown] {
		out = append(out, listRow(s, &segs[i], c, w))
	}
	if shown < len(segs) {
		out = append(out, s.Muted.Render(fmt.Sprintf("+%d more below · j/k or the wheel scroll", len(segs)-shown)))
	}
	return strings.Split(blockOf(strings.Join(out, "\n"), w, h), "\n")
}

func listRow(s *Styles, seg *baskets.SegmentResult, c listColumns, w int) string {
	era := s.Era[seg.Era].Render(eraWords[seg.Era][1])
	name := clean(seg.Name)
	if cv := seg.Coverage; cv.Priced < cv.Total {
		name = truncate(name, c.name-4) + s.Muted.Render(fmt.Sprintf(" %d/%d", cv.Priced, cv.Total))
	}
	row := padRight(name, c.name) + " " + era +
		padLeft(s.Change(seg.Return.Value).Render(pct(seg.Return)), 10) +
		padLeft(s.Change(seg.Excess.Value).Render(points(seg.Excess)), 11) +
		padLeft(breadthOf(s, seg.Up, seg.Down), 9)
	if c.spark > 0 {
		row += " " + s.Change(seg.Return.Value).Render(sparkline(seg.Index.Values, c.spark))
	}
	quad, ratio, momentum, arrow := rotationCells(s, seg.Rotation)
	if c.quadrant {
		row += "  " + padRight(quad, 9) + " " + arrow
	}
	if c.rsFigures {
		row += padLeft(ratio, 7) + padLeft(momentum, 7)
	}
	return padRight(row, w)
}

// cardMemo keeps the cards drawn since the last whole draw of the overview,
// by what they show: in a frame of trades only the cards of the segments
// that traded change (nil keeps none).
type cardMemo map[cardKey][]string

// cardKey is everything a card shows that a trade can move; the rest (its
// sparkline's points but the last, its place's tail) moves only with a
// whole compute, which empties the memo.
type cardKey struct {
	file, name, bench       string
	w                       int
	full                    bool
	ret, excess, vol        baskets.Opt
	up, down, priced, total int
	ratio, momentum         baskets.Opt
	quadrant                baskets.Quadrant
	points                  int
	last                    float64
	best, worst             string
	bestRet, worstRet       baskets.Opt
}

func (c cardMemo) card(s *Styles, seg *baskets.SegmentResult, bench string, w int, full bool) []string {
	if c == nil {
		return segmentCard(s, seg, bench, w, full)
	}
	k := cardKey{file: seg.File, name: seg.Name, bench: bench, w: w, full: full, ret: seg.Return, excess: seg.Excess,
		vol: seg.RelativeVolume, up: seg.Up, down: seg.Down, priced: seg.Coverage.Priced, total: seg.Coverage.Total,
		ratio: seg.Rotation.Ratio, momentum: seg.Rotation.Momentum, quadrant: seg.Rotation.Quadrant, points: len(seg.Index.Values)}
	if n := len(seg.Index.Values); n > 0 {
		k.last = seg.Index.Values[n-1]
	}
	if seg.Best != nil {
		k.best, k.bestRet = seg.Best.Symbol, seg.Best.RangeReturn
	}
	if seg.Worst != nil {
		k.worst, k.worstRet = seg.Worst.Symbol, seg.Worst.RangeReturn
	}
	if lines, ok := c[k]; ok {
		return lines
	}
	lines := segmentCard(s, seg, bench, w, full)
	c[k] = lines
	return lines
}
