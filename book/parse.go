package book

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/rotation-dev/rotation/watchlists"
)

// lotShape is what every "write this instead" message shows, so a user who
// got the layout wrong sees the right one without opening the docs.
const lotShape = "`- {symbol: AAPL, quantity: 10, cost: 150}` (fees: and date: optional)"

// The keys of the file and of a lot. lotKeys.Aliases are keys people
// reach for out of habit; the error names the real one rather than only
// saying "unknown".
var (
	topKeys = watchlists.Keys{Known: []string{"positions"},
		Where: "at the top of a holdings file: the only key is positions:"}
	lotKeys = watchlists.Keys{Known: []string{"symbol", "quantity", "cost", "fees", "date"},
		Where: "in a position: a lot has symbol:, quantity:, cost:, fees:, date:",
		Aliases: map[string]string{
			"ticker": "symbol", "shares": "quantity", "qty": "quantity", "units": "quantity",
			"amount": "quantity", "price": "cost", "basis": "cost", "cost_basis": "cost",
			"fee": "fees", "commission": "fees", "bought": "date", "opened": "date",
		}}
)

// rawLot mirrors one lot. Fields stay nodes so every check below can point
// at the exact value, and a numeric-looking symbol keeps its text (0050).
type rawLot struct {
	Symbol   ast.Node `yaml:"symbol"`
	Quantity ast.Node `yaml:"quantity"`
	Cost     ast.Node `yaml:"cost"`
	Fees     ast.Node `yaml:"fees"`
	Date     ast.Node `yaml:"date"`
}

// Parse decodes and validates a holdings file. path is used in errors only.
// An empty file, a file of comments, `positions:` and `positions: []` are
// all a valid empty book. fe is the first problem; ParseAll gives every one.
func Parse(path string, data []byte) (h Holdings, fe *watchlists.FileError) {
	h, errs := ParseAll(path, data)
	if len(errs) > 0 {
		return Holdings{}, errs[0]
	}
	return h, nil
}

// ParseAll is Parse with every problem it finds, in file order: each
// unknown key (at the top and in each lot, an unknown one counting as
// absent), and each problem of each lot. A YAML syntax error, a second
// document, a tag, anchor or alias, a file that is not `positions:` and a
// list, or the symbol limit give that one error.
func ParseAll(path string, data []byte) (h Holdings, errs []*watchlists.FileError) {
	// A parser panic becomes an error (see watchlists.Recovered); FuzzParse
	// fails if this ever fires.
	defer func() {
		if r := recover(); r != nil {
			h, errs = Holdings{}, []*watchlists.FileError{watchlists.Recovered(path, r)}
		}
	}()
	if len(data) > MaxFileSize {
		return Holdings{}, []*watchlists.FileError{tooBig(path)}
	}
	lots, problems := parse(data)
	if len(problems) > 0 {
		return Holdings{}, watchlists.PositionErrors(path, problems)
	}
	return Holdings{Path: path, Lots: lots}, nil
}

