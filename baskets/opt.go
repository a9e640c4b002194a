package baskets

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// Opt is a number that may be unknown. Unknown marshals to JSON null, so a
// missing figure is never mistaken for zero.
//
// A figure made by Percent, Ratio, Money or Price also carries the decimals
// its meaning warrants, and its JSON and String are rounded to them: print's
// output promises figures to what they mean, not to a float's last bits.
// Value itself keeps full precision, so arithmetic never sees the rounding.
type Opt struct {
	Value float64
	Valid bool
	// places is the decimals the output rounds to, plus one, so that the
	// zero value (a literal's, Some's) declares none: 12 significant digits.
	places uint8
}

// Decimals of the figures whose meaning fixes them (see docs/figures.md, Print).
const (
	percentDecimals = 6 // percent and percentage points
	ratioDecimals   = 6 // relative volume, the rotation map, weights
	moneyDecimals   = 2 // cents, of any currency
	// A price's decimals (see Decimals): never fewer than cents, never more
	// than FX quotes carry.
	minPriceDecimals = 2
	maxPriceDecimals = 6
)

// Some returns a known value; NaN and ±Inf become unknown.
func Some(v float64) Opt {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Opt{}
	}
	return Opt{Value: v, Valid: true}
}

// None is the unknown value.
var None = Opt{}

// Percent is a known percent or percentage-point figure.
func Percent(v float64) Opt { return Some(v).withPlaces(percentDecimals) }

// Ratio is a known ratio: a relative volume, an RS-ratio, a weight.
func Ratio(v float64) Opt { return Some(v).withPlaces(ratioDecimals) }

// Money is a known amount of a currency, written to cents.
func Money(v float64) Opt { return Some(v).withPlaces(moneyDecimals) }

// Price is a known price, or a difference of prices, quoted to decimals
// (see Decimals).
func Price(v float64, decimals int) Opt { return Some(v).withPlaces(decimals) }

// withPlaces is o to be written with decimals (0 to 15) decimals; its
// Value is unchanged, and unknown stays None.
func (o Opt) withPlaces(decimals int) Opt {
	if !o.Valid {
		return None
	}
	o.places = uint8(min(max(decimals, 0), 15)) + 1
	return o
}

// Places is the decimals o is written with, if any were declared.
func (o Opt) Places() (int, bool) { return int(o.places) - 1, o.places > 0 }

// Decimals is how many decimals prices were quoted with, which the feeds do
// not say (Yahoo's priceHint is not carried): the fewest from 2 to 6 at
// which every valid one of quoted round-trips (265.88: 2, 1.08345: 5), 6
// when one never does (float noise). One answer for all of a symbol's
// prices keeps its price, previous close and change alike.
func Decimals(quoted ...float64) int {
	d := minPriceDecimals
	for _, v := range quoted {
		if !validPrice(v) {
			continue
		}
		for d < maxPriceDecimals && roundTo(v, d) != v {
			d++
		}
	}
	return d
}

// Get returns the value and whether it is known.
func (o Opt) Get() (float64, bool) { return o.Value, o.Valid }

// Sub returns o - p, unknown if either is; it is written like o, since a
// difference has the unit of what it is taken of.
func (o Opt) Sub(p Opt) Opt {
	if !o.Valid || !p.Valid {
		return None
	}
	diff := Some(o.Value - p.Value)
	diff.places = o.places
	return diff
}

// String formats the value as MarshalJSON rounds it, in plain decimals
// (for CSV), "" when unknown.
func (o Opt) String() string {
	if !o.Valid {
		return ""
	}
	return strconv.FormatFloat(o.rounded(), 'f', -1, 64)
}

// MarshalJSON writes the value to its declared decimals, else to 12
// significant digits, beyond which a float's last bits are arithmetic noise
// (2.8899999999999864 is 2.89).
func (o Opt) MarshalJSON() ([]byte, error) {
	if !o.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(o.rounded())
}

// rounded is the value as written: the float nearest the decimal rounding,
// so that its shortest form has no more digits than were declared.
func (o Opt) rounded() float64 {
	var r float64
	if d, ok := o.Places(); ok {
		r = roundTo(o.Value, d)
	} else {
		r, _ = strconv.ParseFloat(strconv.FormatFloat(o.Value, 'g', 12, 64), 64)
	}
	if r == 0 {
		return 0 // -0.0000001 rounds to 0, not "-0"
	}
	return r
}

// roundTo rounds v to d decimals in decimal, as printing would, not by
// scaling (v * 10^d can exceed what a float holds exactly).
func roundTo(v float64, d int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// UnmarshalJSON reads a number or null; what it reads declares no decimals.
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
