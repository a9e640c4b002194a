package ui

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func fixtureChartLines(s *Styles) []chartLine {
	r := fixtureReport()
	return []chartLine{
		{Label: "training", Times: r.Eras.Training.Index.Times, Values: r.Eras.Training.Index.Values, Style: s.Up},
		{Label: "inference", Times: r.Eras.Inference.Index.Times, Values: r.Eras.Inference.Index.Values, Style: s.Down},
	}
}

// requireBlock fails unless view is exactly w×h cells.
func requireBlock(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines:\n%s", w, h, len(lines), ansi.Strip(view))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw != w {
			t.Fatalf("%dx%d: line %d is %d wide: %q", w, h, i, lw, ansi.Strip(l))
		}
	}
}

func TestChartGolden(t *testing.T) {
	s := NewStyles(true)
	requireGolden(t, lineChart(&s, 72, 14, nil, fixtureChartLines(&s), nil))
}

func TestChartFillsExactlyItsBox(t *testing.T) {
	s := NewStyles(true)
	day := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	cases := map[string][]chartLine{
		"eras":        fixtureChartLines(&s),
		"one point":   {{Label: "x", Times: []time.Time{day}, Values: []float64{5}, Style: s.Up}},
		"flat":        {{Label: "flat", Values: []float64{3, 3, 3, 3}, Style: s.Up}},
		"no times":    {{Label: "a", Values: []float64{1, 2, 3}, Style: s.Up}, {Label: "b", Values: []float64{3, 1}, Style: s.Down}},
		"tiny values": {{Label: "fx", Values: []float64{0.00071, 0.00069, 0.00072}, Style: s.Up}},
		"wide label":  {{Label: "日本のAI電力", Values: []float64{1, 2, 3}, Style: s.Up}},
		"empty":       {{Label: "none", Style: s.Up}},
	}
	for name, lines := range cases {
		for w := 1; w <= 160; w += 13 {
			for h := 1; h <= 40; h += 4 {
				requireBlock(t, lineChart(&s, w, h, nil, lines, nil), w, h)
				if t.Failed() {
					t.Fatalf("case %q at %dx%d", name, w, h)
				}
			}
		}
	}
}

// TestChartValueLabelsAreRound checks the value axis reads like a person
// would draw it: round numbers, evenly spaced, rising upwards.
func TestChartValueLabelsAreRound(t *testing.T) {
	s := NewStyles(true)
	number := regexp.MustCompile(`^\s*(-?[0-9.]+)[│└]`)
	for _, h := range []int{8, 14, 24, 40} {
		var labels []float64
		for _, l := range strings.Split(ansi.Strip(lineChart(&s, 90, h, nil, fixtureChartLines(&s), nil)), "\n") {
			if m := number.FindStringSubmatch(l); m != nil {
				v, _ := strconv.ParseFloat(m[1], 64)
				labels = append(labels, v)
			}
		}
		if len(labels) < 2 {
			t.Fatalf("h=%d: only %d value labels", h, len(labels))
		}
		step := labels[0] - labels[1]
		for i := 1; i < len(labels); i++ {
			if d := labels[i-1] - labels[i]; math.Abs(d-step) > 1e-9 || d <= 0 {
				t.Errorf("h=%d: labels %v are not evenly spaced downwards", h, labels)
			}
		}
		if mant := step / math.Pow(10, math.Floor(math.Log10(step))); !slicesContain([]float64{1, 2, 2.5, 5}, mant) {
			t.Errorf("h=%d: step %v is not round", h, step)
		}
	}
}

func slicesContain(xs []float64, v float64) bool {
	for _, x := range xs {
		if math.Abs(x-v) < 1e-9 {
			return true
		}
	}
	return false
}

func TestChartTagsNameEachLine(t *testing.T) {
	s := NewStyles(true)
	wide := ansi.Strip(lineChart(&s, 90, 14, nil, fixtureChartLines(&s), nil))
	for _, tag := range []string{"inference 109.12", "training 99.00"} {
		if !strings.Contains(wide, tag) {
			t.Errorf("no %q tag in:\n%s", tag, wide)
		}
	}
	narrow := ansi.Strip(lineChart(&s, 40, 14, nil, fixtureChartLines(&s), nil))
	if strings.Contains(narrow, "inference") || !strings.Contains(narrow, "109.12") {
		t.Errorf("a narrow chart should tag values only:\n%s", narrow)
	}
}

