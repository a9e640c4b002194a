package sim

import (
	"iter"
	"math"
	"slices"
)

// The daily walk is not kept whole: a listing keeps a few marks a year and
// recomputes the closes between them, with the very additions and
// subtractions that walked out to them, so every close is bit for bit what
// a walk over the whole year gives. A year from epochYear on is walked
// forward, from the year before's last close (the epoch's first session
// from the listing's level); an earlier year backward, from the year
// after's first close. FX pairs have no walk: each close is computed alone.

// markEvery is how many sessions apart a year's marks are: a lookup
// recomputes fewer daily returns than that, and the marks of a year take
// 17 words where its closes would take 250.
const markEvery = 16

// walkMarks are a listing's marks, by year from lo: for each year the log
// closes of sessions 0, markEvery, 2*markEvery, ... and, last, of the
// year's last session. Computing a year needs the years between it and
// epochYear, so the years held are consecutive.
type walkMarks struct {
	lo    int
	years [][]float64
}

func (w *walkMarks) get(y int) []float64 {
	if i := y - w.lo; i >= 0 && i < len(w.years) {
		return w.years[i]
	}
	return nil
}

func (w *walkMarks) put(y int, m []float64) {
	if len(w.years) == 0 {
		w.lo = y
	}
	if y < w.lo {
		w.years = slices.Insert(w.years, 0, make([][]float64, w.lo-y)...)
		w.lo = y
	}
	for y-w.lo >= len(w.years) {
		w.years = append(w.years, nil)
	}
	w.years[y-w.lo] = m
}

// marks returns year y's marks, walking the year (and the years between it
// and epochYear) the first time.
func (p *profile) marks(seed int64, y int) []float64 {
	if m := p.walk.get(y); m != nil {
		return m
	}
	sess := p.cal.year(y)
	n := len(sess)
	m := make([]float64, (n-1)/markEvery+2)
	mark := func(i int, v float64) {
		if i%markEvery == 0 {
			m[i/markEvery] = v
		}
		if i == n-1 {
			m[len(m)-1] = v
		}
	}
	switch {
	case y == epochYear:
		v := math.Log(p.level)
		mark(0, v)
		for i := 1; i < n; i++ {
			v += p.dailyReturn(seed, sess[i].day)
			mark(i, v)
		}
	case y > epochYear:
		prev := p.marks(seed, p.cal.prev(sessionRef{y, 0}).year)
		v := prev[len(prev)-1]
		for i, s := range sess {
			v += p.dailyReturn(seed, s.day)
			mark(i, v)
		}
	default:
		nextRef := p.cal.next(sessionRef{y, n - 1})
		v := p.marks(seed, nextRef.year)[0] - p.dailyReturn(seed, p.cal.at(nextRef).day)
		for i := n - 1; i >= 0; i-- {
			mark(i, v)
			v -= p.dailyReturn(seed, sess[i].day)
		}
	}
	p.walk.put(y, m)
	return m
}

// logClose is the log close of session r. To read many consecutive
// sessions, range over closes instead: each lookup here starts from a mark.
func (p *profile) logClose(seed int64, r sessionRef) float64 {
	sess := p.cal.year(r.year)
	switch {
	case p.kind == fx:
		return p.fxLogClose(seed, sess[r.i].day)
	case r.year >= epochYear:
		j := r.i / markEvery
		v := p.marks(seed, r.year)[j]
		for i := j*markEvery + 1; i <= r.i; i++ {
			v += p.dailyReturn(seed, sess[i].day)
		}
		return v
	}
	var buf [markEvery]float64
	lo := r.i - r.i%markEvery
	return p.backward(seed, r.year, lo, &buf)[r.i-lo]
}

// backward returns the log closes of sessions lo (a multiple of markEvery)
// to lo+markEvery-1, or to the last, of year y, which is before epochYear:
// walked down from the next mark above lo, as the year was walked.
func (p *profile) backward(seed int64, y, lo int, buf *[markEvery]float64) []float64 {
	sess := p.cal.year(y)
	m := p.marks(seed, y)
	top, v := lo+markEvery, m[lo/markEvery+1]
	if top >= len(sess)-1 {
		top, v = len(sess)-1, m[len(m)-1]
	}
	out := buf[:min(markEvery, len(sess)-lo)]
	for i := top; ; i-- {
		if i-lo < len(out) {
			out[i-lo] = v
		}
		if i == lo {
			return out
		}
		v -= p.dailyReturn(seed, sess[i].day)
	}
}

// closes yields the log close of every session first..last, in order,
// walking each stretch once.
func (p *profile) closes(seed int64, first, last sessionRef) iter.Seq2[sessionRef, float64] {
	return func(yield func(sessionRef, float64) bool) {
		for r := first; !r.after(last); {
			// Stopping in last's year, not stepping past it, builds no
			// calendar year for nothing.
			if r.year == last.year {
				p.yearCloses(seed, r.year, r.i, last.i, yield)
				return
			}
			end := len(p.cal.year(r.year)) - 1
			if !p.yearCloses(seed, r.year, r.i, end, yield) {
				return
			}
			r = p.cal.next(sessionRef{r.year, end})
		}
	}
}

// yearCloses yields the log closes of sessions from..to of year y, and
// reports whether yield asked for more.
func (p *profile) yearCloses(seed int64, y, from, to int, yield func(sessionRef, float64) bool) bool {
	sess := p.cal.year(y)
	switch {
	case p.kind == fx:
		for i := from; i <= to; i++ {
			if !yield(sessionRef{y, i}, p.fxLogClose(seed, sess[i].day)) {
				return false
			}
		}
	case y >= epochYear:
		v := p.logClose(seed, sessionRef{y, from})
		for i := from; ; i++ {
			if !yield(sessionRef{y, i}, v) {
				return false
			}
			if i == to {
				break
			}
			v += p.dailyReturn(seed, sess[i+1].day)
		}
	default:
		var buf [markEvery]float64
		for lo := from - from%markEvery; lo <= to; lo += markEvery {
			w := p.backward(seed, y, lo, &buf)
			for i := max(from, lo); i <= min(to, lo+len(w)-1); i++ {
				if !yield(sessionRef{y, i}, w[i-lo]) {
					return false
				}
			}
		}
	}
	return true
}