func parse(data []byte) ([]Lot, []error) {
	one := func(err error) ([]Lot, []error) { return nil, []error{err} }
	body, err := watchlists.ParseDocument(data, "keep a single positions: list")
	if err != nil {
		return one(err)
	}
	if body == nil {
		return nil, nil // empty, or comments only: nothing held yet
	}
	// Holdings need no tags, anchors or aliases: an alias would let one lot
	// silently stand in for another.
	if n := watchlists.FirstSpecial(body); n != nil {
		return one(watchlists.ErrorAt(n, "YAML tags, anchors and aliases are not used in holdings files: write the value out"))
	}
	switch body.(type) {
	case ast.MapNode:
	case *ast.SequenceNode:
		return one(watchlists.ErrorAt(body, "this list needs a `positions:` line above it, with the lots indented under it"))
	default:
		return one(watchlists.ErrorAt(body, "a holdings file is `positions:` followed by a list of lots like %s", lotShape))
	}
	if !hasKeys(body) {
		return one(watchlists.ErrorAt(body, "no positions: write `positions:` and list the lots under it like %s", lotShape))
	}
	errs := topKeys.Unknown(body)
	var top struct {
		Positions ast.Node `yaml:"positions"`
	}
	decodeErrs, _ := watchlists.DecodeFields(body, &top)
	if errs = append(errs, decodeErrs...); absent(top.Positions) {
		return nil, errs // `positions:` with nothing under it, or left out
	}
	seq, ok := top.Positions.(*ast.SequenceNode)
	if !ok {
		return nil, append(errs, watchlists.ErrorAt(top.Positions, "positions must be a list of lots, each starting with a dash, like %s", lotShape))
	}
	lots := make([]Lot, 0, len(seq.Values))
	distinct := make(map[string]bool)
	for i, item := range seq.Values {
		at := entryNode(seq, i)
		lot, lotErrs := parseLot(item, at)
		if len(lotErrs) > 0 {
			errs = append(errs, lotErrs...)
			continue
		}
		if !distinct[lot.Symbol] && len(distinct) == watchlists.MaxSymbols {
			// Every symbol is a quote request; this many is a pasted export.
			return nil, append(errs, watchlists.ErrorAt(at, "more than %d distinct symbols: the limit is %d, trim the file", watchlists.MaxSymbols, watchlists.MaxSymbols))
		}
		distinct[lot.Symbol] = true
		lots = append(lots, lot)
	}
	return lots, errs
}

// entryNode is where lot i starts: its dash in a block list, the lot itself
// in a flow list ([{...}]), which has no dashes.
func entryNode(seq *ast.SequenceNode, i int) ast.Node {
	if i < len(seq.Entries) && seq.Entries[i] != nil && seq.Entries[i].Start != nil {
		return seq.Entries[i]
	}
	if seq.Values[i] == nil {
		return seq // never seen from goccy, but a nil here must not panic
	}
	return seq.Values[i]
}

// parseLot reads one lot with every problem it has: its fields are
// checked each on its own.
func parseLot(item, at ast.Node) (Lot, []error) {
	line := at.GetToken().Position.Line
	if _, null := item.(*ast.NullNode); null || item == nil {
		return Lot{}, []error{watchlists.ErrorAt(at, "empty position: write a lot after the dash like %s, or delete the line", lotShape)}
	}
	if _, ok := item.(ast.MapNode); !ok {
		return Lot{}, []error{watchlists.ErrorAt(item, "a position is a mapping with symbol:, quantity:, cost:, like %s", lotShape)}
	}
	errs := lotKeys.Unknown(item)
	var raw rawLot
	decodeErrs, _ := watchlists.DecodeFields(item, &raw)
	errs = append(errs, decodeErrs...)
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	lot := Lot{Line: line}
	var err error
	lot.Symbol, err = symbolOf(item, at, raw.Symbol)
	check(err)
	lot.Quantity, err = number(item, at, "quantity", raw.Quantity, true)
	check(err)
	if err == nil && lot.Quantity == 0 {
		check(watchlists.ErrorAt(raw.Quantity, "a zero quantity holds nothing: delete the lot or give its size"))
	}
	lot.Cost, err = number(item, at, "cost", raw.Cost, true)
	check(err)
	if lot.Cost < 0 {
		check(watchlists.ErrorAt(raw.Cost, "cost must be 0 or more (a short has a negative quantity, not a negative cost), got %v", lot.Cost))
	}
	lot.Fees, err = number(item, at, "fees", raw.Fees, false)
	check(err)
	if lot.Fees < 0 {
		check(watchlists.ErrorAt(raw.Fees, "fees must be 0 or more, got %v; leave them out if there were none", lot.Fees))
	}
	lot.Date, err = dateOf(raw.Date)
	check(err)
	if len(errs) > 0 {
		return Lot{}, errs
	}
	return lot, nil
}

