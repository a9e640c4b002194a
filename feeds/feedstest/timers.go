package feedstest

import (
	"slices"
	"testing"
	"time"
)

// fakeTimer is one pending After.
type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

// After is a timer on the clock, for feeds.PollerOptions.After: its channel
// receives once Advance or AdvanceTo has moved the clock d on. The returned
// function cancels it.
func (c *Clock) After(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t.ch, func() {}
	}
	c.timers = append(c.timers, t)
	if c.armed != nil {
		close(c.armed)
		c.armed = nil
	}
	return t.ch, func() { c.cancel(t) }
}

func (c *Clock) cancel(t *fakeTimer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timers = slices.DeleteFunc(c.timers, func(x *fakeTimer) bool { return x == t })
}

// NextTimer waits until a timer is pending (the code under test is idle,
// waiting for it) and returns the earliest deadline; false if none is armed
// within wait of real time.
func (c *Clock) NextTimer(wait time.Duration) (time.Time, bool) {
	deadline := time.After(wait)
	for {
		c.mu.Lock()
		if len(c.timers) > 0 {
			at := c.timers[0].at
			for _, t := range c.timers[1:] {
				if t.at.Before(at) {
					at = t.at
				}
			}
			c.mu.Unlock()
			return at, true
		}
		if c.armed == nil {
			c.armed = make(chan struct{})
		}
		armed := c.armed
		c.mu.Unlock()
		select {
		case <-armed:
		case <-deadline:
			return time.Time{}, false
		}
	}
}

// AdvanceTo moves the clock to t (never back) and fires every timer due by
// then.
func (c *Clock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	c.fire()
}

// fire sends on every due timer; called with mu held.
func (c *Clock) fire() {
	keep := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			keep = append(keep, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = keep
}

// RunUntil moves the clock from one armed timer to the next, as the code
// under test would live, until the next is at or past end, calling each
// (when not nil) after every move. It fails tb when no timer is armed
// within 10 s of real time.
func (c *Clock) RunUntil(tb testing.TB, end time.Time, each func()) {
	tb.Helper()
	for {
		at, ok := c.NextTimer(10 * time.Second)
		if !ok {
			tb.Fatal("no timer was armed within 10 s of real time")
		}
		if !at.Before(end) {
			return
		}
		c.AdvanceTo(at)
		if each != nil {
			each()
		}
	}
}
