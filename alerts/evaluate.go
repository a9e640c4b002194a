package alerts

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/sanitize"
)

// Reading is one rule tested against one report.
type Reading struct {
	Rule Rule
	// Value is the figure the rule tests, in the unit of its kind (local
	// currency, percent, percentage points, times the average; a change in
	// the report's display currency when it has one); unknown for quadrant
	// rules, whose figure is Quadrant.
	Value baskets.Opt
	// Quadrant is where a quadrant rule's segment or era sits; "" when the
	// map cannot place it, and for other kinds.
	Quadrant baskets.Quadrant
	Holds    bool
	Message  string // one sentence for people, value included
}

// Known reports whether the reading measured anything. An unknown reading
// never holds and the Tracker leaves the rule's state as it was.
func (r Reading) Known() bool {
	if r.Rule.When == WhenQuadrant {
		return r.Quadrant != ""
	}
	return r.Value.Valid
}

// Evaluate tests every rule, one reading each, in order. quotes is keyed by
// symbol and must hold the rules' Symbols; a symbol missing from it is an
// unknown value, not an error.
func Evaluate(rules []Rule, rep baskets.Report, quotes map[string]feeds.Quote) []Reading {
	out := make([]Reading, 0, len(rules))
	suffix := dataSuffix(rep.Feed)
	for _, r := range rules {
		rd := Reading{Rule: r}
		if r.When == WhenQuadrant {
			rd.Quadrant = quadrantOf(r, rep)
			rd.Holds = rd.Quadrant != "" && string(rd.Quadrant) == r.Enters
		} else {
			rd.Value = valueOf(r, rep, quotes)
			if v, ok := rd.Value.Get(); ok {
				rd.Holds = r.Above != nil && v > *r.Above || r.Below != nil && v < *r.Below
			}
		}
		rd.Message = message(rd, rep) + suffix
		out = append(out, rd)
	}
	return out
}

// valueOf measures a threshold rule.
func valueOf(r Rule, rep baskets.Report, quotes map[string]feeds.Quote) baskets.Opt {
	q, quoted := quotes[r.Symbol]
	switch r.When {
	case WhenPrice:
		if quoted && q.Price > 0 {
			return baskets.Price(q.Price, baskets.Decimals(q.Price, q.PreviousClose))
		}
	case WhenChange:
		if cur := displayCurrency(rep); cur != "" {
			return shownChange(r.Symbol, cur, rep, q, quoted)
		}
		if quoted && q.Price > 0 && q.PreviousClose > 0 {
			return baskets.Percent(100 * (q.Price/q.PreviousClose - 1))
		}
	case WhenSpread:
		return spreadOf(r.Range, rep)
	case WhenRelativeVolume:
		switch {
		case r.Segment != "":
			if i, ok := reportSegment(rep, r.Segment); ok {
				return rep.Segments[i].RelativeVolume
			}
		case r.Era != "":
			return eraOf(r.Era, rep).RelativeVolume
		case quoted:
			// As baskets measures a member: no volume yet today is unknown,
			// not a relative volume of 0.
			if avg := q.AverageVolume3Month; q.Volume > 0 && avg != nil && *avg > 0 {
				return baskets.Ratio(float64(q.Volume) / *avg)
			}
		}
	}
	return baskets.None
}

// displayCurrency is the currency the report converts prices to, or ""
// when each listing is shown in its own.
func displayCurrency(rep baskets.Report) string {
	if rep.Currency == "" || rep.Currency == baskets.Local {
		return ""
	}
	return rep.Currency
}

// shownChange is a symbol's day change in the display currency cur, the one
// the table shows: the report's row for it, else the quote's own change when
// the listing already trades in cur; unknown otherwise, rather than a change
// in another currency than the one on screen.
func shownChange(sym, cur string, rep baskets.Report, q feeds.Quote, quoted bool) baskets.Opt {
	for _, s := range rep.Segments {
		for _, m := range s.Symbols {
			if m.Symbol == sym {
				return m.ChangePercent
			}
		}
	}
	if quoted && q.Currency == cur && q.Price > 0 && q.PreviousClose > 0 {
		return baskets.Percent(100 * (q.Price/q.PreviousClose - 1))
	}
	return baskets.None
}

