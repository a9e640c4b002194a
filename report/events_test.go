package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/feeds"
)

// TestWriteJSONEvents: each event within the range as {date, label,
// symbols, source}, symbols [] when none, labels sanitized.
func TestWriteJSONEvents(t *testing.T) {
	rep := simReport(t, 1, feeds.Range1M)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	earn := time.Date(2025, 1, 29, 21, 30, 0, 0, time.UTC)
	evs := append(events.Builtin(),
		events.Event{Date: day("2025-01-20"), Label: "Stargate\x1b[2J announced", Symbols: []string{"ORCL"}, Source: events.SourceFile},
		events.Event{Date: day("2025-02-11"), Label: "after asOf", Source: events.SourceFile})
	evs = append(evs, events.Earnings(map[string]feeds.Quote{"MSFT": {Symbol: "MSFT", EarningsTime: &earn}, "SPY": {Symbol: "SPY"}})...)
	doc := Document{Report: rep, Events: Events(evs, day("2025-01-10"), time.Date(2025, 2, 10, 15, 0, 0, 0, time.UTC))}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, doc); err != nil {
		t.Fatal(err)
	}
	var out struct{ Events []map[string]json.RawMessage }
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range out.Events {
		if len(e) != 4 {
			t.Errorf("event keys %v, want date, label, symbols, source", e)
		}
		var syms bytes.Buffer
		if err := json.Compact(&syms, e["symbols"]); err != nil {
			t.Fatal(err)
		}
		got = append(got, string(e["date"])+" "+string(e["label"])+" "+syms.String()+" "+string(e["source"]))
	}
	want := []string{
		`"2025-01-20" "Stargate announced" ["ORCL"] "file"`,
		`"2025-01-27" "The DeepSeek sell-off" [] "builtin"`,
		`"2025-01-29" "MSFT earnings" ["MSFT"] "earnings"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
