package feeds

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// AutoOptions configure the feed NewAuto returns.
type AutoOptions struct {
	Clock Clock
	// ProbeEvery is the least time between two probes of an unreachable
	// primary while the fallback is shown; 0 means 60 seconds.
	ProbeEvery time.Duration
	// HasSnapshot reports whether a cached snapshot younger than 7 days
	// exists; with one, an unreachable primary shows stale data instead of
	// falling back. nil means there is none.
	HasSnapshot func() bool
	// DecideWithin is how long the primary's first answer may take: a
	// primary silent that long (a black-holed network, a server that never
	// answers) counts as unreachable. 0 means 8 seconds.
	DecideWithin time.Duration
}

type autoMode int

const (
	autoUndecided autoMode = iota // the primary has not answered yet
	autoPrimary                   // it has (or a snapshot covers it): never fall back again
	autoFallback                  // it was unreachable at start-up and nothing was cached
)

// autoFeed starts on the primary feed and falls back only when the primary
// cannot be reached at all on its first calls and no snapshot can stand in.
// While on the fallback it probes the primary, driven by calls and the clock
// (no goroutines or timers), and returns to it for good once it answers.
type autoFeed struct {
	primary, fallback Feed
	clock             Clock
	probeEvery        time.Duration
	decideWithin      time.Duration
	hasSnapshot       func() bool

	mu          sync.Mutex
	mode        autoMode
	reason      error // why the primary was given up on
	lastProbe   time.Time
	probeSymbol string
	changed     chan struct{} // closed when mode changes, then replaced
}

