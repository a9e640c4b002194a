package feeds

import (
	"fmt"
	"strings"
	"time"
)

// Range is the span over which returns and charts are measured.
type Range string

const (
	Range1D  Range = "1D"
	Range5D  Range = "5D"
	Range1M  Range = "1M"
	Range3M  Range = "3M"
	Range6M  Range = "6M"
	RangeYTD Range = "YTD"
	Range1Y  Range = "1Y"
)

// RangeDaily is no range on screen but the one daily series kept for every
// symbol: two years of daily closes, which serve every daily range (1M to
// 1Y, YTD) and the rotation map, so one request per batch of symbols
// fetches them all.
const RangeDaily Range = "2Y"

// Ranges lists every range in the order the UI cycles through them.
var Ranges = []Range{Range1D, Range5D, Range1M, Range3M, Range6M, RangeYTD, Range1Y}

// ParseRange accepts a range name in any case.
func ParseRange(s string) (Range, error) {
	for _, r := range Ranges {
		if strings.EqualFold(s, string(r)) {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown range %q: use one of 1D, 5D, 1M, 3M, 6M, YTD, 1Y", s)
}

// Interval is the bar size a series of this range is fetched at: 5-minute
// bars for 1D, 30-minute for 5D, daily closes for anything longer.
func (r Range) Interval() time.Duration {
	switch r {
	case Range1D:
		return 5 * time.Minute
	case Range5D:
		return 30 * time.Minute
	default:
		return 24 * time.Hour
	}
}

// Fetched is the series range that serves r: daily ranges all read
// RangeDaily; 1D and 5D have series of their own.
func (r Range) Fetched() Range {
	if r.Intraday() {
		return r
	}
	return RangeDaily
}

// Intraday reports whether the range is drawn from intraday bars.
func (r Range) Intraday() bool { return r == Range1D || r == Range5D }

// Start returns the earliest instant a series for this range must cover at
// asOf. Intraday ranges reach back far enough to cover weekends and holidays;
// the caller picks the sessions it needs.
func (r Range) Start(asOf time.Time) time.Time {
	switch r {
	case Range1D:
		return asOf.AddDate(0, 0, -5)
	case Range5D:
		return asOf.AddDate(0, 0, -12)
	case Range1M:
		return asOf.AddDate(0, -1, -7)
	case Range3M:
		return asOf.AddDate(0, -3, -7)
	case Range6M:
		return asOf.AddDate(0, -6, -7)
	case RangeYTD:
		return time.Date(asOf.Year()-1, 12, 15, 0, 0, 0, 0, time.UTC)
	case RangeDaily:
		return asOf.AddDate(-2, 0, -7)
	default:
		return asOf.AddDate(-1, 0, -7)
	}
}

// Next and Prev cycle through Ranges.
func (r Range) Next() Range { return r.step(1) }
func (r Range) Prev() Range { return r.step(-1) }

func (r Range) step(d int) Range {
	for i, x := range Ranges {
		if x == r {
			return Ranges[(i+d+len(Ranges))%len(Ranges)]
		}
	}
	return Range1D
}
