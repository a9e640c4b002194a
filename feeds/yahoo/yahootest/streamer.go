package yahootest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// RouteStream is where the fake streamer answers, as Yahoo's does at
// wss://streamer.finance.yahoo.com/?version=2: an Upgrade request to "/".
// Other requests to "/" are the cookie route, as before.
const RouteStream = "/"

// StreamMessage is one text message a client sent the fake streamer.
type StreamMessage struct {
	Conn int // which connection: 1 for the first accepted, 2 for the next...
	Text string
}

// streamState is the fake streamer's state, guarded by Server.mu.
type streamState struct {
	refuse     int    // answer upgrades with this status; 0 accepts them
	retryAfter string // the Retry-After header of a refusal
	mute       bool
	attempts   int
	userAgents []string
	conns      []*streamConn // every accepted connection, in order
	messages   []StreamMessage
}

// streamConn is one accepted client.
type streamConn struct {
	n    int
	ws   *websocket.Conn
	raw  net.Conn        // under ws, for DropMidFrame
	subs map[string]bool // what it is subscribed to
	open bool
	code int // the close code the client sent; -1 cut without one
}

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// serveStream accepts a websocket, unless refused, and records every
// message the client sends until the connection ends or the fake closes.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st := &s.stream
	st.attempts++
	st.userAgents = append(st.userAgents, r.UserAgent())
	refuse, retryAfter := st.refuse, st.retryAfter
	s.mu.Unlock()
	if r.URL.Query().Get("version") != "2" {
		http.Error(w, "the fake streamer speaks only ?version=2", http.StatusBadRequest)
		return
	}
	if refuse != 0 {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		http.Error(w, http.StatusText(refuse), refuse)
		return
	}
	hw := &hijackWriter{ResponseWriter: w}
	ws, err := websocket.Accept(hw, r, nil)
	if err != nil {
		return // Accept has answered the request
	}
	c := &streamConn{ws: ws, raw: hw.conn, subs: map[string]bool{}, open: true}
	s.mu.Lock()
	st.conns = append(st.conns, c)
	c.n = len(st.conns)
	s.mu.Unlock()

	// Hijacked, the connection outlives the httptest server's Close: the
	// fake's own Close ends it.
	ended := make(chan struct{})
	go func() {
		select {
		case <-s.stop:
			ws.CloseNow()
		case <-ended:
		}
	}()
	defer func() {
		close(ended)
		ws.CloseNow()
		s.mu.Lock()
		c.open = false
		s.mu.Unlock()
	}()
	for {
		_, b, err := ws.Read(context.Background())
		if err != nil {
			s.mu.Lock()
			c.code = int(websocket.CloseStatus(err))
			s.mu.Unlock()
			return
		}
		s.recordStream(c, string(b))
	}
}

// recordStream notes a client's message and applies it to its subscription.
func (s *Server) recordStream(c *streamConn, text string) {
	var msg struct {
		Subscribe   []string `json:"subscribe"`
		Unsubscribe []string `json:"unsubscribe"`
	}
	ok := json.Unmarshal([]byte(text), &msg) == nil
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stream.messages = append(s.stream.messages, StreamMessage{Conn: c.n, Text: text})
	if !ok {
		return
	}
	for _, sym := range msg.Subscribe {
		c.subs[sym] = true
	}
	for _, sym := range msg.Unsubscribe {
		delete(c.subs, sym)
	}
}

// hijackWriter keeps the connection websocket.Accept hijacks.
type hijackWriter struct {
	http.ResponseWriter
	conn net.Conn
}

func (h *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := h.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("yahootest: the response cannot be hijacked")
	}
	conn, brw, err := hj.Hijack()
	h.conn = conn
	return conn, brw, err
}

// openStreams are the connections still open.
func (s *Server) openStreams() []*streamConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	var open []*streamConn
	for _, c := range s.stream.conns {
		if c.open {
			open = append(open, c)
		}
	}
	return open
}

// Push writes frame as a text message to every connected client, unless
// the fake is mute, and returns how many it reached.
func (s *Server) Push(frame string) int {
	s.mu.Lock()
	mute := s.stream.mute
	s.mu.Unlock()
	if mute {
		return 0
	}
	n := 0
	for _, c := range s.openStreams() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if c.ws.Write(ctx, websocket.MessageText, []byte(frame)) == nil {
			n++
		}
		cancel()
	}
	return n
}

// StreamRefuse makes the fake answer every websocket upgrade with status
// (403, 429...) instead of accepting it; 0 accepts them again.
func (s *Server) StreamRefuse(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stream.refuse = status
}

// StreamRetryAfter sets the Retry-After header of refused upgrades; ""
// sends none.
func (s *Server) StreamRetryAfter(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stream.retryAfter = value
}

// StreamMute makes the fake accept connections and read their messages
// but send nothing: Push reaches no one while it is on.
func (s *Server) StreamMute(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stream.mute = on
}

// DropMidFrame cuts every open connection abruptly: it writes the start of
// a text frame that announces more bytes than follow, then resets the TCP
// connection, as a network failure mid-message would.
func (s *Server) DropMidFrame() {
	partial := []byte(`{"type":"pricing","message":"`)
	// FIN and text; a 16-bit length of 256, of which only the start comes.
	head := []byte{0x81, 126, 0x01, 0x00}
	for _, c := range s.openStreams() {
		c.raw.Write(append(head, partial...))
		if tcp, ok := c.raw.(*net.TCPConn); ok {
			tcp.SetLinger(0) // a reset, not an orderly close
		}
		c.raw.Close()
	}
}

// StreamAttempts is how many websocket upgrades were asked for, refused
// ones included.
func (s *Server) StreamAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stream.attempts
}

// StreamConns is how many websocket connections were accepted.
func (s *Server) StreamConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.stream.conns)
}

// StreamOpen is how many websocket connections are open now.
func (s *Server) StreamOpen() int { return len(s.openStreams()) }

// StreamUserAgents are the User-Agent headers of every upgrade, in order.
func (s *Server) StreamUserAgents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.stream.userAgents)
}

// StreamMessages are the messages clients sent, in order of arrival.
func (s *Server) StreamMessages() []StreamMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.stream.messages)
}

// Subscribed is what the newest connection is subscribed to, sorted; nil
// before any connection.
func (s *Server) Subscribed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.stream.conns) == 0 {
		return nil
	}
	c := s.stream.conns[len(s.stream.conns)-1]
	return slices.Sorted(maps.Keys(c.subs))
}

// StreamCloseCodes are, for each connection accepted, the close code its
// client sent (1000 for a normal closure), -1 when the connection was cut
// without one, and 0 while it is open.
func (s *Server) StreamCloseCodes() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	codes := make([]int, len(s.stream.conns))
	for i, c := range s.stream.conns {
		codes[i] = c.code
	}
	return codes
}
