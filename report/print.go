package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/rotation-dev/rotation/baskets"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/sanitize"
	"github.com/rotation-dev/rotation/watchlists"
)

// WriteJSON writes the report as one indented JSON object (see doc.go for the
// schema). Names are sanitized here too: JSON escapes C0 controls but not C1
// or bidi controls, and `jq -r` would print them raw.
func WriteJSON(w io.Writer, d Document) error {
	d = d.clean()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("write report as JSON: %w", err)
	}
	return nil
}

// csvHeader is the stable column order of WriteCSV; new columns go last.
var csvHeader = []string{
	"asOf", "feed", "state", "simulated", "range", "currency", "benchmark", "benchmarkReturn",
	"segmentFile", "segmentName", "era", "segmentReturn", "segmentExcess", "priced", "total",
	"symbol", "name", "weight", "price", "previousClose", "change", "changePercent",
	"symbolCurrency", "exchange", "marketState", "quoteTime", "rangeReturn", "stale", "flag",
	"weighting", "basketWeight", "marketCapUSD", "capChangeUSD", "relativeVolume",
	"segmentCapChangeUSD", "segmentRelativeVolume",
	"contribution", "eraContribution", "segmentEraContribution",
}

// WriteCSV writes one row per symbol per segment after a header row. Unknown
// numbers are empty cells; every row repeats the feed and whether it is
// simulated, so no row can be read out of that context. The spread's parts,
// the ratio line's largest moves, the book and the alerts that hold follow,
// each after a blank line and a header of its own.
func WriteCSV(w io.Writer, d Document) error {
	d = d.clean()
	r := d.Report
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write report as CSV: %w", err)
	}
	for _, seg := range r.Segments {
		for _, s := range seg.Symbols {
			quoteTime := ""
			if s.QuoteTime != nil {
				quoteTime = s.QuoteTime.Format(time.RFC3339)
			}
			row := []string{
				r.AsOf.Format(time.RFC3339), r.Feed.Name, string(r.Feed.State), strconv.FormatBool(r.Feed.Simulated),
				string(r.Range), r.Currency, r.Benchmark.Symbol, r.Benchmark.Return.String(),
				seg.File, seg.Name, string(seg.Era), seg.Return.String(), seg.Excess.String(),
				strconv.Itoa(seg.Coverage.Priced), strconv.Itoa(seg.Coverage.Total),
				s.Symbol, s.Name, strconv.FormatFloat(s.Weight, 'f', -1, 64), s.Price.String(),
				s.PreviousClose.String(), s.Change.String(), s.ChangePercent.String(),
				s.Currency, s.Exchange, s.MarketState, quoteTime, s.RangeReturn.String(),
				strconv.FormatBool(s.Stale), s.Flag,
				r.Weighting, s.BasketWeight.String(), s.MarketCapUSD.String(), s.CapChangeUSD.String(),
				s.RelativeVolume.String(), seg.CapChangeUSD.String(), seg.RelativeVolume.String(),
				s.Contribution.String(), s.EraContribution.String(), seg.EraContribution.String(),
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("write report as CSV: %w", err)
			}
		}
	}
	if err := writeExtrasCSV(cw, d); err != nil {
		return fmt.Errorf("write report as CSV: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write report as CSV: %w", err)
	}
	return nil
}

