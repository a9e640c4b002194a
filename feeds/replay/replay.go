package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"github.com/rotation-dev/rotation/fsbound"
)

// Options configure playback.
type Options struct {
	// Speed is how many recorded seconds pass per real second; 0 plays
	// everything at once: each symbol and range at its last recorded state.
	Speed float64
	Clock feeds.Clock // nil means the wall clock
	// After returns a channel that receives once d has passed on Clock, and
	// a function that cancels it; Stream waits through it. nil means real
	// timers; tests pass feedstest.Clock.After.
	After func(d time.Duration) (<-chan time.Time, func())
}

// Feed plays a recording back. It implements feeds.Feed, and feeds.Streamer
// for the trades a recording holds (see Stream).
type Feed struct {
	path      string
	speed     float64
	clock     feeds.Clock
	after     func(time.Duration) (<-chan time.Time, func())
	started   time.Time // clock reading once Open has read the file: the replay's start
	first     time.Time // earliest record
	last      time.Time // latest record
	simulated bool
	warnings  []string

	quotes map[string][]timedQuote
	series map[feeds.SeriesKey][]timedSeries
	ticks  map[string][]feeds.Tick // by symbol, in time order
}

type timedQuote struct {
	t time.Time
	q feeds.Quote
}

type timedSeries struct {
	t time.Time
	s feeds.Series
}

// Open reads the recording at path. A last line cut short (no trailing
// newline, not valid JSON), as left by a killed recorder, is skipped with a
// warning (see Warnings); any other bad line is an error naming the line.
// Only a regular file is read, at most maxFileSize bytes of it and lines of
// at most maxLineSize (see bounds.go), a line at a time.
func Open(path string, opts Options) (*Feed, error) {
	if math.IsNaN(opts.Speed) || opts.Speed < 0 {
		return nil, fmt.Errorf("replay %s: speed %v is not allowed; use 0 (all at once) or a positive factor such as 1 or 10", path, opts.Speed)
	}
	file, err := openBounded(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	after := opts.After
	if after == nil {
		after = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTimer(d)
			return t.C, func() { t.Stop() }
		}
	}
	f := &Feed{path: path, speed: opts.Speed, clock: clock, after: after,
		quotes: make(map[string][]timedQuote), series: make(map[feeds.SeriesKey][]timedSeries),
		ticks: make(map[string][]feeds.Tick)}
	if err := f.read(file); err != nil {
		return nil, err
	}
	for _, q := range f.quotes {
		sort.SliceStable(q, func(i, j int) bool { return q[i].t.Before(q[j].t) })
	}
	for _, s := range f.series {
		sort.SliceStable(s, func(i, j int) bool { return s[i].t.Before(s[j].t) })
	}
	for _, t := range f.ticks {
		slices.SortStableFunc(t, func(a, b feeds.Tick) int { return a.Time.Compare(b.Time) })
	}
	// The replay starts now, not before the file was read: a large
	// recording takes a while, which at speed N would skip N times that.
	f.started = clock()
	return f, nil
}

