package ui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/watchlists"
)

func TestMapGolden(t *testing.T) {
	s := NewStyles(true)
	requireGolden(t, strings.Join(mapChart(&s, fixtureReport().Segments, nil, 70, 24), "\n"))
}

func TestMapPlacesEverySegmentWithRotation(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	view := ansi.Strip(strings.Join(mapChart(&s, segs, nil, 110, 40), "\n"))
	markers := strings.Count(view, "●") + strings.Count(view, "■") + strings.Count(view, "◆")
	withRotation := 0
	for _, seg := range segs {
		if seg.Rotation.Quadrant == "" {
			if strings.Contains(view, seg.Name) {
				t.Errorf("%s has no rotation but is on the map", seg.Name)
			}
			continue
		}
		withRotation++
		if !strings.Contains(view, shortName(seg.Name, 16)) {
			t.Errorf("no label for %s in:\n%s", seg.Name, view)
		}
	}
	if markers != withRotation {
		t.Errorf("%d markers for %d segments on the map", markers, withRotation)
	}
}

func TestMapLabelsQuadrantsInTheirCorners(t *testing.T) {
	s := NewStyles(true)
	lines := strings.Split(ansi.Strip(strings.Join(mapChart(&s, fixtureReport().Segments, nil, 60, 20), "\n")), "\n")
	top, bottom := lines[0], lines[len(lines)-1]
	if !strings.HasPrefix(top, "improving") || !strings.HasSuffix(top, "leading") ||
		!strings.HasPrefix(bottom, "lagging") || !strings.HasSuffix(bottom, "weakening") {
		t.Errorf("quadrant names misplaced:\n%s\n…\n%s", top, bottom)
	}
	if strings.Contains(strings.Join(lines, "\n"), "RRG") {
		t.Error("the map must not be called RRG")
	}
}

func TestMapKeepsItsWidthWithWideNames(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	for i := range segs {
		segs[i].Name = "半導体装置メーカー" + segs[i].Name
	}
	for _, w := range []int{20, 37, 60, 101} {
		for _, h := range []int{4, 9, 30} {
			requireBlock(t, strings.Join(mapChart(&s, segs, nil, w, h), "\n"), w, h)
		}
	}
}

func TestMapWithoutRotationSaysSo(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	for i := range segs {
		segs[i].Rotation = baskets.Rotation{}
	}
	if view := ansi.Strip(strings.Join(mapChart(&s, segs, nil, 60, 16), "\n")); !strings.Contains(view, "no rotation data yet") {
		t.Errorf("no note in:\n%s", view)
	}
}

func TestMapTailArrowFollowsTheLastStep(t *testing.T) {
	at := func(r, m float64) baskets.TailPoint { return baskets.TailPoint{Ratio: r, Momentum: m} }
	for want, tail := range map[string][]baskets.TailPoint{
		"↗": {at(99, 99), at(100, 100)},
		"↘": {at(100, 102), at(98, 90), at(99, 89)},
		"↙": {at(101, 101), at(100, 100)},
		"↖": {at(101, 99), at(100, 100)},
		"·": {at(101, 99)},
	} {
		if got := tailArrow(tail); got != want {
			t.Errorf("%v: %s, want %s", tail, got, want)
		}
	}
}

func TestMapShortNameCutsAtWords(t *testing.T) {
	for _, c := range []struct {
		name string
		w    int
		want string
	}{
		{"Foundry", 9, "Foundry"},
		{"GPUs & accelerators", 9, "GPUs…"},
		{"Nuclear & gas", 9, "Nuclear…"},
		{"Edge inference", 10, "Edge infe…"},
		{"Hyperscaler", 6, "Hyper…"},
		{"日本のAI電力", 7, "日本の…"},
	} {
		if got := shortName(c.name, c.w); got != c.want || ansi.StringWidth(got) > c.w {
			t.Errorf("shortName(%q, %d) = %q, want %q", c.name, c.w, got, c.want)
		}
	}
}

func TestMapSkipsPointsThatAreNotNumbers(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	segs[0].Rotation.Tail[1].Ratio = math.NaN()
	segs[1].Rotation.Ratio = baskets.Opt{Value: math.Inf(1), Valid: true}
	requireBlock(t, strings.Join(mapChart(&s, segs, nil, 60, 20), "\n"), 60, 20)
}

