package ui

import (
	"math"
	"strconv"
	"time"

	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/watchlists"
)

// segNow is the fixture's moment: 09:05 in New York (pre-market), evening in
// Tokyo, Seoul and Taipei (closed).
var segNow = time.Date(2025, 3, 12, 13, 5, 0, 0, time.UTC)

// segMember is one hand-made member of the fixture segment.
type segMember struct {
	sym, name, feedName  string
	exchange, tz, ccy    string
	state                feeds.MarketState
	price, prev          float64
	rangeReturn          float64 // NaN: unknown
	weight               float64
	noQuote, missing     bool
	stale                bool
	prePrice, prePercent float64
	flag                 string
}

var segMembers = []segMember{
	{sym: "NVDA", name: "NVIDIA", exchange: "NMS", tz: "America/New_York", ccy: "USD", state: feeds.Pre,
		price: 118.53, prev: 115.74, rangeReturn: 6.12, weight: 2, prePrice: 120.10, prePercent: 1.32},
	{sym: "AVGO", feedName: "Broadcom\x1b]0;pwned\x07 Inc.", exchange: "NMS", tz: "America/New_York", ccy: "USD",
		state: feeds.Pre, price: 191.20, prev: 193.50, rangeReturn: -3.4, weight: 1},
	{sym: "MRVL", name: "Marvell Technology", exchange: "NMS", tz: "America/New_York", ccy: "USD", state: feeds.Pre,
		price: 66.10, prev: 65.02, rangeReturn: 1.8, weight: 1, stale: true},
	{sym: "6857.T", feedName: "Advantest Corporation", exchange: "JPX", tz: "Asia/Tokyo", ccy: "JPY", state: feeds.Closed,
		price: 7012, prev: 6950, rangeReturn: 8.9, weight: 1},
	{sym: "000660.KS", name: "SK hynix", exchange: "KSC", tz: "Asia/Seoul", ccy: "KRW", state: feeds.Closed,
		price: 198500, prev: 201000, rangeReturn: -5.2, weight: 1},
	{sym: "2317.TW", name: "鴻海精密", exchange: "TAI", tz: "Asia/Taipei", ccy: "TWD", state: feeds.Closed,
		price: 172.5, prev: 170, rangeReturn: 2.3, weight: 1},
	{sym: "3661.TW", feedName: "Alchip Technologies", exchange: "TAI", tz: "Asia/Taipei", ccy: "TWD", state: feeds.Closed,
		price: 2915, prev: 2880, rangeReturn: math.NaN(), weight: 1, flag: "no 1M series: the feed sent no bars"},
	{sym: "ALAB", name: "Astera Labs", noQuote: true, rangeReturn: math.NaN(), weight: 1, flag: "no quote and no series"},
	{sym: "ZZZZ", missing: true, rangeReturn: math.NaN(), weight: 1, flag: "no quote and no series"},
}

func segOpt(v float64) baskets.Opt {
	if v == 0 {
		return baskets.None
	}
	return baskets.Some(v)
}

// segDays are the fixture's sessions: weekdays from early February to the
// day before segNow.
func segDays() []time.Time {
	var days []time.Time
	for d := time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC); d.Before(segNow.Truncate(24 * time.Hour)); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			days = append(days, d)
		}
	}
	return days
}

// segSeries is a wavy daily series that ends at the member's price.
func segSeries(m segMember, k int) feeds.Series {
	days := segDays()
	s := feeds.Series{Symbol: m.sym, Range: feeds.Range1M, Interval: 24 * time.Hour}
	for i, d := range days {
		f := float64(i) / float64(len(days)-1)
		s.Times = append(s.Times, d.Add(20*time.Hour))
		s.Closes = append(s.Closes, m.price*(1-0.06*(1-f)+0.03*math.Sin(float64(i*(k+2))/3)))
	}
	s.Closes[len(s.Closes)-1] = m.prev
	return s
}

