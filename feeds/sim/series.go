package sim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
)

// Series returns sym's history over r, shaped as Yahoo returns it: 5-minute
// bars of the current (or last) session for 1D, 30-minute bars of the last
// five sessions for 5D, daily closes from r.Start(now) otherwise (two years
// of them for feeds.RangeDaily). The last bar is the quote's Price and the
// close before the series its PreviousClose (for 1D, the quote's
// PreviousClose).
func (f *Feed) Series(ctx context.Context, sym string, r feeds.Range) (feeds.Series, error) {
	if err := ctx.Err(); err != nil {
		return feeds.Series{}, err
	}
	if sym == "" {
		return feeds.Series{}, fmt.Errorf("simulated series: empty symbol; pass a Yahoo symbol such as NVDA")
	}
	r, err := parseRange(r)
	if err != nil {
		return feeds.Series{}, fmt.Errorf("simulated series for %s: %w", sym, err)
	}
	now := f.clock()
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.profile(sym)
	cur := p.cal.lastStarted(now)
	s := feeds.Series{Symbol: sym, Range: r, Interval: r.Interval()}
	switch r {
	case feeds.Range1D:
		p.intradayBars(f.seed, &s, cur, cur, now)
	case feeds.Range5D:
		p.intradayBars(f.seed, &s, p.cal.back(cur, 4), cur, now)
	default:
		p.dailyBars(f.seed, &s, p.cal.from(r.Start(now)), cur, now)
	}
	return s, nil
}

// parseRange accepts feeds.RangeDaily and feeds.RangeLong, the poller's
// two- and ten-year daily series, besides the ranges on screen: being on no
// screen, they are not in feeds.ParseRange.
func parseRange(r feeds.Range) (feeds.Range, error) {
	for _, kept := range []feeds.Range{feeds.RangeDaily, feeds.RangeLong} {
		if strings.EqualFold(string(r), string(kept)) {
			return kept, nil
		}
	}
	return feeds.ParseRange(string(r))
}

// intradayBars fills s with bars of s.Interval over sessions first..last,
// bars starting at each trading period's start and labelled by their start
// time, each closing at the price at its end (or at now, for the bar in
// progress), as Yahoo labels them.
func (p *profile) intradayBars(seed int64, s *feeds.Series, first, last sessionRef, now time.Time) {
	// Sized exactly, as callers keep the series.
	sessions, bars := p.cal.count(first, last), 0
	for r := first; !r.after(last); r = p.cal.next(r) {
		for _, part := range p.ex.TradingPeriods(dayDate(p.cal.at(r).day)) {
			bars += barsUntil(part.Start.UTC(), part.End.UTC(), now, s.Interval)
		}
	}
	s.Periods = make([]feeds.Period, 0, sessions)
	s.Times, s.Closes = make([]time.Time, 0, bars), make([]float64, 0, bars)
	p.eachClose(seed, s, first, last, func(r sessionRef, prevClose, lc float64) {
		// Only the last session's path is kept: it is the one quotes need.
		dp := p.pathFrom(seed, r, prevClose, lc)
		if r == last {
			p.keepPath(dp)
		}
		sess := p.cal.at(r)
		s.Periods = append(s.Periods, feeds.Period{Start: sess.openTime(), End: sess.closeTime()})
		for _, part := range p.ex.TradingPeriods(dayDate(sess.day)) {
			end := part.End.UTC()
			for st := part.Start.UTC(); st.Before(end) && !st.After(now); st = st.Add(s.Interval) {
				lp, _ := p.logAt(seed, dp, minTime(minTime(st.Add(s.Interval), end), now))
				s.Times = append(s.Times, st)
				s.Closes = append(s.Closes, p.round(math.Exp(lp)))
			}
		}
	})
}

// eachClose sets s.PreviousClose from the close of the session before
// first, then calls f for each session first..last with its log close and
// the one before it, walking the closes once.
func (p *profile) eachClose(seed int64, s *feeds.Series, first, last sessionRef, f func(r sessionRef, prevClose, close float64)) {
	before := p.cal.prev(first)
	var prev float64
	for r, lc := range p.closes(seed, before, last) {
		if r == before {
			s.PreviousClose = p.round(math.Exp(lc))
		} else {
			f(r, prev, lc)
		}
		prev = lc
	}
}

// barsUntil counts the bars of size d from start that begin before end and
// by now, as intradayBars makes them.
func barsUntil(start, end, now time.Time, d time.Duration) int {
	if now.Before(start) || !start.Before(end) {
		return 0
	}
	return int(min((end.Sub(start)+d-1)/d, now.Sub(start)/d+1))
}

// fxZone is the time zone Yahoo gives its currency pairs, whose daily bars
// it dates at midnight there on the session's own day.
const fxZone = "Europe/London"

var fxLocation = market.Location(fxZone)

// dailyLabel is the time a daily bar is stamped with: the session's open,
// as Yahoo does for listings; for an FX pair, whose session opens the
// evening before its day, midnight London on that day, as Yahoo does too.
func (p *profile) dailyLabel(sess session) time.Time {
	if p.kind != fx {
		return sess.openTime()
	}
	d := dayDate(sess.day)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, fxLocation)
}

// dailyBars fills s with one close per session first..last, labelled by
// dailyLabel; the last is live while its session is in progress.
func (p *profile) dailyBars(seed int64, s *feeds.Series, first, last sessionRef, now time.Time) {
	n := p.cal.count(first, last)
	// No Periods: sessions matter to intraday ranges only, and two years of
	// them would triple what every symbol's daily series holds.
	s.Times, s.Closes = make([]time.Time, 0, n), make([]float64, 0, n)
	p.eachClose(seed, s, first, last, func(r sessionRef, prevClose, lc float64) {
		lp := lc
		if r == last {
			dp := p.pathFrom(seed, r, prevClose, lc)
			p.keepPath(dp)
			lp, _ = p.logAt(seed, dp, now)
		}
		s.Times = append(s.Times, p.dailyLabel(p.cal.at(r)))
		s.Closes = append(s.Closes, p.round(math.Exp(lp)))
	})
}
