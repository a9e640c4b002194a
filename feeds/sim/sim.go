// Package sim is a simulated market: believable, deterministic prices for
// any symbol, moving only while the listing's exchange is open. It lets
// rotation run offline and makes tests and demos reproducible. Its Health
// always says SIMULATED: these numbers must never pass for market data.
package sim

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
)

// Options configure a simulated feed. The simulated market is its own: a
// symbol's path depends on the seed, the clock and the symbol, never on
// which watchlists are loaded or what else is asked for.
type Options struct {
	Seed  int64       // same seed and clock give byte-identical data
	Clock feeds.Clock // nil means the wall clock
	// After returns a channel that receives once d has passed on Clock, and
	// a function that cancels it; Stream waits through it. nil means real
	// timers; tests pass feedstest.Clock.After, so a simulated hour of
	// trades takes milliseconds.
	After func(d time.Duration) (<-chan time.Time, func())
}

// Feed is the simulated market. It implements feeds.Feed.
type Feed struct {
	seed  int64
	clock feeds.Clock
	after func(time.Duration) (<-chan time.Time, func())

	mu        sync.Mutex           // guards the caches below, so Quotes and Series may run concurrently
	calendars map[string]*calendar // by exchange code
	profiles  map[string]*profile
}

// New returns a simulated feed.
func New(opts Options) *Feed {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	after := opts.After
	if after == nil {
		after = realAfter
	}
	return &Feed{seed: opts.Seed, clock: clock, after: after,
		calendars: make(map[string]*calendar), profiles: make(map[string]*profile)}
}

// DefaultSeed derives a seed from t's UTC date (20261120 for 2026-11-20), so
// runs on the same day show the same simulated market.
func DefaultSeed(t time.Time) int64 {
	y, m, d := t.UTC().Date()
	return int64(y*10000 + int(m)*100 + d)
}

// Name is "sim".
func (f *Feed) Name() string { return "sim" }

// Health always reports simulated prices.
func (f *Feed) Health() feeds.Health {
	return feeds.Health{
		Feed:      "sim",
		State:     feeds.StateSimulated,
		Simulated: true,
		Detail:    fmt.Sprintf("SIMULATED prices (seed %d) — not market data", f.seed),
		LastOK:    f.clock(),
	}
}

// Quotes returns a quote for every non-empty symbol: the simulation knows them all.
func (f *Feed) Quotes(ctx context.Context, symbols []string) ([]feeds.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := f.clock()
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]feeds.Quote, 0, len(symbols))
	for _, sym := range symbols {
		if sym != "" {
			out = append(out, f.quote(f.profile(sym), now))
		}
	}
	return out, nil
}

func (f *Feed) profile(sym string) *profile {
	if p, ok := f.profiles[sym]; ok {
		return p
	}
	ex := market.ForSymbol(sym)
	cal, ok := f.calendars[ex.Code]
	if !ok {
		cal = newCalendar(ex)
		f.calendars[ex.Code] = cal
	}
	p := newProfile(sym, ex, cal)
	f.profiles[sym] = p
	return p
}

// quote prices sym at now. Its session is the one in progress, or the last
// one completed (also during US pre-market), so Price is that session's
// latest price and PreviousClose the close of the session before.
func (f *Feed) quote(p *profile, now time.Time) feeds.Quote {
	cur, price, prev, at := f.regularAt(p, now)
	q := feeds.Quote{
		Symbol:        p.sym,
		Name:          p.name,
		Price:         price,
		PreviousClose: prev,
		Change:        p.round(price - prev),
		ChangePercent: (price - prev) / prev * 100,
		Currency:      p.ex.Currency,
		Exchange:      p.ex.Name, // like Yahoo's fullExchangeName, which the yahoo feed reports
		ExchangeTZ:    p.ex.TZ,
		MarketState:   p.ex.State(now),
		QuoteTime:     at,
	}
	if p.kind == fx { // no volume and none of the optional figures
		q.ExchangeTZ = fxZone // as Yahoo reports its pairs
		return q
	}
	st := p.statsFor(f.seed, cur)
	q.Volume = p.volumeAt(f.seed, cur, at, st.volume)
	p.addFigures(&q, st, now)
	if p.kind != equity {
		return q
	}
	switch ext := f.extendedAt(p, cur, q.MarketState, now); q.MarketState {
	case feeds.Pre:
		q.PrePrice, q.PreChange, q.PreChangePercent = ext, p.round(ext-price), (ext-price)/price*100
	case feeds.Post:
		q.PostPrice, q.PostChange, q.PostChangePercent = ext, p.round(ext-price), (ext-price)/price*100
	}
	return q
}

// regularAt is p's regular price at now, rounded as quoted, with the
// session it belongs to, that session's previous close and the instant
// the price was made: what a quote and a trade at now both show.
func (f *Feed) regularAt(p *profile, now time.Time) (cur sessionRef, price, prev float64, at time.Time) {
	cur = p.cal.lastStarted(now)
	dp := p.path(f.seed, cur)
	lp, at := p.logAt(f.seed, dp, now)
	return cur, p.round(math.Exp(lp)), p.round(math.Exp(dp.prev)), at
}

// extendedAt is an equity's pre- or post-market price at now (state st),
// after or before session cur; 0 in any other state.
func (f *Feed) extendedAt(p *profile, cur sessionRef, st feeds.MarketState, now time.Time) float64 {
	switch st {
	case feeds.Pre:
		return p.round(p.prePrice(f.seed, p.cal.next(cur), now))
	case feeds.Post:
		return p.round(p.postPrice(f.seed, cur, now))
	}
	return 0
}
