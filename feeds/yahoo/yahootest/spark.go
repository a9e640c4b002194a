package yahootest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"time"
)

// Spark routes, as counted by Count and scripted by Script.
const (
	RouteSpark   = "/v7/finance/spark"
	RouteSparkV8 = "/v8/finance/spark"
)

// MaxSparkSymbols is the most symbols one spark call may carry before the
// fake answers 400, as Yahoo does.
const MaxSparkSymbols = 20

// SparkFixture is the recorded v7 spark body (NOK=X and NIO=X, 2018).
const SparkFixture = "yahoo_v7_spark_NOK=X-NIO=X_1d_1d.json"

// serveSpark answers both spark shapes for every symbol it has a chart for:
// each symbol's entry is the chart the chart route would serve it (a
// recorded body; for an intraday interval without a chart of its own, the
// recorded one-minute day, whose chartPreviousClose is the day before's
// close), relabelled with the symbol and, for a symbol without a chart of
// its own, its prices scaled to the price of the quote the fake serves it
// (recorded or synthesized), so a spark quote agrees with it, and its path
// bent by a wave of its own (see wobble), so symbols do not all move alike
// and relative strength, the rotation map's input, is not flat. The fake needs no session for
// spark, like Yahoo.
func (s *Server) serveSpark(w http.ResponseWriter, r *http.Request, v8 bool) {
	var symbols []string
	for _, sym := range strings.Split(r.URL.Query().Get("symbols"), ",") {
		if sym = strings.ToUpper(strings.TrimSpace(sym)); sym != "" {
			symbols = append(symbols, sym)
		}
	}
	if len(symbols) == 0 {
		writeJSON(w, http.StatusBadRequest, `{"spark":{"result":null,"error":{"code":"Bad Request","description":"Missing value for the \"symbols\" argument"}}}`)
		return
	}
	if len(symbols) > s.sparkMax() {
		writeJSON(w, http.StatusBadRequest, fmt.Sprintf(`{"spark":{"result":null,"error":{"code":"Bad Request","description":"symbols must be at most %d"}}}`, s.sparkMax()))
		return
	}
	v7 := []map[string]any{}
	byKey := map[string]any{}
	for _, sym := range symbols {
		res, ok := s.sparkResult(sym, r.URL.Query().Get("interval") != "1d")
		if !ok {
			continue
		}
		v7 = append(v7, map[string]any{"symbol": sym, "response": []any{res}})
		byKey[sym] = v8Entry(sym, res)
	}
	var body []byte
	if v8 {
		body, _ = json.Marshal(byKey)
	} else {
		body, _ = json.Marshal(map[string]any{"spark": map[string]any{"result": v7, "error": nil}})
	}
	writeJSON(w, http.StatusOK, string(body))
}

func (s *Server) sparkMax() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sparkLimit > 0 {
		return s.sparkLimit
	}
	return MaxSparkSymbols
}

// SetSparkLimit changes how many symbols a spark call may carry (0: the
// default MaxSparkSymbols), to test the split of a refused batch.
func (s *Server) SetSparkLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sparkLimit = n
}

// sparkResult is the chart result served for sym, or false when the fake
// has no chart for it or leaves it out as unknown.
func (s *Server) sparkResult(sym string, intraday bool) (map[string]any, bool) {
	s.mu.Lock()
	body, own := s.charts[sym]
	if !own {
		body = s.charts["*"]
		if intraday && s.intraday != nil {
			body = s.intraday
		}
	}
	missing := s.missing[sym]
	s.mu.Unlock()
	if body == nil || missing {
		return nil, false
	}
	var chart struct {
		Chart struct {
			Result []map[string]any `json:"result"`
		} `json:"chart"`
	}
	if json.Unmarshal(body, &chart) != nil || len(chart.Chart.Result) == 0 {
		return nil, false
	}
	res := chart.Chart.Result[0]
	meta, _ := res["meta"].(map[string]any)
	if meta == nil {
		return nil, false
	}
	if !own {
		if price, ok := meta["regularMarketPrice"].(float64); ok && price > 0 {
			scale(res, s.quotePrice(sym)/price)
			wobble(res, sym)
		}
	}
	s.mu.Lock()
	today := s.today
	s.mu.Unlock()
	if intraday && !own && today != nil {
		if at, ok := meta["regularMarketTime"].(float64); ok {
			recorded := time.Unix(int64(at), 0).UTC().Truncate(24 * time.Hour)
			shiftTimes(res, int64(today().UTC().Truncate(24*time.Hour).Sub(recorded)/time.Second))
		}
	}
	meta["symbol"] = sym
	return res, true
}

