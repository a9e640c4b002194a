package yahoo

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	finance "github.com/piquette/finance-go"
	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// checkQuotesMatchRecording is the done-criterion: with BaseURL on the
// fake, Quotes returns exactly what the recorded Yahoo response says.
func checkQuotesMatchRecording(t *testing.T, fixture string, got []feeds.Quote) {
	t.Helper()
	want := recordedQuotes(t, fixture)
	if len(got) != len(want) {
		t.Fatalf("%s: got %d quotes, the recording has %d", fixture, len(got), len(want))
	}
	for _, q := range got {
		r, ok := want[q.Symbol]
		if !ok {
			t.Fatalf("%s: quote for %q is not in the recording", fixture, q.Symbol)
		}
		name := str(r, "longName")
		if name == "" {
			name = str(r, "shortName")
		}
		checks := []struct {
			field string
			got   any
			want  any
		}{
			{"name", q.Name, name},
			{"regularMarketPrice", q.Price, num(r, "regularMarketPrice")},
			{"regularMarketPreviousClose", q.PreviousClose, num(r, "regularMarketPreviousClose")},
			{"regularMarketChange", q.Change, num(r, "regularMarketChange")},
			{"regularMarketChangePercent", q.ChangePercent, num(r, "regularMarketChangePercent")},
			{"currency", q.Currency, str(r, "currency")},
			{"fullExchangeName", q.Exchange, str(r, "fullExchangeName")},
			{"exchangeTimezoneName", q.ExchangeTZ, str(r, "exchangeTimezoneName")},
			{"marketState", string(q.MarketState), str(r, "marketState")},
			{"preMarketPrice", q.PrePrice, num(r, "preMarketPrice")},
			{"preMarketChange", q.PreChange, num(r, "preMarketChange")},
			{"preMarketChangePercent", q.PreChangePercent, num(r, "preMarketChangePercent")},
			{"postMarketPrice", q.PostPrice, num(r, "postMarketPrice")},
			{"postMarketChange", q.PostChange, num(r, "postMarketChange")},
			{"postMarketChangePercent", q.PostChangePercent, num(r, "postMarketChangePercent")},
			{"regularMarketTime", q.QuoteTime, time.Unix(int64(num(r, "regularMarketTime")), 0).UTC()},
			{"exchangeDataDelayedBy", q.DelayMinutes, int(num(r, "exchangeDataDelayedBy"))},
			{"regularMarketVolume", q.Volume, int64(num(r, "regularMarketVolume"))},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s %s %s = %v, recorded %v", fixture, q.Symbol, c.field, c.got, c.want)
			}
		}
	}
}

func TestDoneCriterionQuotesReturnRecordedPrices(t *testing.T) {
	for _, fixture := range []string{yahootest.QuotesPre, yahootest.QuotesRegular, yahootest.QuotesPost} {
		t.Run(fixture, func(t *testing.T) {
			srv := yahootest.New(t)
			srv.UseQuotes(t, fixture)
			feed, _ := newTestFeed(t, srv.URL)
			got, err := feed.Quotes(context.Background(), []string{"AAPL", "MSFT"})
			if err != nil {
				t.Fatalf("Quotes: %v", err)
			}
			checkQuotesMatchRecording(t, fixture, got)
		})
	}
}

// Spot checks that the extended-hours figures land in the right fields;
// the values are those of the recordings.
func TestExtendedHoursFields(t *testing.T) {
	cases := []struct {
		fixture          string
		state            feeds.MarketState
		pre, post, price float64
	}{
		{yahootest.QuotesPre, feeds.Pre, 255.1, 0, 254.63},
		{yahootest.QuotesRegular, feeds.Regular, 0, 0, 265.88},
		{yahootest.QuotesPost, feeds.Post, 0, 270.4785, 269.7},
	}
	for _, c := range cases {
		srv := yahootest.New(t)
		srv.UseQuotes(t, c.fixture)
		feed, _ := newTestFeed(t, srv.URL)
		got, err := feed.Quotes(context.Background(), []string{"AAPL"})
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: Quotes = %v, %v", c.fixture, got, err)
		}
		q := got[0]
		if q.MarketState != c.state || q.PrePrice != c.pre || q.PostPrice != c.post || q.Price != c.price {
			t.Errorf("%s: state %s pre %v post %v price %v; want %s %v %v %v",
				c.fixture, q.MarketState, q.PrePrice, q.PostPrice, q.Price, c.state, c.pre, c.post, c.price)
		}
	}
}

