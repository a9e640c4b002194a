package yahoo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// The fuzz targets feed arbitrary bodies through the feed's whole decoding
// path: HTTP answer, finance-go's clients, our decoding and mapping. Run
// one for a few seconds with
//
//	go test -run '^$' -fuzz '^FuzzChartDecode$' -fuzztime 5s -fuzzminimizetime 20x ./feeds/yahoo/
//
// The seeds are whole recorded bodies (up to 36 kB); without a short
// -fuzzminimizetime, a 5-second run spends most of its time shrinking
// the first inputs it finds interesting.

// bodyTransport answers every request 200 with one body, without a network.
type bodyTransport []byte

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: r,
	}, nil
}

// bodyFeed is a feed whose every request is answered with body, holding a
// session already so no handshake is needed.
func bodyFeed(body []byte) *Feed {
	f := New(Options{BaseURL: "http://127.0.0.1:9", HTTPClient: &http.Client{Transport: bodyTransport(body)},
		Clock: func() time.Time { return testStart }, Rand: func() float64 { return 0.5 }})
	f.be.sessions.cur = session{Cookie: "A3=fuzz", Crumb: "fuzzcrumb", Created: testStart}
	return f
}

// addFixtures seeds f with every recorded body whose name starts with prefix.
func addFixtures(f *testing.F, prefix string) {
	names, err := filepath.Glob(filepath.Join("testdata", prefix+"*.json"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no %s* fixtures in testdata: %v", prefix, err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkFailure: a failure is classified and reads as one short sentence,
// since it ends up in Health.
func checkFailure(t *testing.T, err error, health feeds.Health) {
	t.Helper()
	if feeds.KindOf(err) == "" {
		t.Fatalf("unclassified error %v (%T)", err, err)
	}
	if len(err.Error()) > 500 || len(health.Detail) > 500 {
		t.Fatalf("error of %d bytes, detail of %d: %.200q", len(err.Error()), len(health.Detail), err.Error())
	}
}

var fuzzSymbols = []string{"AAPL", "MSFT", "^GSPC", "BRK-B", "7203.T"}

func FuzzQuoteDecode(f *testing.F) {
	addFixtures(f, "yahoo_v7_quote_")
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"quoteResponse":null}`, `{"quoteResponse":{"result":null}}`,
		`{"quoteResponse":{"result":[{"symbol":"AAPL","regularMarketPrice":-1},{"symbol":"EVIL","regularMarketPrice":5}]}}`,
		`{"quoteResponse":{"result":[{"symbol":"aapl","regularMarketPrice":1e308,"regularMarketTime":99999999999999}]}}`,
		`{"quoteResponse":{"result":[{"symbol":"MSFT","regularMarketPrice":"12"}]}}`,
		`{"quoteResponse":{"result":[{"symbol":"MSFT","regularMarketPrice":1` + strings.Repeat("0", 400) + `}]}}`,
		`<html><body>Will be right back</body></html>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		feed := bodyFeed(body)
		quotes, err := feed.Quotes(context.Background(), fuzzSymbols)
		if err != nil {
			checkFailure(t, err, feed.Health())
		}
		for _, q := range quotes {
			if !slices.Contains(fuzzSymbols, q.Symbol) {
				t.Errorf("quote for %q, which was not asked for", q.Symbol)
			}
			if !(q.Price > 0) || math.IsInf(q.Price, 0) {
				t.Errorf("%s has price %v", q.Symbol, q.Price)
			}
		}
		// Quotes are saved in snapshots and recordings as JSON.
		if _, err := json.Marshal(quotes); err != nil {
			t.Errorf("quotes cannot be saved: %v", err)
		}
	})
}

