package main

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// Print through the real Yahoo code path, on a recorded quote, gives values,
// P&L, day change and era exposure a person recomputes by hand, and exactly
// the rules that hold.
func TestPrintBookAndAlertsOnARecordedQuote(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	fake.UseQuotes(t, yahootest.QuotesRegular)
	dir := writeWatchlist(t, "name: Apple and Microsoft\nera: inference\nsymbols: [AAPL, MSFT]\n")
	files := t.TempDir()
	holdings := filepath.Join(files, "holdings.yaml")
	rules := filepath.Join(files, "alerts.yaml")
	write := func(path, body string) {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(holdings, "positions:\n  - {symbol: AAPL, quantity: 10, cost: 150, fees: 5}\n  - {symbol: MSFT, quantity: -2, cost: 500}\n")
	write(rules, "- {when: price, symbol: AAPL, above: 265}\n- {when: price, symbol: MSFT, above: 600}\n- {when: change, symbol: MSFT, above: 1.5}\n")
	type position struct {
		Symbol                                                 string
		Value, ValueUSD, PnL, PnLPercent, DayChangeUSD, Weight *float64
		Era                                                    string
	}
	p := printAs[struct {
		Holdings struct {
			Positions             []position
			TotalValueUSD, PnLUSD *float64
			DayChangeUSD          *float64
			Exposure              map[string]*float64
		}
		Alerts []struct{ Rule, Message string }
	}](t, []string{"--feed", "yahoo", "--watchlists", dir, "--benchmark", "AAPL", "--holdings", holdings, "--alerts", rules},
		env("ROTATION_YAHOO_URL", fake.URL))

	// The recorded quote: AAPL 265.88 (previous close 262.82), MSFT 532.04 (523.61).
	// AAPL: 10 x 265.88 = 2658.80; P&L 10 x (265.88 - 150) - 5 = 1153.80, 76.92 % of 1500;
	//       day 10 x 3.06 = 30.60.
	// MSFT: -2 x 532.04 = -1064.08; P&L -2 x (532.04 - 500) = -64.08, -6.408 % of 1000;
	//       day -2 x 8.43 = -16.86.
	// Gross 3722.88: weights 71.42 % and -28.58 %; both inference, so inference
	// exposure (2658.80 - 1064.08) / 3722.88 = 42.84 %.
	want := map[string][6]float64{
		"AAPL": {2658.80, 1153.80, 100 * 1153.80 / 1500, 30.60, 100 * 2658.80 / 3722.88, 2658.80},
		"MSFT": {-1064.08, -64.08, -6.408, -16.86, -100 * 1064.08 / 3722.88, -1064.08},
	}
	near := func(what string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 1e-6 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	if len(p.Holdings.Positions) != 2 {
		t.Fatalf("positions %+v", p.Holdings.Positions)
	}
	for _, pos := range p.Holdings.Positions {
		w := want[pos.Symbol]
		near(pos.Symbol+" value", pos.Value, w[0])
		near(pos.Symbol+" pnl", pos.PnL, w[1])
		near(pos.Symbol+" pnlPercent", pos.PnLPercent, w[2])
		near(pos.Symbol+" dayChangeUSD", pos.DayChangeUSD, w[3])
		near(pos.Symbol+" weight", pos.Weight, w[4])
		near(pos.Symbol+" valueUSD", pos.ValueUSD, w[5])
		if pos.Era != "inference" {
			t.Errorf("%s era %q", pos.Symbol, pos.Era)
		}
	}
	near("totalValueUSD", p.Holdings.TotalValueUSD, 2658.80-1064.08)
	near("pnlUSD", p.Holdings.PnLUSD, 1153.80-64.08)
	near("dayChangeUSD", p.Holdings.DayChangeUSD, 30.60-16.86)
	near("inference exposure", p.Holdings.Exposure["inference"], 100*(2658.80-1064.08)/3722.88)
	near("training exposure", p.Holdings.Exposure["training"], 0)

	// AAPL above 265 holds; MSFT above 600 does not; MSFT's day change is
	// 100 x (532.04 / 523.61 - 1) = 1.61 %, above 1.5.
	var held []string
	for _, a := range p.Alerts {
		held = append(held, a.Rule)
	}
	if strings.Join(held, "; ") != "AAPL price above 265; MSFT change above 1.5%" {
		t.Errorf("alerts that hold: %q", held)
	}
	for _, a := range p.Alerts {
		if strings.Contains(a.Message, "simulated") {
			t.Errorf("live data called simulated: %q", a.Message)
		}
	}
}

// A broken holdings or alerts file stops print with its file:line:col, as
// check reports it, rather than printing a report without it.
func TestPrintAndCheckRefuseBrokenUserFiles(t *testing.T) {
	isolate(t)
	files := t.TempDir()
	holdings := filepath.Join(files, "holdings.yaml")
	if err := os.WriteFile(holdings, []byte("positions:\n  - symbol: AAPL\n    quantity: 0\n    cost: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run([]string{"print", "--feed", "sim", "--holdings", holdings}, &out, os.Getenv)
	if code := exitCode(err); code != 1 || !strings.Contains(err.Error(), "holdings, alerts or events file") {
		t.Errorf("print with a broken holdings file: exit %d, %v", code, err)
	}
	out.Reset()
	err = run([]string{"check", "--holdings", holdings}, &out, os.Getenv)
	if code := exitCode(err); code != 1 || !strings.Contains(out.String(), "holdings.yaml:3:15: a zero quantity holds nothing") {
		t.Errorf("check: exit %d, output:\n%s", code, out.String())
	}
	// The default file is used only when it exists; none turns it off.
	out.Reset()
	t.Setenv("XDG_CONFIG_HOME", files) // holds no rotation/holdings.yaml
	if err := run([]string{"check", "--holdings", "none"}, &out, os.Getenv); err != nil || strings.Contains(out.String(), "holdings") {
		t.Errorf("check --holdings none: %v\n%s", err, out.String())
	}
}

// exitCode is the status main would exit with for err.
func exitCode(err error) int {
	var ec exitCoder
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ec):
		return ec.ExitCode()
	}
	return 1
}
