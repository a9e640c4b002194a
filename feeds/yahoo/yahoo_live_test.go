package yahoo

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// TestLiveYahoo talks to the real Yahoo Finance. It runs only with
// ROTATION_LIVE=1, never in CI: go test -run TestLive -v ./feeds/yahoo
func TestLiveYahoo(t *testing.T) {
	if os.Getenv("ROTATION_LIVE") != "1" {
		t.Skip("live Yahoo test; set ROTATION_LIVE=1 to run it")
	}
	feed := New(Options{HTTPClient: &http.Client{Timeout: 20 * time.Second}, CacheDir: t.TempDir()})
	ctx := context.Background()
	symbols := []string{"NVDA", "8035.T", "000660.KS"}
	quotes, err := feed.Quotes(ctx, symbols)
	if err != nil {
		t.Fatalf("Quotes: %v (health: %+v)", err, feed.Health())
	}
	got := map[string]feeds.Quote{}
	for _, q := range quotes {
		got[q.Symbol] = q
	}
	for _, sym := range symbols {
		q, ok := got[sym]
		if !ok {
			t.Errorf("%s: no quote", sym)
			continue
		}
		if q.Name == "" || q.Price <= 0 || q.PreviousClose <= 0 || q.Currency == "" ||
			q.Exchange == "" || q.ExchangeTZ == "" || q.MarketState == "" || q.QuoteTime.IsZero() {
			t.Errorf("%s: a field we read is missing: %+v", sym, q)
		}
		if _, err := time.LoadLocation(q.ExchangeTZ); err != nil {
			t.Errorf("%s: exchange time zone %q: %v", sym, q.ExchangeTZ, err)
		}
		t.Logf("%s %s %.2f %s (%s, %s, delay %d min)", q.Symbol, q.Name, q.Price, q.Currency, q.Exchange, q.MarketState, q.DelayMinutes)
	}
	for _, r := range []feeds.Range{feeds.Range1D, feeds.Range6M} {
		s, err := feed.Series(ctx, "NVDA", r)
		if err != nil {
			t.Fatalf("Series %s: %v", r, err)
		}
		if s.Len() == 0 || s.PreviousClose <= 0 {
			t.Errorf("NVDA %s: %d bars, previous close %v", r, s.Len(), s.PreviousClose)
		}
	}
	// Spark, both ranges the poller asks for, and quotes built from it.
	for _, r := range []feeds.Range{feeds.Range1D, feeds.RangeDaily} {
		batch, err := feed.SeriesBatch(ctx, symbols, r)
		if err != nil {
			t.Fatalf("SeriesBatch %s: %v", r, err)
		}
		for _, sym := range symbols {
			if s := batch[sym]; s.Len() == 0 || s.PreviousClose <= 0 {
				t.Errorf("spark %s %s: %d bars, previous close %v", r, sym, s.Len(), s.PreviousClose)
			}
		}
	}
	fromCharts, err := feed.quotesFromCharts(ctx, symbols)
	if err != nil || len(fromCharts) != len(symbols) {
		t.Fatalf("quotes from spark: %d of %d, %v", len(fromCharts), len(symbols), err)
	}
	for _, q := range fromCharts {
		full := got[q.Symbol]
		if q.Price <= 0 || q.PreviousClose <= 0 || q.Currency != full.Currency || q.ExchangeTZ != full.ExchangeTZ || q.QuoteTime.IsZero() {
			t.Errorf("%s from spark lacks a field we read: %+v", q.Symbol, q)
		}
		if full.PreviousClose > 0 && q.PreviousClose != full.PreviousClose {
			t.Logf("%s: spark's previous close %v, the quote's %v", q.Symbol, q.PreviousClose, full.PreviousClose)
		}
	}
	if q := got["NVDA"]; q.MarketCap == nil || q.AverageVolume3Month == nil || q.FiftyTwoWeekHigh == nil {
		t.Errorf("NVDA lacks a figure for flows: cap %v, avg volume %v, 52w high %v", q.MarketCap, q.AverageVolume3Month, q.FiftyTwoWeekHigh)
	}
	t.Logf("health: %+v", feed.Health())
}
