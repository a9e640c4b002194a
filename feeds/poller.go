package feeds

import (
	"context"
	"maps"
	"time"
)

// SeriesKey names one series: a symbol over a range.
type SeriesKey struct {
	Symbol string
	Range  Range
}

// Update is the market as the poller knows it after one refresh. It is a
// complete picture, not a delta, and is never mutated after it is sent, so the
// receiver may keep it without copying.
type Update struct {
	Generation uint64 // the watch generation this refresh served
	At         time.Time
	Quotes     map[string]Quote
	Series     map[SeriesKey]Series
	LastGood   map[string]time.Time // per symbol: time of its last good quote
	Missing    []string             // asked for, but the source does not know them
	Health     Health
	Err        error     // the last error of this refresh, if any
	Snapshot   time.Time // non-zero while the data shown comes from a disk snapshot of that age
	// Complete is false for the update sent between a refresh's quotes and
	// its series, so fresh prices show at once while charts are fetched.
	Complete bool
	// Pending counts the series due but left for a later refresh, because
	// the source's request budget had no room for them yet.
	Pending int
	// Refreshes counts the poller's refreshes so far. An update with the
	// same count as one before differs from it only by streamed trades:
	// prices, their quotes' times and the intraday series' last bars.
	Refreshes uint64
	// Ticks counts the streamed trades applied so far, and Bars the bars
	// they added to intraday series (a trade in a new bar's time).
	Ticks, Bars uint64
}

// SeriesFor returns, by symbol, the series that serve range r (see
// Range.Fetched: RangeDaily for every daily range).
func (u Update) SeriesFor(r Range) map[string]Series {
	r = r.Fetched()
	out := make(map[string]Series, len(u.Series)/2)
	for k, s := range u.Series {
		if k.Range == r {
			out[k.Symbol] = s
		}
	}
	return out
}

// Watch is what the poller is asked to keep fresh: quotes of Symbols, and
// for each symbol its 1D and 5D series, its RangeDaily series (every daily
// range up to 1Y and the rotation map) and its RangeLong years (the longer
// ranges); Range, the one on screen, goes first.
type Watch struct {
	Generation uint64
	Symbols    []string
	Range      Range
}

// PollerOptions tunes the refresh schedule.
type PollerOptions struct {
	Clock         Clock
	Refresh       time.Duration // quotes while any watched market is open; default 15s
	ClosedRefresh time.Duration // quotes while every market is closed; default 60s
	IntradayEvery time.Duration // minimum age before an intraday series is fetched again; default 5m
	DailyEvery    time.Duration // the same for daily series; default 30m
	// Save, when set, is called with each update after a good refresh; the
	// caller decides how often to write it to disk.
	Save func(Update)
	// After returns a channel that receives once d has passed on Clock, and
	// a function that cancels it. nil means real timers; tests pass
	// feedstest.Clock.After, so a simulated hour takes milliseconds.
	After func(d time.Duration) (<-chan time.Time, func())
	// Seed, when set, gives the snapshot to start from; Run calls it in its
	// own goroutine, so a slow disk read never holds up the first frame.
	// A nil result is no snapshot.
	Seed func() *Snapshot
	// Warn, when set, is told once when the years cannot be kept on disk
	// (History), which are then fetched again at the next start.
	Warn func(error)
	// OneShot is a poller for one refresh (print): no quote refresh
	// follows for the series fetched now to leave room for.
	OneShot bool
	// History, when set, keeps the RangeLong years on disk: read before
	// they are fetched, written when fetched or extended. Never with
	// simulated prices.
	History *History
	// Stream, when set and the feed streams (StreamOf), takes prices from
	// the stream while it lives, polling quotes every StreamRefresh for
	// what trades lack, and at the usual cadence once it is down.
	Stream        bool
	StreamRefresh time.Duration // default 5m
}

func (o PollerOptions) withDefaults() PollerOptions {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Refresh <= 0 {
		o.Refresh = 15 * time.Second
	}
	if o.ClosedRefresh <= 0 {
		o.ClosedRefresh = 60 * time.Second
	}
	if o.IntradayEvery <= 0 {
		o.IntradayEvery = 5 * time.Minute
	}
	if o.DailyEvery <= 0 {
		o.DailyEvery = 30 * time.Minute
	}
	if o.StreamRefresh <= 0 {
		o.StreamRefresh = 5 * time.Minute
	}
	if o.After == nil {
		o.After = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTimer(d)
			return t.C, func() { t.Stop() }
		}
	}
	return o
}