// segFixture is a segment with US, Tokyo, Seoul and Taipei listings, a PRE
// quote, a stale quote, a symbol the feed does not know, one without a
// quote, one without a range return and a CJK name.
func segFixture() segmentData {
	d := segmentData{
		Series: map[string]feeds.Series{}, Quotes: map[string]feeds.Quote{}, Missing: map[string]bool{},
		LastGood: map[string]time.Time{}, Now: segNow, Range: feeds.Range1M, StaleAfter: 150 * time.Second,
		Description: "Chips designed for one hyperscaler's inference, and the firms that design them.",
	}
	seg := baskets.SegmentResult{File: "20-custom-silicon.yaml", Name: "Custom silicon", Era: watchlists.Inference,
		Return: baskets.Some(2.41), Excess: baskets.Some(1.36), Up: 4, Down: 2,
		Coverage: baskets.Coverage{Priced: 6, Total: len(segMembers)}}
	for k, m := range segMembers {
		res := baskets.SymbolResult{Symbol: m.sym, Name: m.name, Weight: m.weight, Flag: m.flag}
		if m.missing {
			d.Missing[m.sym] = true
		}
		if !m.noQuote && !m.missing {
			q := feeds.Quote{Symbol: m.sym, Name: m.feedName, Price: m.price, PreviousClose: m.prev,
				Change: m.price - m.prev, ChangePercent: 100 * (m.price/m.prev - 1), Currency: m.ccy,
				Exchange: m.exchange, ExchangeTZ: m.tz, MarketState: m.state, PrePrice: m.prePrice,
				PreChange: m.prePrice - m.price, PreChangePercent: m.prePercent,
				QuoteTime: segNow.Add(-time.Duration(k+1) * time.Minute), DelayMinutes: 15 * (k % 2), Volume: int64(1234567 * (k + 1))}
			if m.prePrice == 0 {
				q.PreChange, q.PreChangePercent = 0, 0
			}
			if k == 0 { // the figures of a full quote, for the detail view
				cap, avg, lo, hi, pe, fwd := 2.89e12, 1e6, m.price*0.6, m.price*1.25, 55.2, 33.1
				earnings := segNow.Add(20 * 24 * time.Hour)
				q.MarketCap, q.AverageVolume3Month, q.FiftyTwoWeekLow, q.FiftyTwoWeekHigh = &cap, &avg, &lo, &hi
				q.TrailingPE, q.ForwardPE, q.EarningsTime = &pe, &fwd, &earnings
			}
			d.Quotes[m.sym] = q
			d.LastGood[m.sym] = segNow.Add(-20 * time.Second)
			if m.stale {
				d.LastGood[m.sym] = segNow.Add(-190 * time.Second)
			}
			if m.rangeReturn == m.rangeReturn { // a member without a range return has no series
				d.Series[m.sym] = segSeries(m, k)
			}
			res.Price, res.PreviousClose = segOpt(m.price), segOpt(m.prev)
			res.Change, res.ChangePercent = baskets.Some(q.Change), baskets.Some(q.ChangePercent)
			res.Currency, res.Exchange, res.MarketState = m.ccy, m.exchange, string(m.state)
			qt := q.QuoteTime
			res.QuoteTime, res.Stale = &qt, m.stale
			res.RangeReturn = baskets.Some(m.rangeReturn)
			if res.RangeReturn.Valid {
				res.Base = baskets.Some(m.price / (1 + m.rangeReturn/100))
				res.Window = segWindow(d.Series[m.sym], res.Base.Value, m.price, qt)
			}
		}
		seg.Symbols = append(seg.Symbols, res)
	}
	seg.Best, seg.Worst = &seg.Symbols[3], &seg.Symbols[4]
	seg.Index = segLine(100, 102.41)
	d.Segment = seg
	d.Benchmark = segBenchmark()
	return d
}

// segBenchmark is the fixture's benchmark over the same days.
func segBenchmark() baskets.BenchmarkResult {
	return baskets.BenchmarkResult{Symbol: "SPY", Return: baskets.Some(1.05), Index: segLine(100, 101.05)}
}

// segWindow is what baskets makes of a fixture series: the base on 11
// February (the 1M base date of 12 March), the bars after it, and the price
// at the quote's time.
func segWindow(s feeds.Series, base, price float64, at time.Time) baskets.Line {
	const first = 7 // 12 February
	w := baskets.Line{Times: []time.Time{s.Times[first-1]}, Values: []float64{base}}
	w.Times = append(w.Times, s.Times[first:]...)
	w.Values = append(w.Values, s.Closes[first:]...)
	w.Times, w.Values = append(w.Times, at), append(w.Values, price)
	return w
}

// segLine runs from 100 to end over the 1M grid, with a wobble.
func segLine(start, end float64) baskets.Line {
	var l baskets.Line
	days := segDays()[6:]
	for i, d := range days {
		f := float64(i) / float64(len(days)-1)
		l.Times = append(l.Times, d)
		l.Values = append(l.Values, start+(end-start)*f+0.8*math.Sin(float64(i)/2)*f*(1-f)*4)
	}
	l.Times = append(l.Times, segNow.Truncate(24*time.Hour))
	l.Values = append(l.Values, end)
	return l
}

// segDetailFixture is the detail of the fixture's first member.
func segDetailFixture(sym string) detailData {
	d := segFixture()
	dd := detailData{Range: d.Range, Quote: d.Quotes[sym], Series: d.Series[sym], Segment: d.Segment,
		Benchmark: d.Benchmark,
		Note:      "designs the TPU's SerDes and packaging with Google"}
	for _, s := range d.Segment.Symbols {
		if s.Symbol == sym {
			dd.Symbol = s
		}
	}
	return dd
}

// segManyRows is a segment of n made-up US members, for benchmarks.
func segManyRows(n int) segmentData {
	d := segFixture()
	d.Segment.Symbols = nil
	for i := range n {
		m := segMember{sym: "SYM" + strconv.Itoa(i), name: "Company number " + strconv.Itoa(i), exchange: "NMS",
			tz: "America/New_York", ccy: "USD", state: feeds.Regular, price: 50 + float64(i%97),
			prev: 49 + float64(i%89), rangeReturn: float64(i%23) - 11, weight: 1}
		d.Quotes[m.sym] = feeds.Quote{Symbol: m.sym, Price: m.price, PreviousClose: m.prev, Currency: "USD",
			ExchangeTZ: m.tz, MarketState: m.state, QuoteTime: segNow}
		d.LastGood[m.sym] = segNow
		d.Series[m.sym] = segSeries(m, i)
		d.Segment.Symbols = append(d.Segment.Symbols, baskets.SymbolResult{Symbol: m.sym, Name: m.name, Weight: 1,
			Price: baskets.Some(m.price), PreviousClose: baskets.Some(m.prev), Change: baskets.Some(m.price - m.prev),
			ChangePercent: baskets.Some(100 * (m.price/m.prev - 1)), Currency: "USD", MarketState: string(m.state),
			RangeReturn: baskets.Some(m.rangeReturn)})
	}
	d.Segment.Best, d.Segment.Worst = nil, nil
	return d
}
