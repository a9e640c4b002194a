package sim

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// defaultWatch is what the poller watches on the built-in lists: their
// symbols and the FX pair of each listing currency.
func defaultWatch() []string {
	syms := watchlists.Defaults().Symbols()
	for _, sym := range syms {
		if pair, _ := market.FX(market.ForSymbol(sym).Currency); pair != "" {
			syms = append(syms, pair)
		}
	}
	slices.Sort(syms)
	return slices.Compact(syms)
}

// streamRun is a Stream on a steppable clock, what it delivers collected.
type streamRun struct {
	t      *testing.T
	clock  *feedstest.Clock
	feed   *Feed
	subs   chan []string
	cancel context.CancelFunc
	done   chan error

	mu     sync.Mutex
	ticks  []feeds.Tick
	status []feeds.StreamStatus
}

// startStream streams syms of a feed of seed whose clock stands at start.
func startStream(t *testing.T, seed int64, start time.Time, syms []string) *streamRun {
	t.Helper()
	return startStreamTo(t, seed, start, syms, nil)
}

// startStreamTo is startStream passing each tick to onTick, if set,
// instead of keeping it.
func startStreamTo(t *testing.T, seed int64, start time.Time, syms []string, onTick func(feeds.Tick)) *streamRun {
	t.Helper()
	clock := feedstest.NewClock(start)
	r := &streamRun{t: t, clock: clock, feed: New(Options{Seed: seed, Clock: clock.Now, After: clock.After}),
		subs: make(chan []string), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	sink := feeds.StreamSink{
		Tick: func(tk feeds.Tick) {
			if onTick != nil {
				onTick(tk)
				return
			}
			r.mu.Lock()
			r.ticks = append(r.ticks, tk)
			r.mu.Unlock()
		},
		Status: func(s feeds.StreamStatus) {
			r.mu.Lock()
			r.status = append(r.status, s)
			r.mu.Unlock()
		},
	}
	go func() { r.done <- r.feed.Stream(ctx, r.subs, sink) }()
	r.subs <- syms
	t.Cleanup(r.stop)
	return r
}

// stop cancels the stream and checks it returns nil promptly.
func (r *streamRun) stop() {
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok && err != nil {
			r.t.Errorf("Stream returned %v after cancel, want nil", err)
		}
		if ok {
			close(r.done)
		}
	case <-time.After(2 * time.Second):
		r.t.Fatal("Stream still running 2 s after its context was cancelled")
	}
}

// runTo moves the clock to end a second at a time while the stream wakes
// often, straight to its timer when it sleeps longer, each step once the
// stream waits again, so it never falls behind.
func (r *streamRun) runTo(end time.Time) {
	r.t.Helper()
	for r.clock.Now().Before(end) {
		next, ok := r.clock.NextTimer(5 * time.Second)
		if !ok {
			r.t.Fatal("the stream waits on no timer")
		}
		r.clock.AdvanceTo(minTime(maxTime(next, r.clock.Now().Add(time.Second)), end))
	}
	r.clock.NextTimer(5 * time.Second)
}

func (r *streamRun) got() []feeds.Tick {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ticks)
}

// in are the ticks with from <= Time < to.
func in(ticks []feeds.Tick, from, to time.Time) []feeds.Tick {
	var out []feeds.Tick
	for _, tk := range ticks {
		if !tk.Time.Before(from) && tk.Time.Before(to) {
			out = append(out, tk)
		}
	}
	return out
}

// checkOrdered: ticks come in time order.
func checkOrdered(t *testing.T, ticks []feeds.Tick) {
	t.Helper()
	for i := 1; i < len(ticks); i++ {
		if ticks[i].Time.Before(ticks[i-1].Time) {
			t.Fatalf("tick %d (%s %s) before the one delivered ahead of it (%s)", i, ticks[i].Symbol,
				ticks[i].Time.Format(time.RFC3339Nano), ticks[i-1].Time.Format(time.RFC3339Nano))
		}
	}
}

