package yahoo

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// A recorded frame, to show ticks flow.
func firstFrame(t *testing.T) (frame string, symbol string) {
	t.Helper()
	f := recordedFrames(t)[0]
	return f.Frame, recordedTick(t, f).Symbol
}

// liveStream is a stream connected to srv and subscribed to the first
// recorded frame's symbol.
func liveStream(t *testing.T, srv *yahootest.Server) *streamRig {
	t.Helper()
	_, sym := firstFrame(t)
	r := startStream(t, srv.URL, []string{sym})
	r.waitState(feeds.StreamLive, 1)
	waitSubscribed(t, srv, sym)
	return r
}

// pushTick pushes the first recorded frame and waits for its tick.
func pushTick(t *testing.T, srv *yahootest.Server, r *streamRig) {
	t.Helper()
	frame, sym := firstFrame(t)
	n := len(r.rec.Ticks())
	srv.Push(frame)
	if got := r.waitTicks(n + 1)[n]; got.Symbol != sym {
		t.Errorf("tick %+v, want %s", got, sym)
	}
}

// downError is the error of the n-th down status, checked for what every
// one must say.
func downError(t *testing.T, r *streamRig, n int) *feeds.Error {
	t.Helper()
	st := r.waitState(feeds.StreamDown, n)
	var fe *feeds.Error
	if !errors.As(st.Err, &fe) {
		t.Fatalf("down with %v (%T), want a *feeds.Error", st.Err, st.Err)
	}
	if msg := fe.Error(); !strings.Contains(msg, "the stream connects again in") {
		t.Errorf("down error %q does not say what happens next", msg)
	}
	return fe
}

// Garbage is dropped, a heartbeat ignored, and the connection stays.
func TestStreamGarbageFrame(t *testing.T) {
	srv := newStreamServer(t)
	r := liveStream(t, srv)
	srv.Push("this is not a frame")
	srv.Push(`{"type":"heartbeat"}`)
	srv.Push(strings.Repeat("!", streamReadLimit)) // at the limit: read, then refused by the decoder
	pushTick(t, srv, r)
	if d := r.rec.Dropped(); len(d) != 2 || errors.Is(d[1], websocket.ErrMessageTooBig) {
		t.Errorf("dropped %v, want the garbage and the 64 KiB frame, not the heartbeat", d)
	}
	if n := len(r.rec.Ticks()); n != 1 {
		t.Errorf("%d ticks, want only the recorded frame's", n)
	}
	if srv.StreamConns() != 1 || r.rec.count(feeds.StreamDown) != 0 {
		t.Errorf("%d connections, statuses %+v: the connection should have stayed", srv.StreamConns(), r.rec.Statuses())
	}
}

// A frame over 64 KiB is refused: a dropped frame, then a reconnect.
func TestStreamOversizedFrame(t *testing.T) {
	srv := newStreamServer(t)
	r := liveStream(t, srv)
	srv.Push(strings.Repeat("A", streamReadLimit+1))
	fe := downError(t, r, 1)
	if !strings.Contains(fe.Error(), "over 64 KiB") {
		t.Errorf("down error %q", fe)
	}
	if d := r.rec.Dropped(); len(d) != 1 || !errors.Is(d[0], websocket.ErrMessageTooBig) {
		t.Errorf("dropped %v, want the oversized frame", d)
	}
	at, _ := r.nextWait()
	r.clock.AdvanceTo(at)
	r.waitState(feeds.StreamLive, 2)
	waitFor(t, "the resubscription", func() bool { return len(srv.StreamMessages()) == 2 })
	pushTick(t, srv, r)
	if len(r.rec.Ticks()) != 1 {
		t.Errorf("ticks %+v", r.rec.Ticks())
	}
}

