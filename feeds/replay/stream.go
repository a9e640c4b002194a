package replay

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

const (
	// tickFlush is how long trades wait to be written: one ticks line holds
	// those that came within it (by the recorder's clock), so a day at 40
	// trades a second writes a line a second, not a line a trade.
	tickFlush = time.Second
	// maxTickBytes writes a batch early, once its JSON may reach this
	// (by tickBytes), so a ticks line stays far below maxLineSize.
	maxTickBytes = 1 << 20

	// maxBacklog is as much real time of trades as playback delivers at
	// once after a stall (a laptop waking), as a live stream would.
	maxBacklog = 5 * time.Second
	// maxSleep is the longest playback waits, to notice a clock set forward.
	maxSleep = time.Minute
)

// Stream records what the inner feed's stream pushes: each trade is
// buffered before it is passed on to sink, and the buffer is written as one
// ticks line once its first trade is tickFlush old (looked at on every
// trade and every second), when its line would near maxTickBytes, and when
// the stream ends. A killed process so loses at most the last second of
// trades. An inner feed without a stream gives feeds.ErrNoStream.
func (r *Recorder) Stream(ctx context.Context, subs <-chan []string, sink feeds.StreamSink) error {
	s := feeds.StreamOf(r.inner)
	if s == nil {
		return feeds.ErrNoStream
	}
	b := &tickBatch{r: r}
	inner := sink
	inner.Tick = func(t feeds.Tick) {
		b.add(t)
		if sink.Tick != nil {
			sink.Tick(t)
		}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		// A real ticker: the batch's age is read on the recorder's clock,
		// this only makes sure it is read while no trade comes.
		t := time.NewTicker(tickFlush)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				b.flush(false)
			}
		}
	}()
	err := s.Stream(ctx, subs, inner)
	close(stop)
	<-done
	b.flush(true)
	return err
}

// tickBatch is the trades of one Stream not yet written.
type tickBatch struct {
	r     *Recorder
	mu    sync.Mutex // held while writing too, so lines keep the trades' order
	ticks []feeds.Tick
	size  int       // their JSON's bytes at most, by tickBytes
	since time.Time // when the first of ticks came, by the recorder's clock
}

// tickBytes bounds t's JSON from above: the strings as they are, 200 for
// the keys, numbers and time.
func tickBytes(t feeds.Tick) int { return len(t.Symbol) + len(t.State) + 200 }

// add buffers t, writing the batch first if it is due: a line holds the
// trades that came within tickFlush of its first.
func (b *tickBatch) add(t feeds.Tick) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked(false)
	if len(b.ticks) == 0 {
		b.since = b.r.clock()
	}
	b.ticks = append(b.ticks, t)
	if b.size += tickBytes(t); b.size >= maxTickBytes {
		b.write()
	}
}

// flush writes the batch if it is due, or if all.
func (b *tickBatch) flush(all bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked(all)
}

func (b *tickBatch) flushLocked(all bool) {
	if len(b.ticks) > 0 && (all || b.r.clock().Sub(b.since) >= tickFlush) {
		b.write()
	}
}

func (b *tickBatch) write() {
	b.r.write(record{Kind: KindTicks, Ticks: b.ticks})
	b.ticks, b.size = nil, 0
}

// Stream plays the recorded trades of the symbols last received on subs
// back at their own times on the replay's clock (see Options.Speed): a
// trade recorded at T is delivered once Clock reaches T, until ctx ends;
// then it returns nil. The symbols of the first list play from the
// replay's start, one subscribed later from then on, like a live stream;
// trades before the first record precede the replay and never play.
//
// At speed 0, where Quotes shows each symbol at its last recorded state,
// the stream likewise delivers each symbol's last trade once, when it is
// subscribed, and nothing after: the clock stands still there, and the
// trades before are history, not the state being shown.
//
// A recording without trades (one made before they were recorded, or of
// a feed without a stream) has no stream: feeds.ErrNoStream, at once, so
// polling carries every price as it did.
func (f *Feed) Stream(ctx context.Context, subs <-chan []string, sink feeds.StreamSink) error {
	if len(f.ticks) == 0 {
		return feeds.ErrNoStream
	}
	p := &playback{f: f, sink: sink, next: make(map[string]int)}
	subscribe := func(list []string, first bool) { p.deliver(p.subscribe(list, first)) }
	return feeds.LocalStream(ctx, subs, sink, f.after, subscribe, p.step)
}

