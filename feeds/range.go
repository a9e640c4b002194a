package feeds

import (
	"fmt"
	"slices"
	"sort"
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
// symbol: daily closes that serve every daily range (1M to 1Y, YTD) and the
// rotation map, so one request per batch of symbols fetches them all. Two
// years are fetched (the name, in snapshots and recordings, says so) and a
// year and seven weeks kept: see KeptHistory.
const RangeDaily Range = "2Y"

// RangeLong is the ten years of daily closes kept for the FX pairs of
// lots bought before RangeDaily reaches (Watch.Long): a lot's cost converts
// at its pair's close of the lot's date. Fetched once a day.
const RangeLong Range = "10Y"

// LongEvery is how often a RangeLong series is fetched again: its old
// years do not change, and its last day only serves a lot bought today.
const LongEvery = 24 * time.Hour

// dailyHistory is how much of a RangeDaily series is kept, in days before
// its last bar: the longest range's year, the three weeks of grace a daily
// base may lie before its date (baskets), and a margin for the days until
// the next fetch. The rotation map needs 19 weeks at most. Yahoo offers no
// span between 1y, which can start a day after a year-old base, and 2y.
const dailyHistory = 365 + 7*7

// DailyReach is the earliest date a kept RangeDaily series reaches at
// asOf (see KeptHistory).
func DailyReach(asOf time.Time) time.Time { return asOf.AddDate(0, 0, -dailyHistory) }

// KeptHistory is s as the poller keeps it: a RangeDaily series cut to
// dailyHistory days before its last bar, with the close before the cut as
// its PreviousClose (0 if that is not a price); any other series as it is.
// No figure reads the older year, so holding it would only cost memory
// (see BenchmarkResidentMemory); what reaches further back is RangeLong's.
func KeptHistory(s Series) Series {
	n := min(len(s.Times), len(s.Closes))
	if s.Range != RangeDaily || n == 0 {
		return s
	}
	from := s.Times[n-1].AddDate(0, 0, -dailyHistory)
	i := sort.Search(n, func(i int) bool { return !s.Times[i].Before(from) })
	if i == 0 {
		return s
	}
	out := s
	// Copies, so the dropped year's arrays can be collected.
	out.Times, out.Closes = slices.Clone(s.Times[i:n]), slices.Clone(s.Closes[i:n])
	out.PreviousClose = 0
	if c := s.Closes[i-1]; badPrice(c) == "" {
		out.PreviousClose = c
	}
	out.Periods = nil
	for _, p := range s.Periods {
		if p.End.After(from) {
			out.Periods = append(out.Periods, p)
		}
	}
	return out
}

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
	if r.Intraday() || r == RangeLong {
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
	case RangeLong:
		return asOf.AddDate(-10, 0, -7)
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
