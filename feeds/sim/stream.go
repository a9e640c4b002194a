package sim

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// Trades. A listing trades as a Poisson process whose rate follows its
// session: in each 5-minute bar the rate is the session's trade count
// times the bar's share of the session's variance (the weights volume
// accrues with, so the open and the close are busiest), over the bar's
// length. The count of a session is the listing's mean rate times its
// trading seconds, scaled by the square root of that session's volume
// over the typical one (news days trade more). Which seconds hold trades,
// and where in them, is a pure function of the seed, the symbol and the
// second, like every other number of the simulation: the trades between
// two instants are the same whenever they are asked for and whatever
// else is subscribed. A trade's price is the sim's quote at its instant.
const (
	// tradesPerRootBillion sets an equity's (or a fund's) mean trades a
	// second in its regular session: this times the square root of its
	// market value in billions of dollars. NVIDIA trades about 3 a second,
	// a $1B name one every 18 s; the built-in lists, FX pairs included,
	// average about 40 a second while US markets are open.
	tradesPerRootBillion = 0.055
	// minTradeRate is the floor at every moment of a regular session, so
	// even a small name at midday trades about every 25 s: the poller
	// polls a symbol quiet for two minutes.
	minTradeRate   = 1.0 / 25
	fxTradeRate    = 0.5 // FX pairs, round the clock on weekdays
	indexTradeRate = 0.5 // indices, through the regular session
	// extendedShare is the US pre and post market's rate as a share of the
	// regular mean, busiest next to the regular session.
	extendedShare = 0.04
	// maxTradesPerSecond bounds one listing's trades in a second (the hash
	// coordinates hold 8 bits for them); rates stay far below it.
	maxTradesPerSecond = 255

	streamStep = 250 * time.Millisecond // how often trades are delivered while any listing trades
	maxBacklog = 5 * time.Second        // a clock jump delivers at most this much of the trades it skipped
	maxSleep   = time.Minute            // longest wait while nothing trades, to notice a clock set forward
)

var (
	tagTrade   = key("trades")
	tagTradeAt = key("trade time")
)

