package book

import (
	"encoding/json"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// exampleSet has a symbol in two eras (TSM), a benchmark, and a segment the
// book does not touch, which must still be listed, at 0%.
var exampleSet = watchlists.Set{Source: "test", Segments: []watchlists.Segment{
	seg("10-gpus.yaml", "GPUs", watchlists.Training, "NVDA", "TSM"),
	seg("20-edge.yaml", "Edge", watchlists.Inference, "TSM", "6758.T", "VOD.L"),
	seg("30-bench.yaml", "Benchmarks", watchlists.Benchmark, "SPY"),
	seg("40-power.yaml", "Power", watchlists.Training, "VST"),
}}

func seg(file, name string, era watchlists.Era, syms ...string) watchlists.Segment {
	s := watchlists.Segment{File: file, Name: name, Era: era}
	for _, sym := range syms {
		s.Symbols = append(s.Symbols, watchlists.Symbol{Symbol: sym, Weight: 1})
	}
	return s
}

func quote(sym string, price, prev float64, cur string) feeds.Quote {
	return feeds.Quote{Symbol: sym, Price: price, PreviousClose: prev, Currency: cur}
}

// exampleFile is the worked example; every figure below can be redone by
// hand from it and exampleQuotes.
const exampleFile = `positions:
  - {symbol: NVDA, quantity: 10, cost: 100, fees: 5, date: 2024-06-01}  # US long
  - {symbol: NVDA, quantity: 5, cost: 125}                              # a second lot
  - {symbol: VOD.L, quantity: 1000, cost: 80, fees: 500}                # pence, fees £5
  - {symbol: 6758.T, quantity: 100, cost: 3000}                         # yen
  - {symbol: SPY, quantity: -2, cost: 500, fees: 1}                     # a short
  - {symbol: TSM, quantity: 20, cost: 140}                              # training and inference
  - {symbol: PLTR, quantity: 5, cost: 80}                               # in no segment
`

var exampleQuotes = map[string]feeds.Quote{
	"NVDA":   quote("NVDA", 120, 118, "USD"),
	"VOD.L":  quote("VOD.L", 72, 70, "GBp"),
	"GBP=X":  quote("GBP=X", 0.8, 0.8, "GBP"), // £0.80 per dollar
	"6758.T": quote("6758.T", 3300, 3285, "JPY"),
	"JPY=X":  quote("JPY=X", 150, 149, "JPY"), // ¥150 per dollar
	"SPY":    quote("SPY", 550, 545, "USD"),
	"TSM":    quote("TSM", 175, 170, "USD"),
	"PLTR":   quote("PLTR", 100, 98, ""), // no currency: market.ForSymbol says USD
}

func near(o Opt, want float64) bool { return o.Valid && math.Abs(o.Value-want) < 1e-9 }

// TestValueWorkedExample. Per lot (local currency, then USD):
//
//	NVDA   10×120=1200; pnl 10×(120−100)−5=195 (19.5% of 1000); day 10×2=20
//	NVDA    5×120=600;  pnl 5×(120−125)=−25 (−4% of 625);        day 5×2=10
//	VOD.L  1000×72=72000p = $900 at 0.8×100; pnl 1000×(72−80)−500=−8500p = −$106.25
//	       (−10.625% of 80000p); day 1000×2=2000p = $25
//	6758.T 100×3300=¥330000 = $2200 at 150; pnl ¥30000 = $200 (10%); day ¥1500 = $10
//	SPY    −2×550=−1100; pnl −2×(550−500)−1=−101 (−10.1% of 1000); day −2×5=−10
//	TSM    20×175=3500; pnl 700 (25% of 2800); day 100; half training, half inference
//	PLTR   5×100=500; pnl 100 (25%); day 10; unclassified
//
// gross = 1200+600+900+2200+1100+3500+500 = 10000, net 7800, pnl 962.75, day 165.
// training = NVDA 1800 + TSM 1750 = 35.5%; inference = TSM 1750 + 2200 + 900 =
// 48.5%; benchmark = −1100 = −11%; unclassified = 5%. They sum to net/gross.
func TestValueWorkedExample(t *testing.T) {
	h, fe := Parse("h.yaml", []byte(exampleFile))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	b := Value(h, exampleSet, exampleQuotes, nil)
	want := []struct {
		sym, cur, era                 string
		price, value, valueUSD        float64
		pnl, pnlUSD, pnlPct, day, dUS float64
		weight                        float64
		segs                          string
	}{
		{"NVDA", "USD", "training", 120, 1200, 1200, 195, 195, 19.5, 20, 20, 12, "10-gpus.yaml"},
		{"NVDA", "USD", "training", 120, 600, 600, -25, -25, -4, 10, 10, 6, "10-gpus.yaml"},
		{"VOD.L", "GBp", "inference", 72, 72000, 900, -8500, -106.25, -10.625, 2000, 25, 9, "20-edge.yaml"},
		{"6758.T", "JPY", "inference", 3300, 330000, 2200, 30000, 200, 10, 1500, 10, 22, "20-edge.yaml"},
		{"SPY", "USD", "benchmark", 550, -1100, -1100, -101, -101, -10.1, -10, -10, -11, "30-bench.yaml"},
		{"TSM", "USD", "mixed", 175, 3500, 3500, 700, 700, 25, 100, 100, 35, "10-gpus.yaml,20-edge.yaml"},
		{"PLTR", "USD", "unclassified", 100, 500, 500, 100, 100, 25, 10, 10, 5, ""},
	}
	if len(b.Positions) != len(want) || b.Priced != 7 || b.Total != 7 {
		t.Fatalf("%d positions, priced %d of %d", len(b.Positions), b.Priced, b.Total)
	}
	for i, w := range want {
		p := b.Positions[i]
		got := []Opt{p.Price, p.Value, p.ValueUSD, p.PnL, p.PnLUSD, p.PnLPercent, p.DayChange, p.DayChangeUSD, p.Weight}
		exp := []float64{w.price, w.value, w.valueUSD, w.pnl, w.pnlUSD, w.pnlPct, w.day, w.dUS, w.weight}
		names := []string{"price", "value", "valueUSD", "pnl", "pnlUSD", "pnlPercent", "dayChange", "dayChangeUSD", "weight"}
		for k := range got {
			if !near(got[k], exp[k]) {
				t.Errorf("%s (lot %d) %s = %+v, want %v", w.sym, i, names[k], got[k], exp[k])
			}
		}
		if p.Symbol != w.sym || p.Currency != w.cur || string(p.Era) != w.era ||
			strings.Join(p.Segments, ",") != w.segs || strings.Join(p.Flags, ";") != undatedFlag(p) || p.Lot != h.Lots[i] {
			t.Errorf("lot %d = %s %s era %s segs %v flags %v", i, p.Symbol, p.Currency, p.Era, p.Segments, p.Flags)
		}
	}
	if d := b.Positions[0].Date; d == nil || *d != "2024-06-01" || b.Positions[1].Date != nil {
		t.Errorf("dates %v, %v", b.Positions[0].Date, b.Positions[1].Date)
	}
	for name, c := range map[string]struct {
		got  Opt
		want float64
	}{
		"totalValueUSD": {b.TotalValueUSD, 7800}, "pnlUSD": {b.PnLUSD, 962.75}, "dayChangeUSD": {b.DayChangeUSD, 165},
		"gross": {b.GrossUSD, 10000}, "training": {b.Exposure.Training, 35.5}, "inference": {b.Exposure.Inference, 48.5},
		"benchmark": {b.Exposure.Benchmark, -11}, "unclassified": {b.Exposure.Unclassified, 5},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %+v, want %v", name, c.got, c.want)
		}
	}
	segs := []struct {
		file, name, era string
		pct, usd        float64
	}{
		{"10-gpus.yaml", "GPUs", "training", 35.5, 3550},
		{"20-edge.yaml", "Edge", "inference", 48.5, 4850},
		{"30-bench.yaml", "Benchmarks", "benchmark", -11, -1100},
		{"40-power.yaml", "Power", "training", 0, 0},
	}
	if len(b.ExposureBySegment) != len(segs) {
		t.Fatalf("exposureBySegment = %+v", b.ExposureBySegment)
	}
	for i, w := range segs {
		e := b.ExposureBySegment[i]
		if e.File != w.file || e.Name != w.name || string(e.Era) != w.era || !near(e.Percent, w.pct) || !near(e.ValueUSD, w.usd) {
			t.Errorf("segment %d = %+v, want %+v", i, e, w)
		}
	}
	// 35.5 and 48.5 round half away from zero; other is −11 + 5.
	if got, want := b.ExposureLine(), "your book: 36% training, 49% inference, -6% other"; got != want {
		t.Errorf("ExposureLine = %q, want %q", got, want)
	}
	if got := strings.Join(Unlisted(h, exampleSet), ","); got != "PLTR" {
		t.Errorf("Unlisted = %s, want PLTR", got)
	}
}

