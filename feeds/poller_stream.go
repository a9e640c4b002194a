package feeds

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// While a stream pushes prices, polling only fills what trades do not carry.
const (
	// quietAfter: a symbol in its regular session without a trade for
	// this long is polled at the usual cadence until it trades.
	quietAfter = 2 * time.Minute
	// muteAfter: a live stream without a frame for this long while a
	// watched market is open counts as down.
	muteAfter = 60 * time.Second
	// muteCheck is how often silence is looked for.
	muteCheck = 5 * time.Second
)

// streamState is what the poller knows of the source's push of prices. The
// sink's callbacks run on the stream's goroutine and only queue (inbox);
// the poller's goroutine applies what they queued.
type streamState struct {
	on    bool          // a stream runs (PollerOptions.Stream and the feed has one)
	subs  chan []string // the watched symbols, newest only
	wake  chan struct{} // something was queued
	inbox streamInbox

	state     StreamState
	err       error     // why it is not live
	mute      bool      // live but silent past muteAfter while a market is open
	liveSince time.Time // when it last became live
	lastFrame time.Time
	lastTick  map[string]time.Time // per symbol: when its last trade arrived
	quotedAt  time.Time            // the last full quote poll
	fullSoon  bool                 // a session opened on a trade: poll every quote now
	// unextended marks intraday series a trade could not extend (its
	// session is not in the series yet): fetched at the usual age.
	unextended map[SeriesKey]bool
	ticks      uint64 // trades applied since start
	bars       uint64 // bars trades added since start
}

type streamInbox struct {
	mu      sync.Mutex
	ticks   []Tick
	status  []StreamStatus
	dropped int
}

func newStreamState() streamState {
	return streamState{subs: make(chan []string, 1), wake: make(chan struct{}, 1),
		lastTick: map[string]time.Time{}, unextended: map[SeriesKey]bool{}}
}

// sink queues what the stream pushes and wakes the poller.
func (p *Poller) sink() StreamSink {
	in, wake := &p.stream.inbox, p.stream.wake
	signal := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	return StreamSink{
		Tick: func(t Tick) {
			in.mu.Lock()
			in.ticks = append(in.ticks, t)
			in.mu.Unlock()
			signal()
		},
		Dropped: func(error) {
			in.mu.Lock()
			in.dropped++
			in.mu.Unlock()
			signal()
		},
		Status: func(s StreamStatus) {
			in.mu.Lock()
			in.status = append(in.status, s)
			in.mu.Unlock()
			signal()
		},
	}
}

// startStream runs the feed's stream beside the poller; the returned
// function waits for it to end once ctx has.
func (p *Poller) startStream(ctx context.Context) (wait func()) {
	s := StreamOf(p.feed)
	if !p.opts.Stream || s == nil {
		return func() {}
	}
	p.stream.on = true
	p.stream.state = StreamConnecting
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Stream(ctx, p.stream.subs, p.sink()); err != nil {
			p.sink().Status(StreamStatus{State: StreamOff, Err: err})
		}
	}()
	return func() { <-done }
}

// subscribe tells the stream what is watched now.
func (p *Poller) subscribe() {
	if p.stream.on {
		replaceLatest(p.stream.subs, slices.Clone(p.watch.Symbols))
	}
}

// streaming reports whether trades carry the prices: the stream is live
// and not mute. Otherwise every quote is polled at the usual cadence.
func (p *Poller) streaming() bool {
	return p.stream.on && p.stream.state == StreamLive && !p.stream.mute
}

// drainStream applies what the stream queued and publishes it as one
// update. It reports whether a full refresh is due now: the stream went
// down, or a session opened.
func (p *Poller) drainStream(ctx context.Context) (refresh bool) {
	in := &p.stream.inbox
	in.mu.Lock()
	ticks, statuses, dropped := in.ticks, in.status, in.dropped
	in.ticks, in.status, in.dropped = nil, nil, 0
	in.mu.Unlock()

	now := p.opts.Clock()
	was := p.streaming()
	for _, s := range statuses {
		p.stream.state, p.stream.err = s.State, s.Err
		if s.State == StreamLive {
			p.stream.liveSince, p.stream.lastFrame, p.stream.mute = now, now, false
		}
	}
	if len(ticks) > 0 || dropped > 0 {
		p.stream.lastFrame, p.stream.mute = now, false
	}
	if len(ticks) > 0 && p.applyTicks(ticks, now) {
		p.publishTicks(ctx)
	} else if len(statuses) > 0 {
		p.publishTicks(ctx) // the badge follows the stream's state
	}
	if p.stream.fullSoon {
		p.stream.fullSoon = false
		refresh = true
	}
	return refresh || (was && !p.streaming())
}

