package baskets

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/rotation-dev/rotation/watchlists"
)

// SpreadContribution is one segment's part of the spread, in percentage
// points: its contribution to its era's return, as it is for an inference
// segment and negated for a training one, so that the parts add up to the
// spread.
type SpreadContribution struct {
	Segment string         `json:"segment"` // the segment's name
	File    string         `json:"file"`
	Era     watchlists.Era `json:"era"`
	PP      Opt            `json:"pp"`
}

// Move is one step of the ratio line, from one point of the grid to the
// next.
type Move struct {
	Time        time.Time `json:"time"`        // the grid time of the point the step ends at
	RatioChange Opt       `json:"ratioChange"` // 100 * (v[i] / v[i-1] - 1), percent
	// Events are the labels of the events of Time's UTC date. Baskets
	// knows no events (see ARCHITECTURE.md): report fills them; empty here.
	Events []string `json:"events"`
}

// topMovesKept is how many of the ratio line's largest moves a report keeps.
const topMovesKept = 5

// contributions sets every member's and segment's contributions and the
// spread's parts, on the baskets and eras as computed. Each is read off the
// rows' own basketWeight and rangeReturn, so a reader of the JSON can redo
// it, and each set of parts adds up to its whole to float precision.
func (c *computer) contributions(rep *Report) {
	for i := range rep.Segments {
		segmentContributions(&rep.Segments[i])
	}
	for era, n := range map[watchlists.Era]int{watchlists.Training: rep.Eras.Training.Segments,
		watchlists.Inference: rep.Eras.Inference.Segments} {
		if c.weighting == WeightCap {
			capEraContributions(rep.Segments, era)
		} else {
			meanEraContributions(rep.Segments, era, n)
		}
	}
	rep.SpreadContributions = spreadContributions(rep.Segments, rep.Eras.Spread)
}

// inBasket reports whether a row is in its segment's basket: it has a weight
// there and a return. Rows left out keep flags that say why.
func inBasket(m SymbolResult) bool { return m.BasketWeight.Valid && m.RangeReturn.Valid }

// segmentContributions sets each member's contribution to its segment's
// return, w r / sum(w) over the basket's members, which add up to
// R = sum(w r) / sum(w).
func segmentContributions(s *SegmentResult) {
	sumW := 0.0
	for _, m := range s.Symbols {
		if inBasket(m) {
			sumW += m.BasketWeight.Value
		}
	}
	for i := range s.Symbols {
		if m := &s.Symbols[i]; inBasket(*m) {
			m.Contribution = Percent(m.BasketWeight.Value * m.RangeReturn.Value / sumW)
		}
	}
}

// meanEraContributions splits an era's return, the mean of its n segments'
// returns (file and equal weighting), into R_segment / n per segment and
// contribution / n per member.
func meanEraContributions(segs []SegmentResult, era watchlists.Era, n int) {
	if n == 0 {
		return
	}
	for i := range segs {
		s := &segs[i]
		if s.Era != era || !s.Return.Valid {
			continue
		}
		s.EraContribution = Percent(s.Return.Value / float64(n))
		for j := range s.Symbols {
			if m := &s.Symbols[j]; m.Contribution.Valid {
				m.EraContribution = Percent(m.Contribution.Value / float64(n))
			}
		}
	}
}

// capEraContributions splits a cap-weighted era's return, one basket over
// its distinct names (capEra), into V r / sum(V) per name. A name in k of
// the era's baskets is one member of the era's basket; its part is shared
// equally among its k rows, so the rows, and the segments they sum to, still
// add up to the era's return.
func capEraContributions(segs []SegmentResult, era watchlists.Era) {
	weight := map[string]float64{} // V per distinct name, counted once
	rows := map[string]int{}       // the name's rows in the era's baskets
	sumV := 0.0
	for _, s := range segs {
		if s.Era != era {
			continue
		}
		for _, m := range s.Symbols {
			if !inBasket(m) {
				continue
			}
			if _, seen := weight[m.Symbol]; !seen {
				weight[m.Symbol] = m.BasketWeight.Value
				sumV += m.BasketWeight.Value
			}
			rows[m.Symbol]++
		}
	}
	for i := range segs {
		s := &segs[i]
		if s.Era != era {
			continue
		}
		total := 0.0
		for j := range s.Symbols {
			m := &s.Symbols[j]
			if !inBasket(*m) {
				continue
			}
			part := weight[m.Symbol] * m.RangeReturn.Value / sumV / float64(rows[m.Symbol])
			m.EraContribution = Percent(part)
			total += part
		}
		if s.Return.Valid {
			s.EraContribution = Percent(total)
		}
	}
}

// spreadContributions are the segments' parts of the spread, largest first
// (ties by file): an inference segment's era contribution, a training
// segment's negated. Without a spread there are none, for nothing to add up
// to.
func spreadContributions(segs []SegmentResult, spread Opt) []SpreadContribution {
	out := []SpreadContribution{}
	if !spread.Valid {
		return out
	}
	for _, s := range segs {
		ec, ok := s.EraContribution.Get()
		if !ok {
			continue
		}
		switch s.Era {
		case watchlists.Training:
			ec = -ec
		case watchlists.Inference:
		default:
			continue
		}
		out = append(out, SpreadContribution{Segment: s.Name, File: s.File, Era: s.Era, PP: Percent(ec)})
	}
	slices.SortStableFunc(out, func(a, b SpreadContribution) int {
		if c := cmp.Compare(math.Abs(b.PP.Value), math.Abs(a.PP.Value)); c != 0 {
			return c
		}
		return cmp.Compare(a.File, b.File)
	})
	return out
}

// topMoves are the ratio line's largest moves from one grid point to the
// next, by size in percent of the earlier point, largest first (ties:
// earlier first), at most topMovesKept. A step of exactly zero (a weekend,
// a night with every market shut) is not a move.
func topMoves(l Line) []Move {
	out := []Move{}
	for i := 1; i < len(l.Values); i++ {
		ch := Percent(100 * (l.Values[i]/l.Values[i-1] - 1))
		if v, ok := ch.Get(); !ok || v == 0 {
			continue
		}
		out = append(out, Move{Time: l.Times[i], RatioChange: ch, Events: []string{}})
	}
	slices.SortStableFunc(out, func(a, b Move) int {
		if c := cmp.Compare(math.Abs(b.RatioChange.Value), math.Abs(a.RatioChange.Value)); c != 0 {
			return c
		}
		return a.Time.Compare(b.Time)
	})
	return out[:min(len(out), topMovesKept)]
}
