package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// quotesUpdatedMsg carries one completed refresh from the poller.
type quotesUpdatedMsg struct{ feeds.Update }

// watchlistsReloadedMsg carries one save of the watchlist directory.
type watchlistsReloadedMsg struct{ watchlists.Reload }

// clockTickedMsg drives the 1 Hz redraw of clocks and ages.
type clockTickedMsg struct{ Now time.Time }

// editorClosedMsg says the user's editor exited.
type editorClosedMsg struct {
	File string
	Err  error
}

// WatchlistsInitializedMsg says the built-in watchlists were written to Dir
// (so they can be edited) and that Dir is now being watched.
type WatchlistsInitializedMsg struct {
	Dir     string
	Set     watchlists.Set
	Errors  []*watchlists.FileError
	Reloads <-chan watchlists.Reload
	Err     error
}

// noticedMsg carries a diagnostic that would otherwise have gone to stderr
// behind the screen (a snapshot that could not be written, a warning found
// before the screen started); it shows in the status line.
type noticedMsg struct{ Text string }

// noticesClosedMsg says no more notices will come.
type noticesClosedMsg struct{}

func waitForNotice(ch <-chan string) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		n, ok := <-ch
		if !ok {
			return noticesClosedMsg{}
		}
		return noticedMsg{n}
	}
}

// updatesClosedMsg says the poller stopped; nothing more will arrive.
type updatesClosedMsg struct{}

// reloadsClosedMsg says the watcher stopped.
type reloadsClosedMsg struct{}

func waitForUpdate(ch <-chan feeds.Update) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return updatesClosedMsg{}
		}
		return quotesUpdatedMsg{u}
	}
}

func waitForReload(ch <-chan watchlists.Reload) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return reloadsClosedMsg{}
		}
		return watchlistsReloadedMsg{r}
	}
}

func tickEvery(clock feeds.Clock) tea.Cmd {
	return tea.Every(time.Second, func(time.Time) tea.Msg { return clockTickedMsg{clock()} })
}
