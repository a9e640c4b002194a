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
	h.SetSize(200)
	h.SetNow(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)) // Friday 10:00 in New York, 00:00 Saturday in Tokyo
	h.SetData(headerData{Health: feeds.Health{State: feeds.StateLive}, Range: feeds.Range1D, Currency: "local", Set: watchlists.Defaults()})
	got := ansi.Strip(h.View())
	for _, want := range []string{"US OPEN closes in 6h00m", "JPX CLOSED opens Mon 09:00"} {
		if !strings.Contains(got, want) {
			t.Errorf("header %q lacks %q", got, want)
		}
	}
}
