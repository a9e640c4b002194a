package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/baskets"
)

const dash = "—"

// arrow marks direction without colour, so NO_COLOR screens still read.
func arrow(v float64) string {
	switch {
	case v > 0:
		return "▲"
	case v < 0:
		return "▼"
	default:
		return "·"
	}
}

// pct formats a percentage with its arrow: "▲ +1.23%".
func pct(o baskets.Opt) string {
	v, ok := o.Get()
	if !ok {
		return dash
	}
	d := figureDecimals(v)
	v = roundTo(v, d)
	return arrow(v) + " " + signed(v, d) + "%"
}

// figureDecimals is how many decimals a percentage or a spread is shown
// to: two, and none from 1,000 up (five years of a winner), so the figure
// keeps the width of its column whole rather than be cut.
func figureDecimals(v float64) int {
	if math.Abs(roundTo(v, 2)) >= 1000 {
		return 0
	}
	return 2
}

// points formats a spread in percentage points: "+3.10 pp".
func points(o baskets.Opt) string {
	v, ok := o.Get()
	if !ok {
		return dash
	}
	return signed(v, figureDecimals(v)) + " pp"
}

// signed writes v with its sign to the given decimals; a value that rounds
// to zero is "0.00", never "-0.00", so a flat figure does not read as a fall.
func signed(v float64, decimals int) string {
	v = roundTo(v, decimals)
	if v == 0 {
		return strconv.FormatFloat(0, 'f', decimals, 64)
	}
	return fmt.Sprintf("%+.*f", decimals, v)
}

// roundTo is v as it is written to the given decimals: half away from
// zero, the rounding print's table uses too (baskets.Fixed), so a figure
// reads the same on screen and on paper.
func roundTo(v float64, decimals int) float64 { return baskets.RoundHalfAway(v, decimals) }

// price formats with as many decimals as the magnitude deserves and thousands
// separators, so KRW and USD prices both read at a glance.
func price(o baskets.Opt) string {
	v, ok := o.Get()
	if !ok {
		return dash
	}
	return fmtPrice(v)
}

func fmtPrice(v float64) string { return fmtNumber(v, priceDecimals(v)) }

// priceDecimals is how many decimals a price of this size deserves.
func priceDecimals(v float64) int {
	switch a := math.Abs(v); {
	case a >= 10000:
		return 0
	case a >= 1000:
		return 1
	case a < 1:
		return 4
	default:
		return 2
	}
}

// fmtNumber formats v with thousands separators.
func fmtNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// signedChange is a change in price units, with the decimals of the price
// it changed ("+6,390" for a won price, "+0.62" for a dollar one).
func signedChange(change, price baskets.Opt) string {
	v, ok := change.Get()
	if !ok {
		return dash
	}
	p, ok := price.Get()
	if !ok {
		p = v
	}
	s := fmtNumber(v, priceDecimals(p))
	if v >= 0 {
		return "+" + s
	}
	return s
}

// span formats a duration the way a trader says it: "2h13m", "3m", "45s", "2d4h".
func span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
	}
}

var sparkRunes = []rune("▁▂▃▄▅▆▇█")

// sparkline draws values in width cells, resampling by taking the last value
// of each cell's slice so the final cell is always the latest price.
func sparkline(values []float64, width int) string {
	if width <= 0 || len(values) == 0 {
		return strings.Repeat(" ", max(width, 0))
	}
	cells := resample(values, width)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range cells {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	var b strings.Builder
	for _, v := range cells {
		if math.IsNaN(v) || math.IsInf(v, 0) { // no point to draw: a gap, not a crash
			b.WriteByte(' ')
			continue
		}
		i := len(sparkRunes) / 2
		if hi > lo {
			i = int((v - lo) / (hi - lo) * float64(len(sparkRunes)-1))
		}
		b.WriteRune(sparkRunes[i])
	}
	if pad := width - len(cells); pad > 0 {
		return strings.Repeat(" ", pad) + b.String()
	}
	return b.String()
}

// resample reduces values to at most n points, each the last of its bucket.
func resample(values []float64, n int) []float64 {
	if len(values) <= n {
		return values
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = values[(i+1)*len(values)/n-1]
	}
	return out
}

// compact is a large magnitude in three digits or so: 3.95T, 412B, 54.7M,
// 850K; the money, volume and cap figures all read alike.
func compact(a float64) string {
	for _, u := range []struct {
		at   float64
		unit string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}} {
		if math.Abs(a) >= u.at {
			x := a / u.at
			decimals := 0
			switch ax := math.Abs(x); {
			case ax < 10:
				decimals = 2
			case ax < 100:
				decimals = 1
			}
			return strconv.FormatFloat(x, 'f', decimals, 64) + u.unit
		}
	}
	return strconv.FormatFloat(a, 'f', 0, 64)
}

// dollars is a change in market value as a trader says it: +$412B, -$96.4B.
func dollars(o baskets.Opt) string {
	v, ok := o.Get()
	if !ok {
		return dash
	}
	if v < 0 {
		return "-$" + compact(-v)
	}
	return "+$" + compact(v)
}

// relVol is volume against its 3-month average, in a card's few cells or
// beside a flow: "vol 0.98x"; "" when unknown.
func relVol(o baskets.Opt) string {
	v, ok := o.Get()
	if !ok {
		return ""
	}
	return "vol " + times(v)
}

// times is a ratio as traders write it: 1.32x.
func times(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + "x" }

// compactPoints is a spread in points with one decimal and no unit: +0.4.
func compactPoints(o baskets.Opt) string {
	v, ok := o.Get()
	if !ok {
		return dash
	}
	return signed(v, 1)
}
