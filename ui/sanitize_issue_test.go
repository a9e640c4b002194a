package ui

import "testing"

// TestCleanIssueCases: the monitor's clean is sanitize.Text, so the C1 CSI
// leaves nothing behind and bidi overrides are gone.
func TestCleanIssueCases(t *testing.T) {
	cases := map[string]string{
		"A\u009b2JB":                 "AB",
		"C1\u009b31m csi":            "C1 csi",
		"Corp\u202Egpj.exe":          "Corpgpj.exe",
		"\x1b]52;c;ZXZpbA==\x07name": "name",
		"\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\": "click",
		"Hon Hai 鴻海精密":                                 "Hon Hai 鴻海精密",
	}
	for in, want := range cases {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}
