package baskets

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

func TestOptJSONRoundsAwayFloatNoise(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{2.8899999999999864, "2.89"}, {4.500000000000028, "4.5"}, {-0.1 - 0.2, "-0.3"},
		{4.95e12, "4950000000000"}, {1234567.891234, "1234567.89123"}, {1e-7, "1e-7"}, {0, "0"},
	} {
		b, err := json.Marshal(Some(c.v))
		if err != nil || string(b) != c.want {
			t.Errorf("Some(%v) marshals to %s (%v), want %s", c.v, b, err, c.want)
		}
	}
	if b, _ := json.Marshal(None); string(b) != "null" {
		t.Errorf("None marshals to %s", b)
	}
}

// TestOptJSONByKind: a figure is written to what it means, and CSV (String)
// writes the same digits; the value itself is not rounded.
func TestOptJSONByKind(t *testing.T) {
	for _, c := range []struct {
		o    Opt
		want string
	}{
		{Percent(-0.7619293601081234), "-0.761929"}, {Percent(4.500000000000028), "4.5"}, {Percent(-4e-7), "0"},
		{Ratio(1234567.0 / 3e6), "0.411522"}, {Ratio(100.441222338), "100.441222"},
		{Money(-10061893764.5123), "-10061893764.51"}, {Money(4.95e12 + 0.126), "4950000000000.13"},
		{Price(153.69, 2), "153.69"}, {Price(1.08345, 5), "1.08345"}, {Price(265.88-265.5, 2), "0.38"},
		{Price(153.69, 2).Sub(Price(154.87, 2)), "-1.18"}, {Percent(math.NaN()), "null"},
	} {
		b, err := json.Marshal(c.o)
		if err != nil || string(b) != c.want {
			t.Errorf("%+v marshals to %s (%v), want %s", c.o, b, err, c.want)
		}
		if s := c.o.String(); c.o.Valid && s != c.want {
			t.Errorf("%+v String %q, want %q like its JSON", c.o, s, c.want)
		}
	}
	if p := Percent(-0.7619293601081234); p.Value != -0.7619293601081234 {
		t.Errorf("Percent rounded its value: %v", p.Value)
	}
	if Percent(math.Inf(1)) != None || Price(math.NaN(), 2) != None {
		t.Error("an unknown figure of a kind is not None")
	}
}

func TestDecimalsOfQuotedPrices(t *testing.T) {
	for _, c := range []struct {
		quoted []float64
		want   int
	}{
		{[]float64{265.88}, 2}, {[]float64{7012, 6950}, 2}, {[]float64{1.08345, 1.0821}, 5},
		{[]float64{265.8, 265.875}, 3}, {[]float64{265.8800048828125}, 6}, {[]float64{0.00012345}, 6},
		{[]float64{153.69, 0, math.NaN(), -1}, 2}, {nil, 2},
	} {
		if got := Decimals(c.quoted...); got != c.want {
			t.Errorf("Decimals(%v) = %d, want %d", c.quoted, got, c.want)
		}
	}
}

// TestOptJSONRoundTrip: what print writes reads back as the rounded value,
// and null as unknown.
func TestOptJSONRoundTrip(t *testing.T) {
	in := struct{ A, B, C, D, E Opt }{Percent(-0.7619293601081234), Money(-10061893764.5123), Price(1.08345, 5), None, Some(2.8899999999999864)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ A, B, C, D, E Opt }
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		got  Opt
		want float64
	}{{out.A, -0.761929}, {out.B, -10061893764.51}, {out.C, 1.08345}, {out.E, 2.89}} {
		if !c.got.Valid || c.got.Value != c.want {
			t.Errorf("field %d reads back as %+v, want %v", i, c.got, c.want)
		}
	}
	if out.D != None {
		t.Errorf("null reads back as %+v", out.D)
	}
}

// TestReportJSONRoundsEachFigureToWhatItMeans: prices to their quoted
// decimals (an FX rate keeps five), percents and ratios to 6 decimals, money
// to cents; a converted price keeps its listing's, two more from pence.
func TestReportJSONRoundsEachFigureToWhatItMeans(t *testing.T) {
	in := fxInput(Local)
	in.Quotes["NVDA"] = feeds.Quote{Price: 153.69, PreviousClose: 154.87, Currency: "USD",
		MarketCap: ptr(3.7456789e12), Volume: 1234567, AverageVolume3Month: ptr(3e6)}
	in.Quotes["EURUSD=X"] = feeds.Quote{Price: 1.08345, PreviousClose: 1.0821, Currency: "USD"}
	in.Quotes["RR.L"] = feeds.Quote{Price: 512.4, PreviousClose: 508.2, Currency: "GBp"}
	in.Quotes["GBP=X"] = feeds.Quote{Price: 0.79, PreviousClose: 0.7912, Currency: "GBP"}
	in.Set.Segments = []watchlists.Segment{{File: "k.yaml", Era: watchlists.Training, Symbols: []watchlists.Symbol{
		{Symbol: "NVDA", Weight: 1}, {Symbol: "EURUSD=X", Weight: 1}, {Symbol: "RR.L", Weight: 1}}}}
	type sym struct {
		Symbol                                                                string
		Price, PreviousClose, Change, ChangePercent, CapChangeUSD, RelVol, BW json.RawMessage
	}
	read := func(in Input) (Report, map[string]sym) {
		rep := Compute(in)
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		var j struct {
			Segments []struct{ Symbols []map[string]json.RawMessage }
		}
		if err := json.Unmarshal(b, &j); err != nil {
			t.Fatal(err)
		}
		out := map[string]sym{}
		for _, m := range j.Segments[0].Symbols {
			var s string
			_ = json.Unmarshal(m["symbol"], &s)
			out[s] = sym{s, m["price"], m["previousClose"], m["change"], m["changePercent"], m["capChangeUSD"], m["relativeVolume"], m["basketWeight"]}
		}
		return rep, out
	}
	rep, local := read(in)
	cents := strconv.FormatFloat(math.Round(symbolRow(t, rep.Segments[0], "NVDA").CapChangeUSD.Value*100)/100, 'f', -1, 64)
	want := map[string][]string{
		// symbol: price, previousClose, change, changePercent, capChangeUSD, relativeVolume, basketWeight
		"NVDA":     {"153.69", "154.87", "-1.18", "-0.761929", cents, "0.411522", "1"},
		"EURUSD=X": {"1.08345", "1.0821", "0.00135", "0.124757", "null", "null", "1"},
		"RR.L":     {"512.4", "508.2", "4.2", "0.826446", "null", "null", "1"},
	}
	for s, w := range want {
		m := local[s]
		got := []string{string(m.Price), string(m.PreviousClose), string(m.Change), string(m.ChangePercent),
			string(m.CapChangeUSD), string(m.RelVol), string(m.BW)}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s: %v, want %v", s, got, w)
				break
			}
		}
	}
	if len(cents) < 15 || cents[len(cents)-3] != '.' {
		t.Fatalf("capChangeUSD %s: the test wants a figure with cents beyond 12 digits", cents)
	}
	in.Currency = USD
	_, usd := read(in)
	// 512.4 pence at 0.79 pounds a dollar: $6.486076, to 4 decimals (2 of pence).
	if p := string(usd["RR.L"].Price); p != "6.4861" {
		t.Errorf("RR.L in USD %s, want 6.4861", p)
	}
}
