package baskets

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// path is a daily close as a formula of the session number i = 0..n-1.
type path func(i int) float64

// pathSeg is a one-member segment of a given era following a path.
type pathSeg struct {
	era    watchlists.Era
	closes path
}

// weekdays returns the n weekdays ending 2025-10-29 (a Wednesday), oldest
// first, as 13:30 UTC daily bars.
func weekdays(n int) []time.Time {
	var out []time.Time
	for d := utc(2025, 10, 29, 13, 30); len(out) < n; d = d.AddDate(0, 0, -1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			out = append([]time.Time{d}, out...)
		}
	}
	return out
}

// pathInput builds a market of n weekdays in which the benchmark SPY closes
// at bench(i) and segment k (file "k.yaml", sole member "Sk") at its path.
func pathInput(n int, bench path, segs ...pathSeg) Input {
	days := weekdays(n)
	sample := func(f path) feeds.Series {
		s := feeds.Series{Times: days}
		for i := range days {
			s.Closes = append(s.Closes, f(i))
		}
		return s
	}
	// 1D, each member quoted at its last two closes: a segment needs a
	// priced member to be placed.
	in := Input{Range: feeds.Range1D, AsOf: utc(2025, 10, 29, 20, 0),
		Daily: map[string]feeds.Series{"SPY": sample(bench)}, Quotes: map[string]feeds.Quote{}}
	for k, sg := range segs {
		sym := fmt.Sprintf("S%d", k)
		in.Daily[sym] = sample(sg.closes)
		in.Quotes[sym] = feeds.Quote{Price: sg.closes(n - 1), PreviousClose: sg.closes(max(n-2, 0)), Currency: "USD"}
		in.Set.Segments = append(in.Set.Segments, watchlists.Segment{File: fmt.Sprintf("%d.yaml", k), Era: sg.era,
			Symbols: []watchlists.Symbol{{Symbol: sym, Weight: 1}}})
	}
	return in
}

// rotationInput is the common case: one training segment X against SPY.
func rotationInput(n int, f, b path) Input { return pathInput(n, b, pathSeg{watchlists.Training, f}) }

func flat(v float64) path { return func(int) float64 { return v } }

// geometric grows by the factor g each session from 100.
func geometric(g float64) path { return func(i int) float64 { return 100 * math.Pow(g, float64(i)) } }

// byHand computes the map from doc.go's definitions for an RS series that is
// already on the map's bars: RS-ratio over a 10-bar simple mean, momentum
// over 5 bars. Both slices are aligned with rs; entries before they exist
// are NaN.
func byHand(rs []float64) (ratio, momentum []float64) {
	ratio, momentum = make([]float64, len(rs)), make([]float64, len(rs))
	for i := range rs {
		ratio[i], momentum[i] = math.NaN(), math.NaN()
		if i >= 9 {
			mean := 0.0
			for _, v := range rs[i-9 : i+1] {
				mean += v / 10
			}
			ratio[i] = 100 * rs[i] / mean
		}
		if i >= 14 {
			momentum[i] = 100 * ratio[i] / ratio[i-5]
		}
	}
	return ratio, momentum
}

// TestRotationSteadyTrends: a segment compounding 0.5 % a session faster or
// slower than the benchmark has a constant RS-ratio above or below 100
// and momentum 100: it stays on its side, leading or lagging. The benchmark
// may move; only the ratio of the two matters.
func TestRotationSteadyTrends(t *testing.T) {
	rising := func(i int) float64 { return 300 * math.Pow(1.01, float64(i)) }
	for _, c := range []struct {
		name    string
		seg     path
		bench   path
		ratio   float64 // 100 * 10 / sum(g^-j, j = 0..9)
		quad    Quadrant
		isAhead bool
	}{
		{"out-performer, flat benchmark", geometric(1.005), flat(400), 102.25927636545995, Leading, true},
		{"under-performer, flat benchmark", geometric(0.995), flat(400), 97.75947322669121, Lagging, false},
		{"out-performer, rising benchmark", func(i int) float64 { return geometric(1.005)(i) * rising(i) }, rising, 102.25927636545995, Leading, true},
		{"under-performer, rising benchmark", func(i int) float64 { return geometric(0.995)(i) * rising(i) }, rising, 97.75947322669121, Lagging, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rot := Compute(rotationInput(60, c.seg, c.bench)).Segments[0].Rotation
			if len(rot.Tail) != tailLength {
				t.Fatalf("tail of %d points, want %d", len(rot.Tail), tailLength)
			}
			for _, p := range rot.Tail {
				if math.Abs(p.Momentum-100) > 0.1 || (p.Ratio > 100) != c.isAhead {
					t.Errorf("%v: (%v, %v), want momentum 100 ± 0.1 and ratio on the %v side", p.Date, p.Ratio, p.Momentum, c.quad)
				}
				assertNear(t, "tail ratio", p.Ratio, c.ratio)
				if q := quadrantOf(Some(p.Ratio), Some(p.Momentum)); q != c.quad {
					t.Errorf("%v: %q, want %q", p.Date, q, c.quad)
				}
			}
			assertOpt(t, "ratio", rot.Ratio, c.ratio)
			assertOpt(t, "momentum", rot.Momentum, 100)
			if rot.Quadrant != c.quad {
				t.Errorf("quadrant %q, want %q", rot.Quadrant, c.quad)
			}
		})
	}
}

