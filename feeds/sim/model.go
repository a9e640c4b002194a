package sim

import (
	"math"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/market"
	"github.com/rotation-dev/rotation/watchlists"
)

// The daily return of a listing is a factor model, all in log terms:
//
//	r = beta*(marketDrift + marketVol*Zm) + era drift + eraVol*Ze + segVol*Zs + idio*Zi
//
// Zm is shared by every listing, Ze by every listing of an era, Zs by a
// segment; Zi is the listing's own. The walk is anchored at epochYear: the
// first session of that year closes at the listing's level, later closes
// compound forward and earlier ones backward.
const (
	epochYear   = 2024
	marketDrift = 0.0003 // about +8% a year
	marketVol   = 0.009  // about 14% a year, like a broad index
	eraVol      = 0.004
	segVol      = 0.006
	minIdio     = 0.005
	fxVol       = 0.003
	indexIdio   = 0.003
)

// rotationStart is when the simulated capital rotation begins: before it
// training-era names lead the market and inference-era names lag; from it
// on, the reverse, so any recent window shows inference outperforming.
var rotationStart = dayNumber(2025, time.January, 2)

// eraDrift is the era factor's daily drift on civil day n.
func eraDrift(era watchlists.Era, n int32) float64 {
	rotated := n >= rotationStart
	switch {
	case era == watchlists.Training && rotated:
		return -0.0010
	case era == watchlists.Training:
		return 0.0010
	case era == watchlists.Inference && rotated:
		return 0.0015
	case era == watchlists.Inference:
		return -0.0002
	}
	return 0
}

type kind int

const (
	equity kind = iota
	index
	fx
)

// profile is everything stable about one simulated listing, plus its caches.
type profile struct {
	sym      string
	name     string
	ex       market.Exchange
	cal      *calendar
	key      uint64
	kind     kind
	fund     bool    // an ETF: no earnings, no P/E
	level    float64 // close of the first session of epochYear
	beta     float64
	vol      float64 // total daily volatility, for intraday and gap scale
	idio     float64
	era      watchlists.Era // "" unless the universe puts the symbol in a training or inference segment
	eraKey   uint64
	segKey   uint64
	decimals int
	volume   float64 // typical shares a day

	shares   float64 // shares outstanding, constant; 0 for indices and FX
	pe       float64 // trailing P/E at level; 0 for loss-makers, funds, indices and FX
	growth   float64 // forward over trailing earnings per share
	earnLag  int     // days from a quarter's end to its report, before jitter
	earnPost bool    // reports after the close (else before the open)
	finCur   string  // reporting currency

	walk  walkMarks // a few log closes a year, from which walk.go recomputes the rest
	paths map[int32]*dayPath
	ticks tickCache
	stats *dayStats // figures of the session last quoted, see statsFor
}

// newProfile describes sym listed on ex (whose sessions cal holds; FX pairs
// share one calendar but differ in currency, so ex is passed on its own).
// Everything but the factor walk comes from the universe table or from
// seed-free hashes of the symbol, so a listing keeps its ballpark across
// seeds and whatever else is asked for.
func newProfile(sym string, ex market.Exchange, cal *calendar) *profile {
	upper := strings.ToUpper(sym)
	l, known := lookup(upper)
	p := &profile{sym: sym, name: l.name, ex: ex, cal: cal, key: key(upper), fund: l.fund,
		paths: make(map[int32]*dayPath)}
	if p.name == "" {
		p.name = sym + " (simulated)"
	}
	u := func(tag uint64) uint64 { return hash(0, p.key, tag, 0) } // seed-free
	switch {
	case strings.HasSuffix(upper, "=X"):
		p.kind, p.vol, p.decimals = fx, fxVol, 4
		p.level = fxLevel(strings.TrimSuffix(upper, "=X"), u(tagLevel))
		return p
	case strings.HasPrefix(upper, "^"):
		p.kind, p.beta, p.idio, p.decimals = index, 1, indexIdio, 2
		p.level = logUniform(u(tagLevel), 1000, 20000)
		p.volume = logUniform(u(tagVolume), 1e8, 5e9)
	default:
		p.kind, p.decimals = equity, currencyDecimals(p.ex.Currency)
		lo, hi := equityLevels(p.ex.Currency)
		p.level = logUniform(u(tagLevel), lo, hi)
		p.beta = 0.7 + 0.8*uniform(u(tagBeta))
		p.fundamentals(l, known, u) // shares, and the volume they turn over
	}
	if l.era == watchlists.Training || l.era == watchlists.Inference {
		p.era, p.eraKey, p.segKey = l.era, key("era:"+string(l.era)), key("segment:"+l.segment)
	}
	if p.fund {
		// Funds are broad baskets: they track the market closely.
		p.beta = 0.95 + 0.2*uniform(u(tagBeta))
	}
	if p.kind == equity {
		// Aim at a total daily volatility of 1.2-3.5% (0.9-1.3% for a
		// fund); the idiosyncratic part is what the factors leave (at
		// least minIdio).
		target := 0.012 + 0.023*uniform(u(tagVol))
		if p.fund {
			target = 0.009 + 0.004*uniform(u(tagVol))
		}
		common := sq(p.beta*marketVol) + (sq(eraVol)+sq(segVol))*b2f(p.era != "")
		p.idio = math.Sqrt(math.Max(sq(target)-common, sq(minIdio)))
	}
	p.vol = math.Sqrt(sq(p.beta*marketVol) + sq(p.idio) + (sq(eraVol)+sq(segVol))*b2f(p.era != ""))
	return p
}

