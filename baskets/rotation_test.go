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

// weekdays returns the n weekdays ending 2025-10-29, oldest first, as 13:30
// UTC daily bars.
func weekdays(n int) []time.Time {
	var out []time.Time
	for d := utc(2025, 10, 29, 13, 30); len(out) < n; d = d.AddDate(0, 0, -1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			out = append([]time.Time{d}, out...)
		}
	}
	return out
}

// rotationInput is a one-member segment X against the benchmark SPY, with
// daily closes f(i) and b(i) for session i = 0..n-1.
func rotationInput(n int, f, b func(i int) float64) Input {
	days := weekdays(n)
	x, spy := feeds.Series{Times: days}, feeds.Series{Times: days}
	for i := range days {
		x.Closes, spy.Closes = append(x.Closes, f(i)), append(spy.Closes, b(i))
	}
	return Input{Range: feeds.Range1M, AsOf: utc(2025, 10, 29, 20, 0), Set: oneSymbol("X"),
		Daily: map[string]feeds.Series{"X": x, "SPY": spy}}
}

// TestRotationSquareWave: the benchmark is flat and X alternates between 100
// and 110 every 5 sessions, so RS does too. Every 10-session window holds
// five of each: mean 105, population std 5, so RS-ratio is 100 ± 1; the
// 5-session change of RS-ratio is ±2 (mean 0, std 2), so RS-momentum is
// 100 ± 1. The last session (27) is high: ratio 101, momentum 101, leading.
func TestRotationSquareWave(t *testing.T) {
	high := func(i int) bool { return (i/5)%2 == 1 }
	in := rotationInput(28, func(i int) float64 {
		if high(i) {
			return 110
		}
		return 100
	}, func(int) float64 { return 400 })
	rot := Compute(in).Segments[0].Rotation
	assertOpt(t, "ratio", rot.Ratio, 101)
	assertOpt(t, "momentum", rot.Momentum, 101)
	if rot.Quadrant != Leading {
		t.Errorf("quadrant %q, want leading", rot.Quadrant)
	}
	// Sessions 23..27 are low, low, high, high, high.
	want := []float64{99, 99, 101, 101, 101}
	if len(rot.Tail) != 5 {
		t.Fatalf("tail of %d points, want 5", len(rot.Tail))
	}
	days := weekdays(28)
	for k, p := range rot.Tail {
		assertNear(t, "tail ratio", p.Ratio, want[k])
		assertNear(t, "tail momentum", p.Momentum, want[k])
		if y, m, d := days[23+k].Date(); !p.Date.Equal(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("tail point %d dated %v, want %v", k, p.Date, days[23+k])
		}
	}
}

// TestRotationLinearRSHasNoMomentum: X = 100 (1 + i/100)^2 against
// SPY = 50 (1 + i/100) makes RS a straight line. The last of ten equally
// spaced values has z = 4.5 / sqrt(8.25) (population std of 0..9 is
// sqrt(99/12)), so RS-ratio is that constant every session; its change is 0
// with std 0, so RS-momentum is null, not 100, and so is the quadrant.
func TestRotationLinearRSHasNoMomentum(t *testing.T) {
	in := rotationInput(40, func(i int) float64 { return 100 * (1 + float64(i)/100) * (1 + float64(i)/100) },
		func(i int) float64 { return 50 * (1 + float64(i)/100) })
	rep := Compute(in)
	rot := rep.Segments[0].Rotation
	assertOpt(t, "ratio", rot.Ratio, 100+4.5/math.Sqrt(8.25))
	if rot.Momentum.Valid || rot.Quadrant != "" || len(rot.Tail) != 0 {
		t.Errorf("momentum %v, quadrant %q, tail %v; want null, null, none", rot.Momentum, rot.Quadrant, rot.Tail)
	}
	data, _ := json.Marshal(rot)
	if !strings.Contains(string(data), `"momentum":null`) || !strings.Contains(string(data), `"quadrant":null`) {
		t.Errorf("JSON %s, want null momentum and quadrant", data)
	}
}

