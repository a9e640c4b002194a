package baskets

import (
	"encoding/json"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// Report is everything Compute knows about one moment of the market. Its JSON
// form is the stable schema of `rotation print --json`; fields tagged "-"
// are what the UI draws and are not part of that schema.
type Report struct {
	AsOf     time.Time   `json:"asOf"`
	Feed     FeedInfo    `json:"feed"`
	Range    feeds.Range `json:"range"`
	Currency string      `json:"currency"` // "local" or "USD"
	// RotationMode is the rotation map's bars: "daily" or "weekly".
	RotationMode string `json:"rotationMode"`
	// Weighting is how members weigh in a basket: "file", "equal" or "cap".
	Weighting string          `json:"weighting"`
	Benchmark BenchmarkResult `json:"benchmark"`
	Eras      Eras            `json:"eras"`
	Segments  []SegmentResult `json:"segments"`
	// Horizons and Verdict are the rotation over every horizon range and
	// the one sentence it comes to (see ComputeAll); empty from Compute.
	Horizons []Horizon `json:"horizons"`
	Verdict  string    `json:"verdict"`
	// Also is the rotation over the other ranges ComputeAll was asked for
	// (an alert's range: 6M, a date), outside the verdict.
	Also []Horizon `json:"-"`
	// SpreadContributions are the segments' parts of the spread, largest
	// first; they add up to Eras.Spread (see contrib.go). Empty without a
	// spread.
	SpreadContributions []SpreadContribution `json:"spreadContributions"`
	// TopMoves are the ratio line's largest moves over the range, largest
	// first.
	TopMoves []Move `json:"topMoves"`

	// Grid is the common time axis of every Line in the report: 5-minute UTC
	// buckets for 1D, 30-minute for 5D, calendar days (00:00 UTC) otherwise.
	Grid []time.Time `json:"-"`
	// RatioLine is 100 * I_inference / I_training on Grid; empty when either
	// era has no index.
	RatioLine Line `json:"-"`
	// Problems lists every price treated as missing, and why, for people.
	Problems []string `json:"-"`
}

// FeedInfo says where the prices came from and whether to trust them.
type FeedInfo struct {
	Name      string      `json:"name"`
	State     feeds.State `json:"state"`
	Detail    string      `json:"detail"`
	Simulated bool        `json:"simulated"`
}

// BenchmarkResult is the benchmark's own range return.
type BenchmarkResult struct {
	Symbol string `json:"symbol"`
	Return Opt    `json:"return"`
	Index  Line   `json:"-"` // rebased to 100 at the range's base, like a segment
}

// Eras compares the two phases of AI spending.
type Eras struct {
	Training  EraResult `json:"training"`
	Inference EraResult `json:"inference"`
	Spread    Opt       `json:"spread"` // inference return - training return, percentage points
}

// EraResult aggregates an era's segments, each counting once.
type EraResult struct {
	Return   Opt `json:"return"`   // mean of its segments' returns
	Segments int `json:"segments"` // segments the mean was taken over: those with a return
	// Breadth: the era's distinct members with a return that rose, fell or
	// did not move, a name in two of its segments counted once.
	Up        int `json:"up"`
	Down      int `json:"down"`
	Unchanged int `json:"unchanged"`
	Excess    Opt `json:"excess"` // Return - benchmark return
	// Rotation places the era on the rotation map by the mean of its
	// segments' indexes.
	Rotation Rotation `json:"rotation"`

	// Capital flows over the era's distinct members (see doc.go).
	CapChangeUSD   Opt          `json:"capChangeUSD"`   // sum of members' capChangeUSD
	RelativeVolume Opt          `json:"relativeVolume"` // sum(volume*price) / sum(avg volume*price)
	FlowCoverage   FlowCoverage `json:"flowCoverage"`

	Index Line `json:"-"` // mean of its segments' indexes; cap weighting: the era's cap-weighted index
}

// SegmentResult is one watchlist file as a weighted basket.
type SegmentResult struct {
	File     string         `json:"file"`
	Name     string         `json:"name"`
	Era      watchlists.Era `json:"era"`
	Return   Opt            `json:"return"`
	Excess   Opt            `json:"excess"`
	Coverage Coverage       `json:"coverage"`
	// Breadth: members with a return that rose, fell or did not move, in
	// the basket or not (a member left out of a cap basket still moved).
	Up        int            `json:"up"`
	Down      int            `json:"down"`
	Unchanged int            `json:"unchanged"`
	Rotation  Rotation       `json:"rotation"`
	Symbols   []SymbolResult `json:"symbols"`
	// Capital flows over the segment's members (see doc.go).
	CapChangeUSD   Opt          `json:"capChangeUSD"`
	RelativeVolume Opt          `json:"relativeVolume"`
	FlowCoverage   FlowCoverage `json:"flowCoverage"`
	// EraContribution is the segment's part of its era's return, in pp:
	// Return / the era's segment count under file and equal weighting, the
	// sum of its members' EraContribution under cap. Null for a benchmark
	// segment and one without a return.
	EraContribution Opt `json:"eraContribution"`

	Index Line          `json:"-"` // basket index, 100 at the base
	Best  *SymbolResult `json:"-"` // highest range return; nil when none is priced
	Worst *SymbolResult `json:"-"`
}

// Coverage is how many members had a range return, of how many listed.
type Coverage struct {
	Priced int `json:"priced"`
	Total  int `json:"total"`
}

// FlowCoverage is how many distinct members gave each flow figure, of how
// many: Cap members have a capChangeUSD, Volume members a volume, a 3-month
// average volume and a price in US dollars.
type FlowCoverage struct {
	Cap    int `json:"cap"`
	Volume int `json:"volume"`
	Total  int `json:"total"`
}

// Rotation is a segment's place on the rotation map (see doc.go).
type Rotation struct {
	Ratio    Opt         `json:"ratio"`
	Momentum Opt         `json:"momentum"`
	Quadrant Quadrant    `json:"quadrant"`
	Tail     []TailPoint `json:"-"` // the last sessions, oldest first, ending at Ratio/Momentum
}

// TailPoint is one session on the rotation map.
type TailPoint struct {
	Date     time.Time
	Ratio    float64
	Momentum float64
}

// Quadrant names where a segment sits on the rotation map; empty (JSON null)
// when the map cannot be computed.
type Quadrant string

const (
	Leading   Quadrant = "leading"
	Weakening Quadrant = "weakening"
	Lagging   Quadrant = "lagging"
	Improving Quadrant = "improving"
)

func (q Quadrant) MarshalJSON() ([]byte, error) {
	if q == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(q))
}

