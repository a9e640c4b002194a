package report

import (
	"bytes"
	"encoding/json"
	"github.com/rotation-dev/rotation/baskets"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
)

// Hostile strings a quote could carry: OSC 52 (clipboard), an OSC 8 link, a
// clear screen, the C1 form of CSI and a bidi override.
const (
	hostileName     = "Evil\x1b]52;c;ZXZpbA==\x07 \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ Corp\x1b[2J\u009b2J"
	hostileExchange = "NMS\u202Egpj.exe"
)

// hostileReport is a normal report whose every network- or file-sourced
// string has been made hostile.
func hostileReport(t *testing.T) baskets.Report {
	t.Helper()
	rep := simReport(t, 1, feeds.Range1M)
	rep.Feed.Name = "yahoo\u009b2J"
	rep.Feed.Simulated, rep.Feed.State = false, feeds.StateStale
	rep.Feed.Detail = "Yahoo says \x1b]0;pwned\x07no"
	rep.Benchmark.Symbol = "SPY\x1b[31m"
	rep.Problems = append(rep.Problems, "NVDA in x.yaml: \u009d52;c;ZXZpbA==\u009cbad quote")
	seg := &rep.Segments[0]
	seg.Name, seg.File = "GPUs\u202E", "10-gpus\x1b[2J.yaml"
	m := &seg.Symbols[0]
	m.Name, m.Exchange = hostileName, hostileExchange
	m.Symbol, m.Currency, m.MarketState = "NV\u200fDA", "US\x1bcD", "RE\u0090q\u009cGULAR"
	m.Flag = "stale \x1b[?1049h quote"
	return rep
}

// requireInert fails when out holds an escape, a C1 control, a bidi control
// or a payload of one of the hostile sequences.
func requireInert(t *testing.T, what, out string) {
	t.Helper()
	for _, r := range out {
		bidi := (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
		if r == 0x1b || (r >= 0x80 && r <= 0x9f) || bidi || (r < 0x20 && r != '\n') {
			t.Fatalf("%s: U+%04X reached the output:\n%q", what, r, out)
		}
	}
	for _, payload := range []string{"ZXZpbA", "http://evil", "pwned", "2J"} {
		if strings.Contains(out, payload) {
			t.Errorf("%s: %q from an escape sequence reached the output", what, payload)
		}
	}
	for _, kept := range []string{"Evil click Corp", "NVDA", "GPUs", "10-gpus.yaml"} {
		if !strings.Contains(out, kept) {
			t.Errorf("%s: the text %q around the sequences is missing", what, kept)
		}
	}
}

func TestWriteTableSanitizes(t *testing.T) {
	rep := hostileReport(t)
	var buf bytes.Buffer
	if err := WriteTable(&buf, Document{Report: rep}, false); err != nil {
		t.Fatal(err)
	}
	requireInert(t, "table", buf.String())
	for _, want := range []string{"feed: yahoo — stale (Yahoo says no)", "benchmark SPY ", "REGULAR", "stale  quote", "bad quote"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

// TestWriteTableColorsAfterSanitizing: the table's own colour codes survive,
// and they are the only escapes in the output.
func TestWriteTableColorsAfterSanitizing(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, Document{Report: hostileReport(t)}, true); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, ansiGreen) || !strings.Contains(out, ansiRed) {
		t.Fatal("the table's own colours were lost")
	}
	requireInert(t, "colored table", strings.NewReplacer(ansiGreen, "", ansiRed, "", ansiYellow, "", ansiBold, "", ansiReset, "").Replace(out))
}

func TestWriteCSVSanitizes(t *testing.T) {
	rep := hostileReport(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Document{Report: rep}); err != nil {
		t.Fatal(err)
	}
	requireInert(t, "csv", buf.String())
	rows := firstCSVTable(t, &buf)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	row := rows[1]
	for k, want := range map[string]string{"name": "Evil click Corp", "exchange": "NMSgpj.exe", "symbol": "NVDA",
		"symbolCurrency": "USD", "marketState": "REGULAR", "segmentName": "GPUs", "feed": "yahoo"} {
		if got := row[col[k]]; got != want {
			t.Errorf("%s cell %q, want %q", k, got, want)
		}
	}
}

func TestWriteJSONSanitizes(t *testing.T) {
	rep := hostileReport(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Document{Report: rep}); err != nil {
		t.Fatal(err)
	}
	var back baskets.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if got := back.Segments[0].Symbols[0].Name; got != "Evil click Corp" {
		t.Errorf("name %q", got)
	}
	if got := back.Segments[0].Symbols[0].Exchange; got != "NMSgpj.exe" {
		t.Errorf("exchange %q", got)
	}
	if strings.ContainsAny(buf.String(), "\x1b\u009b\u009d\u202e") || strings.Contains(buf.String(), `\u001b`) {
		t.Error("a control reached the JSON")
	}
}

// TestWritersDoNotModifyTheReport: sanitizing works on a copy, since the
// caller's report may be shared.
func TestWritersDoNotModifyTheReport(t *testing.T) {
	rep := hostileReport(t)
	var buf bytes.Buffer
	_ = WriteTable(&buf, Document{Report: rep}, false)
	_ = WriteCSV(&buf, Document{Report: rep})
	_ = WriteJSON(&buf, Document{Report: rep})
	if rep.Segments[0].Symbols[0].Name != hostileName || rep.Segments[0].Symbols[0].Exchange != hostileExchange {
		t.Error("a writer changed the caller's report")
	}
}

// TestCleanReportKeepsNormalText: an ordinary report is unchanged, so
// sanitizing cannot alter the output of normal names.
func TestCleanReportKeepsNormalText(t *testing.T) {
	rep := simReport(t, 2, feeds.Range5D)
	var before, after bytes.Buffer
	if err := json.NewEncoder(&before).Encode(rep); err != nil {
		t.Fatal(err)
	}
	if err := json.NewEncoder(&after).Encode(cleanReport(rep)); err != nil {
		t.Fatal(err)
	}
	if before.String() != after.String() {
		t.Error("cleanReport changed a normal report")
	}
}
