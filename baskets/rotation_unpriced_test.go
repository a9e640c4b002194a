package baskets

import (
	"testing"

	"github.com/rotation-dev/rotation/watchlists"
)

// TestRotationNeedsAPricedMember: a segment or era with no priced member
// today has no place on the map, though its daily closes would give one;
// an era is placed by its priced segments only, as its return is.
func TestRotationNeedsAPricedMember(t *testing.T) {
	up := func(i int) float64 { return 100 + float64(i) }
	in := pathInput(20, flat(400),
		pathSeg{watchlists.Training, up},       // S0, priced
		pathSeg{watchlists.Training, flat(50)}, // S1, no quote today
		pathSeg{watchlists.Inference, up},      // S2, no quote today
	)
	delete(in.Quotes, "S1")
	delete(in.Quotes, "S2")
	rep := Compute(in)
	if q := rep.Segments[0].Rotation.Quadrant; q == "" {
		t.Fatalf("the priced segment has no quadrant")
	}
	for _, s := range rep.Segments[1:] {
		if r := s.Rotation; r.Ratio.Valid || r.Momentum.Valid || r.Quadrant != "" || len(r.Tail) != 0 {
			t.Errorf("%s with no priced member: rotation %+v, want null", s.File, r)
		}
	}
	if r := rep.Eras.Inference.Rotation; r.Ratio.Valid || r.Quadrant != "" {
		t.Errorf("inference era with no priced member: rotation %+v, want null", r)
	}
	// The training era is S0 alone: S1 counts in neither its return nor its place.
	if tr, s0 := rep.Eras.Training.Rotation, rep.Segments[0].Rotation; tr.Ratio != s0.Ratio || tr.Momentum != s0.Momentum {
		t.Errorf("training era at %v/%v, want S0's %v/%v", tr.Ratio, tr.Momentum, s0.Ratio, s0.Momentum)
	}
	in.Weighting = WeightEqual
	if r := Compute(in).Segments[1].Rotation; r.Quadrant != "" {
		t.Errorf("equal weighting: unpriced segment in %q", r.Quadrant)
	}
}
