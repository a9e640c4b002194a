package ui

import (
	"testing"
	"time"

	"github.com/rotation-dev/rotation/baskets"
)

func dailyLine(from time.Time, days int) baskets.Line {
	var l baskets.Line
	for i := range days {
		l.Times = append(l.Times, from.AddDate(0, 0, i))
		l.Values = append(l.Values, float64(i))
	}
	return l
}

// A long line keeps its base, the last day of each week or month, and now.
func TestResampledKeepsEachPeriodsLastPoint(t *testing.T) {
	from := time.Date(2021, 12, 3, 0, 0, 0, 0, time.UTC) // a Friday
	l := dailyLine(from, 5*365)
	if got := chartStep(chartSpan(l)); got != "month" {
		t.Fatalf("step over five years %q, want month", got)
	}
	m := resampled(l, "month")
	if !m.Times[0].Equal(from) || m.Values[0] != 0 {
		t.Errorf("first point %v %v, want the base", m.Times[0], m.Values[0])
	}
	if !m.Times[1].Equal(time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("second point %v, want 31 December", m.Times[1])
	}
	last := len(l.Times) - 1
	if n := len(m.Times); !m.Times[n-1].Equal(l.Times[last]) || m.Values[n-1] != l.Values[last] || n != 62 {
		t.Errorf("%d points ending %v, want 62 (the base, then December 2021 to December 2026) ending now", n, m.Times[n-1])
	}
	w := resampled(dailyLine(from, 2*365), chartStep(chartSpan(dailyLine(from, 2*365))))
	if d := w.Times[2].Sub(w.Times[1]); d != 7*24*time.Hour {
		t.Errorf("weekly points %v apart", d)
	}
	if got := chartStep(chartSpan(dailyLine(from, 300))); got != "" {
		t.Errorf("a date range of 300 days is drawn %q, want daily", got)
	}
}
