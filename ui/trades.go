package ui

import (
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
)

const (
	// tradeFrame is the least time between two frames of trades: those
	// that come in between are drawn together, one reprice and one frame
	// however many came.
	tradeFrame = 150 * time.Millisecond
	// flashFor is how long a price that moved shows its direction.
	flashFor = time.Second
	// Trades reprice prices in place; what they move beyond prices waits
	// for a whole compute, at most this long: a bar they added to an
	// intraday series (the charts' times), and FX rates (the converted
	// prices, flows in dollars), which trade all day and move little.
	barsCatchUp = 5 * time.Second
	fxCatchUp   = 30 * time.Second
)

// flashMark is a price's last move, shown for flashFor from at.
type flashMark struct {
	dir tone // toneUp or toneDown
	at  time.Time
}

// on reports whether the mark still shows at now.
func (f flashMark) on(now time.Time) bool { return f.dir != toneNone && now.Sub(f.at) < flashFor }

// tradesOnly reports whether u differs from the update held only by
// streamed trades: the same refresh, and trades applied since.
func (m Model) tradesOnly(u feeds.Update) bool {
	return m.live != nil && m.update.Refreshes != 0 && u.Refreshes == m.update.Refreshes && u.Ticks > m.update.Ticks
}

// noteMoves marks the prices that moved from prev to next for their flash,
// and lists the symbols whose regular price moved.
func (m *Model) noteMoves(prev, next feeds.Update) (moved []string) {
	if len(prev.Quotes) == 0 {
		return nil
	}
	if m.flashes == nil {
		m.flashes = map[string]flashMark{}
	}
	for sym, q := range next.Quotes {
		old, ok := prev.Quotes[sym]
		if !ok || old.Price == q.Price {
			continue
		}
		moved = append(moved, sym)
		dir := toneUp
		if q.Price < old.Price {
			dir = toneDown
		}
		m.flashes[sym] = flashMark{dir: dir, at: next.At}
	}
	return moved
}

// tradesDueMsg says the trades gathered over a tradeFrame are to be drawn.
type tradesDueMsg struct{}

// gatherTrades draws the symbols a trades-only update moved: at once when
// no frame of trades was drawn within tradeFrame, else with the others
// that come until then, in one frame the first of them schedules.
func (m Model) gatherTrades(moved []string, next tea.Cmd) (tea.Model, tea.Cmd) {
	if m.moved == nil {
		m.moved = map[string]bool{}
	}
	for _, sym := range moved {
		m.moved[sym] = true
	}
	if m.framing {
		return m, next
	}
	if wait := tradeFrame - m.opts.Clock().Sub(m.drawnAt); wait > 0 {
		m.framing = true
		return m, tea.Batch(next, tea.Tick(wait, func(time.Time) tea.Msg { return tradesDueMsg{} }))
	}
	drawn, cmd := m.tradesDue()
	return drawn, tea.Batch(next, cmd)
}

// tradesDue draws the trades gathered: repriced in place when they allow,
// else computed whole.
func (m Model) tradesDue() (tea.Model, tea.Cmd) {
	m.framing = false
	if len(m.moved) == 0 { // a refresh since has computed them whole
		return m, nil
	}
	m.drawnAt = m.opts.Clock()
	moved := slices.Sorted(maps.Keys(m.moved))
	clear(m.moved)
	if !m.tradesArrived(moved) {
		m.recompute()
	}
	return m.alertsChecked(nil)
}

// tradesArrived reprices the report for trades: the rows, segments, eras,
// spread, lines and horizons a moved price feeds, in place of a whole
// compute. It reports false when the trades reach further (see
// baskets.Live.Reprice); the caller then computes afresh.
func (m *Model) tradesArrived(moved []string) bool {
	var priced []string // FX rates wait for the catch-up: they move every converted row
	for _, sym := range moved {
		if !market.IsPair(sym) {
			priced = append(priced, sym)
		}
	}
	m.behind = true
	switch {
	case m.update.Bars != m.computedBars:
		m.catchUpBy(barsCatchUp)
	case len(priced) < len(moved):
		m.catchUpBy(fxCatchUp)
	}
	if len(priced) == 0 {
		m.syncSegment(true) // flashes and trade ages
		return true
	}
	u := m.update
	rep, ok := m.live.Reprice(u.Quotes, priced, m.now, u.Health, m.staleSymbols())
	if !ok {
		return false
	}
	m.report = rep
	m.header.SetHealth(u.Health)
	// Only the tab on screen is drawn; the others catch up when opened
	// (tabChanged) or at the next whole compute.
	switch {
	case m.tabs.OnOverview():
		m.rotation.SetTrades(rep)
	case m.tabs.OnBook():
		m.recomputeBook()
	}
	m.syncSegment(true)
	if m.detail.Open() {
		m.detail.SetData(m.detailData(m.detail.Symbol()))
	}
	if m.attribution.Open() {
		m.attribution.SetData(m.attributionData())
	}
	return true
}

// staleSymbols marks the symbols whose last good quote is older than
// staleAfter.
func (m Model) staleSymbols() map[string]bool {
	stale := map[string]bool{}
	for sym, at := range m.update.LastGood {
		stale[sym] = m.now.Sub(at) > staleAfter
	}
	return stale
}

func (m Model) headerData() headerData {
	u := m.update
	return headerData{Health: u.Health, Snapshot: u.Snapshot, Range: m.rng, Currency: m.currency, Set: m.set}
}

// computeReport is the whole report of the update held, with what Reprice
// needs to keep it up to date between refreshes.
func (m *Model) computeReport() {
	u := m.update
	in := baskets.NewInput(m.set, u, baskets.Settings{Range: m.rng, Currency: m.currency, Benchmark: m.opts.Benchmark,
		RotationMode: m.mapMode, Weighting: m.weighting}, m.now, m.staleSymbols())
	// What Live keeps to reprice (the prices, bases and lines of the range
	// and every horizon, about 3 MB on the default lists) is kept only
	// while trades come to reprice.
	if u.Health.Stream == feeds.StreamLive {
		m.report, m.live = baskets.ComputeLive(in, u.SeriesFor, alerts.Ranges(m.rules)...)
	} else {
		m.report, m.live = baskets.ComputeAll(in, u.SeriesFor, alerts.Ranges(m.rules)...), nil
	}
	m.computedBars, m.behind, m.catchUpAt = u.Bars, false, time.Time{}
}

// catchUpBy asks for a whole compute within wait of now, or sooner.
func (m *Model) catchUpBy(wait time.Duration) {
	if at := m.now.Add(wait); m.catchUpAt.IsZero() || at.Before(m.catchUpAt) {
		m.catchUpAt = at
	}
}

// catchUp computes afresh once what trades moved beyond prices has waited
// as long as it may (barsCatchUp, fxCatchUp).
func (m *Model) catchUp() {
	if !m.catchUpAt.IsZero() && !m.now.Before(m.catchUpAt) {
		m.recompute()
	}
}
