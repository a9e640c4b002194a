package ui

import "github.com/rotation-dev/rotation/sanitize"

// clean makes text from the network inert before it is drawn. It is kept as
// the UI's name for sanitize.Text, the one sanitizer every output path shares,
// so the rules (escape sequences and their C1 forms removed whole, controls
// and bidi controls dropped) cannot drift between the monitor and print.
func clean(s string) string { return sanitize.Text(s) }
