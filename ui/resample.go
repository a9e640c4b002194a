package ui

import (
	"time"

	"github.com/rotation-dev/rotation/baskets"
)

// A chart of a long range (the headline's, a segment's, a symbol's) is
// drawn on weekly or monthly points, so that years of daily closes read as
// a line rather than noise; the figures beside it still come from the
// daily closes.

// chartStep is the spacing of a headline chart's points over a span of
// that many days: daily up to about 13 months, weekly up to about three
// years and a month, monthly beyond.
func chartStep(span time.Duration) string {
	days := span.Hours() / 24
	switch {
	case days <= 400:
		return ""
	case days <= 3*366+31:
		return "week"
	}
	return "month"
}

// resampled keeps, of a daily line, its first point (the base), the last
// point of each week (ISO week) or month, and its last point (now).
func resampled(l baskets.Line, step string) baskets.Line {
	n := min(len(l.Times), len(l.Values))
	if step == "" || n < 3 {
		return l
	}
	period := func(t time.Time) int {
		if step == "week" {
			y, w := t.ISOWeek()
			return y*100 + w
		}
		return t.Year()*100 + int(t.Month())
	}
	out := baskets.Line{Times: []time.Time{l.Times[0]}, Values: []float64{l.Values[0]}}
	for i := 1; i < n; i++ {
		if i == n-1 || period(l.Times[i]) != period(l.Times[i+1]) {
			out.Times, out.Values = append(out.Times, l.Times[i]), append(out.Values, l.Values[i])
		}
	}
	return out
}

// chartSpan is how long a line runs, first point to last.
func chartSpan(l baskets.Line) time.Duration {
	if len(l.Times) < 2 {
		return 0
	}
	return l.Times[len(l.Times)-1].Sub(l.Times[0])
}

// readable is a chart's lines on the points their longest span calls for
// (chartStep), the same for every line so that they stay aligned.
func readable(lines []chartLine) []chartLine {
	var span time.Duration
	for _, l := range lines {
		span = max(span, chartSpan(baskets.Line{Times: l.Times, Values: l.Values}))
	}
	step := chartStep(span)
	if step == "" {
		return lines
	}
	out := make([]chartLine, len(lines))
	for i, l := range lines {
		r := resampled(baskets.Line{Times: l.Times, Values: l.Values}, step)
		out[i] = l
		out[i].Times, out[i].Values = r.Times, r.Values
	}
	return out
}
