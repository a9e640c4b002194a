package ui

import "time"

// chartHold is how long a chart drawn for trades stands before trades draw
// it again. Trades move only a chart's last point, and drawing charts is
// most of a frame's cost, so many trades a second draw each chart once.
const chartHold = time.Second

// chartMemo is one chart as last drawn. Every draw but a frame of trades
// forgets it first (new data, a size, a theme), so only trades reuse it.
type chartMemo struct {
	text string
	w, h int
	at   time.Time
}

// get is the chart at w×h: the one kept, when drawn at that size within
// chartHold of now, else drawn afresh and kept.
func (c *chartMemo) get(now time.Time, w, h int, draw func() string) string {
	if c.text != "" && c.w == w && c.h == h && now.Sub(c.at) < chartHold {
		return c.text
	}
	c.text, c.w, c.h, c.at = draw(), w, h, now
	return c.text
}

// forget drops the chart kept.
func (c *chartMemo) forget() { c.text = "" }