// playback is one Stream call's state, its goroutine's alone; the
// recording it reads does not change after Open.
type playback struct {
	f     *Feed
	sink  feeds.StreamSink
	next  map[string]int // by subscribed symbol: its first trade not yet played
	order []string       // the subscribed symbols, sorted: ties in time go in this order
}

// subscribe replaces the subscribed symbols with list. A symbol kept
// keeps its place; a new one starts at the replay's start if first, else
// after the replay time. At speed 0 it returns each new one's last trade,
// to deliver now.
func (p *playback) subscribe(list []string, first bool) []feeds.Tick {
	f, now := p.f, p.f.now()
	next := make(map[string]int, len(list))
	var last []feeds.Tick
	for _, sym := range list {
		if _, ok := next[sym]; ok {
			continue
		}
		if i, ok := p.next[sym]; ok {
			next[sym] = i
			continue
		}
		ticks := f.ticks[sym]
		upTo := sort.Search(len(ticks), func(i int) bool { return ticks[i].Time.After(now) })
		switch {
		case f.speed == 0:
			if upTo > 0 {
				last = append(last, ticks[upTo-1])
			}
			next[sym] = len(ticks)
		case first:
			next[sym] = sort.Search(len(ticks), func(i int) bool { return !ticks[i].Time.Before(f.first) })
		default:
			next[sym] = upTo
		}
	}
	p.next = next
	p.order = p.order[:0]
	for sym := range next {
		p.order = append(p.order, sym)
	}
	slices.Sort(p.order)
	return sortTicks(last)
}

// step delivers the trades due by the replay time, and says how long (in
// real time) until the next is due; -1 when none is to come.
func (p *playback) step() time.Duration {
	f := p.f
	if f.speed == 0 {
		return -1
	}
	now := f.now()
	// After a stall, trades older than maxBacklog of real time are skipped.
	oldest := time.Time{}
	if back := float64(maxBacklog) * f.speed; back < float64(now.Sub(f.first)) {
		oldest = now.Add(-time.Duration(back))
	}
	var due []feeds.Tick
	var soonest time.Time
	for _, sym := range p.order {
		ticks, i := f.ticks[sym], p.next[sym]
		for ; i < len(ticks) && !ticks[i].Time.After(now); i++ {
			if !ticks[i].Time.Before(oldest) {
				due = append(due, ticks[i])
			}
		}
		p.next[sym] = i
		// A trade after the last record is never reached: the clock holds there.
		if i < len(ticks) && !ticks[i].Time.After(f.last) && (soonest.IsZero() || ticks[i].Time.Before(soonest)) {
			soonest = ticks[i].Time
		}
	}
	p.deliver(sortTicks(due))
	if soonest.IsZero() {
		return -1
	}
	// Rounded up, so the wait never ends before the trade is due.
	if d := math.Ceil(float64(soonest.Sub(now)) / f.speed); d < float64(maxSleep) {
		return time.Duration(d)
	}
	return maxSleep
}

func (p *playback) deliver(ticks []feeds.Tick) {
	if p.sink.Tick == nil {
		return
	}
	for _, t := range ticks {
		p.sink.Tick(t)
	}
}

// sortTicks puts ticks in time order, ties by symbol (a symbol's own ties
// as recorded).
func sortTicks(ticks []feeds.Tick) []feeds.Tick {
	slices.SortStableFunc(ticks, func(a, b feeds.Tick) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Symbol, b.Symbol)
	})
	return ticks
}

var (
	_ feeds.Streamer = (*Feed)(nil)
	_ feeds.Streamer = (*Recorder)(nil)
)
