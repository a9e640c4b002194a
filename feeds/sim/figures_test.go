package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// figureSymbols spans every kind: the defaults (stocks and funds), an
// unknown London line in pence, an index, FX and an unknown US symbol.
func figureSymbols() []string {
	return append(watchlists.Defaults().Symbols(), "ARM.L", "^GSPC", "JPY=X", "EURUSD=X", "ZZZZ", "7203.T", "2330.TW")
}

func TestFiguresByKind(t *testing.T) {
	now := at("2026-11-20T15:02:37Z")
	f := New(Options{Seed: 3, Clock: fixed(now)})
	qs, _ := f.Quotes(ctx, figureSymbols())
	for _, q := range qs {
		p := f.profile(q.Symbol)
		hasRange := q.AverageVolume3Month != nil && q.AverageVolume10Day != nil && q.FiftyTwoWeekHigh != nil && q.FiftyTwoWeekLow != nil
		hasShares := q.SharesOutstanding != nil && q.MarketCap != nil && q.FinancialCurrency != ""
		hasEarnings := q.EarningsTime != nil && q.EarningsStart != nil && q.EarningsEnd != nil
		hasPE := q.TrailingPE != nil && q.ForwardPE != nil
		want := [4]bool{p.kind != fx, p.kind == equity, p.hasEarnings(), p.hasEarnings() && p.pe > 0}
		if got := [4]bool{hasRange, hasShares, hasEarnings, hasPE}; got != want {
			t.Errorf("%s: range/shares/earnings/PE present %v, want %v", q.Symbol, got, want)
			continue
		}
		if p.kind == fx && (q.Volume != 0 || q.FinancialCurrency != "" || q.TrailingPE != nil) {
			t.Errorf("%s: FX with figures %+v", q.Symbol, q)
		}
		if hasRange && !(*q.FiftyTwoWeekLow > 0 && *q.FiftyTwoWeekLow <= q.Price && q.Price <= *q.FiftyTwoWeekHigh) {
			t.Errorf("%s: price %v outside its 52-week range %v-%v", q.Symbol, q.Price, *q.FiftyTwoWeekLow, *q.FiftyTwoWeekHigh)
		}
		if hasRange && !(*q.AverageVolume3Month > 0 && *q.AverageVolume10Day > 0) {
			t.Errorf("%s: average volumes %v, %v", q.Symbol, *q.AverageVolume3Month, *q.AverageVolume10Day)
		}
		if hasShares {
			cap := math.Round(*q.SharesOutstanding * q.Price)
			if q.Currency == "GBp" {
				cap = math.Round(*q.SharesOutstanding * q.Price / 100)
			}
			if *q.MarketCap != cap || *q.SharesOutstanding < 1e5 {
				t.Errorf("%s: market cap %v, shares %v x price %v %s = %v", q.Symbol, *q.MarketCap, *q.SharesOutstanding, q.Price, q.Currency, cap)
			}
			if usd := *q.MarketCap / perUSD(q.Currency) * map[bool]float64{true: 100, false: 1}[q.Currency == "GBp"]; usd < 1e8 || usd > 2e13 {
				t.Errorf("%s: market cap of $%.3g", q.Symbol, usd)
			}
		}
		if hasEarnings {
			e, s, x := *q.EarningsTime, *q.EarningsStart, *q.EarningsEnd
			if s.After(e) || e.After(x) || e.Before(now.AddDate(0, 0, -5)) || e.After(now.AddDate(0, 0, 100)) {
				t.Errorf("%s: earnings %s in %s..%s at %s", q.Symbol, e, s, x, now)
			}
		}
		if hasPE && !(*q.TrailingPE >= 1 && *q.TrailingPE < 2000 && *q.ForwardPE >= 1 && *q.ForwardPE < 2000) {
			t.Errorf("%s: P/E %v trailing, %v forward", q.Symbol, *q.TrailingPE, *q.ForwardPE)
		}
	}
}

func TestFinancialCurrency(t *testing.T) {
	want := map[string]string{"NVDA": "USD", "7203.T": "JPY", "000660.KS": "KRW", "2330.TW": "TWD", "ASML.AS": "EUR",
		"ARM.L": "GBP", "VWS.CO": "DKK", "TSM": "TWD", "ASML": "EUR", "SPY": "USD", "^GSPC": "", "KRW=X": ""}
	f := New(Options{Seed: 1, Clock: fixed(at("2026-11-20T15:00:00Z"))})
	for sym, cur := range want {
		if q, _ := f.Quotes(ctx, []string{sym}); q[0].FinancialCurrency != cur {
			t.Errorf("%s: financial currency %q, want %q", sym, q[0].FinancialCurrency, cur)
		}
	}
}

