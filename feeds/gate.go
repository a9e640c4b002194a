package feeds

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// Plausibility bounds. No listing trades at a million times its price of
// the day before, nor above 1e9 in any currency (the dearest, BRK-A, is
// under 1e6 dollars; won and rupiah prices stay under 1e8).
const (
	maxPlausiblePrice = 1e9
	maxJump           = 3.0 // a price at or beyond 3x, or at or below a third, of the last accepted one is a bad print
	// jumpConfirmations is how many refreshes in a row a jump must hold,
	// with the quote's own previous close agreeing, before it is believed:
	// a split or a reverse split, not a bad print.
	jumpConfirmations = 3
)

// gate is the plausibility check at the feed boundary: every quote and bar
// a source delivers passes through it before the poller, the snapshot or a
// recording sees it. A rejected value is dropped, the last good one stays,
// and Health says how many were ignored and why.
type gate struct {
	inner Feed
	clock Clock

	mu         sync.Mutex
	accepted   map[string]float64 // last accepted price by symbol
	acceptedAt time.Time          // when the last quote was accepted
	jumps      map[string]jump    // rejected jumps that may be a split
	rejected   int                // quotes rejected by the last Quotes call
	allBad     bool               // the last Quotes call had data and all of it was rejected
	reasons    []string           // a few of the last call's reasons
	bars       int                // bars dropped by the last series call

	// The stream's, since start (see gate_stream.go).
	ticksRejected  int
	framesDropped  int
	tickReason     string
	tickRejectedAt time.Time
}

type jump struct {
	price float64
	seen  int
}

// NewGate wraps a feed in the plausibility gate. It forwards batches and
// limits of the feed it wraps.
func NewGate(inner Feed, clock Clock) Feed {
	if clock == nil {
		clock = time.Now
	}
	return &gate{inner: inner, clock: clock, accepted: map[string]float64{}, jumps: map[string]jump{}}
}

func (g *gate) Name() string { return g.inner.Name() }

// Quotes returns the plausible quotes. When the source sent prices and
// every one was rejected, it returns an error instead, so the refresh is
// not taken for a good one.
func (g *gate) Quotes(ctx context.Context, symbols []string) ([]Quote, error) {
	qs, err := g.inner.Quotes(ctx, symbols)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rejected, g.reasons, g.allBad = 0, nil, false
	best := make(map[string]Quote, len(qs))
	order := make([]string, 0, len(qs))
	for _, q := range qs {
		if why := g.implausible(q); why != "" {
			g.reject(q.Symbol + ": " + why)
			continue
		}
		prev, dup := best[q.Symbol]
		if !dup {
			order = append(order, q.Symbol)
			best[q.Symbol] = q
			continue
		}
		// The same symbol twice: keep the one nearer the last good price.
		g.reject(q.Symbol + ": sent twice; kept the price nearer the last good one")
		if g.distance(q) < g.distance(prev) {
			best[q.Symbol] = q
		}
	}
	out := make([]Quote, 0, len(order))
	for _, sym := range order {
		q := best[sym]
		g.accepted[sym] = q.Price
		delete(g.jumps, sym)
		out = append(out, q)
	}
	if len(out) > 0 {
		g.acceptedAt = g.clock()
	}
	if len(qs) > 0 && len(out) == 0 {
		g.allBad = true
		if err == nil {
			err = &Error{Kind: KindUpstream, Op: g.inner.Name() + " quotes",
				Err: fmt.Errorf("every price in the answer was implausible (%s)", strings.Join(g.reasons, "; "))}
		}
	}
	return out, err
}

// implausible says why a quote's price cannot be believed, or "".
func (g *gate) implausible(q Quote) string {
	if why := badPrice(q.Price); why != "" {
		return why
	}
	last, ok := g.accepted[q.Symbol]
	if !ok {
		return ""
	}
	r := q.Price / last
	if !ImplausibleJump(r) {
		return ""
	}
	// A split moves the price and the quote's previous close together;
	// believe it once it has held for a few refreshes.
	j := g.jumps[q.Symbol]
	if j.price > 0 && math.Abs(q.Price/j.price-1) < 0.05 {
		j.seen++
	} else {
		j = jump{price: q.Price, seen: 1}
	}
	g.jumps[q.Symbol] = j
	prevAgrees := q.PreviousClose > 0 && !ImplausibleJump(q.Price/q.PreviousClose)
	if j.seen >= jumpConfirmations && prevAgrees {
		return ""
	}
	return fmt.Sprintf("%v is %.1fx the last good %v", q.Price, r, last)
}

// ImplausibleJump reports a price ratio (price over the reference it is
// checked against) that a bad print explains better than the market: 3 or
// more, or a third or less. The boundary itself is refused, as figures.md
// says ("tripled or lost two thirds"); NaN is refused too.
func ImplausibleJump(ratio float64) bool { return !(ratio < maxJump && ratio > 1/maxJump) }

// distance is how far a quote's price is from the last accepted one, in
// log terms; 0 when there is none to compare with.
func (g *gate) distance(q Quote) float64 {
	last, ok := g.accepted[q.Symbol]
	if !ok {
		return 0
	}
	return math.Abs(math.Log(q.Price / last))
}

