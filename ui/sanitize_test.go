package ui

import "testing"

func TestCleanMakesHostileTextInert(t *testing.T) {
	cases := map[string]string{
		"NVIDIA Corporation":                        "NVIDIA Corporation",
		"Evil\x1b]0;pwned\x07 Corp":                 "Evil Corp",
		"Red\x1b[31m Alert\x1b[0m":                  "Red Alert",
		"Bell\x07 and\r\nnewline":                   "Bell andnewline",
		"C1\u009b31m csi":                           "C1 csi", // the 8-bit CSI goes whole
		"Hon Hai 鴻海精密":                              "Hon Hai 鴻海精密",
		"\x1bP+q544e\x1b\\DCS then text":            "DCS then text",
		"clear\x1b[2J\x1b[Hscreen":                  "clearscreen",
		"osc8 \x1b]8;;http://x\x07link\x1b]8;;\x07": "osc8 link",
		"A\u009b2JB":                                "AB",
		"Corp\u202Egpj.exe":                         "Corpgpj.exe",
		"\x1b]52;c;ZXZpbA==\x07name":                "name",
	}
	for in, want := range cases {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}