// WriteTable writes the report for people: the feed's state first, then the
// eras, the segments and each segment's members in aligned columns. With
// color, rises are green and falls red (ANSI); the caller decides from the
// terminal and NO_COLOR.
func WriteTable(w io.Writer, d Document, color bool) error {
	d = d.clean() // before any colour code of our own is added
	r := d.Report
	p := &printer{w: w, color: color}
	p.line(feedLine(r, color))
	p.line(fmt.Sprintf("as of %s · range %s · %s · %s · benchmark %s %s",
		r.AsOf.UTC().Format("2006-01-02 15:04 UTC"), r.Range, currencyPhrase(r.Currency),
		weightingPhrase(r.Weighting), r.Benchmark.Symbol, pct(r.Benchmark.Return)))
	p.line("")

	eras := &table{header: []string{"ERA", "RETURN", "EXCESS", "SEGMENTS", "UP", "DOWN"}, right: []bool{false, true, true, true, true, true}}
	for _, e := range []struct {
		name string
		r    baskets.EraResult
	}{{"training", r.Eras.Training}, {"inference", r.Eras.Inference}} {
		eras.add(plain(e.name), signed(pct(e.r.Return), e.r.Return), signed(pp(e.r.Excess), e.r.Excess),
			plain(strconv.Itoa(e.r.Segments)), plain(strconv.Itoa(e.r.Up)), plain(strconv.Itoa(e.r.Down)))
	}
	p.table(eras)
	p.line("spread (inference − training): " + p.paint(pp(r.Eras.Spread), r.Eras.Spread))
	p.line(p.flowsLine(r))
	if line := horizonsLine(r); line != "" {
		p.line(line)
	}
	p.line("")

	segs := &table{header: []string{"SEGMENT", "FILE", "ERA", "RETURN", "EXCESS", "ERA CONTRIB", "PRICED", "UP", "DOWN", "FLOW", "REL VOL", "ROTATION"},
		right: []bool{false, false, false, true, true, true, true, true, true, true, true, false}}
	for _, s := range r.Segments {
		segs.add(plain(s.Name), plain(s.File), plain(string(s.Era)), signed(pct(s.Return), s.Return),
			signed(pp(s.Excess), s.Excess), signed(pp(s.EraContribution), s.EraContribution),
			plain(fmt.Sprintf("%d/%d", s.Coverage.Priced, s.Coverage.Total)),
			plain(strconv.Itoa(s.Up)), plain(strconv.Itoa(s.Down)), signed(usdShort(s.CapChangeUSD), s.CapChangeUSD),
			plain(times(s.RelativeVolume)), plain(rotationPhrase(s.Rotation)))
	}
	p.table(segs)
	p.why(r)

	for _, s := range r.Segments {
		p.line("")
		p.line(fmt.Sprintf("%s (%s) · %s · %s", s.Name, s.File, s.Era, pct(s.Return)))
		syms := &table{header: []string{"SYMBOL", "NAME", "WEIGHT", "PRICE", "CCY", "DAY", string(r.Range), "CONTRIB", "FLOW", "REL VOL", "STATE", "NOTE"},
			right: []bool{false, false, true, true, false, true, true, true, true, true, false, false}}
		for _, m := range s.Symbols {
			note := m.Flag
			if m.Stale && note != "" {
				note = "stale; " + note
			} else if m.Stale {
				note = "stale"
			}
			syms.add(plain(m.Symbol), plain(m.Name), plain(weightText(r.Weighting, m)),
				plain(price(m.Price)), plain(m.Currency), signed(pct(m.ChangePercent), m.ChangePercent),
				signed(pct(m.RangeReturn), m.RangeReturn), signed(pp(m.Contribution), m.Contribution),
				signed(usdShort(m.CapChangeUSD), m.CapChangeUSD),
				plain(times(m.RelativeVolume)), plain(m.MarketState), plain(note))
		}
		p.table(syms)
	}
	p.book(d.Holdings, r.Feed)
	p.alerts(d.Alerts)
	if len(r.Problems) > 0 {
		p.line("")
		p.line("missing or skipped data:")
		for _, msg := range r.Problems {
			p.line("  " + msg)
		}
	}
	return p.err
}

// feedLine says first of all whether the numbers are market data.
func feedLine(r baskets.Report, color bool) string {
	state, detail := string(r.Feed.State), r.Feed.Detail
	if r.Feed.Simulated {
		state = "SIMULATED prices, not market data"
		if strings.Contains(detail, "SIMULATED") {
			state, detail = detail, "" // the feed's own words already say it, with the seed
		}
		if color {
			state = ansiBold + ansiYellow + state + ansiReset
		}
	}
	line := fmt.Sprintf("feed: %s — %s", r.Feed.Name, state)
	if detail != "" {
		line += " (" + detail + ")"
	}
	return line
}

func currencyPhrase(c string) string {
	switch c {
	case baskets.Local, "":
		return "prices in each listing's currency"
	case baskets.USD:
		return "prices in US dollars"
	}
	return "prices in " + c + ", through the US-dollar crosses"
}

func rotationPhrase(r baskets.Rotation) string {
	if r.Quadrant == "" {
		return "n/a"
	}
	return fmt.Sprintf("%s (ratio %.2f, momentum %.2f)", r.Quadrant, r.Ratio.Value, r.Momentum.Value)
}

func pct(o baskets.Opt) string {
	if !o.Valid {
		return "n/a"
	}
	return plusFixed(o.Value, 2) + "%"
}

func pp(o baskets.Opt) string {
	if !o.Valid {
		return "n/a"
	}
	return plusFixed(o.Value, 2) + " pp"
}

// plusFixed is v signed either way, rounded as the monitor rounds it
// (baskets.Fixed: half away from zero).
func plusFixed(v float64, decimals int) string {
	s := baskets.Fixed(v, decimals)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// price is a price to the decimals it was quoted with (an FX rate's four
// or five, not two), and never fewer than two.
func price(o baskets.Opt) string {
	if !o.Valid {
		return "n/a"
	}
	d, _ := o.Places()
	return strconv.FormatFloat(o.Value, 'f', max(d, 2), 64)
}

// cleanAll is a sanitized copy of texts; nil stays nil.
func cleanAll(texts []string) []string {
	if texts == nil {
		return nil
	}
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = sanitize.Text(t)
	}
	return out
}

