package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
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
