package yahoo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/rotation-dev/rotation/feeds"
)

// streamerURL is Yahoo's streamer. ?version=2 wraps each message in the
// JSON envelope DecodeStreamFrame reads.
const streamerURL = "wss://streamer.finance.yahoo.com/?version=2"

const (
	// streamReadLimit refuses a frame above 64 KiB: pricing frames are a
	// few hundred bytes, so a larger one is not Yahoo's.
	streamReadLimit = 64 << 10
	// resubscribeEvery is how often the whole subscription is sent again,
	// as other clients do.
	resubscribeEvery = 15 * time.Second
	// Reconnect backoff: full jitter, the ceiling doubling per failure.
	streamBackoffBase = time.Second
	streamBackoffCap  = time.Minute
	// streamSteady is how long a connection must have lived for its drop
	// to start the backoff afresh.
	streamSteady = time.Minute
	// streamWriteTimeout bounds a subscription message's write.
	streamWriteTimeout = 10 * time.Second
	// streamCloseGrace is how long a closing Stream waits for Yahoo to
	// answer its close frame before it cuts the connection.
	streamCloseGrace = time.Second
	streamOp         = "Yahoo stream"
)

var _ feeds.Streamer = (*Feed)(nil)

// streamConfig is what Stream takes from the feed's options.
type streamConfig struct {
	url   string
	http  *http.Client // the caller's client, without the quote budget's counter
	after func(time.Duration) (<-chan time.Time, func())
}

func newStreamConfig(opts Options) streamConfig {
	after := opts.StreamAfter
	if after == nil {
		after = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTimer(d)
			return t.C, func() { t.Stop() }
		}
	}
	return streamConfig{url: streamURL(opts.BaseURL), http: opts.HTTPClient, after: after}
}

