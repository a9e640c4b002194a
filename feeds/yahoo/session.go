package yahoo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/fsbound"
)

const (
	sessionTTL  = 24 * time.Hour
	sessionFile = "session.json"
	maxCrumbLen = 64
)

// session is what Yahoo wants on every quote call. It is also the whole
// content of the cache file: nothing else is stored.
type session struct {
	Cookie  string    `json:"cookie"` // a Cookie header value
	Crumb   string    `json:"crumb"`
	Created time.Time `json:"created"`
}

func (s session) usable(now time.Time) bool {
	return s.Cookie != "" && s.Crumb != "" && !now.Before(s.Created) && now.Sub(s.Created) < sessionTTL
}

// redact removes the session's values from an error message, so neither
// the cookie nor the crumb ever reaches a screen or a log.
func (s session) redact(e *feeds.Error) *feeds.Error {
	if e == nil || e.Err == nil {
		return e
	}
	msg := e.Err.Error()
	secrets := []string{s.Crumb}
	for _, part := range strings.Split(s.Cookie, ";") {
		if _, v, ok := strings.Cut(part, "="); ok {
			secrets = append(secrets, strings.TrimSpace(v))
		}
	}
	clean := msg
	for _, sec := range secrets {
		if sec != "" {
			clean = strings.ReplaceAll(clean, sec, "[redacted]")
		}
	}
	if clean != msg {
		e.Err = errors.New(clean)
	}
	return e
}

// sessions owns the current session: from memory, else the cache file,
// else a fresh handshake.
type sessions struct {
	http  *http.Client
	ends  endpoints
	clock feeds.Clock
	dir   string // "" means no cache file
	cur   session

	handshakeFailed bool // the last handshake was answered with a refusal
}

// get returns a usable session. When none is at hand and required is
// false it returns the zero session rather than shaking hands.
// path is the session file for this feed's endpoints. A session belongs to
// the host that issued it: a mirror or a test server given through
// ROTATION_YAHOO_URL gets a file of its own rather than Yahoo's cookie.
func (s *sessions) path() string {
	if s.ends.api == apiHost {
		return filepath.Join(s.dir, sessionFile)
	}
	sum := sha256.Sum256([]byte(s.ends.api))
	return filepath.Join(s.dir, fmt.Sprintf("session-%x.json", sum[:6]))
}

func (s *sessions) get(ctx context.Context, op string, required bool) (session, *feeds.Error) {
	now := s.clock()
	if s.cur.usable(now) {
		return s.cur, nil
	}
	if cached, ok := s.load(now); ok {
		s.cur, s.handshakeFailed = cached, false
		return cached, nil
	}
	if !required {
		return session{}, nil
	}
	fresh, err := s.handshake(ctx, op)
	// A handshake Yahoo answered but refused (429 on the crumb, no cookie, a
	// page for a crumb) is worked around with quotes from charts; one that
	// never reached Yahoo is the network's fault and is not.
	s.handshakeFailed = err != nil && err.Kind != feeds.KindOffline
	if err != nil {
		return session{}, err
	}
	s.cur = fresh
	// A cache that cannot be written only costs a handshake at the next
	// start, so that failure is not worth failing the quotes for.
	_ = s.save(fresh)
	return fresh, nil
}

// drop forgets the session, in memory and on disk, after Yahoo refused it.
func (s *sessions) drop() {
	s.cur = session{}
	if s.dir != "" {
		_ = os.Remove(s.path()) // already gone is fine
	}
}

// maxSessionFile bounds the session cache file as read.
const maxSessionFile = 64 << 10

func (s *sessions) load(now time.Time) (session, bool) {
	if s.dir == "" {
		return session{}, false
	}
	// A cookie and crumb are a few hundred bytes; anything else there (a
	// FIFO, a device, a huge file) is no session, and must not block.
	b, err := fsbound.ReadFile(s.path(), maxSessionFile)
	if err != nil {
		return session{}, false
	}
	var cached session
	if json.Unmarshal(b, &cached) != nil || !cached.usable(now) {
		return session{}, false
	}
	return cached, true
}