// TestRotationMatchesTheFormula recomputes the map of a wavy series straight
// from the definitions in doc.go.
func TestRotationMatchesTheFormula(t *testing.T) {
	f := func(i int) float64 { return 100 + 10*math.Sin(float64(i)/3) + float64(i)/4 }
	b := func(i int) float64 { return 200 + 5*math.Cos(float64(i)/5) }
	const n = 35
	rot := Compute(rotationInput(n, f, b)).Segments[0].Rotation

	// The map uses the last 28 sessions, rebased at the first of them.
	z := func(xs []float64) float64 {
		mean, ss := 0.0, 0.0
		for _, x := range xs {
			mean += x / float64(len(xs))
		}
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		return (xs[len(xs)-1] - mean) / math.Sqrt(ss/float64(len(xs)))
	}
	first := n - 28
	var rs, ratio, change, momentum []float64
	for i := first; i < n; i++ {
		rs = append(rs, 100*(f(i)/f(first))/(b(i)/b(first)))
	}
	for i := 9; i < len(rs); i++ {
		ratio = append(ratio, 100+z(rs[i-9:i+1])) // ratio[k] is session k+9
	}
	for k := 5; k < len(ratio); k++ {
		change = append(change, ratio[k]-ratio[k-5]) // session k+9
	}
	for k := 9; k < len(change); k++ {
		momentum = append(momentum, 100+z(change[k-9:k+1]))
	}
	if len(momentum) != 5 || len(rot.Tail) != 5 {
		t.Fatalf("%d momentum values by hand, %d tail points; want 5", len(momentum), len(rot.Tail))
	}
	for k, p := range rot.Tail {
		assertNear(t, "ratio", p.Ratio, ratio[len(ratio)-5+k])
		assertNear(t, "momentum", p.Momentum, momentum[k])
	}
	assertOpt(t, "ratio now", rot.Ratio, ratio[len(ratio)-1])
	if q := quadrantOf(rot.Ratio, rot.Momentum); rot.Quadrant != q || q == "" {
		t.Errorf("quadrant %q, want %q", rot.Quadrant, q)
	}
}

func TestRotationNeedsEnoughSessions(t *testing.T) {
	in := rotationInput(23, func(i int) float64 { return 100 + float64(i%3) }, func(int) float64 { return 1 })
	rep := Compute(in)
	if rot := rep.Segments[0].Rotation; rot.Ratio.Valid || rot.Momentum.Valid || rot.Quadrant != "" {
		t.Errorf("23 sessions gave %+v, want nulls", rot)
	}
	if !strings.Contains(strings.Join(rep.Problems, "\n"), "rotation map: needs 24 daily sessions of SPY, has 23") {
		t.Errorf("problems %q do not say why", rep.Problems)
	}
	// 24 sessions: a current point, a tail of one.
	in = rotationInput(24, func(i int) float64 { return 100 + float64(i%3) + float64(i%7) }, func(int) float64 { return 1 })
	if rot := Compute(in).Segments[0].Rotation; !rot.Ratio.Valid || !rot.Momentum.Valid || len(rot.Tail) != 1 {
		t.Errorf("24 sessions gave %+v, want a point and a tail of one", rot)
	}
}

func TestQuadrants(t *testing.T) {
	for _, c := range []struct {
		ratio, momentum float64
		want            Quadrant
	}{
		{100, 100, Leading}, {101, 99.9, Weakening}, {99, 99, Lagging}, {99.9, 100, Improving},
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
	in := rotationInput(28, func(i int) float64 { return []float64{100, 110}[(i/5)%2] }, func(int) float64 { return 1 })
	days := weekdays(28)
	in.Daily["NEW"] = feeds.Series{Times: days[20:], Closes: []float64{1, 2, 3, 4, 5, 6, 7, 8}}
	in.Set.Segments[0].Symbols = append(in.Set.Segments[0].Symbols, watchlists.Symbol{Symbol: "NEW", Weight: 5})
	assertOpt(t, "ratio", Compute(in).Segments[0].Rotation.Ratio, 101)
}