// streamURL is where the streamer is for a feed whose endpoints are under
// base: Yahoo's own for "", else the websocket twin of base (http gives ws,
// https wss) with ?version=2.
func streamURL(base string) string {
	if base = strings.TrimSpace(base); base == "" {
		return streamerURL
	}
	u, err := url.Parse(base)
	if err != nil {
		return strings.TrimRight(base, "/") + "/?version=2" // the dial says what is wrong with it
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath, u.RawQuery, u.Fragment = "", "version=2", ""
	return u.String()
}

// Stream implements feeds.Streamer: one websocket to Yahoo's streamer,
// redialled with backoff whenever it fails, until ctx ends. Each connection
// subscribes the whole current list; a new list sends only its
// differences; the whole list goes again every 15 s, as other clients do.
func (f *Feed) Stream(ctx context.Context, subs <-chan []string, sink feeds.StreamSink) error {
	s := &streamer{f: f, subs: subs, sink: quietSink(sink)}
	select {
	case <-ctx.Done():
		return nil
	case list, ok := <-subs:
		if !ok { // nothing will ever be asked for
			<-ctx.Done()
			return nil
		}
		s.follow(list)
	}
	var last error
	for {
		s.sink.Status(feeds.StreamStatus{State: feeds.StreamConnecting, Err: last})
		conn, ferr := s.dial(ctx)
		if ctx.Err() != nil {
			if conn != nil {
				conn.CloseNow()
			}
			return nil
		}
		if ferr == nil {
			began := f.clock()
			ferr = s.run(ctx, conn)
			if ctx.Err() != nil {
				return nil
			}
			if f.clock().Sub(began) > streamSteady {
				s.failures = 0
			}
		}
		s.failures++
		wait := s.backoff(ferr)
		// What is polled meanwhile is the poller's to say (Health.StreamDetail).
		ferr.Err = fmt.Errorf("%w; the stream connects again in %s", ferr.Err, spokenWait(wait))
		last = ferr
		s.sink.Status(feeds.StreamStatus{State: feeds.StreamDown, Err: ferr})
		if !s.sleep(ctx, wait) {
			return nil
		}
	}
}

// streamer is one Stream call's state, all of it on Stream's goroutine.
type streamer struct {
	f        *Feed
	subs     <-chan []string // nil once the caller closed it
	sink     feeds.StreamSink
	want     []string          // the latest list, de-duplicated, in order
	asked    map[string]string // Yahoo's upper case -> the symbol as asked
	failures int               // since the last connection that held
}

// quietSink fills in the functions a caller left nil.
func quietSink(s feeds.StreamSink) feeds.StreamSink {
	if s.Tick == nil {
		s.Tick = func(feeds.Tick) {}
	}
	if s.Dropped == nil {
		s.Dropped = func(error) {}
	}
	if s.Status == nil {
		s.Status = func(feeds.StreamStatus) {}
	}
	return s
}

// follow makes list the subscription, and returns what it removed and added.
func (s *streamer) follow(list []string) (removed, added []string) {
	old := s.want
	s.want, s.asked = nil, make(map[string]string, len(list))
	for _, sym := range list {
		if _, dup := s.asked[strings.ToUpper(sym)]; sym == "" || dup {
			continue
		}
		s.want = append(s.want, sym)
		s.asked[strings.ToUpper(sym)] = sym
	}
	for _, sym := range old {
		if !slices.Contains(s.want, sym) {
			removed = append(removed, sym)
		}
	}
	for _, sym := range s.want {
		if !slices.Contains(old, sym) {
			added = append(added, sym)
		}
	}
	return removed, added
}

// newList is the next list from subs; ok is false when subs was closed
// (after which s.subs is nil and never ready again).
func (s *streamer) newList(list []string, ok bool) ([]string, []string) {
	if !ok {
		s.subs = nil
		return nil, nil
	}
	return s.follow(list)
}

func (s *streamer) dial(ctx context.Context) (*websocket.Conn, *feeds.Error) {
	conn, resp, err := websocket.Dial(ctx, s.f.ws.url, &websocket.DialOptions{
		HTTPClient: s.f.ws.http,
		HTTPHeader: http.Header{"User-Agent": {userAgent}},
	})
	if err == nil {
		conn.SetReadLimit(streamReadLimit)
		return conn, nil
	}
	if resp == nil {
		return nil, networkError(streamOp, err)
	}
	// Dial left at most 1 KiB of the body to read.
	body, _ := io.ReadAll(resp.Body)
	ferr := statusError(streamOp, resp, body, s.f.clock())
	if ferr == nil {
		ferr = &feeds.Error{Kind: feeds.KindUpstream, Status: resp.StatusCode, Op: streamOp,
			Err: fmt.Errorf("Yahoo did not switch to a websocket (%v)", err)}
		return nil, ferr
	}
	ferr.Err = fmt.Errorf("Yahoo refused the websocket upgrade (%w)", ferr.Err)
	return nil, ferr
}

// frame is one message read, or the read's failure.
type frame struct {
	data []byte
	at   time.Time // when it arrived, on the feed's clock
	err  error
}

// run subscribes on conn and delivers its frames until it fails (the
// reason) or ctx ends (nil, the connection closed cleanly).
func (s *streamer) run(ctx context.Context, conn *websocket.Conn) *feeds.Error {
	// Reads stop when stopRead is called, not when ctx ends: a read cut
	// by ctx would close the connection without a close frame.
	readCtx, stopRead := context.WithCancel(context.WithoutCancel(ctx))
	frames, done, exited := make(chan frame), make(chan struct{}), make(chan struct{})
	stopDelivery := sync.OnceFunc(func() { close(done) })
	go s.read(readCtx, conn, frames, done, exited)
	defer func() {
		stopDelivery()
		stopRead()
		conn.CloseNow()
		<-exited
	}()

	if ferr := s.send(ctx, conn, "subscribe", s.want); ferr != nil {
		return ferr
	}
	s.sink.Status(feeds.StreamStatus{State: feeds.StreamLive})
	resub, cancelResub := s.f.ws.after(resubscribeEvery)
	defer func() { cancelResub() }()
	for {
		select {
		case <-ctx.Done():
			stopDelivery()
			grace := time.AfterFunc(streamCloseGrace, stopRead)
			conn.Close(websocket.StatusNormalClosure, "")
			grace.Stop()
			return nil
		case list, ok := <-s.subs:
			removed, added := s.newList(list, ok)
			if ferr := s.send(ctx, conn, "unsubscribe", removed); ferr != nil {
				return ferr
			}
			if ferr := s.send(ctx, conn, "subscribe", added); ferr != nil {
				return ferr
			}
		case <-resub:
			if ferr := s.send(ctx, conn, "subscribe", s.want); ferr != nil {
				return ferr
			}
			resub, cancelResub = s.f.ws.after(resubscribeEvery)
		case fr := <-frames:
			if fr.err != nil {
				return s.readFailure(fr.err)
			}
			s.deliver(fr)
		}
	}
}

// read reads conn until a read fails, handing each frame to run. Once done
// is closed it drops what it reads, so that it is back in Read, where
// stopRead can cut it, while run closes the connection.
func (s *streamer) read(ctx context.Context, conn *websocket.Conn, out chan<- frame, done <-chan struct{}, exited chan<- struct{}) {
	defer close(exited)
	for {
		_, data, err := conn.Read(ctx)
		select {
		case out <- frame{data: data, at: s.f.clock(), err: err}:
		case <-done:
		}
		if err != nil {
			return
		}
	}
}

// send writes {"<verb>":[symbols]}; nothing when symbols is empty.
func (s *streamer) send(ctx context.Context, conn *websocket.Conn, verb string, symbols []string) *feeds.Error {
	if len(symbols) == 0 {
		return nil
	}
	msg, _ := json.Marshal(map[string][]string{verb: symbols}) // strings always marshal
	wctx, cancel := context.WithTimeout(ctx, streamWriteTimeout)
	defer cancel()
	if err := conn.Write(wctx, websocket.MessageText, msg); err != nil {
		return &feeds.Error{Kind: feeds.KindOffline, Op: streamOp, Err: fmt.Errorf("could not send the %s message: %w", verb, err)}
	}
	return nil
}

// readFailure is why the connection ended, from its read's error. A frame
// over the limit is also a dropped frame.
func (s *streamer) readFailure(err error) *feeds.Error {
	switch {
	case errors.Is(err, websocket.ErrMessageTooBig):
		s.sink.Dropped(fmt.Errorf("streamer frame over %d KiB refused: %w", streamReadLimit>>10, err))
		return &feeds.Error{Kind: feeds.KindUpstream, Op: streamOp,
			Err: fmt.Errorf("Yahoo sent a frame over %d KiB; it was refused and the connection closed", streamReadLimit>>10)}
	case websocket.CloseStatus(err) != -1:
		return &feeds.Error{Kind: feeds.KindUpstream, Op: streamOp, Err: fmt.Errorf("Yahoo closed the connection (%w)", err)}
	default:
		return &feeds.Error{Kind: feeds.KindOffline, Op: streamOp, Err: fmt.Errorf("the connection dropped (%w)", err)}
	}
}

// deliver hands a pricing frame to the sink as a tick. Heartbeats and
// other well-formed messages are ignored; anything else is a dropped frame.
func (s *streamer) deliver(fr frame) {
	t, err := DecodeStreamFrame(fr.data)
	if errors.Is(err, ErrNotPricing) {
		return
	}
	if err != nil {
		s.sink.Dropped(err)
		return
	}
	tick := feeds.Tick{Symbol: t.Symbol, Price: decimal32(t.Price), Time: t.Time, State: t.MarketState(), DayVolume: t.DayVolume}
	// Yahoo answers in upper case; ticks carry the symbol as asked.
	if sym, ok := s.asked[strings.ToUpper(t.Symbol)]; ok {
		tick.Symbol = sym
	}
	if t.PreviousClose != nil {
		tick.PreviousClose = decimal32(*t.PreviousClose)
	}
	if tick.Time.IsZero() {
		tick.Time = fr.at
	}
	s.sink.Tick(tick)
}

// backoff is the wait before the next dial after s.failures failures in a
// row. A 429 waits at least its Retry-After, or the cap without one.
func (s *streamer) backoff(ferr *feeds.Error) time.Duration {
	wait := s.f.track.jitter(s.failures, streamBackoffBase, streamBackoffCap)
	if ferr.Kind == feeds.KindRateLimited {
		floor := ferr.RetryAfter
		if floor <= 0 {
			floor = streamBackoffCap
		}
		wait = max(wait, floor)
	}
	return wait
}

// sleep waits d, following new lists meanwhile; false when ctx ended.
func (s *streamer) sleep(ctx context.Context, d time.Duration) bool {
	wake, cancel := s.f.ws.after(d)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-wake:
			return true
		case list, ok := <-s.subs:
			s.newList(list, ok)
		}
	}
}

// decimal32 is a float32 from the wire as the decimal it was quoted as:
// 186.21 rather than 186.2100067138672, so a streamed price is written to
// the same decimals as a polled one (baskets.Decimals).
func decimal32(f float64) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
	if err != nil || math.IsNaN(f) {
		return f
	}
	return v
}

// spokenWait is a wait for the status line: to the second, or to a tenth
// of one below a second ("14s", not "14.295s"; "500ms").
func spokenWait(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
