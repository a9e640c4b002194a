package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// fullPrint is the part of print's JSON these tests read.
type fullPrint struct {
	AsOf time.Time
	Feed struct {
		Name, State, Detail string
		Simulated           bool
	}
	Segments []struct {
		Name     string
		Return   *float64
		Rotation struct{ Ratio, Momentum *float64 }
		Symbols  []struct {
			Symbol      string
			Price       *float64
			RangeReturn *float64
		}
	}
}

func printFull(t *testing.T, args []string, getenv func(string) string) fullPrint {
	t.Helper()
	return printAs[fullPrint](t, args, getenv)
}

// Print on the default watchlists, against a server that answers like Yahoo
// for every symbol, gets every symbol's daily series (1M returns, the
// rotation map) in at most 30 requests, none of them a per-symbol chart.
func TestPrintYahooDefaultListsWithinTheBudget(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	fake.LogHits(time.Now)
	// The fake's daily chart is the recorded one, which ends 2025-10-29.
	p := printFull(t, []string{"--feed", "yahoo", "--range", "1M", "--now", "2025-10-29T19:00:00Z"}, env("ROTATION_YAHOO_URL", fake.URL))
	hits := fake.Hits()
	if len(hits) > 30 || fake.Count(yahootest.RouteChart) != 0 {
		t.Errorf("%d requests (%d per-symbol charts), want at most 30 and none", len(hits), fake.Count(yahootest.RouteChart))
	}
	symbols := 0
	for _, seg := range p.Segments {
		if seg.Return == nil || seg.Rotation.Ratio == nil || seg.Rotation.Momentum == nil {
			t.Errorf("%s: 1M return %v, rotation map point %v, %v; want all three", seg.Name, seg.Return, seg.Rotation.Ratio, seg.Rotation.Momentum)
		}
		for _, s := range seg.Symbols {
			symbols++
			if s.RangeReturn == nil {
				t.Errorf("%s in %s has no 1M return", s.Symbol, seg.Name)
			}
		}
	}
	if len(p.Segments) < 14 || symbols < 70 {
		t.Fatalf("%d segments, %d symbols: not the default lists", len(p.Segments), symbols)
	}
	t.Logf("%d segments, %d symbol rows: %d requests (%d quote, %d spark, %d session)", len(p.Segments), symbols, len(hits),
		fake.Count(yahootest.RouteQuote), fake.Count(yahootest.RouteSpark), fake.Count(yahootest.RouteCookie)+fake.Count(yahootest.RouteCrumb))
}

// With the crumb refused from the start, print still prices every symbol,
// from spark, says so, and exits 0.
func TestPrintYahooWithTheCrumbRefusedPricesFromCharts(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	for range 10 {
		fake.Script(yahootest.RouteCrumb, yahootest.Step{Status: 429, Body: "Too Many Requests", ContentType: "text/plain"})
	}
	p := printFull(t, []string{"--feed", "yahoo"}, env("ROTATION_YAHOO_URL", fake.URL))
	if p.Feed.State != "limited" || p.Feed.Simulated {
		t.Errorf("feed = %+v, want limited, real prices", p.Feed)
	}
	for _, seg := range p.Segments {
		for _, s := range seg.Symbols {
			if want := yahootest.SyntheticPrice(s.Symbol); s.Price == nil || math.Abs(*s.Price/want-1) > 1e-9 && s.Symbol != "AAPL" && s.Symbol != "MSFT" {
				t.Errorf("%s: price %v, want the fake's %v", s.Symbol, s.Price, yahootest.SyntheticPrice(s.Symbol))
			}
		}
	}
	if n := fake.Count(yahootest.RouteQuote); n != 0 {
		t.Errorf("%d quote requests without a crumb", n)
	}
}

// A replay without --now runs on the recorded clock: print at --speed 0
// reports the recording's last instant and its 1M returns.
func TestReplayKeepsTheRecordedClock(t *testing.T) {
	isolate(t)
	rec := filepath.Join(t.TempDir(), "run.jsonl")
	at := "2026-11-20T15:00:00Z"
	live := printFull(t, []string{"--feed", "sim", "--record", rec, "--now", at, "--seed", "7", "--range", "1M"}, env())
	again := printFull(t, []string{"--feed", "replay:" + rec, "--speed", "0", "--range", "1M"}, env())
	if want, _ := time.Parse(time.RFC3339, at); !again.AsOf.Equal(want) {
		t.Errorf("replay asOf = %s, want the recorded %s", again.AsOf, at)
	}
	for i, seg := range live.Segments {
		a, b := seg.Return, again.Segments[i].Return
		if a == nil || b == nil || *a != *b || *a == 0 {
			t.Errorf("%s: 1M return live %v, replayed %v", seg.Name, a, b)
		}
	}
}

