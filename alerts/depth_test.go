package alerts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/watchlists"
)

// TestParseAllRefusesDeepNesting: an alerts file nested past
// watchlists.MaxDepth is one error at the level that crosses it, before the
// YAML parser spends gigabytes on it.
func TestParseAllRefusesDeepNesting(t *testing.T) {
	for _, tt := range []struct {
		name      string
		src       string
		line, col int
	}{
		// The top-level list is level 1: the 65th [ or dash crosses.
		{"flow lists, 30,000 deep", strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n", 1, 65},
		{"block lists, 30,000 dashes", "# rules\n" + strings.Repeat("- ", 30000) + "x\n", 2, 2*65 - 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseAll("a.yaml", []byte(tt.src))
			want := fmt.Sprintf("a.yaml:%d:%d: lists and mappings nested more than %d deep", tt.line, tt.col, watchlists.MaxDepth)
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), want) {
				t.Fatalf("errors = %.300v\nwant one starting %q", errs, want)
			}
		})
	}
}
