package baskets

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

func ptr(v float64) *float64 { return &v }

// TestLondonCapInUSD: Yahoo gives a GBp listing's marketCap in pounds, so it
// is divided by GBP=X only, never by 100 as the pence price is.
func TestLondonCapInUSD(t *testing.T) {
	for _, cur := range []string{Local, USD} {
		in := fxInput(cur)
		rr := in.Quotes["RR.L"]
		rr.MarketCap, rr.Volume, rr.AverageVolume3Month = ptr(40e9), 3e6, ptr(2e6)
		in.Quotes["RR.L"] = rr
		in.Set.Segments[0].Symbols = in.Set.Segments[0].Symbols[:1]
		seg := Compute(in).Segments[0]
		row := symbolRow(t, seg, "RR.L")
		// £40B at 0.80 pounds per dollar: $50B; at the base, 50 * 480 / 500 = $48B.
		assertOpt(t, cur+" RR.L cap", row.MarketCapUSD, 50e9)
		assertOpt(t, cur+" RR.L cap change", row.CapChangeUSD, 2e9)
		assertOpt(t, cur+" RR.L relative volume", row.RelativeVolume, 1.5)
		assertOpt(t, cur+" segment flow", seg.CapChangeUSD, 2e9)
		assertOpt(t, cur+" segment relative volume", seg.RelativeVolume, 1.5)
	}
}

