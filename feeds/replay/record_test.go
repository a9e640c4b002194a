package replay

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
)

// batchFeed is a dailyFeed that also fetches batches and states limits,
// as Yahoo does; it counts what it is asked.
type batchFeed struct {
	dailyFeed
	known    map[string]bool
	batches  int
	requests int
	noBatch  bool // answer every batch with ErrNoBatch
}

func (b *batchFeed) SeriesBatch(ctx context.Context, syms []string, r feeds.Range) (map[string]feeds.Series, error) {
	b.batches++
	b.requests++
	if b.noBatch {
		return nil, &feeds.Error{Kind: feeds.KindUpstream, Op: "spark", Err: feeds.ErrNoBatch}
	}
	out := map[string]feeds.Series{}
	for _, sym := range syms {
		if b.known[sym] {
			out[sym], _ = b.Series(ctx, sym, r)
		}
	}
	return out, nil
}

func (b *batchFeed) Limits() feeds.Limits {
	return feeds.Limits{PerMinute: 60, QuoteBatch: 50, SeriesBatch: 20}
}
func (b *batchFeed) Requests() int { return b.requests }

// TestSeriesBatchIsRecordedLineByLine: a batch is recorded as the series
// lines Series calls would have written, in the order asked, and replays
// as the batch delivered it.
func TestSeriesBatchIsRecordedLineByLine(t *testing.T) {
	rc := feedstest.NewClock(at("2026-11-20T15:00:00Z"))
	inner := &batchFeed{dailyFeed: dailyFeed{stubFeed{rc.Now}, oldBars}, known: map[string]bool{"NVDA": true, "ARM.L": true, "7203.T": true}}
	asked := []string{"NVDA", "MISSING", "7203.T", "ARM.L", "NVDA"}
	var batched, single bytes.Buffer
	got, err := NewRecorder(inner, &batched, rc.Now).SeriesBatch(ctx, asked, feeds.RangeDaily)
	if err != nil || len(got) != 3 {
		t.Fatalf("SeriesBatch = %d series, %v; want the 3 known symbols", len(got), err)
	}
	one := NewRecorder(inner, &single, rc.Now)
	for _, sym := range []string{"NVDA", "7203.T", "ARM.L"} {
		one.Series(ctx, sym, feeds.RangeDaily)
	}
	if b, s := seriesLines(batched.String()), seriesLines(single.String()); len(b) != 3 || strings.Join(b, "") != strings.Join(s, "") {
		t.Errorf("a batch recorded %d series lines\n%s\nbut one Series call a symbol records\n%s", len(b), b, s)
	}

	f, err := Open(writeFile(t, batched.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for sym, want := range got {
		s, err := f.Series(ctx, sym, feeds.RangeDaily)
		if err != nil || mustJSON(t, s) != mustJSON(t, want) {
			t.Errorf("replayed %s differs from the batch's (%v)", sym, err)
		}
	}
	if _, err := f.Series(ctx, "MISSING", feeds.RangeDaily); err == nil {
		t.Error("a symbol the batch did not deliver replays")
	}
}

// seriesLines are a recording's series lines, in order.
func seriesLines(recording string) []string {
	var out []string
	for _, line := range strings.SplitAfter(recording, "\n") {
		if strings.Contains(line, `"kind":"series"`) {
			out = append(out, line)
		}
	}
	return out
}

// TestSeriesBatchWithoutBatcher: over a feed without batches the Recorder
// says ErrNoBatch at once, asking and writing nothing.
func TestSeriesBatchWithoutBatcher(t *testing.T) {
	calls := 0
	inner := countingFeed{stubFeed{func() time.Time { return at("2026-11-20T15:00:00Z") }}, &calls}
	var buf bytes.Buffer
	rec := NewRecorder(inner, &buf, inner.clock)
	got, err := rec.SeriesBatch(ctx, []string{"NVDA"}, feeds.RangeDaily)
	if !errors.Is(err, feeds.ErrNoBatch) || got != nil {
		t.Errorf("SeriesBatch = %v, %v; want no series and an error wrapping ErrNoBatch", got, err)
	}
	if calls != 0 || buf.Len() != 0 {
		t.Errorf("%d calls to the inner feed, %d bytes written; want none", calls, buf.Len())
	}
	if l, n := rec.Limits(), rec.Requests(); l != (feeds.Limits{}) || n != 0 {
		t.Errorf("Limits, Requests = %+v, %d; want a local source's zero and 0", l, n)
	}
}

// TestRecorderForwardsBatchFailureAndLimits: an inner ErrNoBatch reaches
// the caller unchanged, and limits and request counts are the inner feed's.
func TestRecorderForwardsBatchFailureAndLimits(t *testing.T) {
	rc := feedstest.NewClock(at("2026-11-20T15:00:00Z"))
	inner := &batchFeed{dailyFeed: dailyFeed{stubFeed{rc.Now}, oldBars}, noBatch: true}
	var buf bytes.Buffer
	rec := NewRecorder(inner, &buf, rc.Now)
	if _, err := rec.SeriesBatch(ctx, []string{"NVDA"}, feeds.RangeDaily); !errors.Is(err, feeds.ErrNoBatch) || feeds.KindOf(err) != feeds.KindUpstream {
		t.Errorf("err = %v; want the inner feed's, wrapping ErrNoBatch", err)
	}
	if inner.batches != 1 || strings.Contains(buf.String(), `"kind":"series"`) {
		t.Errorf("%d batches asked, recorded %q; want one and no series", inner.batches, buf.String())
	}
	if l := rec.Limits(); l != inner.Limits() {
		t.Errorf("Limits = %+v, want the inner %+v", l, inner.Limits())
	}
	inner.requests = 41
	if n := rec.Requests(); n != 41 {
		t.Errorf("Requests = %d, want the inner feed's 41", n)
	}
}

// countingFeed is a stubFeed that counts every call but Name.
type countingFeed struct {
	stubFeed
	calls *int
}

func (c countingFeed) Quotes(ctx context.Context, syms []string) ([]feeds.Quote, error) {
	*c.calls++
	return c.stubFeed.Quotes(ctx, syms)
}
func (c countingFeed) Series(ctx context.Context, sym string, r feeds.Range) (feeds.Series, error) {
	*c.calls++
	return c.stubFeed.Series(ctx, sym, r)
}
func (c countingFeed) Health() feeds.Health { *c.calls++; return c.stubFeed.Health() }

// quoteFeed delivers fixed quotes.
type quoteFeed struct {
	stubFeed
	quotes []feeds.Quote
}

func (q quoteFeed) Quotes(context.Context, []string) ([]feeds.Quote, error) { return q.quotes, nil }

// TestQuoteFiguresSurviveReplay: the optional figures of a quote, nil or
// not, come back from a recording as they went in.
func TestQuoteFiguresSurviveReplay(t *testing.T) {
	mcap, avg := 4.3e12, 2.1e8
	earnings := time.Date(2027, 2, 25, 21, 20, 0, 0, time.UTC)
	quotes := []feeds.Quote{
		{Symbol: "NVDA", Price: 176.5, QuoteTime: at("2026-11-20T15:00:00Z"),
			MarketCap: &mcap, AverageVolume3Month: &avg, EarningsTime: &earnings, FinancialCurrency: "USD"},
		{Symbol: "ARM.L", Price: 1234, FromChart: true}, // no figures: they stay nil
	}
	clock := func() time.Time { return at("2026-11-20T15:00:00Z") }
	var buf bytes.Buffer
	NewRecorder(quoteFeed{stubFeed{clock}, quotes}, &buf, clock).Quotes(ctx, []string{"NVDA", "ARM.L"})
	f, err := Open(writeFile(t, buf.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.Quotes(ctx, []string{"NVDA", "ARM.L"})
	if len(got) != 2 {
		t.Fatalf("replayed %d quotes, want 2", len(got))
	}
	if mustJSON(t, got) != mustJSON(t, quotes) {
		t.Errorf("replayed quotes\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, quotes))
	}
	n := got[0]
	if n.MarketCap == nil || *n.MarketCap != mcap || n.AverageVolume3Month == nil || *n.AverageVolume3Month != avg ||
		n.EarningsTime == nil || !n.EarningsTime.Equal(earnings) || n.SharesOutstanding != nil {
		t.Errorf("NVDA figures after replay: %+v", n)
	}
	if a := got[1]; !a.FromChart || a.MarketCap != nil || a.EarningsTime != nil {
		t.Errorf("ARM.L after replay: %+v; want FromChart and no figures", a)
	}
}
