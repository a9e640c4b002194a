package watchlists

import (
	"fmt"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

func TestScratch(t *testing.T) {
	cases := []string{
		"name: x\nera: training\nsymbols:\n\t- NVDA\n",
		"name: x\nera: training\nsymbols:\n  - NVDA\n\t- AMD\n",
		"name: x\nera: training\nsymbols: 5\n",
		"name: \"x\nera: training\nsymbols:\n  - NVDA\n",
		"name: x\nera: training\nsymbols: []\n",
		"name: x\nera: training\nsymbols:\n",
		"",
		"# c\n",
		"name: x\nera: training\nsymbols:\n  - symbol: X\n    weight: 0\n  - Y\n",
		"---\na: 1\n---\nb: 2\n",
		"- a\n- b\n",
		"name: x\nname: y\n",
		"a: &x 1\nb: *x\n",
		"a: *x\n",
	}
	for _, c := range cases {
		f, err := parser.ParseBytes([]byte(c), 0)
		if err != nil {
			fmt.Printf("=== %q\nPARSE ERR %T\n%s\n", c, err, yaml.FormatError(err, false, true))
			continue
		}
		fmt.Printf("=== %q docs=%d\n", c, len(f.Docs))
		for _, d := range f.Docs {
			if d.Body == nil {
				fmt.Println(" body nil")
				continue
			}
			fmt.Printf(" body %T %v\n", d.Body, d.Body.GetToken().Position)
			if m, ok := d.Body.(*ast.MappingNode); ok {
				for _, v := range m.Values {
					fmt.Printf("  key %v val %T %v\n", v.Key.GetToken().Position, v.Value, v.Value.GetToken())
				}
			}
		}
	}
}
