package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/ui"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestUserFilesEventsReloadOnSave: the events file is watched like the
// holdings and alerts files: each save reaches the UI parsed, a broken one
// as its errors at file:line:col, a deletion as no events.
func TestUserFilesEventsReloadOnSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.yaml")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("- {date: 2025-01-27, label: DeepSeek-R1 sell-off}\n")
	u := loadUserFiles(config{holdings: "none", alerts: "none", events: path}, watchlists.Defaults(), env())
	if len(u.problems()) > 0 || len(u.events) != 1 {
		t.Fatalf("loaded %+v, errors %v", u.events, u.problems())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, err := watchUserFiles(ctx, u)
	if err != nil || msgs == nil {
		t.Fatalf("watching %s: %v", path, err)
	}
	next := func() ui.EventsChangedMsg {
		t.Helper()
		select {
		case m := <-msgs:
			return m.(ui.EventsChangedMsg)
		case <-time.After(5 * time.Second):
			t.Fatal("no reload within 5 s")
		}
		return ui.EventsChangedMsg{}
	}
	write("- {date: 2025-01-27, label: DeepSeek-R1 sell-off}\n- {date: 2025-06-03, label: Computex keynote, symbols: [nvda]}\n")
	if m := next(); m.Errs != nil || len(m.Events) != 2 || m.Events[1].Label != "Computex keynote" || m.Events[1].Symbols[0] != "NVDA" {
		t.Errorf("after a save: %+v", m)
	}
	write("- {date: 2025-01-27, label: DeepSeek-R1 sell-off}\n- {date: 2025-02-30, label: No such day}\n")
	if m := next(); len(m.Errs) != 1 || m.Errs[0].Path != path || m.Errs[0].Line != 2 || m.Events != nil {
		t.Errorf("a broken save: %+v", m)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if m := next(); m.Errs != nil || len(m.Events) != 0 {
		t.Errorf("after deletion: %+v", m)
	}
}

// TestUserFilesEventsNoneIsNotWatched: --events none means no events and
// nothing watched; no file means the built-ins, not watched either.
func TestUserFilesEventsNoneIsNotWatched(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	u := loadUserFiles(config{holdings: "none", alerts: "none", events: "none"}, watchlists.Defaults(), os.Getenv)
	if u.eventsPath != "" || u.events != nil {
		t.Errorf("--events none: %q, %d events", u.eventsPath, len(u.events))
	}
	if msgs, err := watchUserFiles(ctx, u); msgs != nil || err != nil {
		t.Errorf("--events none is watched: %v, %v", msgs, err)
	}
	u = loadUserFiles(config{holdings: "none", alerts: "none"}, watchlists.Defaults(), os.Getenv)
	if msgs, err := watchUserFiles(ctx, u); len(u.events) == 0 || msgs != nil || err != nil {
		t.Errorf("the built-ins: %d events, watched %v, %v", len(u.events), msgs, err)
	}
}
