package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// TestMain fails any request to a host that is not loopback: no test of the
// command may reach the internet, whatever a flag or variable says.
func TestMain(m *testing.M) {
	http.DefaultTransport = &yahootest.GuardTransport{Base: http.DefaultTransport}
	os.Exit(m.Run())
}

// isolate gives the test its own config and cache directories, so no user
// watchlists, session or snapshot leak in or out.
func isolate(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
}

func writeWatchlist(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "10-apple-msft.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

type printed struct {
	Feed struct {
		Name, State, Detail string
		Simulated           bool
	}
	Segments []struct {
		Return  *float64
		Symbols []struct {
			Symbol        string
			Price         *float64
			PreviousClose *float64
			Currency      string
			MarketState   string
		}
	}
}

func printJSON(t *testing.T, args []string, getenv func(string) string) printed {
	t.Helper()
	return printAs[printed](t, args, getenv)
}

// printAs runs print --format json and decodes its output into a T.
func printAs[T any](t *testing.T, args []string, getenv func(string) string) T {
	t.Helper()
	var out bytes.Buffer
	if err := run(append([]string{"print", "--format", "json", "--timeout", "10s"}, args...), &out, getenv); err != nil {
		t.Fatalf("print: %v", err)
	}
	var p T
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		t.Fatalf("print output is not JSON: %v\n%s", err, out.String())
	}
	return p
}

// Print through the real Yahoo code path against a fake Yahoo returns the
// recorded prices exactly.
func TestPrintYahooReturnsTheRecordedPrices(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	fake.UseQuotes(t, yahootest.QuotesRegular)
	dir := writeWatchlist(t, "name: Apple and Microsoft\nera: inference\nsymbols: [AAPL, MSFT]\n")
	p := printJSON(t, []string{"--feed", "yahoo", "--watchlists", dir, "--benchmark", "AAPL"},
		env("ROTATION_YAHOO_URL", fake.URL))
	want := recordedPrices(t, yahootest.QuotesRegular)
	got := map[string][2]float64{}
	for _, s := range p.Segments[0].Symbols {
		if s.Price == nil || s.PreviousClose == nil {
			t.Fatalf("%s has no price: %+v", s.Symbol, s)
		}
		got[s.Symbol] = [2]float64{*s.Price, *s.PreviousClose}
		if s.Currency != "USD" || s.MarketState != "REGULAR" {
			t.Errorf("%s: currency %s state %s", s.Symbol, s.Currency, s.MarketState)
		}
	}
	for sym, w := range want {
		if got[sym] != w {
			t.Errorf("%s: price, previous close = %v, want the recorded %v", sym, got[sym], w)
		}
	}
	if p.Feed.Name != "yahoo" || p.Feed.Simulated {
		t.Errorf("feed = %+v", p.Feed)
	}
}

// recordedPrices reads price and previous close straight from a recorded
// quote response, independently of the feed's decoder.
func recordedPrices(t *testing.T, fixture string) map[string][2]float64 {
	t.Helper()
	var body struct {
		QuoteResponse struct {
			Result []struct {
				Symbol                     string
				RegularMarketPrice         float64
				RegularMarketPreviousClose float64
			}
		}
	}
	if err := json.Unmarshal(yahootest.Fixture(t, fixture), &body); err != nil {
		t.Fatal(err)
	}
	out := map[string][2]float64{}
	for _, q := range body.QuoteResponse.Result {
		out[q.Symbol] = [2]float64{q.RegularMarketPrice, q.RegularMarketPreviousClose}
	}
	if len(out) != 2 {
		t.Fatalf("fixture %s holds %d quotes, want 2", fixture, len(out))
	}
	return out
}

// With Yahoo unreachable and no snapshot, auto shows simulated prices and
// says why, in the output itself.
func TestPrintAutoFallsBackToSimulatedWithTheReason(t *testing.T) {
	isolate(t)
	closed, err := yahootest.ClosedURL()
	if err != nil {
		t.Fatal(err)
	}
	dir := writeWatchlist(t, "name: Apple and Microsoft\nera: inference\nsymbols: [AAPL, MSFT]\n")
	p := printJSON(t, []string{"--feed", "auto", "--watchlists", dir, "--now", "2026-11-20T15:00:00Z"},
		env("ROTATION_YAHOO_URL", closed))
	if !p.Feed.Simulated || p.Feed.State != "simulated" {
		t.Fatalf("feed = %+v, want simulated", p.Feed)
	}
	if !strings.Contains(p.Feed.Detail, "unreachable") || !strings.Contains(p.Feed.Detail, "SIMULATED") {
		t.Errorf("detail %q does not give the reason", p.Feed.Detail)
	}
	if s := p.Segments[0].Symbols[0]; s.Price == nil {
		t.Errorf("simulated price missing: %+v", s)
	}
}