// A refused upgrade is a down stream with the status in its error; the
// stream tries again by itself, after at least Retry-After for a 429, and
// recovers once Yahoo accepts.
func TestStreamRefusedUpgrade(t *testing.T) {
	for _, c := range []struct {
		name       string
		status     int
		retryAfter string
		wait       time.Duration
		kind       feeds.ErrorKind
	}{
		{"403", http.StatusForbidden, "", 500 * time.Millisecond, feeds.KindAuth}, // full jitter of 1 s, Rand 0.5
		{"429 without Retry-After", http.StatusTooManyRequests, "", streamBackoffCap, feeds.KindRateLimited},
		{"429 Retry-After 7", http.StatusTooManyRequests, "7", 7 * time.Second, feeds.KindRateLimited},
		{"429 Retry-After a day", http.StatusTooManyRequests, "86400", maxRetryAfter, feeds.KindRateLimited},
		{"500", http.StatusInternalServerError, "", 500 * time.Millisecond, feeds.KindUpstream},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newStreamServer(t)
			srv.StreamRefuse(c.status)
			srv.StreamRetryAfter(c.retryAfter)
			_, sym := firstFrame(t)
			r := startStream(t, srv.URL, []string{sym})
			fe := downError(t, r, 1)
			msg := fe.Error()
			if fe.Status != c.status || fe.Kind != c.kind || !strings.Contains(msg, "refused the websocket upgrade") ||
				!strings.Contains(msg, http.StatusText(c.status)) {
				t.Errorf("down error %q (kind %s, status %d)", msg, fe.Kind, fe.Status)
			}
			at, wait := r.nextWait()
			if wait != c.wait {
				t.Errorf("waits %v before dialling again, want %v", wait, c.wait)
			}
			if !strings.Contains(msg, "connects again in "+c.wait.String()) {
				t.Errorf("down error %q does not give the wait %v", msg, c.wait)
			}
			if srv.StreamAttempts() != 1 || srv.StreamConns() != 0 {
				t.Errorf("%d attempts, %d accepted before the wait", srv.StreamAttempts(), srv.StreamConns())
			}

			srv.StreamRefuse(0)
			r.clock.AdvanceTo(at)
			r.waitState(feeds.StreamLive, 1)
			if again := r.waitState(feeds.StreamConnecting, 2); again.Err != fe {
				t.Errorf("connecting again with %v, want the reason it went down", again.Err)
			}
			waitSubscribed(t, srv, sym)
			pushTick(t, srv, r)
		})
	}
}

// A connection cut in the middle of a frame: down, a reconnect, and ticks
// flow again; the part-frame is neither a tick nor a dropped frame.
func TestStreamDropMidFrame(t *testing.T) {
	srv := newStreamServer(t)
	r := liveStream(t, srv)
	pushTick(t, srv, r)
	srv.DropMidFrame()
	fe := downError(t, r, 1)
	if fe.Kind != feeds.KindOffline || !strings.Contains(fe.Error(), "the connection dropped") {
		t.Errorf("down error %q (kind %s)", fe, fe.Kind)
	}
	at, wait := r.nextWait()
	if wait != 500*time.Millisecond {
		t.Errorf("waits %v, want 500ms", wait)
	}
	r.clock.AdvanceTo(at)
	r.waitState(feeds.StreamLive, 2)
	waitFor(t, "the resubscription", func() bool { return len(srv.StreamMessages()) == 2 })
	pushTick(t, srv, r)
	if n := len(r.rec.Ticks()); n != 2 || len(r.rec.Dropped()) != 0 {
		t.Errorf("%d ticks, dropped %v; want 2 ticks and nothing dropped", n, r.rec.Dropped())
	}
	if codes := srv.StreamCloseCodes(); !slices.Equal(codes, []int{-1, 0}) {
		t.Errorf("close codes %v, want the first cut and the second open", codes)
	}
}

// The backoff doubles from 1 s to a 60 s cap, with full jitter (Rand 0.5
// here), while the dial is refused, and recovers once a server listens.
func TestStreamBackoffWhileUnreachable(t *testing.T) {
	checkGoroutines(t)
	closed, err := yahootest.ClosedURL()
	if err != nil {
		t.Fatal(err)
	}
	r := startStream(t, closed, []string{"AAPL"})
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		fe := downError(t, r, i+1)
		if fe.Kind != feeds.KindOffline || !strings.Contains(fe.Error(), "cannot reach Yahoo") {
			t.Errorf("down error %q (kind %s)", fe, fe.Kind)
		}
		at, wait := r.nextWait()
		if wait != w {
			t.Errorf("wait %d: %v, want %v", i+1, wait, w)
		}
		r.clock.AdvanceTo(at)
	}
	r.waitState(feeds.StreamConnecting, len(want)+1)
	if r.rec.count(feeds.StreamLive) != 0 {
		t.Error("live without a server")
	}
}

// A connection that lived over a minute starts the backoff afresh; one
// that dropped at once does not.
func TestStreamBackoffResetsAfterAMinute(t *testing.T) {
	srv := newStreamServer(t)
	r := liveStream(t, srv)
	dropAndWait := func(n int) time.Duration {
		t.Helper()
		srv.DropMidFrame()
		downError(t, r, n)
		at, wait := r.nextWait()
		r.clock.AdvanceTo(at)
		r.waitState(feeds.StreamLive, n+1)
		waitFor(t, "the new connection", func() bool { return srv.StreamConns() == n+1 && srv.StreamOpen() == 1 })
		return wait
	}
	if w := dropAndWait(1); w != 500*time.Millisecond {
		t.Errorf("first drop waits %v", w)
	}
	if w := dropAndWait(2); w != time.Second {
		t.Errorf("a drop right after a reconnect waits %v, want the doubled 1s", w)
	}
	began := r.clock.Now()
	for r.clock.Now().Sub(began) <= streamSteady { // the resubscriptions carry the clock past a minute
		at, _ := r.nextWait()
		n := len(srv.StreamMessages())
		r.clock.AdvanceTo(at)
		waitFor(t, "a resubscription", func() bool { return len(srv.StreamMessages()) > n })
	}
	if w := dropAndWait(3); w != 500*time.Millisecond {
		t.Errorf("a drop after a minute connected waits %v, want 500ms", w)
	}
}

