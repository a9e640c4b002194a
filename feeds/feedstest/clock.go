// Package feedstest holds what tests of several packages need to drive
// feeds: a clock that moves only when told.
package feedstest

import (
	"sync"
	"time"
)

// Clock is a feeds.Clock (pass c.Now) that stands still until advanced.
// Safe for use by the goroutine under test and the test itself.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	armed  chan struct{} // closed when a timer is armed; NextTimer waits on it
}

// NewClock returns a clock standing at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.fire()
}
