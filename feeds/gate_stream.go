package feeds

import (
	"context"
	"fmt"
	"time"
)

// tickRejectionShown is how long the status line mentions the last
// streamed price the gate ignored.
const tickRejectionShown = 5 * time.Minute

// Stream passes the source's stream through the same plausibility check as
// its quotes: a trade at no price, beyond any price, or 3x or more away from
// the last accepted one is ignored and counted (Health.TicksRejected). A
// split is never believed from trades alone; the polled quotes confirm it,
// and trades are judged against the new price from then on.
func (g *gate) Stream(ctx context.Context, subs <-chan []string, sink StreamSink) error {
	s := StreamOf(g.inner)
	if s == nil {
		return ErrNoStream
	}
	inner := sink
	inner.Tick = func(t Tick) {
		if g.admit(t) {
			sink.Tick(t)
		}
	}
	inner.Dropped = func(err error) {
		g.mu.Lock()
		g.framesDropped++
		g.mu.Unlock()
		if sink.Dropped != nil {
			sink.Dropped(err)
		}
	}
	return s.Stream(ctx, subs, inner)
}

// admit says whether a streamed trade is believable, counting it when not.
// A regular trade moves the reference later ones are judged against.
func (g *gate) admit(t Tick) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	why := badPrice(t.Price)
	last, ok := g.accepted[t.Symbol]
	if why == "" && ok && ImplausibleJump(t.Price/last) {
		why = fmt.Sprintf("%v is %.1fx the last good %v", t.Price, t.Price/last, last)
	}
	if why != "" {
		g.ticksRejected++
		g.tickReason, g.tickRejectedAt = t.Symbol+": "+why, g.clock()
		return false
	}
	if t.State == Regular {
		g.accepted[t.Symbol] = t.Price
	}
	return true
}
