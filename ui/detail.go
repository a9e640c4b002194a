package ui

import (
	"cmp"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
)

// detailData is what the detail view of one symbol draws.
type detailData struct {
	Range     feeds.Range
	Benchmark baskets.BenchmarkResult
	Quote     feeds.Quote
	Series    feeds.Series          // the symbol's series for the range
	Segment   baskets.SegmentResult // its basket (Index on the report grid)
	Symbol    baskets.SymbolResult
	Note      string         // the watchlist's note on the symbol, if any
	Zone      *time.Location // the viewer's time zone, for intraday time labels
	Events    []events.Event // those the chart marks: for every chart, the symbol's, its earnings
}

// detailView is one symbol against its basket and the benchmark, with its
// key figures. It is drawn whole when its data or size changes.
type detailView struct {
	styles        *Styles
	width, height int
	open          bool
	symbol        string
	data          detailData
	loc           *time.Location // the listing's exchange time zone
	rendered      string
}

func newDetailView(s *Styles) detailView { return detailView{styles: s, loc: time.UTC} }

func (d *detailView) SetSize(w, h int) {
	d.width, d.height = w, h
	d.render()
}

func (d *detailView) Open() bool     { return d.open }
func (d *detailView) Symbol() string { return d.symbol }
func (d *detailView) Close()         { d.open = false }

// OpenFor shows symbol; the previous symbol's figures are dropped until
// SetData brings the new one's.
func (d *detailView) OpenFor(symbol string) {
	if symbol != d.symbol {
		d.data = detailData{}
	}
	d.open, d.symbol = true, symbol
	d.render()
}

func (d *detailView) SetData(dd detailData) {
	d.data = dd
	d.loc = market.Location(dd.Quote.ExchangeTZ)
	d.render()
}

// Restyle redraws in the current theme.
func (d *detailView) Restyle() { d.render() }

func (d detailView) View() string { return d.rendered }

// figure is one labelled key figure.
type figure struct {
	label, value string
	tone         tone
}

const (
	figureLabel = 12  // label column of the key figures
	figureWidth = 36  // a figures column, label and value
	sidePanelAt = 110 // from this width the figures sit beside the chart
)

func (d *detailView) render() {
	if d.width <= 0 || d.height <= 0 {
		d.rendered = ""
		return
	}
	lines := []string{d.titleLine(), d.priceLine()}
	figs := d.figures()
	notes := d.notes()
	if d.width >= sidePanelAt {
		lines = append(lines, "")
		chartW := d.width - figureWidth - 3
		chartH := d.height - len(lines) - len(notes)
		left := d.chartBlock(chartW, chartH)
		right := make([]string, 0, len(figs))
		for _, f := range figs {
			right = append(right, d.renderFigure(f, figureWidth))
		}
		for i := range max(len(left), len(right)) {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			lines = append(lines, padRight(l, chartW)+"   "+r)
		}
	} else {
		cols := max(d.width/(figureWidth-8), 1)
		rows := (len(figs) + cols - 1) / cols
		chartH := d.height - len(lines) - 2 - rows - len(notes)
		if chartH >= 5 {
			lines = append(lines, "")
			lines = append(lines, d.chartBlock(d.width, chartH)...)
		}
		lines = append(lines, "")
		colW := d.width / cols
		for r := range rows {
			var b strings.Builder
			for c := range cols {
				if i := c*rows + r; i < len(figs) {
					b.WriteString(d.renderFigure(figs[i], colW))
				}
			}
			lines = append(lines, b.String())
		}
	}
	lines = append(lines, notes...)
	if len(lines) > d.height {
		lines = lines[:d.height]
	}
	for i, l := range lines {
		lines[i] = truncate(l, d.width)
	}
	d.rendered = strings.Join(lines, "\n")
}

