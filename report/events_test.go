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

// TestTopMovesCarryTheirDaysEvents: each of topMoves lists the labels of
// the events of its UTC date (an intraday bucket's date), [] when none;
// the table lists them beside the move.
func TestTopMovesCarryTheirDaysEvents(t *testing.T) {
	for _, r := range []feeds.Range{feeds.Range1M, feeds.Range5D} {
		rep := simReport(t, 1, r)
		if len(rep.TopMoves) == 0 {
			t.Fatalf("%s: no top moves", r)
		}
		day := rep.TopMoves[0].Time.UTC().Format(time.DateOnly)
		evs := []Event{
			{Date: day, Label: "Guidance\x1b[2J raised", Symbols: []string{}, Source: events.SourceFile},
			{Date: day, Label: "NVDA earnings", Symbols: []string{"NVDA"}, Source: "earnings"},
			{Date: "1999-01-04", Label: "No move that day", Symbols: []string{}, Source: events.SourceFile},
		}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, Document{Report: rep, Events: evs}); err != nil {
			t.Fatal(err)
		}
		var out struct {
			TopMoves []struct {
				Time        time.Time
				RatioChange float64
				Events      json.RawMessage
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		if len(out.TopMoves) != len(rep.TopMoves) {
			t.Fatalf("%s: %d moves in JSON, %d in the report", r, len(out.TopMoves), len(rep.TopMoves))
		}
		for i, m := range out.TopMoves {
			var compact bytes.Buffer
			if err := json.Compact(&compact, m.Events); err != nil {
				t.Fatal(err)
			}
			want := "[]"
			if m.Time.UTC().Format(time.DateOnly) == day {
				want = `["Guidance raised","NVDA earnings"]`
			}
			if compact.String() != want {
				t.Errorf("%s move %d at %v: events %s, want %s", r, i, m.Time, compact.String(), want)
			}
		}
		if rep.TopMoves[0].Events == nil || len(rep.TopMoves[0].Events) != 0 {
			t.Errorf("%s: the caller's report was written through: %q", r, rep.TopMoves[0].Events)
		}
		buf.Reset()
		if err := WriteTable(&buf, Document{Report: rep, Events: evs}, false); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "Guidance raised; NVDA earnings") || !strings.Contains(buf.String(), "why the spread moved: ") {
			t.Errorf("%s: the table does not list the move's events:\n%s", r, buf.String())
		}
	}
}
