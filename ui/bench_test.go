package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/watchlists"
)

// simModel is the full app on the default watchlists after one simulated
// refresh, sized w×h: what a person sees a moment after start-up.
func simModel(tb testing.TB, set watchlists.Set, w, h int) Model {
	tb.Helper()
	return simModelWith(tb, Options{Set: set}, w, h)
}

// simModelWith is simModel with more options (the holdings, say); the
// source, clock, range, currency and benchmark are simModel's.
func simModelWith(tb testing.TB, opts Options, w, h int) Model {
	tb.Helper()
	opts.Source, opts.Clock, opts.Range, opts.Currency, opts.Benchmark = idleSource{}, fixedClock, feeds.Range1D, "local", "SPY"
	m := New(opts)
	m = step(m, tea.WindowSizeMsg{Width: w, Height: h})
	for _, u := range firstRefresh(watchedSymbols(m), m.rng) {
		u.Generation = m.generation
		m = step(m, quotesUpdatedMsg{u})
	}
	if len(m.report.Segments) == 0 {
		tb.Fatal("no report after a refresh")
	}
	return m
}

// firstRefreshes holds the updates of the seeded market's first refresh
// by what was watched: the same for every test at the fixed clock, and,
// with ten years of daily closes for every symbol, worth making once.
var firstRefreshes sync.Map // string -> []feeds.Update

// firstRefresh is the updates, up to the first complete one, of a poller
// on the seeded simulated market at fixedClock watching symbols on r.
// Updates are never modified once sent, so they are shared.
func firstRefresh(symbols []string, r feeds.Range) []feeds.Update {
	key := string(r) + " " + strings.Join(symbols, ",")
	if us, ok := firstRefreshes.Load(key); ok {
		return us.([]feeds.Update)
	}
	feed := sim.New(sim.Options{Seed: 7, Clock: fixedClock})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := feeds.NewPoller(feed, feeds.PollerOptions{Clock: fixedClock, Refresh: time.Hour}, nil)
	go p.Run(ctx)
	p.SetWatch(feeds.Watch{Generation: 1, Symbols: symbols, Range: r})
	var out []feeds.Update
	for u := range p.Updates() {
		out = append(out, u)
		if u.Complete {
			break
		}
	}
	firstRefreshes.Store(key, out)
	return out
}

func watchedSymbols(m Model) []string {
	var w feeds.Watch
	src := &recordingSource{}
	m.opts.Source = src
	if cmd := m.watchCmd(); cmd != nil {
		cmd()
	}
	w = src.watch
	return w.Symbols
}

type recordingSource struct {
	idleSource
	watch feeds.Watch
}

func (r *recordingSource) SetWatch(w feeds.Watch) { r.watch = w }

// BenchmarkView renders full frames at 200x60 with the default watchlists:
// the Rotation tab and a segment tab. View runs after every message.
func BenchmarkView(b *testing.B) {
	for _, tab := range []struct {
		name string
		key  rune
	}{{"rotation", '0'}, {"segment", '3'}} {
		b.Run(tab.name, func(b *testing.B) {
			m := simModel(b, watchlists.Defaults(), 200, 60)
			m = step(m, keyRune(tab.key))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkRefresh is the work one feed update costs the UI: baskets, then
// every view's cached rendering.
func BenchmarkRefresh(b *testing.B) {
	m := simModel(b, watchlists.Defaults(), 200, 60)
	u := m.update
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m = step(m, quotesUpdatedMsg{u})
	}
}

func TestFullFrameFitsTheScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}, {200, 60}} {
		m := simModel(t, watchlists.Defaults(), size[0], size[1])
		for _, key := range []rune{'0', '3', '9'} {
			m = step(m, keyRune(key))
			requireFits(t, fmt.Sprintf("%dx%d tab %c", size[0], size[1], key), m.View().Content, size[0], size[1])
			if got := strings.Count(m.View().Content, "\n") + 1; got != size[1] {
				t.Errorf("%dx%d tab %c: %d lines, want exactly %d", size[0], size[1], key, got, size[1])
			}
		}
	}
}

// TestAppGolden is the whole screen from the seeded simulated market at a
// fixed clock: the Rotation tab and a segment tab at three sizes, and one
// on a light background.
func TestAppGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}, {200, 60}} {
		for _, tab := range []rune{'0', '3'} {
			t.Run(fmt.Sprintf("%dx%d-tab%c", size[0], size[1], tab), func(t *testing.T) {
				m := simModel(t, watchlists.Defaults(), size[0], size[1])
				m = step(m, clockTickedMsg{testNow})
				m = step(m, keyRune(tab))
				requireGolden(t, m.View().Content)
			})
		}
		t.Run(fmt.Sprintf("%dx%d-detail", size[0], size[1]), func(t *testing.T) {
			m := simModel(t, watchlists.Defaults(), size[0], size[1])
			m = step(m, clockTickedMsg{testNow})
			m = step(step(m, keyRune('3')), keyEnter)
			requireGolden(t, m.View().Content)
		})
	}
	for _, tab := range []rune{'0', '3'} {
		// The theme changes after the figures are drawn: every view redraws.
		t.Run(fmt.Sprintf("light-120x40-tab%c", tab), func(t *testing.T) {
			m := simModel(t, watchlists.Defaults(), 120, 40)
			m = step(m, keyRune(tab))
			before := &m.report.Segments[0]
			m = step(m, tea.BackgroundColorMsg{Color: lightBackground})
			if &m.report.Segments[0] != before {
				t.Error("a theme change recomputed the figures")
			}
			m = step(m, clockTickedMsg{testNow})
			requireGolden(t, m.View().Content)
		})
	}
}

var lightBackground = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