// save writes the cache file atomically (temp file, then rename), readable
// by its owner only.
func (s *sessions) save(v session) error {
	if s.dir == "" {
		return nil
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return feeds.WriteFileAtomic(s.path(), b, 0o600)
}

// handshake gets a cookie, then a crumb that goes with it.
func (s *sessions) handshake(ctx context.Context, op string) (session, *feeds.Error) {
	op += " (Yahoo session handshake)"
	jar, err := cookiejar.New(nil)
	if err != nil {
		return session{}, &feeds.Error{Kind: feeds.KindAuth, Op: op, Err: err}
	}
	client := *s.http // a copy, so the caller's client gets no jar
	client.Jar = jar
	api, err := url.Parse(s.ends.api + quotePath)
	if err != nil {
		return session{}, &feeds.Error{Kind: feeds.KindOffline, Op: op, Err: fmt.Errorf("Yahoo base URL %q is not a URL; fix %s: %w", s.ends.api, EnvURL, err)}
	}
	var lastErr *feeds.Error
	for _, u := range s.ends.cookieURLs {
		if ferr := fetchCookie(ctx, &client, u, op, s.clock); ferr != nil {
			if ferr.Kind == feeds.KindRateLimited {
				return session{}, ferr
			}
			lastErr = ferr
			continue
		}
		if len(jar.Cookies(api)) > 0 {
			break
		}
	}
	cookies := jar.Cookies(api)
	if len(cookies) == 0 {
		if lastErr != nil {
			return session{}, lastErr
		}
		return session{}, &feeds.Error{Kind: feeds.KindAuth, Op: op, Err: fmt.Errorf("Yahoo set no session cookie at %s", strings.Join(s.ends.cookieURLs, " or "))}
	}
	crumb, ferr := s.fetchCrumb(ctx, &client, op)
	if ferr != nil {
		return session{}, ferr
	}
	parts := make([]string, len(cookies))
	for i, c := range cookies {
		parts[i] = c.Name + "=" + c.Value
	}
	return session{Cookie: strings.Join(parts, "; "), Crumb: crumb, Created: s.clock()}, nil
}

// fetchCookie visits a page that sets the session cookie. Its status does
// not matter (fc.yahoo.com answers 404), except 429.
func fetchCookie(ctx context.Context, c *http.Client, pageURL, op string, clock feeds.Clock) *feeds.Error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return &feeds.Error{Kind: feeds.KindOffline, Op: op, Err: fmt.Errorf("cannot build request for %s: %w", pageURL, err)}
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := c.Do(req)
	if err != nil {
		return networkError(op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return networkError(op, err)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return statusError(op, resp, body, clock())
	}
	if isConsentPage(resp.Request.URL) {
		return submitConsent(ctx, c, resp.Request.URL, body, op)
	}
	return nil
}

func isConsentPage(u *url.URL) bool {
	return strings.HasPrefix(u.Host, "guce.") || strings.HasPrefix(u.Host, "consent.") ||
		strings.Contains(u.Path, "consent")
}

var (
	formAction = regexp.MustCompile(`(?is)<form[^>]*\baction="([^"]*)"`)
	// Only hidden inputs: the form also has a "reject" button.
	hiddenInput = regexp.MustCompile(`(?is)<input\b[^>]*\btype="hidden"[^>]*>`)
	inputName   = regexp.MustCompile(`(?is)\bname="([^"]*)"`)
	inputValue  = regexp.MustCompile(`(?is)\bvalue="([^"]*)"`)
)

// submitConsent accepts the EU consent form (guce.yahoo.com), the way a
// browser's "Accept all" does, so Yahoo then sets its cookie. Best effort:
// the page is not under our control, so the form is read, not assumed.
func submitConsent(ctx context.Context, c *http.Client, page *url.URL, body []byte, op string) *feeds.Error {
	form := url.Values{}
	for _, tag := range hiddenInput.FindAll(body, -1) {
		name, value := inputName.FindSubmatch(tag), inputValue.FindSubmatch(tag)
		if name != nil && value != nil {
			form.Add(html.UnescapeString(string(name[1])), html.UnescapeString(string(value[1])))
		}
	}
	form.Set("agree", "agree")
	for k, v := range map[string]string{"consentUUID": "default", "namespace": "yahoo", "originalDoneUrl": "https://finance.yahoo.com/"} {
		if form.Get(k) == "" {
			form.Set(k, v)
		}
	}
	target := page
	if m := formAction.FindSubmatch(body); m != nil {
		if u, err := page.Parse(html.UnescapeString(string(m[1]))); err == nil {
			target = u
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return &feeds.Error{Kind: feeds.KindAuth, Op: op, Err: fmt.Errorf("cannot build the consent request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.Do(req)
	if err != nil {
		return networkError(op, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody)) // drained so the connection is reused
	return nil
}

// fetchCrumb asks for the crumb that goes with the jar's cookie. A web page
// or "Too Many Requests" in place of a crumb is refused.
func (s *sessions) fetchCrumb(ctx context.Context, c *http.Client, op string) (string, *feeds.Error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.ends.api+crumbPath, nil)
	if err != nil {
		return "", &feeds.Error{Kind: feeds.KindOffline, Op: op, Err: fmt.Errorf("cannot build the crumb request: %w", err)}
	}
	req.Header.Set("User-Agent", userAgent)
	body, status, ferr := doRequest(c, req, op, s.clock)
	if ferr != nil {
		return "", ferr
	}
	crumb := strings.TrimSpace(string(body))
	switch {
	case strings.Contains(strings.ToLower(crumb), "too many requests"):
		return "", &feeds.Error{Kind: feeds.KindRateLimited, Status: status, Op: op, Err: errors.New("Yahoo answered the crumb request with \"Too Many Requests\"")}
	case crumb == "" || len(crumb) > maxCrumbLen || strings.ContainsAny(crumb, "<>{} \t\r\n"):
		return "", &feeds.Error{Kind: feeds.KindAuth, Status: status, Op: op, Err: errors.New("Yahoo answered the crumb request with something that is not a crumb (a web page or an error)")}
	}
	return crumb, nil
}
