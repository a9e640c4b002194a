package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/replay"
	"github.com/rotation-dev/rotation/feeds/sim"
)

// FuzzReplayReader opens arbitrary bytes as a recording. Run it for a few
// seconds with
//
//	go test -run '^$' -fuzz '^FuzzReplayReader$' -fuzztime 5s -fuzzminimizetime 20x ./feeds/replay/
//
// Opening never panics; a refused file is refused with the line at fault;
// an accepted one plays back series that keep the feeds.Series contract.
func FuzzReplayReader(f *testing.F) {
	f.Add(simRecording(f))
	for _, s := range []string{
		"", "\n\n", "{}\n", "null\n",
		`{"t":"2026-11-20T15:00:00Z","kind":"quotes","feed":"yahoo","quotes":[{"symbol":"NVDA","price":1}]}` + "\n",
		`{"t":"2026-11-20T15:00:00Z","kind":"health","feed":"sim","health":{"state":"simulated","simulated":true}}` + "\n" + `{"t":"2026-11-20T15:0`,
		`{"t":"2026-11-20T15:00:00Z","kind":"series","feed":"yahoo","series":{"symbol":"NVDA","range":"1D","times":["2026-11-20T15:00:00Z"],"closes":[]}}` + "\n",
	} {
		f.Add([]byte(s))
	}
	lineRef := regexp.MustCompile(`\.jsonl:\d+: `)
	path := filepath.Join(f.TempDir(), "fuzz.jsonl") // inputs run one at a time
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		start := time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)
		for _, speed := range []float64{0, 60} {
			feed, err := replay.Open(path, replay.Options{Speed: speed, Clock: func() time.Time { return start }})
			if err != nil {
				if !lineRef.MatchString(err.Error()) && !isEmpty(data) {
					t.Fatalf("error names no line: %v", err)
				}
				return
			}
			for _, w := range feed.Warnings() {
				if !lineRef.MatchString(w) {
					t.Errorf("warning names no line: %q", w)
				}
			}
			play(t, feed, data)
		}
	})
}

// isEmpty: a file without a single non-blank line has no line to blame.
func isEmpty(data []byte) bool { return len(bytes.TrimSpace(data)) == 0 }

// play asks the feed for every symbol and series the data mentions, and
// for each symbol's RangeDaily series, which older recordings stand in for.
func play(t *testing.T, feed *replay.Feed, data []byte) {
	ctx := context.Background()
	var symbols []string
	var keys []feeds.SeriesKey
	for _, line := range bytes.Split(data, []byte("\n")) {
		var rec struct {
			Quotes []struct{ Symbol string } `json:"quotes"`
			Series *struct {
				Symbol string
				Range  feeds.Range
			} `json:"series"`
		}
		if json.Unmarshal(line, &rec) != nil {
			continue
		}
		for _, q := range rec.Quotes {
			symbols = append(symbols, q.Symbol)
		}
		if rec.Series != nil {
			keys = append(keys, feeds.SeriesKey{Symbol: rec.Series.Symbol, Range: rec.Series.Range})
		}
	}
	if _, err := feed.Quotes(ctx, symbols); err != nil {
		t.Errorf("Quotes: %v", err)
	}
	for _, k := range keys {
		s, err := feed.Series(ctx, k.Symbol, k.Range)
		if err != nil {
			continue // recorded only later than the replay time
		}
		checkSeries(t, s)
		if s, err := feed.Series(ctx, k.Symbol, feeds.RangeDaily); err == nil {
			checkSeries(t, s)
			if s.Range != feeds.RangeDaily {
				t.Errorf("RangeDaily series of %s came back as %q", k.Symbol, s.Range)
			}
		}
	}
	if now := feed.Clock()(); !now.Equal(feed.Health().LastOK) {
		t.Errorf("Clock reads %s but Health shows %s", now, feed.Health().LastOK)
	}
	if h := feed.Health(); h.State != feeds.StateReplay || h.Detail == "" {
		t.Errorf("health %+v, want replay with a detail", h)
	}
}

// checkSeries: times and closes pair up, so Last and every reader that
// indexes one by the other are safe. (Order and positive closes are the
// recorded feed's promise, which replay passes on as recorded.)
func checkSeries(t *testing.T, s feeds.Series) {
	t.Helper()
	if len(s.Times) != len(s.Closes) {
		t.Fatalf("%s %s: %d times but %d closes", s.Symbol, s.Range, len(s.Times), len(s.Closes))
	}
	s.Last()
}

// simRecording is a real recording: a few quotes, a series and health of
// the simulated market.
func simRecording(f *testing.F) []byte {
	now := time.Date(2026, 11, 20, 15, 2, 37, 0, time.UTC)
	clock := func() time.Time { return now }
	var buf bytes.Buffer
	rec := replay.NewRecorder(sim.New(sim.Options{Seed: 7, Clock: clock}), &buf, clock)
	ctx := context.Background()
	if _, err := rec.Quotes(ctx, []string{"NVDA", "7203.T"}); err != nil {
		f.Fatal(err)
	}
	if _, err := rec.Series(ctx, "NVDA", feeds.Range5D); err != nil {
		f.Fatal(err)
	}
	if rec.Err() != nil || !strings.Contains(buf.String(), `"kind":"series"`) {
		f.Fatalf("recording failed: %v", rec.Err())
	}
	return buf.Bytes()
}
