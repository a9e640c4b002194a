package report

import (
	"github.com/rotation-dev/rotation/baskets"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

const (
	ansiGreen  = "\x1b[32m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

// cell is one table cell; sign > 0 paints it green, < 0 red (with color on).
type cell struct {
	text string
	sign int
}

func plain(s string) cell { return cell{text: s} }

// signed is a number's cell, coloured by the number's sign.
func signed(s string, o baskets.Opt) cell {
	c := cell{text: s}
	switch {
	case o.Valid && o.Value > 0:
		c.sign = 1
	case o.Valid && o.Value < 0:
		c.sign = -1
	}
	return c
}

// table aligns columns by display width, which tabwriter cannot do once ANSI
// colours or wide characters are in a cell.
type table struct {
	header []string
	right  []bool // right-align column i
	rows   [][]cell
}

func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

// printer writes lines and keeps the first error, so WriteTable can check once.
type printer struct {
	w     io.Writer
	color bool
	err   error
}

func (p *printer) line(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s+"\n")
	}
}

func (p *printer) table(t *table) {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = runewidth.StringWidth(h)
	}
	for _, row := range t.rows {
		for i, c := range row {
			widths[i] = max(widths[i], runewidth.StringWidth(c.text))
		}
	}
	head := make([]cell, len(t.header))
	for i, h := range t.header {
		head[i] = plain(h)
	}
	for _, row := range append([][]cell{head}, t.rows...) {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(c.text))
			text := p.colored(c)
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + text)
			} else if i < len(row)-1 {
				b.WriteString(text + pad)
			} else {
				b.WriteString(text)
			}
		}
		p.line(b.String())
	}
}

// paint colours text by the sign of o, when colour is on.
func (p *printer) paint(text string, o baskets.Opt) string { return p.colored(signed(text, o)) }

func (p *printer) colored(c cell) string {
	switch {
	case p.color && c.sign > 0:
		return ansiGreen + c.text + ansiReset
	case p.color && c.sign < 0:
		return ansiRed + c.text + ansiReset
	}
	return c.text
}
