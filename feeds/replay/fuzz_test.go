package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
		`{"t":"2026-11-20T15:00:00Z","kind":"quotes","feed":"yahoo","quotes":[{"symbol":"NVDA","price":1}]}` + "\n" +
			`{"t":"2026-11-20T15:00:01Z","kind":"ticks","feed":"yahoo","ticks":[{"symbol":"NVDA","price":1.5,"time":"2026-11-20T15:00:00.5Z","marketState":"REGULAR"},{"symbol":"EUR=X","price":0.9,"time":"2026-11-20T14:59:59Z","marketState":"REGULAR"}]}` + "\n",
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
// for each symbol's RangeDaily series, which older recordings stand in for,
// and streams the symbols its trades mention.
func play(t *testing.T, feed *replay.Feed, data []byte) {
	ctx := context.Background()
	var symbols, traded []string
	var keys []feeds.SeriesKey
	for _, line := range bytes.Split(data, []byte("\n")) {
		var rec struct {
			Quotes []struct{ Symbol string } `json:"quotes"`
			Series *struct {
				Symbol string
				Range  feeds.Range
			} `json:"series"`
			Ticks []struct{ Symbol string } `json:"ticks"`
		}
		if json.Unmarshal(line, &rec) != nil {
			continue
		}
		for _, q := range rec.Quotes {
			symbols = append(symbols, q.Symbol)
		}
		for _, tk := range rec.Ticks {
			traded = append(traded, tk.Symbol)
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
	stream(t, feed, traded)
}

// stream subscribes symbols and checks what plays at once is theirs, in
// time order; a recording without trades has no stream.
func stream(t *testing.T, feed *replay.Feed, symbols []string) {
	c, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []feeds.Tick // only the stream's goroutine appends, until it returns
	subs := make(chan []string)
	done := make(chan error, 1)
	go func() {
		done <- feed.Stream(c, subs, feeds.StreamSink{Tick: func(tk feeds.Tick) { got = append(got, tk) }})
	}()
	for range 2 { // the second list is taken once the first is played
		select {
		case subs <- symbols:
		case err := <-done:
			// None at all, unless the only trades were on a skipped last line.
			if !errors.Is(err, feeds.ErrNoStream) || len(symbols) > 0 && len(feed.Warnings()) == 0 {
				t.Fatalf("Stream of %d traded symbols returned %v", len(symbols), err)
			}
			return
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Stream returned %v after cancel, want nil", err)
	}
	for i, tk := range got {
		if !slices.Contains(symbols, tk.Symbol) || tk.Time.IsZero() || i > 0 && tk.Time.Before(got[i-1].Time) {
			t.Fatalf("played %+v (after %+v) for %q", tk, got[max(0, i-1)], symbols)
		}
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
