package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func fixed(t time.Time) feeds.Clock { return func() time.Time { return t } }

var ctx = context.Background()

// mixed covers every calendar: US stock and index, Asia with and without a
// lunch break, Europe, London pence, FX.
var mixed = []string{"NVDA", "AVGO", "^GSPC", "000660.KS", "042700.KQ", "7203.T", "2330.TW", "0700.HK",
	"ASML.AS", "STMPA.PA", "IFX.DE", "ABBN.SW", "NOVO-B.CO", "ARM.L", "KRW=X", "JPY=X", "EUR=X", "GBP=X"}

// allRanges is every range the sim serves: the screen's and the poller's
// two-year daily series.
var allRanges = append(append([]feeds.Range(nil), feeds.Ranges...), feeds.RangeDaily)

// snapshot renders quotes and every range's series as JSON, asking in the
// order given so tests can vary the call history.
func snapshot(t *testing.T, f *Feed, syms []string, seriesFirst bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	quotes := func() {
		qs, err := f.Quotes(ctx, syms)
		if err != nil {
			t.Fatal(err)
		}
		enc.Encode(qs)
	}
	if !seriesFirst {
		quotes()
	}
	for _, sym := range syms {
		for _, r := range allRanges {
			s, err := f.Series(ctx, sym, r)
			if err != nil {
				t.Fatal(err)
			}
			enc.Encode(s)
		}
	}
	if seriesFirst {
		quotes()
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	now := at("2026-11-20T15:02:37Z")
	newFeed := func(seed int64, clock feeds.Clock) *Feed {
		return New(Options{Seed: seed, Clock: clock})
	}
	a := snapshot(t, newFeed(7, fixed(now)), mixed, false)
	if !bytes.Equal(a, snapshot(t, newFeed(7, fixed(now)), mixed, false)) {
		t.Error("two feeds with the same seed and clock differ")
	}
	// A different call history (a warm-up two days earlier, series before
	// quotes) must not change what is seen at now.
	clockAt := now.Add(-50 * time.Hour)
	warmed := newFeed(7, func() time.Time { return clockAt })
	snapshot(t, warmed, mixed[:5], true)
	clockAt = now
	if !bytes.Equal(a, snapshot(t, warmed, mixed, false)) {
		t.Error("same seed and clock, different call history: output differs")
	}
	if bytes.Equal(a, snapshot(t, newFeed(8, fixed(now)), mixed, false)) {
		t.Error("seeds 7 and 8 give identical output")
	}
}

func TestFrozenWhileClosedLiveWhileOpen(t *testing.T) {
	quotes := func(s string, syms []string) []feeds.Quote {
		q, _ := New(Options{Seed: 5, Clock: fixed(at(s))}).Quotes(ctx, syms)
		return q
	}
	equities := []string{"NVDA", "000660.KS", "7203.T", "ASML.AS", "ARM.L", "^GSPC", "KRW=X"}
	sat, sun := quotes("2026-11-21T09:00:00Z", equities), quotes("2026-11-22T20:00:00Z", equities)
	for i := range sat {
		if !reflect.DeepEqual(sat[i], sun[i]) {
			t.Errorf("%s moved over the weekend: %+v then %+v", equities[i], sat[i], sun[i])
		}
	}
	lunch1, lunch2 := quotes("2026-11-20T02:31:00Z", []string{"7203.T"}), quotes("2026-11-20T03:29:00Z", []string{"7203.T"})
	if lunch1[0].Price != lunch2[0].Price {
		t.Errorf("Tokyo moved during lunch: %v then %v", lunch1[0].Price, lunch2[0].Price)
	}
	open1, open2 := quotes("2026-11-20T15:00:00Z", mixed), quotes("2026-11-20T15:05:00Z", mixed)
	moved := 0
	for i := range open1 {
		if open1[i].Price != open2[i].Price && open1[i].MarketState == feeds.Regular {
			moved++
		}
	}
	if moved < 8 { // 12 of mixed trade at 15:00Z; a rounded price may rarely sit still
		t.Errorf("only %d open listings moved over five minutes", moved)
	}
}

func TestExtendedHours(t *testing.T) {
	f := New(Options{Seed: 2, Clock: fixed(at("2026-11-27T10:00:00Z"))})
	q, _ := f.Quotes(ctx, []string{"NVDA", "^GSPC"})
	friday := New(Options{Seed: 2, Clock: fixed(at("2026-11-25T22:00:00Z"))}) // Wednesday after the close
	wq, _ := friday.Quotes(ctx, []string{"NVDA"})
	if q[0].MarketState != feeds.Pre || q[0].PrePrice <= 0 || q[0].Price != wq[0].Price {
		t.Errorf("pre-market NVDA = %+v; want PRE, a pre price, and Price = Wednesday's close %v", q[0], wq[0].Price)
	}
	if math.Abs(q[0].PrePrice/q[0].Price-1) > 0.1 {
		t.Errorf("pre-market price %v strays more than 10%% from %v", q[0].PrePrice, q[0].Price)
	}
	if q[1].PrePrice != 0 {
		t.Errorf("an index got a pre-market price: %+v", q[1])
	}
	post, _ := New(Options{Seed: 2, Clock: fixed(at("2026-11-27T19:00:00Z"))}).Quotes(ctx, []string{"NVDA"})
	if post[0].MarketState != feeds.Post || post[0].PostPrice <= 0 || post[0].PrePrice != 0 {
		t.Errorf("post-market NVDA = %+v", post[0])
	}
}

func TestPlausibleLevels(t *testing.T) {
	f := New(Options{Seed: 11, Clock: fixed(at("2026-11-20T15:00:00Z"))})
	bounds := map[string][2]float64{
		"000660.KS": {5000, 2e6}, "7203.T": {200, 1e5}, "2330.TW": {20, 1e4}, "NVDA": {2, 5000}, "^GSPC": {300, 1e5},
		"KRW=X": {1200, 1600}, "JPY=X": {130, 170}, "TWD=X": {28, 36}, "EUR=X": {0.8, 1.04}, "GBP=X": {0.69, 0.89},
		"CHF=X": {0.77, 0.99}, "DKK=X": {6.1, 7.7}, "HKD=X": {6.9, 8.7},
	}
	for sym, b := range bounds {
		q, _ := f.Quotes(ctx, []string{sym})
		want := market.ForSymbol(sym)
		if p := q[0].Price; p < b[0] || p > b[1] {
			t.Errorf("%s = %v, outside a plausible %v-%v", sym, p, b[0], b[1])
		}
		if strings.HasSuffix(sym, "=X") {
			want.TZ = "Europe/London" // as Yahoo reports its pairs
		}
		if q[0].Currency != want.Currency || q[0].ExchangeTZ != want.TZ || q[0].Exchange != want.Name {
			t.Errorf("%s: currency/tz/exchange %s %s %s, want %s %s %s", sym, q[0].Currency, q[0].ExchangeTZ, q[0].Exchange, want.Currency, want.TZ, want.Name)
		}
	}
}

func TestDailyVolatility(t *testing.T) {
	f := New(Options{Seed: 4, Clock: fixed(at("2026-11-21T12:00:00Z"))})
	for i := 0; i < 20; i++ {
		sym := fmt.Sprintf("S%02d", i)
		s, _ := f.Series(ctx, sym, feeds.Range1Y)
		var sum, sum2 float64
		for j := 1; j < s.Len(); j++ {
			r := math.Log(s.Closes[j] / s.Closes[j-1])
			sum += r
			sum2 += r * r
		}
		n := float64(s.Len() - 1)
		if sd := math.Sqrt(sum2/n - sq(sum/n)); sd < 0.008 || sd > 0.045 {
			t.Errorf("%s: daily volatility %.4f outside 1-4%% (with sampling slack)", sym, sd)
		}
	}
}

// TestIntradayUShape: 5-minute moves are larger near the open and close than at midday.
func TestIntradayUShape(t *testing.T) {
	var edge, mid float64
	var nEdge, nMid int
	for d := 0; d < 20; d++ {
		now := at("2026-10-01T21:00:00Z").AddDate(0, 0, d)
		f := New(Options{Seed: 9, Clock: fixed(now)})
		for i := 0; i < 10; i++ {
			s, _ := f.Series(ctx, fmt.Sprintf("U%d", i), feeds.Range1D)
			for j := 1; j < s.Len(); j++ {
				r := sq(math.Log(s.Closes[j] / s.Closes[j-1]))
				if j < 8 || j > s.Len()-8 {
					edge, nEdge = edge+r, nEdge+1
				} else if j > 30 && j < s.Len()-30 {
					mid, nMid = mid+r, nMid+1
				}
			}
		}
	}
	if ratio := (edge / float64(nEdge)) / (mid / float64(nMid)); ratio < 2 {
		t.Errorf("variance near open/close is %.2fx midday's, want a clear U-shape (>2x)", ratio)
	}
}

// eraMembers returns n symbols of the universe's era e, funds aside, in
// symbol order.
func eraMembers(e watchlists.Era, n int) []string {
	var out []string
	for sym, l := range universe {
		if l.era == e && !l.fund {
			out = append(out, sym)
		}
	}
	sort.Strings(out)
	return out[:n]
}

// eraSpread is the mean log return of inference names minus training names
// over [from, to] for one seed.
func eraSpread(t *testing.T, seed int64, from, to time.Time) float64 {
	ret := func(sym string) float64 {
		price := func(at time.Time) float64 {
			q, _ := New(Options{Seed: seed, Clock: fixed(at)}).Quotes(ctx, []string{sym})
			return q[0].Price
		}
		return math.Log(price(to) / price(from))
	}
	inference, training := eraMembers(watchlists.Inference, 10), eraMembers(watchlists.Training, 10)
	var spread float64
	for i := 0; i < 10; i++ {
		spread += (ret(inference[i]) - ret(training[i])) / 10
	}
	return spread
}

func TestEraDriftSign(t *testing.T) {
	check := func(name string, from, to time.Time, wantPositive bool) {
		var mean float64
		agree := 0
		for seed := int64(1); seed <= 20; seed++ {
			s := eraSpread(t, seed, from, to)
			mean += s / 20
			if (s > 0) == wantPositive {
				agree++
			}
		}
		if (mean > 0) != wantPositive || agree < 16 {
			t.Errorf("%s: mean inference-minus-training log return %.3f, %d/20 seeds with the expected sign", name, mean, agree)
		}
	}
	check("last 12 months", at("2025-11-21T12:00:00Z"), at("2026-11-21T12:00:00Z"), true)
	check("before the rotation", at("2024-01-06T12:00:00Z"), at("2024-12-28T12:00:00Z"), false)
}

func TestNamesAndUnknownSymbols(t *testing.T) {
	f := New(Options{Seed: 1, Clock: fixed(at("2026-11-20T15:00:00Z"))})
	q, _ := f.Quotes(ctx, []string{"NVDA", "ZZZZ", "", "NEWCO.AS", "000660.KS"})
	if len(q) != 4 || q[0].Name != "NVIDIA" || q[1].Name != "ZZZZ (simulated)" || q[2].Currency != "EUR" || q[3].Name != "SK Hynix" {
		t.Fatalf("quotes = %+v", q)
	}
	if _, err := f.Series(ctx, "NVDA", "7Y"); err == nil || !strings.Contains(err.Error(), "7Y") {
		t.Errorf("unknown range error = %v", err)
	}
}

func TestHealthSaysSimulated(t *testing.T) {
	h := New(Options{Seed: 42, Clock: fixed(at("2026-11-20T15:00:00Z"))}).Health()
	if h.State != feeds.StateSimulated || !h.Simulated || !strings.Contains(h.Detail, "SIMULATED") || !strings.Contains(h.Detail, "42") {
		t.Errorf("Health = %+v", h)
	}
}

// TestConcurrentUse: quotes and series may be asked for from two
// goroutines at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	f := New(Options{Seed: 1, Clock: fixed(at("2026-11-20T15:00:00Z"))})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			if _, err := f.Series(ctx, mixed[i%len(mixed)], allRanges[i%len(allRanges)]); err != nil {
				t.Error(err)
			}
		}
	}()
	for i := 0; i < 50; i++ {
		if _, err := f.Quotes(ctx, mixed); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestDefaultSeed(t *testing.T) {
	a, b := DefaultSeed(at("2026-11-20T01:00:00Z")), DefaultSeed(at("2026-11-20T23:00:00Z"))
	if a != b || a == DefaultSeed(at("2026-11-21T01:00:00Z")) {
		t.Errorf("DefaultSeed: same day %d, %d; next day %d", a, b, DefaultSeed(at("2026-11-21T01:00:00Z")))
	}
}