func symbolOf(item, at, n ast.Node) (string, error) {
	if absent(n) {
		return "", watchlists.ErrorAt(keyOr(item, at, "symbol"), "position has no symbol: add `symbol: TICKER` (e.g. AAPL, 7203.T, VOD.L)")
	}
	text, ok := watchlists.SymbolText(n)
	if !ok {
		return "", watchlists.ErrorAt(n, "symbol must be a single ticker like AAPL or 7203.T")
	}
	if !watchlists.ValidSymbol(text) {
		return "", watchlists.ErrorAt(n, "symbol %q is not a Yahoo symbol: use 1-24 of A-Z 0-9 ^ = . - (e.g. AAPL, 7203.T, VOD.L)", text)
	}
	return text, nil
}

// number reads a finite number. A required key that is absent or empty is
// reported at the key (or the lot) since there is no value to point at.
func number(item, at ast.Node, key string, n ast.Node, required bool) (float64, error) {
	if absent(n) {
		if !required {
			return 0, nil
		}
		return 0, watchlists.ErrorAt(keyOr(item, at, key), "%s is required: %s", key, numberHelp[key])
	}
	v, ok := watchlists.Number(n)
	if !ok {
		s, text := n.(*ast.StringNode)
		if !text {
			return 0, watchlists.ErrorAt(n, "%s must be a number like %s", key, numberExample[key])
		}
		hint := ""
		if tk := s.GetToken(); tk.Type == token.SingleQuoteType || tk.Type == token.DoubleQuoteType {
			hint = " (remove the quotes)"
		} else if _, err := strconv.ParseFloat(s.Value, 64); err == nil || errors.Is(err, strconv.ErrRange) {
			// goccy leaves integers past 64 bits and floats past ±1e308 as text.
			return 0, watchlists.ErrorAt(s, "%s %s is too large to use; check the number", key, s.Value)
		}
		return 0, watchlists.ErrorAt(s, "%s must be a number like %s%s, found text %q", key, numberExample[key], hint, s.Value)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, watchlists.ErrorAt(n, "%s must be a finite number like %s", key, numberExample[key])
	}
	return v, nil
}

var numberHelp = map[string]string{
	"quantity": "give the number of units held, negative for a short",
	"cost":     "give the price paid per unit, in the listing's currency (pence for .L listings)",
}

var numberExample = map[string]string{"quantity": "10 or -5", "cost": "150.25", "fees": "4.95"}

// dateOf parses an optional YYYY-MM-DD. Whether it lies in the future is the
// caller's call: Parse has no clock.
func dateOf(n ast.Node) (time.Time, error) {
	if absent(n) {
		return time.Time{}, nil
	}
	s, ok := n.(*ast.StringNode)
	if ok {
		if d, err := time.Parse(time.DateOnly, strings.TrimSpace(s.Value)); err == nil {
			return d, nil
		}
	}
	return time.Time{}, watchlists.ErrorAt(n, "date must be a calendar date written YYYY-MM-DD, like 2024-06-01")
}

// hasKeys reports whether mapping m has any key ({} has none).
func hasKeys(m ast.Node) bool {
	mn, ok := m.(ast.MapNode)
	return ok && mn.MapRange().Next()
}

// absent is a key left out or left empty (`fees:`), which YAML makes null.
func absent(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, null := n.(*ast.NullNode)
	return null
}

// keyOr points at key in the lot when it is written (empty), else at a
// misspelling of it, else at the lot's start rather than its first key.
func keyOr(item, at ast.Node, key string) ast.Node {
	for it := item.(ast.MapNode).MapRange(); it.Next(); {
		if k := it.Key(); watchlists.KeyText(k) == key {
			return k
		}
	}
	if n := lotKeys.Misspelt(item, key); n != nil {
		return n
	}
	return at
}
