package ui

import (
	"cmp"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
)

// tone is how a cell is coloured, resolved against the theme when drawn so
// formatted rows survive a theme change.
type tone uint8

const (
	toneNone tone = iota
	toneUp
	toneDown
	toneFlat
	toneMuted
	toneInfo
	toneStale
	toneGrey
)

func toneOf(o baskets.Opt) tone {
	switch {
	case !o.Valid:
		return toneMuted
	case o.Value > 0:
		return toneUp
	case o.Value < 0:
		return toneDown
	}
	return toneFlat
}

type cell struct {
	text string
	tone tone
}

// segRow is one member, formatted once per refresh.
type segRow struct {
	res      baskets.SymbolResult
	greyed   bool   // no price: the row only says why
	reason   string // why it is greyed
	state    cell   // market state marker
	cells    [numCols]cell
	extShort string        // the pre/post cell without its price, for narrow screens
	spark    []float64     // closes over the range
	stale    time.Duration // age of a stale quote as shown, 0 when fresh
	age      string        // "3m old" when the quote is stale
	traded   bool          // a streamed trade has come: the Trade column shows its age
	flash    tone          // toneUp or toneDown while the price shows its last move
	line     string        // rendered, unselected
}

func (v *segmentView) newRow(res baskets.SymbolResult) segRow {
	d := v.data
	q, hasQuote := d.Quotes[res.Symbol]
	r := segRow{res: res, state: stateMarker(res.MarketState, q.MarketState), stale: v.staleFor(res.Symbol)}
	r.age = ageText(r.stale)
	r.cells[colSymbol] = cell{clean(res.Symbol), toneNone}
	r.cells[colName] = cell{clean(cmp.Or(res.Name, q.Name)), toneNone} // the watchlist's name, else the feed's
	switch {
	case d.Missing[res.Symbol]:
		r.greyed, r.reason = true, "no data: the feed does not know this symbol"
	case !res.Price.Valid && !hasQuote:
		r.greyed, r.reason = true, "no quote yet"
	case !res.Price.Valid:
		r.greyed, r.reason = true, cmp.Or(res.Flag, "the quote has no price")
	}
	if r.greyed {
		return r
	}
	r.cells[colLast] = cell{price(res.Price), toneNone}
	v.ageTrade(&r, q)
	r.cells[colChange] = cell{signedChange(res.Change, res.Price), toneOf(res.Change)}
	r.cells[colChangePct] = cell{pct(res.ChangePercent), toneOf(res.ChangePercent)}
	r.cells[colRange] = cell{pct(res.RangeReturn), toneOf(res.RangeReturn)}
	r.cells[colContrib] = cell{points(res.Contribution), toneOf(res.Contribution)}
	r.cells[colCurrency] = cell{clean(res.Currency), toneMuted}
	r.cells[colExt], r.extShort = extendedHours(q, res.Currency)
	if w := res.Window.Values; len(w) >= 2 {
		r.spark = w
		r.cells[colSpark].tone = toneOf(res.RangeReturn)
	}
	return r
}

// stateMarker shows the listing's session: ● open, ◐ pre/post, ○ closed.
func stateMarker(reported string, quoted feeds.MarketState) cell {
	state := feeds.MarketState(reported)
	if state == "" {
		state = quoted
	}
	switch state {
	case feeds.Regular:
		return cell{"●", toneUp}
	case feeds.Pre, feeds.Post:
		return cell{"◐", toneInfo}
	case feeds.Closed:
		return cell{"○", toneMuted}
	}
	return cell{"·", toneMuted}
}

// extendedHours is the pre- or post-market cell, "PRE 131.20 ▲ +0.92%", and
// its short form. The price is left out when the row is shown converted to
// another currency than the quote's.
func extendedHours(q feeds.Quote, rowCurrency string) (cell, string) {
	label, px, chg := "", 0.0, 0.0
	switch q.MarketState {
	case feeds.Pre:
		label, px, chg = "PRE", q.PrePrice, q.PreChangePercent
	case feeds.Post:
		label, px, chg = "POST", q.PostPrice, q.PostChangePercent
	}
	if label == "" || px <= 0 {
		return cell{}, ""
	}
	c := baskets.Some(chg)
	short := label + " " + pct(c)
	full := short
	if rowCurrency == "" || rowCurrency == q.Currency {
		full = label + " " + fmtPrice(px) + " " + pct(c)
	}
	return cell{full, toneOf(c)}, short
}

// ageTrade sets the row's trade age and flash as of the data's time. It
// reports whether either changed what the row shows.
func (v *segmentView) ageTrade(r *segRow, q feeds.Quote) bool {
	d := v.data
	text, flash := "", toneNone
	if !q.LastTrade.IsZero() {
		text = span(max(d.Now.Sub(q.LastTrade), 0))
	}
	if f, ok := d.Flashes[r.res.Symbol]; ok && f.on(d.Now) {
		flash = f.dir
	}
	changed := text != r.cells[colTrade].text || flash != r.flash
	r.traded, r.flash = text != "", flash
	r.cells[colTrade] = cell{text, toneMuted}
	return changed
}
