package feeds

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds/feedstest"
)

// stubFeed answers with err when set, else one quote per symbol.
type stubFeed struct {
	name      string
	simulated bool
	err       error
	calls     int
}

func (s *stubFeed) Name() string { return s.name }
func (s *stubFeed) Quotes(_ context.Context, syms []string) ([]Quote, error) {
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	out := make([]Quote, len(syms))
	for i, sym := range syms {
		out[i] = Quote{Symbol: sym, Name: s.name}
	}
	return out, nil
}
func (s *stubFeed) Series(_ context.Context, sym string, r Range) (Series, error) {
	s.calls++
	if s.err != nil {
		return Series{}, s.err
	}
	return Series{Symbol: sym, Range: r, Times: []time.Time{{}}, Closes: []float64{1}}, nil
}
func (s *stubFeed) Health() Health {
	if s.simulated {
		return Health{Feed: s.name, State: StateSimulated, Simulated: true, Detail: "SIMULATED prices"}
	}
	return Health{Feed: s.name, State: StateLive}
}

var refused = &Error{Kind: KindOffline, Op: "quote 1 symbols", Err: errors.New("dial tcp 127.0.0.1:9: connection refused")}

func newAutoForTest(primaryErr error, snapshot bool) (Feed, *stubFeed, *stubFeed, *feedstest.Clock) {
	yahoo := &stubFeed{name: "yahoo", err: primaryErr}
	sim := &stubFeed{name: "sim", simulated: true}
	clock := feedstest.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	auto := NewAuto(yahoo, sim, AutoOptions{Clock: clock.Now, ProbeEvery: time.Minute, HasSnapshot: func() bool { return snapshot }})
	return auto, yahoo, sim, clock
}

func servedBy(t *testing.T, f Feed) string {
	t.Helper()
	qs, _ := f.Quotes(context.Background(), []string{"NVDA"})
	if len(qs) != 1 {
		return "nobody"
	}
	return qs[0].Name
}

func TestAutoFallsBackWhenOffline(t *testing.T) {
	auto, _, _, _ := newAutoForTest(refused, false)
	if auto.Name() != "auto" {
		t.Errorf("Name = %q", auto.Name())
	}
	if got := servedBy(t, auto); got != "sim" {
		t.Fatalf("offline primary, no snapshot: served by %s, want sim", got)
	}
	h := auto.Health()
	want := "Yahoo unreachable: dial tcp 127.0.0.1:9: connection refused; showing SIMULATED prices"
	if !h.Simulated || h.State != StateSimulated || !strings.HasPrefix(h.Detail, want) {
		t.Errorf("Health = %+v, want simulated with detail starting %q", h, want)
	}
	s, err := auto.Series(context.Background(), "NVDA", Range1Y)
	if err != nil || s.Len() != 1 {
		t.Errorf("Series on the fallback = %+v, %v", s, err)
	}
}

func TestAutoStaysOnPrimaryWhenItAnswersAtAll(t *testing.T) {
	cases := []struct {
		name     string
		err      error
		snapshot bool
	}{
		{"rate-limited", &Error{Kind: KindRateLimited, Status: 429}, false},
		{"auth failing", &Error{Kind: KindAuth, Status: 401}, false},
		{"offline with a snapshot", refused, true},
	}
	for _, c := range cases {
		auto, yahoo, sim, _ := newAutoForTest(c.err, c.snapshot)
		auto.Quotes(context.Background(), []string{"NVDA"})
		yahoo.err = refused // later outages must not switch either
		auto.Quotes(context.Background(), []string{"NVDA"})
		if sim.calls != 0 || auto.Health().Simulated {
			t.Errorf("%s: the fallback was used (%d calls, health %+v)", c.name, sim.calls, auto.Health())
		}
	}
}

func TestAutoNeverFallsBackAfterAnAnswer(t *testing.T) {
	auto, yahoo, sim, clock := newAutoForTest(nil, false)
	if got := servedBy(t, auto); got != "yahoo" {
		t.Fatalf("served by %s", got)
	}
	yahoo.err = refused
	clock.Advance(time.Hour)
	if _, err := auto.Quotes(context.Background(), []string{"NVDA"}); KindOf(err) != KindOffline || sim.calls != 0 {
		t.Errorf("after the primary answered once, an outage gave err %v and %d fallback calls; want the offline error shown", err, sim.calls)
	}
}

func TestAutoProbesAtMostEveryInterval(t *testing.T) {
	auto, yahoo, _, clock := newAutoForTest(refused, false)
	servedBy(t, auto) // the failed start-up call
	// Then a call a second for five minutes.
	for i := 0; i < 300; i++ {
		clock.Advance(time.Second)
		servedBy(t, auto)
		auto.Health()
	}
	if yahoo.calls > 1+5 {
		t.Errorf("primary called %d times in 5 minutes with ProbeEvery 1m, want at most 6", yahoo.calls)
	}
	if yahoo.calls < 1+4 {
		t.Errorf("primary probed only %d times in 5 minutes, want a probe every minute", yahoo.calls-1)
	}
}

func TestAutoSwitchesBackWithinOneProbeInterval(t *testing.T) {
	auto, yahoo, _, clock := newAutoForTest(refused, false)
	servedBy(t, auto)
	clock.Advance(25 * time.Second)
	yahoo.err = nil // the network comes back
	recovered := clock.Now()
	for servedBy(t, auto) != "yahoo" {
		clock.Advance(5 * time.Second)
		if clock.Now().Sub(recovered) > time.Minute {
			t.Fatalf("still on the fallback %s after the primary recovered", clock.Now().Sub(recovered))
		}
	}
	if auto.Health().Simulated {
		t.Errorf("back on the primary, Health still simulated: %+v", auto.Health())
	}
	yahoo.err = refused
	clock.Advance(time.Hour)
	if got := servedBy(t, auto); got != "nobody" {
		t.Errorf("after switching back, an outage was served by %s; want the error shown", got)
	}
}

// hangFeed never answers quotes until its context ends.
type hangFeed struct{ stubFeed }

func (h *hangFeed) Quotes(ctx context.Context, _ []string) ([]Quote, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// A primary that never answers is as unreachable as one that refuses: the
// fallback is shown within DecideWithin, not after the caller gives up.
func TestAutoFallsBackFromASilentPrimary(t *testing.T) {
	sim := &stubFeed{name: "sim", simulated: true}
	auto := NewAuto(&hangFeed{stubFeed{name: "yahoo"}}, sim, AutoOptions{DecideWithin: 50 * time.Millisecond})
	start := time.Now()
	if got := servedBy(t, auto); got != "sim" {
		t.Fatalf("served by %s, want sim", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("fell back after %s", d)
	}
	if h := auto.Health(); !h.Simulated || !strings.Contains(h.Detail, "no answer within 50ms") {
		t.Errorf("health %+v; want simulated, saying Yahoo did not answer", h)
	}
}
