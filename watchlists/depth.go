package watchlists

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth is how deeply the lists and mappings of a file we read may nest,
// the top level counting as one. Our files need four or five levels.
// goccy's parser takes memory quadratic in the depth (30,000 levels, a
// 60 KB file, take it gigabytes), so a deeper file is refused before it
// parses.
const MaxDepth = 64

// depthError is a file nested deeper than MaxDepth, at the indicator that
// crosses the limit. It carries its own snippet: the parser never saw the file.
type depthError struct {
	line, col int
	snippet   string
}

func (e *depthError) Error() string {
	return fmt.Sprintf("lists and mappings nested more than %d deep: look for an unclosed [ or { "+
		"or a run of dashes before this point, and flatten the file", MaxDepth)
}

// checkDepth refuses data nested deeper than MaxDepth. It is one pass over
// the bytes that allocates nothing unless it refuses.
func checkDepth(data []byte) *depthError {
	s := newDepthScan(data)
	s.run()
	return s.err
}

func newDepthScan(data []byte) *depthScan {
	s := &depthScan{data: data, col: 1, lineStart: true}
	s.block = s.blockSpace[:0]
	return s
}

// depthScan follows goccy's scanner (scanner/scanner.go in goccy/go-yaml
// v1.19.2) closely enough to see the nesting its parser will build. A flow
// collection opens at [ or {; a block one at "- ", "? " or "key:", and
// ends where a token at its column or left of it starts a sibling. What
// takes care is knowing when an indicator is one, and so when a quote
// starts a quoted scalar (whose brackets are text) or # a comment: goccy
// decides by whether plain text is pending since the last token (buf).
// So in block context [ after "a " is text; a quote after "a " is text
// everywhere; # is a comment after a space. Block scalars (| and >) are
// text while indented past their parent. Where goccy's columns or
// positions are off (after a tag, a tab in double quotes), the scan is off
// with it, since later decisions hang on them.
//
// The scan may count more nesting than the parser builds but never less:
// FuzzDepthBound holds it to that against the parser.
type depthScan struct {
	data    []byte
	i       int
	col     int // goccy's column of data[i]
	err     *depthError
	deepest int // the most nesting seen

	lineStart bool // nothing but spaces and tabs yet on this line
	indentNum int  // the indentation counted so far on this line
	up        bool // data[i] starts a line right of lastDelim

	buf       bool // plain text is pending since the last token
	bufCol    int  // where it started
	bufAt     int  // and at which byte
	bufEnd    int  // the column after its last character other than a space
	savedCol  int  // where goccy places pending text that ran onto another line; 0 if none
	lastQuote int  // the column of the last token if it was a quoted scalar, else 0
	quoteAt   int  // and at which byte
	lastValue bool // the last token was a mapping value's ':'

	lastDelim  int  // goccy's lastDelimColumn: the column of the last "- ", "? " or key
	flowSeq    int  // goccy's counts of open [ and {; a stray ] takes the first below 0
	flowMap    int  //
	flow       int  // flow collections open, for the depth
	anchor     bool // after & or *: the name runs to a space, ':' included
	directive  bool // after a %
	multi      bool // in a block scalar's text
	multiFirst int  // the column of its first line; 0 until there is one
	block      []blockNode
	blockSpace [MaxDepth + 1]blockNode
}

// blockNode is a block collection still open: a list entry or a key.
type blockNode struct {
	col   int
	entry bool // "- " rather than a key
}

func (s *depthScan) run() {
	for s.i < len(s.data) && s.err == nil {
		c := s.data[s.i]
		s.up = false
		if s.lineStart && c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			s.lineStart = false
			if s.lastDelim != 0 {
				s.up = s.col > s.lastDelim
				if !s.up { // a line at or left of the last delimiter ends pending text
					s.flush()
					s.multi = false
				}
			}
		}
		switch {
		case s.multi:
			s.blockScalar(c)
		case s.indicator(c):
		case c == ' ' || c == '\t':
			s.advance()
		default: // plain text, or an indicator that is none here
			if !s.buf {
				s.buf, s.bufCol, s.bufAt = true, s.col, s.i
			}
			s.advance()
			s.bufEnd = s.col
		}
	}
}

