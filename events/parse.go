package events

import (
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/rotation-dev/rotation/sanitize"
	"github.com/rotation-dev/rotation/watchlists"
)

// The event suggested wherever the user has to write one.
const example = "`- {date: 2025-01-27, label: DeepSeek-R1 sell-off}`"

// MaxEvents bounds the events of one file: each is a mark on a chart, and
// a few dozen already crowd one.
const MaxEvents = 1000

// MaxFileSize bounds the events file; watchlists.ReadFile enforces it.
const MaxFileSize = watchlists.MaxFileSize

// eventKeys are the keys an event may have; the aliases are the words
// people reach for first.
var eventKeys = watchlists.Keys{
	Known: []string{"date", "label", "symbols"},
	Aliases: map[string]string{
		"day": "date", "when": "date", "name": "label", "title": "label", "text": "label",
		"note": "label", "symbol": "symbols", "tickers": "symbols", "ticker": "symbols",
	},
	Where: "in an event, which has date:, label: and symbols:",
}

// Read reads the events file at path, refusing what is not a small regular
// file. A missing file is an error that says how to create one.
func Read(path string) ([]byte, *watchlists.FileError) {
	return watchlists.ReadFile(path, watchlists.ReadOptions{
		Missing: "no events file: create it with a YAML list of events, one per item, e.g. " + example +
			", or run 'rotation init' for the built-in ones",
		NotRegular: func(mode fs.FileMode) string {
			return fmt.Sprintf("is %s, not a regular file: the events file must be a YAML file", watchlists.FileKind(mode))
		},
		TooBig: fmt.Sprintf("file is larger than %d bytes; an events file is a short list of dates, so check it is the right file", MaxFileSize),
	})
}

// Parse is ParseAll with only the first error.
func Parse(path string, data []byte) ([]Event, *watchlists.FileError) {
	evs, errs := ParseAll(path, data)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return evs, nil
}

// ParseAll decodes and validates an events file with every problem it
// finds, in file order. An empty file, one of only comments, `[]` or `~` is
// no events. A YAML syntax error, a second document, a tag, anchor or
// alias, a file that is not a list, or more than MaxEvents events give that
// one error.
func ParseAll(path string, data []byte) (evs []Event, errs []*watchlists.FileError) {
	// A parser panic becomes an error (see watchlists.Recovered).
	defer func() {
		if r := recover(); r != nil {
			evs, errs = nil, []*watchlists.FileError{watchlists.Recovered(path, r)}
		}
	}()
	evs, problems := parse(data)
	if len(problems) > 0 {
		return nil, watchlists.PositionErrors(path, problems)
	}
	return evs, nil
}

// list is the events file's shape, with its messages.
var list = watchlists.List{
	Advice:   "merge the events into one list",
	Special:  "YAML tags, anchors and aliases are not used in events: write each event out in full",
	NotAList: "the events file must be a list of events, each starting with '- ', e.g. " + example,
	Max:      MaxEvents,
	TooMany:  fmt.Sprintf("more than %d events: remove some, a chart cannot show them all", MaxEvents),
	Empty:    "empty event: write one after the dash, e.g. " + example + ", or delete the line",
}

func parse(data []byte) ([]Event, []error) {
	items, errs, fatal := list.Items(data)
	if fatal != nil {
		return nil, []error{fatal}
	}
	var evs []Event
	seen := make(map[string]int) // date and label -> line of the first
	for _, item := range items {
		e, eventErrs := parseEvent(item)
		if len(eventErrs) > 0 {
			errs = append(errs, eventErrs...)
			continue
		}
		// Case and spacing do not make a second event of the same mark.
		key := e.Date.Format(time.DateOnly) + "\x00" + strings.ToLower(strings.Join(strings.Fields(e.Label), " "))
		if first, dup := seen[key]; dup {
			errs = append(errs, watchlists.ErrorAt(watchlists.FirstKey(item), "this event repeats the one at line %d (same date and label): remove one", first))
			continue
		}
		seen[key] = e.Line
		evs = append(evs, e)
	}
	return evs, errs
}

// parseEvent reads one list item with every problem it has.
func parseEvent(item ast.Node) (Event, []error) {
	if _, ok := item.(ast.MapNode); !ok {
		return Event{}, []error{watchlists.ErrorAt(item, "an event must be a mapping with date: and label:, e.g. %s", example)}
	}
	vals, keys, errs := eventKeys.Fields(item)
	at := watchlists.FirstKey(item)
	e := Event{Source: SourceFile, Line: at.GetToken().Position.Line}
	// A required key that is absent is reported where its misspelling is,
	// if there is one, since that is the line to fix.
	missing := func(key, msg string) {
		if keys[key] != nil {
			return // present without a value: reported above
		}
		where := eventKeys.Misspelt(item, key)
		if where == nil {
			where = at
		}
		errs = append(errs, watchlists.ErrorAt(where, "%s", msg))
	}
	if n := vals["date"]; n != nil {
		d, err := date(n)
		if err != nil {
			errs = append(errs, err)
		}
		e.Date = d
	} else {
		missing("date", "event has no date: add `date: YYYY-MM-DD`")
	}
	if n := vals["label"]; n != nil {
		s, err := watchlists.Text(n, "label")
		switch {
		case err != nil:
			errs = append(errs, err)
		case sanitize.Text(strings.TrimSpace(s)) == "": // nothing would show
			errs = append(errs, watchlists.ErrorAt(n, "label is empty: write a few words saying what happened"))
		default:
			e.Label = strings.TrimSpace(s)
		}
	} else {
		missing("label", "event has no label: add `label: what happened`")
	}
	if n := vals["symbols"]; n != nil {
		syms, symErrs := symbols(n)
		errs = append(errs, symErrs...)
		e.Symbols = syms
	}
	if len(errs) > 0 {
		return Event{}, errs
	}
	return e, nil
}

// date is a calendar date written YYYY-MM-DD.
func date(n ast.Node) (time.Time, error) {
	if s, ok := n.(*ast.StringNode); ok {
		if d, err := time.Parse(time.DateOnly, strings.TrimSpace(s.Value)); err == nil {
			return d, nil
		}
	}
	return time.Time{}, watchlists.ErrorAt(n, "date must be a calendar date written YYYY-MM-DD, like 2025-01-27")
}

// symbols is a list of Yahoo symbols, each once.
func symbols(n ast.Node) ([]string, []error) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		return nil, []error{watchlists.ErrorAt(n, "symbols must be a list, like [NVDA] or [NVDA, AMD]")}
	}
	var out []string
	var errs []error
	seen := make(map[string]bool)
	for _, v := range seq.Values {
		s, ok := watchlists.SymbolText(v)
		switch {
		case !ok:
			errs = append(errs, watchlists.ErrorAt(v, "a symbol must be text like NVDA, found %s", watchlists.KindOf(v)))
		case !watchlists.ValidSymbol(s):
			errs = append(errs, watchlists.ErrorAt(v, "symbol %q is not a Yahoo symbol: use 1-24 of A-Z 0-9 ^ = . - (e.g. NVDA, 000660.KS, ^GSPC)", s))
		case seen[s]:
			errs = append(errs, watchlists.ErrorAt(v, "%s is listed twice: remove one", s))
		default:
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, errs
}