// MoveSessionsToToday serves the recorded intraday day as if it were the
// UTC day of clock's time, every bar and trading period moved by whole
// days: a stream's trades of today then fall within the series' session,
// as they do against Yahoo.
func (s *Server) MoveSessionsToToday(clock func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.today = clock
}

// shiftTimes adds secs to every epoch time in a chart result: its
// timestamps, and the meta's trade time and trading periods' bounds.
func shiftTimes(v any, secs int64) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch k {
			case "timestamp":
				if ts, ok := x.([]any); ok {
					for i, t := range ts {
						if f, ok := t.(float64); ok {
							ts[i] = f + float64(secs)
						}
					}
				}
			case "start", "end", "regularMarketTime":
				if f, ok := x.(float64); ok {
					v[k] = f + float64(secs)
				}
			default:
				shiftTimes(x, secs)
			}
		}
	case []any:
		for _, x := range v {
			shiftTimes(x, secs)
		}
	}
}

// quotePrice is the regularMarketPrice of the quote served for sym.
func (s *Server) quotePrice(sym string) float64 {
	s.mu.Lock()
	raw, ok := s.quotes[sym]
	s.mu.Unlock()
	var q struct {
		Price float64 `json:"regularMarketPrice"`
	}
	if ok && json.Unmarshal(raw, &q) == nil && q.Price > 0 {
		return q.Price
	}
	return SyntheticPrice(sym)
}

// scale multiplies every price in a chart result by k.
func scale(res map[string]any, k float64) {
	meta := res["meta"].(map[string]any)
	for _, f := range []string{"regularMarketPrice", "chartPreviousClose", "previousClose", "fiftyTwoWeekHigh", "fiftyTwoWeekLow", "regularMarketDayHigh", "regularMarketDayLow"} {
		if v, ok := meta[f].(float64); ok {
			meta[f] = v * k
		}
	}
	ind, _ := res["indicators"].(map[string]any)
	quotes, _ := ind["quote"].([]any)
	for _, q := range quotes {
		qm, _ := q.(map[string]any)
		for _, f := range []string{"open", "high", "low", "close"} {
			bars, _ := qm[f].([]any)
			for i, b := range bars {
				if v, ok := b.(float64); ok {
					bars[i] = v * k
				}
			}
		}
	}
	delete(ind, "adjclose")
}

// wobble multiplies the closes before the last by 1 + 4% of a sine wave
// whose period (15 to 45 bars) and phase are the symbol's own, so the last
// close, the quote's price, stays as it is.
func wobble(res map[string]any, sym string) {
	h := fnv.New32a()
	h.Write([]byte(sym))
	seed := h.Sum32()
	period, phase := 15+float64(seed%31), float64(seed>>8%628)/100
	ind, _ := res["indicators"].(map[string]any)
	quotes, _ := ind["quote"].([]any)
	for _, q := range quotes {
		qm, _ := q.(map[string]any)
		bars, _ := qm["close"].([]any)
		n := len(bars)
		for i, b := range bars {
			if v, ok := b.(float64); ok && i < n-1 {
				k := func(j int) float64 { return 1 + 0.04*math.Sin(2*math.Pi*float64(j)/period+phase) }
				bars[i] = v * k(i) / k(n-1)
			}
		}
	}
}

// v8Entry is a chart result in the /v8/finance/spark shape.
func v8Entry(sym string, res map[string]any) map[string]any {
	meta := res["meta"].(map[string]any)
	var closes any = []any{}
	if ind, ok := res["indicators"].(map[string]any); ok {
		if qs, ok := ind["quote"].([]any); ok && len(qs) > 0 {
			if qm, ok := qs[0].(map[string]any); ok {
				closes = qm["close"]
			}
		}
	}
	return map[string]any{"symbol": sym, "timestamp": res["timestamp"], "close": closes,
		"chartPreviousClose": meta["chartPreviousClose"], "previousClose": meta["previousClose"], "dataGranularity": meta["dataGranularity"]}
}