// Poller refreshes a Feed in the background and sends one Update per
// completed refresh. It is the only caller of its Feed.
type Poller struct {
	feed    Feed
	opts    PollerOptions
	updates chan Update
	watches chan Watch
	refresh chan struct{}

	watch     Watch
	quotes    map[string]Quote
	series    map[SeriesKey]Series
	fetchedAt map[SeriesKey]time.Time
	lastGood  map[string]time.Time
	budget    requestBudget
	pending   int
	missing   []string
	snapshot  time.Time // non-zero while the data comes from a disk snapshot
	unshown   bool      // the snapshot waits for the first watch to be published
	long      longState
	stream    streamState

	refreshes    uint64 // refreshes published so far (Update.Refreshes)
	lastErr      error  // the last refresh's, carried by updates of trades
	lastComplete bool
}

// NewPoller makes a poller for feed, optionally seeded with a snapshot so the
// first update shows the last known market at once.
func NewPoller(feed Feed, opts PollerOptions, seed *Snapshot) *Poller {
	p := &Poller{
		feed:      feed,
		opts:      opts.withDefaults(),
		updates:   make(chan Update, 1),
		watches:   make(chan Watch, 1),
		refresh:   make(chan struct{}, 1),
		quotes:    map[string]Quote{},
		series:    map[SeriesKey]Series{},
		fetchedAt: map[SeriesKey]time.Time{},
		lastGood:  map[string]time.Time{},
		long:      newLongState(),
		stream:    newStreamState(),
	}
	if seed != nil {
		p.seed(seed)
	}
	return p
}

func (p *Poller) seed(s *Snapshot) {
	p.snapshot, p.unshown = s.SavedAt, true
	for sym, q := range s.Quotes {
		p.quotes[sym] = q
		p.lastGood[sym] = s.SavedAtOf(sym)
	}
	for k, ser := range s.Series {
		if k.Range == RangeLong { // the years come from History, not a snapshot
			continue
		}
		p.series[k] = KeptHistory(ser)
		// Snapshot series count as old, so live ones replace them promptly.
		p.fetchedAt[k] = time.Time{}
	}
}

// Updates delivers one Update per refresh. Slow readers only ever miss
// intermediate updates, never the latest one.
func (p *Poller) Updates() <-chan Update { return p.updates }

// SetWatch replaces what is watched; the next refresh starts at once.
func (p *Poller) SetWatch(w Watch) {
	replaceLatest(p.watches, w)
}

// RefreshNow asks for an immediate refresh.
func (p *Poller) RefreshNow() {
	select {
	case p.refresh <- struct{}{}:
	default:
	}
}

// Run refreshes until ctx is cancelled, then closes Updates.
func (p *Poller) Run(ctx context.Context) {
	defer close(p.updates)
	if p.opts.Seed != nil {
		if s := p.opts.Seed(); s != nil {
			p.seed(s)
		}
	}
	defer p.startStream(ctx)() // after the updates close: ctx has ended
	var wake <-chan time.Time  // nil until a refresh is scheduled
	cancel := func() {}
	schedule := func(d time.Duration) {
		cancel()
		wake, cancel = p.opts.After(d)
	}
	defer func() { cancel() }()
	// The stream's silence check, armed only while the poller waits, so
	// that a pending timer means an idle poller (feedstest steps on that).
	var mute <-chan time.Time
	stopMute := func() {}
	defer func() { stopMute() }()
	for {
		if p.stream.on && mute == nil {
			mute, stopMute = p.opts.After(muteCheck)
		}
		select {
		case <-ctx.Done():
			return
		case w := <-p.watches:
			p.watch = w
			p.forgetUnwatched()
			p.subscribe()
			if p.unshown {
				// Show the snapshot under the first watch's generation, so the
				// receiver does not drop it as stale, before the slow first refresh.
				p.unshown = false
				p.publish(ctx, nil, false)
			}
		case <-p.refresh:
		case <-wake:
		case <-p.stream.wake:
			if !p.drainStream(ctx) {
				continue
			}
		case <-mute:
			mute = nil
			if !p.checkMute(ctx) {
				continue
			}
		}
		if mute != nil { // a refresh comes: the check waits for the poller to wait again
			stopMute()
			mute = nil
		}
		if len(p.watch.Symbols) == 0 {
			continue
		}
		// A refresh asked for early (a key, a watchlist edit) waits until its
		// quotes fit the source's budget rather than passing it.
		p.budget.perMinute = p.limits().PerMinute
		if wait := p.budget.wait(p.opts.Clock(), p.quoteCalls()); wait > 0 {
			schedule(wait)
			continue
		}
		err := p.cycle(ctx)
		if ctx.Err() != nil {
			return
		}
		p.publish(ctx, err, true)
		schedule(p.interval())
	}
}