// A mute streamer keeps the stream connected and live: judging silence is
// the poller's job. The resubscriptions still go out.
func TestStreamMuteServer(t *testing.T) {
	srv := newStreamServer(t)
	srv.StreamMute(true)
	r := liveStream(t, srv)
	frame, _ := firstFrame(t)
	for i := range 8 { // two minutes of the test clock
		if n := srv.Push(frame); n != 0 {
			t.Fatalf("a mute fake reached %d clients", n)
		}
		at, _ := r.nextWait()
		r.clock.AdvanceTo(at)
		waitFor(t, "a resubscription", func() bool { return len(srv.StreamMessages()) == i+2 })
	}
	if got := r.rec.Statuses(); len(got) != 2 || got[1].State != feeds.StreamLive {
		t.Errorf("statuses %+v, want connecting and live only", got)
	}
	if len(r.rec.Ticks()) != 0 || srv.StreamConns() != 1 {
		t.Errorf("ticks %v, %d connections", r.rec.Ticks(), srv.StreamConns())
	}
	if took := r.stop(); took > time.Second {
		t.Errorf("Stream took %v to return", took)
	}
}

// When ctx ends the stream returns nil promptly, whatever it is doing, and
// a live connection is closed with a normal closure.
func TestStreamCancel(t *testing.T) {
	t.Run("live", func(t *testing.T) {
		srv := newStreamServer(t)
		r := liveStream(t, srv)
		if took := r.stop(); took > time.Second {
			t.Errorf("Stream took %v to return", took)
		}
		waitFor(t, "the connection to close", func() bool { return srv.StreamOpen() == 0 })
		if codes := srv.StreamCloseCodes(); !slices.Equal(codes, []int{int(websocket.StatusNormalClosure)}) {
			t.Errorf("close codes %v, want a normal closure", codes)
		}
		if got := r.rec.Statuses(); len(got) != 2 {
			t.Errorf("statuses %+v: nothing after live", got)
		}
	})
	t.Run("before the first list", func(t *testing.T) {
		srv := newStreamServer(t)
		r := startStream(t, srv.URL, nil)
		if took := r.stop(); took > time.Second {
			t.Errorf("Stream took %v to return", took)
		}
		if srv.StreamAttempts() != 0 || len(r.rec.Statuses()) != 0 {
			t.Errorf("%d dials, statuses %+v before any list", srv.StreamAttempts(), r.rec.Statuses())
		}
	})
	t.Run("while waiting to dial again", func(t *testing.T) {
		srv := newStreamServer(t)
		srv.StreamRefuse(http.StatusTooManyRequests)
		r := startStream(t, srv.URL, []string{"AAPL"})
		r.waitState(feeds.StreamDown, 1)
		r.nextWait()
		if took := r.stop(); took > time.Second {
			t.Errorf("Stream took %v to return", took)
		}
	})
	t.Run("subs closed", func(t *testing.T) {
		srv := newStreamServer(t)
		r := liveStream(t, srv)
		close(r.subs)
		pushTick(t, srv, r) // still streaming the last list
		if took := r.stop(); took > time.Second {
			t.Errorf("Stream took %v to return", took)
		}
	})
}

// With no BaseURL the stream dials Yahoo's own streamer, which the test's
// guard refuses: the default address, proven without the network.
func TestStreamDefaultURLStaysOffNetwork(t *testing.T) {
	checkGoroutines(t)
	guard := &yahootest.GuardTransport{}
	r := startStream(t, "", []string{"AAPL"}, func(o *Options) { o.HTTPClient = &http.Client{Transport: guard} })
	fe := downError(t, r, 1)
	if !strings.Contains(fe.Error(), "refused request to non-loopback host") {
		t.Errorf("down error %q", fe)
	}
	if got := guard.Refused(); len(got) != 1 || got[0] != "streamer.finance.yahoo.com" {
		t.Errorf("refused %v, want streamer.finance.yahoo.com", got)
	}
}

// A sink with no functions set is not a crash.
func TestStreamEmptySink(t *testing.T) {
	srv := newStreamServer(t)
	f, _ := newTestFeed(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	subs := make(chan []string)
	done := make(chan error, 1)
	go func() { done <- f.Stream(ctx, subs, feeds.StreamSink{}) }()
	subs <- []string{"AAPL"}
	waitSubscribed(t, srv, "AAPL")
	frame, _ := firstFrame(t)
	srv.Push("garbage")
	srv.Push(frame)
	subs <- []string{"MSFT"} // taken after the frames, most likely
	waitSubscribed(t, srv, "MSFT")
	srv.DropMidFrame()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Stream: %v", err)
	}
}
