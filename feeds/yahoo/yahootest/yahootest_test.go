package yahootest

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestGuardRefusesNonLoopbackHosts(t *testing.T) {
	guard := &GuardTransport{}
	client := &http.Client{Transport: guard}
	for _, u := range []string{"https://fc.yahoo.com/", "http://10.0.0.1/", "http://[2001:db8::1]/"} {
		if resp, err := client.Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("request to %s went through", u)
		}
	}
	if got := guard.Refused(); !slices.Equal(got, []string{"fc.yahoo.com", "10.0.0.1", "2001:db8::1"}) {
		t.Errorf("refused %v", got)
	}
	srv := New(t)
	resp, err := client.Get(srv.URL + RouteChart + "AAPL")
	if err != nil {
		t.Fatalf("loopback request refused: %v", err)
	}
	resp.Body.Close()
}

func get(t *testing.T, c *http.Client, req *http.Request) (int, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestQuotesNeedCookieAndCrumb(t *testing.T) {
	srv := New(t)
	c := Client()
	req, _ := http.NewRequest("GET", srv.URL+RouteQuote+"?symbols=AAPL", nil)
	if status, body := get(t, c, req); status != http.StatusUnauthorized || !strings.Contains(body, "Invalid Crumb") {
		t.Errorf("quote without a session: %d %s", status, body)
	}
	req, _ = http.NewRequest("GET", srv.URL+RouteQuote+"?symbols=AAPL&crumb="+srv.Crumb(), nil)
	req.Header.Set("Cookie", "A3="+srv.Cookie())
	if status, body := get(t, c, req); status != http.StatusOK || !strings.Contains(body, `"symbol":"AAPL"`) {
		t.Errorf("quote with a session: %d %s", status, body)
	}
}

func TestFailNextCountsDown(t *testing.T) {
	srv := New(t)
	srv.FailNext(RouteChart, 2, http.StatusServiceUnavailable)
	c := Client()
	var statuses []int
	for range 3 {
		req, _ := http.NewRequest("GET", srv.URL+RouteChart+"AAPL", nil)
		status, _ := get(t, c, req)
		statuses = append(statuses, status)
	}
	if !slices.Equal(statuses, []int{503, 503, 200}) || srv.Count(RouteChart) != 3 {
		t.Errorf("statuses %v, count %d", statuses, srv.Count(RouteChart))
	}
}