// countTrades counts the trades of each of syms in [from, to) (whole
// seconds) as Stream finds them, without pricing them: a session of
// trades in a fraction of the time Stream takes to deliver them.
func countTrades(f *Feed, syms []string, from, to time.Time) map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	var times []time.Time
	for _, sym := range syms {
		p := f.profile(sym)
		var reg regime
		for sec := from.Unix(); sec < to.Unix(); sec++ {
			if at := time.Unix(sec, 0); !reg.holds(at) {
				reg = f.regimeAt(p, at)
			}
			if reg.rate > 0 {
				times = f.tradesIn(p, sec, reg.rate, times[:0])
				out[sym] += len(times)
			}
		}
	}
	return out
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestStreamRates: on the built-in lists, about 40 trades a second over
// a US session, busier at the open and the close than at midday, and
// every listing in session trading every 30 s or more often. Stream runs
// the session's first, middle and last half hours; countTrades, checked
// against it there, the whole session.
func TestStreamRates(t *testing.T) {
	open := at("2026-11-18T14:30:00Z") // a Wednesday, 09:30 in New York
	closing := open.Add(6*time.Hour + 30*time.Minute)
	syms := defaultWatch()
	halfHour := func(from time.Time) float64 {
		to := from.Add(30 * time.Minute)
		// Counted as they come (the stream's goroutine calls one at a
		// time): a half hour's trades are many to keep.
		got := map[string]int{}
		var prev time.Time
		var problems []string
		r := startStreamTo(t, 7, from.Add(-time.Second), syms, func(tk feeds.Tick) {
			if tk.Time.Before(prev) && len(problems) < 5 {
				problems = append(problems, fmt.Sprintf("%s at %s after a trade at %s", tk.Symbol, tk.Time, prev))
			}
			prev = tk.Time
			if tk.Time.Before(from) || !tk.Time.Before(to) {
				return
			}
			if tk.State != feeds.Regular && len(problems) < 5 {
				problems = append(problems, fmt.Sprintf("%s traded %s during the US session", tk.Symbol, tk.State))
			}
			got[tk.Symbol]++
		})
		r.runTo(to.Add(time.Second))
		r.stop() // no more calls
		for _, p := range problems {
			t.Error(p)
		}
		if want := countTrades(r.feed, syms, from, to); !reflect.DeepEqual(got, want) {
			t.Errorf("Stream delivered %d trades from %s, countTrades counts %d", sum(got), from, sum(want))
		}
		return float64(sum(got)) / 1800
	}
	first, midday, last := halfHour(open), halfHour(open.Add(2*time.Hour+30*time.Minute)), halfHour(closing.Add(-30*time.Minute))
	t.Logf("a second: first half hour %.1f, 12:00-12:30 %.1f, last half hour %.1f", first, midday, last)
	if first < 2*midday || last < 2*midday {
		t.Errorf("not U-shaped: %.1f, %.1f, %.1f a second at the open, midday and close", first, midday, last)
	}

	bySym := countTrades(New(Options{Seed: 7}), syms, open, closing)
	rate := float64(sum(bySym)) / closing.Sub(open).Seconds()
	t.Logf("%d symbols: %d trades in the US session, %.1f a second", len(syms), sum(bySym), rate)
	if rate < 32 || rate > 48 {
		t.Errorf("%.1f trades a second on the built-in lists, want about 40", rate)
	}
	var rarest string
	rarestGap := 0.0
	for _, sym := range syms {
		ex := market.ForSymbol(sym)
		secs := 0.0 // of the window in sym's regular session
		for m := open; m.Before(closing); m = m.Add(time.Minute) {
			if ex.State(m) == feeds.Regular {
				secs += 60
			}
		}
		if secs == 0 {
			if n := bySym[sym]; n > 0 {
				t.Errorf("%s traded %d times outside its session", sym, n)
			}
			continue
		}
		gap := secs / float64(bySym[sym])
		if gap > rarestGap {
			rarest, rarestGap = sym, gap
		}
		if gap > 30 {
			t.Errorf("%s traded %d times in %.0f s of its session: every %.0f s, want every 30 s or less", sym, bySym[sym], secs, gap)
		}
	}
	t.Logf("NVDA %.2f a second; the rarest, %s, every %.0f s", float64(bySym["NVDA"])/closing.Sub(open).Seconds(), rarest, rarestGap)
}

// quoteAt is the sim's quote of sym at t, from a fresh feed of seed.
type quoteAt struct {
	now  time.Time
	feed *Feed
}

func newQuoteAt(seed int64) *quoteAt {
	q := &quoteAt{}
	q.feed = New(Options{Seed: seed, Clock: func() time.Time { return q.now }})
	return q
}

func (q *quoteAt) get(t *testing.T, sym string, at time.Time) feeds.Quote {
	q.now = at
	qs, err := q.feed.Quotes(ctx, []string{sym})
	if err != nil || len(qs) != 1 {
		t.Fatalf("quote of %s: %v", sym, err)
	}
	return qs[0]
}

