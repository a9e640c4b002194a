package ui

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
)

// ascii renders a view the way an ASCII-profile terminal would receive it:
// colours removed, bold/reverse kept as SGR, so goldens compare layout and
// attributes, not a particular palette. Run `go test ./ui -update` to accept
// new goldens after looking at them.
func ascii(t testing.TB, view string) string {
	t.Helper()
	var buf bytes.Buffer
	w := &colorprofile.Writer{Forward: &buf, Profile: colorprofile.ASCII}
	if _, err := w.WriteString(view); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// requireGolden compares a view with testdata/<TestName>.golden.
func requireGolden(t *testing.T, view string) {
	t.Helper()
	golden.RequireEqual(t, ascii(t, view))
}