// spreadOf is the spread over range rg: the horizon of that range (or the
// one ComputeAll measured for the rules, Report.Also), else the report's
// own spread when rg is the report's range or "" (the current one).
func spreadOf(rg string, rep baskets.Report) baskets.Opt {
	if rg != "" {
		for _, h := range append(slices.Clip(rep.Horizons), rep.Also...) {
			if string(h.Range) == rg {
				return h.Spread
			}
		}
	}
	if rg == "" || feeds.Range(rg) == rep.Range {
		return rep.Eras.Spread
	}
	return baskets.None
}

func quadrantOf(r Rule, rep baskets.Report) baskets.Quadrant {
	if r.Era != "" {
		return eraOf(r.Era, rep).Rotation.Quadrant
	}
	if i, ok := reportSegment(rep, r.Segment); ok {
		return rep.Segments[i].Rotation.Quadrant
	}
	return ""
}

func eraOf(era string, rep baskets.Report) baskets.EraResult {
	if era == "training" {
		return rep.Eras.Training
	}
	return rep.Eras.Inference
}

func reportSegment(rep baskets.Report, name string) (int, bool) {
	if strings.TrimSpace(name) == "" {
		return -1, false
	}
	return findSegment(rep.Segments, name, func(s baskets.SegmentResult) (string, string) { return s.Name, s.File })
}

// dataSuffix warns, in every message, that the prices are not live ones.
func dataSuffix(f baskets.FeedInfo) string {
	replay := strings.HasPrefix(f.Name, "replay") || f.State == feeds.StateReplay
	switch {
	case f.Simulated && replay:
		return " (replayed simulated data)"
	case f.Simulated:
		return " (simulated data)"
	case replay:
		return " (replayed data)"
	}
	return ""
}

// message is the reading as a sentence: "NVDA price 201.30 is above 200".
// A segment is called by its watchlist name even when the rule gives its
// file or another case; a spread rule for the current range names that
// range, since it changes as the user cycles ranges.
func message(rd Reading, rep baskets.Report) string {
	r := rd.Rule
	if i, ok := reportSegment(rep, r.Segment); ok {
		r.Segment = rep.Segments[i].Name
	}
	subject := r.subject()
	if r.When == WhenSpread && r.Range == "" && rep.Range != "" {
		subject = "spread " + string(rep.Range)
	}
	if cur := displayCurrency(rep); r.When == WhenChange && cur != "" {
		subject += " in " + cur
	}
	var s string
	switch {
	case r.When == WhenQuadrant && rd.Quadrant == "":
		s = subject + " has no quadrant yet (rotation map unavailable)"
	case r.When == WhenQuadrant && rd.Holds:
		s = fmt.Sprintf("%s is in the %s quadrant", subject, rd.Quadrant)
	case r.When == WhenQuadrant:
		s = fmt.Sprintf("%s is in the %s quadrant, not %s", subject, rd.Quadrant, r.Enters)
	case !rd.Value.Valid:
		s = subject + " is unknown"
	default:
		s = subject + " " + formatValue(r.When, rd.Value.Value) + " is " + comparison(r, rd.Value.Value)
	}
	if n := strings.TrimSpace(r.Name); n != "" {
		s = n + ": " + s
	}
	return sanitize.Text(s)
}

// comparison says how v stands against the rule's bounds.
func comparison(r Rule, v float64) string {
	unit := unitOf(r.When)
	switch {
	case r.Above != nil && v > *r.Above:
		return "above " + formatBound(*r.Above) + unit
	case r.Below != nil && v < *r.Below:
		return "below " + formatBound(*r.Below) + unit
	case r.Above != nil && r.Below != nil:
		return "within " + formatBound(*r.Below) + unit + " to " + formatBound(*r.Above) + unit
	case r.Above != nil:
		return "not above " + formatBound(*r.Above) + unit
	}
	return "not below " + formatBound(*r.Below) + unit
}

// formatValue writes a measured value with two decimals, or four
// significant digits for small prices (KRW=X, penny stocks) that two
// decimals would round to 0.00.
func formatValue(when string, v float64) string {
	s := fmt.Sprintf("%.2f", v)
	if when == WhenPrice && math.Abs(v) < 1 {
		s = fmt.Sprintf("%.4g", v)
	}
	return s + unitOf(when)
}

// Ranges are the ranges the rules' spreads are taken over, for ComputeAll
// to measure beside the verdict's horizons.
func Ranges(rules []Rule) []feeds.Range {
	var out []feeds.Range
	for _, r := range rules {
		if r.When == WhenSpread && r.Range != "" && !slices.Contains(out, feeds.Range(r.Range)) {
			out = append(out, feeds.Range(r.Range))
		}
	}
	return out
}
