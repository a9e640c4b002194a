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

// waitOn is a Cmd that delivers the next value of ch as a message (wrapped
// by msg), or closed once ch is closed; nil for no channel.
func waitOn[T any](ch <-chan T, msg func(T) tea.Msg, closed tea.Msg) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		v, ok := <-ch
		if !ok {
			return closed
		}
		return msg(v)
	}
}

func waitForUpdate(ch <-chan feeds.Update) tea.Cmd {
	return waitOn(ch, func(u feeds.Update) tea.Msg { return quotesUpdatedMsg{u} }, updatesClosedMsg{})
}

func waitForReload(ch <-chan watchlists.Reload) tea.Cmd {
	return waitOn(ch, func(r watchlists.Reload) tea.Msg { return watchlistsReloadedMsg{r} }, reloadsClosedMsg{})
}

func tickEvery(clock feeds.Clock) tea.Cmd {
	return tea.Every(time.Second, func(time.Time) tea.Msg { return clockTickedMsg{clock()} })
}
