package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rotation-dev/rotation/alerts"
)

// Alerts fire in the monitor on each refresh: the rules are evaluated on the
// new report, the tracker says which became true, and each of those is
// shown, rung, logged and, when asked for, sent as a notification.

// alertShownFor is how long a fired alert stays in the banner.
const alertShownFor = 10 * time.Minute

// maxAlertLines bounds the banner's alert lines, newest first.
const maxAlertLines = 2

// Notifier sends one fired alert outside the terminal (a desktop
// notification); it runs inside a tea.Cmd, never in Update.
type Notifier func(title, body string) error

// alertsRecordedMsg reports the logging of fired alerts and the saving of
// the rules' state; Err is shown in the status line.
type alertsRecordedMsg struct{ Err error }

// checkAlerts observes the rules on the current report and returns what
// the alerts that fired must do.
func (m *Model) checkAlerts() tea.Cmd {
	t := m.opts.Alerts
	if t == nil {
		return nil
	}
	readings := alerts.Evaluate(m.rules, m.report, m.update.Quotes)
	fired := t.Observe(readings, m.now)
	logPath := m.opts.AlertLog
	record := func() tea.Msg {
		err := t.Save()
		if len(fired) > 0 && logPath != "" {
			if e := alerts.AppendLog(logPath, fired); err == nil {
				err = e
			}
		}
		return alertsRecordedMsg{err}
	}
	if len(fired) == 0 {
		return record // a rule may have re-armed: its state is saved
	}
	m.fired = append(fired, m.fired...)
	if len(m.fired) > maxAlertLines {
		m.fired = m.fired[:maxAlertLines]
	}
	cmds := []tea.Cmd{record, tea.Raw("\a")}
	for _, f := range fired {
		cmds = append(cmds, m.notify(f))
	}
	return tea.Batch(cmds...)
}

// notify sends f by the notification means main chose, if any.
func (m Model) notify(f alerts.Fired) tea.Cmd {
	const title = "rotation alert"
	body := clean(f.Message)
	switch {
	case m.opts.Notify != nil:
		send := m.opts.Notify
		return func() tea.Msg { return alertsRecordedMsg{send(title, body)} }
	case m.opts.NotifyOSC == "9":
		return tea.Raw(alerts.OSC9(title + ": " + body))
	case m.opts.NotifyOSC != "":
		return tea.Raw(alerts.OSC777(title, body))
	}
	return nil
}

// shownAlerts counts the fired alerts still recent enough to show.
func (m Model) shownAlerts() int {
	n := 0
	for _, f := range m.fired {
		if m.now.Sub(f.At) <= alertShownFor {
			n++
		}
	}
	return n
}

// alertLines are the banner's fired alerts still recent enough to show.
func (m Model) alertLines() []string {
	var out []string
	for _, f := range m.fired {
		if m.now.Sub(f.At) > alertShownFor {
			continue
		}
		line := "🔔 " + f.At.In(m.now.Location()).Format("15:04:05") + "  " + clean(f.Message)
		out = append(out, m.styles.Alert.Width(m.width).MaxWidth(m.width).Render(truncate(line, m.width-2)))
	}
	return out
}
