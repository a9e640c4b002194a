package ui

import (
	"cmp"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/watchlists"
)

// The segment tab's chart: the basket against the benchmark over the
// range, with the events of the segment's members marked. It takes the
// rows the table leaves under it, and only when they hold a chart with
// axes, its key and its legend; a table that fills the tab shows none.

// The chart's rows with the blank line and the key above it: at least a
// chart with its axes and the events' legend, at most about the headline
// chart's height, beyond which a basket's wobbles only grow.
const (
	segChartMinHeight = 2 + axesMinHeight + 1
	segChartMaxHeight = 24
)

// chartHeight is the rows the chart takes under the whole table, 0 when
// too few are left.
func (v *segmentView) chartHeight() int {
	_, _, above := v.chrome()
	if spare := v.height - above - len(v.rows); spare >= segChartMinHeight {
		return min(spare, segChartMaxHeight)
	}
	return 0
}

// renderChart draws the chart when the data or the size change.
func (v *segmentView) renderChart() {
	v.chart = ""
	h := v.chartHeight()
	if h == 0 {
		return
	}
	s, d := v.styles, v.data
	var k keyedLines
	k.add(cmp.Or(clean(d.Segment.Name), "basket"), d.Segment.Index.Times, d.Segment.Index.Values, basketStyle(s, d.Segment.Era), d.Segment.Return)
	k.add(cmp.Or(clean(d.Benchmark.Symbol), "benchmark"), d.Benchmark.Index.Times, d.Benchmark.Index.Values, s.Muted, d.Benchmark.Return)
	if len(k.lines) == 0 {
		return
	}
	chart := v.memo.get(d.Now, v.width, h-2, func() string { return lineChart(s, v.width, h-2, d.Zone, k.lines, d.Events) })
	v.chart = "\n\n" + truncate(k.key(s), v.width) + "\n" + chart
}

// keyedLines are a chart's lines, each with its range return for the key
// above the chart.
type keyedLines struct {
	lines   []chartLine
	returns []baskets.Opt
}

// add appends a line that has points.
func (k *keyedLines) add(label string, times []time.Time, values []float64, style lipgloss.Style, ret baskets.Opt) {
	if len(values) > 0 {
		k.lines = append(k.lines, chartLine{Label: label, Times: times, Values: values, Style: style})
		k.returns = append(k.returns, ret)
	}
}

// key names the lines in their colours, each with its range return:
// "━━ NVDA ▲ +6.12%   ━━ SPY ▲ +3.20%".
func (k keyedLines) key(s *Styles) string {
	key := make([]string, len(k.lines))
	for i, l := range k.lines {
		key[i] = l.Style.Render("━━ "+l.Label) + " " + toneStyle(s, toneOf(k.returns[i]), false).Render(pct(k.returns[i]))
	}
	return strings.Join(key, "   ")
}

// basketStyle is the colour of a basket's line: its era's.
func basketStyle(s *Styles, era watchlists.Era) lipgloss.Style {
	if st, ok := s.Era[era]; ok {
		return st
	}
	return s.Bold
}