// checkMute judges a live stream that has sent nothing for muteAfter while
// a watched market is in its regular session: down, until a frame comes.
func (p *Poller) checkMute(ctx context.Context) (refresh bool) {
	if p.stream.mute && !p.anyOpen() { // every market shut: silence is expected
		p.stream.mute = false
		p.publishTicks(ctx)
		return false
	}
	if !p.streaming() || p.opts.Clock().Sub(p.stream.lastFrame) < muteAfter || !p.anyOpen() {
		return false
	}
	p.stream.mute = true
	p.publishTicks(ctx)
	return true
}

func (p *Poller) anyOpen() bool {
	for _, q := range p.quotes {
		if q.MarketState == Regular {
			return true
		}
	}
	return false
}

// applyTicks merges trades into the quotes and extends the intraday
// series, copying what published updates share. It reports whether any
// trade was applied.
func (p *Poller) applyTicks(ticks []Tick, now time.Time) bool {
	var quotes map[string]Quote
	var series map[SeriesKey]Series
	for _, t := range ticks {
		q, ok := p.quotes[t.Symbol]
		if !ok { // not watched, or not quoted yet: the first poll brings it
			continue
		}
		if quotes == nil {
			quotes = maps.Clone(p.quotes)
		}
		q, ok = applyTick(q, t)
		if !ok {
			continue
		}
		if t.State == Regular && p.quotes[t.Symbol].MarketState != Regular {
			p.stream.fullSoon = true // a session opened: fresh previous closes
		}
		quotes[t.Symbol] = q
		p.lastGood[t.Symbol] = now
		p.stream.lastTick[t.Symbol] = now
		p.stream.ticks++
		if t.State == Regular {
			p.extendIntraday(&series, t)
		}
	}
	if quotes == nil {
		return false
	}
	p.quotes = quotes
	if series != nil {
		p.series = series
	}
	p.snapshot = time.Time{}
	return true
}

// applyTick is q after trade t, or false when t is older than what q holds.
// Only a regular trade moves the regular price; pre, post and overnight
// trades are the extended-hours price.
func applyTick(q Quote, t Tick) (Quote, bool) {
	switch t.State {
	case Regular:
		if t.Time.Before(q.QuoteTime) {
			return q, false
		}
		q.Price, q.QuoteTime, q.MarketState = t.Price, t.Time, Regular
		if t.PreviousClose > 0 {
			q.PreviousClose = t.PreviousClose
		}
		if q.PreviousClose > 0 {
			q.Change, q.ChangePercent = t.Price-q.PreviousClose, 100*(t.Price/q.PreviousClose-1)
		}
		if t.DayVolume > 0 {
			q.Volume = t.DayVolume
		}
	case Pre:
		if t.Time.Before(q.LastTrade) {
			return q, false
		}
		q.PrePrice, q.MarketState = t.Price, Pre
		if q.Price > 0 {
			q.PreChange, q.PreChangePercent = t.Price-q.Price, 100*(t.Price/q.Price-1)
		}
	default:
		if t.Time.Before(q.LastTrade) {
			return q, false
		}
		q.PostPrice, q.MarketState = t.Price, Post
		if q.Price > 0 {
			q.PostChange, q.PostChangePercent = t.Price-q.Price, 100*(t.Price/q.Price-1)
		}
	}
	if t.Time.After(q.LastTrade) {
		q.LastTrade = t.Time
	}
	return q, true
}

// extendIntraday moves the 1D and 5D series of t's symbol to t: the last
// bar's close, or a new bar on the series' own step, while t falls in the
// last session the series covers. A trade of a session the series does not
// hold yet marks it for fetching instead. *series is the poller's series
// once copied (published updates share p.series); nil until a trade moves
// one, when it is copied.
func (p *Poller) extendIntraday(series *map[SeriesKey]Series, t Tick) {
	for _, r := range []Range{Range1D, Range5D} {
		k := SeriesKey{t.Symbol, r}
		held := *series
		if held == nil {
			held = p.series
		}
		s, ok := held[k]
		n := len(s.Times)
		if !ok || n == 0 || len(s.Periods) == 0 {
			continue
		}
		last, end := s.Times[n-1], s.Periods[len(s.Periods)-1].End
		if !t.Time.Before(end) {
			p.stream.unextended[k] = true
			continue
		}
		if t.Time.Before(last) {
			continue
		}
		step := r.Interval()
		bar := last.Add(t.Time.Sub(last) / step * step)
		if bar.Equal(last) {
			s.Closes = slices.Clone(s.Closes[:n])
			s.Closes[n-1] = t.Price
		} else {
			// [:n:n]: the update on screen shares the old slices.
			s.Times = append(s.Times[:n:n], bar)
			s.Closes = append(s.Closes[:n:n], t.Price)
			p.stream.bars++
		}
		if *series == nil {
			*series = maps.Clone(p.series)
		}
		(*series)[k] = s
	}
}

