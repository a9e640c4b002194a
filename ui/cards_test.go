package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
)

func TestCardGolden(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	full := segmentCard(&s, &segs[4], "SPY", 34, true)
	compact := segmentCard(&s, &segs[0], "SPY", 30, false)
	requireGolden(t, strings.Join(full, "\n")+"\n"+strings.Join(compact, "\n"))
}

func TestCardFillsExactlyItsBox(t *testing.T) {
	s := NewStyles(true)
	for _, seg := range fixtureReport().Segments {
		for w := 20; w <= 60; w += 5 {
			requireBlock(t, strings.Join(segmentCard(&s, &seg, "SPY", w, true), "\n"), w, fullCardHeight)
			requireBlock(t, strings.Join(segmentCard(&s, &seg, "SPY", w, false), "\n"), w, compactCardHeight)
		}
	}
}

func TestCardShowsCoverageOnlyWhenIncomplete(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	semicap := ansi.Strip(strings.Join(segmentCard(&s, &segs[4], "SPY", 34, false), "\n"))
	if !strings.Contains(semicap, "4/5 priced") {
		t.Errorf("no coverage on an incomplete basket:\n%s", semicap)
	}
	gpus := ansi.Strip(strings.Join(segmentCard(&s, &segs[0], "SPY", 34, true), "\n"))
	if strings.Contains(gpus, "priced") {
		t.Errorf("coverage on a complete basket:\n%s", gpus)
	}
	for _, want := range []string{"GPUs & accelerators", "training", "▲ +6.00%", "+2.80 pp vs SPY", "4▲ 1▼", "NVDA", "INTC", "weakening ↘"} {
		if !strings.Contains(gpus, want) {
			t.Errorf("no %q in:\n%s", want, gpus)
		}
	}
}

func TestCardWithoutPricesShowsDashes(t *testing.T) {
	s := NewStyles(true)
	seg := baskets.SegmentResult{Name: "Fresh list", Era: "inference", Coverage: baskets.Coverage{Total: 3}}
	for _, full := range []bool{true, false} {
		card := ansi.Strip(strings.Join(segmentCard(&s, &seg, "SPY", 32, full), "\n"))
		if strings.Count(card, dash) < 3 || !strings.Contains(card, "0/3 priced") {
			t.Errorf("want dashes and coverage:\n%s", card)
		}
	}
}

func TestCardListCutsWithANote(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	list := segmentList(&s, segs, "SPY", "segment", 80, 6, true)
	requireBlock(t, strings.Join(list, "\n"), 80, 6)
	if last := ansi.Strip(list[5]); !strings.HasPrefix(last, "+12 more below · j/k or the wheel scroll") {
		t.Errorf("last line %q, want a note of the 12 left out", last)
	}
}

// TestRotationNarrowMapTable checks that narrow screens carry the rotation
// map as columns of the segment list: quadrant, direction, ratio, momentum.
func TestRotationNarrowMapTable(t *testing.T) {
	view := ansi.Strip(rotationAt(t, true, 80, 24, fixtureReport()).View())
	rows := map[string][]string{
		"GPUs & accelerators": {"weakening ↘", "101.80", "98.60"},
		"Custom silicon":      {"leading   ↗", "102.90", "101.90"},
		"Inference software":  {"—         —      —      —"},
	}
	for _, l := range strings.Split(view, "\n") {
		for name, want := range rows {
			if !strings.HasPrefix(l, name) {
				continue
			}
			for _, w := range want {
				if !strings.Contains(l, w) {
					t.Errorf("%s row %q lacks %q", name, l, w)
				}
			}
			delete(rows, name)
		}
	}
	if len(rows) > 0 {
		t.Errorf("rows missing: %v\n%s", rows, view)
	}
	if !strings.Contains(view, "rotation     ratio    mom") {
		t.Errorf("no rotation columns header in:\n%s", view)
	}
}

// A title too long for its frame is cut with an ellipsis, never dropped.
func TestFrameTruncatesLongTitles(t *testing.T) {
	s := NewStyles(true)
	for _, w := range []int{20, 32, 40} {
		top := ascii(t, frame(&s, s.Title.Render("Accelerator owners (TPU/ASIC/LPU)"), "", "", nil, w, 3)[0])
		if !strings.Contains(top, "Accel") || ansi.StringWidth(ansi.Strip(top)) != w {
			t.Errorf("width %d: top edge %q lost its title or its width", w, ansi.Strip(top))
		}
	}
}

// TestCardSparklinesShareOneTimeBase: every card draws its segment's whole
// index on the report's common grid, so a sparkline's left edge is the same
// moment on every card, however late its market opened.
func TestCardSparklinesShareOneTimeBase(t *testing.T) {
	s := NewStyles(true)
	late := baskets.SegmentResult{Name: "late", Return: baskets.Some(1), Index: baskets.Line{Values: []float64{100, 100, 100, 100, 101, 102}}}
	early := baskets.SegmentResult{Name: "early", Return: baskets.Some(1), Index: baskets.Line{Values: []float64{100, 101, 100, 101, 101, 102}}}
	spark := func(seg baskets.SegmentResult) string {
		for _, l := range segmentCard(&s, &seg, "SPY", 30, true) {
			if l := ansi.Strip(l); strings.ContainsAny(l, "▁█") {
				return l
			}
		}
		return ""
	}
	a, b := spark(late), spark(early)
	if a == "" || strings.Count(a, "▁")+strings.Count(a, "█") < 4 || ansi.StringWidth(a) != ansi.StringWidth(b) {
		t.Errorf("late market's sparkline %q, early's %q: want both over the whole grid", a, b)
	}
}

func TestMemberLabelPrefersWholeWords(t *testing.T) {
	m := &baskets.SymbolResult{Symbol: "000660.KS", Name: "SK hynix"}
	for w, want := range map[int]string{9: "000660.KS", 5: "SK", 1: "…"} {
		if got := memberLabel(m, w); got != want {
			t.Errorf("memberLabel at %d = %q, want %q", w, got, want)
		}
	}
}

// Best and worst are said in words on every card: an arrow before a member
// would read as its direction ("↓SPY +0.4%").
func TestCardsSayBestAndWorstInWords(t *testing.T) {
	s := NewStyles(true)
	segs := fixtureReport().Segments
	for _, full := range []bool{true, false} {
		for _, w := range []int{30, 34, 40} {
			card := ansi.Strip(strings.Join(segmentCard(&s, &segs[0], "SPY", w, full), "\n"))
			if strings.ContainsAny(card, "↑↓") || !strings.Contains(card, "best ") || !strings.Contains(card, "worst") {
				t.Errorf("full=%v at %d: want best and worst in words:\n%s", full, w, card)
			}
		}
	}
}
