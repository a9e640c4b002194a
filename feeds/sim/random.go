package sim

import (
	"hash/fnv"
	"math"
)

// Every random number in the simulation is a pure function of the seed and
// of what it is for (symbol, factor, day, bar, tick), so a price at instant t
// is the same whatever was asked before: no generator state, no global rand.

// mix is the splitmix64 finalizer: a cheap bijection with good avalanche.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hash combines a seed and three coordinates into one well-mixed word.
func hash(seed int64, a, b, c uint64) uint64 {
	h := mix(uint64(seed) ^ 0x9e3779b97f4a7c15)
	h = mix(h ^ a)
	h = mix(h ^ (b + 0x632be59bd9b4e019))
	return mix(h ^ (c + 0x8cb92ba72f3d8dd7))
}

// uniform maps a hash to (0, 1].
func uniform(h uint64) float64 { return float64(h>>11+1) / (1 << 53) }

// normal maps a hash to a standard normal draw (Box-Muller).
func normal(h uint64) float64 {
	return math.Sqrt(-2*math.Log(uniform(h))) * math.Cos(2*math.Pi*uniform(mix(h)))
}

// logUniform maps a hash to [lo, hi] evenly in log space, so price levels
// spread across magnitudes the way real listings do.
func logUniform(h uint64, lo, hi float64) float64 {
	return lo * math.Exp(uniform(h)*math.Log(hi/lo))
}

// key names a symbol, factor or purpose as a hash coordinate.
func key(s string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(s))
	return f.Sum64()
}

// Purposes, so that e.g. a symbol's gap and its idiosyncratic return on the
// same day are independent draws.
var (
	tagMarket   = key("market")
	tagIdio     = key("idiosyncratic")
	tagGap      = key("gap")
	tagIntra    = key("intraday")
	tagTick     = key("tick")
	tagJitter   = key("extended-hours jitter")
	tagPost     = key("post-market")
	tagVolume   = key("volume")
	tagLevel    = key("level")
	tagVol      = key("volatility")
	tagBeta     = key("beta")
	tagWave     = key("fx wave")
	tagSpike    = key("volume spike")
	tagCap      = key("market cap")
	tagPE       = key("price-earnings")
	tagGrowth   = key("earnings growth")
	tagEPS      = key("earnings surprise")
	tagEarnings = key("earnings date")
)