// checkAgainstQuotes: each tick is what a quote at its instant shows.
func checkAgainstQuotes(t *testing.T, seed int64, ticks []feeds.Tick) {
	t.Helper()
	quotes := newQuoteAt(seed)
	for _, tk := range ticks {
		q := quotes.get(t, tk.Symbol, tk.Time)
		want := q.Price
		switch tk.State {
		case feeds.Pre:
			want = q.PrePrice
		case feeds.Post:
			want = q.PostPrice
		}
		if tk.State != q.MarketState || tk.Price != want || tk.DayVolume != q.Volume || tk.PreviousClose != q.PreviousClose {
			t.Fatalf("tick %+v, but the quote at its time is %s price %v (pre %v, post %v), volume %d, previous close %v",
				tk, q.MarketState, q.Price, q.PrePrice, q.PostPrice, q.Volume, q.PreviousClose)
		}
	}
}

// TestStreamTicksAreQuotes: every trade, in the regular session, US pre
// and post market and FX, carries the price, volume and previous close
// the sim's quote at its instant shows; extended hours trade only US
// equities, and far less.
func TestStreamTicksAreQuotes(t *testing.T) {
	syms := []string{"NVDA", "AAPL", "SPY", "TAN", "^GSPC", "ASML.AS", "ARM.L", "7203.T", "EUR=X", "JPY=X"}
	for _, w := range []struct {
		name     string
		from, to string
		states   []feeds.MarketState // what the US equities trade as
	}{
		{"pre-market into the open", "2026-11-18T14:20:00Z", "2026-11-18T14:40:00Z", []feeds.MarketState{feeds.Pre, feeds.Regular}},
		{"close into post-market", "2026-11-18T20:50:00Z", "2026-11-18T21:20:00Z", []feeds.MarketState{feeds.Regular, feeds.Post}},
		{"early pre-market", "2026-11-18T09:00:00Z", "2026-11-18T09:30:00Z", []feeds.MarketState{feeds.Pre}},
		{"Tokyo's lunch", "2026-11-18T02:20:00Z", "2026-11-18T03:40:00Z", nil},
	} {
		t.Run(w.name, func(t *testing.T) {
			from, to := at(w.from), at(w.to)
			r := startStream(t, 3, from, syms)
			r.runTo(to)
			ticks := r.got()
			checkOrdered(t, ticks)
			checkAgainstQuotes(t, 3, ticks)
			count := map[string]map[feeds.MarketState]int{}
			for _, tk := range ticks {
				ex := market.ForSymbol(tk.Symbol)
				if st := ex.State(tk.Time); st != tk.State || st == feeds.Closed {
					t.Fatalf("%s traded as %s at %s, when its market is %s", tk.Symbol, tk.State, tk.Time, st)
				}
				if tk.State != feeds.Regular && (ex.Code != "US" || tk.Symbol == "^GSPC") {
					t.Fatalf("%s traded in extended hours (%s)", tk.Symbol, tk.State)
				}
				if count[tk.Symbol] == nil {
					count[tk.Symbol] = map[feeds.MarketState]int{}
				}
				count[tk.Symbol][tk.State]++
			}
			for _, st := range w.states {
				if count["NVDA"][st] == 0 || count["AAPL"][st] == 0 {
					t.Errorf("no %s trades of NVDA or AAPL: %v", st, count)
				}
			}
			if w.states == nil && count["7203.T"][feeds.Regular] == 0 {
				t.Errorf("no trades of 7203.T around its lunch: %v", count)
			}
			if n := count["EUR=X"][feeds.Regular]; n < 300 {
				t.Errorf("EUR=X traded %d times; it trades around the clock on weekdays", n)
			}
			t.Logf("%v", count)
		})
	}
}

// TestStreamExtendedHoursAreQuiet: the US pre-market trades at a small
// fraction of the regular session's rate.
func TestStreamExtendedHoursAreQuiet(t *testing.T) {
	syms := defaultWatch()
	pre, open := at("2026-11-18T14:20:00Z"), at("2026-11-18T14:30:00Z")
	r := startStream(t, 7, pre, syms)
	r.runTo(open.Add(10 * time.Minute))
	var extended, regular int
	for _, tk := range r.got() {
		if market.ForSymbol(tk.Symbol).Code != "US" {
			continue
		}
		if tk.State == feeds.Pre {
			extended++
		} else {
			regular++
		}
	}
	t.Logf("US listings: %d pre-market trades in the 10 minutes before the open, %d regular ones in the 10 after", extended, regular)
	if extended == 0 || extended*10 > regular {
		t.Errorf("%d pre-market trades against %d regular ones; want some, far fewer", extended, regular)
	}
}

