package watchlists

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// Keys is what one mapping of a user's file may hold. Its Unknown replaces
// the decoder's DisallowUnknownField, which stops at one unknown key (a
// random one: it keeps them in a Go map) and so hides every other error.
type Keys struct {
	Known   []string          // the keys, in the order messages name them
	Aliases map[string]string // keys people write out of habit (lower case) -> the real one
	Where   string            // ends `unknown field "x" ...`: where it is and what belongs there
}

// Has reports whether key is one of k.Known.
func (k Keys) Has(key string) bool { return slices.Contains(k.Known, key) }

// Unknown returns an error at every key of mapping m that k does not know,
// in file order. Each names the real key for an alias or a near miss
// (`nmae` -> name), so a typo reads as a typo. The caller goes on as if the
// key were absent, so `nmae:` also gets "name is required" (see Misspelt).
func (k Keys) Unknown(m ast.Node) []error {
	var errs []error
	k.eachUnknown(m, func(key ast.Node, name string) {
		switch real, alias := k.suggest(name); {
		case alias:
			errs = append(errs, ErrorAt(key, "unknown field %q: write %s: instead", name, real))
		case real != "":
			errs = append(errs, ErrorAt(key, "unknown field %q: did you mean %s?", name, real))
		default:
			errs = append(errs, ErrorAt(key, "unknown field %q %s", name, k.Where))
		}
	})
	return errs
}

// Misspelt is the unknown key of mapping m that stands for key (`nmae` for
// name, the alias `shares` for quantity), or nil. A "key is required" error
// goes there, next to Unknown's: that is the line to fix.
func (k Keys) Misspelt(m ast.Node, key string) ast.Node {
	var found ast.Node
	k.eachUnknown(m, func(n ast.Node, name string) {
		if real, _ := k.suggest(name); found == nil && real == key {
			found = n
		}
	})
	return found
}

// eachUnknown calls f with each key of mapping m that k does not know.
func (k Keys) eachUnknown(m ast.Node, f func(key ast.Node, name string)) {
	mn, ok := m.(ast.MapNode)
	if !ok {
		return
	}
	for it := mn.MapRange(); it.Next(); {
		key := it.Key()
		if key == nil {
			continue
		}
		if name := KeyText(key); !k.Has(name) {
			f(key, name)
		}
	}
}

// suggest is the known key that name stands for, alias telling whether it
// is a habit (Aliases) rather than a typo; "" when there is none.
func (k Keys) suggest(name string) (real string, alias bool) {
	if real, ok := k.Aliases[strings.ToLower(name)]; ok {
		return real, true
	}
	return nearest(name, k.Known), false
}

// KeyText is the text of a mapping key as the decoder matches it: a quoted
// key without its quotes, a number as written, `? key` as key.
func KeyText(key ast.Node) string {
	switch n := key.(type) {
	case *ast.StringNode:
		return n.Value
	case *ast.MappingKeyNode:
		if n.Value != nil {
			return KeyText(n.Value)
		}
	}
	if tk := key.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// nearest is the known key that name is a likely typo of, or "". Short
// keys allow one edit, longer ones two, so "note" is not taken for "date".
func nearest(name string, known []string) string {
	limit := 1
	if len([]rune(name)) > 4 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance counts the insertions, deletions, substitutions and swaps of
// neighbours between a and b (optimal string alignment): a swap, the most
// common slip in typing a key (nmae), counts once.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	if len(s) > 64 { // a key this long is no typo of ours; keep the work bounded
		return len(s)
	}
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}

var astNodeType = reflect.TypeFor[ast.Node]()

// DecodeFields decodes mapping m into *dst, a struct whose fields have yaml
// tags, one key at a time: a value of the wrong type (`name: [a, b]`) is
// an error at that value that hides no other key's. Keys without a field
// are skipped (Keys.Unknown reports them). failed holds the keys whose
// value did not decode, so that the caller does not also call them missing.
//
// A mapping with an alias in a decoded value goes to the decoder whole,
// since only it resolves aliases, and gives at most one error. A `<<:`
// merge key is no field, so it is an unknown key like any other.
func DecodeFields(m ast.Node, dst any) (errs []error, failed map[string]bool) {
	mn, ok := m.(ast.MapNode)
	if !ok { // the callers check for a mapping first; this is only a backstop
		if err := yaml.NodeToValue(m, dst); err != nil {
			return []error{err}, nil
		}
		return nil, nil
	}
	rv := reflect.ValueOf(dst).Elem()
	fields := tagIndex(rv.Type())
	var known []*ast.MappingValueNode
	whole := false
	for it := mn.MapRange(); it.Next(); {
		kv := it.KeyValue()
		if kv.Key == nil {
			continue
		}
		i, ok := fields[KeyText(kv.Key)]
		if !ok {
			continue
		}
		if rv.Field(i).Type() != astNodeType && hasAlias(kv.Value) {
			whole = true
		}
		known = append(known, kv)
	}
	failed = make(map[string]bool)
	if whole {
		// Only the known keys, as below: the decoder must not see a key the
		// walk already reported (nor merge one in).
		if err := yaml.NodeToValue(ast.Mapping(m.GetToken(), false, known...), dst); err != nil {
			for name := range fields {
				failed[name] = true // which one is not known: claim nothing is missing
			}
			return []error{err}, failed
		}
		return nil, failed
	}
	for _, kv := range known {
		// A mapping of this key alone decodes exactly as the key would in
		// the whole mapping; goccy decodes a bare value differently.
		name := KeyText(kv.Key)
		one := reflect.New(rv.Type())
		if err := yaml.NodeToValue(ast.Mapping(m.GetToken(), false, kv), one.Interface()); err != nil {
			errs = append(errs, err)
			failed[name] = true
			continue
		}
		i := fields[name]
		rv.Field(i).Set(one.Elem().Field(i))
	}
	return errs, failed
}

// tagIndex maps the yaml tag name of each field of struct type t to its index.
func tagIndex(t reflect.Type) map[string]int {
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("watchlists.DecodeFields: %s is not a struct", t))
	}
	fields := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			fields[name] = i
		}
	}
	return fields
}

func hasAlias(n ast.Node) bool {
	return n != nil && firstNode(n, func(n ast.Node) bool {
		_, ok := n.(*ast.AliasNode)
		return ok
	}) != nil
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
		if kv := it.KeyValue(); kv.Key != nil && KeyText(kv.Key) == key {
			return kv
		}
	}
	return nil
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