// TestSharesAreConstant: shares outstanding depend on the symbol only.
func TestSharesAreConstant(t *testing.T) {
	shares := func(seed int64, when string) float64 {
		q, _ := New(Options{Seed: seed, Clock: fixed(at(when))}).Quotes(ctx, []string{"NVDA"})
		return *q[0].SharesOutstanding
	}
	if a, b, c := shares(1, "2026-11-20T15:00:00Z"), shares(2, "2026-11-20T15:00:00Z"), shares(1, "2025-03-03T15:00:00Z"); a != b || a != c {
		t.Errorf("NVDA shares %v, %v (other seed), %v (other day)", a, b, c)
	}
}

// TestFiftyTwoWeekRangeMatchesSeries: the range is the extreme daily closes
// the 1Y series shows over the last 52 weeks, the live price included.
func TestFiftyTwoWeekRangeMatchesSeries(t *testing.T) {
	for _, when := range []string{"2026-11-20T15:02:37Z", "2026-11-21T12:00:00Z", "2026-03-09T03:00:00Z"} {
		now := at(when)
		f := New(Options{Seed: 5, Clock: fixed(now)})
		for _, sym := range []string{"NVDA", "SPY", "000660.KS", "7203.T", "ARM.L", "^GSPC"} {
			q, _ := f.Quotes(ctx, []string{sym})
			s, _ := f.Series(ctx, sym, feeds.Range1Y)
			last, _, _ := s.Last()
			hi, lo := math.Inf(-1), math.Inf(1)
			for i, c := range s.Closes {
				if s.Times[i].After(last.Add(-week52*24*time.Hour - 12*time.Hour)) {
					hi, lo = math.Max(hi, c), math.Min(lo, c)
				}
			}
			if *q[0].FiftyTwoWeekHigh != hi || *q[0].FiftyTwoWeekLow != lo {
				t.Errorf("%s at %s: 52-week range %v-%v, series says %v-%v", sym, when, *q[0].FiftyTwoWeekLow, *q[0].FiftyTwoWeekHigh, lo, hi)
			}
		}
	}
}

// TestAverageVolumesMatchDailyTotals: the averages are the means of the
// volumes the sim reports at the close of each of the sessions before.
func TestAverageVolumesMatchDailyTotals(t *testing.T) {
	now := at("2026-11-20T15:02:37Z")
	clock := now
	f := New(Options{Seed: 6, Clock: func() time.Time { return clock }})
	for _, sym := range []string{"NVDA", "7203.T", "^GSPC"} {
		clock = now
		s, _ := f.Series(ctx, sym, feeds.Range1Y)
		q, _ := f.Quotes(ctx, []string{sym})
		var totals []float64
		cal := f.profile(sym).cal // daily series carry no Periods: the calendar has the closes
		for i := len(s.Times) - 2; i >= len(s.Times)-1-sessions3M; i-- {
			clock = cal.at(cal.from(s.Times[i])).closeTime().Add(time.Minute)
			done, _ := f.Quotes(ctx, []string{sym})
			totals = append(totals, float64(done[0].Volume))
		}
		mean := func(xs []float64) float64 {
			sum := 0.0
			for _, x := range xs {
				sum += x
			}
			return sum / float64(len(xs))
		}
		if a, b := *q[0].AverageVolume10Day, mean(totals[:sessions10D]); math.Abs(a-b) > 2 {
			t.Errorf("%s: 10-day average %v, the last 10 closing volumes average %v", sym, a, b)
		}
		if a, b := *q[0].AverageVolume3Month, mean(totals); math.Abs(a-b) > 2 {
			t.Errorf("%s: 3-month average %v, the last 63 closing volumes average %v", sym, a, b)
		}
	}
}

// TestVolumeSpikes: a few sessions a year trade several times the usual.
func TestVolumeSpikes(t *testing.T) {
	f := New(Options{Seed: 8, Clock: fixed(at("2026-11-21T12:00:00Z"))})
	spikes, days := 0, 0
	for i := 0; i < 10; i++ {
		p := f.profile(fmt.Sprintf("V%d", i))
		var vols []float64
		for n := dayNumber(2025, 11, 21); n < dayNumber(2026, 11, 21); n++ {
			if _, ok := p.cal.find(n); ok {
				vols = append(vols, p.dailyVolume(8, n, false))
			}
		}
		sorted := append([]float64(nil), vols...)
		sort.Float64s(sorted)
		for _, v := range vols {
			if v > 3*sorted[len(sorted)/2] {
				spikes++
			}
		}
		days += len(vols)
	}
	if share := float64(spikes) / float64(days); share < 0.01 || share > 0.06 {
		t.Errorf("%.1f%% of sessions trade over 3x the median volume, want a few (1-6%%)", 100*share)
	}
}

