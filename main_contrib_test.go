package main

import (
	"math"
	"testing"

	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// On the recorded Yahoo quotes (regular session, 2025-10-27), AAPL weighing
// 2 and MSFT 1 in one inference segment: each one's contribution to the
// segment is its weight times its day's return over the sum of the
// weights, r = 100 (price / previous close - 1) from the recorded body
// itself; the segment is its era's only one, so the same numbers are
// its contributions to the era, and they add up to the era's return.
func TestContributionsOnARecordedQuote(t *testing.T) {
	isolate(t)
	fake := yahootest.New(t)
	fake.UseQuotes(t, yahootest.QuotesRegular)
	dir := writeWatchlist(t, "name: Apple and Microsoft\nera: inference\nsymbols:\n  - symbol: AAPL\n    weight: 2\n  - symbol: MSFT\n    weight: 1\n")
	type row struct {
		Symbol                        string
		Contribution, EraContribution *float64
	}
	p := printAs[struct {
		Eras     struct{ Inference struct{ Return *float64 } }
		Segments []struct {
			EraContribution *float64
			Symbols         []row
		}
	}](t, []string{"--feed", "yahoo", "--watchlists", dir, "--benchmark", "AAPL", "--range", "1D"}, env("ROTATION_YAHOO_URL", fake.URL))
	rec := recordedPrices(t, yahootest.QuotesRegular)
	weight := map[string]float64{"AAPL": 2, "MSFT": 1}
	sum := 0.0
	for _, s := range p.Segments[0].Symbols {
		q := rec[s.Symbol]
		want := weight[s.Symbol] * 100 * (q[0]/q[1] - 1) / 3
		if s.Contribution == nil || s.EraContribution == nil || math.Abs(*s.Contribution-want) > 1e-6 || math.Abs(*s.EraContribution-want) > 1e-6 {
			t.Errorf("%s: contribution %v, to the era %v; by hand %.6f (price %v, previous close %v)", s.Symbol, s.Contribution, s.EraContribution, want, q[0], q[1])
			continue
		}
		sum += want
	}
	if r := p.Eras.Inference.Return; r == nil || math.Abs(*r-sum) > 1e-6 || p.Segments[0].EraContribution == nil || math.Abs(*p.Segments[0].EraContribution-sum) > 1e-6 {
		t.Errorf("inference %v and the segment's part %v, want both the sum of the parts %.6f", r, p.Segments[0].EraContribution, sum)
	}
}
