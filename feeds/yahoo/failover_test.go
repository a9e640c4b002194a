package yahoo

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// query1 and query2 are twins: a request one of them fails with a 5xx, a
// 429 or no answer at all goes to the other, which stays the one asked.
func TestHostFailover(t *testing.T) {
	for name, step := range map[string]yahootest.Step{
		"503":     {Status: http.StatusServiceUnavailable, Body: "unavailable"},
		"429":     {Status: http.StatusTooManyRequests, Body: "Too Many Requests"},
		"timeout": {Hang: true},
	} {
		t.Run(name, func(t *testing.T) {
			one, two := yahootest.New(t), yahootest.New(t) // same cookie and crumb, like Yahoo's twins
			client := yahootest.Client()
			client.Timeout = 300 * time.Millisecond
			f, _ := newTestFeed(t, one.URL, func(o *Options) { o.FailoverURL = two.URL; o.HTTPClient = client })
			ctx := context.Background()
			if _, err := f.Quotes(ctx, []string{"AAPL"}); err != nil {
				t.Fatal(err)
			}
			one.Script(yahootest.RouteQuote, step)
			qs, err := f.Quotes(ctx, []string{"AAPL"})
			if err != nil || len(qs) != 1 {
				t.Fatalf("with query1 failing (%s): %v, %v; want the quote from query2", name, qs, err)
			}
			if two.Count(yahootest.RouteQuote) != 1 {
				t.Errorf("query2 answered %d quote requests, want 1", two.Count(yahootest.RouteQuote))
			}
			if _, err := f.SeriesBatch(ctx, []string{"AAPL"}, feeds.Range1D); err != nil || two.Count(yahootest.RouteSpark) != 1 || one.Count(yahootest.RouteSpark) != 0 {
				t.Errorf("after the failover the next request went to query1 (%d) instead of query2 (%d): %v",
					one.Count(yahootest.RouteSpark), two.Count(yahootest.RouteSpark), err)
			}
			if h := f.Health(); h.State != feeds.StateLive {
				t.Errorf("health after a failover = %s: %s", h.State, h.Detail)
			}
		})
	}
}

func TestNoFailoverForOneBaseURL(t *testing.T) {
	one := yahootest.New(t)
	f, _ := newTestFeed(t, one.URL)
	if _, err := f.Quotes(context.Background(), []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	one.FailNext(yahootest.RouteQuote, 1, http.StatusServiceUnavailable)
	if _, err := f.Quotes(context.Background(), []string{"AAPL"}); feeds.KindOf(err) != feeds.KindUpstream {
		t.Errorf("err = %v, want the 503 itself: %s moves everything to one base", err, EnvURL)
	}
	if e := newEndpoints(""); len(e.hosts) != 2 || e.hosts[1] != altHost {
		t.Errorf("Yahoo's endpoints = %v, want query1 then query2", e.hosts)
	}
}

// The quote fields for flows and the detail view, as the recording has them.
func TestQuoteFieldsFromTheRecording(t *testing.T) {
	fake := yahootest.New(t)
	f, _ := newTestFeed(t, fake.URL)
	qs, err := f.Quotes(context.Background(), []string{"AAPL", "MSFT"})
	if err != nil || len(qs) != 2 {
		t.Fatal(qs, err)
	}
	rec := recordedQuotes(t, yahootest.QuotesRegular)
	for _, q := range qs {
		r := rec[q.Symbol]
		for field, got := range map[string]*float64{
			"marketCap": q.MarketCap, "sharesOutstanding": q.SharesOutstanding,
			"averageDailyVolume3Month": q.AverageVolume3Month, "averageDailyVolume10Day": q.AverageVolume10Day,
			"fiftyTwoWeekHigh": q.FiftyTwoWeekHigh, "fiftyTwoWeekLow": q.FiftyTwoWeekLow,
			"trailingPE": q.TrailingPE, "forwardPE": q.ForwardPE,
		} {
			if got == nil || *got != num(r, field) {
				t.Errorf("%s %s = %v, the recording says %v", q.Symbol, field, got, num(r, field))
			}
		}
		if q.EarningsTime == nil || q.EarningsTime.Unix() != int64(num(r, "earningsTimestamp")) {
			t.Errorf("%s earningsTimestamp = %v, want %v", q.Symbol, q.EarningsTime, num(r, "earningsTimestamp"))
		}
		if q.FinancialCurrency != str(r, "financialCurrency") || q.FromChart {
			t.Errorf("%s financialCurrency %q fromChart %v", q.Symbol, q.FinancialCurrency, q.FromChart)
		}
	}
	// Absent or of the wrong type: nil, never 0, and the rest still read.
	if err := fake.AddQuote([]byte(`{"symbol":"ZZZ","regularMarketPrice":10,"marketCap":"big","currency":"USD"}`)); err != nil {
		t.Fatal(err)
	}
	qs, err = f.Quotes(context.Background(), []string{"ZZZ"})
	if err != nil || len(qs) != 1 || qs[0].MarketCap != nil || qs[0].AverageVolume3Month != nil || qs[0].Price != 10 {
		t.Errorf("a quote with a bad marketCap: %+v, %v; want price 10 and no cap", qs, err)
	}
}
