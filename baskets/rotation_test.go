package baskets

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestRotationWorkedExample reproduces the rotation example of doc.go and
// docs/figures.md, number by number.
func TestRotationWorkedExample(t *testing.T) {
	// 100 for 14 sessions, then 110 (or 90) on the 15th, the current one.
	jump := func(to float64) path {
		return func(i int) float64 {
			if i == 14 {
				return to
			}
			return 100
		}
	}
	rot := Compute(rotationInput(15, jump(110), flat(400))).Segments[0].Rotation
	// The 10-session mean is (9*100 + 110) / 10 = 101; five sessions back
	// RS-ratio was 100 * 100 / 100 = 100.
	assertOpt(t, "ratio", rot.Ratio, 100*110.0/101)
	assertNear(t, "ratio", rot.Ratio.Value, 108.910891089)
	assertOpt(t, "momentum", rot.Momentum, 100*(100*110.0/101)/100)
	if rot.Quadrant != Leading || len(rot.Tail) != 1 {
		t.Errorf("quadrant %q, tail %v; want leading, one point", rot.Quadrant, rot.Tail)
	}
	rot = Compute(rotationInput(15, jump(90), flat(400))).Segments[0].Rotation
	assertOpt(t, "ratio", rot.Ratio, 100*90.0/99)
	assertNear(t, "ratio", rot.Ratio.Value, 90.909090909)
	assertOpt(t, "momentum", rot.Momentum, 100*90.0/99)
	if rot.Quadrant != Lagging {
		t.Errorf("quadrant %q, want lagging", rot.Quadrant)
	}
	// Steady 0.5 % a session against a flat benchmark: 102.26 and 100.
	rot = Compute(rotationInput(15, geometric(1.005), flat(400))).Segments[0].Rotation
	assertNear(t, "steady ratio", math.Round(rot.Ratio.Value*100)/100, 102.26)
	assertOpt(t, "steady momentum", rot.Momentum, 100)
}

// TestRotationMatchesTheFormula recomputes the map of a wavy series straight
// from the definitions in doc.go, tail dates included.
func TestRotationMatchesTheFormula(t *testing.T) {
	f := func(i int) float64 { return 100 + 10*math.Sin(float64(i)/3) + float64(i)/4 }
	b := func(i int) float64 { return 200 + 5*math.Cos(float64(i)/5) }
	const n = 35
	rot := Compute(rotationInput(n, f, b)).Segments[0].Rotation

	// The map uses the last 19 sessions, rebased at the first of them.
	first := n - rotationBars - tailLength + 1
	var rs []float64
	for i := first; i < n; i++ {
		rs = append(rs, 100*(f(i)/f(first))/(b(i)/b(first)))
	}
	ratio, momentum := byHand(rs)
	if len(rot.Tail) != 5 {
		t.Fatalf("%d tail points, want 5", len(rot.Tail))
	}
	days := weekdays(n)
	for k, p := range rot.Tail {
		i := len(rs) - 5 + k
		assertNear(t, "ratio", p.Ratio, ratio[i])
		assertNear(t, "momentum", p.Momentum, momentum[i])
		if y, m, d := days[first+i].Date(); !p.Date.Equal(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("tail point %d dated %v, want %v", k, p.Date, days[first+i])
		}
	}
	assertOpt(t, "ratio now", rot.Ratio, ratio[len(rs)-1])
	assertOpt(t, "momentum now", rot.Momentum, momentum[len(rs)-1])
	if q := quadrantOf(rot.Ratio, rot.Momentum); rot.Quadrant != q || q == "" {
		t.Errorf("quadrant %q, want %q", rot.Quadrant, q)
	}
}

