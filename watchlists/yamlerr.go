package watchlists

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/printer"
	"github.com/goccy/go-yaml/token"
)

// The helpers below let the other YAML files the user edits (holdings,
// alerts) be parsed, and report errors, exactly as watchlists are:
// file:line:col, the line shown with a caret, and YAML wording rather than
// Go types. ReadFile (readfile.go) reads them as safely.

// ErrorAt is a validation failure at node n; PositionError places it.
func ErrorAt(n ast.Node, format string, args ...any) error {
	return &nodeError{tk: n.GetToken(), msg: fmt.Sprintf(format, args...)}
}

// PositionError turns an error from goccy's parser or decoder, or one made
// by ErrorAt, into a FileError at path with its line, column and snippet.
// Other errors land at 1:1.
func PositionError(path string, err error) *FileError { return toFileError(path, err) }

// PositionErrors is PositionError of each of errs, sorted by position so a
// file's problems read top to bottom, and without repeats.
func PositionErrors(path string, errs []error) []*FileError {
	out := make([]*FileError, 0, len(errs))
	seen := make(map[string]bool, len(errs))
	for _, err := range errs {
		if fe := toFileError(path, err); !seen[fe.Error()] {
			seen[fe.Error()] = true
			out = append(out, fe)
		}
	}
	slices.SortStableFunc(out, func(a, b *FileError) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return out
}

// ValidSymbol reports whether s is in the Yahoo symbol alphabet (upper-case:
// NVDA, 000660.KS, ^GSPC, KRW=X, BRK-B).
func ValidSymbol(s string) bool { return symbolPattern.MatchString(s) }

// SymbolText is the upper-cased text of a scalar that can be a symbol.
// Numbers keep their source text, so 0050 stays 0050 rather than 40.
func SymbolText(n ast.Node) (string, bool) { return scalarText(n) }

// Number is the value of a YAML number node: an integer, a float, or .inf
// or .nan (not finite, for the caller to refuse in its own words). ok is
// false for any other node, quoted text included.
func Number(n ast.Node) (v float64, ok bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		switch i := n.Value.(type) {
		case int64:
			v = float64(i)
		case uint64:
			v = float64(i)
		}
	case *ast.FloatNode:
		v = n.Value
	case *ast.InfinityNode, *ast.NanNode:
		v = math.NaN()
	default:
		return 0, false
	}
	return v, true
}

// ParserCrashed starts the message of the FileError that Recovered makes,
// so that fuzz tests can tell a crash from an ordinary error.
const ParserCrashed = "the YAML parser crashed on this file"

// Recovered is the FileError for a panic r recovered while parsing path. A
// panic inside the YAML library must not take the terminal down while the
// user is editing the file, so each Parse turns it into this.
func Recovered(path string, r any) *FileError {
	return &FileError{Path: path, Line: 1, Col: 1,
		Msg: fmt.Sprintf("%s (%v); simplify the file and report this", ParserCrashed, r)}
}

// ParseDocument parses data as YAML and returns the body of its only
// document, nil when the file is empty or holds only comments. A syntax
// error's message ends with what to do about it (see syntaxAdvice). A second
// document is an error at its start, "only one YAML document per file: "
// followed by advice on where its contents belong. Every file we parse
// comes through here, so that a file nested deeper than MaxDepth is refused
// before the parser sees it.
func ParseDocument(data []byte, advice string) (ast.Node, error) {
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, &syntaxError{err}
	}
	var body ast.Node
	for i, doc := range file.Docs {
		if i > 0 && doc.Body != nil {
			return nil, ErrorAt(doc.Body, "only one YAML document per file: %s", advice)
		}
		if i == 0 {
			body = doc.Body
		}
	}
	return body, nil
}

// FirstSpecial finds the first tag, anchor or alias in n, or nil. The files
// users edit need none of them, an alias would let one entry silently stand
// in for another, and goccy's decoder has panicked on tagged nodes.
func FirstSpecial(n ast.Node) ast.Node {
	return firstNode(n, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.TagNode, *ast.AnchorNode, *ast.AliasNode:
			return true
		}
		return false
	})
}

// firstNode is the first node of n, in walk order, that match accepts.
func firstNode(n ast.Node, match func(ast.Node) bool) ast.Node {
	var found ast.Node
	ast.Walk(visitFunc(func(n ast.Node) bool {
		if found == nil && match(n) {
			found = n
		}
		return found == nil
	}), n)
	return found
}

// visitFunc adapts a function to ast.Visitor; returning false prunes the walk.
type visitFunc func(ast.Node) bool

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if f(n) {
		return f
	}
	return nil
}

// toFileError turns goccy's errors and our nodeErrors into a positioned FileError.
func toFileError(path string, err error) *FileError {
	fe := &FileError{Path: path, Line: 1, Col: 1, Msg: err.Error()}
	var de *depthError
	if errors.As(err, &de) {
		fe.Line, fe.Col, fe.Snippet = de.line, de.col, inertLines(de.snippet)
		return fe
	}
	var tk *token.Token
	var ne *nodeError
	var ye yaml.Error
	switch {
	case errors.As(err, &ne):
		tk, fe.Msg = ne.tk, ne.msg
	case errors.As(err, &ye):
		tk, fe.Msg = ye.GetToken(), friendlyMessage(ye)
	}
	var se *syntaxError
	if errors.As(err, &se) {
		fe.Msg = syntaxAdvice(fe.Msg)
	}
	if tk != nil && tk.Position != nil && tk.Position.Line >= 1 {
		fe.Line, fe.Col = tk.Position.Line, max(tk.Position.Column, 1)
		var p printer.Printer
		fe.Snippet = inertLines(strings.TrimRight(p.PrintErrorToken(tk, false), "\n "))
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

// syntaxError is the parser's failure to read the file as YAML. Nothing
// past it can be read reliably, so it is the file's only error and its
// message says what to do.
type syntaxError struct{ err error }

func (e *syntaxError) Error() string { return e.err.Error() }
func (e *syntaxError) Unwrap() error { return e.err }

// syntaxHints are fixes for the syntax errors people make, by a piece of
// goccy's message; the first that matches is given.
var syntaxHints = []struct{ has, hint string }{
	{"found character '\t'", "indent with spaces, not tabs"},
	{"could not find end character of", "close the quote, or write the value without it"},
	{"already defined at", "keep one of the two"},
	{"']' not found", "close the list with ]"},
	{"end token '}'", "close the mapping with }"},
	{"corresponding to", "remove the bracket or add its opening one"},
	{"reserved character", "put the value in quotes"},
	{"mapping value is not allowed", `quote a value holding ": ", and line each key up with the keys above it`},
	{"non-map value is specified", "write `key: value`, and indent list items under their key"},
	{"not allowed in this context", "line this up with the lines above it, and quote a value holding quotes or \": \""},
}

// syntaxAdvice appends to a syntax error's message how to fix it and that
// the file's other problems show once it is fixed.
func syntaxAdvice(msg string) string {
	hint := "check the indentation and quoting of this line and the one above"
	for _, h := range syntaxHints {
		if strings.Contains(msg, h.has) {
			hint = h.hint
			break
		}
	}
	return msg + ": " + hint + " (a YAML syntax error: the rest of the file is checked once it is fixed)"
}