func TestPrintWithNoDataExitsTwo(t *testing.T) {
	isolate(t)
	closed, err := yahootest.ClosedURL()
	if err != nil {
		t.Fatal(err)
	}
	dir := writeWatchlist(t, "name: Apple\nera: inference\nsymbols: [AAPL]\n")
	err = run([]string{"print", "--feed", "yahoo", "--watchlists", dir, "--timeout", "3s"}, &bytes.Buffer{},
		env("ROTATION_YAHOO_URL", closed))
	var ec exitCoder
	if !errors.As(err, &ec) || ec.ExitCode() != 2 {
		t.Fatalf("err = %v, want exit code 2", err)
	}
}

// A simulated run recorded with --record and replayed with --speed 0 gives
// the same numbers, and both say they are simulated.
func TestRecordThenReplayGivesTheSameNumbers(t *testing.T) {
	isolate(t)
	rec := filepath.Join(t.TempDir(), "run.jsonl")
	args := []string{"--now", "2026-11-20T15:00:00Z", "--seed", "7", "--range", "1M"}
	live := printJSON(t, append([]string{"--feed", "sim", "--record", rec}, args...), env())
	again := printJSON(t, append([]string{"--feed", "replay:" + rec, "--speed", "0"}, args...), env())
	if !live.Feed.Simulated || !again.Feed.Simulated || again.Feed.Name != "replay" {
		t.Fatalf("feeds: recorded %+v, replayed %+v", live.Feed, again.Feed)
	}
	if len(live.Segments) != len(again.Segments) || len(live.Segments) < 14 {
		t.Fatalf("segments: %d recorded, %d replayed", len(live.Segments), len(again.Segments))
	}
	for i := range live.Segments {
		a, b := live.Segments[i].Return, again.Segments[i].Return
		if a == nil || b == nil || *a != *b {
			t.Errorf("segment %d: 1M return recorded %v, replayed %v", i, a, b)
		}
		for j, s := range live.Segments[i].Symbols {
			r := again.Segments[i].Symbols[j]
			if s.Price == nil || r.Price == nil || *s.Price != *r.Price || *s.PreviousClose != *r.PreviousClose {
				t.Errorf("%s: recorded %v/%v, replayed %v/%v", s.Symbol, s.Price, s.PreviousClose, r.Price, r.PreviousClose)
			}
		}
	}
	err := run(append([]string{"print", "--feed", "sim", "--record", rec}, args...), &bytes.Buffer{}, env())
	if err == nil || !strings.Contains(err.Error(), rec) {
		t.Errorf("recording over an existing file: err = %v, want a refusal naming it", err)
	}
}

// When charts do not arrive within --timeout, print still gives the prices
// it has (1D returns need only quotes) rather than nothing.
func TestPrintSettlesForPricesWhenChartsAreLate(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	fake.UseQuotes(t, yahootest.QuotesRegular)
	fake.Script(yahootest.RouteChart, yahootest.Step{Hang: true})
	dir := writeWatchlist(t, "name: Apple and Microsoft\nera: inference\nsymbols: [AAPL, MSFT]\n")
	var out bytes.Buffer
	err := run([]string{"print", "--format", "json", "--timeout", "1s", "--feed", "yahoo", "--watchlists", dir, "--benchmark", "AAPL"},
		&out, env("ROTATION_YAHOO_URL", fake.URL))
	if err != nil {
		t.Fatalf("print: %v", err)
	}
	var p printed
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	want := recordedPrices(t, yahootest.QuotesRegular)
	for _, s := range p.Segments[0].Symbols {
		if s.Price == nil || *s.Price != want[s.Symbol][0] {
			t.Errorf("%s: price %v, want the recorded %v", s.Symbol, s.Price, want[s.Symbol][0])
		}
	}
	if p.Segments[0].Return == nil {
		t.Error("the 1D return needs only quotes, yet it is null")
	}
}

// The simulated print is byte-identical run to run, prices every default
// symbol, and gives each its market's state at that instant.
func TestPrintSimIsReproducibleAndCalendarAware(t *testing.T) {
	isolate(t)
	args := []string{"print", "--feed", "sim", "--seed", "7", "--now", "2026-11-20T15:00:00Z", "--format", "json"}
	var first, second bytes.Buffer
	if err := run(args, &first, env()); err != nil {
		t.Fatal(err)
	}
	if err := run(args, &second, env()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatal("two runs with the same seed and clock differ")
	}
	var p printed
	if err := json.Unmarshal(first.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	// 15:00 UTC on a Friday: 10:00 in New York, midnight in Tokyo.
	wantState := map[string]string{"NVDA": "REGULAR", "8035.T": "CLOSED", "000660.KS": "CLOSED", "2317.TW": "CLOSED", "BESI.AS": "REGULAR"}
	n := 0
	for _, seg := range p.Segments {
		for _, s := range seg.Symbols {
			n++
			if s.Price == nil {
				t.Errorf("%s is not priced", s.Symbol)
			}
			if w, ok := wantState[s.Symbol]; ok && s.MarketState != w {
				t.Errorf("%s: state %s, want %s", s.Symbol, s.MarketState, w)
			}
		}
	}
	if n < 70 || !p.Feed.Simulated {
		t.Errorf("%d symbols, simulated %v", n, p.Feed.Simulated)
	}
}