// TestValueLongOnlySumsTo100: with no short, the eras cover the whole book,
// and a symbol in two segments is not counted twice.
func TestValueLongOnlySumsTo100(t *testing.T) {
	h := Holdings{Lots: []Lot{{Symbol: "TSM", Quantity: 1, Cost: 1}, {Symbol: "NVDA", Quantity: 3, Cost: 1}, {Symbol: "PLTR", Quantity: 1, Cost: 1}}}
	q := map[string]feeds.Quote{"TSM": quote("TSM", 100, 100, "USD"), "NVDA": quote("NVDA", 100, 100, "USD"), "PLTR": quote("PLTR", 100, 100, "USD")}
	b := Value(h, exampleSet, q, nil)
	e := b.Exposure
	if sum := e.Training.Value + e.Inference.Value + e.Benchmark.Value + e.Unclassified.Value; math.Abs(sum-100) > 1e-9 {
		t.Errorf("eras sum to %v, want 100", sum)
	}
	// TSM $100: $50 each way; NVDA $300 training; PLTR $100 unclassified; gross $500.
	if !near(e.Training, 70) || !near(e.Inference, 10) || !near(e.Unclassified, 20) || !near(e.Benchmark, 0) {
		t.Errorf("exposure %+v", e)
	}
	if got := b.ExposureLine(); got != "your book: 70% training, 10% inference, 20% other" {
		t.Errorf("ExposureLine = %q", got)
	}
}

