package ui

import "time"

// chartHold is how long a chart drawn for trades stands before trades draw
// it again. Trades move only a chart's last point, and drawing charts is
// most of a frame's cost, so many trades a second draw each chart once.
const chartHold = time.Second

// chartMemo is one chart as last drawn.
type chartMemo struct {
	text string
	w, h int
	at   time.Time
}

// get is the chart at w×h: the one drawn within chartHold of now when held
// (a frame of trades), else drawn afresh.
func (c *chartMemo) get(held bool, now time.Time, w, h int, draw func() string) string {
	if held && c.text != "" && c.w == w && c.h == h && now.Sub(c.at) < chartHold {
		return c.text
	}
	c.text, c.w, c.h, c.at = draw(), w, h, now
	return c.text
}