// quoteSymbols are the symbols this refresh polls: all of them without a
// live stream or when the slow full poll is due; else those newly watched
// (no quote yet, and not known to be missing: trades apply to a quote) and
// those in their regular session that have not traded for quietAfter.
func (p *Poller) quoteSymbols(now time.Time) []string {
	if !p.streaming() || now.Sub(p.stream.quotedAt) >= p.opts.StreamRefresh {
		return p.watch.Symbols
	}
	var quiet []string
	for _, sym := range p.watch.Symbols {
		q, quoted := p.quotes[sym]
		if !quoted && !slices.Contains(p.missing, sym) {
			quiet = append(quiet, sym)
			continue
		}
		if q.MarketState != Regular {
			continue
		}
		last := p.stream.lastTick[sym]
		if p.stream.liveSince.After(last) {
			last = p.stream.liveSince
		}
		if now.Sub(last) >= quietAfter {
			quiet = append(quiet, sym)
		}
	}
	return quiet
}

// streamHealth adds the stream's state to h, in words for the status line.
func (p *Poller) streamHealth(h Health) Health {
	if !p.stream.on {
		return h
	}
	h.Stream = p.stream.state
	switch {
	case p.stream.mute:
		h.Stream = StreamDown
		h.StreamDetail = fmt.Sprintf("stream down (silent for %s while a market is open), polling every %s",
			seconds(muteAfter), seconds(p.interval()))
	case p.stream.state == StreamDown || p.stream.state == StreamConnecting && p.stream.err != nil:
		h.Stream = StreamDown
		why := ""
		if p.stream.err != nil {
			why = " (" + p.stream.err.Error() + ")"
		}
		h.StreamDetail = fmt.Sprintf("stream down%s, polling every %s", why, seconds(p.interval()))
	}
	return h
}

// publishTicks sends the market as trades left it. It keeps the last
// refresh's error and completeness, so the status line does not flicker,
// and its Refreshes count, which tells the receiver only prices moved.
func (p *Poller) publishTicks(ctx context.Context) {
	p.send(ctx, p.lastErr, p.lastComplete)
}

// seconds is a duration for the status line: "15 s", "60 s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
}

// keepTrade is the polled quote q, keeping prev's regular price when a
// streamed trade made it after q's own quote time: a poll of a delayed or
// cached answer never rolls a price back.
func keepTrade(prev, q Quote) Quote {
	if prev.LastTrade.IsZero() {
		return q
	}
	if prev.LastTrade.After(q.LastTrade) {
		q.LastTrade = prev.LastTrade
	}
	if prev.QuoteTime.After(q.QuoteTime) && prev.Price > 0 {
		q.Price, q.QuoteTime = prev.Price, prev.QuoteTime
		q.Volume = max(q.Volume, prev.Volume)
		if q.PreviousClose > 0 {
			q.Change, q.ChangePercent = q.Price-q.PreviousClose, 100*(q.Price/q.PreviousClose-1)
		}
	}
	return q
}

// intradayEvery is how old an intraday series may grow before it is
// fetched again: trades extend it while the stream lives, so only the
// daily schedule applies, unless a trade found its session missing.
func (p *Poller) intradayEvery(k SeriesKey) time.Duration {
	if p.streaming() && !p.stream.unextended[k] {
		return p.opts.DailyEvery
	}
	return p.opts.IntradayEvery
}

// between applies the trades that came during a request of a refresh, so
// a refresh's requests never hold prices back for more than one of them.
// A stream that went down meanwhile asks for the next refresh at once.
func (p *Poller) between(ctx context.Context) {
	select {
	case <-p.stream.wake:
		if p.drainStream(ctx) {
			p.RefreshNow()
		}
	default:
	}
}
