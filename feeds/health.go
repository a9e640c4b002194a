package feeds

import (
	"errors"
	"fmt"
	"time"
)

// State is the one-word verdict on a feed, ordered roughly by severity.
type State string

const (
	StateLive        State = "live"
	StateDelayed     State = "delayed"      // some quotes are exchange-delayed (DelayMinutes > 0)
	StateSimulated   State = "simulated"    // prices are made up; must always be shown as such
	StateReplay      State = "replay"       // prices come from a recording
	StateStale       State = "stale"        // last good data is older than expected (see Since)
	StateRateLimited State = "rate-limited" // paused until Until
	StateAuthFailing State = "auth-failing" // session/crumb refused
	StateLimited     State = "limited"      // prices built from charts while full quotes fail (no pre/post, names or volumes)
	StateOffline     State = "offline"      // the source cannot be reached
)

// Health is what a person needs to judge the numbers on screen.
type Health struct {
	Feed      string    `json:"name"`   // "yahoo", "sim", "replay"
	State     State     `json:"state"`  // see State
	Detail    string    `json:"detail"` // one human sentence: why, and what happens next
	Simulated bool      `json:"simulated"`
	Since     time.Time `json:"since,omitempty"`  // stale/offline since (time of last good data)
	Until     time.Time `json:"until,omitempty"`  // rate-limited until
	LastOK    time.Time `json:"lastOK,omitempty"` // last successful refresh
	Delay     int       `json:"delayMinutes,omitempty"`
	Speed     float64   `json:"speed,omitempty"`    // replay speed; 0 means as fast as possible
	Rejected  int       `json:"rejected,omitempty"` // implausible quotes ignored in the last refresh

	// Stream is how pushed prices stand; StreamOff when the source pushes
	// none or the stream is turned off. StreamDetail says why it is down.
	Stream       StreamState `json:"stream,omitempty"`
	StreamDetail string      `json:"streamDetail,omitempty"`
	// Since start: streamed trades ignored as implausible, and frames
	// that did not decode.
	TicksRejected int `json:"ticksRejected,omitempty"`
	FramesDropped int `json:"framesDropped,omitempty"`
}

// ErrorKind classifies feed failures so callers can pace and report them
// without knowing which source failed.
type ErrorKind string

const (
	KindAuth        ErrorKind = "auth"         // 401/403, invalid crumb
	KindRateLimited ErrorKind = "rate-limited" // 429
	KindUpstream    ErrorKind = "upstream"     // other 4xx/5xx, malformed body
	KindOffline     ErrorKind = "offline"      // network: DNS, refused, timeout
)

// Error is a classified feed failure.
type Error struct {
	Kind       ErrorKind
	Status     int           // HTTP status, when there was one
	RetryAfter time.Duration // from a Retry-After header, when given
	Until      time.Time     // for KindRateLimited: no request before this instant
	Op         string        // what was being done, e.g. "quote 50 symbols"
	Err        error
}

func (e *Error) Error() string {
	msg := e.Op
	if msg == "" {
		msg = "feed"
	}
	if e.Status != 0 {
		msg += fmt.Sprintf(": HTTP %d", e.Status)
	}
	msg += " (" + string(e.Kind) + ")"
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of a classified error anywhere in err's chain, or ""
// for an unclassified one.
func KindOf(err error) ErrorKind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return ""
}
