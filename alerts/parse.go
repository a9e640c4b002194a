package alerts

import (
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/printer"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// The rule suggested wherever the user has to write one.
const (
	exampleRule = "{when: price, symbol: NVDA, above: 200}"
	example     = "`- " + exampleRule + "`"
)

// MaxRules bounds the rules of one file: each symbol rule can add a quote
// to every poll, within the feed's request budget.
const MaxRules = 500

// MaxFileSize bounds the alerts file: a few dozen rules are a few KiB, so
// anything near this is the wrong file. watchlists.ReadFile enforces it.
const MaxFileSize = watchlists.MaxFileSize

// fields lists every key a rule may have, in the order errors name them.
var fields = []string{"when", "symbol", "segment", "era", "range", "above", "below", "enters", "name"}

// ruleKeys checks a rule's keys against fields.
var ruleKeys = watchlists.Keys{Known: fields, Where: "in a rule, which has " + strings.Join(fields, ", ")}

// allowed is, per kind, the keys that mean something to it; any other
// known key is reported rather than silently ignored.
var allowed = map[string][]string{
	WhenPrice:          {"symbol", "above", "below"},
	WhenChange:         {"symbol", "above", "below"},
	WhenSpread:         {"range", "above", "below"},
	WhenQuadrant:       {"segment", "era", "enters"},
	WhenRelativeVolume: {"segment", "era", "symbol", "above", "below"},
}

// DefaultPath is where the alerts file lives: $XDG_CONFIG_HOME/rotation/
// alerts.yaml, else $HOME/.config/rotation/alerts.yaml; "" when neither
// is set. A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
func DefaultPath(getenv func(string) string) string {
	return watchlists.ConfigFile(getenv, "alerts.yaml")
}

// Load reads and parses the alerts file at path (Read, then Parse).
func Load(path string) ([]Rule, *watchlists.FileError) {
	data, fe := Read(path)
	if fe != nil {
		return nil, fe
	}
	return Parse(path, data)
}

// Read reads the alerts file at path, refusing what is not a small regular
// file. A missing file is an error that says how to create one.
func Read(path string) ([]byte, *watchlists.FileError) {
	return watchlists.ReadFile(path, watchlists.ReadOptions{
		Missing: "no alerts file: create it with a YAML list of rules, one per item, e.g. " + example,
		NotRegular: func(mode fs.FileMode) string {
			return fmt.Sprintf("is not a regular file (%s): the alerts file must be a YAML file", mode.Type())
		},
		TooBig: fmt.Sprintf("file is larger than %d bytes; an alerts file is a short list of rules, so check it is the right file", MaxFileSize),
	})
}

// Parse decodes and validates an alerts file. An empty file, one of only
// comments, `[]` or `~` is no rules. Every error is positioned; fe is the
// first, ParseAll gives every one.
func Parse(path string, data []byte) (rules []Rule, fe *watchlists.FileError) {
	rules, errs := ParseAll(path, data)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return rules, nil
}

// ParseAll is Parse with every problem it finds, in file order: each rule
// is checked on its own, with each unknown key (counted as absent), each
// key without a value, each field of the wrong kind and each bad value;
// what its kind requires is checked once those are good. A YAML syntax
// error, a second document, a tag, anchor or alias, a file that is not a
// list, or more than MaxRules rules give that one error.
func ParseAll(path string, data []byte) (rules []Rule, errs []*watchlists.FileError) {
	// A parser panic becomes an error (see watchlists.Recovered).
	defer func() {
		if r := recover(); r != nil {
			rules, errs = nil, []*watchlists.FileError{watchlists.Recovered(path, r)}
		}
	}()
	rules, problems := parse(path, data)
	if len(problems) > 0 {
		return nil, watchlists.PositionErrors(path, problems)
	}
	return rules, nil
}

// list is the alerts file's shape, with its messages.
var list = watchlists.List{
	Advice:   "merge the rules into one list",
	Special:  "YAML tags, anchors and aliases are not used in alerts: write each rule out in full",
	NotAList: "the alerts file must be a list of rules, each starting with '- ', e.g. " + example,
	Max:      MaxRules,
	TooMany:  fmt.Sprintf("more than %d rules: remove some, each can add a quote to every poll", MaxRules),
	Empty:    "empty rule: write a rule after the dash, e.g. `" + exampleRule + "`, or delete the line",
}

func parse(path string, data []byte) ([]Rule, []error) {
	items, errs, fatal := list.Items(data)
	if fatal != nil {
		return nil, []error{fatal}
	}
	var rules []Rule
	seen := make(map[string]int) // key -> line of its first rule
	for _, item := range items {
		r, ruleErrs := parseRule(item)
		if len(ruleErrs) > 0 {
			errs = append(errs, ruleErrs...)
			continue
		}
		if first, dup := seen[r.Key()]; dup {
			errs = append(errs, watchlists.ErrorAt(watchlists.FirstKey(item), "this rule repeats the one at line %d (same when, subject and thresholds; name does not count): remove one", first))
			continue
		}
		seen[r.Key()] = r.Line
		tk := watchlists.FirstKey(item).GetToken()
		r.Path = path
		var p printer.Printer
		r.snippet = strings.TrimRight(p.PrintErrorToken(tk, false), "\n ")
		rules = append(rules, r)
	}
	return rules, errs
}

// parseRule reads one list item with every problem it has. Keys are walked
// by hand rather than decoded into a struct so that each message can name
// the YAML key and the kinds of rule it belongs to.
func parseRule(item ast.Node) (Rule, []error) {
	if _, ok := item.(ast.MapNode); !ok {
		return Rule{}, []error{watchlists.ErrorAt(item, "a rule must be a mapping with when: and its fields, e.g. %s", example)}
	}
	vals, keys, errs := ruleKeys.Fields(item)
	tk := watchlists.FirstKey(item).GetToken()
	r := Rule{Line: tk.Position.Line, Col: max(tk.Position.Column, 1)}
	kinds := strings.Join(whens, ", ")
	switch n := vals["when"]; {
	case n != nil:
		when, err := watchlists.Text(n, "when")
		if err != nil {
			errs = append(errs, err)
			break
		}
		for _, w := range whens {
			if strings.EqualFold(w, when) {
				r.When = w
			}
		}
		if r.When == "" {
			errs = append(errs, watchlists.ErrorAt(n, "when %q is not one of %s", when, kinds))
		}
	case keys["when"] == nil: // not `when:` without a value, reported above
		at := ruleKeys.Misspelt(item, "when") // `wehn:` is where to fix it
		if at == nil {
			at = watchlists.FirstKey(item)
		}
		errs = append(errs, watchlists.ErrorAt(at, "rule has no when: add one of %s", kinds))
	}
	for _, f := range fields {
		if vals[f] != nil && r.When != "" && f != "when" && f != "name" && !slices.Contains(allowed[r.When], f) {
			errs = append(errs, watchlists.ErrorAt(keys[f], "%s is not used by %s rules, which take %s: remove it",
				f, r.When, strings.Join(allowed[r.When], ", ")))
		}
	}
	if errs = append(errs, r.fill(vals)...); len(errs) > 0 {
		return Rule{}, errs
	}
	if err := r.check(item, keys, vals); err != nil {
		return Rule{}, []error{err}
	}
	return r, nil
}

// fill reads every field present into r, each checked on its own, and
// returns the problems of all of them.
func (r *Rule) fill(vals map[string]ast.Node) []error {
	var errs []error
	bad := func(err error) bool {
		if err != nil {
			errs = append(errs, err)
		}
		return err != nil
	}
	str := func(field string, dst *string) bool {
		n := vals[field]
		if n == nil {
			return false
		}
		s, err := watchlists.Text(n, field)
		if bad(err) {
			return false
		}
		if *dst = strings.TrimSpace(s); *dst == "" && field != "name" {
			return !bad(watchlists.ErrorAt(n, "%s is empty", field))
		}
		return true
	}
	if str("symbol", &r.Symbol) {
		r.Symbol = strings.ToUpper(r.Symbol)
		if !watchlists.ValidSymbol(r.Symbol) {
			bad(watchlists.ErrorAt(vals["symbol"], "symbol %q is not a Yahoo symbol: use 1-24 of A-Z 0-9 ^ = . - (e.g. NVDA, 000660.KS, ^GSPC)", r.Symbol))
		}
	}
	str("segment", &r.Segment)
	if str("era", &r.Era) {
		r.Era = strings.ToLower(r.Era)
		if r.Era != string(watchlists.Training) && r.Era != string(watchlists.Inference) {
			bad(watchlists.ErrorAt(vals["era"], "era %q is not training or inference", r.Era))
		}
	}
	if str("range", &r.Range) {
		rg, err := feeds.ParseRange(r.Range)
		if err != nil {
			bad(watchlists.ErrorAt(vals["range"], "range: %v", err))
		}
		r.Range = string(rg)
	}
	if str("enters", &r.Enters) {
		r.Enters = strings.ToLower(r.Enters)
		if !slices.Contains(quadrants, r.Enters) {
			bad(watchlists.ErrorAt(vals["enters"], "enters %q is not one of %s", r.Enters, strings.Join(quadrants, ", ")))
		}
	}
	str("name", &r.Name)
	var err error
	r.Above, err = number(vals["above"], "above")
	bad(err)
	r.Below, err = number(vals["below"], "below")
	bad(err)
	return errs
}

// check enforces what the kind requires, once every field is known good.
func (r Rule) check(item ast.Node, keys, vals map[string]ast.Node) error {
	at := watchlists.FirstKey(item)
	switch r.When {
	case WhenPrice, WhenChange:
		if r.Symbol == "" {
			return watchlists.ErrorAt(at, "%s rule has no symbol: add `symbol: TICKER`", r.When)
		}
	case WhenQuadrant:
		if r.Segment == "" && r.Era == "" {
			return watchlists.ErrorAt(at, "quadrant rule has no segment: add `segment: <watchlist name>` or `era: training|inference`")
		}
		if r.Enters == "" {
			return watchlists.ErrorAt(at, "quadrant rule has no enters: add one of %s", strings.Join(quadrants, ", "))
		}
	case WhenRelativeVolume:
		if r.Segment == "" && r.Era == "" && r.Symbol == "" {
			return watchlists.ErrorAt(at, "relativeVolume rule has nothing to measure: add `segment:`, `era:` or `symbol:`")
		}
	}
	subjects := 0
	for _, f := range []string{"segment", "era", "symbol"} {
		if keys[f] != nil {
			if subjects++; subjects > 1 {
				return watchlists.ErrorAt(keys[f], "a rule measures one thing: keep only one of segment, era and symbol")
			}
		}
	}
	if r.When == WhenQuadrant {
		return nil
	}
	if r.Above == nil && r.Below == nil {
		return watchlists.ErrorAt(at, "%s rule has neither above: nor below: add a threshold, e.g. `above: 2`", r.When)
	}
	// Prices and volumes are positive, so a bound at or below 0 would make
	// the rule always (above) or never (below) hold.
	if noun := map[string]string{WhenPrice: "price", WhenRelativeVolume: "relative volume"}[r.When]; noun != "" {
		for _, f := range []string{"above", "below"} {
			if v := r.bound(f); v != nil && *v <= 0 {
				return watchlists.ErrorAt(vals[f], "%s must be greater than 0: a %s is always positive", f, noun)
			}
		}
	}
	if r.Above != nil && r.Below != nil && *r.Above <= *r.Below {
		return watchlists.ErrorAt(vals["above"], "above %s is not greater than below %s, so the rule would hold for every value; "+
			"a rule with both holds outside the band: above the high bound or below the low one",
			formatBound(*r.Above), formatBound(*r.Below))
	}
	return nil
}

func (r Rule) bound(field string) *float64 {
	if field == "above" {
		return r.Above
	}
	return r.Below
}

// number is a threshold: a finite YAML number; quoted text is refused so a
// typo like "2O0" cannot pass for 200.
func number(n ast.Node, field string) (*float64, error) {
	if n == nil {
		return nil, nil
	}
	v, ok := watchlists.Number(n)
	if !ok {
		return nil, watchlists.ErrorAt(n, "%s must be a number, found %s", field, watchlists.KindOf(n))
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, watchlists.ErrorAt(n, "%s must be a finite number", field)
	}
	return &v, nil
}