// NewAuto returns a Feed named "auto" that serves primary (Yahoo) and, if it
// is offline from the start with no snapshot to show, fallback (the sim),
// saying so in Health.
func NewAuto(primary, fallback Feed, opts AutoOptions) Feed {
	if opts.ProbeEvery <= 0 {
		opts.ProbeEvery = 60 * time.Second
	}
	if opts.HasSnapshot == nil {
		opts.HasSnapshot = func() bool { return false }
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.DecideWithin <= 0 {
		opts.DecideWithin = 8 * time.Second
	}
	return &autoFeed{primary: primary, fallback: fallback, clock: opts.Clock, changed: make(chan struct{}),
		probeEvery: opts.ProbeEvery, decideWithin: opts.DecideWithin, hasSnapshot: opts.HasSnapshot}
}

func (a *autoFeed) Name() string { return "auto" }

func (a *autoFeed) Quotes(ctx context.Context, symbols []string) ([]Quote, error) {
	if len(symbols) > 0 {
		a.setProbeSymbol(symbols[0])
	}
	if !a.usePrimary(ctx) {
		return a.fallback.Quotes(ctx, symbols)
	}
	qs, err := a.firstQuotes(ctx, symbols)
	if a.judge(err, len(qs) > 0) {
		return a.fallback.Quotes(ctx, symbols)
	}
	return qs, err
}

// firstQuotes asks the primary, within decideWithin while no verdict is in:
// silence that long is taken for an unreachable primary.
func (a *autoFeed) firstQuotes(ctx context.Context, symbols []string) ([]Quote, error) {
	a.mu.Lock()
	undecided := a.mode == autoUndecided
	a.mu.Unlock()
	if !undecided {
		return a.primary.Quotes(ctx, symbols)
	}
	short, cancel := context.WithTimeout(ctx, a.decideWithin)
	defer cancel()
	qs, err := a.primary.Quotes(short, symbols)
	if err != nil && ctx.Err() == nil && errors.Is(short.Err(), context.DeadlineExceeded) {
		err = &Error{Kind: KindOffline, Op: a.primary.Name() + " quotes",
			Err: fmt.Errorf("no answer within %s", a.decideWithin)}
	}
	return qs, err
}

func (a *autoFeed) Series(ctx context.Context, symbol string, r Range) (Series, error) {
	a.setProbeSymbol(symbol)
	if !a.usePrimary(ctx) {
		return a.fallback.Series(ctx, symbol, r)
	}
	s, err := a.primary.Series(ctx, symbol, r)
	if a.judge(err, err == nil) {
		return a.fallback.Series(ctx, symbol, r)
	}
	return s, err
}

// SeriesBatch serves batches from the primary while it is used; on the
// fallback (and where the primary cannot batch) it says ErrNoBatch, so the
// poller asks the fallback one series at a time, at its full speed.
func (a *autoFeed) SeriesBatch(ctx context.Context, symbols []string, r Range) (map[string]Series, error) {
	b, ok := a.primary.(SeriesBatcher)
	if !ok || len(symbols) == 0 {
		return nil, fmt.Errorf("%s: %w", a.primary.Name(), ErrNoBatch)
	}
	a.setProbeSymbol(symbols[0])
	if !a.usePrimary(ctx) {
		return nil, fmt.Errorf("on the fallback: %w", ErrNoBatch)
	}
	out, err := b.SeriesBatch(ctx, symbols, r)
	if a.judge(err, err == nil) {
		return nil, fmt.Errorf("on the fallback: %w", ErrNoBatch)
	}
	return out, err
}

// Limits are the primary's while it is used. The fallback is local and has
// none: a simulated market fills every series at once.
func (a *autoFeed) Limits() Limits {
	a.mu.Lock()
	mode := a.mode
	a.mu.Unlock()
	if mode == autoFallback {
		return Limits{}
	}
	return LimitsOf(a.primary)
}

// Requests counts what the primary sent, probes included; the fallback is
// local and sends nothing.
func (a *autoFeed) Requests() int { return RequestsOf(a.primary) }

// Health is the primary's, or on the fallback the fallback's with a detail
// that says the primary is unreachable and what is shown instead.
func (a *autoFeed) Health() Health {
	a.mu.Lock()
	mode, reason := a.mode, a.reason
	a.mu.Unlock()
	if mode != autoFallback {
		return a.primary.Health()
	}
	h := a.fallback.Health()
	shown := a.fallback.Name() + " data"
	if h.Simulated {
		shown = "SIMULATED prices"
	}
	name := a.primary.Name()
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	h.Detail = fmt.Sprintf("%s unreachable: %s; showing %s (retrying every %s)", name, rootCause(reason), shown, spoken(a.probeEvery))
	return h
}

func (a *autoFeed) setProbeSymbol(sym string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if sym != "" {
		a.probeSymbol = sym
	}
}

// usePrimary reports whether to call the primary: always, unless on the
// fallback, where a probe at most every probeEvery decides.
func (a *autoFeed) usePrimary(ctx context.Context) bool {
	a.mu.Lock()
	if a.mode != autoFallback {
		a.mu.Unlock()
		return true
	}
	now := a.clock()
	if now.Sub(a.lastProbe) < a.probeEvery {
		a.mu.Unlock()
		return false
	}
	a.lastProbe = now
	sym := a.probeSymbol
	a.mu.Unlock()

	qs, err := a.primary.Quotes(ctx, []string{sym})
	a.mu.Lock()
	defer a.mu.Unlock()
	if answered(err, len(qs) > 0) {
		a.setMode(autoPrimary)
		a.reason = nil
		return true
	}
	if KindOf(err) == KindOffline {
		a.reason = err
	}
	return false
}

// judge records what a primary call says about reachability and reports
// whether the call must be served by the fallback instead.
func (a *autoFeed) judge(err error, gotData bool) (useFallback bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.mode != autoUndecided {
		return false
	}
	if answered(err, gotData) {
		a.setMode(autoPrimary)
		return false
	}
	if KindOf(err) != KindOffline {
		return false // e.g. a cancelled context: no verdict yet
	}
	if a.hasSnapshot() {
		a.setMode(autoPrimary) // the stale snapshot is shown as stale
		return false
	}
	a.setMode(autoFallback)
	a.reason, a.lastProbe = err, a.clock()
	return true
}

// spoken is a duration as a person says it: "minute", "5 minutes", "30s".
func spoken(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "minute"
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}

// answered: the primary was reached, even if it refused (429, 401, bad symbol).
func answered(err error, gotData bool) bool {
	k := KindOf(err)
	return err == nil || gotData || k != "" && k != KindOffline
}

// rootCause drops the Op wrapper of a classified error, leaving e.g.
// "dial tcp 127.0.0.1:9: connection refused".
func rootCause(err error) string {
	var fe *Error
	if errors.As(err, &fe) && fe.Err != nil {
		return fe.Err.Error()
	}
	if err == nil {
		return "no answer"
	}
	return err.Error()
}
