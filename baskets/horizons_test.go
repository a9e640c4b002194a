package baskets

import (
	"testing"

	"github.com/rotation-dev/rotation/feeds"
)

func TestVerdict(t *testing.T) {
	h := func(r feeds.Range, spread Opt) Horizon { return Horizon{Range: r, Spread: spread} }
	cases := []struct {
		hs   []Horizon
		want string
	}{
		{[]Horizon{h("1D", Some(0.4)), h("5D", Some(-1)), h("1M", Some(2)), h("3M", Some(3)), h("YTD", None), h("1Y", Some(0))},
			"Toward inference on 3 of 4 horizons (1D, 1M, 3M); toward training on 5D."},
		{[]Horizon{h("1D", Some(-0.4)), h("5D", Some(-1))}, "Toward training on 2 of 2 horizons (1D, 5D)."},
		{[]Horizon{h("1D", Some(1)), h("5D", Some(-1))}, "Undecided: toward inference on 1D, toward training on 5D."},
		{[]Horizon{h("1D", None)}, "No verdict yet: no horizon has a return for both eras."},
	}
	for _, c := range cases {
		if got := Verdict(c.hs); got != c.want {
			t.Errorf("Verdict = %q, want %q", got, c.want)
		}
	}
}

func TestRatioChange(t *testing.T) {
	e := Eras{Inference: EraResult{Return: Some(12)}, Training: EraResult{Return: Some(4.5)}, Spread: Some(7.5)}
	got := horizonOf(feeds.Range1M, e)
	// 100 * (112 / 104.5 - 1) = 7.177...: the worked example of docs/figures.md.
	if v, _ := got.RatioChange.Get(); v < 7.1770 || v > 7.1771 {
		t.Errorf("ratioChange = %v, want 7.1770 (100 * (112/104.5 - 1))", v)
	}
}
