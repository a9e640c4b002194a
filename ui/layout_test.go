package ui

import (
	"strings"
	"testing"
)

// TestFitHeightCutsAndPadsToExactlyH checks fitHeight against the plain
// split, cut or pad, and join it replaced, on bodies shorter than, as tall
// as and taller than h, with empty lines and a trailing newline among them.
func TestFitHeightCutsAndPadsToExactlyH(t *testing.T) {
	reference := func(s string, h int) string {
		lines := strings.Split(s, "\n")
		if len(lines) > h {
			lines = lines[:h]
		}
		for len(lines) < h {
			lines = append(lines, "")
		}
		return strings.Join(lines, "\n")
	}
	bodies := []string{"", "one", "one\ntwo", "one\ntwo\n", "\n\n", "a\n\nb\n\nc", "\x1b[1mbold\x1b[m\nplain"}
	for _, s := range bodies {
		for h := 0; h <= 7; h++ {
			got := fitHeight(s, h)
			if want := reference(s, h); got != want {
				t.Errorf("fitHeight(%q, %d) = %q, want %q", s, h, got, want)
			}
			if h > 0 && strings.Count(got, "\n") != h-1 {
				t.Errorf("fitHeight(%q, %d) has %d lines", s, h, strings.Count(got, "\n")+1)
			}
		}
	}
}
