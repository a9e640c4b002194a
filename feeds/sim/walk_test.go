package sim

import (
	"math"
	"testing"
)

// wholeYears walks sym's log closes over whole years from-to out from the
// epoch, forward and backward, keeping every one: what the marks stand for.
func wholeYears(p *profile, seed int64, from, to int) map[int][]float64 {
	w := map[int][]float64{}
	v := 0.0
	for y := epochYear; y <= to; y++ {
		sess := p.cal.year(y)
		w[y] = make([]float64, len(sess))
		for i, s := range sess {
			if y == epochYear && i == 0 {
				v = math.Log(p.level)
			} else {
				v += p.dailyReturn(seed, s.day)
			}
			w[y][i] = v
		}
	}
	v, after := w[epochYear][0], p.cal.year(epochYear)[0].day
	for y := epochYear - 1; y >= from; y-- {
		sess := p.cal.year(y)
		w[y] = make([]float64, len(sess))
		for i := len(sess) - 1; i >= 0; i-- {
			v -= p.dailyReturn(seed, after)
			w[y][i], after = v, sess[i].day
		}
	}
	return w
}

// TestWalkMatchesWholeYears: closes recomputed from a few marks a year are
// bit for bit those of the whole walk, looked up one by one with the years
// asked in any order, or ranged over across years.
func TestWalkMatchesWholeYears(t *testing.T) {
	const seed, from, to = 7, 2021, 2027
	for _, sym := range []string{"NVDA", "SPY", "^GSPC", "7203.T", "ARM.L"} {
		p := New(Options{Seed: seed}).profile(sym)
		want := wholeYears(New(Options{Seed: seed}).profile(sym), seed, from, to)
		for _, y := range []int{2026, 2021, 2024, 2027, 2023, 2025, 2022} {
			for i := range want[y] {
				if got := p.logClose(seed, sessionRef{y, i}); math.Float64bits(got) != math.Float64bits(want[y][i]) {
					t.Fatalf("%s session %d of %d: log close %v, want %v", sym, i, y, got, want[y][i])
				}
			}
		}
		p = New(Options{Seed: seed}).profile(sym)
		first, last := sessionRef{from, 5}, sessionRef{to, 100}
		next, n := first, 0
		for r, got := range p.closes(seed, first, last) {
			if r != next {
				t.Fatalf("%s: ranging from %v, session %v after %d, want %v", sym, first, r, n, next)
			}
			if math.Float64bits(got) != math.Float64bits(want[r.year][r.i]) {
				t.Fatalf("%s session %d of %d: ranged log close %v, want %v", sym, r.i, r.year, got, want[r.year][r.i])
			}
			next, n = p.cal.next(r), n+1
		}
		if n != p.cal.count(first, last) {
			t.Errorf("%s: ranged over %d sessions, want %d", sym, n, p.cal.count(first, last))
		}
	}
}
