package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestRefreshingLastsUntilItsRefreshComes: after r the status says
// "refreshing…" through other keys, ticks, an update from before the key
// and the prices-first update of the refresh itself, then gives way to the
// feed's own status once the whole refresh is in, or to its error.
func TestRefreshingLastsUntilItsRefreshComes(t *testing.T) {
	r := newSoakRig(t, testNow, watchlists.Defaults(), 120, 40)
	status := func() string { return ansi.Strip(r.m.statusLine()) }
	if s := status(); !strings.Contains(s, "updated 15:00:00") {
		t.Fatalf("the feed's status after the first refresh is %q", s)
	}
	before := r.m.update
	r.clock.Advance(time.Minute)
	r.tick()
	r.send(keyRune('r')) // the poller refreshes in the background; the test hands its updates over
	r.send(keyRune('j'))
	r.clock.Advance(time.Minute) // the status waits for the refresh, however long it takes
	r.tick()
	partial := before
	partial.At, partial.Complete = testNow.Add(time.Minute), false
	for _, u := range []struct {
		what string
		feeds.Update
	}{{"an update from before the key", before}, {"the prices before the charts", partial}} {
		r.send(quotesUpdatedMsg{u.Update})
		if s := status(); s != "refreshing…" {
			t.Errorf("after r, another key, a tick and %s the status is %q; want refreshing…", u.what, s)
		}
	}
	r.refresh()
	if s := status(); !strings.Contains(s, "updated 15:0") || strings.Contains(s, "refreshing") {
		t.Errorf("once the refresh came the status is %q; want the feed's, with the time of the update", s)
	}

	r.send(keyRune('r'))
	failed := r.m.update
	failed.At, failed.Err = r.clock.Now(), errors.New("quotes: 429 Too Many Requests")
	failed.Health.State = feeds.StateLive
	r.send(quotesUpdatedMsg{failed})
	if s := status(); !strings.Contains(s, "last refresh: quotes: 429 Too Many Requests") {
		t.Errorf("after a failed refresh the status is %q; want its error", s)
	}
}
