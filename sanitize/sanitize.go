// Package sanitize makes text from the network or from a file inert before it
// reaches a terminal. Text is the one sanitizer every output path uses, so the
// rules live in one place:
//
//   - ECMA-48 escape sequences are removed whole: CSI (ESC [ … final byte),
//     OSC (ESC ] … BEL or ST), DCS, SOS, PM and APC strings (ESC P, X, ^, _
//     … ST) and ESC with optional intermediates and a final byte (ESC 7,
//     ESC ( B, ESC c). Their 8-bit C1 introducers (U+009B CSI, U+009D OSC,
//     U+0090 DCS, U+0098 SOS, U+009E PM, U+009F APC) are removed whole too,
//     so "\u009b2J" leaves nothing. ST is ESC \ or U+009C.
//   - A sequence cut off by the end of the text is removed to the end: an
//     unterminated OSC swallows the rest rather than leak it.
//   - Every other C0 control (U+0000–U+001F), DEL and C1 control
//     (U+0080–U+009F) is dropped. Line breaks (CR, LF, NEL, U+2028, U+2029)
//     and tabs are dropped too, not turned into spaces: a name is one line.
//   - Bidi controls are dropped: embeddings and overrides U+202A–U+202E,
//     isolates U+2066–U+2069 and the marks U+200E, U+200F, U+061C.
//   - Each byte that is not valid UTF-8 becomes U+FFFD, so the output is
//     always valid UTF-8 and a raw 8-bit C1 byte (0x9B) cannot act as one.
//
// Everything else, including CJK, accents, emoji and joiners, is kept as is.
// The output contains no ESC and no control, so Text is idempotent.
package sanitize

import (
	"strings"
	"unicode/utf8"
)

// Parser states. The grammar follows the VT500-series parser terminals use,
// so what is removed is what a terminal would have consumed.
const (
	stText   = iota
	stEscape // after ESC, possibly after intermediate bytes
	stCSI    // parameters and intermediates until a final byte
	stOSC    // until BEL or ST
	stString // DCS, SOS, PM, APC: until ST
)

const (
	esc = 0x1b
	can = 0x18 // CAN and SUB cancel a sequence in any state
	sub = 0x1a
	bel = 0x07
	del = 0x7f
)

// Text returns s with every escape sequence, control character and bidi
// control removed, and invalid UTF-8 replaced by U+FFFD (see the package doc).
func Text(s string) string {
	start := firstUnsafe(s)
	if start == len(s) {
		return s // the common case: nothing to remove, no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:start])
	st, intermediates := stText, false
	for i := start; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		invalid := r == utf8.RuneError && n == 1
		if !invalid {
			// Transitions that apply in every state, as in a terminal: ESC
			// and the C1 introducers start a new sequence, CAN/SUB cancel.
			switch {
			case r == esc:
				st, intermediates = stEscape, false
				i += n
				continue
			case r == can || r == sub:
				st = stText
				i += n
				continue
			case r >= 0x80 && r <= 0x9f:
				st = c1State(r)
				i += n
				continue
			}
		}
		switch st {
		case stText:
			if invalid {
				b.WriteRune(utf8.RuneError)
			} else if keep(r) {
				b.WriteString(s[i : i+n])
			}
		case stEscape:
			switch {
			case invalid || r > del:
				st = stText // not a sequence after all: drop ESC, reread r as text
				continue
			case r >= 0x20 && r <= 0x2f:
				intermediates = true
			case r < 0x20 || r == del:
				// terminals execute C0 inside a sequence and carry on; drop it
			case !intermediates && r == '[':
				st = stCSI
			case !intermediates && r == ']':
				st = stOSC
			case !intermediates && (r == 'P' || r == 'X' || r == '^' || r == '_'):
				st = stString
			default: // a final byte 0x30–0x7E ends the sequence
				st = stText
			}
		case stCSI:
			switch {
			case invalid || r > del:
				st = stText // malformed: the sequence ends, r is text
				continue
			case r >= 0x40 && r <= 0x7e:
				st = stText // the final byte
			}
			// parameters, intermediates, C0 and DEL are consumed
		case stOSC:
			if !invalid && r == bel {
				st = stText
			}
		case stString:
			// everything up to ST is the string's payload
		}
		i += n
	}
	return b.String()
}

// c1State is the state an 8-bit C1 control leaves the parser in: the
// introducers open their sequence, every other C1 control (ST included) is
// simply dropped.
func c1State(r rune) int {
	switch r {
	case 0x9b:
		return stCSI
	case 0x9d:
		return stOSC
	case 0x90, 0x98, 0x9e, 0x9f:
		return stString
	}
	return stText
}

// firstUnsafe returns the index of the first byte Text would change, or
// len(s) when s is already clean.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == del {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !keep(r) {
			return i
		}
		i += n
	}
	return len(s)
}

// keep reports whether a valid rune outside any sequence survives.
func keep(r rune) bool {
	switch {
	case r < 0x20, r == del, r >= 0x80 && r <= 0x9f:
		return false
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return false
	}
	return !isBidiControl(r)
}

// isBidiControl reports whether r changes the direction of the text around
// it (Unicode's Bidi_Control property), which can make a name display as a
// different one.
func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}
