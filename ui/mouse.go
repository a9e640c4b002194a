package ui

import (
	tea "charm.land/bubbletea/v2"
)

// The mouse: a click on a tab opens it; on a card or a list row of the
// Rotation tab, that segment; on a table's column title, a sort by it (again:
// reversed); on a row, selects it and a second click opens its detail; on
// a bar of the attribution view, selects it and a second click opens its
// segment's members; off the date prompt, cancels it. The wheel scrolls
// whatever fills the body.

// wheelStep is how many segments or rows one notch of the wheel moves.
const wheelStep = 1

// bodyTop is the screen line the body starts on: after the header, the
// tabs and the banner.
func (m Model) bodyTop() int {
	top := 2
	if b := m.banner(); b != "" {
		top += lineCount(b)
	}
	return top
}

func (m Model) clicked(msg tea.MouseClickMsg) (tea.Model, tea.Cmd) {
	if m.prompt.Open() {
		// A click anywhere but on the date prompt's line (the status
		// line's, below the body) cancels it, and does nothing else.
		if msg.Y != m.bodyTop()+m.bodyHeight() {
			m.prompt.Close()
			return m.layout(), nil
		}
		return m, nil
	}
	if msg.Button != tea.MouseLeft || m.confirm.open || m.tooSmall() {
		return m, nil
	}
	if msg.Y == 1 {
		if i, ok := m.tabs.At(msg.X); ok {
			m.tabs.Jump(i)
			return m.tabChanged(), nil
		}
		return m, nil
	}
	y := msg.Y - m.bodyTop()
	if y < 0 || y >= m.bodyHeight() {
		return m, nil
	}
	switch m.screen() {
	case screenRotation:
		if file, ok := m.rotation.SegmentAt(msg.X, y); ok {
			m.tabs.JumpToFile(file)
			return m.tabChanged(), nil
		}
	case screenSegment:
		if m.activeSegment().Click(msg.X, y) {
			m = m.openDetail()
		}
	case screenAttribution:
		if m.attribution.Click(msg.X, y) {
			m.attribution.Enter()
		}
	}
	return m, nil
}

func (m Model) wheeled(msg tea.MouseWheelMsg) (tea.Model, tea.Cmd) {
	n := 0
	switch msg.Button {
	case tea.MouseWheelDown:
		n = wheelStep
	case tea.MouseWheelUp:
		n = -wheelStep
	default:
		return m, nil
	}
	switch m.screen() {
	case screenRotation:
		m.rotation.ScrollBy(n)
	case screenBook:
		m.book.ScrollBy(n)
	case screenAttribution:
		m.attribution.ScrollBy(n)
	case screenSegment, screenDetail:
		m.activeSegment().ScrollBy(n)
		if m.detail.Open() {
			m = m.openDetail()
		}
	}
	return m, nil
}
