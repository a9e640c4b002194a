package baskets

import (
	"encoding/json"
	"testing"
)

func TestOptJSONRoundsAwayFloatNoise(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{2.8899999999999864, "2.89"}, {4.500000000000028, "4.5"}, {-0.1 - 0.2, "-0.3"},
		{4.95e12, "4950000000000"}, {1234567.891234, "1234567.89123"}, {1e-7, "1e-7"}, {0, "0"},
	} {
		b, err := json.Marshal(Some(c.v))
		if err != nil || string(b) != c.want {
			t.Errorf("Some(%v) marshals to %s (%v), want %s", c.v, b, err, c.want)
		}
	}
	if b, _ := json.Marshal(None); string(b) != "null" {
		t.Errorf("None marshals to %s", b)
	}
}
