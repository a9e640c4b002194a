package watchlists

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// The helpers below let the other YAML files the user edits (holdings,
// alerts) report errors exactly as watchlists do: file:line:col, the line
// shown with a caret, and YAML wording rather than Go types.

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

// KeyNode points at the key node of key in mapping m, or at m itself when
// the key is missing, so a "required" error still lands on a real line.
func KeyNode(m ast.Node, key string) ast.Node { return keyOrBody(m, key) }

// ValueNode is the value node of key in mapping m, or its KeyNode.
func ValueNode(m ast.Node, key string) ast.Node { return valueOf(m, key, keyOrBody(m, key)) }
