package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
)

// sinceLine says a date range in words, over the whole width of the
// Rotation tab: "since 2025-01-27 (The DeepSeek sell-off): inference
// +41.2 %, training +18.9 %, spread +22.3 pp", naming the event of that
// date when there is one. Where it does not fit, the event goes first,
// then the words "inference" and "training" shorten; a number is never
// cut. "" when the range is not a date.
func (v rotationView) sinceLine(w int) string {
	d, ok := v.report.Range.Date()
	if !ok {
		return ""
	}
	s, e := v.styles, v.report.Eras
	num := func(o baskets.Opt, unit string) string {
		x, ok := o.Get()
		if !ok {
			return s.Muted.Render(dash)
		}
		return s.Change(x).Render(signed(x, 1) + " " + unit)
	}
	label := ""
	for _, ev := range v.events {
		if ev.Date.Equal(d) {
			label = clean(ev.Label)
			break
		}
	}
	date := s.Bold.Render("since " + d.Format("2006-01-02"))
	for _, c := range []struct {
		label   bool
		inf, tr string
	}{{true, "inference", "training"}, {false, "inference", "training"}, {false, "inf", "trn"}} {
		head := date
		if c.label && label != "" {
			head += s.Muted.Render(" (" + label + ")")
		}
		line := head + s.Muted.Render(": ") +
			s.Muted.Render(c.inf+" ") + num(e.Inference.Return, "%") + s.Muted.Render(", "+c.tr+" ") + num(e.Training.Return, "%") +
			s.Muted.Render(", spread ") + num(e.Spread, "pp")
		if ansi.StringWidth(line) <= w {
			return padRight(line, w)
		}
	}
	return padRight(date+s.Muted.Render(": spread ")+num(e.Spread, "pp"), w)
}

// horizonDropOrder is which horizons the strip leaves out first when the
// caption line is too narrow for all of them: the ones between the day,
// the month, the year and five years go before those, and a date on
// screen (which the since line states anyway) stays to the last.
var horizonDropOrder = []feeds.Range{feeds.Range3Y, feeds.Range5D, feeds.Range3M, feeds.RangeYTD, feeds.Range2Y, feeds.Range1M}

// stripCells are the horizon cells that fit in room columns, in horizon
// order, keeping as many as fit in horizonDropOrder's terms.
func stripCells(cells []string, ranges []feeds.Range, room int) []string {
	keep := slices.Clone(cells)
	width := func() int {
		return ansi.StringWidth(strings.Join(slices.DeleteFunc(slices.Clone(keep), func(c string) bool { return c == "" }), " "))
	}
	for _, r := range horizonDropOrder {
		if width() <= room {
			break
		}
		if i := slices.Index(ranges, r); i >= 0 {
			keep[i] = ""
		}
	}
	return slices.DeleteFunc(keep, func(c string) bool { return c == "" })
}
