package baskets

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

// weekEndIndexes are the sessions of days that end an ISO week, the last
// session (the week in progress) included.
func weekEndIndexes(days []time.Time) []int {
	var out []int
	for i, d := range days {
		y, w := d.ISOWeek()
		if i+1 < len(days) {
			if ny, nw := days[i+1].ISOWeek(); ny == y && nw == w {
				continue
			}
		}
		out = append(out, i)
	}
	return out
}

// TestRotationWeekly: weekly mode is the same map on the last close of each
// week; asOf is a Wednesday, so the last point is that Wednesday.
func TestRotationWeekly(t *testing.T) {
	f := func(i int) float64 { return 100 + 10*math.Sin(float64(i)/9) + float64(i)/5 }
	b := func(i int) float64 { return 200 + 5*math.Cos(float64(i)/11) }
	const n = 200
	in := rotationInput(n, f, b)
	in.RotationMode = RotationWeekly
	rep := Compute(in)
	if rep.RotationMode != RotationWeekly {
		t.Errorf("mode %q", rep.RotationMode)
	}
	rot := rep.Segments[0].Rotation

	days := weekdays(n)
	ends := weekEndIndexes(days)
	ends = ends[len(ends)-rotationBars-tailLength+1:]
	var rs []float64
	for _, i := range ends {
		rs = append(rs, f(i)/b(i))
	}
	ratio, momentum := byHand(rs)
	wantDates := []string{"2025-10-03", "2025-10-10", "2025-10-17", "2025-10-24", "2025-10-29"}
	if len(rot.Tail) != 5 {
		t.Fatalf("tail of %d points, want 5", len(rot.Tail))
	}
	for k, p := range rot.Tail {
		if got := p.Date.Format(time.DateOnly); got != wantDates[k] {
			t.Errorf("tail point %d dated %s, want %s", k, got, wantDates[k])
		}
		assertNear(t, "weekly ratio", p.Ratio, ratio[len(rs)-5+k])
		assertNear(t, "weekly momentum", p.Momentum, momentum[len(rs)-5+k])
	}
	assertOpt(t, "ratio now", rot.Ratio, ratio[len(rs)-1])
	if daily := Compute(rotationInput(n, f, b)).Segments[0].Rotation; daily.Ratio == rot.Ratio {
		t.Error("weekly and daily maps agree; weekly mode was not used")
	}
}

// TestRotationWeeklyHoliday: when the benchmark does not trade on a Friday,
// its week ends on the Thursday, and every segment is read there.
func TestRotationWeeklyHoliday(t *testing.T) {
	const n = 200
	in := rotationInput(n, func(i int) float64 { return 100 + float64(i) }, flat(400))
	in.RotationMode = RotationWeekly
	spy := in.Daily["SPY"]
	k := slices.IndexFunc(spy.Times, func(t time.Time) bool { return t.Format(time.DateOnly) == "2025-10-24" })
	spy.Times = slices.Delete(slices.Clone(spy.Times), k, k+1)
	spy.Closes = slices.Delete(slices.Clone(spy.Closes), k, k+1)
	in.Daily["SPY"] = spy
	rot := Compute(in).Segments[0].Rotation
	if got := rot.Tail[3].Date.Format(time.DateOnly); got != "2025-10-23" {
		t.Errorf("the week of 24 October ends %s, want 2025-10-23", got)
	}
	// X = 100 + i is read on the Thursday (i = k-1), not on the Friday.
	ends := weekEndIndexes(weekdays(n))
	ends = ends[len(ends)-rotationBars-tailLength+1:]
	ends[len(ends)-2] = k - 1
	var rs []float64
	for _, i := range ends {
		rs = append(rs, 100+float64(i))
	}
	ratio, momentum := byHand(rs)
	assertNear(t, "ratio on the Thursday", rot.Tail[3].Ratio, ratio[len(rs)-2])
	assertOpt(t, "momentum now", rot.Momentum, momentum[len(rs)-1])
}

func TestRotationWeeklyNeedsEnoughWeeks(t *testing.T) {
	in := rotationInput(14*5, flat(1), flat(1)) // 14 full weeks to a Wednesday: 15 week ends
	in.RotationMode = RotationWeekly
	if rot := Compute(in).Segments[0].Rotation; !rot.Ratio.Valid || len(rot.Tail) != 1 {
		t.Errorf("15 weekly closes gave %+v, want a point", rot)
	}
	in = rotationInput(14*5-3, flat(1), flat(1)) // from a Tuesday: 14 week ends
	in.RotationMode = RotationWeekly
	rep := Compute(in)
	if rep.Segments[0].Rotation.Ratio.Valid || !strings.Contains(strings.Join(rep.Problems, "\n"), "rotation map: needs 15 weekly closes of SPY, has 14") {
		t.Errorf("14 weekly closes: %+v, problems %q", rep.Segments[0].Rotation, rep.Problems)
	}
}

// TestEraRotation: an era is placed by the mean of its segments' map
// indexes (each 100 at the map's first session); benchmark-era segments
// belong to neither era.
func TestEraRotation(t *testing.T) {
	const n = 40
	a, b, c := geometric(1.006), geometric(1.002), geometric(0.996)
	wild := func(i int) float64 { return 100 + 50*math.Sin(float64(i)) }
	in := pathInput(n, flat(400), pathSeg{watchlists.Training, a}, pathSeg{watchlists.Training, b},
		pathSeg{watchlists.Inference, c}, pathSeg{watchlists.Benchmark, wild})
	rep := Compute(in)

	first := n - rotationBars - tailLength + 1
	var rs []float64
	for i := first; i < n; i++ {
		rs = append(rs, 100*(a(i)/a(first)+b(i)/b(first))/2)
	}
	ratio, momentum := byHand(rs)
	tr := rep.Eras.Training.Rotation
	assertOpt(t, "training ratio", tr.Ratio, ratio[len(rs)-1])
	assertOpt(t, "training momentum", tr.Momentum, momentum[len(rs)-1])
	if tr.Quadrant != Leading || len(tr.Tail) != tailLength {
		t.Errorf("training %q with %d tail points, want leading with 5", tr.Quadrant, len(tr.Tail))
	}
	// An era of one segment sits where that segment does.
	inf, seg := rep.Eras.Inference.Rotation, rep.Segments[2].Rotation
	if inf.Ratio != seg.Ratio || inf.Momentum != seg.Momentum || inf.Quadrant != Lagging {
		t.Errorf("inference era %+v, its only segment %+v; want the same, lagging", inf, seg)
	}

	data, _ := json.Marshal(rep)
	var j struct {
		Eras map[string]json.RawMessage `json:"eras"`
	}
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	for _, era := range []string{"training", "inference"} {
		var e struct{ Rotation map[string]json.RawMessage }
		if err := json.Unmarshal(j.Eras[era], &e); err != nil || len(e.Rotation) != 3 ||
			e.Rotation["ratio"] == nil || e.Rotation["momentum"] == nil || e.Rotation["quadrant"] == nil {
			t.Errorf("eras.%s.rotation is %v, want ratio, momentum, quadrant", era, e.Rotation)
		}
	}
}