// read adds every record of r, a line at a time.
func (f *Feed) read(r io.Reader) error {
	lines := newLineReader(r)
	records := 0
	var skipped error // why the last line was skipped, if it was
	for {
		line, last, err := lines.next()
		n := lines.line
		switch {
		case errors.Is(err, fsbound.ErrTooBig):
			return fmt.Errorf("replay %s:%d: the file grew past %s while being read; stop whatever is still writing to it, or copy it, and replay the copy",
				f.path, n, fsbound.Bytes(maxFileSize))
		case errors.Is(err, errLineTooLong):
			return fmt.Errorf("replay %s:%d: line %d is longer than %s, which no record is; this is not a recording written by --record, or it is damaged: remove that line or make a new recording",
				f.path, n, n, fsbound.Bytes(int64(maxLineSize)))
		case err != nil:
			return fmt.Errorf("replay %s:%d: reading the file failed: %w; check the disk, or copy the file and replay the copy", f.path, n, err)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			var rec record
			if err := decodeRecord(line, &rec); err != nil {
				if !last { // only a final line without its newline can be a cut-short write
					return fmt.Errorf("replay %s:%d: %v; the recording is damaged: remove or repair that line", f.path, n, err)
				}
				f.warnings = append(f.warnings, fmt.Sprintf("%s:%d: skipped the truncated last line (the recorder was probably stopped mid-write): %v", f.path, n, err))
				skipped = fmt.Errorf("replay %s:%d: no records in the file, only this damaged line (%v); repair or remove it, or make a new recording", f.path, n, err)
			} else {
				if records == 0 {
					f.first, f.last = rec.T, rec.T
				}
				f.add(rec)
				records++
			}
		}
		if last {
			break
		}
	}
	if records == 0 && skipped != nil {
		return skipped
	}
	if records == 0 {
		return fmt.Errorf("replay %s: no records in the file; make one with a recording run first", f.path)
	}
	return nil
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
	if err := checkTicks(rec.Ticks); err != nil {
		return err
	}
	switch {
	case rec.Kind == KindQuotes && rec.Quotes != nil, rec.Kind == KindSeries && rec.Series != nil,
		rec.Kind == KindHealth && rec.Health != nil, rec.Kind == KindTicks && rec.Ticks != nil:
		return nil
	case rec.Kind == KindQuotes || rec.Kind == KindSeries || rec.Kind == KindHealth || rec.Kind == KindTicks:
		return fmt.Errorf("%s record has no %q field", rec.Kind, rec.Kind)
	}
	return fmt.Errorf("unknown record kind %q (want quotes, series, health or ticks)", rec.Kind)
}

