package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

// Options configure playback.
type Options struct {
	// Speed is how many recorded seconds pass per real second; 0 plays
	// everything at once: each symbol and range at its last recorded state.
	Speed float64
	Clock feeds.Clock // nil means the wall clock
}

// Feed plays a recording back. It implements feeds.Feed.
type Feed struct {
	path      string
	speed     float64
	clock     feeds.Clock
	started   time.Time // clock reading at Open
	first     time.Time // earliest record
	last      time.Time // latest record
	simulated bool
	warnings  []string

	quotes map[string][]timedQuote
	series map[seriesKey][]timedSeries
}

type timedQuote struct {
	t time.Time
	q feeds.Quote
}

type seriesKey struct {
	symbol string
	r      feeds.Range
}

type timedSeries struct {
	t time.Time
	s feeds.Series
}

// Open reads the recording at path. A last line cut short (no trailing
// newline, not valid JSON), as left by a killed recorder, is skipped with a
// warning (see Warnings); any other bad line is an error naming the line.
func Open(path string, opts Options) (*Feed, error) {
	if math.IsNaN(opts.Speed) || opts.Speed < 0 {
		return nil, fmt.Errorf("replay %s: speed %v is not allowed; use 0 (all at once) or a positive factor such as 1 or 10", path, opts.Speed)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	f := &Feed{path: path, speed: opts.Speed, clock: clock, started: clock(),
		quotes: make(map[string][]timedQuote), series: make(map[seriesKey][]timedSeries)}
	lines := bytes.Split(data, []byte("\n"))
	records := 0
	var skipped error // why the last line was skipped, if it was
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec record
		if err := decodeRecord(line, &rec); err != nil {
			if i == len(lines)-1 { // only a final line without its newline can be a cut-short write
				f.warnings = append(f.warnings, fmt.Sprintf("%s:%d: skipped the truncated last line (the recorder was probably stopped mid-write): %v", path, i+1, err))
				skipped = fmt.Errorf("replay %s:%d: no records in the file, only this damaged line (%v); repair or remove it, or make a new recording", path, i+1, err)
				continue
			}
			return nil, fmt.Errorf("replay %s:%d: %v; the recording is damaged: remove or repair that line", path, i+1, err)
		}
		f.add(rec)
		records++
	}
	if records == 0 && skipped != nil {
		return nil, skipped
	}
	if records == 0 {
		return nil, fmt.Errorf("replay %s: no records in the file; make one with a recording run first", path)
	}
	for _, q := range f.quotes {
		sort.SliceStable(q, func(i, j int) bool { return q[i].t.Before(q[j].t) })
	}
	for _, s := range f.series {
		sort.SliceStable(s, func(i, j int) bool { return s[i].t.Before(s[j].t) })
	}
	return f, nil
}

func decodeRecord(line []byte, rec *record) error {
	if err := json.Unmarshal(line, rec); err != nil {
		return fmt.Errorf("malformed record: %v", err)
	}
	if rec.T.IsZero() {
		return fmt.Errorf("record has no time \"t\"")
	}
	if rec.Series != nil {
		if err := checkSeries(rec.Series); err != nil {
			return err
		}
	}
	switch {
	case rec.Kind == KindQuotes && rec.Quotes != nil, rec.Kind == KindSeries && rec.Series != nil,
		rec.Kind == KindHealth && rec.Health != nil:
		return nil
	case rec.Kind == KindQuotes || rec.Kind == KindSeries || rec.Kind == KindHealth:
		return fmt.Errorf("%s record has no %q field", rec.Kind, rec.Kind)
	}
	return fmt.Errorf("unknown record kind %q (want quotes, series or health)", rec.Kind)
}

// checkSeries refuses a series whose times and closes do not pair up:
// readers index one by the other (Series.Last would panic).
func checkSeries(s *feeds.Series) error {
	if len(s.Times) != len(s.Closes) {
		return fmt.Errorf("series of %s %s has %d times but %d closes", s.Symbol, s.Range, len(s.Times), len(s.Closes))
	}
	return nil
}

func (f *Feed) add(rec record) {
	if f.first.IsZero() || rec.T.Before(f.first) {
		f.first = rec.T
	}
	if rec.T.After(f.last) {
		f.last = rec.T
	}
	if rec.Feed == "sim" || rec.Health != nil && rec.Health.Simulated {
		f.simulated = true
	}
	for _, q := range rec.Quotes {
		f.quotes[q.Symbol] = append(f.quotes[q.Symbol], timedQuote{rec.T, q})
	}
	if s := rec.Series; s != nil {
		k := seriesKey{s.Symbol, s.Range}
		f.series[k] = append(f.series[k], timedSeries{rec.T, *s})
	}
}

// Warnings lists problems that did not stop the replay.
func (f *Feed) Warnings() []string { return f.warnings }

// Simulated reports whether any part of the recording came from simulated prices.
func (f *Feed) Simulated() bool { return f.simulated }

// Name is "replay".
func (f *Feed) Name() string { return "replay" }

// now is the recorded instant being shown: first record + elapsed * speed,
// or the end of the recording at speed 0.
func (f *Feed) now() time.Time {
	if f.speed == 0 {
		return f.last
	}
	elapsed := float64(f.clock().Sub(f.started)) * f.speed
	if elapsed > float64(f.last.Sub(f.first)) {
		return f.last
	}
	return f.first.Add(time.Duration(elapsed))
}

// Quotes returns, for each symbol, its latest quote recorded at or before
// the replay time; symbols not (yet) recorded are absent.
func (f *Feed) Quotes(ctx context.Context, symbols []string) ([]feeds.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := f.now()
	out := make([]feeds.Quote, 0, len(symbols))
	for _, sym := range symbols {
		qs := f.quotes[sym]
		if i := sort.Search(len(qs), func(i int) bool { return qs[i].t.After(now) }); i > 0 {
			out = append(out, qs[i-1].q)
		}
	}
	return out, nil
}

// Series returns the latest series recorded for (symbol, r) at or before the replay time.
func (f *Feed) Series(ctx context.Context, symbol string, r feeds.Range) (feeds.Series, error) {
	if err := ctx.Err(); err != nil {
		return feeds.Series{}, err
	}
	now := f.now()
	ss := f.series[seriesKey{symbol, r}]
	i := sort.Search(len(ss), func(i int) bool { return ss[i].t.After(now) })
	if i == 0 {
		what := "is not in the recording"
		if len(ss) > 0 {
			what = "is recorded only after " + now.Format(time.RFC3339)
		}
		return feeds.Series{}, &feeds.Error{Kind: feeds.KindUpstream, Op: fmt.Sprintf("replay %s series %s", r, symbol),
			Err: fmt.Errorf("the %s chart of %s %s %s", r, symbol, what, f.path)}
	}
	return ss[i-1].s, nil
}

// Health says REPLAY, the file and the speed, and SIMULATED when the
// recording holds simulated prices.
func (f *Feed) Health() feeds.Health {
	now := f.now()
	detail := "REPLAY of " + f.path
	if f.speed == 0 {
		detail += " (all records at once)"
	} else {
		detail += " x" + strconv.FormatFloat(f.speed, 'g', -1, 64)
	}
	if f.simulated {
		detail += " — SIMULATED prices, not market data"
	}
	if f.speed != 0 && !now.Before(f.last) {
		detail += "; end of recording reached, holding the last state"
	}
	return feeds.Health{Feed: "replay", State: feeds.StateReplay, Detail: detail, Simulated: f.simulated,
		Speed: f.speed, LastOK: now}
}
