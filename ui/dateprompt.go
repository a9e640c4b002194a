package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/feeds"
)

// datePromptLabel leads the prompt's line; datePromptMax is the longest
// entry, a date's ten characters (a range's name is shorter).
const (
	datePromptLabel = "since (YYYY-MM-DD): "
	datePromptMax   = len(time.DateOnly)
)

// datePrompt asks for the range since a date (or a range's name): one line
// in the footer, in place of the status line, while it is open. The root
// model routes keys to it and applies what it accepts (KeyMap's Prompt
// keys); it keeps its own entry, where its cursor is, and why the last
// entry was refused. The entry is a few ASCII characters, so it is edited
// here rather than with bubbles' textinput, which would bring a clipboard
// library along for a paste the terminal already delivers (tea.PasteMsg).
type datePrompt struct {
	styles *Styles
	keys   promptEditKeys
	open   bool
	entry  string // only ASCII digits, letters and '-': see keepAllowed
	pos    int    // the cursor, 0..len(entry)
	// fresh marks an entry prefilled and not yet edited: typing replaces
	// it whole, as in a selected field, and an editing key keeps it.
	fresh bool
	err   string // why the last entry was refused, cleaned; "" when none was
	width int
}

// promptCursor marks the cursor's cell, in every theme: a steady one, as a
// blinking cursor would send ticks and frames would differ with the time
// they were drawn at.
var promptCursor = lipgloss.NewStyle().Reverse(true)

// promptEditKeys edit the entry; the keys that apply or cancel it are the
// root's (KeyMap).
type promptEditKeys struct {
	Left, Right, Start, End, Backspace, Delete, Clear key.Binding
}

func newDatePrompt(s *Styles) datePrompt {
	return datePrompt{styles: s, keys: promptEditKeys{
		Left:      key.NewBinding(key.WithKeys("left", "ctrl+b")),
		Right:     key.NewBinding(key.WithKeys("right", "ctrl+f")),
		Start:     key.NewBinding(key.WithKeys("home", "ctrl+a")),
		End:       key.NewBinding(key.WithKeys("end", "ctrl+e")),
		Backspace: key.NewBinding(key.WithKeys("backspace", "ctrl+h")),
		Delete:    key.NewBinding(key.WithKeys("delete", "ctrl+d")),
		Clear:     key.NewBinding(key.WithKeys("ctrl+u")),
	}}
}

// Open reports whether the prompt is on screen.
func (p datePrompt) Open() bool { return p.open }

// OpenWith shows the prompt holding value (the date on screen, or ""),
// the cursor after it.
func (p *datePrompt) OpenWith(value string) {
	p.open, p.err = true, ""
	p.entry = keepAllowed(value)
	p.entry = p.entry[:min(len(p.entry), datePromptMax)]
	p.pos = len(p.entry)
	p.fresh = p.entry != ""
}

// Close takes the prompt off screen.
func (p *datePrompt) Close() { p.open, p.err = false, "" }

func (p *datePrompt) SetSize(width int) { p.width = width }

// Value is the entry as typed.
func (p datePrompt) Value() string { return p.entry }

// Submit reads the entry as feeds.ParseRange does and refuses a date after
// now's (Range.Check); a refusal stays on the line beside the entry.
func (p *datePrompt) Submit(now time.Time) (feeds.Range, bool) {
	r, err := feeds.ParseRange(p.entry)
	if err == nil {
		err = r.Check(now)
	}
	if err != nil {
		p.err = clean(err.Error())
		return "", false
	}
	return r, true
}

// Update edits the entry: the editing keys, and text made only of digits,
// '-' and letters, up to datePromptMax characters; a key with anything else
// is dropped, and a paste keeps only those characters. A change to the
// entry clears the last refusal.
func (p datePrompt) Update(msg tea.Msg) (datePrompt, tea.Cmd) {
	before := p.Value()
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		p.key(msg)
	case tea.PasteMsg:
		if p.fresh {
			p.entry, p.pos, p.fresh = "", 0, false
		}
		p.insert(keepAllowed(msg.Content))
	}
	if p.Value() != before {
		p.err = ""
	}
	return p, nil
}

func (p *datePrompt) key(msg tea.KeyPressMsg) {
	k := p.keys
	typed := msg.Text != "" && keepAllowed(msg.Text) == msg.Text
	if p.fresh && typed && !key.Matches(msg, k.Left, k.Right, k.Start, k.End, k.Backspace, k.Delete, k.Clear) {
		p.entry, p.pos = "", 0
	}
	p.fresh = false
	switch {
	case key.Matches(msg, k.Left):
		p.pos = max(p.pos-1, 0)
	case key.Matches(msg, k.Right):
		p.pos = min(p.pos+1, len(p.entry))
	case key.Matches(msg, k.Start):
		p.pos = 0
	case key.Matches(msg, k.End):
		p.pos = len(p.entry)
	case key.Matches(msg, k.Backspace):
		if p.pos > 0 {
			p.entry = p.entry[:p.pos-1] + p.entry[p.pos:]
			p.pos--
		}
	case key.Matches(msg, k.Delete):
		if p.pos < len(p.entry) {
			p.entry = p.entry[:p.pos] + p.entry[p.pos+1:]
		}
	case key.Matches(msg, k.Clear):
		p.entry, p.pos = p.entry[p.pos:], 0
	case typed:
		p.insert(msg.Text)
	}
}

// insert puts s (already kept to allowed characters) at the cursor, as
// much of it as the entry has room for.
func (p *datePrompt) insert(s string) {
	s = s[:min(len(s), datePromptMax-len(p.entry))]
	p.entry = p.entry[:p.pos] + s + p.entry[p.pos:]
	p.pos += len(s)
}

// View is the prompt's line: the label, the entry in a field of its
// longest, the cursor a reversed cell, and the last refusal; cut to the
// width.
func (p datePrompt) View() string {
	under, after := " ", ""
	if p.pos < len(p.entry) {
		under, after = p.entry[p.pos:p.pos+1], p.entry[p.pos+1:]
	}
	field := p.entry[:p.pos] + promptCursor.Render(under) + after
	field += strings.Repeat(" ", datePromptMax+1-max(len(p.entry), p.pos+1))
	line := p.styles.Bold.Render(datePromptLabel) + field
	if p.err != "" {
		const gap = "  "
		room := p.width - ansi.StringWidth(line) - len(gap)
		if msg := shortRefusal(p.err, room); msg != "" {
			line += gap + p.styles.Warn.Render(msg)
		}
	}
	return truncate(line, p.width)
}

// shortRefusal fits a refusal into w cells: whole, else without its advice
// (what follows the first ": "), else cut.
func shortRefusal(msg string, w int) string {
	if ansi.StringWidth(msg) <= w {
		return msg
	}
	if what, _, ok := strings.Cut(msg, ": "); ok {
		msg = what
	}
	return truncate(msg, w)
}

// keepAllowed is s with only what a date or a range's name is written
// with: ASCII digits, letters and '-'.
func keepAllowed(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return r
		}
		return -1
	}, s)
}