// indicator handles c when it starts a token here, reporting whether it did.
func (s *depthScan) indicator(c byte) bool {
	flowMode := s.flowSeq > 0 || s.flowMap > 0
	switch c {
	case '[', '{':
		if s.buf && !flowMode {
			return false
		}
		if c == '[' {
			s.flowSeq++
		} else {
			s.flowMap++
		}
		s.flow++
		s.nested(s.i)
		s.token(1)
	case ']':
		if s.buf && s.flowSeq <= 0 {
			return false
		}
		if s.flowSeq > 0 {
			s.flow--
		}
		s.flowSeq--
		s.token(1)
	case '}':
		if s.flowMap <= 0 {
			return false
		}
		s.flowMap--
		s.flow--
		s.token(1)
	case ',':
		if !flowMode {
			return false
		}
		s.token(1)
	case '-':
		switch {
		case s.indentNum == 0 && s.col == 1 && s.repeat('-') == 3 && blank(s.at(s.i+3), true):
			s.token(3) // a document starts: goccy's clearState
			s.lastDelim, s.block = 0, s.block[:0]
		case s.buf && s.up: // goccy's "raw folded" text: a dash under a pending plain line
			s.multi, s.multiFirst = true, s.col
			s.advance()
		case !s.buf && blank(s.at(s.i+1), true):
			s.lastDelim = s.col
			s.push(blockNode{col: s.col, entry: true}, flowMode, s.i)
			s.token(1)
		default:
			return false
		}
	case '?':
		if s.buf || (s.at(s.i+1) != ' ' && s.at(s.i+1) != '\t') {
			return false
		}
		s.lastDelim = s.col
		s.push(blockNode{col: s.col}, flowMode, s.i)
		s.token(1)
	case ':':
		next := s.at(s.i + 1)
		switch {
		case s.directive || s.anchor,
			s.flowMap <= 0 && !blank(next, false) && s.i+1 < len(s.data),
			s.flowMap > 0 && (next == '/' || s.lastValue):
			return false
		}
		key, at := s.col, s.i // the key's column, and where it starts for an error
		switch {
		case s.buf:
			key, at = s.bufCol, s.bufAt
			if s.savedCol != 0 {
				key = s.savedCol
			}
			s.lastDelim = key
		case s.lastQuote != 0:
			key, at = s.lastQuote, s.quoteAt
			s.lastDelim = key
		}
		if !flowMode {
			s.push(blockNode{col: key}, false, at)
		}
		s.token(1)
		s.lastValue = true
	case '|', '>':
		if s.buf {
			return false
		}
		s.header()
	case '<': // the merge key "<<:"; goccy does not ask for buf
		if !s.mergeKey() {
			return false
		}
		s.lastDelim = s.col
		s.token(2)
	case '.':
		if s.indentNum != 0 || s.col != 1 || s.repeat('.') != 3 {
			return false
		}
		s.token(3)
	case '!':
		if s.buf || s.directive {
			return false
		}
		s.tag(flowMode)
	case '%':
		if s.buf || s.indentNum != 0 {
			return false
		}
		s.token(1)
		s.directive = true
	case '&', '*':
		if s.buf {
			return false
		}
		s.token(1)
		s.anchor = true
	case '#':
		if s.buf {
			if p := s.at(s.i - 1); p != ' ' && p != '\t' && p != '\n' && p != '\r' {
				return false
			}
		}
		s.token(0)
		for s.i < len(s.data) && s.data[s.i] != '\n' && s.data[s.i] != '\r' {
			s.advance()
		}
		s.lineBreak() // goccy takes it with the comment
	case '\'', '"':
		if s.buf {
			return false
		}
		col, at := s.col, s.i
		s.token(0)
		s.quoted(c)
		s.lastQuote, s.quoteAt = col, at
	case '\n', '\r':
		if s.buf && s.savedCol == 0 {
			s.savedCol = s.col - (s.bufEnd - s.bufCol)
		}
		if s.anchor || s.directive || s.i+1+s.crlf() >= len(s.data) {
			s.flush()
		}
		s.lineBreak()
	case ' ':
		switch {
		case s.lineStart:
			s.indentNum++
			s.advance()
		case s.anchor || s.directive:
			s.flush()
			s.anchor = false
			s.advance()
		default:
			return false
		}
	case '\t':
		switch {
		case s.buf && s.lastDelim == 0, s.lastDelim < s.col:
			s.i++ // goccy counts these tabs as indentation, not as a column
			s.indentNum++
		case flowMode || !s.lineStart:
			return false
		default: // goccy refuses the file; scan on
			s.flush()
			s.advance()
		}
	case '@', '`':
		if s.buf {
			return false
		}
		s.advance() // a reserved character: goccy refuses the file; scan on
	default:
		return false
	}
	return true
}

