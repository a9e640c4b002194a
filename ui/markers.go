package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/events"
)

// Events on the charts. Each chart marks the events dated within its time
// span with a glyph on its time axis, a rule up through the plot where no
// line is drawn, and a legend line under it that says what each glyph is:
// "1 2025-01-27 DeepSeek-R1 sell-off · 2 2025-06-03 NVDA earnings".

// eventsOn are the events a chart shows: those for every chart, and those
// naming one of symbols (the headline passes none; a segment its members;
// a symbol's detail chart that symbol). Earnings go on their symbol's
// detail chart alone (detail true), not on every segment holding it.
func eventsOn(evs []events.Event, symbols []string, detail bool) []events.Event {
	var out []events.Event
	for _, e := range evs {
		switch {
		case e.Source == events.SourceEarnings && !detail: // off every chart but its symbol's detail
		case len(e.Symbols) == 0:
			out = append(out, e)
		case slices.ContainsFunc(e.Symbols, func(s string) bool { return slices.Contains(symbols, s) }):
			out = append(out, e)
		}
	}
	return out
}

// markerGlyphs name the markers left to right; a chart marks at most this
// many places, and the legend counts the rest in its "+N more".
const markerGlyphs = "123456789abcdefghijklmnopqrstuvwxyz"

// markersMinWidth is the narrowest chart that marks events: its legend
// holds one whole entry's glyph and date, a little of its label and a
// "+N more".
const markersMinWidth = 32

// marker is one glyph on a chart: the events of the column it stands in
// (or the one beside it, which two glyphs side by side would misread as
// one number).
type marker struct {
	glyph  byte
	col    int
	events []events.Event
}

// eventsIn are the events dated within the axis's span, by date; none when
// the axis has no times.
func eventsIn(evs []events.Event, axis []time.Time) []events.Event {
	if len(evs) == 0 || len(axis) == 0 || axis[0].IsZero() {
		return nil
	}
	return events.In(evs, axis[0], axis[len(axis)-1])
}

// barOf is the index of the first time of the axis on or after the date
// (both as UTC calendar dates): an event on a day without a session marks
// the next one.
func barOf(axis []time.Time, date time.Time) int {
	day := utcDate(date)
	i := sort.Search(len(axis), func(i int) bool { return !utcDate(axis[i]).Before(day) })
	return min(i, len(axis)-1)
}

func utcDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// placeMarkers gives each event (in span, by date) its marker at the
// column of its bar, column being the chart's own mapping from a bar to a
// column. An event in the column of the marker before it, or the one
// beside it, joins that marker. Events beyond the last glyph get none:
// unmarked counts them.
func placeMarkers(evs []events.Event, axis []time.Time, column func(bar int) int) (marks []marker, unmarked int) {
	for _, e := range evs {
		col := column(barOf(axis, e.Date))
		switch n := len(marks); {
		case n > 0 && col-marks[n-1].col <= 1:
			marks[n-1].events = append(marks[n-1].events, e)
		case n == len(markerGlyphs):
			unmarked++
		default:
			marks = append(marks, marker{glyph: markerGlyphs[n], col: col, events: []events.Event{e}})
		}
	}
	return marks, unmarked
}

// markerRule is drawn up through the plot above a marker, in cells no line
// passes through.
const markerRule = '┊'

// drawMarkers puts each marker's glyph on the time axis's row and its rule
// in the blank cells of the graph's rows above it.
func (g *cellGrid) drawMarkers(marks []marker, axisRow int, paint uint8) {
	for _, mk := range marks {
		for y := range axisRow {
			if g.runes[y*g.w+mk.col] == 0 {
				g.set(mk.col, y, markerRule, paint)
			}
		}
		g.set(mk.col, axisRow, rune(mk.glyph), paint)
	}
}

// markerLegend lists the markers' events in w cells, "1 2025-01-27 label"
// joined by " · ". What does not fit is left off from the end and counted
// in a "+N more"; a single entry too long loses the end of its label,
// never its glyph or date.
func markerLegend(s *Styles, marks []marker, unmarked, w int) string {
	type entry struct{ glyph, date, label string }
	var entries []entry
	for _, mk := range marks {
		for _, e := range mk.events {
			entries = append(entries, entry{string(mk.glyph), e.Date.Format(time.DateOnly), clean(e.Label)})
		}
	}
	total := len(entries) + unmarked
	const sep = " · "
	render := func(es []entry) string {
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = s.Marker.Render(e.glyph) + s.Muted.Render(" "+e.date+" ") + e.label
		}
		line := strings.Join(parts, s.Muted.Render(sep))
		if more := total - len(es); more > 0 {
			line += s.Muted.Render(fmt.Sprintf("%s+%d more", sep, more))
		}
		return line
	}
	for k := len(entries); k > 1; k-- {
		if line := render(entries[:k]); ansi.StringWidth(line) <= w {
			return padRight(line, w)
		}
	}
	first := entries[0]
	over := ansi.StringWidth(render(entries[:1])) - w
	if over > 0 {
		first.label = truncate(first.label, max(ansi.StringWidth(first.label)-over, 1))
	}
	return padRight(render([]entry{first}), w)
}

// sameEvents says whether two lists hold the same events in the same order.
func sameEvents(a, b []events.Event) bool {
	return slices.EqualFunc(a, b, func(x, y events.Event) bool {
		return x.Date.Equal(y.Date) && x.Label == y.Label && x.Source == y.Source && slices.Equal(x.Symbols, y.Symbols)
	})
}
