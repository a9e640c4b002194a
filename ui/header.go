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

// SetHealth is the feed's health alone, all a frame of trades can change
// here (the badge): drawn again only when it did.
func (h *header) SetHealth(hl feeds.Health) {
	if hl != h.data.Health {
		h.data.Health = hl
		h.view = h.render()
	}
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
	right := h.styles.Bold.Render(string(h.data.Range)+" "+h.data.Currency) + "  " + h.now.Format("15:04")
	room := h.width - ansi.StringWidth(left) - ansi.StringWidth(right) - 4
	mid := h.clocks(room)
	gap := h.width - ansi.StringWidth(left) - ansi.StringWidth(mid) - ansi.StringWidth(right) - 4
	return truncate(left+"  "+mid+strings.Repeat(" ", max(gap, 0))+"  "+right, h.width)
}

// clocks fits every market of the lists into room cells: each in full
// ("US OPEN closes in 2h13m"), else each in short ("US OPEN 2h13m"), else by
// region ("Europe 3/5 OPEN"), so a narrow screen leaves none out.
func (h header) clocks(room int) string {
	sep := h.styles.Muted.Render(" · ")
	for _, one := range []func(market.Exchange) string{h.clock, h.shortClock} {
		parts := make([]string, len(h.exchanges))
		for i, ex := range h.exchanges {
			parts[i] = one(ex)
		}
		if line := strings.Join(parts, sep); ansi.StringWidth(line) <= room {
			return line
		}
	}
	if line := strings.Join(h.regions(false), sep); ansi.StringWidth(line) <= room {
		return line
	}
	return truncate(strings.Join(h.regions(true), sep), max(room-1, 0))
}

// shortClock is a market's state and, while it trades, the time to its close.
func (h header) shortClock(ex market.Exchange) string {
	name := h.styles.Bold.Render(ex.Code)
	switch state := ex.State(h.now); state {
	case feeds.Regular:
		return name + " " + h.styles.Up.Render("OPEN") + h.styles.Muted.Render(" "+span(ex.NextClose(h.now).Sub(h.now)))
	case feeds.Pre, feeds.Post:
		return name + " " + h.styles.Info.Render(string(state))
	}
	return name + " " + h.styles.Muted.Render("CLOSED")
}

// regions groups the markets as Americas, Europe and Asia (short: AM, EU,
// ASIA), each with how many of its markets trade.
func (h header) regions(short bool) []string {
	type region struct {
		name      string
		open, all int
		ext       feeds.MarketState // PRE or POST, when a market is in one
	}
	var order []*region
	byName := map[string]*region{}
	for _, ex := range h.exchanges {
		name := "Asia"
		switch {
		case strings.HasPrefix(ex.TZ, "America/"):
			name = "Americas"
		case strings.HasPrefix(ex.TZ, "Europe/"), strings.HasPrefix(ex.TZ, "Africa/"):
			name = "Europe"
		}
		r := byName[name]
		if r == nil {
			r = &region{name: name}
			byName[name] = r
			order = append(order, r)
		}
		r.all++
		switch st := ex.State(h.now); st {
		case feeds.Regular:
			r.open++
		case feeds.Pre, feeds.Post:
			r.ext = st
		}
	}
	abbrev := map[string]string{"Americas": "AM", "Europe": "EU", "Asia": "ASIA"}
	out := make([]string, len(order))
	for i, r := range order {
		if short {
			r.name = abbrev[r.name]
		}
		switch {
		case r.open == 0 && r.ext != "":
			out[i] = h.styles.Bold.Render(r.name) + " " + h.styles.Info.Render(string(r.ext))
		case r.open == 0:
			out[i] = h.styles.Bold.Render(r.name) + " " + h.styles.Muted.Render("CLOSED")
		case r.all == 1 || r.open == r.all:
			out[i] = h.styles.Bold.Render(r.name) + " " + h.styles.Up.Render("OPEN")
		default:
			out[i] = h.styles.Bold.Render(r.name) + " " + h.styles.Up.Render(fmt.Sprintf("%d/%d OPEN", r.open, r.all))
		}
	}
	return out
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
	// How prices arrive, once a stream is asked for: pushed as trades
	// happen, or polled while the stream connects or is down.
	switch hl.Stream {
	case feeds.StreamLive:
		text += " · STREAM"
	case feeds.StreamConnecting, feeds.StreamDown:
		text += " · POLL"
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

// when is an opening time in the market's own zone, which it names: "09:30
// EST" today, "Mon 09:00 JST" on another day.
func (h header) when(ex market.Exchange, t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	lt, ln := t.In(ex.Location()), h.now.In(ex.Location())
	if lt.YearDay() == ln.YearDay() && lt.Year() == ln.Year() {
		return lt.Format("15:04 MST")
	}
	return lt.Format("Mon 15:04 MST")
}
