package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/ui"
	"github.com/rotation-dev/rotation/watchlists"
)

// TestUserFilesReloadOnSave: the monitor's watcher hands each save of the
// holdings file to the UI parsed, and a deletion as an empty book.
func TestUserFilesReloadOnSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "holdings.yaml")
	if err := os.WriteFile(path, []byte("positions:\n  - {symbol: NVDA, quantity: 1, cost: 100}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	u := loadUserFiles(config{holdings: path, alerts: "none"}, watchlists.Defaults(), env())
	if len(u.errs) > 0 || len(u.holdings.Lots) != 1 {
		t.Fatalf("loaded %+v, errors %v", u.holdings, u.errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, err := watchUserFiles(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	next := func() ui.HoldingsChangedMsg {
		t.Helper()
		select {
		case m := <-msgs:
			return m.(ui.HoldingsChangedMsg)
		case <-time.After(5 * time.Second):
			t.Fatal("no reload within 5 s")
		}
		return ui.HoldingsChangedMsg{}
	}
	if err := os.WriteFile(path, []byte("positions:\n  - {symbol: AMD, quantity: 2, cost: 90}\n  - {symbol: NVDA, quantity: 1, cost: 100}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m := next(); m.Errs != nil || len(m.Holdings.Lots) != 2 || m.Holdings.Lots[0].Symbol != "AMD" {
		t.Errorf("after a save: %+v", m)
	}
	// A save with two mistakes reports both, each at its line.
	if err := os.WriteFile(path, []byte("positions:\n  - {symbol: AMD, quantity: 0, cost: 90}\n  - {symbol: NVDA, quantity: 1, cots: 100}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m := next(); len(m.Errs) < 2 || m.Errs[0].Line != 2 || m.Errs[len(m.Errs)-1].Line != 3 {
		t.Errorf("a broken save: %+v", m)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if m := next(); m.Errs != nil || len(m.Holdings.Lots) != 0 {
		t.Errorf("after deletion: %+v", m)
	}
}

// TestUserFileFIFOIsRefusedNotWaitedOn: a named pipe where the holdings
// file should be is an error at once, not a start-up that hangs.
func TestUserFileFIFOIsRefusedNotWaitedOn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "holdings.yaml")
	if err := exec.Command("mkfifo", path).Run(); err != nil {
		t.Skip("mkfifo:", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan userFiles, 1)
	go func() { // loading and starting to watch, as the monitor does
		u := loadUserFiles(config{holdings: path, alerts: "none"}, watchlists.Defaults(), env())
		if _, err := watchUserFiles(ctx, u); err != nil {
			t.Errorf("watching: %v", err)
		}
		done <- u
	}()
	select {
	case u := <-done:
		if len(u.errs) != 1 || !strings.Contains(u.errs[0].Msg, "named pipe") {
			t.Errorf("errors %v", u.errs)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("loading or watching a FIFO hangs")
	}
}
