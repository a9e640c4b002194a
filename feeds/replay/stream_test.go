package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/sim"
)

// collected is what a sink received, with the replay clock at each tick
// when clock is set.
type collected struct {
	mu     sync.Mutex
	clock  feeds.Clock
	ticks  []feeds.Tick
	at     []time.Time
	status []feeds.StreamStatus
}

func (c *collected) sink() feeds.StreamSink {
	return feeds.StreamSink{
		Tick: func(t feeds.Tick) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.ticks = append(c.ticks, t)
			if c.clock != nil {
				c.at = append(c.at, c.clock())
			}
		},
		Status: func(s feeds.StreamStatus) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.status = append(c.status, s)
		},
	}
}

func (c *collected) got() []feeds.Tick {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]feeds.Tick(nil), c.ticks...)
}

// streaming runs s.Stream in its own goroutine until the returned function
// cancels it and checks it returned want (nil, unless the test expects an
// error) promptly.
func streaming(t *testing.T, s feeds.Streamer, subs chan []string, sink feeds.StreamSink) (stop func() error) {
	t.Helper()
	c, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Stream(c, subs, sink) }()
	return func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(2 * time.Second):
			t.Fatal("Stream still running 2 s after cancel")
			return nil
		}
	}
}

var streamSyms = []string{"NVDA", "AAPL", "TAN", "EUR=X", "ASML.AS", "7203.T"}

// lines are a recording's records, decoded, by kind.
func lines(t *testing.T, rec string) map[string][]record {
	t.Helper()
	out := map[string][]record{}
	sc := bufio.NewScanner(strings.NewReader(rec))
	sc.Buffer(nil, maxLineSize)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		out[r.Kind] = append(out[r.Kind], r)
	}
	return out
}

// recordSimStream records a sim stream of syms for d from start: the
// recording, and the ticks the recorder passed on.
func recordSimStream(t *testing.T, start time.Time, d time.Duration) (string, []feeds.Tick) {
	t.Helper()
	rc := feedstest.NewClock(start)
	var buf bytes.Buffer
	rec := NewRecorder(sim.New(sim.Options{Seed: 7, Clock: rc.Now, After: rc.After}), &buf, rc.Now)
	if _, err := rec.Quotes(ctx, streamSyms); err != nil { // the poller's first poll starts a recording
		t.Fatal(err)
	}
	var passed collected
	subs := make(chan []string, 1)
	subs <- streamSyms
	stop := streaming(t, rec, subs, passed.sink())
	for end := start.Add(d); rc.Now().Before(end); {
		if _, ok := rc.NextTimer(5 * time.Second); !ok {
			t.Fatal("the sim stream waits on no timer")
		}
		rc.Advance(time.Second)
	}
	rc.NextTimer(5 * time.Second)
	if err := stop(); err != nil {
		t.Fatalf("Recorder.Stream returned %v, want nil", err)
	}
	if rec.Err() != nil {
		t.Fatal(rec.Err())
	}
	return buf.String(), passed.got()
}

// TestRecordAndReplayTicks records a few minutes of a sim stream, then
// plays them back at speed 1: the same trades, field for field, in order,
// each delivered when the replay clock reaches its time. The recording
// holds them in about a line a second.
func TestRecordAndReplayTicks(t *testing.T) {
	start := at("2026-11-18T14:29:00Z") // a minute before the US open
	rec, want := recordSimStream(t, start, 3*time.Minute)
	if len(want) < 1000 {
		t.Fatalf("only %d trades recorded over three minutes of the open", len(want))
	}

	// Batched: each line's trades came within a second, and lines at
	// least a second apart but the last (written as the stream ended).
	kinds := lines(t, rec)
	tl := kinds[KindTicks]
	var inLines []feeds.Tick
	for i, l := range tl {
		inLines = append(inLines, l.Ticks...)
		for _, tk := range l.Ticks {
			if tk.Time.After(l.T) {
				t.Errorf("line %d at %s holds a trade of %s", i, l.T, tk.Time)
			}
		}
		if span := l.Ticks[len(l.Ticks)-1].Time.Sub(l.Ticks[0].Time); span >= 2*time.Second {
			t.Errorf("line %d holds %s of trades", i, span)
		}
		if i > 0 && i < len(tl)-1 && l.T.Sub(tl[i-1].T) < time.Second {
			t.Errorf("ticks lines %d and %d written %s apart", i-1, i, l.T.Sub(tl[i-1].T))
		}
	}
	t.Logf("%d trades in %d ticks lines", len(want), len(tl))
	// One a second while trades come every second (after the open); fewer
	// in the quiet pre-market minute.
	if len(tl) > 3*60+1 || len(tl) < 2*60 {
		t.Errorf("%d ticks lines for three minutes of trades, want about one a second", len(tl))
	}
	if !reflect.DeepEqual(inLines, want) {
		t.Fatalf("the recording holds %d trades, the recorder passed on %d, or they differ", len(inLines), len(want))
	}

	play := feedstest.NewClock(at("2030-01-01T00:00:00Z"))
	f, err := Open(writeFile(t, rec), Options{Speed: 1, Clock: play.Now, After: play.After})
	if err != nil {
		t.Fatal(err)
	}
	got := collected{clock: f.Clock()}
	subs := make(chan []string, 1)
	subs <- streamSyms
	stop := streaming(t, f, subs, got.sink())
	for waited := 0; len(got.got()) < len(want); {
		next, ok := play.NextTimer(10 * time.Millisecond)
		if !ok { // still delivering, or done
			if waited++; waited == 500 {
				t.Fatalf("playback waits on no timer after %d of %d trades", len(got.got()), len(want))
			}
			continue
		}
		waited = 0
		play.AdvanceTo(next)
	}
	if _, ok := play.NextTimer(50 * time.Millisecond); ok {
		t.Error("playback still waits for something after the last trade")
	}
	if err := stop(); err != nil {
		t.Fatalf("replay Stream returned %v, want nil", err)
	}
	if !reflect.DeepEqual(got.ticks, want) {
		t.Fatalf("replayed %d trades, recorded %d, or they differ", len(got.ticks), len(want))
	}
	for i, tk := range got.ticks {
		if !got.at[i].Equal(tk.Time) {
			t.Fatalf("trade %d of %s at %s delivered at replay time %s", i, tk.Symbol, tk.Time, got.at[i])
		}
	}
	if !reflect.DeepEqual(got.status, []feeds.StreamStatus{{State: feeds.StreamLive}}) {
		t.Errorf("status %v, want live once", got.status)
	}
}

