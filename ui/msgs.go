package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// QuotesUpdatedMsg carries one completed refresh from the poller.
type QuotesUpdatedMsg struct{ feeds.Update }

// WatchlistsReloadedMsg carries one save of the watchlist directory.
type WatchlistsReloadedMsg struct{ watchlists.Reload }

// ClockTickedMsg drives the 1 Hz redraw of clocks and ages.
type ClockTickedMsg struct{ Now time.Time }

// EditorClosedMsg says the user's editor exited.
type EditorClosedMsg struct {
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

// NoticedMsg carries a diagnostic that would otherwise have gone to stderr
// behind the screen (a snapshot that could not be written, a warning found
// before the screen started); it shows in the status line.
type NoticedMsg struct{ Text string }

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
		return NoticedMsg{n}
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
		return QuotesUpdatedMsg{u}
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
		return WatchlistsReloadedMsg{r}
	}
}

func tickEvery(clock feeds.Clock) tea.Cmd {
	return tea.Every(time.Second, func(time.Time) tea.Msg { return ClockTickedMsg{clock()} })
}
