package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/watchlists"
)

func parseEvents(t *testing.T, src string) ([]events.Event, []*watchlists.FileError) {
	t.Helper()
	return events.ParseAll("events.yaml", []byte(src))
}

// TestEventsFileReload: a save of the events file changes the legend at
// once; a broken save keeps the last good events on the charts and shows
// its error at file:line:col in the banner; fixing it clears the banner.
func TestEventsFileReload(t *testing.T) {
	first, errs := parseEvents(t, "- {date: 2026-11-20, label: Fed cuts rates}\n")
	if errs != nil {
		t.Fatal(errs[0].Report())
	}
	m := simModelWith(t, Options{Set: watchlists.Defaults(), EventsPath: "events.yaml", Events: first}, 120, 40)
	screen := func() string { return ansi.Strip(m.View().Content) }
	if !strings.Contains(screen(), "1 2026-11-20 Fed cuts rates") {
		t.Fatalf("no legend for the file's event:\n%s", screen())
	}

	second, errs := parseEvents(t, "- {date: 2026-11-20, label: Chip export rules eased}\n")
	if errs != nil {
		t.Fatal(errs[0].Report())
	}
	m = step(m, EventsChangedMsg{Events: second})
	if v := screen(); !strings.Contains(v, "1 2026-11-20 Chip export rules eased") || strings.Contains(v, "Fed cuts rates") ||
		!strings.Contains(v, "reloaded the events") {
		t.Errorf("after a save:\n%s", v)
	}

	broken, errs := parseEvents(t, "- {date: 2026-11-31, label: Not a day}\n")
	if broken != nil || len(errs) != 1 {
		t.Fatalf("the broken file parsed: %v, %v", broken, errs)
	}
	m = step(m, EventsChangedMsg{Errs: errs})
	v := screen()
	if !strings.Contains(v, "1 2026-11-20 Chip export rules eased") {
		t.Errorf("a broken save dropped the last good events:\n%s", v)
	}
	if !strings.Contains(v, "events.yaml:1:10: date must be a calendar date") || !strings.Contains(v, "(last good version kept)") {
		t.Errorf("a broken save's error is not in the banner:\n%s", v)
	}
	requireFits(t, "a broken events file", m.View().Content, 120, 40)

	m = step(m, EventsChangedMsg{Events: first})
	if v := screen(); strings.Contains(v, "events.yaml:1:10") || !strings.Contains(v, "1 2026-11-20 Fed cuts rates") {
		t.Errorf("after the fix:\n%s", v)
	}
}

// TestBrokenEventsFileAtStart: a file that never loaded shows its error
// as not loaded, and the charts mark nothing of it.
func TestBrokenEventsFileAtStart(t *testing.T) {
	_, errs := parseEvents(t, "- {date: 2026-11-20}\n")
	m := simModelWith(t, Options{Set: watchlists.Defaults(), EventsPath: "events.yaml", UserErrors: errs}, 120, 40)
	v := ansi.Strip(m.View().Content)
	if !strings.Contains(v, "events.yaml:1:4: event has no label") || !strings.Contains(v, "(not loaded)") {
		t.Errorf("start with a broken events file:\n%s", v)
	}
	if len(m.eventsErrs) != 1 || len(m.alertsErrs) != 0 {
		t.Errorf("the error was sorted as an alerts one: events %v, alerts %v", m.eventsErrs, m.alertsErrs)
	}
}