// forgetUnwatched drops what the poller holds for symbols no longer
// watched, so a day of watchlist edits does not ride along in every update
// and snapshot. Other ranges' series of watched symbols stay: switching
// back to a range is then instant.
func (p *Poller) forgetUnwatched() {
	watched := make(map[string]bool, len(p.watch.Symbols))
	for _, s := range p.watch.Symbols {
		watched[s] = true
	}
	quotes := make(map[string]Quote, len(watched))
	for sym, q := range p.quotes {
		if watched[sym] {
			quotes[sym] = q
		}
	}
	series := make(map[SeriesKey]Series, len(p.series))
	for k, s := range p.series {
		if watched[k.Symbol] {
			series[k] = s
		}
	}
	// Published updates share the old maps, so these are new ones.
	p.quotes, p.series = quotes, series
	for k := range p.fetchedAt {
		if !watched[k.Symbol] {
			delete(p.fetchedAt, k)
		}
	}
	for sym := range p.lastGood {
		if !watched[sym] {
			delete(p.lastGood, sym)
		}
	}
	p.long.forget(watched)
	for sym := range p.stream.lastTick {
		if !watched[sym] {
			delete(p.stream.lastTick, sym)
		}
	}
	for k := range p.stream.unextended {
		if !watched[k.Symbol] {
			delete(p.stream.unextended, k)
		}
	}
}

// cycle runs one refresh: every quote, then the series that are due and
// fit the budget.
func (p *Poller) cycle(ctx context.Context) error {
	now := p.opts.Clock()
	asked := p.quoteSymbols(now)
	if len(asked) == 0 { // the stream carries every price: series only
		return p.fetchDueSeries(ctx, now)
	}
	full := len(asked) == len(p.watch.Symbols)
	sent := p.requests()
	quotes, err := p.feed.Quotes(ctx, asked)
	p.budget.record(now, p.requests()-sent)
	got := make(map[string]bool, len(quotes))
	if len(quotes) > 0 {
		p.snapshot = time.Time{}
		next := maps.Clone(p.quotes)
		for _, q := range quotes {
			next[q.Symbol] = keepTrade(p.quotes[q.Symbol], q)
			got[q.Symbol] = true
			p.lastGood[q.Symbol] = now
		}
		p.quotes = next
	}
	p.between(ctx) // the trades that came meanwhile are newer than the answer
	if err != nil {
		// A failing source would fail every series too; try them next time.
		return err
	}
	if full {
		p.stream.quotedAt = now
	}
	// Only an answer without error says which symbols the source does not
	// know, even when it knew none of them; a few symbols' answer says it of
	// those alone.
	was := make(map[string]bool, len(p.missing))
	for _, s := range p.missing {
		was[s] = true
	}
	for _, s := range asked {
		was[s] = !got[s]
	}
	p.missing = p.missing[:0:0]
	for _, s := range p.watch.Symbols {
		if was[s] {
			p.missing = append(p.missing, s)
		}
	}
	if len(p.dueSeries(now)) > 0 {
		p.publish(ctx, nil, false) // prices now; charts when they have come
	}
	return p.fetchDueSeries(ctx, now)
}

func (p *Poller) limits() Limits { return LimitsOf(p.feed) }
func (p *Poller) requests() int  { return RequestsOf(p.feed) }

func (p *Poller) quoteCalls() int {
	return quoteCalls(len(p.quoteSymbols(p.opts.Clock())), p.limits())
}

// interval is the quote refresh period: fast while any watched market
// trades, and never so fast that quotes alone crowd out the series.
func (p *Poller) interval() time.Duration {
	every := p.opts.ClosedRefresh
	for _, q := range p.quotes {
		if q.MarketState != Closed && q.MarketState != "" {
			every = p.opts.Refresh
			break
		}
	}
	return quoteInterval(every, p.quoteCalls(), p.limits())
}

func (p *Poller) publish(ctx context.Context, err error, complete bool) {
	p.refreshes++
	p.lastErr, p.lastComplete = err, complete
	p.send(ctx, err, complete)
}

// send publishes what the poller holds now.
func (p *Poller) send(ctx context.Context, err error, complete bool) {
	u := Update{
		Complete:   complete,
		Generation: p.watch.Generation,
		At:         p.opts.Clock(),
		Quotes:     p.quotes,
		Series:     p.series,
		LastGood:   maps.Clone(p.lastGood),
		Missing:    p.missing,
		Health:     p.streamHealth(p.feed.Health()),
		Err:        err,
		Snapshot:   p.snapshot,
		Pending:    p.pending,
		Refreshes:  p.refreshes,
		Ticks:      p.stream.ticks,
		Bars:       p.stream.bars,
	}
	if complete && err == nil && u.Snapshot.IsZero() && p.opts.Save != nil {
		p.opts.Save(u)
	}
	if ctx.Err() == nil {
		replaceLatest(p.updates, u)
	}
}

// replaceLatest sends v on a buffered channel of one, dropping a value the
// reader has not taken yet: only the newest matters.
func replaceLatest[T any](ch chan T, v T) {
	for {
		select {
		case ch <- v:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}
