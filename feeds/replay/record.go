// Package replay records what a feed delivers to a JSON Lines file and plays
// such a recording back as a feed, so a session can be reviewed, demoed or
// debugged without the network. A recording of simulated prices replays as
// simulated: the flag is kept so made-up numbers never pass for real ones.
package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/fsbound"
)

// Record kinds.
const (
	KindQuotes = "quotes"
	KindSeries = "series"
	KindHealth = "health"
	KindTicks  = "ticks" // trades a stream pushed, batched (see Recorder.Stream)
)

// record is one line of a recording:
//
//	{"t":"2026-11-20T15:00:00Z","kind":"quotes","feed":"sim","quotes":[...]}
//
// t is when the result was delivered, by the recorder's clock (RFC 3339
// with nanoseconds); feed is the recorded feed's Name().
type record struct {
	T      time.Time     `json:"t"`
	Kind   string        `json:"kind"`
	Feed   string        `json:"feed"`
	Quotes []feeds.Quote `json:"quotes,omitempty"`
	Series *feeds.Series `json:"series,omitempty"`
	Health *feeds.Health `json:"health,omitempty"`
	Ticks  []feeds.Tick  `json:"ticks,omitempty"` // each at its own time, up to t
}

// Recorder is a feeds.Feed that passes every call to an inner feed and
// appends what it delivered to a writer, one JSON line per result, each in
// a single Write so a killed process loses at most the line being written.
// Health is recorded when its state, detail or simulated flag changes.
// Streamed trades are batched, a line a second (see Stream).
// It is a feeds.SeriesBatcher, a feeds.Limited and a feeds.Streamer
// whatever the inner feed is, answering for one the inner feed is not as a
// local source would (and a stream with feeds.ErrNoStream).
type Recorder struct {
	inner feeds.Feed
	clock feeds.Clock

	mu         sync.Mutex
	w          io.Writer
	lastHealth feeds.Health
	haveHealth bool
	err        error // first write failure; recording stops, the feed goes on
}

// NewRecorder wraps inner, writing to w (see OpenRecording for a file)
// with timestamps from clock.
func NewRecorder(inner feeds.Feed, w io.Writer, clock feeds.Clock) *Recorder {
	return &Recorder{inner: inner, w: w, clock: clock}
}

// OpenRecording opens path for a Recorder. Without appendMode it refuses to
// touch an existing file. With it, records are added at the end; a partial
// last line left by a recorder that was killed mid-write is cut first, so
// the new records start on a line of their own.
//
// Only a regular file is recorded into: a FIFO or a device (/dev/stdout,
// /dev/null) is refused, since it cannot be replayed, and in append mode
// repairing its last line would block or fail on it.
func OpenRecording(path string, appendMode bool) (*os.File, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, notRecordable(path, info)
	}
	if !appendMode {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("record to %s: the file already exists and will not be overwritten; choose a new file name, delete it, or append to it", path)
		}
		if err != nil {
			return nil, fmt.Errorf("record to %s: %w", path, err)
		}
		return f, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("record to %s (append): %w", path, err)
	}
	if info, err := f.Stat(); err == nil && !info.Mode().IsRegular() { // replaced since the check above
		f.Close()
		return nil, notRecordable(path, info)
	}
	if err := cutPartialLine(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("record to %s (append): repairing its last line: %w", path, err)
	}
	return f, nil
}

func notRecordable(path string, info fs.FileInfo) error {
	return fmt.Errorf("record to %s: %s, not a regular file; give --record the name of a new file, or of a recording to append to with --record-append",
		path, fsbound.Kind(info.Mode()))
}

// cutPartialLine truncates f after its last newline, scanning back from the
// end a block at a time since recordings grow large.
func cutPartialLine(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	end := info.Size()
	buf := make([]byte, 64*1024)
	for pos := end; pos > 0; {
		n := int64(len(buf))
		if pos < n {
			n = pos
		}
		pos -= n
		if _, err := f.ReadAt(buf[:n], pos); err != nil {
			return err
		}
		for i := n - 1; i >= 0; i-- {
			if buf[i] == '\n' {
				if pos+i+1 == end {
					return nil // already ends with a complete line
				}
				return f.Truncate(pos + i + 1)
			}
		}
	}
	return f.Truncate(0) // a single partial line and nothing else
}