// checkTicks refuses a trade without a symbol or a time: playback files
// trades by symbol and delivers them at their times.
func checkTicks(ticks []feeds.Tick) error {
	for i, t := range ticks {
		if t.Symbol == "" || t.Time.IsZero() {
			return fmt.Errorf("trade %d of the ticks record has no symbol or no time", i+1)
		}
	}
	return nil
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
	if rec.T.Before(f.first) {
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
	for _, t := range rec.Ticks {
		f.ticks[t.Symbol] = append(f.ticks[t.Symbol], t)
	}
	if s := rec.Series; s != nil {
		s.Range = feeds.LegacyRange(s.Range)
		k := feeds.SeriesKey{Symbol: s.Symbol, Range: s.Range}
		f.series[k] = append(f.series[k], timedSeries{rec.T, *s})
	}
}

// Warnings lists problems that did not stop the replay.
func (f *Feed) Warnings() []string { return f.warnings }

// Simulated reports whether any part of the recording came from simulated prices.
func (f *Feed) Simulated() bool { return f.simulated }

// Name is "replay".
func (f *Feed) Name() string { return "replay" }

// Clock is the recorded instant being shown (see Options.Speed), for the
// whole program to run on: dates, market hours and returns must be those of
// the recording, not of the day it is replayed. It reads only what Open
// set, so it is safe for concurrent use whenever Options.Clock is.
func (f *Feed) Clock() feeds.Clock { return f.now }

// now is the recorded instant being shown: the first record plus the real
// time since Open times speed, holding at the last record once it is
// reached; the last record at once at speed 0.
func (f *Feed) now() time.Time {
	if f.speed == 0 {
		return f.last
	}
	elapsed := f.clock().Sub(f.started)
	if elapsed <= 0 {
		return f.first // a clock set back holds at the start, not before it
	}
	span := f.last.Sub(f.first)
	if f.speed != 1 { // at 1, no float rounding: the recorded spacing to the nanosecond
		// Compared as floats first: elapsed*speed may not fit a Duration.
		x := float64(elapsed) * f.speed
		if x >= float64(span) {
			return f.last
		}
		elapsed = time.Duration(x)
	}
	if elapsed >= span {
		return f.last
	}
	return f.first.Add(elapsed)
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

// Series returns the latest series recorded for (symbol, r) at or before
// the replay time. A daily range with none falls back to the RangeDaily
// series (see daily), which serves every daily range; it comes back as
// it is, Range RangeDaily, for the caller to cut.
func (f *Feed) Series(ctx context.Context, symbol string, r feeds.Range) (feeds.Series, error) {
	if err := ctx.Err(); err != nil {
		return feeds.Series{}, err
	}
	now := f.now()
	if ts, ok := f.at(feeds.SeriesKey{Symbol: symbol, Range: r}, now); ok {
		return ts.s, nil
	}
	if !isDaily(r) {
		return feeds.Series{}, f.notRecorded(symbol, r, now, []feeds.Range{r})
	}
	if s, ok := f.daily(symbol, now); ok {
		return s, nil
	}
	return feeds.Series{}, f.notRecorded(symbol, r, now, append([]feeds.Range{r, feeds.RangeDaily}, oldDaily()...))
}

// at is the latest series recorded for k at or before now.
func (f *Feed) at(k feeds.SeriesKey, now time.Time) (timedSeries, bool) {
	ss := f.series[k]
	i := sort.Search(len(ss), func(i int) bool { return ss[i].t.After(now) })
	if i == 0 {
		return timedSeries{}, false
	}
	return ss[i-1], true
}

// daily is symbol's RangeDaily series at now. Recordings made before
// RangeDaily existed hold daily closes under the ranges on screen (1M to
// 1Y) instead; the longest of those at now stands in for it, relabelled,
// as every daily range is a cut of the longest.
func (f *Feed) daily(symbol string, now time.Time) (feeds.Series, bool) {
	if ts, ok := f.at(feeds.SeriesKey{Symbol: symbol, Range: feeds.RangeDaily}, now); ok {
		return ts.s, true
	}
	var best timedSeries
	found := false
	for _, r := range oldDaily() {
		if ts, ok := f.at(feeds.SeriesKey{Symbol: symbol, Range: r}, now); ok && (!found || longer(ts, best)) {
			best, found = ts, true
		}
	}
	best.s.Range = feeds.RangeDaily // a copy: the recorded series keeps its range
	return best.s, found
}

// longer ranks stand-ins for RangeDaily: the wider span of time, then more
// bars, then the later recording (the fresher last close).
func longer(a, b timedSeries) bool {
	if sa, sb := span(a.s), span(b.s); sa != sb {
		return sa > sb
	}
	if a.s.Len() != b.s.Len() {
		return a.s.Len() > b.s.Len()
	}
	return a.t.After(b.t)
}

func span(s feeds.Series) time.Duration {
	if len(s.Times) == 0 {
		return -1 // below a single bar's zero span
	}
	return s.Times[len(s.Times)-1].Sub(s.Times[0])
}

// isDaily reports whether RangeDaily can serve r: a daily range on screen,
// RangeDaily itself, or RangeLong in a recording without its years (the
// long ranges its year and seven weeks reach then have figures, and the
// others say their history starts too late). An unknown range (a damaged
// recording) cannot.
func isDaily(r feeds.Range) bool {
	return r == feeds.RangeDaily || r == feeds.RangeLong || !r.Intraday() && slices.Contains(feeds.Ranges, r)
}

// oldDaily lists the ranges older recordings keep daily series under.
func oldDaily() []feeds.Range {
	var out []feeds.Range
	for _, r := range feeds.Ranges {
		if !r.Intraday() && !r.Long() {
			out = append(out, r)
		}
	}
	return out
}

// notRecorded explains why no series of symbol serves r at now, having
// tried the ranges tried (more than r: the daily ones that could serve it).
func (f *Feed) notRecorded(symbol string, r feeds.Range, now time.Time, tried []feeds.Range) error {
	chart := fmt.Sprintf("the %s chart of %s", r, symbol)
	err := fmt.Errorf("%s is not in the recording %s", chart, f.path)
	if len(tried) > 1 {
		err = fmt.Errorf("%s is not in the recording %s, nor any daily series that could serve it", chart, f.path)
		chart += " (or a daily series to serve it)"
	}
	for _, t := range tried {
		if len(f.series[feeds.SeriesKey{Symbol: symbol, Range: t}]) > 0 { // none at or before now, so later
			err = fmt.Errorf("%s is recorded only after %s in %s", chart, now.Format(time.RFC3339), f.path)
			break
		}
	}
	return &feeds.Error{Kind: feeds.KindUpstream, Op: fmt.Sprintf("replay %s series %s", r, symbol), Err: err}
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
