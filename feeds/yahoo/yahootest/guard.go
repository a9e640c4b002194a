package yahootest

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// GuardTransport is an http.RoundTripper that refuses every request to a
// host that is not loopback, so a test can never reach the real Yahoo. It
// remembers the hosts it refused, which lets a test prove where the code
// would have gone.
type GuardTransport struct {
	Base http.RoundTripper // nil: http.DefaultTransport

	mu      sync.Mutex
	refused []string
}

// RoundTrip forwards loopback requests and fails all others.
func (g *GuardTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if !isLoopback(host) {
		if r.Body != nil {
			r.Body.Close()
		}
		g.mu.Lock()
		g.refused = append(g.refused, host)
		g.mu.Unlock()
		return nil, fmt.Errorf("yahootest: refused request to non-loopback host %q; tests must use a fake server", host)
	}
	base := g.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(r)
}

// Refused lists the non-loopback hosts asked for, in order.
func (g *GuardTransport) Refused() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.refused...)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Client returns an HTTP client whose every request goes through a
// GuardTransport, with a timeout short enough for a hanging fake to fail a
// test quickly.
func Client() *http.Client {
	return &http.Client{Transport: &GuardTransport{}, Timeout: 5 * time.Second}
}

// ClosedURL returns the base URL of a loopback port that nothing listens on,
// for tests of an unreachable Yahoo.
func ClosedURL() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("yahootest: cannot reserve a loopback port: %w", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return "", fmt.Errorf("yahootest: cannot release port %s: %w", addr, err)
	}
	return "http://" + addr, nil
}