// realAfter is a timer on the wall clock.
func realAfter(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

var _ feeds.Streamer = (*Feed)(nil)

// Stream pushes simulated trades of the symbols last received on subs,
// each at its own instant on the feed's clock, until ctx ends; then it
// returns nil. It waits for the first list; a symbol joining later trades
// from the moment it is subscribed. Trades are delivered every streamStep
// while any listing trades, in time order; after a clock jump only the
// last maxBacklog of them. It shares the feed's caches with Quotes and
// Series under their lock.
func (f *Feed) Stream(ctx context.Context, subs <-chan []string, sink feeds.StreamSink) error {
	s := &tradeStream{f: f, sink: sink, subs: make(map[string]*subscription)}
	subscribe := func(list []string, first bool) {
		now := f.clock()
		if first { // trades are delivered from the first list on
			s.last = now
		}
		s.subscribe(list, now)
	}
	return feeds.LocalStream(ctx, subs, sink, f.after, subscribe, func() time.Duration { return s.step(f.clock()) })
}

// tradeStream is one Stream call's state, its goroutine's alone.
type tradeStream struct {
	f     *Feed
	sink  feeds.StreamSink
	subs  map[string]*subscription
	order []string  // the subscribed symbols, sorted: ties in time go in this order
	last  time.Time // trades up to this instant are delivered
}

type subscription struct {
	p     *profile // the feed's; its fields only under f.mu
	since time.Time
	reg   regime // the regime last looked up, valid over [reg.from, reg.until)
}

// regime is a stretch in which a listing trades at a constant rate: a
// bar of its session, a minute of US extended hours, or a closed spell.
type regime struct {
	from, until time.Time
	rate        float64           // trades a second; 0 while closed
	state       feeds.MarketState // the state trades are in: Regular, Pre or Post
}

func (r regime) holds(t time.Time) bool { return !t.Before(r.from) && t.Before(r.until) }

// subscribe replaces the subscribed symbols with list; a new one trades
// from now, one kept keeps its state.
func (s *tradeStream) subscribe(list []string, now time.Time) {
	next := make(map[string]*subscription, len(list))
	for _, sym := range list {
		if sym == "" || next[sym] != nil {
			continue
		}
		if sub := s.subs[sym]; sub != nil {
			next[sym] = sub
			continue
		}
		s.f.mu.Lock()
		p := s.f.profile(sym)
		s.f.mu.Unlock()
		next[sym] = &subscription{p: p, since: now}
	}
	s.subs = next
	s.order = s.order[:0]
	for sym := range next {
		s.order = append(s.order, sym)
	}
	slices.Sort(s.order)
}

// trade is one trade found for delivery: its instant in Unix nanoseconds
// and its symbol's index in order. Pointer-free, so a step's many sort cheaply.
type trade struct {
	t     int64
	sym   int
	state feeds.MarketState
}

// step delivers the trades after s.last up to now and says how long to
// wait for the next ones; -1 when nothing is subscribed.
func (s *tradeStream) step(now time.Time) time.Duration {
	from := maxTime(s.last, now.Add(-maxBacklog))
	f := s.f
	var trades []trade
	var ticks []feeds.Tick
	f.mu.Lock()
	if now.After(from) {
		var times []time.Time
		for i, sym := range s.order {
			sub := s.subs[sym]
			lo := maxTime(from, sub.since)
			for sec := lo.Unix(); sec <= now.Unix(); sec++ {
				at := time.Unix(sec, 0)
				if !sub.reg.holds(at) {
					sub.reg = f.regimeAt(sub.p, at)
				}
				if sub.reg.rate == 0 { // skip the closed spell
					sec = max(sec, ceilSecond(sub.reg.until)-1)
					continue
				}
				times = f.tradesIn(sub.p, sec, sub.reg.rate, times[:0])
				for _, t := range times {
					if t.After(lo) && !t.After(now) {
						trades = append(trades, trade{t.UnixNano(), i, sub.reg.state})
					}
				}
			}
		}
		// Trades of one symbol at one instant are alike: any order of them will do.
		slices.SortFunc(trades, func(a, b trade) int {
			if c := cmp.Compare(a.t, b.t); c != 0 {
				return c
			}
			return cmp.Compare(a.sym, b.sym)
		})
		ticks = make([]feeds.Tick, 0, len(trades))
		for _, tr := range trades {
			sub := s.subs[s.order[tr.sym]]
			ticks = append(ticks, f.tickAt(sub.p, time.Unix(0, tr.t).UTC(), tr.state))
		}
	}
	wait := s.wait(now)
	f.mu.Unlock()
	if now.After(s.last) {
		s.last = now
	}
	if s.sink.Tick != nil {
		for _, tk := range ticks {
			s.sink.Tick(tk)
		}
	}
	return wait
}

// wait is how long until the next trades may come: a step while any
// subscribed listing trades, else until the first opens (at most
// maxSleep). Called with f.mu held.
func (s *tradeStream) wait(now time.Time) time.Duration {
	if len(s.order) == 0 {
		return -1
	}
	next := now.Add(maxSleep)
	for _, sym := range s.order {
		sub := s.subs[sym]
		if !sub.reg.holds(now) {
			sub.reg = s.f.regimeAt(sub.p, now)
		}
		if sub.reg.rate > 0 {
			return streamStep
		}
		next = minTime(next, sub.reg.until)
	}
	return max(next.Sub(now), time.Millisecond)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func ceilSecond(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

// tickAt is p's trade at t in state st: the price, volume and previous
// close the feed's quote at t shows, so a poll never contradicts a trade
// (regularAt and extendedAt are quote's own), without the figures a trade
// does not carry: a day of trades costs a fraction of as many quotes.
// Called with f.mu held.
func (f *Feed) tickAt(p *profile, t time.Time, st feeds.MarketState) feeds.Tick {
	cur, price, prev, at := f.regularAt(p, t)
	tk := feeds.Tick{Symbol: p.sym, Price: price, Time: t, State: st, PreviousClose: prev}
	if p.kind != fx {
		tk.DayVolume = p.volumeAt(f.seed, cur, at, p.statsFor(f.seed, cur).volume)
	}
	if st == feeds.Pre || st == feeds.Post {
		tk.Price = f.extendedAt(p, cur, st, t)
	}
	return tk
}

// regimeAt is p's trading regime at t: the bar of its session holding t,
// the minute of US extended hours, or the closed spell up to the next of
// them. Called with f.mu held.
func (f *Feed) regimeAt(p *profile, t time.Time) regime {
	cur := p.cal.lastStarted(t)
	s := p.cal.at(cur)
	if t.Before(s.closeTime()) {
		dp := p.path(f.seed, cur)
		if i := dp.barAt(t); i < dp.len() {
			start, end := dp.start(i), dp.end(i)
			if t.Before(start) { // a lunch break
				return regime{from: dp.end(i - 1), until: start}
			}
			rate := f.sessionTrades(p, cur, dp) * dp.weights[i] / end.Sub(start).Seconds()
			return regime{from: start, until: end, rate: max(rate, minTradeRate), state: feeds.Regular}
		}
	}
	open := p.cal.at(p.cal.next(cur)).openTime()
	from := t.Truncate(time.Second)
	if p.kind != equity { // only equities have extended-hours prices
		return regime{from: from, until: open}
	}
	switch st := p.ex.State(t); st {
	case feeds.Pre, feeds.Post:
		m := t.Truncate(time.Minute) // extended hours start and end on whole minutes
		// x is 1 next to the regular session, 0 at the far end of the hours.
		x := 1 - clamp01(float64(open.Sub(m))/float64(preHours))
		if st == feeds.Post {
			x = 1 - clamp01(float64(m.Sub(s.closeTime()))/float64(postHours))
		}
		rate := extendedShare * f.meanRate(p) * (0.25 + 1.5*x*x)
		return regime{from: m, until: minTime(m.Add(time.Minute), open), rate: rate, state: st}
	}
	if pre := open.Add(-preHours); pre.After(t) && p.ex.State(pre) == feeds.Pre {
		open = pre
	}
	return regime{from: from, until: open}
}

// meanRate is p's mean trades a second over a regular session.
func (f *Feed) meanRate(p *profile) float64 {
	switch p.kind {
	case fx:
		return fxTradeRate
	case index:
		return indexTradeRate
	}
	capB := p.shares * p.level / perUSD(p.ex.Currency) / 1e9
	return tradesPerRootBillion * math.Sqrt(capB)
}

// sessionTrades is p's expected trades in session r, whose path is dp.
// Called with f.mu held.
func (f *Feed) sessionTrades(p *profile, r sessionRef, dp *dayPath) float64 {
	var secs int32
	for i := range dp.len() {
		secs += dp.ends[i] - dp.starts[i]
	}
	n := f.meanRate(p) * float64(secs)
	if p.kind == equity && p.volume > 0 {
		n *= math.Sqrt(p.statsFor(f.seed, r).volume / p.volume)
	}
	return n
}

// tradesIn appends to out p's trade times in the second sec, in order,
// at rate trades a second: a Poisson count and uniform milliseconds, both
// drawn from the second's hash.
func (f *Feed) tradesIn(p *profile, sec int64, rate float64, out []time.Time) []time.Time {
	k := poisson(rate, uniform(hash(f.seed, p.key, tagTrade, uint64(sec))))
	start := len(out)
	for j := range k {
		ms := int64(hash(f.seed, p.key, tagTradeAt, uint64(sec)<<8|uint64(j)) % 1000)
		out = append(out, time.Unix(sec, ms*int64(time.Millisecond)).UTC())
	}
	slices.SortFunc(out[start:], time.Time.Compare)
	return out
}

// poisson is the Poisson(lambda) count whose CDF first reaches u.
func poisson(lambda, u float64) int {
	p := math.Exp(-lambda)
	cum, k := p, 0
	for u > cum && k < maxTradesPerSecond {
		k++
		p *= lambda / float64(k)
		cum += p
		if float64(k) > lambda && p < 1e-17 { // the tail is spent; rounding may keep cum just short of 1
			break
		}
	}
	return k
}