func TestMarketStateMapping(t *testing.T) {
	cases := map[finance.MarketState]feeds.MarketState{
		"PREPRE": feeds.Closed, "PRE": feeds.Pre, "REGULAR": feeds.Regular,
		"POST": feeds.Post, "POSTPOST": feeds.Closed, "CLOSED": feeds.Closed, "": feeds.Closed,
	}
	for in, want := range cases {
		if got := marketState(in); got != want {
			t.Errorf("marketState(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHandshakeThenQuotesWithCookieAndCrumb(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	for range 2 {
		if _, err := feed.Quotes(context.Background(), []string{"AAPL", "MSFT"}); err != nil {
			t.Fatalf("Quotes: %v", err)
		}
	}
	if c, k, q := srv.Count(yahootest.RouteCookie), srv.Count(yahootest.RouteCrumb), srv.Count(yahootest.RouteQuote); c != 1 || k != 1 || q != 2 {
		t.Errorf("requests: cookie %d, crumb %d, quote %d; want one handshake and two quote calls", c, k, q)
	}
	for _, q := range srv.Queries(yahootest.RouteQuote) {
		if q.Get("crumb") != srv.Crumb() || q.Get("symbols") != "AAPL,MSFT" || q.Has("formatted") {
			t.Errorf("quote query %v: want the crumb, symbols=AAPL,MSFT and no formatted", q)
		}
	}
	if h := feed.Health(); h.State != feeds.StateLive || !h.LastOK.Equal(testStart) {
		t.Errorf("health = %+v, want live as of %v", h, testStart)
	}
}

func TestQuotesBatchesOf50AndDeduplicates(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	var symbols []string
	for i := range 120 {
		symbols = append(symbols, fmt.Sprintf("S%03d", i))
	}
	symbols = append(symbols, "S000", "S119") // duplicates are asked once
	got, err := feed.Quotes(context.Background(), symbols)
	if err != nil {
		t.Fatalf("Quotes: %v", err)
	}
	if len(got) != 120 {
		t.Fatalf("got %d quotes, want 120", len(got))
	}
	for _, q := range got {
		if q.Price != yahootest.SyntheticPrice(q.Symbol) {
			t.Errorf("%s price %v, the fake served %v", q.Symbol, q.Price, yahootest.SyntheticPrice(q.Symbol))
		}
	}
	var sizes []int
	for _, q := range srv.Queries(yahootest.RouteQuote) {
		sizes = append(sizes, len(strings.Split(q.Get("symbols"), ",")))
	}
	if fmt.Sprint(sizes) != "[50 50 20]" {
		t.Errorf("batch sizes %v, want [50 50 20]", sizes)
	}
}

// The request count per refresh for a 70-symbol watchlist: the first
// refresh also does the handshake.
func TestRequestsPerRefreshFor70Symbols(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	symbols := make([]string, 70)
	for i := range symbols {
		symbols[i] = fmt.Sprintf("W%02d", i)
	}
	total := func() int {
		return srv.Count(yahootest.RouteCookie) + srv.Count(yahootest.RouteCrumb) + srv.Count(yahootest.RouteQuote)
	}
	var perRefresh []int
	for range 3 {
		before := total()
		if got, err := feed.Quotes(context.Background(), symbols); err != nil || len(got) != 70 {
			t.Fatalf("Quotes: %d quotes, %v", len(got), err)
		}
		perRefresh = append(perRefresh, total()-before)
	}
	if fmt.Sprint(perRefresh) != "[4 2 2]" {
		t.Errorf("requests per refresh %v, want [4 2 2] (cookie+crumb+2 quote calls, then 2 quote calls)", perRefresh)
	}
	t.Logf("70 symbols: requests per refresh %v", perRefresh)
}

func TestUnknownSymbolIsAbsentNotAnError(t *testing.T) {
	srv := yahootest.New(t)
	srv.Missing("NOSUCH")
	// Yahoo sometimes echoes a symbol it cannot price; that is absent too.
	if err := srv.AddQuote([]byte(`{"symbol":"EMPTY","quoteType":"NONE"}`)); err != nil {
		t.Fatal(err)
	}
	feed, _ := newTestFeed(t, srv.URL)
	got, err := feed.Quotes(context.Background(), []string{"AAPL", "NOSUCH", "EMPTY"})
	if err != nil {
		t.Fatalf("Quotes: %v", err)
	}
	if len(got) != 1 || got[0].Symbol != "AAPL" {
		t.Errorf("got %+v, want only AAPL", got)
	}
}

func TestNoSymbolsNoRequest(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	got, err := feed.Quotes(context.Background(), []string{"", ""})
	if err != nil || len(got) != 0 {
		t.Fatalf("Quotes = %v, %v; want nothing", got, err)
	}
	if n := srv.Count(yahootest.RouteCookie) + srv.Count(yahootest.RouteQuote); n != 0 {
		t.Errorf("%d requests for no symbols", n)
	}
}

func TestNamePrefersLongName(t *testing.T) {
	srv := yahootest.New(t)
	for _, q := range []string{
		`{"symbol":"LONG","shortName":"Short Co","longName":"Long Company Holdings","regularMarketPrice":10}`,
		`{"symbol":"SHORT","shortName":"Only Short","regularMarketPrice":10}`,
	} {
		if err := srv.AddQuote([]byte(q)); err != nil {
			t.Fatal(err)
		}
	}
	feed, _ := newTestFeed(t, srv.URL)
	got, err := feed.Quotes(context.Background(), []string{"LONG", "SHORT"})
	if err != nil || len(got) != 2 {
		t.Fatalf("Quotes = %v, %v", got, err)
	}
	if got[0].Name != "Long Company Holdings" || got[1].Name != "Only Short" {
		t.Errorf("names %q, %q", got[0].Name, got[1].Name)
	}
}

func TestDelayedQuotesMakeHealthDelayed(t *testing.T) {
	srv := yahootest.New(t)
	if err := srv.AddQuote([]byte(`{"symbol":"8035.T","regularMarketPrice":31000,"currency":"JPY","exchangeDataDelayedBy":20}`)); err != nil {
		t.Fatal(err)
	}
	feed, _ := newTestFeed(t, srv.URL)
	got, err := feed.Quotes(context.Background(), []string{"AAPL", "8035.T"})
	if err != nil || len(got) != 2 {
		t.Fatalf("Quotes = %v, %v", got, err)
	}
	h := feed.Health()
	if h.State != feeds.StateDelayed || h.Delay != 20 || !strings.Contains(h.Detail, "20 minutes") {
		t.Errorf("health = %+v, want delayed by 20 minutes", h)
	}
}

func TestWrongTypeInAReadFieldIsMalformed(t *testing.T) {
	srv := yahootest.New(t)
	// formatted=true style numbers in the price: unusable.
	if err := srv.AddQuote([]byte(`{"symbol":"FMT","regularMarketPrice":{"raw":1.5,"fmt":"1.50"}}`)); err != nil {
		t.Fatal(err)
	}
	// A wrong type in a field nobody reads costs only that field.
	if err := srv.AddQuote([]byte(`{"symbol":"ODD","regularMarketPrice":12.5,"sourceInterval":"fifteen"}`)); err != nil {
		t.Fatal(err)
	}
	feed, _ := newTestFeed(t, srv.URL)
	got, err := feed.Quotes(context.Background(), []string{"ODD"})
	if err != nil || len(got) != 1 || got[0].Price != 12.5 {
		t.Fatalf("ODD: Quotes = %v, %v; want its price", got, err)
	}
	_, err = feed.Quotes(context.Background(), []string{"FMT"})
	fe := asFeedError(t, err, feeds.KindUpstream)
	if !strings.Contains(fe.Error(), "regularMarketPrice") {
		t.Errorf("error %q does not name the bad field", fe)
	}
}

func TestLowerCaseSymbolKeepsTheCallersSpelling(t *testing.T) {
	srv := yahootest.New(t)
	feed, _ := newTestFeed(t, srv.URL)
	got, err := feed.Quotes(context.Background(), []string{"aapl"})
	if err != nil || len(got) != 1 {
		t.Fatalf("Quotes = %v, %v", got, err)
	}
	want := num(recordedQuotes(t, yahootest.QuotesRegular)["AAPL"], "regularMarketPrice")
	if got[0].Symbol != "aapl" || got[0].Price != want {
		t.Errorf("got %s at %v, want aapl at AAPL's recorded %v", got[0].Symbol, got[0].Price, want)
	}
}