var (
	_ feeds.Feed          = (*Recorder)(nil)
	_ feeds.SeriesBatcher = (*Recorder)(nil)
	_ feeds.Limited       = (*Recorder)(nil)
)

// Name is the inner feed's name: recording does not change what is shown.
func (r *Recorder) Name() string { return r.inner.Name() }

// Health is the inner feed's, with a note once recording has failed.
func (r *Recorder) Health() feeds.Health {
	h := r.inner.Health()
	r.recordHealth(h)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		h.Detail += fmt.Sprintf(" (recording stopped: %v)", r.err)
	}
	return h
}

// Err is the write error that stopped the recording, if any.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Quotes records whatever quotes the inner feed delivered, partial results included.
func (r *Recorder) Quotes(ctx context.Context, symbols []string) ([]feeds.Quote, error) {
	qs, err := r.inner.Quotes(ctx, symbols)
	if len(qs) > 0 {
		r.write(record{Kind: KindQuotes, Quotes: qs})
	}
	r.recordHealth(r.inner.Health())
	return qs, err
}

// Series records a series the inner feed delivered.
func (r *Recorder) Series(ctx context.Context, symbol string, rg feeds.Range) (feeds.Series, error) {
	s, err := r.inner.Series(ctx, symbol, rg)
	if err == nil {
		r.write(record{Kind: KindSeries, Series: &s})
	}
	r.recordHealth(r.inner.Health())
	return s, err
}

// SeriesBatch passes a batch to the inner feed and records each series it
// delivered as its own series line, as Series would: a replay serves them
// one by one. Series delivered along with an error are recorded too, as
// Quotes records partial results. An inner feed without batches gets no
// call at all: the error wraps feeds.ErrNoBatch, so the caller uses Series.
func (r *Recorder) SeriesBatch(ctx context.Context, symbols []string, rg feeds.Range) (map[string]feeds.Series, error) {
	b, ok := r.inner.(feeds.SeriesBatcher)
	if !ok {
		return nil, fmt.Errorf("record %s series of %d symbols: the %s feed fetches one symbol at a time: %w",
			rg, len(symbols), r.inner.Name(), feeds.ErrNoBatch)
	}
	got, err := b.SeriesBatch(ctx, symbols, rg)
	for _, sym := range batchOrder(symbols, got) {
		s := got[sym]
		r.write(record{Kind: KindSeries, Series: &s})
	}
	r.recordHealth(r.inner.Health())
	return got, err
}

// batchOrder lists the symbols of a batch's result in the order asked, then
// any not asked for sorted, so a recording does not depend on map order.
func batchOrder(asked []string, got map[string]feeds.Series) []string {
	order := make([]string, 0, len(got))
	seen := make(map[string]bool, len(got))
	for _, sym := range asked {
		if _, ok := got[sym]; ok && !seen[sym] {
			order, seen[sym] = append(order, sym), true
		}
	}
	rest := len(order)
	for sym := range got {
		if !seen[sym] {
			order = append(order, sym)
		}
	}
	slices.Sort(order[rest:])
	return order
}

// Limits are the inner feed's; zero (no limit) for a local one.
func (r *Recorder) Limits() feeds.Limits { return feeds.LimitsOf(r.inner) }

// Requests counts the inner feed's requests: recording sends none.
func (r *Recorder) Requests() int { return feeds.RequestsOf(r.inner) }

func (r *Recorder) recordHealth(h feeds.Health) {
	r.mu.Lock()
	changed := !r.haveHealth || h.State != r.lastHealth.State || h.Detail != r.lastHealth.Detail ||
		h.Simulated != r.lastHealth.Simulated || h.Feed != r.lastHealth.Feed
	r.lastHealth, r.haveHealth = h, true
	r.mu.Unlock()
	if changed {
		r.write(record{Kind: KindHealth, Health: &h})
	}
}

func (r *Recorder) write(rec record) {
	rec.T, rec.Feed = r.clock(), r.inner.Name()
	line, err := json.Marshal(rec)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return
	}
	if err == nil {
		_, err = r.w.Write(append(line, '\n'))
	}
	if err != nil {
		r.err = fmt.Errorf("write %s record: %w", rec.Kind, err)
	}
}