// TestRotationAccelerating: log RS = ±0.0003 i², so the relative trend
// steepens every session: leading when it is up, lagging when down.
func TestRotationAccelerating(t *testing.T) {
	for _, c := range []struct {
		sign float64
		want Quadrant
	}{{1, Leading}, {-1, Lagging}} {
		seg := func(i int) float64 { return 100 * math.Exp(c.sign*0.0003*float64(i*i)) }
		rot := Compute(rotationInput(60, seg, flat(400))).Segments[0].Rotation
		for _, p := range rot.Tail {
			if q := quadrantOf(Some(p.Ratio), Some(p.Momentum)); q != c.want {
				t.Errorf("sign %v: tail point %v at (%v, %v) is %q, want %q", c.sign, p.Date, p.Ratio, p.Momentum, q, c.want)
			}
		}
		if rot.Quadrant != c.want {
			t.Errorf("sign %v: quadrant %q, want %q", c.sign, rot.Quadrant, c.want)
		}
	}
}

// TestRotationWithTheBenchmark: a segment of two members that both move
// exactly like the wavy benchmark has RS = 100 throughout, so (100, 100),
// which the >= rule calls leading, whatever the weights round to.
func TestRotationWithTheBenchmark(t *testing.T) {
	bench := func(i int) float64 { return 400 + 30*math.Sin(float64(i)/2) }
	in := rotationInput(40, func(i int) float64 { return bench(i) / 7 }, bench)
	in.Daily["T"] = in.Daily["SPY"]
	in.Set.Segments[0].Symbols = []watchlists.Symbol{{Symbol: "S0", Weight: 0.3}, {Symbol: "T", Weight: 0.7}}
	rot := Compute(in).Segments[0].Rotation
	for _, p := range rot.Tail {
		if p.Ratio != 100 || p.Momentum != 100 {
			t.Errorf("%v: (%.17g, %.17g), want exactly (100, 100)", p.Date, p.Ratio, p.Momentum)
		}
	}
	if rot.Quadrant != Leading {
		t.Errorf("quadrant %q, want leading", rot.Quadrant)
	}
}

// TestRotationLinearTrends: arithmetic paths, on which a z-score would have
// no spread, get a point and a quadrant on every session of the tail. Linear
// growth is a shrinking percentage, so an out-performer weakens; a linear
// loser loses a growing share and lags.
func TestRotationLinearTrends(t *testing.T) {
	for _, c := range []struct {
		name      string
		seg, spy  path
		quadrants Quadrant
	}{
		{"up", func(i int) float64 { return 100 + float64(i) }, flat(400), Weakening},
		{"down", func(i int) float64 { return 200 - float64(i) }, flat(400), Lagging},
		// RS = 200 (1 + i/100): linear RS from curved prices.
		{"linear RS", func(i int) float64 { return 100 * (1 + float64(i)/100) * (1 + float64(i)/100) },
			func(i int) float64 { return 50 * (1 + float64(i)/100) }, Weakening},
	} {
		const n = 40
		rot := Compute(rotationInput(n, c.seg, c.spy)).Segments[0].Rotation
		if len(rot.Tail) != tailLength || !rot.Ratio.Valid || !rot.Momentum.Valid || rot.Quadrant != c.quadrants {
			t.Errorf("%s: %+v, want a full tail and %q", c.name, rot, c.quadrants)
			continue
		}
		// The map's first bar is n-19; RS is rebased there, which no ratio sees.
		var rs []float64
		for i := n - rotationBars - tailLength + 1; i < n; i++ {
			rs = append(rs, c.seg(i)/c.spy(i))
		}
		ratio, momentum := byHand(rs)
		assertOpt(t, c.name+" ratio", rot.Ratio, ratio[len(rs)-1])
		assertOpt(t, c.name+" momentum", rot.Momentum, momentum[len(rs)-1])
	}
}