// Falling back to the simulation fills everything in the first refresh, as
// --feed sim does: the rotation map is there at once.
func TestAutoFallbackFillsAtFullSpeed(t *testing.T) {
	isolate(t)
	closed, err := yahootest.ClosedURL()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	p := printFull(t, []string{"--feed", "auto", "--now", "2026-11-20T15:00:00Z", "--range", "3M"}, env("ROTATION_YAHOO_URL", closed))
	if !p.Feed.Simulated {
		t.Fatalf("feed = %+v, want the simulated fallback", p.Feed)
	}
	for _, seg := range p.Segments {
		if seg.Return == nil || seg.Rotation.Ratio == nil {
			t.Errorf("%s: 3M return %v, rotation %v; want both from the first refresh", seg.Name, seg.Return, seg.Rotation.Ratio)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("print on the fallback took %s", d)
	}
}

// A price no market could print is ignored at the feed boundary: the
// symbol shows no price rather than a wrong one, and the feed says why.
func TestPrintIgnoresAnImplausiblePrice(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	if err := fake.AddQuote([]byte(`{"symbol":"AAPL","regularMarketPrice":1e308,"regularMarketPreviousClose":262.82,"currency":"USD","marketState":"REGULAR","exchangeTimezoneName":"America/New_York"}`)); err != nil {
		t.Fatal(err)
	}
	dir := writeWatchlist(t, "name: Apple and Microsoft\nera: inference\nsymbols: [AAPL, MSFT]\n")
	p := printFull(t, []string{"--feed", "yahoo", "--watchlists", dir, "--benchmark", "MSFT"}, env("ROTATION_YAHOO_URL", fake.URL))
	prices := map[string]*float64{}
	for _, s := range p.Segments[0].Symbols {
		prices[s.Symbol] = s.Price
	}
	if prices["AAPL"] != nil || prices["MSFT"] == nil {
		t.Errorf("AAPL %v, MSFT %v; want no AAPL price and MSFT's", prices["AAPL"], prices["MSFT"])
	}
	if !strings.Contains(p.Feed.Detail, "implausible") || !strings.Contains(p.Feed.Detail, "AAPL") {
		t.Errorf("feed detail %q does not say what was ignored", p.Feed.Detail)
	}
}

// print refuses to run wherever the monitor does: a directory with no
// loadable watchlist is an error, not an empty report.
func TestPrintWithoutWatchlistsFails(t *testing.T) {
	isolate(t)
	for name, dir := range map[string]string{"missing": filepath.Join(t.TempDir(), "nope"), "empty": t.TempDir()} {
		var out bytes.Buffer
		err := run([]string{"print", "--feed", "sim", "--watchlists", dir}, &out, env())
		if err == nil || out.Len() != 0 {
			t.Errorf("%s directory: err %v, output %q; want an error and no report", name, err, out.String())
		}
	}
}

// print --feed auto against a Yahoo that never answers falls back to the
// labelled simulation, as the monitor does, well within --timeout.
func TestPrintAutoFallsBackFromASilentYahoo(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	for range 5 {
		fake.Script(yahootest.RouteCookie, yahootest.Step{Hang: true})
	}
	var out bytes.Buffer
	err := run([]string{"print", "--format", "json", "--feed", "auto", "--timeout", "3s", "--now", "2026-11-20T15:00:00Z"}, &out, env("ROTATION_YAHOO_URL", fake.URL))
	if err != nil {
		t.Fatalf("print: %v", err)
	}
	var p fullPrint
	if err := json.Unmarshal(out.Bytes(), &p); err != nil || !p.Feed.Simulated || !strings.Contains(p.Feed.Detail, "no answer") {
		t.Errorf("feed %+v (%v); want the simulated fallback saying Yahoo did not answer", p.Feed, err)
	}
}

// check on an empty directory fails and says how to fill it.
func TestCheckOnAnEmptyDirectoryFailsWithTheHint(t *testing.T) {
	dir := t.TempDir()
	err := run([]string{"check", dir}, &bytes.Buffer{}, env())
	var ec exitCoder
	if !errors.As(err, &ec) || ec.ExitCode() != 1 || !strings.Contains(err.Error(), "holds no watchlist files") || !strings.Contains(err.Error(), "rotation init "+dir) {
		t.Fatalf("err = %v; want exit 1 naming the empty directory and 'rotation init %s'", err, dir)
	}
}

// mapPoint is a place on the rotation map as print's JSON gives it.
type mapPoint struct {
	Ratio, Momentum *float64
	Quadrant        *string
}

// --map weekly puts the rotation map on weekly closes; the JSON says so and
// the eras get points of their own.
func TestPrintWeeklyRotationMap(t *testing.T) {
	isolate(t)
	type era struct{ Rotation mapPoint }
	p := printAs[struct {
		RotationMode string
		Eras         struct{ Inference, Training era }
	}](t, []string{"--feed", "sim", "--now", "2026-11-20T15:00:00Z", "--seed", "7", "--map", "weekly"}, env())
	if p.RotationMode != "weekly" {
		t.Errorf("rotationMode = %q, want weekly", p.RotationMode)
	}
	for name, r := range map[string]mapPoint{"inference": p.Eras.Inference.Rotation, "training": p.Eras.Training.Rotation} {
		if r.Ratio == nil || r.Momentum == nil || r.Quadrant == nil {
			t.Errorf("%s era has no weekly map point: %+v", name, r)
		}
	}
}

// --weighting cap weights baskets by market value and says so in the JSON,
// with the flows of every era.
func TestPrintCapWeightingAndFlows(t *testing.T) {
	isolate(t)
	type era struct{ CapChangeUSD, RelativeVolume *float64 }
	p := printAs[struct {
		Weighting string
		Eras      struct{ Inference, Training era }
	}](t, []string{"--feed", "sim", "--now", "2026-11-20T15:00:00Z", "--seed", "7", "--range", "1M", "--weighting", "cap"}, env())
	if p.Weighting != "cap" {
		t.Errorf("weighting = %q, want cap", p.Weighting)
	}
	for name, e := range map[string]era{"inference": p.Eras.Inference, "training": p.Eras.Training} {
		if e.CapChangeUSD == nil || e.RelativeVolume == nil {
			t.Errorf("%s era: capChangeUSD %v, relativeVolume %v; want both from the simulated market", name, e.CapChangeUSD, e.RelativeVolume)
		}
	}
}

// Every horizon in print's JSON, 1D to 5Y and the date on screen, is what
// print --range R gives for that range, and the verdict counts them.
func TestHorizonsAgreeWithSingleRangePrints(t *testing.T) {
	isolate(t)
	type eraRet struct{ Return *float64 }
	type report struct {
		Eras struct {
			Inference, Training eraRet
			Spread              *float64
		}
		Horizons []struct {
			Range                                    string
			Inference, Training, Spread, RatioChange *float64
		}
		Verdict string
	}
	// Two eras over New York, Tokyo, Amsterdam and Seoul: the default
	// lists would only make each of the eleven prints slower.
	dir := writeWatchlist(t, "name: Training\nera: training\nsymbols: [NVDA, 8035.T, 000660.KS]\n")
	if err := os.WriteFile(filepath.Join(dir, "20-inference.yaml"), []byte("name: Inference\nera: inference\nsymbols: [AVGO, BESI.AS, 6857.T]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--feed", "sim", "--now", "2026-11-20T15:00:00Z", "--seed", "7", "--watchlists", dir}
	// On a date range the date is a horizon too, last.
	all := printAs[report](t, append(args, "--range", "2025-01-27"), env())
	if len(all.Horizons) != 10 || all.Horizons[9].Range != "2025-01-27" ||
		!strings.Contains(all.Verdict, "of 10 horizons") && !strings.HasPrefix(all.Verdict, "Undecided") {
		t.Fatalf("%d horizons, verdict %q", len(all.Horizons), all.Verdict)
	}
	same := func(a, b *float64) bool { return a != nil && b != nil && *a == *b }
	for _, h := range all.Horizons {
		one := printAs[report](t, append(args, "--range", h.Range), env())
		if !same(h.Inference, one.Eras.Inference.Return) || !same(h.Training, one.Eras.Training.Return) || !same(h.Spread, one.Eras.Spread) {
			t.Errorf("%s: horizon %v/%v/%v, print --range %s gives %v/%v/%v", h.Range, h.Inference, h.Training, h.Spread,
				h.Range, one.Eras.Inference.Return, one.Eras.Training.Return, one.Eras.Spread)
		}
		// The JSON's returns are rounded to 6 decimals, an error the ratio
		// magnifies (by 2.7 for a YTD's -21 %), and so is ratioChange.
		if want := 100 * ((100+*h.Inference)/(100+*h.Training) - 1); h.RatioChange == nil || math.Abs(*h.RatioChange-want) > 1e-5 {
			t.Errorf("%s: ratioChange %v, want %v", h.Range, h.RatioChange, want)
		}
	}
}

// Each symbol says in the JSON why a figure is missing: a list, empty when
// all is well.
func TestPrintFlagsSayWhyAFigureIsMissing(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	fake.Missing("NVDA")
	dir := writeWatchlist(t, "name: Three\nera: inference\nsymbols: [AAPL, MSFT, NVDA]\n")
	p := printAs[struct {
		Segments []struct {
			Symbols []struct {
				Symbol string
				Flags  []string
			}
		}
	}](t, []string{"--feed", "yahoo", "--watchlists", dir, "--benchmark", "MSFT", "--now", "2025-10-29T19:00:00Z", "--range", "1M"}, env("ROTATION_YAHOO_URL", fake.URL))
	for _, s := range p.Segments[0].Symbols {
		switch {
		case s.Symbol == "NVDA" && (len(s.Flags) == 0 || s.Flags[0] == ""):
			t.Errorf("NVDA, unknown to Yahoo, has flags %q; want the reason", s.Flags)
		case s.Symbol != "NVDA" && (s.Flags == nil || len(s.Flags) != 0):
			t.Errorf("%s has flags %q; want an empty list", s.Symbol, s.Flags)
		}
	}
}
