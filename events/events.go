// Package events reads the events file: dated moments (a model release, a
// guidance call, a sell-off) that print's JSON lists for its range. Parsing
// does no I/O and filtering reads no clock; Read is the only function that
// touches disk.
//
// The file is YAML, one list of events:
//
//   - date: 2025-01-27
//     label: DeepSeek-R1 sell-off
//     symbols: [NVDA]   # optional: only on these symbols' charts
package events

import (
	"slices"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

// Where an event comes from.
const (
	SourceFile     = "file"     // the user's events file
	SourceBuiltin  = "builtin"  // Builtin, used when there is no file
	SourceEarnings = "earnings" // a quote's earnings date
)

// Event is one dated moment.
type Event struct {
	Date    time.Time // UTC midnight of the day
	Label   string
	Symbols []string // Yahoo form; nil: every chart
	Source  string   // SourceFile, SourceBuiltin or SourceEarnings
	Line    int      // 1-based line in the file; 0 when not from one
}

// DefaultPath is where the events file lives: $XDG_CONFIG_HOME/rotation/
// events.yaml, else $HOME/.config/rotation/events.yaml; "" when neither is
// set.
func DefaultPath(getenv func(string) string) string {
	return watchlists.ConfigFile(getenv, "events.yaml")
}

// DefaultFile is the events file 'rotation init' writes; Builtin is what it
// holds, so the monitor shows the same events before and after init.
const DefaultFile = `# Dated moments; 'rotation print --format json' lists those within its range.
# Each has a date (YYYY-MM-DD) and a label; symbols: [NVDA, AMD] limits one
# to those symbols' charts. Run 'rotation check' after editing.
- date: 2022-11-30
  label: ChatGPT released
- date: 2023-05-24
  label: Nvidia's data-centre guidance (after the close)
- date: 2025-01-27
  label: The DeepSeek sell-off
`

// Builtin returns the events used when no events file exists: the moments
// the AI trade turned on. A fresh slice each call, so callers may modify it.
func Builtin() []Event {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	return []Event{
		{Date: day(2022, 11, 30), Label: "ChatGPT released", Source: SourceBuiltin},
		{Date: day(2023, 5, 24), Label: "Nvidia's data-centre guidance (after the close)", Source: SourceBuiltin},
		{Date: day(2025, 1, 27), Label: "The DeepSeek sell-off", Source: SourceBuiltin},
	}
}

// In returns the events whose date falls within from..to, both days
// included, sorted by date (events of one day keep their order). Only the
// calendar dates of from and to count, in UTC like the events' own.
func In(events []Event, from, to time.Time) []Event {
	from, to = dateOf(from), dateOf(to)
	var out []Event
	for _, e := range events {
		if d := dateOf(e.Date); !d.Before(from) && !d.After(to) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b Event) int { return a.Date.Compare(b.Date) })
	return out
}

// dateOf is t's UTC calendar date at midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
