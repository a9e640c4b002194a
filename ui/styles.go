package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/rotation-dev/rotation/watchlists"
)

// severity orders the feed badge colours: a trader must tell live data from
// stale or simulated data at a glance.
type severity int

const (
	SevOK severity = iota
	SevInfo
	SevWarn
	SevBad
)

// DetectedProfile is the colour profile Lip Gloss found for standard output
// and the environment as it loaded, which is what Bubble Tea would find
// again for the same output. Handing it to the program spares the second
// look: inside tmux each one runs `tmux info`, a process of its own.
func DetectedProfile() colorprofile.Profile { return lipgloss.Writer.Profile }

// Styles is every style the UI draws with, built once from the background
// (dark or light). Views only pick from it; none builds a style while drawing.
type Styles struct {
	Dark bool

	Title             lipgloss.Style
	Muted             lipgloss.Style
	Bold              lipgloss.Style
	Up                lipgloss.Style
	Down              lipgloss.Style
	Flat              lipgloss.Style
	Info              lipgloss.Style
	Warn              lipgloss.Style // a figure to take with care, e.g. a basket not fully priced
	Badge             map[severity]lipgloss.Style
	Era               map[watchlists.Era]lipgloss.Style // era-coloured text
	EraBadge          map[watchlists.Era]lipgloss.Style // era-coloured reverse label
	TabActive         map[watchlists.Era]lipgloss.Style
	TabIdle           map[watchlists.Era]lipgloss.Style
	TabOverview       lipgloss.Style
	TabOverviewActive lipgloss.Style

	Panel       lipgloss.Style // a bordered panel
	PanelBorder lipgloss.Style // the colour of a panel's hand-drawn border, for borders that carry titles
	PanelTitle  lipgloss.Style
	Card        lipgloss.Style
	CardActive  lipgloss.Style

	TableHeader lipgloss.Style
	Selected    lipgloss.Style
	Greyed      lipgloss.Style
	Stale       lipgloss.Style // the age of a quote older than it should be

	Banner lipgloss.Style // watchlist errors
	Alert  lipgloss.Style // fired alerts
	Status lipgloss.Style
	Help   help.Styles

	Quadrant map[string]lipgloss.Style // leading, weakening, lagging, improving

	Marker lipgloss.Style // an event's marker on a chart, its rule and its number in the legend
}

// NewStyles builds the theme for a dark or light background.
func NewStyles(dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	var (
		fg       = ld(lipgloss.Color("#1f2328"), lipgloss.Color("#e6edf3"))
		muted    = ld(lipgloss.Color("#656d76"), lipgloss.Color("#8b949e"))
		green    = ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#3fb950"))
		red      = ld(lipgloss.Color("#cf222e"), lipgloss.Color("#f85149"))
		yellow   = ld(lipgloss.Color("#9a6700"), lipgloss.Color("#d29922"))
		blue     = ld(lipgloss.Color("#0969da"), lipgloss.Color("#58a6ff"))
		training = ld(lipgloss.Color("#bc4c00"), lipgloss.Color("#f0883e"))
		infer    = ld(lipgloss.Color("#8250df"), lipgloss.Color("#bc8cff"))
		bench    = muted
		border   = ld(lipgloss.Color("#d0d7de"), lipgloss.Color("#30363d"))
		selBg    = ld(lipgloss.Color("#ddf4ff"), lipgloss.Color("#1f2a3a"))
		onColor  = ld(lipgloss.Color("#ffffff"), lipgloss.Color("#0d1117"))
		pink     = ld(lipgloss.Color("#bf3989"), lipgloss.Color("#db61a2")) // no era's, no line's colour
	)
	eraColor := map[watchlists.Era]color.Color{
		watchlists.Training: training, watchlists.Inference: infer, watchlists.Benchmark: bench,
	}
	base := lipgloss.NewStyle()
	badge := func(c color.Color) lipgloss.Style {
		return base.Bold(true).Foreground(onColor).Background(c).Padding(0, 1)
	}
	s := Styles{
		Dark:  dark,
		Title: base.Bold(true).Foreground(fg),
		Muted: base.Foreground(muted),
		Bold:  base.Bold(true),
		Up:    base.Foreground(green),
		Down:  base.Foreground(red),
		Flat:  base.Foreground(muted),
		Info:  base.Foreground(blue),
		Warn:  base.Foreground(yellow),
		Badge: map[severity]lipgloss.Style{
			SevOK: badge(green), SevInfo: badge(blue), SevWarn: badge(yellow), SevBad: badge(red),
		},
		Era:       map[watchlists.Era]lipgloss.Style{},
		EraBadge:  map[watchlists.Era]lipgloss.Style{},
		TabActive: map[watchlists.Era]lipgloss.Style{},
		TabIdle:   map[watchlists.Era]lipgloss.Style{},

		TabOverview: base.Padding(0, 1).Foreground(fg),
		// Active tabs carry brackets in place of their padding, so they
		// stand out on a screen without colour too (TERM=dumb, NO_COLOR).
		TabOverviewActive: base.Bold(true).Reverse(true),

		Panel:       base.Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1),
		PanelBorder: base.Foreground(border),
		PanelTitle:  base.Bold(true).Foreground(fg),
		Card:        base.Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1),
		CardActive:  base.Border(lipgloss.RoundedBorder()).BorderForeground(blue).Padding(0, 1),

		TableHeader: base.Bold(true).Foreground(muted),
		Selected:    base.Background(selBg).Bold(true),
		Greyed:      base.Foreground(muted).Faint(true),
		Stale:       base.Foreground(yellow),

		Banner: base.Foreground(onColor).Background(red).Padding(0, 1),
		Alert:  base.Foreground(onColor).Background(yellow).Bold(true).Padding(0, 1),
		Status: base.Foreground(muted),
		Help:   help.DefaultStyles(dark),

		Quadrant: map[string]lipgloss.Style{
			"leading": base.Foreground(green), "weakening": base.Foreground(yellow),
			"lagging": base.Foreground(red), "improving": base.Foreground(blue),
		},
		Marker: base.Foreground(pink),
	}
	for era, c := range eraColor {
		s.Era[era] = base.Foreground(c)
		s.EraBadge[era] = badge(c)
		s.TabActive[era] = base.Bold(true).Foreground(onColor).Background(c)
		s.TabIdle[era] = base.Padding(0, 1).Foreground(c)
	}
	return s
}

// Change picks the up, down or flat style for a signed number.
func (s Styles) Change(v float64) lipgloss.Style {
	switch {
	case v > 0:
		return s.Up
	case v < 0:
		return s.Down
	default:
		return s.Flat
	}
}