func (g *gate) reject(why string) {
	g.rejected++
	if len(g.reasons) < 3 {
		g.reasons = append(g.reasons, why)
	}
}

// badPrice says why v is no price at all, or "".
func badPrice(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprintf("%v is not a number", v)
	case v <= 0:
		return fmt.Sprintf("%v is not above zero", v)
	case v > maxPlausiblePrice:
		return fmt.Sprintf("%g is beyond any price", v)
	}
	return ""
}

// Series implements Feed, dropping implausible bars.
func (g *gate) Series(ctx context.Context, symbol string, r Range) (Series, error) {
	s, err := g.inner.Series(ctx, symbol, r)
	if err != nil {
		return s, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.bars = 0
	return g.cleanSeries(s), nil
}

// SeriesBatch forwards a batch to a source that batches, dropping
// implausible bars; from one that does not it says ErrNoBatch.
func (g *gate) SeriesBatch(ctx context.Context, symbols []string, r Range) (map[string]Series, error) {
	b, ok := g.inner.(SeriesBatcher)
	if !ok {
		return nil, fmt.Errorf("%s: %w", g.inner.Name(), ErrNoBatch)
	}
	got, err := b.SeriesBatch(ctx, symbols, r)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.bars = 0
	for sym, s := range got {
		got[sym] = g.cleanSeries(s)
	}
	return got, err
}

// cleanSeries drops bars that are no price, or that a spike explains better
// than the market: maxJump or more away from both neighbours (from the
// one neighbour at either end). Called with mu held.
func (g *gate) cleanSeries(s Series) Series {
	n := min(len(s.Times), len(s.Closes))
	keep := make([]bool, n)
	for i := range n {
		keep[i] = badPrice(s.Closes[i]) == ""
	}
	far := func(a, b float64) bool { return ImplausibleJump(a / b) }
	for i := range n {
		if !keep[i] {
			continue
		}
		prev, next := -1, -1
		for j := i - 1; j >= 0 && prev < 0; j-- {
			if keep[j] {
				prev = j
			}
		}
		for j := i + 1; j < n && next < 0; j++ {
			if keep[j] {
				next = j
			}
		}
		switch {
		case prev >= 0 && next >= 0:
			keep[i] = !(far(s.Closes[i], s.Closes[prev]) && far(s.Closes[i], s.Closes[next]))
		case prev >= 0 && n > 2:
			keep[i] = !far(s.Closes[i], s.Closes[prev])
		case next >= 0 && n > 2:
			keep[i] = !far(s.Closes[i], s.Closes[next])
		}
	}
	out := s
	if kept := countTrue(keep); kept == n {
		// The usual case: every bar stands, and the feed's own slices (made
		// for this reply) serve, capped so no append reaches past them.
		out.Times, out.Closes = s.Times[:n:n], s.Closes[:n:n]
	} else {
		out.Times, out.Closes = make([]time.Time, 0, kept), make([]float64, 0, kept)
		for i := range n {
			if keep[i] {
				out.Times = append(out.Times, s.Times[i])
				out.Closes = append(out.Closes, s.Closes[i])
			}
		}
		g.bars += n - kept
	}
	if badPrice(out.PreviousClose) != "" {
		out.PreviousClose = 0
	}
	return out
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// Health is the source's, told what the gate ignored: a refresh with
// nothing believable is stale, not live.
func (g *gate) Health() Health {
	h := g.inner.Health()
	g.mu.Lock()
	defer g.mu.Unlock()
	healthy := h.State == StateLive || h.State == StateDelayed || h.State == StateLimited
	switch {
	case g.allBad && healthy:
		h.State, h.Since = StateStale, g.acceptedAt
		h.Detail = fmt.Sprintf("Every price in the last refresh was implausible (%s); the last good ones stay, from %s.",
			strings.Join(g.reasons, "; "), sinceClock(g.acceptedAt))
	case g.rejected > 0:
		h.Detail = sentence(h.Detail, fmt.Sprintf("Ignored %d implausible price(s) in the last refresh (%s).",
			g.rejected, strings.Join(g.reasons, "; ")))
	}
	h.Rejected = g.rejected
	h.TicksRejected, h.FramesDropped = g.ticksRejected, g.framesDropped
	if g.ticksRejected > 0 && g.clock().Sub(g.tickRejectedAt) < tickRejectionShown {
		h.Detail = sentence(h.Detail, fmt.Sprintf("Ignored %d implausible streamed price(s) (last: %s).", g.ticksRejected, g.tickReason))
	}
	if g.bars > 0 {
		h.Detail = sentence(h.Detail, fmt.Sprintf("Dropped %d implausible chart bar(s).", g.bars))
	}
	return h
}

// sentence appends s to a detail as a sentence of its own.
func sentence(detail, s string) string {
	detail = strings.TrimSpace(detail)
	switch {
	case detail == "":
		return s
	case strings.HasSuffix(detail, "."):
		return detail + " " + s
	}
	return detail + ". " + s
}

func sinceClock(t time.Time) string {
	if t.IsZero() {
		return "no time yet"
	}
	return t.Format("15:04:05")
}

// Limits and Requests forward the source's (none for a local source).
func (g *gate) Limits() Limits { return LimitsOf(g.inner) }
func (g *gate) Requests() int  { return RequestsOf(g.inner) }