// token ends pending text, as goccy does before an indicator, and skips
// the n characters of this one.
func (s *depthScan) token(n int) {
	s.flush()
	s.runes(n)
	s.lastQuote, s.lastValue = 0, false
}

// flush turns pending text into a token.
func (s *depthScan) flush() {
	if s.buf {
		s.lastQuote, s.lastValue = 0, false
	}
	s.buf, s.savedCol = false, 0
}

// nested checks the depth after a collection opened at data[at].
func (s *depthScan) nested(at int) {
	d := s.flow + len(s.block)
	s.deepest = max(s.deepest, d)
	if d > MaxDepth && s.err == nil {
		line, col := position(s.data, at)
		s.err = &depthError{line: line, col: col, snippet: snippetAt(s.data, at, line, col)}
	}
}

// push opens a block node. Outside flow context it first closes the nodes
// at its column or right of it, its earlier siblings and their children,
// except that a list may stand at its key's column. Inside flow context it
// closes nothing: the parser nests "- " there however it is indented.
func (s *depthScan) push(n blockNode, flowMode bool, at int) {
	for !flowMode && len(s.block) > 0 {
		top := s.block[len(s.block)-1]
		if top.col < n.col || (top.col == n.col && !top.entry && n.entry) {
			break
		}
		s.block = s.block[:len(s.block)-1]
	}
	s.block = append(s.block, n) // never past blockSpace: nested stops the scan first
	s.nested(at)
}

// blockScalar follows a block scalar's text (goccy's scanMultiLine). The
// text ends at a document marker or at a line starting at or left of
// lastDelim (run checks that), which becomes one less than the column of
// the text's first line.
func (s *depthScan) blockScalar(c byte) {
	switch {
	case c == '\n' || c == '\r':
		s.lineBreak()
		if s.separator() {
			s.multi = false
		}
	case s.lineStart && (c == ' ' || c == '\t'):
		s.advance()
	default:
		if s.multiFirst == 0 {
			s.multiFirst = s.col
		}
		if s.multiFirst > 1 {
			s.lastDelim = s.multiFirst - 1
		}
		s.advance()
	}
}

// header reads a block scalar's header line: | or >, an indentation digit
// and chomping sign, a comment, the line break.
func (s *depthScan) header() {
	s.flush()
	end := s.i + 1
	for end < len(s.data) && s.data[end] != '\n' && s.data[end] != '\r' {
		end++
	}
	opt := strings.TrimRight(string(s.data[s.i+1:end]), " ")
	if hash := strings.IndexByte(opt, '#'); hash > 0 {
		opt = opt[:hash]
	}
	opt = strings.TrimRight(opt, " \t")
	opt = strings.TrimPrefix(strings.TrimPrefix(opt, "-"), "+")
	opt = strings.TrimSuffix(strings.TrimSuffix(opt, "-"), "+")
	indent, _ := strconv.Atoi(opt)
	if s.col == 1 {
		s.lastDelim = 1
	}
	s.multi, s.multiFirst = true, 0
	if indent > 0 {
		s.multiFirst = s.lastDelim + indent
	}
	for s.i < end {
		s.advance()
	}
	s.lineBreak()
	s.lastQuote, s.lastValue = 0, false
}

