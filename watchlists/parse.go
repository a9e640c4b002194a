package watchlists

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/rotation-dev/rotation/sanitize"
)

// MaxFileSize is the largest watchlist file read; anything bigger is a
// mistake (a data dump saved with the wrong extension), not a watchlist.
const MaxFileSize = 1 << 20

// symbolPattern is the Yahoo symbol alphabet: NVDA, 000660.KS, ^GSPC, KRW=X, BRK-B.
var symbolPattern = regexp.MustCompile(`^[A-Z0-9^=.\-]{1,24}$`)

// FileError is a problem with one watchlist file. Line and Col are 1-based
// and point at the offending YAML node; both are 0 when the error concerns
// the whole file (unreadable, too big) or the whole directory.
type FileError struct {
	Path    string
	Line    int
	Col     int
	Msg     string
	Snippet string // the source lines around Line with a caret under Col, sanitized; empty for whole-file errors

	cause error // why ReadFile failed, if it did: errors.Is(fe, fs.ErrNotExist) tells a missing file
}

// Error is the error on one line, safe to print: the path and the message
// can hold text from the file or the disk, so terminal sequences and other
// controls are removed (sanitize.Text), a tab kept as \t.
func (e *FileError) Error() string {
	s := e.Path + ": " + e.Msg
	if e.Line != 0 {
		s = fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	}
	return sanitize.Text(strings.ReplaceAll(s, "\t", `\t`))
}

// Unwrap is the error ReadFile failed with, or nil.
func (e *FileError) Unwrap() error { return e.cause }

// Report is Error followed by the annotated source lines, ready to print.
func (e *FileError) Report() string {
	if e.Snippet == "" {
		return e.Error()
	}
	return e.Error() + "\n" + inertLines(e.Snippet)
}

// inertLines is a snippet safe to print: its lines quote the file, so each
// is sanitized on its own, a tab shown as a space to keep the caret under
// its column. The snippets made here are so already; Report makes sure.
func inertLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize.Text(strings.ReplaceAll(l, "\t", " "))
	}
	return strings.Join(lines, "\n")
}

// nodeError is a validation failure at a YAML token; Parse turns it into a FileError.
type nodeError struct {
	tk  *token.Token
	msg string
}

func (e *nodeError) Error() string { return e.msg }

func errAt(n ast.Node, format string, args ...any) *nodeError {
	return &nodeError{tk: n.GetToken(), msg: fmt.Sprintf(format, args...)}
}

// rawFile mirrors the YAML layout; fileKeys are its keys.
type rawFile struct {
	Name        string   `yaml:"name"`
	Era         string   `yaml:"era"`
	Description string   `yaml:"description"`
	Symbols     ast.Node `yaml:"symbols"` // read item by item: parseSymbols
}

// entry is one item of symbols: either a bare scalar or a mapping.
type entry struct {
	sym     Symbol
	symNode ast.Node // where the symbol text sits, for duplicate reports
}

// entryFields is the mapping form of an entry. Symbol stays a node so that
// numeric-looking symbols keep their source text (0050 must not become 40).
type entryFields struct {
	Symbol ast.Node `yaml:"symbol"`
	Name   string   `yaml:"name"`
	Weight *float64 `yaml:"weight"`
	Note   string   `yaml:"note"`
}

// The keys of a watchlist and of an entry's mapping form.
var (
	fileKeys = Keys{Known: []string{"name", "era", "description", "symbols"},
		Where: "in a watchlist, which has name:, era:, description: and symbols:"}
	entryKeys = Keys{Known: []string{"symbol", "name", "weight", "note"},
		Where: "in a symbol entry, which has symbol:, name:, weight: and note:"}
)

