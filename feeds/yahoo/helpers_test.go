package yahoo

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/feeds/feedstest"
	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

// testStart is when every test clock starts: a Wednesday, 14:30 UTC.
var testStart = time.Date(2025, 10, 29, 14, 30, 0, 0, time.UTC)

// newTestFeed makes a Feed on baseURL with a guarded client, a fake clock
// and a fixed jitter of one half; change lets a test adjust the options.
func newTestFeed(t *testing.T, baseURL string, change ...func(*Options)) (*Feed, *feedstest.Clock) {
	t.Helper()
	clock := feedstest.NewClock(testStart)
	opts := Options{
		BaseURL:    baseURL,
		HTTPClient: yahootest.Client(),
		Clock:      clock.Now,
		Rand:       func() float64 { return 0.5 },
	}
	for _, c := range change {
		c(&opts)
	}
	return New(opts), clock
}

// asFeedError fails the test unless err is a *feeds.Error of kind.
func asFeedError(t *testing.T, err error, kind feeds.ErrorKind) *feeds.Error {
	t.Helper()
	var fe *feeds.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *feeds.Error", err, err)
	}
	if fe.Kind != kind {
		t.Fatalf("error kind = %q, want %q (error: %v)", fe.Kind, kind, err)
	}
	return fe
}

// recordedQuotes reads a quote fixture generically, independent of the
// feed's own decoding, keyed by symbol.
func recordedQuotes(t *testing.T, name string) map[string]map[string]any {
	t.Helper()
	var body struct {
		QuoteResponse struct {
			Result []map[string]any `json:"result"`
		} `json:"quoteResponse"`
	}
	if err := json.Unmarshal(yahootest.Fixture(t, name), &body); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	out := map[string]map[string]any{}
	for _, q := range body.QuoteResponse.Result {
		out[q["symbol"].(string)] = q
	}
	return out
}

// num is a recorded number, or 0 when the field is absent.
func num(q map[string]any, field string) float64 {
	v, _ := q[field].(float64)
	return v
}

func str(q map[string]any, field string) string {
	v, _ := q[field].(string)
	return v
}