// keys returns the sorted keys of a JSON object.
func keys(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// TestJSONFieldNames pins the JSON contract: other programs read these
// names, so a rename here is a breaking change, not a refactor.
func TestJSONFieldNames(t *testing.T) {
	h, fe := Parse("h.yaml", []byte(exampleFile+"  - {symbol: AMD, quantity: 1, cost: 1}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	data, err := json.Marshal(Value(h, exampleSet, exampleQuotes, nil))
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Positions         []json.RawMessage `json:"positions"`
		Exposure          json.RawMessage   `json:"exposure"`
		ExposureBySegment []json.RawMessage `json:"exposureBySegment"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	checks := []struct{ what, got, want string }{
		{"book", keys(t, data), "dayChangeUSD,exposure,exposureBySegment,fxPnlUSD,pnlUSD,positions,priced,total,totalValueUSD"},
		{"position", keys(t, b.Positions[0]), "cost,costUSD,currency,date,dayChange,dayChangeUSD,era,fees,feesUSD,flags,fxPnlUSD,pnl,pnlPercent,pnlUSD,price,quantity,segments,symbol,value,valueUSD,weight"},
		{"exposure", keys(t, b.Exposure), "benchmark,inference,training,unclassified"},
		{"segment", keys(t, b.ExposureBySegment[0]), "era,file,name,percent,valueUSD"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s keys = %s\nwant %s", c.what, c.got, c.want)
		}
	}
	// Unknown is null, never 0; empty lists are [], never null.
	for _, frag := range []string{
		`"date":"2024-06-01"`, `"date":null`, `"flags":[]`, `"segments":[]`, `"era":"mixed"`, `"era":"unclassified"`,
		`"symbol":"AMD","quantity":1,"cost":1,"fees":0,"date":null,"currency":"USD","price":null,"value":null,"valueUSD":null,"pnl":null,"pnlUSD":null,"pnlPercent":null,"dayChange":null,"dayChangeUSD":null,"weight":null,"era":"unclassified","segments":[],"flags":["no quote for AMD"]`,
		`"exposure":{"training":35.5,"inference":48.5,"benchmark":-11,"unclassified":5}`,
		`{"file":"40-power.yaml","name":"Power","era":"training","percent":0,"valueUSD":0}`,
		`"totalValueUSD":7800,"pnlUSD":962.75,"dayChangeUSD":165`, `"priced":7,"total":8`,
	} {
		if !strings.Contains(string(data), frag) {
			t.Errorf("JSON lacks %s\n%s", frag, data)
		}
	}
	empty, _ := json.Marshal(Value(Holdings{}, watchlists.Set{}, nil, nil))
	if want := `{"positions":[],"totalValueUSD":null,"pnlUSD":null,"dayChangeUSD":null,"exposure":{"training":null,"inference":null,"benchmark":null,"unclassified":null},"exposureBySegment":[],"priced":0,"total":0,"fxPnlUSD":null}`; string(empty) != want {
		t.Errorf("empty book = %s\nwant %s", empty, want)
	}
}

// TestPositionJSONRoundsToWhatEachFigureMeans: the price to its quote's
// decimals, amounts to the cent (of pence for a GBp line), percents to 6
// decimals; the figures themselves keep full precision.
func TestPositionJSONRoundsToWhatEachFigureMeans(t *testing.T) {
	h, fe := Parse("h.yaml", []byte("positions:\n  - {symbol: VOD.L, quantity: 333, cost: 71.37}\n  - {symbol: EURUSD=X, quantity: 1000, cost: 1.0712}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	quotes := map[string]feeds.Quote{"VOD.L": quote("VOD.L", 72.46, 71.1, "GBp"), "GBP=X": quote("GBP=X", 0.7913, 0.79, "GBP"),
		"EURUSD=X": quote("EURUSD=X", 1.08345, 1.0821, "USD")}
	b := Value(h, exampleSet, quotes, nil)
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		// 333 × 72.46 = 24129.18p; / 79.13 = $304.93; pnl 333 × 1.09 = 362.97p = $4.59, 1.527252% of 23766.21p.
		`"price":72.46,"value":24129.18,"valueUSD":304.93,"pnl":362.97,"pnlUSD":4.59,"pnlPercent":1.527252,`,
		// 1000 × 1.08345 = $1083.45; pnl $12.25 (1.143577%); day 1000 × 0.00135 = $1.35.
		`"price":1.08345,"value":1083.45,"valueUSD":1083.45,"pnl":12.25,"pnlUSD":12.25,"pnlPercent":1.143577,"dayChange":1.35,"dayChangeUSD":1.35,`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("book JSON lacks %s:\n%s", want, data)
		}
	}
	if v := b.Positions[0].ValueUSD.Value; v == 304.93 {
		t.Errorf("valueUSD %v was rounded, not only its JSON", v)
	}
}

// undatedFlag is the flag a worked-example lot carries: one in a foreign
// currency without a date has its cost at today's rate.
func undatedFlag(p Position) string {
	if p.Date == nil && p.Currency != "USD" {
		return "undated: cost at today's rate"
	}
	return ""
}

// A dated lot's cost converts at its pair's close of that date (or the
// last before it), so the dollar P&L holds the currency's move, and
// fxPnlUSD is that part. Worked: VOD.L 1,000 at 80p (fees 500p) bought on
// 2024-06-03 when GBP=X closed at 0.78, now 72p at 0.80: value $900; cost
// 80,000 / 78 = $1,025.64, fees $6.41; pnlUSD = 900 - 1,025.64 - 6.41 =
// -$132.05, of which the local P&L at today's rate is -8,500 / 80 =
// -$106.25 and the currency's part -$25.80.
func TestDatedLotCostAtItsDatesRate(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 6, d, 0, 0, 0, 0, time.UTC) }
	rates := Rates{"GBP=X": {Symbol: "GBP=X", Range: feeds.RangeDaily,
		Times: []time.Time{day(3).AddDate(0, 0, -3), day(3), day(4)}, Closes: []float64{0.79, 0.78, 0.77}}}
	quotes := map[string]feeds.Quote{"VOD.L": quote("VOD.L", 72, 70, "GBp"), "GBP=X": quote("GBP=X", 0.80, 0.80, "GBP")}
	lot := func(d time.Time) Lot { return Lot{Symbol: "VOD.L", Quantity: 1000, Cost: 80, Fees: 500, Date: d} }
	for _, tc := range []struct {
		name                string
		date                time.Time
		cost, fees, pnl, fx float64
		fxKnown             bool
		flag                string
	}{
		{"on a trading day", day(3), 80000.0 / 78, 500.0 / 78, 900 - 80500.0/78, 900 - 80500.0/78 + 106.25, true, ""},
		{"on a Sunday: Friday's close", day(2), 80000.0 / 79, 500.0 / 79, 900 - 80500.0/79, 900 - 80500.0/79 + 106.25, true, ""},
		{"before the pair's history", day(1).AddDate(0, -1, 0), 1000, 6.25, -106.25, 0, false, "no GBP=X close on or before 2024-05-01: cost at today's rate"},
		{"undated", time.Time{}, 1000, 6.25, -106.25, 0, false, "undated: cost at today's rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := Value(Holdings{Lots: []Lot{lot(tc.date)}}, exampleSet, quotes, rates)
			p := b.Positions[0]
			for _, c := range []struct {
				what string
				got  Opt
				want float64
			}{{"valueUSD", p.ValueUSD, 900}, {"costUSD", p.CostUSD, tc.cost}, {"feesUSD", p.FeesUSD, tc.fees}, {"pnlUSD", p.PnLUSD, tc.pnl}} {
				if !c.got.Valid || math.Abs(c.got.Value-c.want) > 1e-9 {
					t.Errorf("%s = %+v, want %v", c.what, c.got, c.want)
				}
			}
			if p.FXPnLUSD.Valid != tc.fxKnown || tc.fxKnown && math.Abs(p.FXPnLUSD.Value-tc.fx) > 1e-9 {
				t.Errorf("fxPnlUSD = %+v, want %v (known %v)", p.FXPnLUSD, tc.fx, tc.fxKnown)
			}
			if got := strings.Join(p.Flags, ";"); got != tc.flag {
				t.Errorf("flags %q, want %q", got, tc.flag)
			}
			if b.FXPnLUSD.Valid != tc.fxKnown {
				t.Errorf("the book's fxPnlUSD = %+v, want known %v", b.FXPnLUSD, tc.fxKnown)
			}
		})
	}
}

// RatesFrom puts a pair's long history before its daily one, and holds
// the pairs alone.
func TestRatesFrom(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	daily := map[string]feeds.Series{"GBP=X": {Symbol: "GBP=X", Times: []time.Time{d(2025, 1, 2), d(2025, 1, 3)}, Closes: []float64{0.80, 0.81}},
		"NVDA": {Symbol: "NVDA", Times: []time.Time{d(2025, 1, 2)}, Closes: []float64{100}}}
	long := map[string]feeds.Series{"AVGO": {Symbol: "AVGO", Times: []time.Time{d(2019, 5, 1)}, Closes: []float64{20}}, "GBP=X": {Symbol: "GBP=X", Times: []time.Time{d(2019, 5, 1), d(2025, 1, 2), d(2025, 1, 3)}, Closes: []float64{0.77, 0.79, 0.79}},
		"JPY=X": {Symbol: "JPY=X", Times: []time.Time{d(2019, 5, 1)}, Closes: []float64{110}}}
	r := RatesFrom(daily, long)
	if _, ok := r["NVDA"]; ok || len(r) != 2 {
		t.Errorf("rates for %v, want GBP=X and JPY=X only", r)
	}
	for _, c := range []struct {
		pair string
		day  time.Time
		want float64
	}{{"GBP=X", d(2019, 6, 1), 0.77}, {"GBP=X", d(2025, 1, 2), 0.80}, {"GBP=X", d(2025, 2, 1), 0.81}, {"JPY=X", d(2020, 1, 1), 110}} {
		if got, _, ok := r.on(c.pair, c.day); !ok || got != c.want {
			t.Errorf("%s on %s = %v (%v), want %v", c.pair, c.day.Format(time.DateOnly), got, ok, c.want)
		}
	}
}
