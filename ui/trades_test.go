package ui

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// traded is u after the poller applied a regular trade of sym at price:
// the same refresh, one more trade.
func traded(u feeds.Update, sym string, price float64, at time.Time) feeds.Update {
	u.Quotes = maps.Clone(u.Quotes)
	q := u.Quotes[sym]
	q.Price, q.QuoteTime, q.LastTrade, q.MarketState = price, at, at, feeds.Regular
	if q.PreviousClose > 0 {
		q.Change, q.ChangePercent = price-q.PreviousClose, 100*(price/q.PreviousClose-1)
	}
	u.Quotes[sym] = q
	u.At, u.Ticks = at, u.Ticks+1
	return u
}

// streaming is m once the poller has said the stream is live: a whole
// refresh, after which trades are repriced.
func streaming(m Model) Model {
	u := m.update
	u.Refreshes++
	u.Health.Stream = feeds.StreamLive
	return step(m, quotesUpdatedMsg{u})
}

// gpuTab opens the segment tab that holds NVDA.
func gpuTab(tb testing.TB, m Model) Model {
	tb.Helper()
	for i, seg := range m.set.Segments {
		for _, s := range seg.Symbols {
			if s.Symbol == "NVDA" {
				return step(m, keyRune(rune('1'+i)))
			}
		}
	}
	tb.Fatal("no segment holds NVDA")
	return m
}

func TestATradeRepricesAsAWholeRefreshWould(t *testing.T) {
	m := streaming(simModel(t, watchlists.Defaults(), 160, 48))
	if m.update.Refreshes == 0 {
		t.Fatal("the first refresh carries no refresh count")
	}
	// Two frames of trades: NVDA and TSM, then SPY (every segment's
	// excess) and NVDA again, so the second frame keeps cards of the first.
	nvda := m.update.Quotes["NVDA"]
	u := traded(m.update, "NVDA", nvda.Price+1.25, testNow.Add(time.Second))
	u = traded(u, "TSM", u.Quotes["TSM"].Price-0.5, testNow.Add(time.Second))
	byTrade := step(step(m, quotesUpdatedMsg{u}), tradesDueMsg{})
	u = traded(u, "SPY", u.Quotes["SPY"].Price+0.05, testNow.Add(2*time.Second))
	u = traded(u, "NVDA", nvda.Price+1.5, testNow.Add(2*time.Second))
	byTrade = step(step(byTrade, quotesUpdatedMsg{u}), tradesDueMsg{})
	if !byTrade.behind {
		t.Fatal("the trades were computed whole, not repriced")
	}
	whole := u
	whole.Refreshes++
	byRefresh := step(m, quotesUpdatedMsg{whole})
	if g, w := reportJSON(t, byTrade), reportJSON(t, byRefresh); g != w {
		t.Errorf("repriced report differs from a whole compute:\n got %.400s\nwant %.400s", g, w)
	}
	if g, w := gpuTab(t, byTrade).View().Content, gpuTab(t, byRefresh).View().Content; g != w {
		t.Errorf("the screens differ:\n%s\n---\n%s", ansi.Strip(g), ansi.Strip(w))
	}
	// On the overview a frame of trades keeps the charts drawn within the
	// last second; every figure and card is as a whole draw has it.
	if g, w := figureLines(byTrade), figureLines(byRefresh); g != w || strings.Count(g, "\n") < 10 {
		t.Errorf("the overview's figures differ:\n%s\n---\n%s", g, w)
	}
}