// tag skips a tag: goccy takes everything up to a space or line break (or
// a comma in flow context) as its name, quotes and brackets included.
func (s *depthScan) tag(flowMode bool) {
	s.flush()
	s.advance()
	for s.i < len(s.data) {
		c := s.data[s.i]
		if c == '\n' || c == '\r' || (c == ',' && flowMode) {
			break
		}
		s.advance()
		if c == ' ' {
			break
		}
	}
	s.col-- // goccy's column falls one behind after a tag
	s.lastQuote, s.lastValue = 0, false
}

// quoted skips a quoted scalar to where goccy's scanSingleQuote or
// scanDoubleQuote ends it: two single quotes are one inside single quotes,
// each backslash escape skips what goccy skips (\x two characters more, \u four
// or ten, \U eight), whatever they are. A tab inside double quotes with
// more on its line, and not right before a quote, makes goccy skip one more
// character after the closing quote, unread.
func (s *depthScan) quoted(q byte) {
	s.advance()
	lineStart, extra := false, 0 // goccy's isFirstLineChar; the characters to skip after
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '\n' || c == '\r':
			s.lineBreak()
			lineStart = true
			continue
		case lineStart && (c == ' ' || c == '\t'):
		case c == q && q == '\'' && s.at(s.i+1) == '\'':
			s.advance()
		case c == q:
			s.advance()
			s.runes(extra)
			return
		case c == '\\' && q == '"':
			s.advance()
			lineStart = s.escape()
			continue
		case c == '\t' && q == '"':
			if s.at(s.i+1) != '"' && s.textAhead() {
				extra++
			}
		default:
			lineStart = false
		}
		s.advance()
	}
}

// textAhead reports whether anything but spaces and tabs follows data[i]
// before the end of its line.
func (s *depthScan) textAhead() bool {
	for _, c := range s.data[s.i+1:] {
		switch c {
		case ' ', '\t':
		case '\n', '\r':
			return false
		default:
			return true
		}
	}
	return false
}

// escape skips the rest of a backslash escape in double quotes,
// reporting whether it was a line break.
func (s *depthScan) escape() bool {
	left := func(n int) bool { // at least n characters from here
		i := s.i
		for range n {
			if i >= len(s.data) {
				return false
			}
			_, w := utf8.DecodeRune(s.data[i:])
			i += w
		}
		return true
	}
	switch s.at(s.i) {
	case 'x':
		if !left(3) {
			break
		}
		s.runes(3)
		return false
	case 'u':
		if !left(5) {
			return false // goccy refuses the file
		}
		high := s.hex()
		s.runes(5)
		if high >= 0xD800 && high <= 0xDBFF && left(6) && s.at(s.i) == '\\' && s.at(s.i+1) == 'u' {
			s.runes(6)
		}
		return false
	case 'U':
		if left(9) {
			s.runes(9)
		}
		return false
	case '\n':
		s.lineBreak()
		return true
	case '\r':
		n := 1 + s.crlf()
		s.lineBreak()
		s.col += n // goccy's column runs ahead after a backslash and CR
		return true
	}
	s.runes(1)
	return false
}

// hex is goccy's hexRunesToInt of the four characters after the 'u' at
// data[i], which takes any character for some digit.
func (s *depthScan) hex() int {
	i, sum := s.i, 0
	for k := 0; k < 5 && i < len(s.data); k++ {
		r, w := utf8.DecodeRune(s.data[i:])
		i += w
		if k == 0 {
			continue
		}
		d := int(r) - '0'
		switch {
		case r >= 'A' && r <= 'F':
			d = int(r) - 'A' + 10
		case r >= 'a' && r <= 'f':
			d = int(r) - 'a' + 10
		}
		sum = sum<<4 + d
	}
	return sum
}

