package yahoo

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/rotation-dev/rotation/feeds/yahoo/yahootest"
)

func watchlist(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("W%02d", i)
	}
	return out
}

// BenchmarkNewToFirstQuotes measures a cold start against the fake: New, a
// fresh connection pool, the handshake and the quotes of 70 symbols.
func BenchmarkNewToFirstQuotes(b *testing.B) {
	srv := yahootest.New(b)
	symbols := watchlist(70)
	for b.Loop() {
		transport := &http.Transport{}
		feed := New(Options{BaseURL: srv.URL, HTTPClient: &http.Client{Transport: &yahootest.GuardTransport{Base: transport}}})
		got, err := feed.Quotes(context.Background(), symbols)
		if err != nil || len(got) != 70 {
			b.Fatalf("Quotes: %d quotes, %v", len(got), err)
		}
		transport.CloseIdleConnections()
	}
}

// BenchmarkRefresh70 measures one later refresh of 70 symbols.
func BenchmarkRefresh70(b *testing.B) {
	srv := yahootest.New(b)
	symbols := watchlist(70)
	feed := New(Options{BaseURL: srv.URL, HTTPClient: yahootest.Client()})
	if _, err := feed.Quotes(context.Background(), symbols); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if got, err := feed.Quotes(context.Background(), symbols); err != nil || len(got) != 70 {
			b.Fatalf("Quotes: %d quotes, %v", len(got), err)
		}
	}
}
