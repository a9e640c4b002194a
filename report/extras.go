package report

import (
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
)

// The book and the alerts in the table and CSV formats.

// book writes the holdings: totals, exposure by era, then one row per lot.
func (p *printer) book(b *book.Book, feed baskets.FeedInfo) {
	if b == nil {
		return
	}
	p.line("")
	pnl := p.paint(usdSigned(b.PnLUSD), b.PnLUSD)
	if b.FXPnLUSD.Valid && b.FXPnLUSD.Value != 0 {
		pnl += " (currency " + usdSigned(b.FXPnLUSD) + ")"
	}
	title := fmt.Sprintf("your book · %d of %d positions priced · value %s · P&L %s · day %s",
		b.Priced, b.Total, usdAmount(b.TotalValueUSD), pnl, p.paint(usdSigned(b.DayChangeUSD), b.DayChangeUSD))
	if feed.Simulated {
		title += " · SIMULATED prices"
	}
	p.line(title)
	e := b.Exposure
	p.line(fmt.Sprintf("exposure: training %s, inference %s, benchmark %s, unclassified %s",
		share(e.Training), share(e.Inference), share(e.Benchmark), share(e.Unclassified)))
	var segs []string
	for _, s := range b.ExposureBySegment {
		if v, ok := s.Percent.Get(); ok && v != 0 {
			segs = append(segs, s.Name+" "+share(s.Percent))
		}
	}
	if len(segs) > 0 {
		p.line("by segment: " + strings.Join(segs, ", "))
	}
	t := &table{header: []string{"SYMBOL", "QTY", "COST", "PRICE", "CCY", "VALUE", "VALUE USD", "P&L USD", "P&L %", "DAY USD", "WEIGHT", "ERA", "NOTE"},
		right: []bool{false, true, true, true, false, true, true, true, true, true, true, false, false}}
	for _, pos := range b.Positions {
		t.add(plain(pos.Symbol), plain(number(pos.Quantity)), plain(number(pos.Cost)), plain(price(pos.Price)),
			plain(pos.Currency), plain(amount(pos.Value)), plain(usdAmount(pos.ValueUSD)),
			signed(usdSigned(pos.PnLUSD), pos.PnLUSD), signed(pct(pos.PnLPercent), pos.PnLPercent),
			signed(usdSigned(pos.DayChangeUSD), pos.DayChangeUSD), plain(share(pos.Weight)),
			plain(string(pos.Era)), plain(strings.Join(pos.Flags, "; ")))
	}
	p.table(t)
}

// alerts writes the rules that hold.
func (p *printer) alerts(as []Alert) {
	if len(as) == 0 {
		return
	}
	p.line("")
	p.line(fmt.Sprintf("alerts that hold: %d", len(as)))
	for _, a := range as {
		p.line("  " + a.Message)
	}
}

var (
	holdingsHeader = []string{"holdingsSymbol", "quantity", "cost", "fees", "date", "currency", "price", "value",
		"valueUSD", "pnl", "pnlUSD", "pnlPercent", "dayChange", "dayChangeUSD", "weight", "era", "segments", "flags",
		"costUSD", "feesUSD", "fxPnlUSD"}
	alertsHeader = []string{"alertRule", "key", "value", "message"}
	spreadHeader = []string{"spreadSegment", "file", "era", "pp"}
	movesHeader  = []string{"moveTime", "ratioChange", "events"}
)

// writeExtrasCSV appends the spread's parts and the ratio line's largest
// moves (as the table and the JSON carry them), the book and the alerts,
// each as a table of its own.
func writeExtrasCSV(cw *csv.Writer, d Document) error {
	if len(d.SpreadContributions) > 0 {
		rows := [][]string{{}, spreadHeader}
		for _, c := range d.SpreadContributions {
			rows = append(rows, []string{c.Segment, c.File, string(c.Era), c.PP.String()})
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
	}
	if len(d.TopMoves) > 0 {
		rows := [][]string{{}, movesHeader}
		for _, m := range d.TopMoves {
			rows = append(rows, []string{m.Time.UTC().Format(time.RFC3339), m.RatioChange.String(), strings.Join(m.Events, "; ")})
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
	}
	if b := d.Holdings; b != nil {
		rows := [][]string{{}, holdingsHeader}
		for _, p := range b.Positions {
			date := ""
			if p.Date != nil {
				date = *p.Date
			}
			rows = append(rows, []string{p.Symbol, number(p.Quantity), number(p.Cost), number(p.Fees), date, p.Currency,
				p.Price.String(), p.Value.String(), p.ValueUSD.String(), p.PnL.String(), p.PnLUSD.String(),
				p.PnLPercent.String(), p.DayChange.String(), p.DayChangeUSD.String(), p.Weight.String(),
				string(p.Era), strings.Join(p.Segments, " "), strings.Join(p.Flags, "; "),
				p.CostUSD.String(), p.FeesUSD.String(), p.FXPnLUSD.String()})
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
	}
	if len(d.Alerts) == 0 {
		return nil
	}
	rows := [][]string{{}, alertsHeader}
	for _, a := range d.Alerts {
		rows = append(rows, []string{a.Rule, a.Key, a.Value.String(), a.Message})
	}
	return cw.WriteAll(rows)
}

func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// amount is a local amount with thousands separators and two decimals.
func amount(o baskets.Opt) string {
	if !o.Valid {
		return "n/a"
	}
	return grouped(o.Value)
}

// usdAmount is a dollar amount, "-$" when negative: $1,234.50.
func usdAmount(o baskets.Opt) string { return usd(o, "") }

// usdSigned is a dollar change, signed either way: +$12.00, -$3.50.
func usdSigned(o baskets.Opt) string { return usd(o, "+") }

func usd(o baskets.Opt, plus string) string {
	switch {
	case !o.Valid:
		return "n/a"
	case o.Value < 0:
		return "-$" + grouped(-o.Value)
	}
	return plus + "$" + grouped(o.Value)
}

// share is a percentage of the book, whole percent past 10, else one decimal.
func share(o baskets.Opt) string {
	if !o.Valid {
		return "n/a"
	}
	if math.Abs(o.Value) >= 10 {
		return baskets.Fixed(o.Value, 0) + "%"
	}
	return baskets.Fixed(o.Value, 1) + "%"
}

// grouped writes v (>= 0 or negative) with two decimals and commas: 12,345.60.
func grouped(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + frac
}