// TestMapPlacesTheErasToo: each era gets a point of its own, marked apart
// from its segments and named in capitals, where its rotation says.
func TestMapPlacesTheErasToo(t *testing.T) {
	s := NewStyles(true)
	rep := fixtureReport()
	rep.Eras.Inference.Rotation = baskets.Rotation{Ratio: baskets.Some(101), Momentum: baskets.Some(100.5), Quadrant: baskets.Leading}
	rep.Eras.Training.Rotation = baskets.Rotation{Ratio: baskets.Some(99), Momentum: baskets.Some(99.5), Quadrant: baskets.Lagging}
	lines := strings.Split(ansi.Strip(strings.Join(mapChart(&s, append(rep.Segments, eraPoints(rep)...), nil, 110, 40), "\n")), "\n")
	find := func(r string) (int, int) {
		for y, l := range lines {
			if x := strings.Index(l, r); x >= 0 {
				return ansi.StringWidth(l[:x]), y
			}
		}
		t.Fatalf("no %s on the map", r)
		return 0, 0
	}
	ix, iy := find("◉")
	tx, ty := find("▣")
	// Inference is ahead and rising (right, up), training behind and falling.
	if ix <= 55 || iy >= 20 || tx >= 55 || ty <= 20 {
		t.Errorf("inference at %d,%d and training at %d,%d on a 110x40 map", ix, iy, tx, ty)
	}
	view := strings.Join(lines, "\n")
	if !strings.Contains(view, "INFERENCE") || !strings.Contains(view, "TRAINING") {
		t.Errorf("eras not named:\n%s", view)
	}
}

// tabNumbers numbers segs as the tab bar would, in file order.
func tabNumbers(segs []baskets.SegmentResult) map[string]int {
	out := map[string]int{}
	for i, seg := range segs {
		if seg.File != "" { // the eras' own points are not tabs
			out[seg.File] = i + 1
		}
	}
	return out
}

// Every segment's tab number is on the map touching a marker of its era,
// on the fixture and on the simulated market with the eras' own points
// among them, as the app draws it (46x19 is the plot at 160x48). In a
// plot of 36x14, sixteen segments within a few cells of each other leave
// some marker no free cell at all; the fixture, more spread, still fits.
func TestMapTagsEachSegmentWithItsTabNumber(t *testing.T) {
	s := NewStyles(true)
	fixture := fixtureReport().Segments
	m := simModel(t, watchlists.Defaults(), 160, 48)
	market := append(slices.Clip(m.report.Segments), eraPoints(m.report)...)
	for _, c := range []struct {
		segs  []baskets.SegmentResult
		sizes [][2]int
	}{
		{fixture, [][2]int{{36, 14}, {46, 19}, {56, 22}, {70, 24}}},
		{market, [][2]int{{46, 19}, {56, 22}, {70, 24}}},
	} {
		numbers := tabNumbers(c.segs)
		for _, size := range c.sizes {
			requireTagged(t, mapChart(&s, c.segs, numbers, size[0], size[1]), c.segs, numbers)
		}
	}
}

// requireTagged fails unless each numbered segment with a place on the map
// has its number, whole, next to (or diagonal from) a marker of its era.
func requireTagged(t *testing.T, lines []string, segs []baskets.SegmentResult, numbers map[string]int) {
	t.Helper()
	var grid [][]rune
	for _, l := range lines {
		grid = append(grid, []rune(ansi.Strip(l)))
	}
	at := func(x, y int) rune {
		if y < 0 || y >= len(grid) || x < 0 || x >= len(grid[y]) {
			return ' '
		}
		return grid[y][x]
	}
	for _, seg := range segs {
		n, ok := numbers[seg.File]
		if !ok || !seg.Rotation.Ratio.Valid || !seg.Rotation.Momentum.Valid {
			continue
		}
		want, found := []rune(strconv.Itoa(n)), false
		for y := range grid {
			for x := 0; x+len(want) <= len(grid[y]) && !found; x++ {
				if string(grid[y][x:x+len(want)]) != string(want) || isDigit(at(x-1, y)) || isDigit(at(x+len(want), y)) {
					continue
				}
				for cx := x - 1; cx <= x+len(want); cx++ {
					for cy := y - 1; cy <= y+1; cy++ {
						found = found || at(cx, cy) == eraMarker(seg.Era)
					}
				}
			}
		}
		if !found {
			t.Errorf("%dx%d: %s's number %d touches no %c:\n%s", len(grid[0]), len(grid), seg.Name, n, eraMarker(seg.Era), ansi.Strip(strings.Join(lines, "\n")))
		}
	}
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func TestMapSideLegendNamesEveryNumberedSegment(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	numbers := tabNumbers(segs)
	lines, ok := mapSideLegend(&s, segs, numbers, 70, 20)
	if !ok {
		t.Fatal("no legend at 70x20")
	}
	legend := ansi.Strip(strings.Join(lines, "\n"))
	for _, seg := range segs {
		if seg.Rotation.Quadrant == "" {
			continue
		}
		if want := strconv.Itoa(numbers[seg.File]) + " " + string(eraMarker(seg.Era)) + " " + shortName(seg.Name, mapLegendWidth-7); !strings.Contains(legend, want) {
			t.Errorf("legend lacks %q:\n%s", want, legend)
		}
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != mapLegendWidth {
			t.Errorf("legend line %d wide, want %d: %q", w, mapLegendWidth, ansi.Strip(l))
		}
	}
	if _, ok := mapSideLegend(&s, segs, numbers, mapLegendWidth+mapMinPlot-1, 20); ok {
		t.Error("a legend that leaves the plot too narrow")
	}
	if _, ok := mapSideLegend(&s, segs, numbers, 70, 5); ok {
		t.Error("a legend taller than the map")
	}
}