// titleLine names the symbol and its listing; the right end says how to leave.
func (d *detailView) titleLine() string {
	s, sym, q := d.styles, d.data.Symbol, d.data.Quote
	marker := stateMarker(sym.MarketState, q.MarketState)
	name := clean(cmp.Or(sym.Name, q.Name))
	left := d.toneText(marker.tone, marker.text) + " " + s.Title.Render(clean(d.symbol))
	if name != "" {
		left += "  " + name
	}
	if where := joinNonEmpty(" · ", clean(cmp.Or(q.Exchange, sym.Exchange)), clean(sym.Currency)); where != "" {
		left += s.Muted.Render("  " + where)
	}
	right := s.Muted.Render("esc back")
	gap := d.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 2 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// priceLine is the price and the day's move, and the extended-hours price.
func (d *detailView) priceLine() string {
	s, sym := d.styles, d.data.Symbol
	if !sym.Price.Valid {
		return s.Greyed.Render("no price yet")
	}
	line := s.Bold.Render(price(sym.Price)) + " " + s.Muted.Render(clean(sym.Currency)) + "  " +
		s.Change(sym.Change.Value).Render(signedChange(sym.Change, sym.Price)+"  "+pct(sym.ChangePercent)) +
		s.Muted.Render("  today")
	if ext, _ := extendedHours(d.data.Quote, sym.Currency); ext.text != "" {
		line += s.Muted.Render("  ·  ") + d.toneText(ext.tone, ext.text)
	}
	if sym.Stale {
		line += "  " + s.Stale.Render("stale quote")
	}
	return line
}

func (d *detailView) toneText(t tone, text string) string {
	if t == toneNone {
		return text
	}
	return toneStyle(d.styles, t, false).Render(text)
}

// chartBlock is the key over the chart of the symbol, its basket and the
// benchmark, all rebased to 100 at the range's base.
func (d *detailView) chartBlock(w, h int) []string {
	k := d.chartLines()
	if len(k.lines) == 0 {
		return []string{d.styles.Muted.Render("no chart data for this range yet")}
	}
	block := []string{k.key(d.styles)}
	return append(block, strings.Split(lineChart(d.styles, w, h-1, d.data.Zone, k.lines, d.data.Events), "\n")...)
}

// chartLines are the lines with data, and each one's range return.
func (d *detailView) chartLines() keyedLines {
	dd, s := d.data, d.styles
	var k keyedLines
	times, values := d.symbolIndex()
	k.add(clean(d.symbol), times, values, s.Info, dd.Symbol.RangeReturn)
	// An intraday chart spans the listing's own session: the basket and the
	// benchmark are drawn from where the symbol's window starts, not over
	// the whole day of every market in the basket.
	from := time.Time{}
	if dd.Range.Intraday() && len(times) > 0 {
		from = times[0]
	}
	seg, bench := since(dd.Segment.Index, from), since(dd.Benchmark.Index, from)
	k.add(cmp.Or(clean(dd.Segment.Name), "basket"), seg.Times, seg.Values, basketStyle(s, dd.Segment.Era), dd.Segment.Return)
	k.add(cmp.Or(clean(dd.Benchmark.Symbol), "benchmark"), bench.Times, bench.Values, s.Muted, dd.Benchmark.Return)
	return k
}

// since is the part of l at or after from, with the point before it, so the
// line enters the chart at its value then; all of l when from is zero.
func since(l baskets.Line, from time.Time) baskets.Line {
	if from.IsZero() || len(l.Times) == 0 {
		return l
	}
	i := sort.Search(len(l.Times), func(i int) bool { return !l.Times[i].Before(from) })
	i = max(i-1, 0)
	return baskets.Line{Times: l.Times[i:], Values: l.Values[i:]}
}

// symbolIndex is the symbol's window over the range (baskets' Window: the
// base, each bar, the price now) rebased to 100 at the base, so its end is
// the range return beside it.
func (d *detailView) symbolIndex() ([]time.Time, []float64) {
	w := d.data.Symbol.Window
	if len(w.Values) < 2 {
		return nil, nil
	}
	out := make([]float64, len(w.Values))
	for i, v := range w.Values {
		out[i] = 100 * v / w.Values[0]
	}
	return w.Times, out
}

func (d *detailView) renderFigure(f figure, w int) string {
	label := d.styles.Muted.Render(padRight(f.label, figureLabel))
	return label + d.toneText(f.tone, padRight(f.value, max(w-figureLabel-1, 1))) + " "
}

// notes are the watchlist's note and why a figure is missing, one line each.
func (d *detailView) notes() []string {
	var out []string
	if n := clean(d.data.Note); n != "" {
		out = append(out, d.styles.Muted.Render("Note  ")+n)
	}
	if f := clean(d.data.Symbol.Flag); f != "" {
		out = append(out, d.styles.Stale.Render("⚠ "+f))
	}
	return out
}
