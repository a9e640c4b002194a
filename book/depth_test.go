package book

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/watchlists"
)

// TestParseAllRefusesDeepNesting: a holdings file nested past
// watchlists.MaxDepth is one error at the level that crosses it, before the
// YAML parser spends gigabytes on it.
func TestParseAllRefusesDeepNesting(t *testing.T) {
	for _, tt := range []struct {
		name      string
		src       string
		line, col int
	}{
		// positions: is level 1, so the 64th [ or dash is the 65th level.
		{"flow lists, 30,000 deep", top[:len(top)-1] + " " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n", 1, 11 + 64},
		{"block lists, 30,000 dashes", top + strings.Repeat("- ", 30000) + "x\n", 2, 2*64 - 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseAll("h.yaml", []byte(tt.src))
			want := fmt.Sprintf("h.yaml:%d:%d: lists and mappings nested more than %d deep", tt.line, tt.col, watchlists.MaxDepth)
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), want) {
				t.Fatalf("errors = %.300v\nwant one starting %q", errs, want)
			}
		})
	}
}
