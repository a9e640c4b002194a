package baskets

import (
	"time"
)

// Window is what a member's sparkline and detail chart draw, so both agree
// with its range return by construction: the base first, then each bar of
// the range, in the report's currency, ending at the price now.

// baseTimeOf is where a chart places a member's base: the base bar's own
// time; else, for a daily range, the base date; else one bar before the
// window's first.
func (c *computer) baseTimeOf(times []time.Time, first int, loc *time.Location) time.Time {
	switch {
	case first > 0 && first <= len(times):
		return times[first-1]
	case !c.in.Range.Intraday():
		d := baseDate(c.in.Range, localDate(c.in.AsOf, loc))
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	case first < len(times):
		return times[first].Add(-c.in.Range.Interval())
	}
	return c.in.AsOf.Add(-c.in.Range.Interval())
}

// window is m's prices over the range: its base at baseTime, every window
// bar (converted at the rates of its own time), and the price now, at the
// quote's time when that is newer than the last bar, else in place of the
// last bar (a daily bar in progress is the live price). Empty when m has
// no return.
func (c *computer) window(m *money) Line {
	if !m.priced() || c.in.returnsOnly {
		return Line{}
	}
	if m.window.Times != nil {
		return m.window
	}
	t := m.t
	n := len(t.times)
	times := make([]time.Time, 0, n+2)
	values := make([]float64, 0, n+2)
	times, values = append(times, t.baseTime), append(values, m.base)
	loc := c.locationOf(t.symbol)
	for i, tm := range t.times {
		v := t.closes[i]
		if m.conv != nil {
			v *= m.conv.at(t.keys[i], c.dayOf(t.keys[i], loc))
		}
		times, values = append(times, tm), append(values, v)
	}
	qt := c.in.Quotes[t.symbol].QuoteTime
	newer := qt.After(times[len(times)-1]) && !qt.After(c.in.AsOf)
	if newer && n > 0 && !c.in.Range.Intraday() {
		// A daily bar is the whole session: a quote of the same day is it.
		newer = c.key(qt, c.locationOf(t.symbol)).After(t.keys[n-1])
	}
	switch {
	case newer:
		times, values = append(times, qt), append(values, m.price)
	case n > 0:
		values[len(values)-1] = m.price
	default: // no bar and no usable quote time: the price stands at asOf
		times, values = append(times, c.in.AsOf), append(values, m.price)
	}
	m.window = Line{Times: times, Values: values}
	return m.window
}
