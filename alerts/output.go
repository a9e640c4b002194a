package alerts

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/rotation-dev/rotation/feeds"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/sanitize"
)

// logLine is one fired alert in the log, a JSON object per line so the log
// can be read with jq or grep and a torn last line spoils only itself.
type logLine struct {
	Time    time.Time   `json:"time"`
	Rule    string      `json:"rule"`
	Key     string      `json:"key"`
	Value   baskets.Opt `json:"value"` // null for quadrant rules and unknown values
	Message string      `json:"message"`
}

// AppendLog appends one line per fired alert to the log at path, creating
// it (0600) and its directory (0700) as needed. The lines go out in one
// write, so two processes appending at once do not interleave them.
func AppendLog(path string, fired []Fired) error {
	if len(fired) == 0 {
		return nil
	}
	if path == "" {
		return errors.New("alerts log: no path (set XDG_STATE_HOME or HOME)")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // Encode ends each object with a newline
	for _, f := range fired {
		line := logLine{Time: f.At, Rule: f.Rule.String(), Key: f.Rule.Key(), Value: f.Value, Message: f.Message}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// oscField cleans text for a field of an OSC notification: sanitize.Text
// removes escapes and controls (BEL or ST would end the sequence early,
// ESC would start a new one), and ';', which separates the fields, becomes
// ',' so the body cannot move into the title or add a field of its own.
func oscField(s string) string {
	return strings.ReplaceAll(sanitize.Text(s), ";", ",")
}

// OSC777 is the notification sequence of urxvt, foot, Ghostty and others:
// ESC ] 777 ; notify ; title ; body BEL.
func OSC777(title, body string) string {
	return "\x1b]777;notify;" + oscField(title) + ";" + oscField(body) + "\a"
}

// OSC9 is the notification sequence of iTerm2, kitty, WezTerm and Windows
// Terminal: ESC ] 9 ; body BEL. ';' is replaced here too: ConEmu and
// Windows Terminal read "9;4;…" and the like as commands (progress bars),
// not as text.
func OSC9(body string) string {
	return "\x1b]9;" + oscField(body) + "\a"
}

// writeAtomic replaces path with data, private to the user: the state and
// log say what the user watches.
func writeAtomic(path string, data []byte) error { return feeds.WriteFileAtomic(path, data, 0o600) }
