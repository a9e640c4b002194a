package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// clean makes text from the network inert before it is drawn: escape
// sequences are removed whole, then every remaining control character
// (including C1 controls that some terminals obey) is dropped.
func clean(s string) string {
	s = ansi.Strip(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
