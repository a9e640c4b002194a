package sim

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/watchlists"
)

// segmentKey is the universe's segment key of a default watchlist file:
// "10-gpus.yaml" -> "gpus".
func segmentKey(file string) string {
	name := strings.TrimSuffix(file, ".yaml")
	return strings.TrimPrefix(strings.TrimLeft(name, "0123456789"), "-")
}

// TestUniverseMatchesDefaults keeps the sim's own table in step with the
// built-in watchlists: every default symbol is in it with the era, segment
// and (where the file gives one) name of its first default segment, and it
// holds nothing else.
func TestUniverseMatchesDefaults(t *testing.T) {
	seen := make(map[string]bool)
	for _, seg := range watchlists.Defaults().Segments {
		if !seg.Era.Valid() {
			t.Errorf("%s: era %q", seg.File, seg.Era)
		}
		for _, s := range seg.Symbols {
			if seen[s.Symbol] {
				continue // a symbol's factors follow its first segment
			}
			seen[s.Symbol] = true
			l, ok := universe[s.Symbol]
			switch {
			case !ok:
				t.Errorf("%s (%s) is missing from the universe", s.Symbol, seg.File)
			case l.era != seg.Era || l.segment != segmentKey(seg.File):
				t.Errorf("%s: universe says %s/%s, %s says %s/%s", s.Symbol, l.era, l.segment, seg.File, seg.Era, segmentKey(seg.File))
			case l.name == "" || s.Name != "" && l.name != s.Name:
				t.Errorf("%s: universe name %q, %s gives %q", s.Symbol, l.name, seg.File, s.Name)
			}
		}
	}
	for sym, l := range universe {
		if !seen[sym] {
			t.Errorf("%s is in the universe but in no default watchlist", sym)
		}
		if l.capB <= 0 || l.pe < 0 || l.fund && l.pe != 0 {
			t.Errorf("%s: implausible figures %+v", sym, l)
		}
	}
}

// view renders everything the sim says about sym: its quote and every
// range's series.
func view(t *testing.T, f *Feed, sym string) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	qs, _ := f.Quotes(ctx, []string{sym})
	enc.Encode(qs)
	for _, r := range allRanges {
		s, err := f.Series(ctx, sym, r)
		if err != nil {
			t.Fatal(err)
		}
		enc.Encode(s)
	}
	return buf.Bytes()
}

// TestIndependentOfOtherSymbols: a symbol's quote and series are the same
// whether it is asked for alone or among all the defaults, in any order,
// before or after other series: which watchlist files are loaded must not
// change any symbol's path.
func TestIndependentOfOtherSymbols(t *testing.T) {
	now := at("2026-11-20T15:02:37Z")
	all := append(watchlists.Defaults().Symbols(), mixed...)
	for _, sym := range []string{"SPY", "NVDA", "000660.KS", "ZZZZ", "ARM.L", "^GSPC"} {
		alone := view(t, New(Options{Seed: 7, Clock: fixed(now)}), sym)

		crowd := New(Options{Seed: 7, Clock: fixed(now)})
		rev := slices.Clone(all)
		slices.Reverse(rev)
		for _, s := range rev[:20] {
			crowd.Series(ctx, s, allRanges[len(s)%len(allRanges)])
		}
		ordered, _ := crowd.Quotes(ctx, append(rev, sym))
		if got := view(t, crowd, sym); !bytes.Equal(alone, got) {
			t.Errorf("%s alone and among %d other symbols differ:\n%s\n%s", sym, len(all), alone[:300], got[:300])
		}
		single, _ := New(Options{Seed: 7, Clock: fixed(now)}).Quotes(ctx, []string{sym})
		if last := ordered[len(ordered)-1]; !reflect.DeepEqual(single[0], last) {
			t.Errorf("%s: quote alone %+v, in a batch %+v", sym, single[0], last)
		}
	}
}

func TestUnknownSymbolsGetDefaults(t *testing.T) {
	f := New(Options{Seed: 1, Clock: fixed(at("2026-11-20T15:00:00Z"))})
	cases := []struct {
		sym  string
		kind kind
	}{{"ZZZZ", equity}, {"NEWCO.KS", equity}, {"ABC=X", fx}, {"EURUSD=X", fx}, {"^XYZ", index}}
	for _, c := range cases {
		if p := f.profile(c.sym); p.kind != c.kind || p.era != "" || p.fund || p.name != c.sym+" (simulated)" {
			t.Errorf("%s: kind %d era %q fund %v name %q; want kind %d, no era, no fund", c.sym, p.kind, p.era, p.fund, p.name, c.kind)
		}
	}
	if p := f.profile("nvda"); p.era != watchlists.Training || p.name != "NVIDIA" {
		t.Errorf("lower-case nvda: era %q name %q; the universe is case-blind like Yahoo", p.era, p.name)
	}
	if p := f.profile("SPY"); !p.fund || p.era != "" {
		t.Errorf("SPY: fund %v era %q; want a fund with no era factor", p.fund, p.era)
	}
}
