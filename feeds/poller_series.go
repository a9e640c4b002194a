package feeds

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"
)

// seriesRequest is one request for series: several symbols of one range
// from a SeriesBatcher, or a single symbol.
type seriesRequest struct {
	r      Range
	keys   []SeriesKey
	single bool // by Series even from a SeriesBatcher: its batch path failed
}

// fetchDueSeries fetches the due series, most urgent first, in as few
// requests as the feed allows and as many as its budget has room for; the
// rest wait for a later refresh (Update.Pending).
func (p *Poller) fetchDueSeries(ctx context.Context, now time.Time) error {
	p.loadHistory()
	due := p.dueSeries(now)
	p.pending = 0
	if len(due) == 0 {
		return nil
	}
	plan := p.plannedRefreshes(now)
	queue := p.requestsFor(due)
	var firstErr error
	for len(queue) > 0 {
		req := queue[0]
		if !p.budget.fits(now, 1, plan) {
			break
		}
		queue = queue[1:]
		got, err := p.fetch(ctx, now, req)
		if len(got) > 0 {
			// A new map for each answer, since published updates share
			// the old one; trades are applied between answers.
			next := maps.Clone(p.series)
			for _, k := range req.keys {
				if s, ok := got[k.Symbol]; ok {
					next[k] = KeptHistory(s)
					p.joinLong(next, k, now)
				}
			}
			p.series = next
		}
		p.between(ctx)
		switch {
		case err == nil:
		case errors.Is(err, ErrNoBatch):
			// The batch path is down: ask for these one at a time, next.
			queue = append(singles(req), queue...)
			continue
		default:
			if firstErr == nil {
				firstErr = err
			}
			if KindOf(err) == KindRateLimited || KindOf(err) == KindOffline || ctx.Err() != nil {
				return firstErr
			}
		}
		// Asked and answered, even without a series for some symbols (the
		// source does not know them): not again before the next is due.
		for _, k := range req.keys {
			p.fetchedAt[k] = now
			delete(p.stream.unextended, k)
		}
	}
	for _, req := range queue {
		p.pending += len(req.keys)
	}
	return firstErr
}

// fetch makes one request and records its cost.
func (p *Poller) fetch(ctx context.Context, now time.Time, req seriesRequest) (map[string]Series, error) {
	sent := p.requests()
	defer func() { p.budget.record(now, p.requests()-sent) }()
	if b, ok := p.feed.(SeriesBatcher); ok && !req.single {
		syms := make([]string, len(req.keys))
		for i, k := range req.keys {
			syms[i] = k.Symbol
		}
		return b.SeriesBatch(ctx, syms, req.r)
	}
	k := req.keys[0]
	s, err := p.feed.Series(ctx, k.Symbol, k.Range)
	if err != nil {
		return nil, err
	}
	return map[string]Series{k.Symbol: s}, nil
}

// requestsFor groups due series into requests: batches of one range, in
// the order of their most urgent member, where the feed batches; else one
// request a series.
func (p *Poller) requestsFor(due []SeriesKey) []seriesRequest {
	size := p.limits().SeriesBatch
	if _, ok := p.feed.(SeriesBatcher); !ok || size <= 0 {
		return singles(seriesRequest{keys: due})
	}
	var out []seriesRequest
	open := map[Range]int{} // range -> index in out of its batch being filled
	for _, k := range due {
		i, ok := open[k.Range]
		if !ok || len(out[i].keys) >= size {
			out = append(out, seriesRequest{r: k.Range})
			i = len(out) - 1
			open[k.Range] = i
		}
		out[i].keys = append(out[i].keys, k)
	}
	return out
}

func singles(req seriesRequest) []seriesRequest {
	out := make([]seriesRequest, len(req.keys))
	for i, k := range req.keys {
		out[i] = seriesRequest{r: k.Range, keys: []SeriesKey{k}, single: true}
	}
	return out
}

// plannedRefreshes are the quote refreshes expected in the coming minute,
// which the series fetched now must leave room for.
func (p *Poller) plannedRefreshes(now time.Time) []planned {
	every, cost := p.interval(), p.quoteCalls()
	if every <= 0 || cost == 0 || p.opts.OneShot {
		return nil
	}
	var plan []planned
	for at := now.Add(every); at.Before(now.Add(budgetWindow)); at = at.Add(every) {
		plan = append(plan, planned{at, cost})
	}
	return plan
}

// dueSeries lists the series to fetch, most urgent first: the active
// range's missing series, then other missing ones, then the oldest.
func (p *Poller) dueSeries(now time.Time) []SeriesKey {
	type cand struct {
		key     SeriesKey
		missing bool
		active  bool
		long    bool // the years: filled after every missing short series
		at      time.Time
	}
	active := p.watch.Range.Fetched()
	var cands []cand
	for _, r := range p.ranges() {
		for _, sym := range p.watch.Symbols {
			k := SeriesKey{sym, r}
			every := p.opts.DailyEvery
			if r.Intraday() {
				every = p.intradayEvery(k)
			}
			at, fetched := p.fetchedAt[k]
			if fetched && now.Sub(at) < every {
				continue
			}
			_, have := p.series[k]
			cands = append(cands, cand{k, !have, r == active, false, at})
		}
	}
	for _, sym := range p.watch.Symbols {
		k := SeriesKey{sym, RangeLong}
		if p.longDue(k, now) {
			_, have := p.series[k]
			cands = append(cands, cand{k, !have, active == RangeLong, true, p.fetchedAt[k]})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.missing != b.missing:
			return boolOrder(a.missing)
		case a.active != b.active:
			return boolOrder(a.active)
		case a.missing && a.long != b.long:
			return boolOrder(!a.long)
		default:
			return a.at.Compare(b.at)
		}
	})
	keys := make([]SeriesKey, len(cands))
	for i, c := range cands {
		keys[i] = c.key
	}
	return keys
}

func boolOrder(first bool) int {
	if first {
		return -1
	}
	return 1
}

// ranges are the series fetched for every watched symbol on their own
// schedule: its last session, its last five and its daily history. With
// the years (RangeLong, longDue) every horizon of the verdict can be
// computed at any time.
func (p *Poller) ranges() []Range {
	rs := []Range{Range1D, RangeDaily, Range5D} // the daily history serves more than 5D
	if r := p.watch.Range.Fetched(); r != RangeLong && !slices.Contains(rs, r) {
		rs = append(rs, r)
	}
	return rs
}