// TestStreamNothingWhileClosed: a Saturday in New York trades nothing,
// FX included; Tokyo's lunch break neither.
func TestStreamNothingWhileClosed(t *testing.T) {
	ny := market.Location("America/New_York")
	sat := time.Date(2026, 11, 21, 0, 0, 0, 0, ny)
	r := startStream(t, 7, sat, defaultWatch())
	r.runTo(sat.AddDate(0, 0, 1))
	if ticks := r.got(); len(ticks) > 0 {
		t.Errorf("%d trades on a Saturday, the first %+v", len(ticks), ticks[0])
	}

	lunch := at("2026-11-18T02:30:00Z") // 11:30 in Tokyo
	r = startStream(t, 7, lunch, []string{"7203.T", "8035.T", "0700.HK"})
	r.runTo(lunch.Add(time.Hour))
	for _, tk := range r.got() {
		if tk.Symbol != "0700.HK" {
			t.Errorf("%s traded at %s, in Tokyo's lunch break", tk.Symbol, tk.Time)
		}
	}
}

// TestStreamFX: pairs trade around the clock from Sunday 17:00 in New
// York, none before.
func TestStreamFX(t *testing.T) {
	sunday := at("2026-11-22T21:50:00Z") // 16:50 in New York
	r := startStream(t, 7, sunday, []string{"EUR=X", "JPY=X", "NVDA"})
	r.runTo(sunday.Add(20 * time.Minute))
	ticks := r.got()
	checkAgainstQuotes(t, 7, ticks)
	if n := len(in(ticks, sunday, sunday.Add(10*time.Minute))); n > 0 {
		t.Errorf("%d trades before FX opens on Sunday", n)
	}
	after := in(ticks, sunday.Add(10*time.Minute), sunday.Add(20*time.Minute))
	if len(after) < 400 {
		t.Errorf("%d FX trades in the first 10 minutes, want about 600", len(after))
	}
	for _, tk := range after {
		if tk.Symbol == "NVDA" {
			t.Fatalf("NVDA traded on Sunday: %+v", tk)
		}
	}
}

// TestStreamDeterministic: the same seed gives the same trades, whenever
// the stream started and however the clock stepped; another seed others.
func TestStreamDeterministic(t *testing.T) {
	start := at("2026-11-18T14:28:00Z")
	end := start.Add(5 * time.Minute)
	syms := []string{"NVDA", "AAPL", "TAN", "EUR=X", "ASML.AS"}
	run := func(seed int64, from time.Time) []feeds.Tick {
		r := startStream(t, seed, from, syms)
		r.runTo(end)
		return in(r.got(), from, end.Add(-time.Second)) // runTo may leave the last step undelivered
	}
	a, b := run(7, start), run(7, start)
	if len(a) < 500 || !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs of seed 7 differ (%d and %d trades)", len(a), len(b))
	}
	late := run(7, start.Add(2*time.Minute+300*time.Millisecond))
	if overlap := in(a, start.Add(2*time.Minute+300*time.Millisecond).Add(time.Nanosecond), end); !reflect.DeepEqual(late, overlap) {
		t.Errorf("a stream started later trades otherwise over the same minutes: %d trades, want %d", len(late), len(overlap))
	}
	if c := run(8, start); reflect.DeepEqual(a, c) {
		t.Error("seeds 7 and 8 trade identically")
	}
}

