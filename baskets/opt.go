package baskets

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// Opt is a number that may be unknown. Unknown marshals to JSON null, so a
// missing figure is never mistaken for zero.
type Opt struct {
	Value float64
	Valid bool
}

// Some returns a known value; NaN and ±Inf become unknown.
func Some(v float64) Opt {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Opt{}
	}
	return Opt{Value: v, Valid: true}
}

// None is the unknown value.
var None = Opt{}

// Get returns the value and whether it is known.
func (o Opt) Get() (float64, bool) { return o.Value, o.Valid }

// Sub returns o - p, unknown if either is.
func (o Opt) Sub(p Opt) Opt {
	if !o.Valid || !p.Valid {
		return None
	}
	return Some(o.Value - p.Value)
}

// String formats with the shortest exact representation, "" when unknown.
func (o Opt) String() string {
	if !o.Valid {
		return ""
	}
	return strconv.FormatFloat(o.Value, 'f', -1, 64)
}

// MarshalJSON writes the value to 12 significant digits, beyond which a
// float's last bits are arithmetic noise (2.8899999999999864 is 2.89), and
// no figure here is measured that finely.
func (o Opt) MarshalJSON() ([]byte, error) {
	if !o.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(jsonRound(o.Value))
}

// jsonRound rounds v to 12 significant digits.
func jsonRound(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return r
}

func (o *Opt) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = None
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Some(v)
	return nil
}

// validPrice reports whether p can be used as a price: finite and positive.
func validPrice(p float64) bool {
	return p > 0 && !math.IsInf(p, 1)
}
