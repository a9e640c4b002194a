package yahoo_test

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// TestFaultSoak flips between fault modes refresh after refresh, through
// the plausibility gate as main wires it: whatever Yahoo does, every
// refresh publishes, no watched symbol loses its price or shows one that is
// not a price, and the feed is live again once Yahoo behaves. (Ten minutes
// without network are TestFaults' own case.)
func TestFaultSoak(t *testing.T) {
	shown := &shownText{secrets: map[string]bool{}}
	r := newRig(t, shown, func(s *rigSetup) {
		s.wrap = func(yf *yahoo.Feed, c *feedstest.Clock) feeds.Feed { return feeds.NewGate(yf, c.Now) }
	})
	faults := []struct {
		name  string
		apply func()
	}{
		{"normal", func() {}},
		{"503", func() { r.fake.FailNext(yahootest.RouteQuote, 2, http.StatusServiceUnavailable) }},
		{"429 for three days", func() {
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{Status: 429, Body: "Too Many Requests", RetryAfter: "259200"})
		}},
		{"1e308 prices", func() {
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{Body: quoteBody("AAPL", 1e308, "MSFT", 1e308, "NVDA", 1e308)})
		}},
		{"prices of zero and below", func() {
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{Body: quoteBody("AAPL", 0, "MSFT", -5, "NVDA", 0)})
		}},
		{"every symbol twice, the second at 3x", func() {
			a, m := recordedPrice(t, "AAPL"), recordedPrice(t, "MSFT")
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{Body: quoteBody("AAPL", a, "AAPL", 3.5*a, "MSFT", m, "MSFT", 3.5*m)})
		}},
		{"HTML", func() {
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{ContentType: "text/html", Body: "<html>down</html>"})
		}},
		{"invalid crumb", func() {
			r.fake.Invalidate()
			r.fake.Script(yahootest.RouteQuote, yahootest.Step{Status: 401, Body: invalidCrumbBody}, yahootest.Step{Status: 401, Body: invalidCrumbBody})
		}},
		{"spark 404", func() { r.fake.Script(yahootest.RouteSpark, yahootest.Step{Status: 404, Body: "{}"}) }},
		{"connection cut mid-body", func() { r.net.CutQuotes(1) }},
	}
	good := map[string]float64{}
	for _, sym := range watched {
		good[sym] = r.good.Quotes[sym].Price
	}
	for round := range 4 {
		for _, f := range faults {
			f.apply()
			u := r.refresh(16 * time.Minute) // past any pause and every series' age
			for _, sym := range watched {
				p := u.Quotes[sym].Price
				if !(p > 0) || math.IsInf(p, 0) || p > 1e9 || p > 3*good[sym] || p < good[sym]/3 {
					t.Fatalf("round %d, %s: %s shows %v (last good %v)", round, f.name, sym, p, good[sym])
				}
			}
		}
	}
	r.recovers()
}
