package ui

import (
	"charm.land/lipgloss/v2"
)

// confirmInit asks before writing the built-in watchlists to disk, which is
// what editing them needs.
type confirmInit struct {
	open bool
}

func (c confirmInit) View(s *Styles, width int) string {
	box := s.Panel.Render(
		s.Title.Render("These watchlists are built into rotation.") + "\n\n" +
			"To edit them, rotation writes them to your config directory\n" +
			"(like 'rotation init') and watches that directory from now on.\n\n" +
			s.Bold.Render("y") + " write them and open the editor   " + s.Bold.Render("n") + " cancel")
	return lipgloss.PlaceHorizontal(width, lipgloss.Center, "\n"+box)
}
