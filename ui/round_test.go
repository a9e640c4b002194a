package ui

import (
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
)

// TestMonitorPercentsRoundHalfAway: the monitor rounds a percent half away
// from zero, as print's table does (baskets.Fixed): 48.5 % of the book is
// "49%" on the headline, a half at the last decimal goes up in size.
func TestMonitorPercentsRoundHalfAway(t *testing.T) {
	b := book.Book{Priced: 1, Total: 1, Exposure: book.Exposure{Training: baskets.Percent(51.5), Inference: baskets.Percent(48.5)}}
	if got := b.ExposureLine(); !strings.Contains(got, "49% inference") {
		t.Errorf("headline %q, want 49%% inference", got)
	}
	for _, c := range []struct{ got, want string }{
		{pct(baskets.Percent(0.125)), "▲ +0.13%"},
		{pct(baskets.Percent(-0.125)), "▼ -0.13%"},
		{points(baskets.Percent(2.675)), "+2.68 pp"},
		{compactPoints(baskets.Percent(0.25)), "+0.3"},
		{bookPercent(baskets.Percent(48.25)), "48.3%"},
		{bookPercent(baskets.Percent(48.5)), "48.5%"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
