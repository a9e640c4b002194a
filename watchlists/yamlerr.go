package watchlists

import (
	"fmt"
	"math"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
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

// KeyNode points at the key node of key in mapping m, or at m itself when
// the key is missing, so a "required" error still lands on a real line.
func KeyNode(m ast.Node, key string) ast.Node { return keyOrBody(m, key) }

// ValueNode is the value node of key in mapping m, or its KeyNode.
func ValueNode(m ast.Node, key string) ast.Node { return valueOf(m, key, keyOrBody(m, key)) }

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
// document, nil when the file is empty or holds only comments. A second
// document is an error at its start, "only one YAML document per file: "
// followed by advice on where its contents belong.
func ParseDocument(data []byte, advice string) (ast.Node, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, err
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
