package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/sim"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
	"github.com/rotation-dev/rotation/market"
)

// yearsAsked counts the spark requests for the years (range=10y).
func yearsAsked(fake *yahootest.Server) int {
	n := 0
	for _, q := range fake.Queries(yahootest.RouteSpark) {
		if q.Get("range") == "10y" {
			n++
		}
	}
	return n
}

// The years are fetched once and kept in the cache: a second print, as a
// restart or a second instance sharing the cache would, asks for none.
func TestTheYearsAreFetchedOnceAndShared(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	dir := writeWatchlist(t, "name: Three\nera: inference\nsymbols: [AAPL, MSFT, NVDA]\n")
	args := []string{"--feed", "yahoo", "--watchlists", dir, "--range", "5Y", "--now", "2025-10-29T19:00:00Z"}
	printFull(t, args, env("ROTATION_YAHOO_URL", fake.URL))
	first := yearsAsked(fake)
	if first == 0 {
		t.Fatal("the first print asked for no years")
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "rotation", "history", "*.json"))
	if len(files) != 4 {
		t.Errorf("%d history files kept, want 4: AAPL's, MSFT's, NVDA's and SPY's", len(files))
	}
	printFull(t, args, env("ROTATION_YAHOO_URL", fake.URL))
	if again := yearsAsked(fake) - first; again != 0 {
		t.Errorf("the second print asked for the years %d times, want none", again)
	}
}

// print --range 5Y on the simulated market, against a computation by hand
// from the sim's own ten years: for a listing in New York, Tokyo,
// Amsterdam and Seoul, the base is the last close on or before the date
// five years back in its own zone (clamped to the month's end), and the
// return is the quote's price over it.
func TestPrintFiveYearsMatchesAHandComputation(t *testing.T) {
	isolate(t)
	// A Thursday: five years back is a Friday in New York and Amsterdam
	// (its own close is the base), a Saturday in Tokyo and Seoul, already
	// on the 20th there (Friday's close is).
	at := time.Date(2026, 11, 19, 15, 0, 0, 0, time.UTC)
	p := printFull(t, []string{"--feed", "sim", "--seed", "7", "--now", at.Format(time.RFC3339), "--range", "5Y"}, env())
	f := sim.New(sim.Options{Seed: 7, Clock: func() time.Time { return at }})
	ctx := context.Background()
	for _, sym := range []string{"NVDA", "8035.T", "BESI.AS", "000660.KS"} {
		qs, err := f.Quotes(ctx, []string{sym})
		if err != nil || len(qs) != 1 {
			t.Fatalf("%s: quote %v, %v", sym, qs, err)
		}
		s, err := f.Series(ctx, sym, feeds.RangeLong)
		if err != nil {
			t.Fatal(err)
		}
		loc := market.Location(qs[0].ExchangeTZ)
		y, m, d := at.In(loc).Date()
		baseDay := time.Date(y-5, m, d, 0, 0, 0, 0, time.UTC) // no 29 February in these years
		base := 0.0
		for i, tm := range s.Times {
			ly, lm, ld := tm.In(loc).Date()
			if time.Date(ly, lm, ld, 0, 0, 0, 0, time.UTC).After(baseDay) {
				break
			}
			base = s.Closes[i]
		}
		want := 100 * (qs[0].Price/base - 1)
		got := symbolReturn(p, sym)
		if base == 0 || got == nil || math.Abs(*got-want) > 1e-6 {
			t.Errorf("%s 5Y: print says %v, by hand %.6f (price %v, base %v on or before %s)", sym, got, want, qs[0].Price, base, baseDay.Format(time.DateOnly))
		}
	}
}

func symbolReturn(p fullPrint, sym string) *float64 {
	for _, seg := range p.Segments {
		for _, s := range seg.Symbols {
			if s.Symbol == sym {
				return s.RangeReturn
			}
		}
	}
	return nil
}
