package feeds

import (
	"context"
	"errors"
	"time"
)

// Tick is one trade a source pushed as it happened.
type Tick struct {
	Symbol string    `json:"symbol"`
	Price  float64   `json:"price"`
	Time   time.Time `json:"time"` // the trade's own time, which becomes the quote time
	// State says which price the trade is: Regular is the regular price;
	// Pre and Post are the extended-hours price (overnight trades read
	// Post), never the regular one.
	State         MarketState `json:"marketState"`
	DayVolume     int64       `json:"dayVolume,omitempty"`
	PreviousClose float64     `json:"previousClose,omitempty"` // as the source sent it; 0 when it sent none
}

// StreamState is how a source's push of prices stands.
type StreamState string

const (
	StreamOff        StreamState = ""           // no stream: the feed has none, or it is turned off
	StreamConnecting StreamState = "connecting" // dialling, or waiting to dial again
	StreamLive       StreamState = "live"       // connected and subscribed
	StreamDown       StreamState = "down"       // refused, dropped or mute; polling carries the prices
)

// StreamStatus is a change in a stream's connection.
type StreamStatus struct {
	State StreamState
	Err   error // why it is down or connecting again; nil when live
}

// StreamSink receives what a stream pushes. Its functions are called from
// the stream's own goroutine, one at a time; they must not block.
type StreamSink struct {
	Tick    func(Tick)
	Dropped func(error) // a frame that did not decode: counted, never shown
	Status  func(StreamStatus)
}

// Streamer is a Feed whose source pushes trades as they happen.
type Streamer interface {
	// Stream subscribes the symbols last received on subs, follows each
	// new list (subscribing and unsubscribing), and delivers to sink until
	// ctx ends, reconnecting by itself; then it returns nil. A feed
	// without a stream (a wrapper around one) returns ErrNoStream at once.
	// Stream runs beside the Feed's other methods and shares no unguarded
	// state with them.
	Stream(ctx context.Context, subs <-chan []string, sink StreamSink) error
}

// ErrNoStream is returned by Stream when the source pushes no prices.
var ErrNoStream = errors.New("the source pushes no prices")

// StreamOf is f's stream, or nil when f has none.
func StreamOf(f Feed) Streamer {
	s, _ := f.(Streamer)
	return s
}

// LocalStream is the loop of a stream whose trades are made here (the
// simulated market, a replay): it waits for the first list on subs and
// gives it to subscribe (first true), says live, then calls step, which
// delivers what is due and says how long until more is (below zero:
// nothing until a new list), and gives each new list to subscribe, until
// ctx ends; then it returns nil. A closed subs keeps the last list. after
// is the timer it waits on.
func LocalStream(ctx context.Context, subs <-chan []string, sink StreamSink, after func(time.Duration) (<-chan time.Time, func()),
	subscribe func(list []string, first bool), step func() time.Duration) error {
	select {
	case <-ctx.Done():
		return nil
	case l, ok := <-subs:
		if !ok { // nothing will ever be subscribed
			<-ctx.Done()
			return nil
		}
		subscribe(l, true)
	}
	if sink.Status != nil {
		sink.Status(StreamStatus{State: StreamLive})
	}
	for {
		var wake <-chan time.Time
		stop := func() {}
		if d := step(); d >= 0 {
			wake, stop = after(d)
		}
		select {
		case <-ctx.Done():
			stop()
			return nil
		case l, ok := <-subs:
			stop()
			if !ok {
				subs = nil
				continue
			}
			subscribe(l, false)
		case <-wake:
		}
	}
}