// TestIntradayVolumeProfile: volume accrues fastest at the open and close,
// never runs backwards, and starts from zero.
func TestIntradayVolumeProfile(t *testing.T) {
	open := at("2026-11-19T14:30:00Z") // Thursday, 09:30 New York
	var first, midday float64
	for i := 0; i < 10; i++ {
		sym := fmt.Sprintf("P%d", i)
		vol := func(d time.Duration) float64 {
			q, _ := New(Options{Seed: 4, Clock: fixed(open.Add(d))}).Quotes(ctx, []string{sym})
			return float64(q[0].Volume)
		}
		v0, v30, v180, v210, v390 := vol(time.Second), vol(30*time.Minute), vol(180*time.Minute), vol(210*time.Minute), vol(390*time.Minute)
		if !(v0 < v30 && v30 < v180 && v180 < v210 && v210 < v390) || v0 > v390/1000 {
			t.Errorf("%s: volume through the day %v %v %v %v %v", sym, v0, v30, v180, v210, v390)
		}
		first, midday = first+v30-v0, midday+v210-v180
	}
	if first < 2.5*midday {
		t.Errorf("first half hour trades %.2fx a midday half hour, want a U-shape (>2.5x)", first/midday)
	}
}

// TestEarningsSchedule: four reports a year per symbol, on its exchange's
// trading days, each shown until its session has traded on it; the window
// narrows to the date four weeks ahead.
func TestEarningsSchedule(t *testing.T) {
	for _, sym := range []string{"NVDA", "000660.KS", "ASML.AS", "ZZZZ"} {
		var dates []time.Time
		for now := at("2025-01-01T12:00:00Z"); now.Before(at("2027-01-01T12:00:00Z")); now = now.Add(3 * 24 * time.Hour) {
			f := New(Options{Seed: 2, Clock: fixed(now)})
			q, _ := f.Quotes(ctx, []string{sym})
			e, s, x := *q[0].EarningsTime, *q[0].EarningsStart, *q[0].EarningsEnd
			confirmed := e.Sub(now) < confirmAhead-4*24*time.Hour
			if confirmed && (!s.Equal(e) || !x.Equal(e)) || e.Sub(now) > confirmAhead+4*24*time.Hour && x.Sub(s) != 7*24*time.Hour {
				t.Errorf("%s at %s: earnings %s, window %s..%s", sym, now, e, s, x)
			}
			if e.Before(now.Add(-4 * 24 * time.Hour)) {
				t.Errorf("%s at %s: earnings %s long past", sym, now, e)
			}
			if len(dates) == 0 || !dates[len(dates)-1].Equal(e) {
				dates = append(dates, e)
			}
		}
		if len(dates) < 8 || len(dates) > 9 {
			t.Errorf("%s: %d reports in two years: %v", sym, len(dates), dates)
		}
		for i := 1; i < len(dates); i++ {
			if gap := dates[i].Sub(dates[i-1]).Hours() / 24; gap < 60 || gap > 125 {
				t.Errorf("%s: %.0f days between reports %s and %s", sym, gap, dates[i-1], dates[i])
			}
		}
	}
}

// TestTrailingEarningsStepAtReports: the earnings behind the trailing P/E
// hold still between reports and change when results come out.
func TestTrailingEarningsStepAtReports(t *testing.T) {
	for _, sym := range []string{"NVDA", "000660.KS", "SU.PA", "6857.T"} {
		eps := func(now time.Time) float64 {
			q, _ := New(Options{Seed: 2, Clock: fixed(now)}).Quotes(ctx, []string{sym})
			return q[0].Price / *q[0].TrailingPE
		}
		q, _ := New(Options{Seed: 2, Clock: fixed(at("2026-06-01T15:00:00Z"))}).Quotes(ctx, []string{sym})
		report := *q[0].EarningsTime
		before, weekBefore := eps(report.Add(-time.Minute)), eps(report.AddDate(0, 0, -7))
		after, later := eps(report.Add(time.Minute)), eps(report.AddDate(0, 0, 6))
		near := func(a, b float64) bool { return math.Abs(a/b-1) < 0.002 } // P/E is rounded to cents
		if !near(before, weekBefore) || !near(after, later) || near(before, after) {
			t.Errorf("%s, reporting at %s: earnings %.4g a week before, %.4g just before, %.4g just after, %.4g days later",
				sym, report, weekBefore, before, after, later)
		}
	}
}
