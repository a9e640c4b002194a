package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// eighty is a watchlist-sized mix of listings across every calendar.
func eighty() []string {
	syms := append([]string(nil), mixed...)
	for i := len(syms); i < 80; i++ {
		syms = append(syms, fmt.Sprintf("B%02d%s", i, []string{"", ".T", ".KS", ".AS", ".L"}[i%5]))
	}
	return syms
}

// BenchmarkQuotes80 is a live screen refresh: 80 symbols, the clock one
// second further each time, caches warm.
func BenchmarkQuotes80(b *testing.B) {
	now := at("2026-11-20T15:00:00Z")
	f := New(Options{Seed: 1, Clock: func() time.Time { return now }})
	syms := eighty()
	f.Quotes(ctx, syms)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		now = now.Add(time.Second)
		if _, err := f.Quotes(ctx, syms); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuotes80Cold is the first refresh of a new feed: every walk and
// session path computed from scratch.
func BenchmarkQuotes80Cold(b *testing.B) {
	syms := eighty()
	for i := 0; i < b.N; i++ {
		f := New(Options{Seed: int64(i), Clock: fixed(at("2026-11-20T15:00:00Z"))})
		if _, err := f.Quotes(ctx, syms); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSeries(b *testing.B, r feeds.Range) {
	now := at("2026-11-20T15:00:00Z")
	f := New(Options{Seed: 1, Clock: func() time.Time { return now }})
	f.Series(ctx, "NVDA", r)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		now = now.Add(time.Second)
		if _, err := f.Series(ctx, "NVDA", r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeries1D(b *testing.B) { benchSeries(b, feeds.Range1D) }
func BenchmarkSeries5D(b *testing.B) { benchSeries(b, feeds.Range5D) }
func BenchmarkSeries1Y(b *testing.B) { benchSeries(b, feeds.Range1Y) }
func BenchmarkSeries2Y(b *testing.B) { benchSeries(b, feeds.RangeDaily) }

// BenchmarkSeries1YAll80Cold charts 1Y for 80 symbols on a new feed.
func BenchmarkSeries1YAll80Cold(b *testing.B) {
	syms := eighty()
	for i := 0; i < b.N; i++ {
		f := New(Options{Seed: int64(i), Clock: fixed(at("2026-11-20T15:00:00Z"))})
		for _, s := range syms {
			if _, err := f.Series(ctx, s, feeds.Range1Y); err != nil {
				b.Fatal(err)
			}
		}
	}
}
