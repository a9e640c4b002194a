package baskets

import (
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// maxIntradaySpan bounds an intraday grid, so one listing whose last session
// is long past (a holiday, a halt) cannot stretch the chart of all others.
// Such a listing enters the grid at its last price carried forward.
func maxIntradaySpan(r feeds.Range) time.Duration {
	if r == feeds.Range1D {
		return 4 * 24 * time.Hour
	}
	return 16 * 24 * time.Hour
}

// gridStep is the spacing of the common time grid of a range.
func gridStep(r feeds.Range) time.Duration {
	if r.Intraday() {
		return r.Interval()
	}
	return 24 * time.Hour
}

// key maps an instant to its grid point: the start of its UTC bucket for
// intraday ranges, its local calendar date for daily ones.
func (c *computer) key(t time.Time, loc *time.Location) time.Time {
	if c.in.Range.Intraday() {
		return t.UTC().Truncate(c.step)
	}
	return localDate(t, loc)
}

// buildGrid spans every priced track: from the earliest point at which a
// member stands at its base to the latest observation of any member.
func (c *computer) buildGrid(tracks []*track) []time.Time {
	var start, end time.Time
	for _, t := range tracks {
		if !t.priced() {
			continue
		}
		if start.IsZero() || t.startKey.Before(start) {
			start = t.startKey
		}
		if t.endKey.After(end) {
			end = t.endKey
		}
	}
	if start.IsZero() {
		return nil
	}
	if c.in.Range.Intraday() {
		if lim := end.Add(-maxIntradaySpan(c.in.Range)); start.Before(lim) {
			start = lim
		}
	}
	if end.Before(start) { // a base dated after the last observation
		return nil
	}
	grid := make([]time.Time, 0, int(end.Sub(start)/c.step)+1)
	for g := start; !g.After(end); g = g.Add(c.step) {
		grid = append(grid, g)
	}
	return grid
}

// values is the track's price at each grid point: its last window close at
// or before the point, its base before its first window bar, and its live
// price at the last point, so the line ends where the range return does.
// The result is cached; callers must not modify it.
func (t *track) values(grid []time.Time) []float64 {
	if t.line != nil {
		return t.line
	}
	out := make([]float64, len(grid))
	i, v := 0, t.base
	for k, g := range grid {
		for i < len(t.keys) && !t.keys[i].After(g) {
			v = t.closes[i]
			i++
		}
		out[k] = v
	}
	if n := len(out); n > 0 {
		out[n-1] = t.price
	}
	t.line = out
	return out
}
