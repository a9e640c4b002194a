package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
)

var ctx = context.Background()

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var symbols = []string{"NVDA", "000660.KS", "7203.T", "ASML.AS", "ARM.L", "KRW=X"}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRecordThenReplayMatchesSim: a sim run recorded to a file and replayed
// at speed 0 shows exactly the sim's numbers, flagged as simulated.
func TestRecordThenReplayMatchesSim(t *testing.T) {
	now := at("2026-11-20T15:02:37Z")
	clock := func() time.Time { return now }
	path := filepath.Join(t.TempDir(), "sim.jsonl")
	file, err := OpenRecording(path, false)
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder(sim.New(sim.Options{Seed: 7, Clock: clock}), file, clock)
	wantQuotes, _ := rec.Quotes(ctx, symbols)
	wantSeries := map[string]string{}
	for _, sym := range symbols {
		for _, r := range feeds.Ranges {
			if r.Long() { // served by RangeLong, never fetched themselves
				continue
			}
			s, err := rec.Series(ctx, sym, r)
			if err != nil {
				t.Fatal(err)
			}
			wantSeries[sym+string(r)] = mustJSON(t, s)
		}
	}
	file.Close()

	rf, err := Open(path, Options{Speed: 0, Clock: func() time.Time { return at("2030-01-01T00:00:00Z") }})
	if err != nil {
		t.Fatal(err)
	}
	gotQuotes, _ := rf.Quotes(ctx, symbols)
	if mustJSON(t, gotQuotes) != mustJSON(t, wantQuotes) {
		t.Errorf("replayed quotes differ from the sim's:\n got %s\nwant %s", mustJSON(t, gotQuotes), mustJSON(t, wantQuotes))
	}
	direct := sim.New(sim.Options{Seed: 7, Clock: clock})
	for _, sym := range symbols {
		for _, r := range feeds.Ranges {
			if r.Long() {
				continue
			}
			s, err := rf.Series(ctx, sym, r)
			if err != nil {
				t.Fatal(err)
			}
			fresh, _ := direct.Series(ctx, sym, r)
			if got := mustJSON(t, s); got != wantSeries[sym+string(r)] || got != mustJSON(t, fresh) {
				t.Errorf("replayed %s %s differs from the sim's", sym, r)
			}
		}
	}
	h := rf.Health()
	if h.State != feeds.StateReplay || !h.Simulated || !strings.Contains(h.Detail, "SIMULATED") || !strings.Contains(h.Detail, path) {
		t.Errorf("Health = %+v; want replay state, simulated, naming the file", h)
	}
	if len(rf.Warnings()) != 0 {
		t.Errorf("warnings on a clean recording: %v", rf.Warnings())
	}
}

// stubFeed delivers a quote whose price is the minute of its clock.
type stubFeed struct {
	clock func() time.Time
}

func (s stubFeed) Name() string { return "yahoo" }
func (s stubFeed) Quotes(_ context.Context, syms []string) ([]feeds.Quote, error) {
	var out []feeds.Quote
	for _, sym := range syms {
		out = append(out, feeds.Quote{Symbol: sym, Price: float64(s.clock().Minute())})
	}
	return out, nil
}
func (s stubFeed) Series(_ context.Context, sym string, r feeds.Range) (feeds.Series, error) {
	return feeds.Series{Symbol: sym, Range: r, Times: []time.Time{s.clock()}, Closes: []float64{float64(s.clock().Minute())}}, nil
}
func (s stubFeed) Health() feeds.Health { return feeds.Health{Feed: "yahoo", State: feeds.StateLive} }