func sq(x float64) float64 { return x * x }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// equityLevels bounds a stock's price level by listing currency.
func equityLevels(cur string) (lo, hi float64) {
	switch cur {
	case "KRW":
		return 20000, 400000
	case "JPY":
		return 1000, 20000
	case "TWD":
		return 100, 2000
	case "HKD":
		return 10, 500
	case "DKK":
		return 100, 2000
	case "GBp":
		return 200, 5000
	case "CHF":
		return 20, 600
	case "EUR":
		return 10, 800
	}
	return 10, 1000
}

var pow10 = [...]float64{1, 10, 100, 1000, 10000}

func currencyDecimals(cur string) int {
	switch cur {
	case "KRW", "JPY":
		return 0
	case "GBp":
		return 1
	}
	return 2
}

// fxLevels are realistic units of each currency per US dollar.
var fxLevels = map[string]float64{
	"KRW": 1400, "JPY": 150, "TWD": 32, "EUR": 0.92, "GBP": 0.79, "CHF": 0.88,
	"DKK": 6.9, "HKD": 7.8, "CNY": 7.2, "INR": 83, "CAD": 1.36, "AUD": 1.52, "SEK": 10.5,
}

func fxLevel(pair string, h uint64) float64 {
	if lvl, ok := fxLevels[pair]; ok {
		return lvl
	}
	if len(pair) == 6 { // a cross such as EURUSD: near parity
		return logUniform(h, 0.5, 2)
	}
	return logUniform(h, 0.5, 20)
}

// fxLogClose keeps a currency pair near its realistic level for any date:
// a few slow waves of seeded period and phase plus daily noise, instead of
// a random walk that would wander off over the years.
func (p *profile) fxLogClose(seed int64, n int32) float64 {
	v := math.Log(p.level) + fxVol*normal(hash(seed, p.key, tagIdio, uint64(n)))
	for k, amp := range []float64{0.04, 0.025, 0.015} {
		h := hash(seed, p.key, tagWave, uint64(k))
		period := 40 + 360*uniform(h)
		v += amp * math.Sin(2*math.Pi*(float64(n)/period+uniform(mix(h))))
	}
	return v
}

// dailyReturn is the log return of the session closing on civil day n.
func (p *profile) dailyReturn(seed int64, n int32) float64 {
	r := p.beta*(marketDrift+marketVol*normal(hash(seed, tagMarket, 0, uint64(n)))) +
		p.idio*normal(hash(seed, p.key, tagIdio, uint64(n)))
	if p.era != "" {
		r += eraDrift(p.era, n) + eraVol*normal(hash(seed, p.eraKey, 0, uint64(n)))
		r += segVol * normal(hash(seed, p.segKey, 0, uint64(n)))
	}
	return r
}

// round keeps the precision the listing is quoted at, so quotes and series
// agree to the byte and print like real prices.
func (p *profile) round(x float64) float64 {
	return math.Round(x*pow10[p.decimals]) / pow10[p.decimals]
}
