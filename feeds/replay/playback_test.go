package replay

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
)

// recordTo writes a recording made by calling do on a Recorder of inner,
// whose timestamps come from the steppable clock rc.
func recordTo(t *testing.T, inner feeds.Feed, rc *feedstest.Clock, do func(rec *Recorder)) string {
	t.Helper()
	var buf bytes.Buffer
	rec := NewRecorder(inner, &buf, rc.Now)
	do(rec)
	if rec.Err() != nil {
		t.Fatal(rec.Err())
	}
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestClockShowsTheRecordedInstant: the replay's clock starts at the first
// record, runs at speed times real time, keeps the recorded spacing exactly
// at speed 1 and holds at the last record, where speed 0 starts.
func TestClockShowsTheRecordedInstant(t *testing.T) {
	first := at("2026-11-20T15:00:00Z").Add(7) // odd nanoseconds, to catch rounding
	step := time.Minute + 3*time.Nanosecond
	rc := feedstest.NewClock(first)
	path := recordTo(t, stubFeed{rc.Now}, rc, func(rec *Recorder) {
		for i := 0; i < 10; i++ {
			rec.Quotes(ctx, []string{"NVDA"})
			rc.Advance(step)
		}
	})
	last := first.Add(9 * step)
	open := func(speed float64) (*Feed, *feedstest.Clock) {
		play := feedstest.NewClock(at("2030-01-01T00:00:00Z"))
		f, err := Open(path, Options{Speed: speed, Clock: play.Now})
		if err != nil {
			t.Fatal(err)
		}
		return f, play
	}
	check := func(what string, clock feeds.Clock, want time.Time) {
		t.Helper()
		if got := clock(); !got.Equal(want) {
			t.Errorf("%s: clock reads %s, want %s", what, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
		}
	}

	f, play := open(0)
	check("speed 0, at once", f.Clock(), last)
	play.Advance(time.Hour)
	check("speed 0, an hour on", f.Clock(), last)

	f, play = open(1)
	clock := f.Clock()
	check("speed 1, right after Open", clock, first)
	play.Advance(-time.Second)
	check("speed 1, the real clock set back", clock, first)
	play.Advance(time.Second + 4*step + time.Nanosecond)
	check("speed 1, four steps and 1ns on", clock, first.Add(4*step+time.Nanosecond))
	if q, _ := f.Quotes(ctx, []string{"NVDA"}); len(q) != 1 || q[0].Price != float64(clock().Minute()) {
		t.Errorf("quotes at %s = %+v; want the record of that minute", clock(), q)
	}
	play.Advance(5*step - 2*time.Nanosecond)
	check("speed 1, 1ns before the end", clock, last.Add(-time.Nanosecond))
	play.Advance(time.Nanosecond)
	check("speed 1, at the end", clock, last)
	play.Advance(24 * time.Hour)
	check("speed 1, past the end", clock, last)

	f, play = open(60)
	check("speed 60, right after Open", f.Clock(), first)
	play.Advance(2 * time.Second)
	check("speed 60, 2s on", f.Clock(), first.Add(2*time.Minute))
	play.Advance(time.Hour)
	check("speed 60, past the end", f.Clock(), last)
	if h := f.Health(); !h.LastOK.Equal(last) || !strings.Contains(h.Detail, "end of recording") {
		t.Errorf("Health = %+v; want it at the end of the recording", h)
	}
}

// dailyFeed delivers, for each range, daily closes as many as bars[r], the
// last one at its clock.
type dailyFeed struct {
	stubFeed
	bars map[feeds.Range]int
}

func (d dailyFeed) Series(_ context.Context, sym string, r feeds.Range) (feeds.Series, error) {
	now := d.clock()
	s := feeds.Series{Symbol: sym, Range: r, Interval: r.Interval()}
	for i := d.bars[r] - 1; i >= 0; i-- {
		s.Times = append(s.Times, now.AddDate(0, 0, -i))
		s.Closes = append(s.Closes, float64(100+i))
	}
	return s, nil
}

var oldBars = map[feeds.Range]int{feeds.Range1M: 22, feeds.Range3M: 64, feeds.Range6M: 127,
	feeds.RangeYTD: 230, feeds.Range1Y: 253, feeds.RangeDaily: 505, feeds.Range1D: 78}

// TestOldDailySeriesServeRangeDaily: a recording made before RangeDaily
// answers for it with its longest daily series at the replay time.
func TestOldDailySeriesServeRangeDaily(t *testing.T) {
	rc := feedstest.NewClock(at("2026-11-20T15:00:00Z"))
	feed := dailyFeed{stubFeed{rc.Now}, oldBars}
	path := recordTo(t, feed, rc, func(rec *Recorder) {
		rec.Series(ctx, "NVDA", feeds.Range1D)
		rec.Series(ctx, "NVDA", feeds.Range1M)
		rc.Advance(time.Minute)
		rec.Series(ctx, "NVDA", feeds.Range1Y)
		rec.Series(ctx, "NVDA", feeds.Range3M)
		rc.Advance(time.Minute)
		rec.Series(ctx, "NVDA", feeds.Range6M) // newer, but shorter than 1Y
	})
	play := feedstest.NewClock(at("2030-01-01T00:00:00Z"))
	f, err := Open(path, Options{Speed: 1, Clock: play.Now})
	if err != nil {
		t.Fatal(err)
	}
	want := func(when string, got feeds.Series, err error, bars int) {
		t.Helper()
		if err != nil || got.Range != feeds.RangeDaily || got.Len() != bars || got.Symbol != "NVDA" || got.Interval != 24*time.Hour {
			t.Errorf("%s: %s series of %s with %d bars (%v); want a 2Y one of %d bars", when, got.Range, got.Symbol, got.Len(), err, bars)
		}
	}
	s, err := f.Series(ctx, "NVDA", feeds.RangeDaily)
	want("at the start", s, err, oldBars[feeds.Range1M])
	s, err = f.Series(ctx, "NVDA", feeds.RangeYTD)
	want("YTD at the start, not recorded", s, err, oldBars[feeds.Range1M])
	if s, _ := f.Series(ctx, "NVDA", feeds.Range1M); s.Range != feeds.Range1M {
		t.Errorf("the recorded 1M series came back as %s", s.Range)
	}
	play.Advance(time.Minute)
	s, err = f.Series(ctx, "NVDA", feeds.RangeDaily)
	want("a minute on", s, err, oldBars[feeds.Range1Y])
	play.Advance(time.Hour)
	s, err = f.Series(ctx, "NVDA", feeds.RangeDaily)
	want("at the end", s, err, oldBars[feeds.Range1Y])
	if s, _ := f.Series(ctx, "NVDA", feeds.Range6M); s.Range != feeds.Range6M || s.Len() != oldBars[feeds.Range6M] {
		t.Errorf("6M = %s with %d bars, want the recorded 6M", s.Range, s.Len())
	}
	if s, _ := f.Series(ctx, "NVDA", feeds.Range1Y); s.Range != feeds.Range1Y {
		t.Errorf("relabelling for RangeDaily changed the recorded 1Y series to %s", s.Range)
	}
	if _, err := f.Series(ctx, "NVDA", feeds.Range5D); feeds.KindOf(err) != feeds.KindUpstream {
		t.Errorf("unrecorded 5D: err = %v; want an upstream error, intraday has no fallback", err)
	}
	if _, err := f.Series(ctx, "ASML.AS", feeds.RangeDaily); feeds.KindOf(err) != feeds.KindUpstream ||
		!strings.Contains(err.Error(), "nor any daily series") {
		t.Errorf("unrecorded symbol: err = %v; want an upstream error saying no daily series serves it", err)
	}
}

// TestDailyRangesFallBackToRangeDaily: a new recording holds RangeDaily
// only; every daily range is served by it, and it wins over older ranges.
func TestDailyRangesFallBackToRangeDaily(t *testing.T) {
	rc := feedstest.NewClock(at("2026-11-20T15:00:00Z"))
	bars := map[feeds.Range]int{feeds.Range1Y: 253, feeds.RangeDaily: 5} // a short 2Y: a young listing
	path := recordTo(t, dailyFeed{stubFeed{rc.Now}, bars}, rc, func(rec *Recorder) {
		rec.Series(ctx, "ARM.L", feeds.Range1Y)
		rc.Advance(time.Minute)
		rec.Series(ctx, "ARM.L", feeds.RangeDaily)
		rec.Series(ctx, "NVDA", feeds.RangeDaily)
	})
	play := feedstest.NewClock(at("2030-01-01T00:00:00Z"))
	f, err := Open(path, Options{Speed: 1, Clock: play.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Series(ctx, "NVDA", feeds.Range3M); err == nil || !strings.Contains(err.Error(), "recorded only after") {
		t.Errorf("3M before NVDA's 2Y is recorded: err = %v; want one saying it comes later", err)
	}
	play.Advance(time.Minute)
	for _, r := range []feeds.Range{feeds.Range1M, feeds.Range3M, feeds.Range6M, feeds.RangeYTD, feeds.Range1Y} {
		s, err := f.Series(ctx, "NVDA", r)
		if err != nil || s.Range != feeds.RangeDaily || s.Len() != 5 {
			t.Errorf("NVDA %s: %s with %d bars (%v); want the recorded 2Y", r, s.Range, s.Len(), err)
		}
	}
	if s, _ := f.Series(ctx, "ARM.L", feeds.RangeDaily); s.Len() != 5 {
		t.Errorf("ARM.L 2Y has %d bars; want the recorded 2Y, not the longer 1Y", s.Len())
	}
	if s, _ := f.Series(ctx, "ARM.L", feeds.Range1Y); s.Range != feeds.Range1Y {
		t.Errorf("ARM.L 1Y = %s; a recorded range is served as recorded", s.Range)
	}
	if _, err := f.Series(ctx, "NVDA", feeds.Range1D); feeds.KindOf(err) != feeds.KindUpstream {
		t.Errorf("1D: err = %v; want an upstream error", err)
	}
}
