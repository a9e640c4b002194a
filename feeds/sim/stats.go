package sim

import (
	"math"
	"slices"
	"time"
)

// Volume: each session has a daily total, log-normal around the listing's
// typical volume, several times it on a few news days and on the session
// that first trades on fresh results. Within the session it accrues with
// the session's variance weights, so trading is heaviest at the open and
// close, like the price moves.
const (
	spikeOdds      = 0.04 // share of sessions with news: 2-6x the usual volume
	earningsVolume = 2.5  // multiple on the session trading on fresh results
	week52         = 364  // days in the 52-week range
	sessions3M     = 63   // sessions in Yahoo's three-month average volume
	sessions10D    = 10   // and in its ten-day one
)

// dayStats are a listing's figures that change once a session. They are
// computed the first time a session is quoted and kept until the next one,
// so a live screen pays for them once a day, not once a second.
type dayStats struct {
	day          int32        // civil day of the session they belong to
	hi, lo       float64      // extreme closes of the 52 weeks before the session
	avg3m, avg10 float64      // mean daily total of the 63 and 10 sessions before it
	volume       float64      // the session's own daily total
	next         time.Time    // the upcoming earnings report; zero without earnings
	window       [2]time.Time // Yahoo's earnings window: next itself once confirmed
	epsPrev      float64      // trailing earnings per share before next; 0 for loss-makers
	epsNext      float64      // and once next is out
}

// statsFor returns the figures of session cur (the current or last one).
// The averages and the 52-week range cover the sessions before cur only:
// cur's own volume and close are still moving while it trades.
func (p *profile) statsFor(seed int64, cur sessionRef) *dayStats {
	day := p.cal.at(cur).day
	if p.stats != nil && p.stats.day == day {
		return p.stats
	}
	st := &dayStats{day: day, hi: math.Inf(-1), lo: math.Inf(1)}
	var results []int32 // sessions that first traded on a report
	if p.hasEarnings() {
		// Three quarters back covers the 63-session window, since results
		// come out within about two months of a quarter's end.
		for q := quarterOf(day) - 3; ; q++ {
			rel := p.report(seed, q)
			results = append(results, rel.first)
			if rel.first < day {
				continue
			}
			// Until a date is confirmed Yahoo gives a window around it.
			st.next, st.window = rel.at, [2]time.Time{rel.at, rel.at}
			if rel.at.Sub(p.cal.at(cur).openTime()) > confirmAhead {
				st.window = [2]time.Time{rel.at.AddDate(0, 0, -3), rel.at.AddDate(0, 0, 4)}
			}
			if p.pe > 0 {
				st.epsPrev = p.eps(seed, q-1, p.report(seed, q-1).last)
				if rel.last <= day { // else it comes out after this session has given way
					st.epsNext = p.eps(seed, q, rel.last)
				}
			}
			break
		}
	}
	vol := func(n int32) float64 { return p.dailyVolume(seed, n, slices.Contains(results, n)) }
	st.volume = vol(day)
	cutoff := day - week52
	newest := p.cal.prev(cur)
	oldest, inRange := newest, false // the 52 weeks' sessions are oldest..newest
	r := cur
	for i := 1; ; i++ {
		r = p.cal.prev(r)
		n := p.cal.at(r).day
		if n < cutoff && i > sessions3M {
			break
		}
		if n >= cutoff {
			oldest, inRange = r, true
		}
		if i <= sessions3M {
			v := vol(n)
			st.avg3m += v / sessions3M
			if i <= sessions10D {
				st.avg10 += v / sessions10D
			}
		}
	}
	if inRange { // walked forward once; the extremes do not depend on the order
		for _, lc := range p.closes(seed, oldest, newest) {
			st.hi, st.lo = math.Max(st.hi, lc), math.Min(st.lo, lc)
		}
	}
	st.hi, st.lo = p.round(math.Exp(st.hi)), p.round(math.Exp(st.lo))
	p.stats = st
	return st
}

// dailyVolume is the total traded in the session closing on civil day n;
// results says whether that session is the first to trade on a report.
func (p *profile) dailyVolume(seed int64, n int32, results bool) float64 {
	v := p.volume * math.Exp(0.3*normal(hash(seed, p.key, tagVolume, uint64(n))))
	if h := hash(seed, p.key, tagSpike, uint64(n)); uniform(h) < spikeOdds {
		v *= 2 + 4*uniform(mix(h))
	}
	if results {
		v *= earningsVolume
	}
	return v
}

// volumeAt is the share of total, session r's daily volume, traded by
// instant at. FX has none.
func (p *profile) volumeAt(seed int64, r sessionRef, at time.Time, total float64) int64 {
	if p.kind == fx {
		return 0
	}
	dp := p.path(seed, r)
	n := dp.len()
	i := dp.barAt(at)
	if i == n {
		return int64(total * dp.done[n])
	}
	done, start, end := dp.done[i], dp.start(i), dp.end(i)
	if start.Before(at) {
		done += dp.weights[i] * float64(at.Sub(start)) / float64(end.Sub(start))
	}
	return int64(total * done)
}