// figureLines are the overview's lines of figures: the eras' stats and
// everything from the segments' caption down.
func figureLines(m Model) string {
	var out []string
	cards := false
	for _, l := range strings.Split(ansi.Strip(m.View().Content), "\n") {
		cards = cards || strings.HasPrefix(l, "Segments ·")
		if cards || strings.Contains(l, "│ Inference ") || strings.Contains(l, "│ Training ") || strings.Contains(l, "│ flows ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func reportJSON(t *testing.T, m Model) string {
	t.Helper()
	b, err := json.Marshal(m.report)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestATradeFlashesAndShowsItsAge(t *testing.T) {
	m := gpuTab(t, streaming(simModel(t, watchlists.Defaults(), 160, 48)))
	row := func(m Model) string {
		for _, l := range strings.Split(ansi.Strip(m.View().Content), "\n") {
			if strings.Contains(l, " NVDA ") {
				return l
			}
		}
		t.Fatal("no NVDA row")
		return ""
	}
	if strings.Contains(row(m), "Trade") || strings.Contains(ansi.Strip(m.View().Content), "Trade ") {
		t.Errorf("a polled market shows a Trade column:\n%s", ansi.Strip(m.View().Content))
	}
	nvda := m.update.Quotes["NVDA"]
	m = step(step(m, quotesUpdatedMsg{traded(m.update, "NVDA", nvda.Price+1, testNow)}), tradesDueMsg{})
	if r := row(m); !strings.Contains(r, "↑") || !strings.Contains(r, " 0s ") {
		t.Errorf("after an up trade the row is %q; want an up arrow and an age of 0s", r)
	}
	if !strings.Contains(ansi.Strip(m.View().Content), "Trade") {
		t.Error("no Trade column once trades come")
	}
	m = step(step(m, quotesUpdatedMsg{traded(m.update, "NVDA", nvda.Price-1, testNow)}), tradesDueMsg{})
	if r := row(m); !strings.Contains(r, "↓") {
		t.Errorf("after a down trade the row is %q; want a down arrow", r)
	}
	m = step(m, clockTickedMsg{testNow.Add(2 * time.Second)})
	if r := row(m); strings.ContainsAny(r, "↑↓") || !strings.Contains(r, " 2s ") {
		t.Errorf("two seconds on the row is %q; want no arrow and an age of 2s", r)
	}
}

func TestTheBadgeSaysHowPricesArrive(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 160, 48)
	top := func(m Model) string { return ansi.Strip(strings.SplitN(m.View().Content, "\n", 2)[0]) }
	u := m.update
	u.Refreshes++
	u.Health.Stream = feeds.StreamLive
	m = step(m, quotesUpdatedMsg{u})
	if !strings.Contains(top(m), "SIMULATED · STREAM") {
		t.Errorf("streaming, the top line is %q", top(m))
	}
	u.Refreshes++
	u.Health.Stream, u.Health.StreamDetail = feeds.StreamDown, "stream down (the streamer answered 429), polling every 15 s"
	m = step(m, quotesUpdatedMsg{u})
	if !strings.Contains(top(m), "SIMULATED · POLL") {
		t.Errorf("stream down, the top line is %q", top(m))
	}
	if s := ansi.Strip(m.statusLine()); !strings.HasPrefix(s, "stream down (the streamer answered 429), polling every 15 s.") {
		t.Errorf("stream down, the status line is %q", s)
	}
}

// BenchmarkTrade is the work one streamed trade costs the UI on the default
// lists, drawn in a frame of its own: its price repriced through the
// report, the tab on screen (the overview, or the segment tab holding the
// symbol) given it.
func BenchmarkTrade(b *testing.B) {
	for _, tab := range []string{"overview", "segment"} {
		b.Run(tab, func(b *testing.B) {
			m := streaming(simModel(b, watchlists.Defaults(), 160, 48))
			if tab == "segment" {
				m = gpuTab(b, m)
			}
			u := m.update
			base := u.Quotes["NVDA"].Price
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				u = traded(u, "NVDA", math.Round(100*base+float64(i%7))/100, testNow)
				m = step(step(m, quotesUpdatedMsg{u}), tradesDueMsg{})
			}
			if !m.behind {
				b.Fatal("the trades were computed whole")
			}
		})
	}
}

// Trades that move only prices are never computed whole again on their
// own; a bar they add waits at most 5 s, an FX rate at most 30 s.
func TestWhatTradesMoveBeyondPricesCatchesUp(t *testing.T) {
	m := streaming(simModel(t, watchlists.Defaults(), 160, 48))
	trade := func(m Model, u feeds.Update, sym string) (Model, feeds.Update) {
		u = traded(u, sym, math.Round(100*u.Quotes[sym].Price+1)/100, testNow)
		return step(step(m, quotesUpdatedMsg{u}), tradesDueMsg{}), u
	}
	at := func(m Model, d time.Duration) Model { return step(m, clockTickedMsg{testNow.Add(d)}) }

	m, u := trade(m, m.update, "NVDA")
	if m = at(m, time.Minute); !m.behind {
		t.Error("a price alone was computed whole")
	}
	u.Bars++
	m, u = trade(m, u, "NVDA")
	if m = at(m, time.Minute+4*time.Second); !m.behind {
		t.Error("a new bar was computed whole before 5 s")
	}
	if m = at(m, time.Minute+5*time.Second); m.behind {
		t.Error("a new bar waited past 5 s")
	}
	var fx string
	for sym := range u.Quotes {
		if strings.HasSuffix(sym, "=X") {
			fx = sym
			break
		}
	}
	if fx == "" {
		t.Fatal("no FX pair is watched")
	}
	m, _ = trade(m, u, fx)
	if m = at(m, time.Minute+30*time.Second); !m.behind {
		t.Error("an FX rate was computed whole before 30 s")
	}
	if m = at(m, time.Minute+35*time.Second); m.behind {
		t.Error("an FX rate waited past 30 s")
	}
}

// Without a live stream nothing is kept to reprice, and an update of
// trades is computed whole.
func TestNothingIsKeptToRepriceWhilePolled(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 160, 48)
	if m.live != nil {
		t.Fatal("a polled market keeps what trades reprice")
	}
	m = step(step(m, quotesUpdatedMsg{traded(m.update, "NVDA", m.update.Quotes["NVDA"].Price+1, testNow)}), tradesDueMsg{})
	if m.behind || m.report.Segments == nil {
		t.Error("a trade without a live stream was not computed whole")
	}
}

// A frame of trades keeps the chart drawn within chartHold; anything else
// (a theme, a size, new data) draws it afresh.
func TestOnlyTradesKeepAChart(t *testing.T) {
	m := gpuTab(t, streaming(simModel(t, watchlists.Defaults(), 160, 48)))
	v := m.activeSegment()
	if v.chart == "" {
		t.Fatal("no chart under the table at 160x48")
	}
	d := v.data
	moved := d
	moved.Segment.Index.Values = slices.Clone(d.Segment.Index.Values)
	moved.Segment.Index.Values[len(moved.Segment.Index.Values)-1] *= 1.05
	fresh := newSegmentView(m.styles)
	fresh.SetSize(v.width, v.height)
	fresh.SetData(moved)

	before := v.chart
	moved.Trades = true
	v.SetData(moved)
	if v.chart != before {
		t.Error("a frame of trades drew the chart again within chartHold")
	}
	v.Restyle()
	if v.chart != fresh.chart || v.chart == before {
		t.Error("a new theme kept the chart a frame of trades had kept")
	}
}