// UnmarshalYAML implements yaml.NodeUnmarshaler for a list the decoder
// reads whole (one holding aliases); it gives the entry's first problem.
func (e *entry) UnmarshalYAML(n ast.Node) error {
	if errs := e.parse(n); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// parse reads either entry form with every problem it has, each at the
// node it is about. e.sym is set whenever the symbol itself is good, so
// that a duplicate of it is still found.
func (e *entry) parse(n ast.Node) []error {
	if text, ok := scalarText(n); ok {
		e.sym = Symbol{Symbol: text, Weight: 1}
		e.symNode = n
		if err := checkSymbol(n, text); err != nil {
			return []error{err}
		}
		return nil
	}
	if _, ok := n.(ast.MapNode); !ok {
		return []error{errAt(n, "a symbol entry must be a symbol like NVDA or a mapping with symbol:, name:, weight:, note:")}
	}
	errs := entryKeys.Unknown(n)
	var f entryFields
	decodeErrs, failed := DecodeFields(n, &f)
	errs = append(errs, decodeErrs...)
	text, ok := scalarText(f.Symbol)
	switch {
	case f.Symbol == nil && !failed["symbol"]:
		errs = append(errs, errAt(missingAt(entryKeys, n, "symbol"), "symbol entry has no symbol: add `symbol: TICKER`"))
	case f.Symbol == nil:
	case !ok:
		errs = append(errs, errAt(f.Symbol, "symbol must be a single ticker like NVDA or 000660.KS"))
	default:
		if err := checkSymbol(f.Symbol, text); err != nil {
			errs = append(errs, err)
			text = ""
		}
	}
	weight := 1.0
	if f.Weight != nil {
		weight = *f.Weight
		if !(weight > 0) || math.IsInf(weight, 0) {
			errs = append(errs, errAt(valueOf(n, "weight", n), "weight must be a number greater than 0, got %v; leave it out for the default 1", weight))
		}
	}
	if ok && text != "" {
		e.sym = Symbol{Symbol: text, Name: strings.TrimSpace(f.Name), Weight: weight, Note: strings.TrimSpace(f.Note)}
		e.symNode = f.Symbol
	}
	return errs
}

// scalarText returns the upper-cased source text of a scalar that can be a symbol.
func scalarText(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		return strings.ToUpper(strings.TrimSpace(n.Value)), true
	case *ast.IntegerNode, *ast.FloatNode:
		return strings.ToUpper(n.GetToken().Value), true
	}
	return "", false
}

func checkSymbol(n ast.Node, text string) error {
	if !symbolPattern.MatchString(text) {
		return errAt(n, "symbol %q is not a Yahoo symbol: use 1-24 of A-Z 0-9 ^ = . - (e.g. NVDA, 000660.KS, ^GSPC)", text)
	}
	return nil
}

// Parse decodes and validates one watchlist file. path is used in errors and
// its base name becomes Segment.File. fe is the first problem; ParseAll
// gives every one.
func Parse(path string, data []byte) (seg Segment, fe *FileError) {
	seg, errs := ParseAll(path, data)
	if len(errs) > 0 {
		return Segment{}, errs[0]
	}
	return seg, nil
}

// ParseAll is Parse with every problem it can find, in file order, so one
// save shows them all: each unknown key, at the top and in each entry (with
// the key it is likely a typo of); each value of the wrong type, such as
// `name: [a, b]`; a missing name or era and a bad era; each bad, empty or
// duplicate symbol, and every problem of an entry. An unknown key counts as
// absent, so `nmae:` is also "name is required".
//
// What cannot be read past gives that one error: a YAML syntax error (a
// tab, bad indentation, an unclosed quote or bracket, a key given twice),
// whose message says so; a second document; an empty file, or one that is
// not a mapping; a YAML tag. A symbols list that is not a list or holds an
// alias, and a mapping with an alias in a text or number value, are read
// whole by the decoder and give its first error.
func ParseAll(path string, data []byte) (seg Segment, errs []*FileError) {
	// A parser panic becomes an error (see Recovered); FuzzParse fails if
	// this ever fires.
	defer func() {
		if r := recover(); r != nil {
			seg, errs = Segment{}, []*FileError{Recovered(path, r)}
		}
	}()
	seg, problems := parse(path, data)
	if len(problems) > 0 {
		return Segment{}, PositionErrors(path, problems)
	}
	return seg, nil
}

