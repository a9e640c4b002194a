package feeds

import (
	"fmt"
	"time"
)

// longState is what the poller knows of each symbol's years (RangeLong)
// beyond the series itself and when they were last fetched whole
// (fetchedAt, as for every series).
type longState struct {
	tried map[string]bool // History was read for the symbol
	// cut marks years the daily series no longer overlaps, which cannot be
	// extended: fetched whole again once LongEvery has passed.
	cut map[string]bool
	// warned is set once History failed to keep a symbol's years.
	warned bool
}

func newLongState() longState {
	return longState{tried: map[string]bool{}, cut: map[string]bool{}}
}

func (l longState) forget(watched map[string]bool) {
	for _, m := range []map[string]bool{l.tried, l.cut} {
		for sym := range m {
			if !watched[sym] {
				delete(m, sym)
			}
		}
	}
}

// history is where the years are kept on disk, or nil: none is configured,
// or the prices are simulated (the auto feed's fallback), which must never
// be mistaken for a real history, nor joined to one.
func (p *Poller) history() *History {
	if p.opts.History == nil || p.feed.Health().Simulated {
		return nil
	}
	return p.opts.History
}

// loadHistory reads from disk the years of each watched symbol not yet
// held, once per symbol, joined at once to its daily series.
func (p *Poller) loadHistory() {
	h := p.history()
	if h == nil {
		return
	}
	var next map[SeriesKey]Series
	for _, sym := range p.watch.Symbols {
		k := SeriesKey{sym, RangeLong}
		if _, have := p.series[k]; have || p.long.tried[sym] {
			continue
		}
		p.long.tried[sym] = true
		e, ok, err := h.Load(sym)
		if err != nil || !ok || len(e.Series.Times) == 0 {
			continue // a damaged file is fetched again, and then replaced
		}
		if next == nil {
			// Published updates share the old map.
			next = make(map[SeriesKey]Series, len(p.series)+len(p.watch.Symbols))
			for k, s := range p.series {
				next[k] = s
			}
		}
		e.Series.Symbol, e.Series.Range = sym, RangeLong
		next[k] = e.Series
		p.fetchedAt[k] = e.Fetched
		p.joinLong(next, SeriesKey{sym, RangeDaily}, e.Fetched)
	}
	if next != nil {
		p.series = next
	}
}

// longDue reports whether k's years should be fetched whole: they are not
// held, or they cannot be extended any more and were not fetched within
// LongEvery. Otherwise the daily series extends them (joinLong), so the
// years are fetched once, not again every day.
func (p *Poller) longDue(k SeriesKey, now time.Time) bool {
	if _, have := p.series[k]; !have {
		at, asked := p.fetchedAt[k]
		// Asked and not known to the source: ask again later, not each refresh.
		return !asked || now.Sub(at) >= LongEvery
	}
	return p.long.cut[k.Symbol] && now.Sub(p.fetchedAt[k]) >= LongEvery
}

// joinLong extends a symbol's years with its daily series after either
// changed (k is the one that did), and keeps the result on disk when it
// gained bars. now is when k was fetched.
func (p *Poller) joinLong(next map[SeriesKey]Series, k SeriesKey, now time.Time) {
	if k.Range != RangeLong && k.Range != RangeDaily {
		return
	}
	sym := k.Symbol
	lk := SeriesKey{sym, RangeLong}
	long, ok := next[lk]
	if !ok {
		return
	}
	h := p.history()
	fetched := p.fetchedAt[lk] // the last whole fetch: this one, when k is the years
	if k.Range == RangeLong {
		p.long.cut[sym], fetched = false, now
		if h != nil {
			p.kept(h.Store(sym, HistoryEntry{Series: long, Fetched: fetched}))
		}
	}
	daily, ok := next[SeriesKey{sym, RangeDaily}]
	if !ok || len(daily.Times) == 0 {
		return
	}
	merged, joined := MergeHistory(long, daily)
	if !joined {
		p.long.cut[sym] = true
		return
	}
	p.long.cut[sym] = false
	next[lk] = merged
	if h != nil && lastDay(merged).After(lastDay(long)) {
		p.kept(h.Store(sym, HistoryEntry{Series: merged, Fetched: fetched}))
	}
}

// kept tells Warn, once, of a failure to keep the years on disk: the
// figures are not touched (the years stay in memory), but the next start
// fetches them again.
func (p *Poller) kept(err error) {
	if err == nil || p.long.warned || p.opts.Warn == nil {
		return
	}
	p.long.warned = true
	p.opts.Warn(fmt.Errorf("cannot keep the years of daily closes on disk, so the next start fetches them again: %w", err))
}

func lastDay(s Series) time.Time {
	if len(s.Times) == 0 {
		return time.Time{}
	}
	y, m, d := s.Times[len(s.Times)-1].UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
