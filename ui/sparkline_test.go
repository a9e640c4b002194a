package ui

import (
	"math"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A sparkline draws what it is given without a panic: a value that is no
// number (NaN, ±Inf) is a gap, and the finite ones keep their scale.
func TestSparklineWithValuesThatAreNoNumbers(t *testing.T) {
	for _, values := range [][]float64{
		{1, math.Inf(1)}, {math.Inf(-1), 1, 2}, {math.NaN(), 1, 2}, {math.NaN()}, {math.Inf(1), math.Inf(-1)},
	} {
		got := sparkline(values, 5)
		if w := ansi.StringWidth(got); w != 5 {
			t.Errorf("%v: %q is %d cells wide, want 5", values, got, w)
		}
	}
	if got := sparkline([]float64{math.NaN(), 1, 2}, 3); got != " "+string(sparkRunes[0])+string(sparkRunes[len(sparkRunes)-1]) {
		t.Errorf("gap then low then high: %q", got)
	}
}
