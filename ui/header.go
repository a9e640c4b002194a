package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// headerData is what the header shows besides the time.
type headerData struct {
	Health   feeds.Health
	Snapshot time.Time // non-zero while a disk snapshot is on screen
	Range    feeds.Range
	Currency string
	Set      watchlists.Set
	Quotes   map[string]feeds.Quote
}

// header is the top line: name, feed badge, market clocks, range and time.
type header struct {
	styles    *Styles
	width     int
	now       time.Time
	data      headerData
	exchanges []market.Exchange // the markets the watchlists trade on, US first
	view      string            // rendered on every change, so frames in between cost nothing
}

func newHeader(s *Styles) header { return header{styles: s} }

func (h *header) SetSize(w int) {
	h.width = w
	h.view = h.render()
}

func (h *header) SetNow(now time.Time) {
	h.now = now
	h.view = h.render()
}

func (h *header) SetData(d headerData) {
	h.data = d
	h.exchanges = exchangesOf(d.Set)
	h.view = h.render()
}

// exchangesOf lists the calendars of the set's listings in the order
// market.Exchanges gives (US first, then through the trading day), leaving
// out FX, which trades around the clock.
func exchangesOf(set watchlists.Set) []market.Exchange {
	used := map[string]bool{"US": true}
	for _, sym := range set.Symbols() {
		used[market.ForSymbol(sym).Code] = true
	}
	var out []market.Exchange
	for _, ex := range market.Exchanges() {
		if used[ex.Code] && ex.Code != "CCY" {
			out = append(out, ex)
		}
	}
	return out
}

func (h header) View() string { return h.view }

func (h header) render() string {
	left := h.styles.Title.Render("rotation") + " " + h.badge()
	right := h.styles.Bold.Render(string(h.data.Range)+" "+h.data.Currency) + "  " + h.now.Format("15:04:05")
	room := h.width - ansi.StringWidth(left) - ansi.StringWidth(right) - 4
	var clocks []string
	for _, ex := range h.exchanges {
		c := h.clock(ex)
		if room-ansi.StringWidth(c)-3 < 0 {
			break
		}
		room -= ansi.StringWidth(c) + 3
		clocks = append(clocks, c)
	}
	mid := strings.Join(clocks, h.styles.Muted.Render(" · "))
	gap := h.width - ansi.StringWidth(left) - ansi.StringWidth(mid) - ansi.StringWidth(right) - 4
	return truncate(left+"  "+mid+strings.Repeat(" ", max(gap, 1))+"  "+right, h.width)
}

// badge says at a glance how far to trust the prices, coloured by severity.
func (h header) badge() string {
	hl := h.data.Health
	text, sev := "CONNECTING", SevInfo
	switch hl.State {
	case feeds.StateLive:
		text, sev = "LIVE", SevOK
	case feeds.StateDelayed:
		text, sev = fmt.Sprintf("DELAYED %dm", hl.Delay), SevInfo
	case feeds.StateSimulated:
		text, sev = "SIMULATED", SevWarn
	case feeds.StateReplay:
		text, sev = "REPLAY", SevInfo
		if hl.Speed > 0 {
			text = fmt.Sprintf("REPLAY x%g", hl.Speed)
		} else if hl.Speed == 0 {
			text = "REPLAY max"
		}
	case feeds.StateStale:
		text, sev = "STALE "+span(h.now.Sub(hl.Since)), SevWarn
	case feeds.StateRateLimited:
		text, sev = "RATE-LIMITED until "+hl.Until.In(h.now.Location()).Format("15:04"), SevBad
	case feeds.StateAuthFailing:
		text, sev = "AUTH FAILING", SevBad
	case feeds.StateLimited:
		text, sev = "LIMITED prices from charts, no pre/post", SevWarn
	case feeds.StateOffline:
		text, sev = "OFFLINE", SevBad
	}
	if hl.Simulated && hl.State != feeds.StateSimulated {
		text += " SIMULATED"
	}
	if !h.data.Snapshot.IsZero() {
		text, sev = "SNAPSHOT "+span(h.now.Sub(h.data.Snapshot))+" old", SevWarn
	}
	return h.styles.Badge[sev].Render(text)
}

// clock is one market's state in its own time: "US OPEN closes in 2h13m",
// "JPX CLOSED opens Mon 09:00".
func (h header) clock(ex market.Exchange) string {
	state := ex.State(h.now)
	name := h.styles.Bold.Render(ex.Code)
	switch state {
	case feeds.Regular:
		return name + " " + h.styles.Up.Render("OPEN") + h.styles.Muted.Render(" closes in "+span(ex.NextClose(h.now).Sub(h.now)))
	case feeds.Pre, feeds.Post:
		return name + " " + h.styles.Info.Render(string(state)) +
			h.styles.Muted.Render(" opens "+h.when(ex, ex.NextOpen(h.now)))
	default:
		return name + " " + h.styles.Muted.Render("CLOSED opens "+h.when(ex, ex.NextOpen(h.now)))
	}
}

// when is a local opening time: "09:30" today, "Mon 09:30" on another day.
func (h header) when(ex market.Exchange, t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	lt, ln := t.In(ex.Location()), h.now.In(ex.Location())
	if lt.YearDay() == ln.YearDay() && lt.Year() == ln.Year() {
		return lt.Format("15:04")
	}
	return lt.Format("Mon 15:04")
}