func FuzzChartDecode(f *testing.F) {
	addFixtures(f, "yahoo_v8_chart_")
	for _, s := range []string{
		``, `null`, `{"chart":null}`, `{"chart":{"result":[]}}`, `{"chart":{"result":null,"error":{"description":"gone"}}}`,
		`{"chart":{"result":[{"meta":{},"timestamp":[1700000000,1700000000,1699999999],"indicators":{"quote":[{"close":[5,null,-1]}]}}]}}`,
		`{"chart":{"result":[{"meta":{"tradingPeriods":{"regular":[[{"start":2,"end":1}]]}},"timestamp":[9223372036854775807],"indicators":{"quote":[{"close":[1]}]}}]}}`,
		`{"chart":{"result":[{"meta":{"dataGranularity":"0m"},"timestamp":[-62135596801],"indicators":{"quote":[]}}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, r := range []feeds.Range{feeds.Range1D, feeds.Range1Y} {
			if s, ferr := parseChart("fuzz", body, "AAPL", r); ferr == nil {
				checkSeries(t, s)
			}
			feed := bodyFeed(body)
			s, err := feed.Series(context.Background(), "AAPL", r)
			if err != nil {
				checkFailure(t, err, feed.Health())
				continue
			}
			checkSeries(t, s)
		}
	})
}

// FuzzSparkDecode feeds any body to the spark path, both as series and as
// quotes built from charts: never a panic, a series that breaks the
// contract, or a quote without a price or for a symbol not asked for.
func FuzzSparkDecode(f *testing.F) {
	addFixtures(f, "yahoo_v7_spark_")
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"spark":null}`, `{"spark":{"result":null,"error":{"description":"Invalid interval"}}}`,
		`{"spark":{"result":[{"symbol":"AAPL","response":[]},{"symbol":"EVIL","response":[{"meta":{"regularMarketPrice":5}}]}]}}`,
		`{"spark":{"result":[{"symbol":"aapl","response":[{"meta":{"regularMarketPrice":-3,"regularMarketTime":99999999999999},"timestamp":[1,2],"indicators":{"quote":[{"close":[null,1e308]}]}}]}]}}`,
		`{"AAPL":{"symbol":"AAPL","timestamp":[1700000000,1699999999],"close":[5,6],"chartPreviousClose":4}}`,
		`{"MSFT":{"timestamp":[1700000000],"close":["x"]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		feed := bodyFeed(body)
		got, err := feed.SeriesBatch(context.Background(), fuzzSymbols, feeds.RangeDaily)
		if err != nil {
			checkFailure(t, err, feed.Health())
		}
		for sym, s := range got {
			if !slices.Contains(fuzzSymbols, sym) {
				t.Errorf("series for %q, which was not asked for", sym)
			}
			checkSeries(t, s)
		}
		quotes, err := bodyFeed(body).quotesFromCharts(context.Background(), fuzzSymbols)
		for _, q := range quotes {
			if !slices.Contains(fuzzSymbols, q.Symbol) || !(q.Price > 0) || math.IsInf(q.Price, 0) || !q.FromChart {
				t.Errorf("quote from charts %+v", q)
			}
		}
		if _, jerr := json.Marshal(quotes); jerr != nil {
			t.Errorf("quotes cannot be saved: %v (err %v)", jerr, err)
		}
	})
}

// checkSeries holds a series to the contract of feeds.Series.
func checkSeries(t *testing.T, s feeds.Series) {
	t.Helper()
	if len(s.Times) != len(s.Closes) {
		t.Fatalf("%d times but %d closes", len(s.Times), len(s.Closes))
	}
	for i, c := range s.Closes {
		if !(c > 0) || math.IsInf(c, 0) {
			t.Errorf("bar %d closes at %v", i, c)
		}
		if i > 0 && !s.Times[i].After(s.Times[i-1]) {
			t.Errorf("bar %d at %v is not after bar %d at %v", i, s.Times[i], i-1, s.Times[i-1])
		}
	}
	for i, p := range s.Periods {
		if !p.End.After(p.Start) || i > 0 && p.Start.Before(s.Periods[i-1].Start) {
			t.Errorf("period %d %v-%v is empty or out of order", i, p.Start, p.End)
		}
	}
	if s.Interval <= 0 || math.IsNaN(s.PreviousClose) {
		t.Errorf("interval %v, previous close %v", s.Interval, s.PreviousClose)
	}
	// Series are saved in snapshots and recordings as JSON.
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("series cannot be saved: %v", err)
	}
}
