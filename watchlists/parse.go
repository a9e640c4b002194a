package watchlists

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/printer"
	"github.com/goccy/go-yaml/token"
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
	Snippet string // the source lines around Line with a caret under Col; empty for whole-file errors

	cause error // why ReadFile failed, if it did: errors.Is(fe, fs.ErrNotExist) tells a missing file
}

func (e *FileError) Error() string {
	if e.Line == 0 {
		return e.Path + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

// Unwrap is the error ReadFile failed with, or nil.
func (e *FileError) Unwrap() error { return e.cause }

// Report is Error followed by the annotated source lines, ready to print.
func (e *FileError) Report() string {
	if e.Snippet == "" {
		return e.Error()
	}
	return e.Error() + "\n" + e.Snippet
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

// rawFile mirrors the YAML layout; unknown keys are rejected by the decoder.
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

// UnmarshalYAML implements yaml.NodeUnmarshaler so that both entry forms are
// accepted and every complaint keeps the position of the node it is about.
func (e *entry) UnmarshalYAML(n ast.Node) error {
	if text, ok := scalarText(n); ok {
		e.sym = Symbol{Symbol: text, Weight: 1}
		e.symNode = n
		return checkSymbol(n, text)
	}
	if _, ok := n.(ast.MapNode); !ok {
		return errAt(n, "a symbol entry must be a symbol like NVDA or a mapping with symbol:, name:, weight:, note:")
	}
	var f entryFields
	if err := yaml.NodeToValue(n, &f, yaml.DisallowUnknownField()); err != nil {
		return err
	}
	if f.Symbol == nil {
		return errAt(keyOrBody(n, "symbol"), "symbol entry has no symbol: add `symbol: TICKER`")
	}
	text, ok := scalarText(f.Symbol)
	if !ok {
		return errAt(f.Symbol, "symbol must be a single ticker like NVDA or 000660.KS")
	}
	if err := checkSymbol(f.Symbol, text); err != nil {
		return err
	}
	weight := 1.0
	if f.Weight != nil {
		weight = *f.Weight
		if !(weight > 0) || math.IsInf(weight, 0) {
			return errAt(valueOf(n, "weight", n), "weight must be a number greater than 0, got %v; leave it out for the default 1", weight)
		}
	}
	e.sym = Symbol{Symbol: text, Name: strings.TrimSpace(f.Name), Weight: weight, Note: strings.TrimSpace(f.Note)}
	e.symNode = f.Symbol
	return nil
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

// valueOf returns the value node of key in mapping m, or fallback when m is
// not a mapping or lacks the key.
func valueOf(m ast.Node, key string, fallback ast.Node) ast.Node {
	if kv := keyValue(m, key); kv != nil && kv.Value != nil {
		return kv.Value
	}
	return fallback
}

func keyValue(m ast.Node, key string) *ast.MappingValueNode {
	mn, ok := m.(ast.MapNode)
	if !ok {
		return nil
	}
	for it := mn.MapRange(); it.Next(); {
		if kv := it.KeyValue(); kv.Key != nil && kv.Key.GetToken() != nil && kv.Key.GetToken().Value == key {
			return kv
		}
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

// ParseAll is Parse with every problem it can find in one pass, in file
// order: a missing name and a bad era and each bad or duplicate symbol, so
// one save shows them all. A file the YAML decoder rejects (a syntax error,
// an unknown field) gives that one error.
func ParseAll(path string, data []byte) (seg Segment, errs []*FileError) {
	// A parser panic becomes an error (see Recovered); FuzzParse fails if
	// this ever fires.
	defer func() {
		if r := recover(); r != nil {
			seg, errs = Segment{}, []*FileError{Recovered(path, r)}
		}
	}()
	seg, problems := parse(path, data)
	for _, err := range problems {
		errs = append(errs, toFileError(path, err))
	}
	if len(errs) > 0 {
		return Segment{}, errs
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
	var raw rawFile
	if err := yaml.NodeToValue(body, &raw, yaml.DisallowUnknownField()); err != nil {
		return one(err)
	}
	var errs []error
	if strings.TrimSpace(raw.Name) == "" {
		errs = append(errs, errAt(keyOrBody(body, "name"), "name is required: it is the tab title"))
	}
	switch era := Era(raw.Era); {
	case raw.Era == "":
		errs = append(errs, errAt(keyOrBody(body, "era"), "era is required: one of training, inference, benchmark"))
	case !era.Valid():
		errs = append(errs, errAt(valueOf(body, "era", keyOrBody(body, "era")),
			"era %q is not one of training, inference, benchmark", raw.Era))
	}
	symbols, symErrs := parseSymbols(body, raw.Symbols)
	if errs = append(errs, symErrs...); len(errs) > 0 {
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
		return nil, []error{errAt(keyOrBody(body, "symbols"), "symbols is empty: list at least one symbol")}
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
			if err := entries[i].UnmarshalYAML(item); err != nil {
				errs = append(errs, err)
				entries[i].symNode = item // not an empty entry
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

// keyOrBody points at the key node of key in mapping body, or at its first
// key when key is missing, so "required" errors still land on a real line.
func keyOrBody(body ast.Node, key string) ast.Node {
	if kv := keyValue(body, key); kv != nil {
		return kv.Key
	}
	if mn, ok := body.(ast.MapNode); ok {
		it := mn.MapRange()
		if it.Next() {
			return it.Key()
		}
	}
	return body
}

// toFileError turns goccy's errors and our nodeErrors into a positioned FileError.
func toFileError(path string, err error) *FileError {
	fe := &FileError{Path: path, Line: 1, Col: 1, Msg: err.Error()}
	var tk *token.Token
	var ne *nodeError
	var ye yaml.Error
	switch {
	case errors.As(err, &ne):
		tk, fe.Msg = ne.tk, ne.msg
	case errors.As(err, &ye):
		tk, fe.Msg = ye.GetToken(), friendlyMessage(ye)
	}
	if tk != nil && tk.Position != nil && tk.Position.Line >= 1 {
		fe.Line, fe.Col = tk.Position.Line, max(tk.Position.Column, 1)
		var p printer.Printer
		fe.Snippet = strings.TrimRight(p.PrintErrorToken(tk, false), "\n ")
	}
	return fe
}

// friendlyMessage rewrites goccy's Go-type wording ("cannot unmarshal
// []interface {} into Go struct field rawFile.Name of type string") into
// the YAML terms a user can act on, naming the key the value belongs to.
func friendlyMessage(e yaml.Error) string {
	var te *yaml.TypeError
	var ue *yaml.UnexpectedNodeTypeError
	switch {
	case errors.As(e, &te):
		return fmt.Sprintf("%sexpected %s, found %s", keyPrefix(te.Token), kindName(te.DstType), kindName(te.SrcType))
	case errors.As(e, &ue):
		return fmt.Sprintf("%sexpected %s, found %s", keyPrefix(ue.Token), nodeTypeName(ue.Expected), nodeTypeName(ue.Actual))
	}
	return e.GetMessage()
}

// keyPrefix returns "key: " when tk is the value of a "key: value" pair.
func keyPrefix(tk *token.Token) string {
	if tk == nil || tk.Prev == nil || tk.Prev.Type != token.MappingValueType || tk.Prev.Prev == nil {
		return ""
	}
	return tk.Prev.Prev.Value + ": "
}

func nodeTypeName(t ast.NodeType) string {
	switch t {
	case ast.SequenceType:
		return "a list"
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.IntegerType, ast.FloatType, ast.InfinityType, ast.NanType:
		return "a number"
	case ast.StringType, ast.LiteralType:
		return "text"
	}
	return t.YAMLName()
}

func kindName(t reflect.Type) string {
	if t == nil {
		return "nothing"
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true/false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	case reflect.Pointer:
		return kindName(t.Elem())
	}
	return t.String()
}