func TestRotationNeedsEnoughSessions(t *testing.T) {
	wavy := func(i int) float64 { return 100 + float64(i%3) + float64(i%7) }
	rep := Compute(rotationInput(14, wavy, flat(1)))
	if rot := rep.Segments[0].Rotation; rot.Ratio.Valid || rot.Momentum.Valid || rot.Quadrant != "" || rot.Tail != nil {
		t.Errorf("14 sessions gave %+v, want nulls", rot)
	}
	if !strings.Contains(strings.Join(rep.Problems, "\n"), "rotation map: needs 15 daily sessions of SPY, has 14") {
		t.Errorf("problems %q do not say why", rep.Problems)
	}
	// 15 sessions: a current point, a tail of one; 19 a full tail.
	for n, tail := range map[int]int{15: 1, 18: 4, 19: 5, 100: 5} {
		if rot := Compute(rotationInput(n, wavy, flat(1))).Segments[0].Rotation; !rot.Ratio.Valid || !rot.Momentum.Valid || len(rot.Tail) != tail {
			t.Errorf("%d sessions gave %+v, want a point and a tail of %d", n, rot, tail)
		}
	}
}

// TestRotationNullOnlyWithoutData: with enough sessions every priced segment
// has a point; one whose members have no daily closes is null in JSON.
func TestRotationNullOnlyWithoutData(t *testing.T) {
	in := rotationInput(30, flat(100), flat(400))
	in.Set.Segments = append(in.Set.Segments, watchlists.Segment{File: "none.yaml", Era: watchlists.Inference,
		Symbols: []watchlists.Symbol{{Symbol: "NODATA", Weight: 1}}})
	rep := Compute(in)
	if rot := rep.Segments[0].Rotation; rot.Quadrant != Leading || rot.Ratio.Value != 100 || rot.Momentum.Value != 100 {
		t.Errorf("flat against flat: %+v, want (100, 100) leading", rot)
	}
	rot := rep.Segments[1].Rotation
	data, _ := json.Marshal(rot)
	if string(data) != `{"ratio":null,"momentum":null,"quadrant":null}` {
		t.Errorf("JSON %s, want nulls", data)
	}
	if era := rep.Eras.Inference.Rotation; era.Quadrant != "" || era.Ratio.Valid {
		t.Errorf("an era of unpriced segments has %+v", era)
	}
}

func TestQuadrants(t *testing.T) {
	for _, c := range []struct {
		ratio, momentum float64
		want            Quadrant
	}{
		{100, 100, Leading}, {101, 100.1, Leading}, {101, 99.9, Weakening}, {100, 99.9, Weakening},
		{99, 99, Lagging}, {99.9, 100.1, Improving},
		// A steady trend (momentum exactly 100) keeps the side of its ratio.
		{101, 100, Leading}, {99.9, 100, Lagging},
	} {
		if got := quadrantOf(Some(c.ratio), Some(c.momentum)); got != c.want {
			t.Errorf("(%v, %v): %q, want %q", c.ratio, c.momentum, got, c.want)
		}
	}
	if got := quadrantOf(Some(101), None); got != "" {
		t.Errorf("unknown momentum: %q", got)
	}
}

// TestRotationSkipsMembersWithoutHistory: a member without a close on the
// first session of the map is left out rather than entered at zero.
func TestRotationSkipsMembersWithoutHistory(t *testing.T) {
	const n = 28
	in := rotationInput(n, geometric(1.005), flat(1))
	days := weekdays(n)
	in.Daily["NEW"] = feeds.Series{Times: days[20:], Closes: []float64{1, 2, 3, 4, 5, 6, 7, 8}}
	in.Set.Segments[0].Symbols = append(in.Set.Segments[0].Symbols, watchlists.Symbol{Symbol: "NEW", Weight: 5})
	rot := Compute(in).Segments[0].Rotation
	assertOpt(t, "ratio", rot.Ratio, 102.25927636545995)
	assertOpt(t, "momentum", rot.Momentum, 100)
}

// TestRotationModeInJSON: the report says which bars the map used, daily
// when Input.RotationMode is empty or unknown.
func TestRotationModeInJSON(t *testing.T) {
	for mode, want := range map[string]string{"": RotationDaily, "daily": RotationDaily, "Weekly": RotationWeekly, "hourly": RotationDaily} {
		in := rotationInput(20, flat(1), flat(1))
		in.RotationMode = mode
		rep := Compute(in)
		data, _ := json.Marshal(rep)
		if rep.RotationMode != want || !strings.Contains(string(data), `"rotationMode":"`+want+`"`) {
			t.Errorf("mode %q: report says %q, want %q", mode, rep.RotationMode, want)
		}
	}
}