// TestStreamFollowsSubscriptions: each list replaces the last; a symbol
// trades from its subscription on, not before nor after; an empty list
// stops every trade; Status says live once.
func TestStreamFollowsSubscriptions(t *testing.T) {
	start := at("2026-11-18T15:00:00Z")
	r := startStream(t, 7, start, []string{"NVDA", "AAPL", "", "NVDA"})
	r.runTo(start.Add(time.Minute))
	switched := r.clock.Now()
	r.subs <- []string{"AAPL", "EUR=X"}
	r.runTo(switched.Add(time.Minute))
	emptied := r.clock.Now()
	r.subs <- nil
	r.clock.Advance(time.Minute)
	again := r.clock.Now()
	r.subs <- []string{"NVDA"}
	r.runTo(again.Add(time.Minute))

	count := map[string][2]int{} // before and after the switch
	for _, tk := range r.got() {
		c := count[tk.Symbol]
		switch {
		case tk.Time.After(emptied) && tk.Time.Before(again.Add(time.Nanosecond)):
			t.Errorf("%s traded at %s, while nothing was subscribed", tk.Symbol, tk.Time)
		case tk.Time.After(switched) && tk.Time.Before(again):
			c[1]++
		case tk.Time.After(again) && tk.Symbol != "NVDA":
			t.Errorf("%s traded at %s, after only NVDA was subscribed", tk.Symbol, tk.Time)
		case !tk.Time.After(switched):
			c[0]++
		}
		count[tk.Symbol] = c
	}
	if c := count["NVDA"]; c[0] == 0 || c[1] != 0 {
		t.Errorf("NVDA traded %d times before it was dropped, %d times after; want some, then none", c[0], c[1])
	}
	if c := count["AAPL"]; c[0] == 0 || c[1] == 0 {
		t.Errorf("AAPL traded %v times before and after the switch; want some each time", c)
	}
	if c := count["EUR=X"]; c[0] != 0 || c[1] == 0 {
		t.Errorf("EUR=X traded %d times before it was subscribed, %d after; want none, then some", c[0], c[1])
	}
	if n := len(in(r.got(), again, again.Add(time.Minute))); n == 0 {
		t.Error("NVDA did not trade once subscribed again")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !reflect.DeepEqual(r.status, []feeds.StreamStatus{{State: feeds.StreamLive}}) {
		t.Errorf("status %v, want live once", r.status)
	}
}

// TestStreamBesideQuotes runs Quotes and Series against the streaming
// feed from another goroutine (the race detector's test), and skips a
// clock jump's backlog: a laptop waking after an hour gets the last
// seconds of trades, not the hour's.
func TestStreamBesideQuotes(t *testing.T) {
	start := at("2026-11-18T15:00:00Z")
	syms := defaultWatch()
	r := startStream(t, 7, start, syms)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			sym := syms[i%len(syms)]
			if _, err := r.feed.Quotes(ctx, []string{sym}); err != nil {
				t.Error(err)
			}
			if _, err := r.feed.Series(ctx, sym, feeds.Range1D); err != nil {
				t.Error(err)
			}
		}
	}()
	r.runTo(start.Add(2 * time.Minute))
	before := len(r.got())
	r.clock.NextTimer(5 * time.Second)
	r.clock.Advance(time.Hour)
	r.clock.NextTimer(5 * time.Second)
	close(stop)
	wg.Wait()
	jump := r.got()[before:]
	checkOrdered(t, r.got())
	checkAgainstQuotes(t, 7, jump)
	woke := r.clock.Now()
	if len(jump) == 0 || jump[0].Time.Before(woke.Add(-maxBacklog)) {
		t.Errorf("after an hour's jump: %d trades, from %v; want the last %s before %s", len(jump), jump, maxBacklog, woke)
	}
}

// TestStreamEndsOnCancel: on real timers and a clock in a US session,
// trades arrive, and cancelling returns nil at once, leaving no goroutine.
func TestStreamEndsOnCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	base, began := at("2026-11-18T15:00:00Z"), time.Now()
	f := New(Options{Seed: 7, Clock: func() time.Time { return base.Add(time.Since(began)) }})
	var mu sync.Mutex
	n := 0
	got := make(chan struct{})
	sink := feeds.StreamSink{Tick: func(feeds.Tick) {
		mu.Lock()
		defer mu.Unlock()
		if n++; n == 10 {
			close(got)
		}
	}}
	subs := make(chan []string, 1)
	subs <- defaultWatch()
	c, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Stream(c, subs, sink) }()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("no 10 trades in 5 s of a US session")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Stream returned %v, want nil", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Stream still running a second after cancel")
	}
	for i := 0; runtime.NumGoroutine() > before; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines after the stream ended, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Cancelled while waiting for its first list, and with subs closed.
	for _, closed := range []bool{false, true} {
		c, cancel := context.WithCancel(context.Background())
		subs := make(chan []string)
		if closed {
			close(subs)
		}
		go func() { done <- f.Stream(c, subs, feeds.StreamSink{}) }()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Stream returned %v, want nil", err)
			}
		case <-time.After(time.Second):
			t.Fatal(fmt.Sprintf("Stream (subs closed %v) still running a second after cancel", closed))
		}
	}
}