// TestReplayFollowsSubscriptions: a symbol subscribed later plays from
// then on, one dropped stops, and after a stall only the last seconds of
// trades come at once.
func TestReplayFollowsSubscriptions(t *testing.T) {
	rec, _ := recordSimStream(t, at("2026-11-18T14:30:00Z"), 2*time.Minute)
	play := feedstest.NewClock(at("2030-01-01T00:00:00Z"))
	f, err := Open(writeFile(t, rec), Options{Speed: 1, Clock: play.Now, After: play.After})
	if err != nil {
		t.Fatal(err)
	}
	clock := f.Clock()
	var got collected
	subs := make(chan []string)
	stop := streaming(t, f, subs, got.sink())
	subs <- []string{"NVDA"}
	runFor := func(d time.Duration) {
		for end := play.Now().Add(d); play.Now().Before(end); {
			next, ok := play.NextTimer(5 * time.Second)
			if !ok {
				t.Fatal("playback waits on no timer")
			}
			play.AdvanceTo(minTime(next, end))
		}
	}
	runFor(30 * time.Second)
	switched := clock()
	subs <- []string{"AAPL"}
	runFor(30 * time.Second)
	play.NextTimer(5 * time.Second)
	play.Advance(30 * time.Second) // a stall
	stalled := clock()
	play.NextTimer(5 * time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	var before, after int
	for _, tk := range got.got() {
		switch {
		case tk.Symbol == "NVDA" && tk.Time.After(switched):
			t.Errorf("NVDA played at %s, after it was dropped at %s", tk.Time, switched)
		case tk.Symbol == "AAPL" && !tk.Time.After(switched):
			t.Errorf("AAPL played at %s, before it was subscribed at %s", tk.Time, switched)
		case tk.Symbol == "NVDA":
			before++
		case tk.Symbol == "AAPL":
			after++
		}
		if tk.Time.After(switched.Add(30*time.Second)) && tk.Time.Before(stalled.Add(-maxBacklog)) {
			t.Errorf("a trade of %s skipped by the stall played: %s", tk.Symbol, tk.Time)
		}
	}
	if before == 0 || after == 0 {
		t.Errorf("%d NVDA trades before the switch, %d AAPL after; want some of each", before, after)
	}
	if n := len(got.got()); n == 0 || got.got()[n-1].Time.Before(stalled.Add(-maxBacklog)) {
		t.Error("no trades of the last seconds before the stall ended")
	}
}

// TestReplayTicksAtSpeed0: the clock stands at the last record, as Quotes
// shows each symbol's last state; the stream gives each symbol's last
// trade once, when subscribed, and nothing more.
func TestReplayTicksAtSpeed0(t *testing.T) {
	rec, want := recordSimStream(t, at("2026-11-18T14:30:00Z"), time.Minute)
	last := map[string]feeds.Tick{}
	for _, tk := range want {
		last[tk.Symbol] = tk
	}
	play := feedstest.NewClock(at("2030-01-01T00:00:00Z"))
	f, err := Open(writeFile(t, rec), Options{Clock: play.Now, After: play.After})
	if err != nil {
		t.Fatal(err)
	}
	var got collected
	subs := make(chan []string)
	stop := streaming(t, f, subs, got.sink())
	subs <- []string{"NVDA", "EUR=X", "UNKNOWN"}
	subs <- []string{"NVDA", "EUR=X", "UNKNOWN"} // taken once the first is handled
	if gt := got.got(); !reflect.DeepEqual(gt, sortTicks([]feeds.Tick{last["NVDA"], last["EUR=X"]})) {
		t.Errorf("at speed 0 got %+v, want the last trade of NVDA and of EUR=X", gt)
	}
	subs <- []string{"NVDA", "AAPL"}
	subs <- []string{"NVDA", "AAPL"}
	if gt := got.got(); len(gt) != 3 || !reflect.DeepEqual(gt[2], last["AAPL"]) {
		t.Errorf("AAPL subscribed at speed 0: got %+v, want its last trade added", gt)
	}
	if _, ok := play.NextTimer(50 * time.Millisecond); ok {
		t.Error("a stream at speed 0 waits on a timer")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestNoTicksNoStream: a recording without trades, and a recorder of a
// feed without a stream, answer feeds.ErrNoStream at once.
func TestNoTicksNoStream(t *testing.T) {
	f, err := Open(writeFile(t, good+"\n"), Options{Speed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got collected
	if err := f.Stream(ctx, make(chan []string), got.sink()); !errors.Is(err, feeds.ErrNoStream) {
		t.Errorf("a recording without trades: Stream = %v, want ErrNoStream", err)
	}
	clock := func() time.Time { return at("2026-11-20T15:00:00Z") }
	var buf bytes.Buffer
	rec := NewRecorder(stubFeed{clock}, &buf, clock)
	if err := rec.Stream(ctx, make(chan []string), got.sink()); !errors.Is(err, feeds.ErrNoStream) {
		t.Errorf("a recorder of a feed without a stream: Stream = %v, want ErrNoStream", err)
	}
	if len(got.got()) != 0 || len(got.status) != 0 || buf.Len() != 0 {
		t.Errorf("got %v, status %v, recorded %q; want nothing", got.got(), got.status, buf.String())
	}
}

// burstFeed streams n trades at once, then waits for the end.
type burstFeed struct {
	stubFeed
	n int
}

func (b burstFeed) Stream(ctx context.Context, subs <-chan []string, sink feeds.StreamSink) error {
	<-subs
	t0 := b.clock()
	for i := range b.n {
		sink.Tick(feeds.Tick{Symbol: "NVDA", Price: 100, Time: t0.Add(time.Duration(i)), State: feeds.Regular})
	}
	<-ctx.Done()
	return nil
}

// TestTickLinesAreBounded: a burst of trades at one instant is split
// into lines of at most maxTickBytes, the rest written as the stream ends,
// and every trade is passed on.
func TestTickLinesAreBounded(t *testing.T) {
	clock := func() time.Time { return at("2026-11-20T15:00:00Z") }
	var buf bytes.Buffer
	per := len("NVDA") + len(feeds.Regular) + 200
	perLine := (maxTickBytes + per - 1) / per
	n := 2*perLine + 7
	rec := NewRecorder(burstFeed{stubFeed{clock}, n}, &buf, clock)
	var got collected
	subs := make(chan []string, 1)
	subs <- []string{"NVDA"}
	stop := streaming(t, rec, subs, got.sink())
	for i := 0; len(got.got()) < n; i++ {
		if i == 200 {
			t.Fatalf("%d of %d trades passed on", len(got.got()), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, l := range lines(t, buf.String())[KindTicks] {
		sizes = append(sizes, len(l.Ticks))
	}
	if !reflect.DeepEqual(sizes, []int{perLine, perLine, 7}) {
		t.Errorf("ticks lines of %v trades, want %d, %d and 7", sizes, perLine, perLine)
	}
	for i, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if len(l) > maxTickBytes {
			t.Errorf("line %d is %d bytes, over %d", i+1, len(l), maxTickBytes)
		}
	}
}

// TestBadTicksRecords: a ticks record without its trades, or with a trade
// lacking a symbol or time, is refused naming its line.
func TestBadTicksRecords(t *testing.T) {
	const tick = `{"t":"2026-11-20T15:00:01Z","kind":"ticks","feed":"yahoo","ticks":[{"symbol":"NVDA","price":1,"time":"2026-11-20T15:00:00.5Z","marketState":"REGULAR"}]}`
	for _, c := range []struct{ name, line, want string }{
		{"no ticks", strings.Replace(tick, `"ticks":[`, `"none":[`, 1), `ticks record has no "ticks" field`},
		{"no symbol", strings.Replace(tick, `"symbol":"NVDA",`, "", 1), "no symbol or no time"},
		{"no time", strings.Replace(tick, `"time":"2026-11-20T15:00:00.5Z",`, "", 1), "no symbol or no time"},
	} {
		path := writeFile(t, good+"\n"+c.line+"\n")
		if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), path+":2") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want line 2 refused saying %q", c.name, err, c.want)
		}
	}
	f, err := Open(writeFile(t, good+"\n"+tick+"\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ts := f.ticks["NVDA"]; len(ts) != 1 || ts[0].Price != 1 || ts[0].State != feeds.Regular {
		t.Errorf("ticks read: %+v", f.ticks)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
