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
	Range2Y  Range = "2Y"
	Range3Y  Range = "3Y"
	Range5Y  Range = "5Y"
)

// RangeDaily is no range on screen but the one daily series kept for every
// symbol: daily closes that serve every daily range up to 1Y and the
// rotation map, so one request per batch of symbols fetches them all. Two
// years are fetched and a year and seven weeks kept: see KeptHistory.
// Snapshots and recordings made when it was named "2Y" are read as it
// (LegacyRange).
const RangeDaily Range = "daily"

// RangeLong is the ten years of daily closes kept for every symbol: the
// long ranges (2Y, 3Y, 5Y and dates) read them, and so does an old lot's
// cost, converted at its pair's close of the lot's date. The years are
// fetched whole once and kept on disk (History); the daily series extends
// them (MergeHistory).
const RangeLong Range = "10Y"

// LongEvery is how soon the years may be fetched whole again when the
// kept ones cannot be extended (the daily series no longer overlaps them).
const LongEvery = 24 * time.Hour

// LegacyRange maps a series range read from an older snapshot or
// recording to its present name: "2Y" was RangeDaily's name before 2Y
// became a range on screen (which is served by RangeLong, so no series is
// ever stored under "2Y" now).
func LegacyRange(r Range) Range {
	if r == Range2Y {
		return RangeDaily
	}
	return r
}

// dailyHistory is how much of a RangeDaily series is kept, in days before
// its last bar: the longest range's year, the three weeks of grace a daily
// base may lie before its date (baskets), and a margin for the days until
// the next fetch. The rotation map needs 19 weeks at most. Yahoo offers no
// span between 1y, which can start a day after a year-old base, and 2y.
const dailyHistory = 365 + 7*7

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

// Ranges lists every named range in the order the UI cycles through them.
// A calendar date is a range too (DateRange), outside the cycle.
var Ranges = []Range{Range1D, Range5D, Range1M, Range3M, Range6M, RangeYTD, Range1Y, Range2Y, Range3Y, Range5Y}

// earliestDate bounds a date range: before it no listing we show traded.
var earliestDate = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)

// ParseRange accepts a range name in any case, or a calendar date as
// YYYY-MM-DD: the range since that date (see DateRange). Whether a date is
// in the future depends on the clock: see Check.
func ParseRange(s string) (Range, error) {
	for _, r := range Ranges {
		if strings.EqualFold(s, string(r)) {
			return r, nil
		}
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if d.Before(earliestDate) {
			return "", fmt.Errorf("range %s is before %s: use a later date", s, earliestDate.Format(time.DateOnly))
		}
		return DateRange(d), nil
	}
	if looksLikeDate(s) {
		return "", fmt.Errorf("range %q is not a calendar date: write it as YYYY-MM-DD, for example 2025-01-27", s)
	}
	return "", fmt.Errorf("unknown range %q: use one of 1D, 5D, 1M, 3M, 6M, YTD, 1Y, 2Y, 3Y, 5Y, or a date as YYYY-MM-DD", s)
}

func looksLikeDate(s string) bool {
	return len(s) >= 8 && strings.Count(s, "-") == 2 && s[0] >= '0' && s[0] <= '9'
}

// DateRange is the range since calendar date d (its year, month and day):
// its base is the last close strictly before d, so d's own move counts.
func DateRange(d time.Time) Range { return Range(d.Format(time.DateOnly)) }

// Date is a date range's calendar date, as midnight UTC; ok is false for a
// named range.
func (r Range) Date() (d time.Time, ok bool) {
	if len(r) != len(time.DateOnly) {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, string(r))
	return d, err == nil
}

// Check reports a date range after asOf's date, which has no figure yet.
func (r Range) Check(asOf time.Time) error {
	d, ok := r.Date()
	if !ok {
		return nil
	}
	y, m, day := asOf.Date()
	if today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC); d.After(today) {
		return fmt.Errorf("range %s is after today (%s): choose a date up to today", r, today.Format(time.DateOnly))
	}
	return nil
}

// Long reports a range served by the years of RangeLong: 2Y, 3Y, 5Y and
// every date.
func (r Range) Long() bool {
	if _, ok := r.Date(); ok {
		return true
	}
	return r == Range2Y || r == Range3Y || r == Range5Y
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

// Fetched is the series range that serves r: daily ranges up to 1Y read
// RangeDaily, longer ones RangeLong; 1D and 5D have series of their own.
func (r Range) Fetched() Range {
	switch {
	case r.Intraday() || r == RangeLong:
		return r
	case r.Long():
		return RangeLong
	}
	return RangeDaily
}

// Intraday reports whether the range is drawn from intraday bars.
func (r Range) Intraday() bool { return r == Range1D || r == Range5D }

// Start returns the earliest instant a series for this range must cover at
// asOf. Intraday ranges reach back far enough to cover weekends and holidays;
// the caller picks the sessions it needs.
func (r Range) Start(asOf time.Time) time.Time {
	if d, ok := r.Date(); ok {
		return d.AddDate(0, 0, -7)
	}
	if n, ok := r.Months(); ok {
		return asOf.AddDate(0, -n, -7)
	}
	switch r {
	case Range1D:
		return asOf.AddDate(0, 0, -5)
	case Range5D:
		return asOf.AddDate(0, 0, -12)
	case RangeYTD:
		return time.Date(asOf.Year()-1, 12, 15, 0, 0, 0, 0, time.UTC)
	case RangeDaily:
		return asOf.AddDate(-2, 0, -7)
	case RangeLong:
		return asOf.AddDate(-10, 0, -7)
	}
	return asOf.AddDate(-1, 0, -7)
}

// rangeMonths are the ranges counted back in calendar months.
var rangeMonths = map[Range]int{Range1M: 1, Range3M: 3, Range6M: 6, Range1Y: 12, Range2Y: 24, Range3Y: 36, Range5Y: 60}

// Months is how many calendar months r counts back, for the ranges that
// are a number of months or years; ok is false for the others (1D, 5D,
// YTD, a date).
func (r Range) Months() (n int, ok bool) {
	n, ok = rangeMonths[r]
	return n, ok
}

// Next and Prev cycle through Ranges; from a date range, Next starts the
// cycle again at its shortest and Prev at its longest.
func (r Range) Next() Range { return r.step(1) }
func (r Range) Prev() Range { return r.step(-1) }

func (r Range) step(d int) Range {
	if _, ok := r.Date(); ok {
		if d > 0 {
			return Ranges[0]
		}
		return Ranges[len(Ranges)-1]
	}
	for i, x := range Ranges {
		if x == r {
			return Ranges[(i+d+len(Ranges))%len(Ranges)]
		}
	}
	return Range1D
}
