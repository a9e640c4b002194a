package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

func evDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// fixtureEvents fall within fixtureReport's span (14 July to 19 September
// 2025) but for the first; two name symbols, so they stay off the headline.
func fixtureEvents() []events.Event {
	return []events.Event{
		{Date: evDay("2025-06-02"), Label: "before the range", Source: events.SourceFile},
		{Date: evDay("2025-07-23"), Label: "US AI Action Plan", Source: events.SourceFile},
		{Date: evDay("2025-08-07"), Label: "GPT-5 released", Source: events.SourceFile},
		{Date: evDay("2025-08-27"), Label: "NVDA earnings", Symbols: []string{"NVDA"}, Source: events.SourceEarnings},
		{Date: evDay("2025-09-09"), Label: "Oracle's backlog jumps", Symbols: []string{"ORCL"}, Source: events.SourceFile},
		{Date: evDay("2025-09-10"), Label: "Oracle's cloud backlog lifts the AI trade", Source: events.SourceFile},
	}
}

func labelsOf(evs []events.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Label)
	}
	return out
}

// TestEventsOnWhichChart: events for every chart go on every one; one
// naming symbols on those symbols' detail charts and the charts of
// segments holding one of them, never the headline; earnings on their
// symbol's detail chart only.
func TestEventsOnWhichChart(t *testing.T) {
	evs := []events.Event{
		{Label: "everywhere", Source: events.SourceFile},
		{Label: "built in", Source: events.SourceBuiltin},
		{Label: "nvda news", Symbols: []string{"NVDA"}, Source: events.SourceFile},
		{Label: "amd or tsm news", Symbols: []string{"AMD", "TSM"}, Source: events.SourceFile},
		{Label: "NVDA earnings", Symbols: []string{"NVDA"}, Source: events.SourceEarnings},
		{Label: "AMD earnings", Symbols: []string{"AMD"}, Source: events.SourceEarnings},
	}
	cases := []struct {
		name    string
		symbols []string
		detail  bool
		want    []string
	}{
		{"headline", nil, false, []string{"everywhere", "built in"}},
		{"segment of NVDA and AVGO", []string{"NVDA", "AVGO"}, false, []string{"everywhere", "built in", "nvda news"}},
		{"segment of TSM", []string{"TSM", "UMC"}, false, []string{"everywhere", "built in", "amd or tsm news"}},
		{"segment of none of them", []string{"INTC"}, false, []string{"everywhere", "built in"}},
		{"NVDA's detail", []string{"NVDA"}, true, []string{"everywhere", "built in", "nvda news", "NVDA earnings"}},
		{"AMD's detail", []string{"AMD"}, true, []string{"everywhere", "built in", "amd or tsm news", "AMD earnings"}},
		{"INTC's detail", []string{"INTC"}, true, []string{"everywhere", "built in"}},
	}
	for _, c := range cases {
		if got := labelsOf(eventsOn(evs, c.symbols, c.detail)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestModelRoutesEvents: the model hands each chart its events, earnings
// from the latest quotes going to their symbol's detail chart alone.
func TestModelRoutesEvents(t *testing.T) {
	m := simModelWith(t, Options{Set: watchlists.Defaults(), Events: []events.Event{
		{Date: evDay("2026-11-20"), Label: "everywhere", Source: events.SourceFile},
		{Date: evDay("2026-11-20"), Label: "nvda news", Symbols: []string{"NVDA"}, Source: events.SourceFile},
	}}, 120, 40)
	u := m.update
	u.Quotes = maps.Clone(u.Quotes)
	earn := time.Date(2026, 11, 19, 21, 20, 0, 0, time.UTC)
	q := u.Quotes["NVDA"]
	q.EarningsTime = &earn
	u.Quotes["NVDA"] = q
	m = step(m, quotesUpdatedMsg{u})
	if got := labelsOf(m.rotation.events); !slices.Equal(got, []string{"everywhere"}) {
		t.Errorf("headline: %q", got)
	}
	m = step(m, keyRune('3')) // GPUs and GPU systems, NVDA first
	if got := labelsOf(m.activeSegment().data.Events); !slices.Equal(got, []string{"everywhere", "nvda news"}) {
		t.Errorf("NVDA's segment: %q", got)
	}
	if got := labelsOf(m.detailData("NVDA").Events); !slices.Equal(got, []string{"everywhere", "nvda news", "NVDA earnings"}) {
		t.Errorf("NVDA's detail: %q", got)
	}
	// The simulated AMD has an earnings date of its own.
	if got := labelsOf(m.detailData("AMD").Events); !slices.Equal(got, []string{"everywhere", "AMD earnings"}) {
		t.Errorf("AMD's detail: %q", got)
	}
}

// spikeChart is a chart of one flat line with a spike at bar k of the
// fixture's sessions, and an event on that bar's date.
func spikeChart(s *Styles, w, h, k int, date time.Time) string {
	days := fixtureReport().Grid
	values := make([]float64, len(days))
	for i := range values {
		values[i] = 100
	}
	values[k] = 110
	lines := []chartLine{{Label: "spike", Times: days, Values: values, Style: s.Up}}
	return ansi.Strip(lineChart(s, w, h, nil, lines, []events.Event{{Date: date, Label: "the spike", Source: events.SourceFile}}))
}

// TestMarkerLandsOnItsBar: an event's marker stands in the column its bar
// is drawn in, the column of the spike's top; an event on a weekend marks
// the next session.
func TestMarkerLandsOnItsBar(t *testing.T) {
	s := NewStyles(true)
	days := fixtureReport().Grid
	for _, w := range []int{40, 72, 120, 200} {
		for _, k := range []int{0, 1, 17, 30, len(days) - 2, len(days) - 1} {
			rows := strings.Split(spikeChart(&s, w, 16, k, days[k]), "\n")
			axisRow := rows[len(rows)-3] // over the date labels and the legend
			marker := slices.Index([]rune(axisRow), '1')
			spike := -1
			for _, r := range rows {
				if i := slices.IndexFunc([]rune(r), func(c rune) bool { return c > brailleBlank && c <= 0x28ff }); i >= 0 {
					spike = i
					break
				}
			}
			if marker < 0 || marker != spike {
				t.Errorf("w=%d bar %d: marker at column %d, the bar's top at %d:\n%s", w, k, marker, spike, strings.Join(rows, "\n"))
			}
			if !strings.HasPrefix(rows[len(rows)-1], "1 "+days[k].Format(time.DateOnly)+" the spike") {
				t.Errorf("w=%d bar %d: legend %q", w, k, rows[len(rows)-1])
			}
		}
	}
	// 2 August 2025 is a Saturday: its marker is Monday's, the 4th.
	sat, mon := evDay("2025-08-02"), slices.IndexFunc(days, func(d time.Time) bool { return d.Equal(evDay("2025-08-04")) })
	onSat, onMon := spikeChart(&s, 90, 16, mon, sat), spikeChart(&s, 90, 16, mon, days[mon])
	axis := func(v string) string { r := strings.Split(v, "\n"); return r[len(r)-3] }
	if axis(onSat) != axis(onMon) {
		t.Errorf("a Saturday's marker %q, Monday's %q", axis(onSat), axis(onMon))
	}
}

// TestMarkersOnlyWithinTheSpan: events before or after the chart's dates
// draw nothing, and the chart is then the one without events.
func TestMarkersOnlyWithinTheSpan(t *testing.T) {
	s := NewStyles(true)
	lines := fixtureChartLines(&s)
	outside := []events.Event{{Date: evDay("2025-07-11"), Label: "before"}, {Date: evDay("2025-09-20"), Label: "after"}}
	if got, want := lineChart(&s, 90, 16, nil, lines, outside), lineChart(&s, 90, 16, nil, lines, nil); got != want {
		t.Errorf("events outside the span changed the chart:\n%s", ansi.Strip(got))
	}
	inside := append(outside, events.Event{Date: evDay("2025-09-19"), Label: "last day"})
	if got := ansi.Strip(lineChart(&s, 90, 16, nil, lines, inside)); !strings.Contains(got, "1 2025-09-19 last day") || strings.Contains(got, "before") {
		t.Errorf("the last day's event:\n%s", got)
	}
}

// TestSmallChartsShowNoMarkers: a chart too narrow or too low for the
// legend, or drawn without axes, marks nothing and stays its size.
func TestSmallChartsShowNoMarkers(t *testing.T) {
	s := NewStyles(true)
	lines := fixtureChartLines(&s)
	evs := fixtureEvents()
	for w := 1; w <= 140; w += 3 {
		for h := 1; h <= 30; h += 2 {
			view := lineChart(&s, w, h, nil, lines, evs)
			requireBlock(t, view, w, h)
			marked := strings.Contains(ansi.Strip(view), "2025-07-23")
			if small := w < markersMinWidth || h-1 < axesMinHeight; small && marked {
				t.Fatalf("%dx%d: markers on a chart too small for them:\n%s", w, h, ansi.Strip(view))
			}
			if !marked && view != lineChart(&s, w, h, nil, lines, nil) {
				t.Fatalf("%dx%d: no legend, yet the chart differs from one without events", w, h)
			}
		}
	}
}

// TestMarkerLegendFits: entries left off from the end are counted in
// "+N more"; a date is never cut; the line is exactly the chart's width.
func TestMarkerLegendFits(t *testing.T) {
	s := NewStyles(true)
	marks := []marker{
		{glyph: '1', events: []events.Event{{Date: evDay("2025-01-27"), Label: "DeepSeek-R1 sell-off"}}},
		{glyph: '2', events: []events.Event{{Date: evDay("2025-06-03"), Label: "NVDA earnings"}, {Date: evDay("2025-06-04"), Label: "AVGO\x1b[31m earnings"}}},
	}
	cases := []struct {
		w    int
		want string
	}{
		{120, "1 2025-01-27 DeepSeek-R1 sell-off · 2 2025-06-03 NVDA earnings · 2 2025-06-04 AVGO earnings"},
		{80, "1 2025-01-27 DeepSeek-R1 sell-off · 2 2025-06-03 NVDA earnings · +1 more"},
		{50, "1 2025-01-27 DeepSeek-R1 sell-off · +2 more"},
		{32, "1 2025-01-27 DeepSeek… · +2 more"},
	}
	for _, c := range cases {
		line := markerLegend(&s, marks, 0, c.w)
		if ansi.StringWidth(line) != c.w {
			t.Errorf("w=%d: legend %d wide", c.w, ansi.StringWidth(line))
		}
		if got := strings.TrimRight(ansi.Strip(line), " "); got != c.want {
			t.Errorf("w=%d: %q, want %q", c.w, got, c.want)
		}
		if strings.Contains(line, "\x1b[31m") {
			t.Errorf("w=%d: a label's escape reached the screen: %q", c.w, line)
		}
	}
	if got := ansi.Strip(markerLegend(&s, marks[:1], 40, 60)); !strings.Contains(got, "1 2025-01-27 DeepSeek-R1 sell-off · +40 more") {
		t.Errorf("events beyond the last glyph: %q", got)
	}
}

// TestMarkersBesideEachOtherShareAGlyph: events in one column, or in
// neighbouring ones, which side by side would read as one number, share
// a marker; the legend lists each.
func TestMarkersBesideEachOtherShareAGlyph(t *testing.T) {
	s := NewStyles(true)
	evs := []events.Event{{Date: evDay("2025-08-04"), Label: "Mon"}, {Date: evDay("2025-08-05"), Label: "Tue"}, {Date: evDay("2025-09-01"), Label: "later"}}
	view := strings.Split(ansi.Strip(lineChart(&s, 60, 16, nil, fixtureChartLines(&s), evs)), "\n")
	axis, legend := view[len(view)-3], view[len(view)-1]
	if strings.Count(axis, "1") != 1 || strings.Count(axis, "2") != 1 {
		t.Errorf("axis %q, want one 1 and one 2", axis)
	}
	if !strings.HasPrefix(legend, "1 2025-08-04 Mon · 1 2025-08-05 Tue · 2 2025-09-01 later") {
		t.Errorf("legend %q", legend)
	}
}

func TestRotationGoldenEvents120x40(t *testing.T) {
	v := rotationAt(t, true, 120, 40, fixtureReport())
	v.SetEvents(eventsOn(fixtureEvents(), nil, false))
	requireGolden(t, v.View())
}

func TestRotationGoldenEvents200x60(t *testing.T) {
	v := rotationAt(t, true, 200, 60, fixtureReport())
	v.SetEvents(eventsOn(fixtureEvents(), nil, false))
	requireGolden(t, v.View())
}

// TestDetailViewEarningsGolden: NVDA's detail with its earnings date, on
// 26 February, within the fixture's month, and an event for every chart.
func TestDetailViewEarningsGolden(t *testing.T) {
	dd := segDetailFixture("NVDA")
	earn := time.Date(2025, 2, 26, 21, 20, 0, 0, time.UTC)
	dd.Quote.EarningsTime = &earn // the Earnings figure says the same day
	evs := append(events.Earnings(map[string]feeds.Quote{"NVDA": dd.Quote, "AMD": dd.Quote}),
		events.Event{Date: evDay("2025-02-18"), Label: "Grok 3 released", Source: events.SourceFile})
	dd.Events = eventsOn(evs, []string{"NVDA"}, true)
	d := newTestDetail(true, 120, 40, dd)
	view := ansi.Strip(d.View())
	if !strings.Contains(view, "1 2025-02-18 Grok 3 released · 2 2025-02-26 NVDA earnings") || strings.Contains(view, "AMD earnings") {
		t.Errorf("detail legend:\n%s", view)
	}
	requireGolden(t, d.View())
}

// TestEventsFitEverySize: markers never push a screen past its size.
func TestEventsFitEverySize(t *testing.T) {
	evs := eventsOn(fixtureEvents(), nil, false)
	for _, w := range []int{60, 80, 110, 120, 160, 200} {
		for _, h := range []int{16, 20, 24, 30, 40, 60} {
			v := rotationAt(t, true, w, h, fixtureReport())
			v.SetEvents(evs)
			requireRotationFits(t, v.View(), w, h)
			v.ToggleChart()
			requireRotationFits(t, v.View(), w, h)
		}
	}
	for _, size := range goldenSizes {
		dd := segDetailFixture("NVDA")
		dd.Events = evs
		d := newTestDetail(true, size[0], size[1], dd)
		requireFits(t, fmt.Sprintf("detail %v", size), d.View(), size[0], size[1])
	}
	segEvents := []events.Event{{Date: evDay("2025-02-18"), Label: "Grok 3 released"}, {Date: evDay("2025-03-03"), Label: "AVGO news", Symbols: []string{"AVGO"}}}
	for _, w := range []int{60, 80, 120, 200} {
		for h := 10; h <= 60; h += 5 {
			sd := segFixture()
			sd.Events = segEvents
			v := newTestSegment(true, w, h, sd)
			requireFits(t, fmt.Sprintf("segment %dx%d", w, h), v.View(), w, h)
			if got := ansi.Strip(v.View()); h >= 40 && !strings.Contains(got, "1 2025-02-18 Grok 3 released") {
				t.Errorf("segment %dx%d: no legend:\n%s", w, h, got)
			}
		}
	}
}