// TestFlowsNullWhereDataIsMissing: a missing cap, rate or volume gives null,
// and a group with no contributor is null, not 0.
func TestFlowsNullWhereDataIsMissing(t *testing.T) {
	in := fxInput(Local)
	q := in.Quotes["ASML.AS"] // EUR, and EUR=X is missing
	q.MarketCap, q.Volume, q.AverageVolume3Month = ptr(280e9), 1e6, ptr(1e6)
	in.Quotes["ASML.AS"] = q
	q = in.Quotes["005930.KS"] // a cap but no volume; an average of 0
	q.MarketCap, q.AverageVolume3Month = ptr(400e12), ptr(0)
	in.Quotes["005930.KS"] = q
	rep := Compute(in)
	seg := rep.Segments[0]
	as := symbolRow(t, seg, "ASML.AS")
	if as.MarketCapUSD.Valid || as.CapChangeUSD.Valid {
		t.Errorf("ASML.AS without EUR=X: cap %v change %v", as.MarketCapUSD, as.CapChangeUSD)
	}
	// Relative volume needs no rate, but the dollar-weighted aggregate does.
	assertOpt(t, "ASML.AS relative volume", as.RelativeVolume, 1)
	ks := symbolRow(t, seg, "005930.KS")
	assertOpt(t, "005930.KS cap", ks.MarketCapUSD, 400e12/1400)
	if ks.RelativeVolume.Valid {
		t.Errorf("005930.KS relative volume %v without volume", ks.RelativeVolume)
	}
	rr := symbolRow(t, seg, "RR.L")
	if rr.MarketCapUSD.Valid || rr.RelativeVolume.Valid {
		t.Errorf("RR.L without cap or volume: %+v", rr)
	}
	assertOpt(t, "segment flow", seg.CapChangeUSD, 400e12/1400-400e12/1400*70700/70000)
	if seg.RelativeVolume.Valid || seg.FlowCoverage != (FlowCoverage{Cap: 1, Volume: 0, Total: 3}) {
		t.Errorf("segment relative volume %v, coverage %+v", seg.RelativeVolume, seg.FlowCoverage)
	}
	if e := rep.Eras.Inference; e.CapChangeUSD.Valid || e.RelativeVolume.Valid {
		t.Errorf("empty inference era has flows %v %v", e.CapChangeUSD, e.RelativeVolume)
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"capChangeUSD":null`) || strings.Contains(string(js), `"relativeVolume":0`) {
		t.Error("missing flows are not null in JSON")
	}

	// Cap weighting leaves the uncapped out, keeps their return, and says so.
	in.Weighting = WeightCap
	seg = Compute(in).Segments[0]
	rr = symbolRow(t, seg, "RR.L")
	if !rr.RangeReturn.Valid || rr.BasketWeight.Valid || !strings.Contains(rr.Flag, "no market cap") {
		t.Errorf("uncapped RR.L: return %v weight %v flag %q", rr.RangeReturn, rr.BasketWeight, rr.Flag)
	}
	if seg.Coverage != (Coverage{Priced: 1, Total: 3}) {
		t.Errorf("cap coverage %+v, want only 005930.KS", seg.Coverage)
	}
	assertOpt(t, "cap basket", seg.Return, symbolRow(t, seg, "005930.KS").RangeReturn.Value)
	delete(in.Quotes, "005930.KS")
	if s := Compute(in).Segments[0]; s.Return.Valid || s.Index.Values != nil {
		t.Errorf("cap basket without caps: return %v", s.Return)
	}
}

// TestCapWeightsCompareInUSD: a pound and a dollar listing weigh by their
// dollar values at the base, in either currency mode.
func TestCapWeightsCompareInUSD(t *testing.T) {
	for _, cur := range []string{Local, USD} {
		in := fxInput(cur)
		rr := in.Quotes["RR.L"]
		rr.MarketCap = ptr(40e9) // $50B now, $48B at the base
		in.Quotes["RR.L"] = rr
		in.Quotes["X"] = feeds.Quote{Price: 110, PreviousClose: 100, Currency: "USD", MarketCap: ptr(52.8e9)} // $48B at the base
		in.Weighting = WeightCap
		in.Set.Segments[0].Symbols = []watchlists.Symbol{{Symbol: "RR.L", Weight: 9}, {Symbol: "X", Weight: 1}}
		seg := Compute(in).Segments[0]
		rrRow, x := symbolRow(t, seg, "RR.L"), symbolRow(t, seg, "X")
		assertOpt(t, cur+" RR.L weight", rrRow.BasketWeight, 48e9)
		assertOpt(t, cur+" X weight", x.BasketWeight, 48e9)
		assertOpt(t, cur+" basket", seg.Return, (rrRow.RangeReturn.Value+10)/2)
	}
}

// withCaps gives every quote of a generated market a cap and volumes.
func withCaps(in Input) Input {
	i := 0.0
	for sym, q := range in.Quotes {
		i++
		q.MarketCap, q.Volume, q.AverageVolume3Month = ptr(q.Price*1e9*i), int64(1e6*i), ptr(1e6*(1+i/10))
		in.Quotes[sym] = q
	}
	return in
}

// TestIndexEndsAtTheReturnUnderEveryWeighting: I_last = 100 + R for each
// segment and era, and the ratio line ends at the eras' ratio.
func TestIndexEndsAtTheReturnUnderEveryWeighting(t *testing.T) {
	forEachInput(t, func(t *testing.T, in Input) {
		for _, w := range []string{WeightFile, WeightEqual, WeightCap} {
			in := withCaps(in)
			in.Weighting = w
			rep := Compute(in)
			if rep.Weighting != w {
				t.Fatalf("weighting %q, want %q", rep.Weighting, w)
			}
			checkIndexesEndAtReturns(t, w+" ", rep)
		}
	})
}

// TestCapJSONIsSelfConsistent: from the JSON alone, a segment's return is
// sum(basketWeight r) / sum(basketWeight), and a cap-weighted era's the
// same over its distinct members.
func TestCapJSONIsSelfConsistent(t *testing.T) {
	in := withCaps(genInput(t, 2, feeds.Range1M))
	in.Weighting, in.Currency = WeightCap, USD
	js, err := json.Marshal(Compute(in))
	if err != nil {
		t.Fatal(err)
	}
	type jsym struct {
		Symbol                                                string
		RangeReturn, BasketWeight, MarketCapUSD, CapChangeUSD *float64
		RelativeVolume                                        *float64
	}
	type jera struct {
		Return, CapChangeUSD, RelativeVolume *float64
	}
	var j struct {
		Weighting string
		Eras      struct{ Training, Inference jera }
		Segments  []struct {
			Era     string
			Return  *float64
			Symbols []jsym
		}
	}
	if err := json.Unmarshal(js, &j); err != nil {
		t.Fatal(err)
	}
	if j.Weighting != WeightCap {
		t.Fatalf("weighting %q in JSON", j.Weighting)
	}
	eras := map[string]*[2]float64{"training": {}, "inference": {}}
	seen := map[string]bool{}
	for _, s := range j.Segments {
		sw, swr := 0.0, 0.0
		for _, m := range s.Symbols {
			if m.BasketWeight == nil {
				continue
			}
			if m.MarketCapUSD == nil || m.CapChangeUSD == nil || m.RelativeVolume == nil {
				t.Errorf("%s: a cap weight without its flows", m.Symbol)
				continue
			}
			assertRounded(t, m.Symbol+" weight", *m.BasketWeight, *m.MarketCapUSD-*m.CapChangeUSD, 2)
			sw += *m.BasketWeight
			swr += *m.BasketWeight * *m.RangeReturn
			if acc, ok := eras[s.Era]; ok && !seen[s.Era+"/"+m.Symbol] {
				seen[s.Era+"/"+m.Symbol] = true
				acc[0] += *m.BasketWeight
				acc[1] += *m.BasketWeight * *m.RangeReturn
			}
		}
		if sw > 0 {
			assertRounded(t, "segment return", *s.Return, swr/sw, 6)
		}
	}
	assertRounded(t, "training", *j.Eras.Training.Return, eras["training"][1]/eras["training"][0], 6)
	assertRounded(t, "inference", *j.Eras.Inference.Return, eras["inference"][1]/eras["inference"][0], 6)
	if j.Eras.Training.CapChangeUSD == nil || j.Eras.Inference.RelativeVolume == nil {
		t.Error("eras lack flows in JSON")
	}
}

func TestUnknownWeightingIsFileAndSaysSo(t *testing.T) {
	in := flowsExample("mcap")
	rep := Compute(in)
	if rep.Weighting != WeightFile || !strings.Contains(strings.Join(rep.Problems, "\n"), `weighting "mcap"`) {
		t.Errorf("weighting %q, problems %q", rep.Weighting, rep.Problems)
	}
	assertOpt(t, "GPUs", segmentByFile(t, rep, "10-gpus.yaml").Return, 5)
}
