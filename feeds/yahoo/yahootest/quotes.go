package yahootest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Recorded response bodies in feeds/yahoo/testdata (see SOURCES.md there).
const (
	QuotesPre     = "yahoo_v7_quote_AAPL-MSFT_PRE.json"
	QuotesRegular = "yahoo_v7_quote_AAPL-MSFT_REGULAR.json"
	QuotesPost    = "yahoo_v7_quote_AAPL-MSFT_POST.json"
	Chart1m       = "yahoo_v8_chart_AAPL_1m_2024-10-02.json"
	Chart6mo      = "yahoo_v8_chart_AAPL_6mo_1d.json"
)

// SyntheticTime is the regularMarketTime of every synthesized quote
// (2025-10-27 14:00:00 UTC).
const SyntheticTime = 1761573600

// Fixture returns a recorded body from feeds/yahoo/testdata. The folder is
// found next to this source file, so tests of any package can use it.
func Fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatalf("yahootest: cannot locate its own source to find testdata/%s", name)
	}
	path := filepath.Join(filepath.Dir(self), "..", "testdata", name)
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("yahootest: reading fixture: %v (the recorded files live in feeds/yahoo/testdata)", err)
	}
	return b
}

// UseQuotes replaces the recorded quotes with those of one fixture file.
func (s *Server) UseQuotes(tb testing.TB, name string) {
	tb.Helper()
	var body struct {
		QuoteResponse struct {
			Result []json.RawMessage `json:"result"`
		} `json:"quoteResponse"`
	}
	if err := json.Unmarshal(Fixture(tb, name), &body); err != nil {
		tb.Fatalf("yahootest: fixture %s is not a quote response: %v", name, err)
	}
	quotes := map[string]json.RawMessage{}
	for _, raw := range body.QuoteResponse.Result {
		sym, err := symbolOf(raw)
		if err != nil {
			tb.Fatalf("yahootest: fixture %s: %v", name, err)
		}
		quotes[sym] = raw
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quotes = quotes
}

// AddQuote serves one quote object (Yahoo's JSON, as in a result array) for
// its symbol, replacing any recorded or synthesized one.
func (s *Server) AddQuote(raw json.RawMessage) error {
	sym, err := symbolOf(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quotes[sym] = raw
	return nil
}

func symbolOf(raw json.RawMessage) (string, error) {
	var q struct {
		Symbol string `json:"symbol"`
	}
	if err := json.Unmarshal(raw, &q); err != nil || q.Symbol == "" {
		return "", fmt.Errorf("quote object without a symbol: %.60s", raw)
	}
	return q.Symbol, nil
}

// Missing makes the fake leave these symbols out of quote results, as Yahoo
// does for symbols it does not know.
func (s *Server) Missing(symbols ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sym := range symbols {
		s.missing[sym] = true
	}
}

// Synthesize turns quotes for symbols without a recorded one on or off.
func (s *Server) Synthesize(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.synthesize = on
}

// SyntheticPrice is the regularMarketPrice the fake gives a symbol it has
// no recording of: stable per symbol, between 10 and 1000, two decimals.
func SyntheticPrice(symbol string) float64 {
	h := fnv.New32a()
	h.Write([]byte(symbol))
	return 10 + float64(h.Sum32()%99000)/100
}

func synthesize(symbol, state string) json.RawMessage {
	if state == "" {
		state = "REGULAR"
	}
	price := SyntheticPrice(symbol)
	prev := math.Round(price*0.99*100) / 100
	change := price - prev
	q := map[string]any{
		"symbol":                     symbol,
		"shortName":                  symbol + " synthetic",
		"quoteType":                  "EQUITY",
		"marketState":                state,
		"currency":                   "USD",
		"exchange":                   "NMS",
		"fullExchangeName":           "NasdaqGS",
		"exchangeTimezoneName":       "America/New_York",
		"regularMarketPrice":         price,
		"regularMarketPreviousClose": prev,
		"regularMarketChange":        change,
		"regularMarketChangePercent": change / prev * 100,
		"regularMarketTime":          SyntheticTime,
		"regularMarketVolume":        1000 + len(symbol),
		"exchangeDataDelayedBy":      0,
	}
	raw, _ := json.Marshal(q) // a map of plain values always marshals
	return raw
}

func (s *Server) serveQuotes(w http.ResponseWriter, r *http.Request) {
	if !s.hasSession(r, true) {
		writeJSON(w, http.StatusUnauthorized, invalidCrumbBody)
		return
	}
	q := r.URL.Query()
	if q.Get("formatted") == "true" {
		writeJSON(w, http.StatusBadRequest, `{"finance":{"result":null,"error":{"code":"Bad Request","description":"this fake serves raw numbers only; do not send formatted=true"}}}`)
		return
	}
	var symbols []string
	for _, sym := range strings.Split(q.Get("symbols"), ",") {
		if sym = strings.ToUpper(strings.TrimSpace(sym)); sym != "" { // Yahoo answers in upper case
			symbols = append(symbols, sym)
		}
	}
	if len(symbols) > MaxSymbols {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, "Too Many Requests")
		return
	}
	result := []json.RawMessage{}
	s.mu.Lock()
	for _, sym := range symbols {
		switch raw, ok := s.quotes[sym]; {
		case s.missing[sym]:
		case ok && s.state != "":
			result = append(result, withState(raw, s.state))
		case ok:
			result = append(result, raw)
		case s.synthesize:
			result = append(result, synthesize(sym, s.state))
		}
	}
	s.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"quoteResponse": map[string]any{"result": result, "error": nil}})
	writeJSON(w, http.StatusOK, string(body))
}

// withState is a recorded quote with its marketState replaced.
func withState(raw json.RawMessage, state string) json.RawMessage {
	var q map[string]any
	if json.Unmarshal(raw, &q) != nil {
		return raw
	}
	q["marketState"] = state
	out, err := json.Marshal(q)
	if err != nil {
		return raw
	}
	return out
}