// mergeKey reports whether "<<" here is followed by spaces and ": ".
func (s *depthScan) mergeKey() bool {
	if s.repeat('<') != 2 {
		return false
	}
	for j := s.i + 2; j < len(s.data); j++ {
		switch s.data[j] {
		case ' ':
			continue
		case ':':
			return j+1 < len(s.data) && (s.data[j+1] == ' ' || s.data[j+1] == '\n' || s.data[j+1] == '\r')
		}
		return false
	}
	return false
}

// separator reports whether a document marker (--- or ...) starts here.
func (s *depthScan) separator() bool {
	rest := s.data[s.i:min(len(s.data), s.i+4)]
	if len(rest) < 3 {
		return false
	}
	m := strings.TrimRight(string(rest), " \t\n\r")
	return m == "---" || m == "..."
}

// lineBreak moves past a line break, CR LF being one, if there is one.
func (s *depthScan) lineBreak() {
	if s.i >= len(s.data) {
		return
	}
	s.i += 1 + s.crlf()
	s.col = 1
	s.lineStart = true
	s.indentNum = 0
	s.anchor, s.directive = false, false
}

// crlf is 1 at the CR of a CR LF, else 0.
func (s *depthScan) crlf() int {
	if s.at(s.i) == '\r' && s.at(s.i+1) == '\n' {
		return 1
	}
	return 0
}

// advance moves past one character: a UTF-8 sequence, or one invalid byte,
// as goccy's []rune of the text counts them.
func (s *depthScan) advance() {
	if s.i >= len(s.data) {
		return
	}
	w := 1
	if s.data[s.i] >= utf8.RuneSelf {
		_, w = utf8.DecodeRune(s.data[s.i:])
	}
	s.i += w
	s.col++
}

func (s *depthScan) runes(n int) {
	for range n {
		s.advance()
	}
}

// at is the byte at i, or 0 outside the data.
func (s *depthScan) at(i int) byte {
	if i < 0 || i >= len(s.data) {
		return 0
	}
	return s.data[i]
}

// repeat counts the bytes equal to c from here.
func (s *depthScan) repeat(c byte) int {
	n := 0
	for s.i+n < len(s.data) && s.data[s.i+n] == c {
		n++
	}
	return n
}

// blank reports whether c ends an indicator: a space, tab or line break,
// or the end of the data (0) when end says so.
func blank(c byte, end bool) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == 0 && end)
}

// position is the line and column of data[i] as an editor shows them.
func position(data []byte, i int) (line, col int) {
	before := data[:i]
	line = 1 + bytes.Count(before, []byte("\n")) + bytes.Count(before, []byte("\r")) - bytes.Count(before, []byte("\r\n"))
	start := bytes.LastIndexAny(before, "\r\n") + 1
	return line, 1 + utf8.RuneCount(before[start:])
}

// snippetAt is the line holding data[i], cut to a window around it, with a
// caret under col, laid out as goccy's error snippets are.
func snippetAt(data []byte, i, line, col int) string {
	start := bytes.LastIndexAny(data[:i], "\r\n") + 1
	end := i + bytes.IndexAny(data[i:], "\r\n")
	if end < i {
		end = len(data)
	}
	const before, after = 40, 20
	text := []rune(string(data[start:end]))
	at := min(col-1, len(text))
	from, to := max(0, at-before), min(len(text), at+after)
	excerpt, caret := string(text[from:to]), at-from
	if from > 0 {
		excerpt, caret = "..."+excerpt, caret+3
	}
	if to < len(text) {
		excerpt += "..."
	}
	prefix := fmt.Sprintf(">%3d | ", line)
	return prefix + excerpt + "\n" + strings.Repeat(" ", len(prefix)+caret) + "^"
}
