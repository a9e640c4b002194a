package watchlists

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// List is a user file that is a YAML list of entries, each a mapping: the
// alerts file's rules, the events file's events. Its fields are the
// messages, in that file's words, for what is wrong with the list itself.
type List struct {
	Advice   string // where a second document's contents belong (ParseDocument)
	Special  string // a tag, anchor or alias
	NotAList string // a file that is not a list
	Max      int    // entries at most
	TooMany  string // more than Max entries
	Empty    string // an empty entry: a dash and nothing after it
}

// Items parses data as such a list. A syntax error, a second document, a
// tag, anchor or alias, a file that is not a list or one with more than Max
// entries is fatal: that one error. Otherwise items are the entries in file
// order, and errs one error at the dash of each empty entry. An empty file,
// one of comments, `[]` or `~` has no entries.
func (l List) Items(data []byte) (items []ast.Node, errs []error, fatal error) {
	body, err := ParseDocument(data, l.Advice)
	if err != nil || body == nil {
		return nil, nil, err
	}
	if n := FirstSpecial(body); n != nil {
		return nil, nil, ErrorAt(n, "%s", l.Special)
	}
	if _, null := body.(*ast.NullNode); null {
		return nil, nil, nil
	}
	seq, ok := body.(*ast.SequenceNode)
	if !ok {
		return nil, nil, ErrorAt(FirstKey(body), "%s", l.NotAList)
	}
	if len(seq.Values) > l.Max {
		return nil, nil, ErrorAt(FirstKey(seq.Values[l.Max]), "%s", l.TooMany)
	}
	for i, item := range seq.Values {
		if _, null := item.(*ast.NullNode); null || item == nil {
			at := item
			if i < len(seq.Entries) && seq.Entries[i] != nil {
				at = seq.Entries[i] // the dash: a null has no text of its own to point at
			}
			errs = append(errs, ErrorAt(at, "%s", l.Empty))
			continue
		}
		items = append(items, item)
	}
	return items, errs, nil
}

// Fields walks the keys of mapping item that k knows: the value of each, the
// key node of each (present, also for a key without a value), and an error
// at every unknown key (Unknown) and every known key without a value.
// A node that is not a mapping has no fields.
func (k Keys) Fields(item ast.Node) (vals, present map[string]ast.Node, errs []error) {
	errs = k.Unknown(item)
	vals, present = make(map[string]ast.Node), make(map[string]ast.Node)
	m, ok := item.(ast.MapNode)
	if !ok {
		return vals, present, errs
	}
	for it := m.MapRange(); it.Next(); {
		kv := it.KeyValue()
		name := KeyText(kv.Key)
		if !k.Has(name) {
			continue // Unknown reported it
		}
		present[name] = kv.Key
		if _, null := kv.Value.(*ast.NullNode); null || kv.Value == nil {
			// At the key: a missing value has no text of its own to point at.
			errs = append(errs, ErrorAt(kv.Key, "%s has no value: write one after the colon or delete the line", name))
			continue
		}
		vals[name] = kv.Value
	}
	return vals, present, errs
}

// FirstKey is the first key of a mapping, the natural place of an entry: a
// block mapping's own token is the colon after it. Any other node is its
// own place.
func FirstKey(item ast.Node) ast.Node {
	if m, ok := item.(ast.MapNode); ok {
		if it := m.MapRange(); it.Next() {
			return it.Key()
		}
	}
	return item
}

// Text is the text of a scalar value of field, a number's as written; any
// other node is an error naming what was found.
func Text(n ast.Node, field string) (string, error) {
	switch n := n.(type) {
	case *ast.StringNode:
		return n.Value, nil
	case *ast.LiteralNode:
		return n.Value.Value, nil
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, nil
	}
	return "", ErrorAt(n, "%s must be text, found %s", field, KindOf(n))
}

// KindOf names what a value is, in YAML's words, for messages such as
// "symbols must be a list, found text \"NVDA\"".
func KindOf(n ast.Node) string {
	switch n := n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.SequenceNode:
		return "a list"
	case ast.MapNode:
		return "a mapping"
	case *ast.BoolNode:
		return "true/false"
	case *ast.StringNode, *ast.LiteralNode:
		return fmt.Sprintf("text %q", n.GetToken().Value)
	}
	return n.Type().YAMLName()
}
