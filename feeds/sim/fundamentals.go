package sim

import (
	"math"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// Fundamentals of a simulated equity. Shares outstanding are fixed, so the
// market value follows the simulated price, and the typical volume is a
// turnover of them. Trailing earnings per share are set at each report so
// that the P/E then is near the listing's own (the market prices earnings,
// and a trend compounded over years would drift far from any plausible
// multiple); between reports P/E moves with the price.
const (
	lossOdds     = 0.15                // share of unknown equities that lose money: no P/E
	peNoise      = 0.15                // log-sd of the P/E a report leaves around the listing's
	confirmAhead = 28 * 24 * time.Hour // report dates this near the session's open are confirmed
)

// fundamentals sets an equity's shares, earnings profile and reporting
// currency from its listing, or from seed-free ballparks for a symbol
// outside the universe.
func (p *profile) fundamentals(l listing, known bool, u func(uint64) uint64) {
	capB, pe := l.capB, l.pe
	if !known {
		capB, pe = logUniform(u(tagCap), 0.5, 300), 0
		if h := u(tagPE); uniform(h) > lossOdds {
			pe = logUniform(mix(h), 8, 45)
		}
	}
	// Sized so the market value at the epoch's price is capB; a turnover of
	// 0.2-2% of them a day.
	p.shares = math.Round(capB * 1e9 * perUSD(p.ex.Currency) / p.level)
	p.volume = p.shares * logUniform(u(tagVolume), 0.002, 0.02)
	p.finCur = l.fin
	if p.finCur == "" {
		p.finCur = p.ex.Currency
		if p.finCur == "GBp" {
			p.finCur = "GBP"
		}
	}
	if p.fund {
		return
	}
	p.pe = pe
	p.growth = math.Exp(-0.05 + 0.3*uniform(u(tagGrowth)))
	p.earnLag = 20 + int(25*uniform(u(tagEarnings)))
	p.earnPost = uniform(mix(u(tagEarnings))) < 0.6
}

func (p *profile) hasEarnings() bool { return p.kind == equity && !p.fund }

// perUSD is how many units of a listing currency a US dollar buys, near
// enough to size share counts (pence for GBp).
func perUSD(cur string) float64 {
	switch cur {
	case "USD":
		return 1
	case "GBp":
		return 100 * fxLevels["GBP"]
	}
	if v, ok := fxLevels[cur]; ok {
		return v
	}
	return 1
}

// quarterOf numbers the calendar quarter holding civil day n: 4*year+0..3.
func quarterOf(n int32) int {
	y, m, _ := dayDate(n).Date()
	return 4*y + (int(m)-1)/3
}

// release is one quarter's results coming out.
type release struct {
	at    time.Time
	first int32 // civil day of the first session to trade on them
	last  int32 // civil day of the last session closed before them
}

// report is when quarter q's results come out: earnLag days after the
// quarter ends, give or take two (a week more for the last quarter, with the
// annual accounts), on a trading day, two hours before the open or just
// after the close. It asks the exchange about single days rather than the
// calendar, which would build a whole year for the next report.
func (p *profile) report(seed int64, q int) release {
	y, j := q/4, q%4
	d := dayNumber(y, time.Month(3*j+4), 0) + int32(p.earnLag-2) // day 0: the quarter's last day
	d += int32(5 * uniform(hash(seed, p.key, tagEarnings, uint64(q))))
	if j == 3 {
		d += 7
	}
	trades := func(n int32) bool { _, _, ok := p.ex.Session(dayDate(n)); return ok }
	for !trades(d) {
		d++
	}
	open, close, _ := p.ex.Session(dayDate(d))
	if p.earnPost {
		next := d + 1
		for !trades(next) {
			next++
		}
		return release{close.UTC().Add(15 * time.Minute), next, d}
	}
	prev := d - 1
	for !trades(prev) {
		prev--
	}
	return release{open.UTC().Add(-2 * time.Hour), d, prev}
}

// eps is the trailing earnings per share (listing currency) that quarter
// q's results, out after the session closing on civil day last, give.
func (p *profile) eps(seed int64, q int, last int32) float64 {
	r, _ := p.cal.find(last)
	return math.Exp(p.logClose(seed, r)) / (p.pe * math.Exp(peNoise*normal(hash(seed, p.key, tagEPS, uint64(q)))))
}

// figures holds every number a quote points at: one allocation per quote
// for all of them, and no pointer into the caches.
type figures struct {
	marketCap, shares, avg3m, avg10, hi, lo, trailingPE, forwardPE float64
	earnings, earnStart, earnEnd                                   time.Time
}

// addFigures fills q's optional figures from session stats st: volumes and
// the 52-week range for every listing but FX; shares, market value and
// currency of account for equities; earnings and P/E for equities that are
// not funds (P/E only for the profitable).
func (p *profile) addFigures(q *feeds.Quote, st *dayStats, now time.Time) {
	x := new(figures)
	x.avg3m, x.avg10 = math.Round(st.avg3m), math.Round(st.avg10)
	x.hi, x.lo = math.Max(st.hi, q.Price), math.Min(st.lo, q.Price)
	q.AverageVolume3Month, q.AverageVolume10Day = &x.avg3m, &x.avg10
	q.FiftyTwoWeekHigh, q.FiftyTwoWeekLow = &x.hi, &x.lo
	if p.kind != equity {
		return
	}
	x.shares = p.shares
	x.marketCap = math.Round(p.shares * q.Price)
	if p.ex.Currency == "GBp" { // in pounds, as Yahoo gives London market caps
		x.marketCap = math.Round(p.shares * q.Price / 100)
	}
	q.SharesOutstanding, q.MarketCap, q.FinancialCurrency = &x.shares, &x.marketCap, p.finCur
	if p.fund {
		return
	}
	x.earnings, x.earnStart, x.earnEnd = st.next, st.window[0], st.window[1]
	q.EarningsTime, q.EarningsStart, q.EarningsEnd = &x.earnings, &x.earnStart, &x.earnEnd
	if p.pe <= 0 {
		return
	}
	eps := st.epsPrev
	if !now.Before(st.next) {
		eps = st.epsNext
	}
	if eps <= 0 { // not set: cannot happen (see statsFor), but never divide by it
		return
	}
	x.trailingPE = round2(q.Price / eps)
	x.forwardPE = round2(q.Price / (eps * p.growth))
	q.TrailingPE, q.ForwardPE = &x.trailingPE, &x.forwardPE
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