func (q *Quadrant) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*q = ""
	if s != nil {
		*q = Quadrant(*s)
	}
	return nil
}

// SymbolResult is one member of a segment. Prices are in Currency: the
// listing's own in "local" mode, US dollars in "USD" mode.
type SymbolResult struct {
	Symbol        string     `json:"symbol"`
	Name          string     `json:"name"`
	Weight        float64    `json:"weight"`
	Price         Opt        `json:"price"`
	PreviousClose Opt        `json:"previousClose"`
	Change        Opt        `json:"change"`        // Price - PreviousClose
	ChangePercent Opt        `json:"changePercent"` // 100 * (Price/PreviousClose - 1)
	Currency      string     `json:"currency"`
	Exchange      string     `json:"exchange"`
	MarketState   string     `json:"marketState"`
	QuoteTime     *time.Time `json:"quoteTime"`
	RangeReturn   Opt        `json:"rangeReturn"`
	Stale         bool       `json:"stale"`
	// BasketWeight is the member's weight in its segment's basket under the
	// report's weighting; null when it is not in the basket.
	BasketWeight Opt `json:"basketWeight"`
	// MarketCapUSD is the quote's market cap in US dollars at today's rate.
	MarketCapUSD Opt `json:"marketCapUSD"`
	// CapChangeUSD is MarketCapUSD - MarketCapUSD * base / price (local
	// prices): the range's change in value with the share count held.
	CapChangeUSD Opt `json:"capChangeUSD"`
	// RelativeVolume is the session's volume over the 3-month daily average.
	RelativeVolume Opt `json:"relativeVolume"`
	// Contribution is the member's part of its segment's return, in pp:
	// BasketWeight * RangeReturn / the sum of the basket's weights. Null out
	// of the basket, where Flags say why.
	Contribution Opt `json:"contribution"`
	// EraContribution is its part of its era's return, in pp (see
	// contrib.go); null in a benchmark segment.
	EraContribution Opt `json:"eraContribution"`

	Base Opt `json:"-"` // the range's base price, in Currency
	// Window is what a chart of the member draws: Base at the base's time,
	// each bar of the range, and Price last, all in Currency; empty when the
	// member has no return. Its last over its first is 1 + RangeReturn/100.
	Window Line   `json:"-"`
	Flag   string `json:"-"` // why a figure is missing, for people; empty when all is well
	// Flags is Flag as a list, one reason a figure is missing or was
	// adjusted each; empty, not null, when all is well.
	Flags []string `json:"flags"`
}

// Line is a series drawn on the report's Grid. Values[i] belongs to Times[i].
type Line struct {
	Times  []time.Time
	Values []float64
}

// Last returns the final value; ok is false for an empty line.
func (l Line) Last() (float64, bool) {
	if len(l.Values) == 0 {
		return 0, false
	}
	return l.Values[len(l.Values)-1], true
}
