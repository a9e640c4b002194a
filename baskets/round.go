package baskets

import (
	"math"
	"strconv"
	"strings"
)

// Fixed writes v to decimals places, rounded half away from zero on v's
// shortest decimal form (the digits strconv prints for it): 48.5 is "49",
// -0.125 at 2 is "-0.13", and 1.005, whose binary value lies a hair below,
// is "1.01" as it reads. It is the one rounding of every percent print's
// table and the monitor show, so the two never differ by a last digit (Go's
// own formatting rounds an exact half to even: 48.5 to "48").
func Fixed(v float64, decimals int) string {
	decimals = max(decimals, 0)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', decimals, 64)
	}
	whole, frac, _ := strings.Cut(strconv.FormatFloat(math.Abs(v), 'f', -1, 64), ".")
	if len(frac) > decimals {
		up := frac[decimals] >= '5'
		frac = frac[:decimals]
		if up {
			digits := []byte(whole + frac)
			i := len(digits) - 1
			for ; i >= 0 && digits[i] == '9'; i-- {
				digits[i] = '0'
			}
			if i < 0 {
				digits = append([]byte{'1'}, digits...)
			} else {
				digits[i]++
			}
			whole, frac = string(digits[:len(digits)-decimals]), string(digits[len(digits)-decimals:])
		}
	}
	s := whole
	if decimals > 0 {
		s += "." + frac + strings.Repeat("0", decimals-len(frac))
	}
	if v < 0 {
		s = "-" + s
	}
	return s
}

// RoundHalfAway is v as Fixed writes it, as a number.
func RoundHalfAway(v float64, decimals int) float64 {
	r, err := strconv.ParseFloat(Fixed(v, decimals), 64)
	if err != nil {
		return v
	}
	return r
}
