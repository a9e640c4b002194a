package report

import (
	"strings"
	"time"

	"github.com/rotation-dev/rotation/baskets"
)

// why writes what the spread is made of: each segment's part of it, largest
// first, then the ratio line's largest moves with the events of their day.
func (p *printer) why(r baskets.Report) {
	p.line("")
	p.line("why the spread moved: " + p.paint(pp(r.Eras.Spread), r.Eras.Spread))
	if len(r.SpreadContributions) > 0 {
		parts := &table{header: []string{"PART", "SEGMENT", "ERA"}, right: []bool{true, false, false}}
		for _, c := range r.SpreadContributions {
			parts.add(signed(pp(c.PP), c.PP), plain(c.Segment), plain(string(c.Era)))
		}
		p.table(parts)
	}
	if len(r.TopMoves) == 0 {
		return
	}
	p.line("")
	p.line("largest moves of the ratio line:")
	moves := &table{header: []string{"WHEN", "MOVE", "EVENTS"}, right: []bool{false, true, false}}
	for _, m := range r.TopMoves {
		moves.add(plain(moveTime(r, m.Time)), signed(pct(m.RatioChange), m.RatioChange), plain(strings.Join(m.Events, "; ")))
	}
	p.table(moves)
}

// moveTime is a move's grid time as the range's grid means it: a day, or on
// 1D and 5D the bucket's start in UTC.
func moveTime(r baskets.Report, t time.Time) string {
	if r.Range.Intraday() {
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
	return t.UTC().Format(time.DateOnly)
}
