package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rotation-dev/rotation/watchlists"
)

var keyCtrlZ = tea.KeyPressMsg{Code: 'z', Mod: tea.ModCtrl}

// TestCtrlZSuspends: ctrl+z hands Bubble Tea its suspend from every screen,
// the question and a too small window among them, and the full help says
// so. Bubble Tea restores the terminal, stops the process and, on resume,
// repaints the frame (main_suspend_test.go runs that for real); the resume
// leaves the frame as it was.
func TestCtrlZSuspends(t *testing.T) {
	m := simModel(t, watchlists.Defaults(), 120, 40)
	for _, s := range []struct {
		name   string
		setup  func(Model) Model
		screen screen
	}{
		{"the Rotation tab", func(m Model) Model { return m }, screenRotation},
		{"the detail view", func(m Model) Model { return step(step(m, keyRune('3')), keyEnter) }, screenDetail},
		{"the question before writing the built-in lists", func(m Model) Model { return step(m, keyRune('e')) }, screenConfirm},
		{"a window too small", func(m Model) Model { return step(m, tea.WindowSizeMsg{Width: 20, Height: 5}) }, screenRotation},
	} {
		on := s.setup(m)
		if on.screen() != s.screen {
			t.Fatalf("%s: the keys led to screen %d", s.name, on.screen())
		}
		_, cmd := on.Update(keyCtrlZ)
		if cmd == nil {
			t.Errorf("ctrl+z on %s: no command", s.name)
		} else if _, ok := cmd().(tea.SuspendMsg); !ok {
			t.Errorf("ctrl+z on %s: %T, want tea.SuspendMsg", s.name, cmd())
		}
	}

	help := ansi.Strip(step(m, keyRune('?')).View().Content)
	if !strings.Contains(help, "ctrl+z") || !strings.Contains(help, "suspend") {
		t.Errorf("the full help does not name ctrl+z:\n%s", help)
	}

	before := m.View().Content
	if next, cmd := m.Update(tea.ResumeMsg{}); cmd != nil || next.(Model).View().Content != before {
		t.Errorf("resuming changed the frame or asked for more (%v)", cmd)
	}
}
