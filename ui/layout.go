package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fitHeight pads or cuts s to exactly h lines, so the status and help lines
// stay put whatever the body draws. A body that fits, the usual case, comes
// back as it is: splitting and joining it again would copy the screen's
// largest string every frame (see BenchmarkView).
func fitHeight(s string, h int) string {
	if h <= 0 {
		return ""
	}
	lines, rest := 1, s
	for {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		if lines == h {
			return s[:len(s)-len(rest)+i]
		}
		lines++
		rest = rest[i+1:]
	}
	return s + strings.Repeat("\n", h-lines)
}

// truncate cuts s to w cells with an ellipsis, keeping any styling intact.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// padRight fits s to exactly w cells: cut with an ellipsis when too wide,
// then padded. Cutting before a wide (CJK) character can leave it a cell
// short, so the padding comes after the cut.
func padRight(s string, w int) string {
	s = truncate(s, w)
	if gap := w - ansi.StringWidth(s); gap > 0 {
		return s + strings.Repeat(" ", gap)
	}
	return s
}

// padLeft right-aligns s in exactly w cells.
func padLeft(s string, w int) string {
	s = truncate(s, w)
	if gap := w - ansi.StringWidth(s); gap > 0 {
		return strings.Repeat(" ", gap) + s
	}
	return s
}

// lineCount is the number of lines s takes on screen.
func lineCount(s string) int { return strings.Count(s, "\n") + 1 }
