package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzText checks the promises callers rely on for any input: nothing a
// terminal could act on survives, the output is valid UTF-8, a second pass
// changes nothing, and plain printable ASCII is left alone.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"",
		"NVIDIA Corporation",
		"\x1b]52;c;ZXZpbA==\x07",
		"\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
		"\x1b[2J",
		"\u009b2J",
		"\u009d0;t\u009c",
		"\u0090q\u009c",
		"a\u202Eb\u2066c\u200fd",
		"Hon Hai 鴻海精密",
		"\x1b\x1b[\x1b]\x1bP\x18\x1a",
		"bad\xff\x9b\xe6\x97",
		"\r\n\t\x00\x7f\u0085\u2028",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q: not valid UTF-8", s, got)
		}
		for _, r := range got {
			if forbidden(r) {
				t.Fatalf("Text(%q) = %q: U+%04X survived", s, got, r)
			}
		}
		if again := Text(got); again != got {
			t.Fatalf("not idempotent: Text(%q) = %q, Text of that = %q", s, got, again)
		}
		if printableASCII(s) && got != s {
			t.Fatalf("printable ASCII changed: Text(%q) = %q", s, got)
		}
	})
}

// forbidden is written out separately from Text's own rules, so a mistake
// in one is not repeated in the other.
func forbidden(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func printableASCII(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r > 0x7e })
}