// cleanReport returns a copy of r whose every string that came from the
// network or a file has been through sanitize.Text, so that no writer can
// forget a field. The slices are copied, never written through, because the
// caller's report may be shared. Best, Worst, Grid and lines are left as they
// are: the writers do not print them.
func cleanReport(r baskets.Report) baskets.Report {
	r.Feed.Name = sanitize.Text(r.Feed.Name)
	r.Feed.State = feeds.State(sanitize.Text(string(r.Feed.State)))
	r.Feed.Detail = sanitize.Text(r.Feed.Detail)
	r.Range = feeds.Range(sanitize.Text(string(r.Range)))
	r.Currency = sanitize.Text(r.Currency)
	r.Weighting = sanitize.Text(r.Weighting)
	r.Benchmark.Symbol = sanitize.Text(r.Benchmark.Symbol)
	r.Problems = cleanAll(r.Problems)
	if r.Segments != nil {
		segs := make([]baskets.SegmentResult, len(r.Segments))
		for i, s := range r.Segments {
			s.File, s.Name = sanitize.Text(s.File), sanitize.Text(s.Name)
			s.Era = watchlists.Era(sanitize.Text(string(s.Era)))
			s.Rotation.Quadrant = baskets.Quadrant(sanitize.Text(string(s.Rotation.Quadrant)))
			if s.Symbols != nil {
				syms := make([]baskets.SymbolResult, len(s.Symbols))
				for j, m := range s.Symbols {
					m.Symbol, m.Name = sanitize.Text(m.Symbol), sanitize.Text(m.Name)
					m.Currency, m.Exchange = sanitize.Text(m.Currency), sanitize.Text(m.Exchange)
					m.MarketState, m.Flag = sanitize.Text(m.MarketState), sanitize.Text(m.Flag)
					m.Flags = []string{} // the sanitized Flag's, one reason each
					if m.Flag != "" {
						m.Flags = strings.Split(m.Flag, "; ")
					}
					syms[j] = m
				}
				s.Symbols = syms
			}
			segs[i] = s
		}
		r.Segments = segs
	}
	parts := make([]baskets.SpreadContribution, len(r.SpreadContributions))
	for i, c := range r.SpreadContributions {
		c.Segment, c.File = sanitize.Text(c.Segment), sanitize.Text(c.File)
		c.Era = watchlists.Era(sanitize.Text(string(c.Era)))
		parts[i] = c
	}
	r.SpreadContributions = parts
	// A copy, as the segments are: the document writes each move's events.
	moves := make([]baskets.Move, len(r.TopMoves))
	for i, m := range r.TopMoves {
		m.Events = cleanAll(m.Events)
		if m.Events == nil {
			m.Events = []string{}
		}
		moves[i] = m
	}
	r.TopMoves = moves
	return r
}

func weightingPhrase(w string) string {
	switch w {
	case baskets.WeightEqual:
		return "equal weights"
	case baskets.WeightCap:
		return "weights by market cap at the base"
	}
	return "weights from the files"
}

// weightText is a member's WEIGHT cell: the file's weight under file
// weighting, as always; otherwise the weight the basket used.
func weightText(weighting string, m baskets.SymbolResult) string {
	switch {
	case weighting == baskets.WeightEqual:
		return "1"
	case weighting != baskets.WeightCap:
		return strconv.FormatFloat(m.Weight, 'f', -1, 64)
	case !m.BasketWeight.Valid:
		return "n/a"
	}
	return "$" + scaled(m.BasketWeight.Value)
}

// flowsLine is the eras' capital flows in one line, inference first as in
// the spread.
func (p *printer) flowsLine(r baskets.Report) string {
	in, tr := r.Eras.Inference, r.Eras.Training
	return fmt.Sprintf("flows %s: inference %s, training %s; relative volume inference %s, training %s",
		r.Range, p.paint(usdShort(in.CapChangeUSD), in.CapChangeUSD), p.paint(usdShort(tr.CapChangeUSD), tr.CapChangeUSD),
		times(in.RelativeVolume), times(tr.RelativeVolume))
}

// usdShort is a signed dollar amount with a unit: +$412B, -$96.0B, +$1.25T.
func usdShort(o baskets.Opt) string {
	if !o.Valid {
		return "n/a"
	}
	sign := "+"
	if o.Value < 0 {
		sign = "-"
	}
	return sign + "$" + scaled(math.Abs(o.Value))
}

// scaled writes a non-negative amount with three significant digits and a
// suffix (K, M, B, T), enough to read a flow by eye.
func scaled(v float64) string {
	unit := ""
	for _, u := range []struct {
		s string
		f float64
	}{{"T", 1e12}, {"B", 1e9}, {"M", 1e6}, {"K", 1e3}} {
		if v >= u.f {
			v, unit = v/u.f, u.s
			break
		}
	}
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64) + unit
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64) + unit
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + unit
}

// times is a ratio as a multiple: 1.30x.
func times(o baskets.Opt) string {
	if !o.Valid {
		return "n/a"
	}
	return strconv.FormatFloat(o.Value, 'f', 2, 64) + "x"
}

// horizonsLine is the horizons' spreads and the verdict, for the table.
func horizonsLine(r baskets.Report) string {
	if len(r.Horizons) == 0 {
		return ""
	}
	parts := make([]string, len(r.Horizons))
	for i, h := range r.Horizons {
		parts[i] = string(h.Range) + " " + pp(h.Spread)
	}
	return "horizons (spread): " + strings.Join(parts, ", ") + ". " + r.Verdict
}
