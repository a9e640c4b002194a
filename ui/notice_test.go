package ui

import (
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// nullSource is a Source with nothing to say.
type nullSource struct{}

func (nullSource) Updates() <-chan feeds.Update { return nil }
func (nullSource) SetWatch(feeds.Watch)         {}
func (nullSource) RefreshNow()                  {}

// Diagnostics come to the status line, not to stderr behind the screen:
// those from before it started at once, later ones as they come, cleaned.
func TestNoticesShowInTheStatusLine(t *testing.T) {
	m := New(Options{Source: nullSource{}, Clock: fixedClock, Set: watchlists.Defaults(), Range: feeds.Range1D,
		Startup: []string{"replay run.jsonl:9: skipped the truncated last line", "snapshot is damaged; delete it"}})
	m = m.resized(120, 40)
	if line := m.statusLine(); !strings.Contains(line, "snapshot is damaged; delete it (and 1 more in the log)") {
		t.Errorf("status line %q; want the last early message and a count of the others", line)
	}
	next, _ := m.Update(noticedMsg{"cannot write snapshot:\x1b[2J disk full"})
	if line := next.(Model).statusLine(); !strings.Contains(line, "cannot write snapshot: disk full") || strings.Contains(line, "\x1b[2J") {
		t.Errorf("status line %q; want the notice, cleaned", line)
	}
}
