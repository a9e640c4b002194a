package yahoo

import (
	"fmt"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// While Yahoo's session handshake or full quotes fail, prices come from
// spark (limited mode); the handshake is retried after a pause that doubles
// from limitedRetryBase to limitedRetryCap.
const (
	limitedRetryBase = 30 * time.Second
	limitedRetryCap  = 10 * time.Minute
)

// degraded is what works less well than it should while the feed still
// serves data. It lives in the tracker, under its mutex.
type degraded struct {
	sparkReason string    // why spark is not used, "" when it is
	sparkUntil  time.Time // when it is tried again

	limitedReason  string    // why quotes come from charts, "" when they do not
	limitedRetry   time.Time // when the full quote path is tried again
	limitedStrikes int
}

// sparkDown says why spark is not to be asked now, or "" when it may be.
func (t *tracker) sparkDown() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.deg.sparkReason == "" || !t.clock().Before(t.deg.sparkUntil) {
		return ""
	}
	return t.deg.sparkReason
}

func (t *tracker) sparkFailed(err *feeds.Error, retry time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.deg.sparkReason = "failed (" + reason(err) + ")"
	t.deg.sparkUntil = t.clock().Add(retry)
}

func (t *tracker) sparkWorked() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.deg.sparkReason, t.deg.sparkUntil = "", time.Time{}
}

// enterLimited records that the full quote path failed with err, and
// schedules the next try of it.
func (t *tracker) enterLimited(err *feeds.Error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.deg.limitedStrikes++
	wait := limitedRetryBase
	for i := 1; i < t.deg.limitedStrikes && wait < limitedRetryCap; i++ {
		wait *= 2
	}
	t.deg.limitedReason = reason(err)
	t.deg.limitedRetry = t.clock().Add(min(wait, limitedRetryCap))
}

func (t *tracker) leaveLimited() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.deg.limitedReason, t.deg.limitedRetry, t.deg.limitedStrikes = "", time.Time{}, 0
}

// limited reports whether quotes come from charts, and whether it is time
// to try the full quote path again.
func (t *tracker) limited() (on, retryDue bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.deg.limitedReason == "" {
		return false, false
	}
	return true, !t.clock().Before(t.deg.limitedRetry)
}

// degrade turns a healthy verdict into what is really on offer. Called by
// health with the mutex held.
func (t *tracker) degrade(h *feeds.Health) {
	healthy := h.State == feeds.StateLive || h.State == feeds.StateDelayed
	if t.deg.limitedReason != "" && healthy {
		h.State, h.Until = feeds.StateLimited, t.deg.limitedRetry
		h.Detail = fmt.Sprintf("LIMITED prices from Yahoo charts, no pre/post, names or volumes: full quotes fail (%s); trying a new session after %s.",
			t.deg.limitedReason, clockTime(t.deg.limitedRetry))
	}
	if t.deg.sparkReason != "" && t.clock().Before(t.deg.sparkUntil) && h.State != feeds.StateOffline {
		h.Detail += fmt.Sprintf(" Charts come one symbol at a time: Yahoo's spark endpoint %s; trying it again after %s.",
			t.deg.sparkReason, clockTime(t.deg.sparkUntil))
	}
}
