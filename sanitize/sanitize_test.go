package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTextIssueCases are hostile names a quote could carry: each must reach
// the terminal inert.
func TestTextIssueCases(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"osc 52 clipboard", "Evil\x1b]52;c;ZXZpbA==\x07 Corp", "Evil Corp"},
		{"osc 8 link keeps its text", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"clear screen", "clear\x1b[2Jscreen", "clearscreen"},
		{"c1 csi whole", "A\u009b2JB", "AB"},
		{"c1 csi alone", "\u009b2J", ""},
		{"bidi override", "Corp\u202Egpj.exe", "Corpgpj.exe"},
		{"plain cjk", "Hon Hai 鴻海精密工業", "Hon Hai 鴻海精密工業"},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("%s: Text(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestTextSequences(t *testing.T) {
	cases := map[string]string{
		// 7-bit forms
		"Red\x1b[31m Alert\x1b[0m":          "Red Alert",
		"priv\x1b[?1049hate":                "private",
		"title\x1b]0;pwned\x1b\\ok":         "titleok",
		"\x1bP+q544e\x1b\\DCS then text":    "DCS then text",
		"sos\x1bXpayload\x1b\\end":          "sosend",
		"pm\x1b^payload\x1b\\end":           "pmend",
		"apc\x1b_payload\x1b\\end":          "apcend",
		"reset\x1bcnow":                     "resetnow",
		"charset\x1b(Bnow":                  "charsetnow",
		"align\x1b#8now":                    "alignnow",
		"unterminated osc\x1b]0;swallow it": "unterminated osc",
		"trailing esc\x1b":                  "trailing esc",
		"cut csi\x1b[12;3":                  "cut csi",
		"cancelled\x1b[3\x18x":              "cancelledx",
		"esc then utf8\x1bé":                "esc then utf8é",
		"csi broken by utf8\x1b[3é":         "csi broken by utf8é",
		"c0 inside csi\x1b[3\n1mX":          "c0 inside csiX",
		"esc restarts\x1b[3\x1b[4mX":        "esc restartsX",
		"osc ignores c0\x1b]0;a\nb\x07X":    "osc ignores c0X",
		// 8-bit C1 forms, as UTF-8 encoded code points
		"C1\u009b31m csi":                  "C1 csi",
		"c1 osc\u009d52;c;ZXZpbA==\u009cX": "c1 oscX",
		"c1 osc bel\u009d0;t\x07X":         "c1 osc belX",
		"c1 dcs\u0090payload\u009cX":       "c1 dcsX",
		"c1 apc\u009fpayload\x1b\\X":       "c1 apcX",
		"nel\u0085line":                    "nelline",
		"lone st\u009cX":                   "lone stX",
		// plain controls, line breaks and tabs are dropped
		"Bell\x07 and\r\nnewline": "Bell andnewline",
		"tab\there":               "tabhere",
		"nul\x00del\x7f":          "nuldel",
		"ls\u2028ps\u2029":        "lsps",
	}
	for in, want := range cases {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextBidi(t *testing.T) {
	for _, r := range []rune{0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c} {
		if got := Text("a" + string(r) + "b"); got != "ab" {
			t.Errorf("U+%04X: got %q, want %q", r, got, "ab")
		}
	}
}

func TestTextKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"",
		"NVIDIA Corporation",
		"Taiwan Semiconductor Manufacturing Company Limited",
		"ASML Holding N.V. — €",
		"Société Générale, Nestlé, Ørsted, Çelik",
		"東京エレクトロン 삼성전자 鴻海",
		"Arabic شركة and Hebrew חברה without controls",
		"emoji 🚀📈 and family 👨‍👩‍👧 and flag 🇹🇼",
		"already replaced \uFFFD",
	} {
		if got := Text(s); got != s {
			t.Errorf("Text(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestTextInvalidUTF8(t *testing.T) {
	cases := map[string]string{
		"bad\xffbyte":   "bad\uFFFDbyte",
		"raw c1\x9b2J":  "raw c1\uFFFD2J", // a raw 0x9B is not UTF-8; U+FFFD is inert
		"cut \xe6\x97":  "cut \uFFFD\uFFFD",
		"\xed\xa0\x80x": "\uFFFD\uFFFD\uFFFDx", // an encoded surrogate
	}
	for in, want := range cases {
		got := Text(in)
		if got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Text(%q) = %q is not valid UTF-8", in, got)
		}
	}
}

// TestTextCleanDoesNotAllocate: the UI sanitizes every name on every frame.
func TestTextCleanDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("Hon Hai 鴻海 NVIDIA ", 4)
	if n := testing.AllocsPerRun(100, func() { _ = Text(s) }); n != 0 {
		t.Errorf("%v allocations for clean text, want 0", n)
	}
}

func BenchmarkText(b *testing.B) {
	clean := "Taiwan Semiconductor Manufacturing 台積電"
	hostile := "Evil\x1b]52;c;ZXZpbA==\x07 \u009b2J Corp\u202E"
	b.Run("clean", func(b *testing.B) {
		for b.Loop() {
			_ = Text(clean)
		}
	})
	b.Run("hostile", func(b *testing.B) {
		for b.Loop() {
			_ = Text(hostile)
		}
	})
}
