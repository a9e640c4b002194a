package yahoo

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// Backoff bounds. Each pause is drawn uniformly from [0, ceiling) ("full
// jitter"), the ceiling doubling per consecutive failure from base to cap.
const (
	rateLimitBase = 5 * time.Second
	rateLimitCap  = 10 * time.Minute
	failureBase   = 2 * time.Second
	failureCap    = 2 * time.Minute
)

// tracker paces requests after failures and remembers what Health reports.
// Health may be read from another goroutine than the one polling, hence
// the mutex.
type tracker struct {
	clock      feeds.Clock
	rand       func() float64
	staleAfter time.Duration

	mu           sync.Mutex
	lastOK       time.Time
	failingSince time.Time    // first failure since the last success
	lastErr      *feeds.Error // nil after a success
	until        time.Time    // no request before this instant
	rateStrikes  int          // consecutive 429s
	failStrikes  int          // consecutive network, 5xx and auth failures
	delay        int          // largest exchange delay in the last quotes, minutes
	deg          degraded
}

// gate refuses a request while the feed is paused, with an error of the
// kind that paused it.
func (t *tracker) gate(op string) *feeds.Error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lastErr == nil || !t.clock().Before(t.until) {
		return nil
	}
	return &feeds.Error{
		Kind: t.lastErr.Kind, Status: t.lastErr.Status, Until: t.until, Op: op,
		Err: fmt.Errorf("paused after the last failure (%s); not asking Yahoo again before %s", reason(t.lastErr), clockTime(t.until)),
	}
}

// succeeded records good data and ends any backoff. delay is the largest
// exchange delay among fresh quotes, or -1 for a chart, which says nothing
// about delays.
func (t *tracker) succeeded(delay int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lastOK = t.clock()
	t.failingSince, t.lastErr, t.until = time.Time{}, nil, time.Time{}
	t.rateStrikes, t.failStrikes = 0, 0
	if delay >= 0 {
		t.delay = delay
	}
}

// failed records err and starts a pause when the failure says the next
// request would fail too: 429, network, 5xx and refused sessions. A
// malformed body or an unknown symbol does not pause the feed. The pause
// end is written into err.Until.
func (t *tracker) failed(err *feeds.Error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock()
	if t.failingSince.IsZero() {
		t.failingSince = now
	}
	t.lastErr = err
	var wait time.Duration
	switch {
	case err.Kind == feeds.KindRateLimited:
		t.rateStrikes++
		wait = min(err.RetryAfter, maxRetryAfter) // retryAfter caps it; so does any other source
		if wait <= 0 {
			wait = t.jitter(t.rateStrikes, rateLimitBase, rateLimitCap)
		}
	case err.Kind == feeds.KindOffline || err.Kind == feeds.KindAuth || err.Status >= 500:
		t.failStrikes++
		wait = t.jitter(t.failStrikes, failureBase, failureCap)
	default:
		t.until = time.Time{}
		return
	}
	t.until = now.Add(wait)
	err.Until = t.until
}

func (t *tracker) jitter(strikes int, base, ceiling time.Duration) time.Duration {
	d := base
	for i := 1; i < strikes && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	return time.Duration(t.rand() * float64(d))
}

// health is the verdict Feed.Health reports; see the State cases below.
func (t *tracker) health() feeds.Health {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock()
	h := feeds.Health{Feed: Name, LastOK: t.lastOK}
	err := t.lastErr
	paused := err != nil && now.Before(t.until)
	next := "the next refresh tries again"
	switch {
	case paused && t.until.Sub(now) < time.Minute:
		// A clock time seconds away is past by the time anyone reads it
		// (it showed the same second as "since"); the retry's own update
		// replaces this text.
		next = "retrying within a minute"
	case paused:
		next = "retrying after " + clockTime(t.until)
	}
	since := t.lastOK
	if since.IsZero() {
		since = t.failingSince
	}
	switch {
	case paused && err.Kind == feeds.KindRateLimited:
		h.State, h.Until = feeds.StateRateLimited, t.until
		h.Detail = fmt.Sprintf("Yahoo answered %s; pausing until %s.", reason(err), clockTime(t.until))
		if aw := (*askedWait)(nil); errors.As(err, &aw) {
			h.Detail = fmt.Sprintf("Yahoo answered %s and asked to wait %s; pausing until %s, at most %d minutes, then trying again.",
				reason(err), waitText(aw.Asked), clockTime(t.until), maxRetryAfter/time.Minute)
		}
	case err != nil && err.Kind == feeds.KindAuth:
		h.State, h.Until = feeds.StateAuthFailing, t.until
		h.Detail = fmt.Sprintf("Yahoo refused a fresh session cookie and crumb (%s); %s with a new session.", reason(err), next)
	case err != nil && err.Kind == feeds.KindOffline:
		h.State, h.Since = feeds.StateOffline, since
		h.Detail = fmt.Sprintf("Cannot reach Yahoo Finance since %s (%s); %s.", clockTime(since), reason(err), next)
	case err != nil && (t.lastOK.IsZero() || now.Sub(t.lastOK) > t.staleAfter):
		h.State, h.Since = feeds.StateStale, t.lastOK
		h.Detail = fmt.Sprintf("No fresh Yahoo data %s: %s; %s.", sinceText(t.lastOK), reason(err), next)
	default:
		h.State, h.Delay = feeds.StateLive, t.delay
		h.Detail = "Live Yahoo Finance quotes"
		if t.delay > 0 {
			h.State = feeds.StateDelayed
			h.Detail = fmt.Sprintf("Yahoo Finance quotes; some are delayed by up to %d minutes by their exchange", t.delay)
		}
		switch {
		case err != nil:
			h.Detail += fmt.Sprintf(" as of %s; the last refresh failed (%s), %s.", clockTime(t.lastOK), reason(err), next)
		case !t.lastOK.IsZero():
			h.Detail += fmt.Sprintf(" as of %s; refreshing normally.", clockTime(t.lastOK))
		default:
			h.Detail += ": none fetched yet; the first refresh is pending."
		}
	}
	t.degrade(&h)
	return h
}

// reason is the short cause of err for a Health sentence.
func reason(err *feeds.Error) string {
	if err.Status != 0 {
		return fmt.Sprintf("HTTP %d", err.Status)
	}
	if inner := errors.Unwrap(err.Err); err.Kind == feeds.KindOffline && inner != nil {
		return inner.Error() // without networkError's "cannot reach Yahoo"
	}
	if err.Err != nil {
		return err.Err.Error()
	}
	return string(err.Kind)
}

// waitText is a Retry-After wait for a person; one that saturated at
// maxWait was a number too large to mean anything but "never".
func waitText(d time.Duration) string {
	if d >= maxWait {
		return "over 290 years"
	}
	return d.Round(time.Second).String()
}

func sinceText(lastOK time.Time) string {
	if lastOK.IsZero() {
		return "yet"
	}
	return "since " + clockTime(lastOK)
}

func clockTime(t time.Time) string { return t.Format("15:04:05") }
