package baskets

import (
	"fmt"
	"math"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// Input is one moment of the market and what to make of it.
type Input struct {
	Set       watchlists.Set
	Range     feeds.Range
	AsOf      time.Time
	Quotes    map[string]feeds.Quote
	Series    map[string]feeds.Series // the active range's series, by symbol
	Daily     map[string]feeds.Series // daily closes reaching back >= 3 months, by symbol (rotation map)
	Currency  string                  // a currency code (USD, EUR, JPY...) converts; "" or "local" does not
	Benchmark string                  // default DefaultBenchmark
	Stale     map[string]bool         // symbols whose last quote is stale
	Feed      feeds.Health

	// RotationMode is the rotation map's bars: "weekly" (any case) for the
	// last close of each week, anything else daily (see RotationDaily).
	RotationMode string

	// returnsOnly skips the time grid and every index line: a horizon of
	// the verdict needs returns only, and the lines are most of the cost.
	returnsOnly bool

	// Weighting is how members weigh in a basket: WeightFile (the default,
	// also for ""), WeightEqual or WeightCap, in any case.
	Weighting string
}

// DefaultBenchmark is the benchmark when Input.Benchmark is empty.
const DefaultBenchmark = "SPY"

// Currency modes of Input.Currency and Report.Currency.
const (
	Local = "local"
	USD   = "USD"
)

// computer holds the caches of one Compute call.
type computer struct {
	in      Input
	step    time.Duration
	display string // the report's currency code; "" for each listing's own
	tracks  map[string]*track
	money   map[string]*money
	flows   map[string]*flow
	grid    []time.Time
	rot     *rotationMap // the rotation map's bars, read once

	weighting        string // WeightFile, WeightEqual or WeightCap
	weightingProblem string // why Input.Weighting was not understood
}

func newComputer(in Input) *computer {
	c := &computer{in: in, step: gridStep(in.Range), display: displayCurrency(in.Currency),
		tracks: map[string]*track{}, money: map[string]*money{}, flows: map[string]*flow{}}
	c.weighting, c.weightingProblem = weightingOf(in.Weighting)
	return c
}

// locationOf is a listing's exchange time zone: the quote's, else the one
// its symbol implies (market.ForSymbol), else UTC.
func (c *computer) locationOf(sym string) *time.Location {
	tz := c.in.Quotes[sym].ExchangeTZ
	if tz == "" {
		tz = market.ForSymbol(sym).TZ
	}
	return market.Location(tz)
}

func (c *computer) track(sym string) *track {
	t, ok := c.tracks[sym]
	if !ok {
		t = c.newTrack(sym)
		c.tracks[sym] = t
	}
	return t
}

// money is a symbol priced in the report's currency: its own in local mode,
// else converted through the US-dollar crosses (see fx.go).
type money struct {
	t          *track
	conv       *conversion // nil when no conversion is needed
	currency   string
	price      float64 // 0 when unknown
	base       float64
	prevClose  float64
	decimals   int     // what price and prevClose are written to (see Decimals)
	baseFactor float64 // the conversion at the base
	flag       string
	line       []float64 // cached grid values
	window     Line      // cached Window
}

func (m *money) priced() bool { return m.price > 0 && m.base > 0 }

// rangeReturn is 100 * (price now / base - 1), unknown when either is.
func (m *money) rangeReturn() Opt {
	if !m.priced() {
		return None
	}
	return Percent(100 * (m.price/m.base - 1))
}

func (c *computer) priceOf(sym string) *money {
	if m, ok := c.money[sym]; ok {
		return m
	}
	t := c.track(sym)
	m := &money{t: t, price: t.price, base: t.base, prevClose: t.prevClose, flag: t.flag,
		decimals: Decimals(t.price, t.prevClose)}
	c.money[sym] = m
	q, hasQuote := c.in.Quotes[sym]
	m.currency = q.Currency
	if !hasQuote || m.currency == "" {
		m.currency = market.ForSymbol(sym).Currency
	}
	if c.display == "" {
		return m
	}
	cv := c.conversionOf(m.currency)
	m.currency = c.display
	m.baseFactor = cv.at(t.baseKey, t.baseDay)
	m.price = t.price * cv.now()
	m.base = t.base * m.baseFactor
	m.prevClose = t.prevClose * cv.at(t.prevKey, t.prevDay)
	if cv.from != nil || cv.to != nil || cv.PerMajor != 1 {
		m.conv = &cv
	}
	// A converted price was quoted to no decimals of its own: it keeps the
	// listing's, two more from minor units (pence to 4 decimals of a pound).
	m.decimals = min(m.decimals+int(math.Round(math.Log10(cv.PerMajor))), maxPriceDecimals)
	for _, problem := range cv.missing(t) {
		m.addFlag(problem + " to convert to " + c.display)
	}
	return m
}

func (m *money) addFlag(msg string) {
	if m.flag != "" {
		m.flag += "; "
	}
	m.flag += msg
}

// relative is the member's price on the grid divided by its base: 1 at the
// base, 1+r/100 at the last point. Converted, each point uses the rates at
// that point, except while the member still stands at its base: there the
// base's own rate, so the line starts at exactly 1.
func (c *computer) relative(m *money) []float64 {
	if m.line != nil {
		return m.line
	}
	local := m.t.values(c.grid)
	m.line = make([]float64, len(local))
	var factors []float64
	if m.conv != nil {
		factors = m.conv.onGrid(c)
	}
	last := len(local) - 1
	for i, v := range local {
		switch {
		case factors == nil:
		case i == last:
			v = m.price
		case len(m.t.keys) == 0 || c.grid[i].Before(m.t.keys[0]):
			v *= m.baseFactor
		default:
			v *= factors[i]
		}
		m.line[i] = v / m.base
	}
	return m.line
}

// Compute turns one moment of the market into a Report. It reads no clock and
// does no I/O; what it cannot price it leaves out, counts and explains.
func Compute(in Input) Report {
	rep, _ := compute(in)
	return rep
}

// compute is Compute, with the computer that holds its prices and caches
// (Live reprices on them).
func compute(in Input) (Report, *computer) {
	if in.Benchmark == "" {
		in.Benchmark = DefaultBenchmark
	}
	c := newComputer(in)
	rep := Report{AsOf: in.AsOf, Range: in.Range, Currency: Local, Weighting: c.weighting,
		Feed: FeedInfo{Name: in.Feed.Feed, State: in.Feed.State, Detail: in.Feed.Detail, Simulated: in.Feed.Simulated}}
	if c.display != "" {
		rep.Currency = c.display
	}
	// Made-up prices must say so whichever field the feed set.
	if rep.Feed.Simulated || rep.Feed.State == feeds.StateSimulated {
		rep.Feed.Simulated, rep.Feed.State = true, feeds.StateSimulated
	}

	bench := c.priceOf(in.Benchmark)
	tracks := []*track{bench.t}
	for _, seg := range in.Set.Segments {
		for _, s := range seg.Symbols {
			if m := c.priceOf(s.Symbol); m.priced() {
				tracks = append(tracks, m.t)
			}
		}
	}
	if !in.returnsOnly { // indexes and lines are what a horizon does not need
		c.grid = c.buildGrid(tracks)
	}
	c.rot = c.newRotation()
	c.finish(&rep)
	return rep, c
}

// finish computes the report's figures from the prices held: the
// benchmark, the segments, the eras, the spread and the lines, their
// contributions, and each one's place on the rotation map (c.rot).
func (c *computer) finish(rep *Report) {
	in := c.in
	bench := c.priceOf(in.Benchmark)
	rep.Problems = nil
	if c.weightingProblem != "" {
		rep.Problems = append(rep.Problems, c.weightingProblem)
	}
	rep.Grid = c.grid
	rep.Benchmark = BenchmarkResult{Symbol: in.Benchmark, Return: bench.rangeReturn()}
	if bench.priced() && c.grid != nil {
		rep.Benchmark.Index = c.indexLine([]*money{bench}, []float64{1})
	}
	if bench.flag != "" {
		rep.Problems = append(rep.Problems, fmt.Sprintf("benchmark %s: %s", in.Benchmark, bench.flag))
	}
	rot := c.rot
	rep.RotationMode = rot.mode
	if rot.problem != "" {
		rep.Problems = append(rep.Problems, "rotation map: "+rot.problem)
	}
	rep.Segments = make([]SegmentResult, 0, len(in.Set.Segments))
	for _, seg := range in.Set.Segments {
		sr := c.segment(seg, rep.Benchmark.Return)
		if in.returnsOnly { // a horizon: its eras' returns only
			rep.Segments = append(rep.Segments, sr)
			continue
		}
		if sr.Coverage.Priced > 0 { // no priced member today: no place on the map
			sr.Rotation = rot.segment(seg)
		}
		c.segmentFlows(&sr, seg)
		for _, s := range sr.Symbols {
			if s.Flag != "" {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s in %s: %s", s.Symbol, seg.File, s.Flag))
			}
		}
		rep.Segments = append(rep.Segments, sr)
	}
	rep.Eras = c.eras(rep.Segments, rep.Benchmark.Return)
	if in.returnsOnly {
		return
	}
	// An era is placed by the segments its return is taken over: those with
	// a priced member. With none it has no place.
	var priced []watchlists.Segment
	for i, seg := range in.Set.Segments {
		if rep.Segments[i].Coverage.Priced > 0 {
			priced = append(priced, seg)
		}
	}
	rep.Eras.Training.Rotation = rot.era(priced, watchlists.Training)
	rep.Eras.Inference.Rotation = rot.era(priced, watchlists.Inference)
	c.eraFlows(&rep.Eras.Training, rep.Segments, watchlists.Training)
	c.eraFlows(&rep.Eras.Inference, rep.Segments, watchlists.Inference)
	rep.RatioLine = Line{}
	if tr, in := rep.Eras.Training.Index, rep.Eras.Inference.Index; len(tr.Values) > 0 && len(in.Values) > 0 {
		rep.RatioLine = Line{Times: c.grid, Values: make([]float64, len(c.grid))}
		for i := range c.grid {
			rep.RatioLine.Values[i] = 100 * in.Values[i] / tr.Values[i]
		}
	}
	c.contributions(rep)
	rep.TopMoves = topMoves(rep.RatioLine)
}

// indexLine is 100 * sum(w P(t)/P(base)) / sum(w) on the grid.
func (c *computer) indexLine(members []*money, weights []float64) Line {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	vals := make([]float64, len(c.grid))
	for j, m := range members {
		for i, r := range c.relative(m) {
			vals[i] += weights[j] * r
		}
	}
	for i := range vals {
		vals[i] = 100 * vals[i] / sum
	}
	return Line{Times: c.grid, Values: vals}
}