func TestReplayAtSpeed(t *testing.T) {
	recNow := at("2026-11-20T15:00:00Z")
	recClock := func() time.Time { return recNow }
	var buf bytes.Buffer
	rec := NewRecorder(stubFeed{recClock}, &buf, recClock)
	for i := 0; i < 10; i++ { // one quote a minute for ten minutes
		rec.Quotes(ctx, []string{"NVDA"})
		rec.Series(ctx, "NVDA", feeds.Range1D)
		recNow = recNow.Add(time.Minute)
	}
	path := filepath.Join(t.TempDir(), "live.jsonl")
	os.WriteFile(path, buf.Bytes(), 0o644)

	playNow := at("2030-01-01T00:00:00Z")
	f, err := Open(path, Options{Speed: 2, Clock: func() time.Time { return playNow }})
	if err != nil {
		t.Fatal(err)
	}
	price := func() float64 {
		q, _ := f.Quotes(ctx, []string{"NVDA", "MISSING"})
		if len(q) != 1 {
			t.Fatalf("quotes = %+v, want NVDA only", q)
		}
		return q[0].Price
	}
	if p := price(); p != 0 {
		t.Errorf("at start: price %v, want the first record's 0", p)
	}
	playNow = playNow.Add(90 * time.Second) // 3 recorded minutes at x2
	if p := price(); p != 3 {
		t.Errorf("after 90s at x2: price %v, want 3", p)
	}
	s, err := f.Series(ctx, "NVDA", feeds.Range1D)
	if _, c, _ := s.Last(); err != nil || c != 3 {
		t.Errorf("after 90s at x2: series close %v (%v), want 3", c, err)
	}
	if _, err := f.Series(ctx, "NVDA", feeds.Range1Y); feeds.KindOf(err) != feeds.KindUpstream {
		t.Errorf("unrecorded range: err = %v, want an upstream error", err)
	}
	playNow = playNow.Add(time.Hour)
	if p := price(); p != 9 {
		t.Errorf("past the end: price %v, want the last record's 9", p)
	}
	h := f.Health()
	if h.Simulated || h.Speed != 2 || !strings.Contains(h.Detail, "x2") || !strings.Contains(h.Detail, "end of recording") {
		t.Errorf("Health = %+v", h)
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const good = `{"t":"2026-11-20T15:00:00Z","kind":"quotes","feed":"yahoo","quotes":[{"symbol":"NVDA","price":1}]}`

func TestTruncatedLastLineIsAWarning(t *testing.T) {
	path := writeFile(t, good+"\n"+good[:40])
	f, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := f.Warnings(); len(w) != 1 || !strings.Contains(w[0], path+":2") || !strings.Contains(w[0], "truncated") {
		t.Errorf("warnings = %q, want one naming line 2 as truncated", w)
	}
	if q, _ := f.Quotes(ctx, []string{"NVDA"}); len(q) != 1 || q[0].Price != 1 {
		t.Errorf("quotes = %+v", q)
	}
}

func TestMalformedLinesAreErrors(t *testing.T) {
	cases := []struct{ name, content, want string }{
		{"middle line", good + "\n{not json\n" + good + "\n", ":2: malformed record"},
		{"bad last line with its newline", good + "\n" + good[:40] + "\n", ":2: malformed record"},
		{"unknown kind", strings.Replace(good, `"quotes","feed"`, `"trades","feed"`, 1) + "\n", `:1: unknown record kind "trades"`},
		{"no time", strings.Replace(good, `"t":"2026-11-20T15:00:00Z",`, "", 1) + "\n", `:1: record has no time`},
		{"empty file", "", "no records"},
		{"only a truncated line", good[:40], "no records"},
	}
	for _, c := range cases {
		path := writeFile(t, c.content)
		_, err := Open(path, Options{})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to name %s and say %q", c.name, err, path, c.want)
		}
	}
	if _, err := Open(writeFile(t, good+"\n"), Options{Speed: -1}); err == nil {
		t.Error("negative speed accepted")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.jsonl"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestOpenRecordingRefusesOverwrite(t *testing.T) {
	path := writeFile(t, good+"\n")
	if _, err := OpenRecording(path, false); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("err = %v, want a refusal to overwrite", err)
	}
	if b, _ := os.ReadFile(path); string(b) != good+"\n" {
		t.Errorf("the existing recording was changed: %q", b)
	}
}

func TestAppendCutsPartialLine(t *testing.T) {
	path := writeFile(t, good+"\n"+good[:40])
	f, err := OpenRecording(path, true)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return at("2026-11-20T16:00:00Z") }
	rec := NewRecorder(stubFeed{clock}, f, clock)
	rec.Quotes(ctx, []string{"AVGO"})
	f.Close()
	rf, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := rf.Quotes(ctx, []string{"NVDA", "AVGO"}); len(q) != 2 || len(rf.Warnings()) != 0 {
		t.Errorf("after append: quotes %+v, warnings %v; want both symbols and no warning", q, rf.Warnings())
	}
}

func TestRecorderHealthOnlyOnChange(t *testing.T) {
	clock := func() time.Time { return at("2026-11-20T15:00:00Z") }
	var buf bytes.Buffer
	rec := NewRecorder(stubFeed{clock}, &buf, clock)
	for i := 0; i < 3; i++ {
		rec.Quotes(ctx, []string{"NVDA"})
		rec.Health()
	}
	if n := strings.Count(buf.String(), `"kind":"health"`); n != 1 {
		t.Errorf("%d health records for an unchanged health, want 1", n)
	}
	if n := strings.Count(buf.String(), "\n"); n != 4 {
		t.Errorf("%d lines, want 3 quotes + 1 health", n)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRecorderWriteFailureKeepsFeedGoing(t *testing.T) {
	clock := func() time.Time { return at("2026-11-20T15:00:00Z") }
	rec := NewRecorder(stubFeed{clock}, failingWriter{}, clock)
	q, err := rec.Quotes(ctx, []string{"NVDA"})
	if err != nil || len(q) != 1 {
		t.Fatalf("Quotes through a failing recorder = %v, %v", q, err)
	}
	if rec.Err() == nil || !strings.Contains(rec.Health().Detail, "recording stopped: ") {
		t.Errorf("Err = %v, Health = %+v; want the write failure reported", rec.Err(), rec.Health())
	}
}