func TestChartFallsBackToSparklines(t *testing.T) {
	s := NewStyles(true)
	view := ansi.Strip(lineChart(&s, 60, 2, nil, fixtureChartLines(&s), nil))
	lines := strings.Split(view, "\n")
	if !strings.HasPrefix(lines[0], "training ") || !strings.HasPrefix(lines[1], "inference") ||
		!strings.ContainsAny(view, string(sparkRunes)) {
		t.Errorf("want one labelled sparkline per line, got:\n%s", view)
	}
	if got := ansi.Strip(lineChart(&s, 60, 3, nil, []chartLine{{Label: "none"}}, nil)); !strings.Contains(got, "no data yet") {
		t.Errorf("a chart without values should say so, got:\n%s", got)
	}
}

func TestChartSpacesPointsBySession(t *testing.T) {
	fri := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	mon := fri.AddDate(0, 0, 3)
	a := chartLine{Times: []time.Time{fri, mon}, Values: []float64{1, 2}}
	b := chartLine{Times: []time.Time{mon.AddDate(0, 0, 1), mon}, Values: []float64{3, 4}}
	noTimes := chartLine{Values: []float64{5, 6}}
	axis := timeAxis([]chartLine{a, b, noTimes})
	if len(axis) != 3 || !axis[0].Equal(fri) || !axis[1].Equal(mon) {
		t.Fatalf("axis %v: want friday, monday, tuesday", axis)
	}
	if position(axis, a, 1) != 1 || position(axis, b, 0) != 2 {
		t.Error("the weekend should not take a place on the axis")
	}
	if position(axis, noTimes, 0) != 1 || position(axis, noTimes, 1) != 2 {
		t.Error("a line without times should end where the axis ends")
	}
}

func TestChartTimeLayoutFollowsSpan(t *testing.T) {
	t0 := time.Date(2025, 3, 3, 14, 30, 0, 0, time.UTC)
	for span, want := range map[time.Duration]string{
		6 * time.Hour: "15:04", 5 * 24 * time.Hour: "Mon 15:04", 90 * 24 * time.Hour: "Jan 02", 700 * 24 * time.Hour: "Jan '06",
	} {
		if got := timeLayout(t0, t0.Add(span)); got != want {
			t.Errorf("%v: %q, want %q", span, got, want)
		}
	}
}

func TestChartSkipsPointsThatAreNotNumbers(t *testing.T) {
	s := NewStyles(true)
	day := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	lines := []chartLine{{Label: "gappy", Times: []time.Time{day, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)},
		Values: []float64{1, math.NaN(), 3}, Style: s.Up}, {Label: "broken", Values: []float64{math.Inf(1)}, Style: s.Down}}
	view := lineChart(&s, 60, 12, nil, lines, nil)
	requireBlock(t, view, 60, 12)
	if got := ansi.Strip(view); !strings.Contains(got, "gappy 3.00") || strings.Contains(got, "broken") {
		t.Errorf("want the finite line tagged and the broken one left out:\n%s", got)
	}
}

// Intraday axes read in the viewer's time zone; daily ones keep their dates.
func TestChartTimeLabelsInTheViewersZone(t *testing.T) {
	s := NewStyles(true)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	open := time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC) // 09:30 in New York
	var times []time.Time
	var values []float64
	for i := range 79 {
		times = append(times, open.Add(time.Duration(i)*5*time.Minute))
		values = append(values, 100+float64(i%7))
	}
	lines := []chartLine{{Label: "x", Times: times, Values: values, Style: s.Muted}}
	if got := ansi.Strip(lineChart(&s, 60, 10, ny, lines, nil)); !strings.Contains(got, "09:30") {
		t.Errorf("intraday axis not in New York time:\n%s", got)
	}
	if got := ansi.Strip(lineChart(&s, 60, 10, nil, lines, nil)); !strings.Contains(got, "14:30") {
		t.Errorf("without a zone the axis should stay UTC:\n%s", got)
	}
	days := make([]time.Time, 30)
	for i := range days {
		days[i] = time.Date(2026, 10, 1+i, 0, 0, 0, 0, time.UTC)
	}
	daily := []chartLine{{Label: "x", Times: days, Values: values[:30], Style: s.Muted}}
	if got := ansi.Strip(lineChart(&s, 60, 10, ny, daily, nil)); !strings.Contains(got, "Oct 01") {
		t.Errorf("a daily axis moved off its dates in a western zone:\n%s", got)
	}
}