func parse(path string, data []byte) (Segment, []error) {
	one := func(err error) (Segment, []error) { return Segment{}, []error{err} }
	body, err := ParseDocument(data, "move this one to a file of its own")
	if err != nil {
		return one(err)
	}
	if body == nil {
		return one(&nodeError{msg: "file is empty: a watchlist needs name:, era: and symbols:"})
	}
	if _, ok := body.(ast.MapNode); !ok {
		return one(errAt(body, "a watchlist file must be a mapping with name:, era:, description:, symbols:"))
	}
	if tag := firstTag(body); tag != nil {
		return one(errAt(tag, "YAML tags like %s are not used in watchlists: remove it", tag.Start.Value))
	}
	errs := fileKeys.Unknown(body)
	var raw rawFile
	decodeErrs, failed := DecodeFields(body, &raw)
	errs = append(errs, decodeErrs...)
	// A value that failed to decode has its own error; it is not missing too.
	if strings.TrimSpace(raw.Name) == "" && !failed["name"] {
		errs = append(errs, errAt(missingAt(fileKeys, body, "name"), "name is required: it is the tab title"))
	}
	switch era := Era(raw.Era); {
	case failed["era"]:
	case raw.Era == "":
		errs = append(errs, errAt(missingAt(fileKeys, body, "era"), "era is required: one of training, inference, benchmark"))
	case !era.Valid():
		errs = append(errs, errAt(valueOf(body, "era", keyOrBody(body, "era")),
			"era %q is not one of training, inference, benchmark", raw.Era))
	}
	var symbols []Symbol
	if !failed["symbols"] {
		var symErrs []error
		symbols, symErrs = parseSymbols(body, raw.Symbols)
		errs = append(errs, symErrs...)
	}
	if len(errs) > 0 {
		return Segment{}, errs
	}
	return Segment{
		File:        filepath.Base(path),
		Name:        strings.TrimSpace(raw.Name),
		Era:         Era(raw.Era),
		Description: strings.TrimSpace(raw.Description),
		Symbols:     symbols,
	}, nil
}

// parseSymbols reads the symbols list item by item, so that each bad entry
// is reported, not only the first. Items decode as the decoder would; a
// list holding an alias is left to the decoder whole, which resolves it.
func parseSymbols(body, list ast.Node) ([]Symbol, []error) {
	seq, ok := list.(*ast.SequenceNode)
	if list == nil || (ok && len(seq.Values) == 0) {
		return nil, []error{errAt(missingAt(fileKeys, body, "symbols"), "symbols is empty: list at least one symbol")}
	}
	var entries []entry
	var errs []error
	if !ok || FirstSpecial(list) != nil {
		if err := yaml.NodeToValue(list, &entries); err != nil {
			return nil, []error{err}
		}
	} else {
		entries = make([]entry, len(seq.Values))
		for i, item := range seq.Values {
			if _, null := item.(*ast.NullNode); item == nil || null {
				continue // reported below, as an empty entry
			}
			if itemErrs := entries[i].parse(item); len(itemErrs) > 0 {
				errs = append(errs, itemErrs...)
				if entries[i].symNode == nil {
					entries[i].symNode = item // not an empty entry
				}
			}
		}
	}
	seen := make(map[string]*token.Token, len(entries))
	symbols := make([]Symbol, 0, len(entries))
	for i, e := range entries {
		switch first, dup := seen[e.sym.Symbol]; {
		case e.symNode == nil: // a bare "-": the decoder skips null entries without asking entry
			errs = append(errs, errAt(sequenceItem(body, "symbols", i), "empty symbol entry: write a symbol after the dash or delete the line"))
		case e.sym.Symbol == "": // its own error is already listed
		case dup:
			errs = append(errs, errAt(e.symNode, "duplicate symbol %s (first listed at line %d): list it once",
				e.sym.Symbol, first.Position.Line))
		default:
			seen[e.sym.Symbol] = e.symNode.GetToken()
			symbols = append(symbols, e.sym)
		}
	}
	return symbols, errs
}

// sequenceItem returns item i of the list under key, or the key itself.
func sequenceItem(body ast.Node, key string, i int) ast.Node {
	if seq, ok := valueOf(body, key, nil).(*ast.SequenceNode); ok && i < len(seq.Values) && seq.Values[i] != nil {
		return seq.Values[i]
	}
	return keyOrBody(body, key)
}

// firstTag finds the first explicit tag (!!str, !foo). Watchlists need
// none, and goccy's decoder panics on some tagged nodes. Only tags:
// anchors and aliases, which FirstSpecial also refuses, stay allowed here.
func firstTag(n ast.Node) *ast.TagNode {
	tag, _ := firstNode(n, func(n ast.Node) bool {
		_, ok := n.(*ast.TagNode)
		return ok
	}).(*ast.TagNode)
	return tag
}

// missingAt is where "key is required" goes in mapping m: at the key when
// it is there but empty, else at a misspelling of it, else at m's first key.
func missingAt(keys Keys, m ast.Node, key string) ast.Node {
	if keyValue(m, key) == nil {
		if n := keys.Misspelt(m, key); n != nil {
			return n
		}
	}
	return keyOrBody(m, key)
}
