package baskets

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
)

// HorizonRanges are the horizons the verdict is taken over, shortest first.
// A date range on screen joins them (horizonRanges).
var HorizonRanges = []feeds.Range{feeds.Range1D, feeds.Range5D, feeds.Range1M, feeds.Range3M, feeds.RangeYTD, feeds.Range1Y,
	feeds.Range2Y, feeds.Range3Y, feeds.Range5Y}

// horizonRanges are the verdict's horizons with r on screen: HorizonRanges,
// and r itself when it is a date, last.
func horizonRanges(r feeds.Range) []feeds.Range {
	if _, ok := r.Date(); ok {
		return append(HorizonRanges[:len(HorizonRanges):len(HorizonRanges)], r)
	}
	return HorizonRanges
}

// Horizon is the rotation over one range: the eras' returns, the spread and
// the change of the ratio line, each exactly what a report of that range
// gives (print --range R).
type Horizon struct {
	Range     feeds.Range `json:"range"`
	Inference Opt         `json:"inference"`
	Training  Opt         `json:"training"`
	Spread    Opt         `json:"spread"` // inference - training, percentage points
	// RatioChange is the ratio line's move over the range, in percent:
	// 100 * ((100 + inference) / (100 + training) - 1).
	RatioChange Opt `json:"ratioChange"`
}

// Horizons computes in over every horizon range, each with the series
// seriesFor gives for it.
func Horizons(in Input, seriesFor func(feeds.Range) map[string]feeds.Series) []Horizon {
	rs := horizonRanges(in.Range)
	out := make([]Horizon, 0, len(rs))
	// Neither the map (without the benchmark's daily closes it is skipped)
	// nor the index lines are part of a horizon, and they are most of the
	// cost; the pairs' daily closes convert bases (rateAt), as in Compute.
	pairs := pairsOnly(in.Daily)
	for _, r := range rs {
		h, _ := horizonAt(in, r, seriesFor, pairs)
		out = append(out, h)
	}
	return out
}

// horizonAt is the rotation of in over range r alone: returns only, the
// FX pairs' daily closes to convert bases; and what Live reprices it on.
func horizonAt(in Input, r feeds.Range, seriesFor func(feeds.Range) map[string]feeds.Series, pairs map[string]feeds.Series) (Horizon, liveHorizon) {
	at := in
	at.Range, at.Series, at.Daily, at.returnsOnly = r, seriesFor(r), pairs, true
	rep, c := compute(at)
	return horizonOf(r, rep.Eras), liveHorizon{c: c, segments: rep.Segments}
}

// pairsOnly keeps the FX pairs' series.
func pairsOnly(daily map[string]feeds.Series) map[string]feeds.Series {
	out := map[string]feeds.Series{}
	for sym, s := range daily {
		if market.IsPair(sym) {
			out[sym] = s
		}
	}
	return out
}

func horizonOf(r feeds.Range, e Eras) Horizon {
	h := Horizon{Range: r, Inference: e.Inference.Return, Training: e.Training.Return, Spread: e.Spread}
	if i, ok := e.Inference.Return.Get(); ok {
		if t, ok := e.Training.Return.Get(); ok && t > -100 {
			h.RatioChange = Percent(100 * ((100+i)/(100+t) - 1))
		}
	}
	return h
}

// Verdict is the answer in one sentence: on how many horizons the spread
// favours inference (above zero) or training (below), naming them; a
// horizon with no spread, or a spread of exactly zero, counts for neither.
func Verdict(hs []Horizon) string {
	toInference, toTraining := Tally(hs)
	n := len(toInference) + len(toTraining)
	switch {
	case n == 0:
		return "No verdict yet: no horizon has a return for both eras."
	case len(toInference) > len(toTraining):
		return fmt.Sprintf("Toward inference on %d of %d horizons (%s)%s.", len(toInference), n, strings.Join(toInference, ", "), against("training", toTraining))
	case len(toTraining) > len(toInference):
		return fmt.Sprintf("Toward training on %d of %d horizons (%s)%s.", len(toTraining), n, strings.Join(toTraining, ", "), against("inference", toInference))
	}
	return fmt.Sprintf("Undecided: toward inference on %s, toward training on %s.", strings.Join(toInference, ", "), strings.Join(toTraining, ", "))
}

// Tally names the horizons whose spread favours inference (above zero) and
// training (below); the verdict and its strip on screen both count these.
func Tally(hs []Horizon) (toInference, toTraining []string) {
	for _, h := range hs {
		v, ok := h.Spread.Get()
		switch {
		case !ok:
		case v > 0:
			toInference = append(toInference, string(h.Range))
		case v < 0:
			toTraining = append(toTraining, string(h.Range))
		}
	}
	return toInference, toTraining
}

func against(era string, ranges []string) string {
	if len(ranges) == 0 {
		return ""
	}
	return "; toward " + era + " on " + strings.Join(ranges, ", ")
}

// ComputeAll is Compute of in with its horizons and verdict: in over each
// horizon range, with the series seriesFor gives for it. also are more
// ranges to measure the rotation over (those the alerts name, 6M or a
// date), which the verdict does not count: in Report.Also.
func ComputeAll(in Input, seriesFor func(feeds.Range) map[string]feeds.Series, also ...feeds.Range) Report {
	rep, _ := ComputeLive(in, seriesFor, also...)
	return rep
}

// ComputeLive is ComputeAll, with what Live needs to reprice the report
// trade by trade.
func ComputeLive(in Input, seriesFor func(feeds.Range) map[string]feeds.Series, also ...feeds.Range) (Report, *Live) {
	rep, c := compute(in)
	l := &Live{c: c}
	pairs := pairsOnly(in.Daily)
	for _, r := range horizonRanges(in.Range) {
		h, lh := horizonAt(in, r, seriesFor, pairs)
		rep.Horizons = append(rep.Horizons, h)
		l.horizons = append(l.horizons, lh)
	}
	rep.Verdict = Verdict(rep.Horizons)
	for _, r := range also {
		if r == in.Range || slices.ContainsFunc(rep.Horizons, func(h Horizon) bool { return h.Range == r }) ||
			slices.ContainsFunc(rep.Also, func(h Horizon) bool { return h.Range == r }) {
			continue
		}
		h, lh := horizonAt(in, r, seriesFor, pairs)
		rep.Also = append(rep.Also, h)
		l.also = append(l.also, lh)
	}
	l.rep = rep
	return rep, l
}
