package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

func TestHeaderBadgeSaysHowFarToTrustThePrices(t *testing.T) {
	now := time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)
	cases := []struct {
		health   feeds.Health
		snapshot time.Time
		want     string
	}{
		{feeds.Health{State: feeds.StateLive}, time.Time{}, "LIVE"},
		{feeds.Health{State: feeds.StateDelayed, Delay: 15}, time.Time{}, "DELAYED 15m"},
		{feeds.Health{State: feeds.StateStale, Since: now.Add(-3 * time.Minute)}, time.Time{}, "STALE 3m"},
		{feeds.Health{State: feeds.StateOffline}, time.Time{}, "OFFLINE"},
		{feeds.Health{State: feeds.StateRateLimited, Until: now.Add(2 * time.Minute)}, time.Time{}, "RATE-LIMITED until 14:32"},
		{feeds.Health{State: feeds.StateAuthFailing}, time.Time{}, "AUTH FAILING"},
		{feeds.Health{State: feeds.StateSimulated, Simulated: true}, time.Time{}, "SIMULATED"},
		{feeds.Health{State: feeds.StateReplay, Speed: 10}, time.Time{}, "REPLAY x10"},
		{feeds.Health{State: feeds.StateReplay, Speed: 10, Simulated: true}, time.Time{}, "REPLAY x10 SIMULATED"},
		{feeds.Health{State: feeds.StateOffline}, now.Add(-5 * time.Minute), "SNAPSHOT 5m old"},
	}
	s := NewStyles(true)
	for _, c := range cases {
		h := newHeader(&s)
		h.SetSize(160)
		h.SetNow(now)
		h.SetData(headerData{Health: c.health, Snapshot: c.snapshot, Range: feeds.Range1D, Currency: "local", Set: watchlists.Defaults()})
		got := ansi.Strip(h.View())
		if !strings.Contains(got, " "+c.want+" ") {
			t.Errorf("%s: header %q lacks badge %q", c.health.State, got, c.want)
		}
		if w := ansi.StringWidth(got); w > 160 {
			t.Errorf("header is %d wide at 160", w)
		}
	}
}

func TestHeaderClocksInEachExchangesOwnTime(t *testing.T) {
	s := NewStyles(true)
	h := newHeader(&s)
	h.SetSize(400)                                           // room for every clock in full
	h.SetNow(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)) // Friday 10:00 in New York, 00:00 Saturday in Tokyo
	h.SetData(headerData{Health: feeds.Health{State: feeds.StateLive}, Range: feeds.Range1D, Currency: "local", Set: watchlists.Defaults()})
	got := ansi.Strip(h.View())
	for _, want := range []string{"US OPEN closes in 6h00m", "JPX CLOSED opens Mon 09:00 JST"} {
		if !strings.Contains(got, want) {
			t.Errorf("header %q lacks %q", got, want)
		}
	}
}

// TestHeaderNeverLeavesAMarketOut: as the width shrinks the clocks go short,
// then by region, and every market of the lists is still accounted for.
func TestHeaderNeverLeavesAMarketOut(t *testing.T) {
	s := NewStyles(true)
	h := newHeader(&s)
	h.SetNow(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) // Europe open, US pre, Asia closed
	h.SetData(headerData{Health: feeds.Health{State: feeds.StateLive}, Range: feeds.Range1D, Currency: "local", Set: watchlists.Defaults()})
	codes := []string{"US", "JPX", "KSC", "TAI", "HKG", "AMS", "PAR", "GER", "EBS", "CPH"}
	for _, c := range []struct {
		w    int
		want []string
	}{
		{400, append([]string{"GER OPEN closes in 6h30m", "US PRE opens 09:30 EST"}, codes...)},
		{200, codes},
		{120, []string{"Americas", "Europe OPEN", "Asia CLOSED"}},
		{80, []string{"Americas PRE", "Europe OPEN", "Asia CLOSED", "10:00"}},
		{72, []string{"AM PRE", "EU OPEN", "ASIA CLOSED", "10:00"}},
	} {
		h.SetSize(c.w)
		got := ansi.Strip(h.View())
		if ansi.StringWidth(got) > c.w {
			t.Errorf("at %d: %d wide", c.w, ansi.StringWidth(got))
		}
		for _, want := range c.want {
			if !strings.Contains(got, want) {
				t.Errorf("at %d columns the header %q lacks %q", c.w, got, want)
			}
		}
	}
}
