package feeds

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rotation-dev/rotation/fsbound"
)

// Snapshot is the last known market, kept on disk so a restart shows it at
// once (marked with its age) while the first live refresh runs.
type Snapshot struct {
	SavedAt time.Time
	Feed    string
	Quotes  map[string]Quote
	Series  map[SeriesKey]Series
	// SymbolSavedAt is when each symbol was saved, where that is not
	// SavedAt: symbols kept from another instance's save (see SaveSnapshot).
	SymbolSavedAt map[string]time.Time
}

// SavedAtOf is when sym's data was saved.
func (s *Snapshot) SavedAtOf(sym string) time.Time {
	if t, ok := s.SymbolSavedAt[sym]; ok {
		return t
	}
	return s.SavedAt
}

// snapshotKeep is how long symbols another instance saved are kept in a
// shared snapshot by an instance that does not watch them.
const snapshotKeep = 7 * 24 * time.Hour

// snapshotVersion guards against reading a file written by an incompatible
// build: such a file is ignored, never misread. Version 2 stores bar times
// as Unix seconds.
const snapshotVersion = 2

type snapshotFile struct {
	Version int                     `json:"version"`
	SavedAt time.Time               `json:"savedAt"`
	Feed    string                  `json:"feed"`
	Quotes  map[string]Quote        `json:"quotes"`
	Series  map[string]packedSeries `json:"series"` // key "SYMBOL RANGE"
	// SymbolSavedAt holds the symbols saved earlier than savedAt.
	SymbolSavedAt map[string]time.Time `json:"symbolSavedAt,omitempty"`
}

// packedSeries is a Series with its bar times as Unix seconds: a snapshot
// holds more than a year of daily bars per symbol, and parsing each time as
// RFC 3339 text would be most of the cost of starting from it (see
// BenchmarkStartupFromSnapshot).
type packedSeries struct {
	Symbol        string        `json:"symbol"`
	Range         Range         `json:"range"`
	Interval      time.Duration `json:"interval"`
	Times         []int64       `json:"t"`
	Closes        []float64     `json:"c"`
	PreviousClose float64       `json:"previousClose,omitempty"`
	Periods       []Period      `json:"periods,omitempty"`
}

func pack(s Series) packedSeries {
	p := packedSeries{Symbol: s.Symbol, Range: s.Range, Interval: s.Interval, Closes: s.Closes,
		PreviousClose: s.PreviousClose, Periods: s.Periods, Times: make([]int64, len(s.Times))}
	for i, t := range s.Times {
		p.Times[i] = t.Unix()
	}
	return p
}

// unpack is the series back; ok is false when times and closes do not pair.
func (p packedSeries) unpack() (Series, bool) {
	if len(p.Times) != len(p.Closes) {
		return Series{}, false
	}
	s := Series{Symbol: p.Symbol, Range: p.Range, Interval: p.Interval, Closes: p.Closes,
		PreviousClose: p.PreviousClose, Periods: p.Periods, Times: make([]time.Time, len(p.Times))}
	for i, t := range p.Times {
		s.Times[i] = time.Unix(t, 0).UTC()
	}
	return s, true
}

// SnapshotOf captures an update for saving.
func SnapshotOf(feed string, u Update) *Snapshot {
	return &Snapshot{SavedAt: u.At, Feed: feed, Quotes: u.Quotes, Series: u.Series}
}

// Age is how old the snapshot is at now.
func (s *Snapshot) Age(now time.Time) time.Duration { return now.Sub(s.SavedAt) }

// SaveSnapshot writes s to path atomically (temp file, fsync, rename), so a
// crash mid-write leaves the previous snapshot intact. Several instances
// may share one cache directory: under a lock, the snapshot on disk is read
// and s merged into it by symbol, so the symbols another instance watches
// are kept (for up to 7 days) rather than dropped.
func SaveSnapshot(path string, s *Snapshot) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	if old, err := LoadSnapshot(path); err == nil && old != nil {
		s = mergeSnapshots(old, s)
	}
	f := snapshotFile{SymbolSavedAt: s.SymbolSavedAt, Version: snapshotVersion, SavedAt: s.SavedAt, Feed: s.Feed,
		Quotes: s.Quotes, Series: make(map[string]packedSeries, len(s.Series))}
	for k, v := range s.Series {
		if k.Range == RangeLong { // History keeps the years, in files of their own
			continue
		}
		f.Series[k.Symbol+" "+string(k.Range)] = pack(v)
	}
	data, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	return WriteFileAtomic(path, data, 0o600)
}

// MaxSnapshotSize bounds the snapshot read at start and before each save.
// The snapshot of a thousand symbols with their series is a few MiB.
const MaxSnapshotSize = 64 << 20

// LoadSnapshot reads a snapshot. A missing file is (nil, nil); a file from
// another version is ignored the same way. Anything but a regular file of
// at most MaxSnapshotSize bytes is refused at once, unread (a FIFO would
// block, /dev/zero never end), with an error that says the run goes on
// without it.
func LoadSnapshot(path string) (*Snapshot, error) {
	data, err := fsbound.ReadFile(path, MaxSnapshotSize)
	var nr *fsbound.NotRegularError
	var tb *fsbound.TooBigError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case errors.As(err, &nr):
		return nil, fmt.Errorf("snapshot %s is %s, not a file; starting without it: move it aside (the next save of live prices writes a new one)",
			path, fsbound.Kind(nr.Mode))
	case errors.As(err, &tb) && tb.Size >= 0:
		return nil, fmt.Errorf("snapshot %s is %s, larger than %s, which no snapshot is; starting without it: delete it (the next save of live prices writes a new one)",
			path, fsbound.Bytes(tb.Size), fsbound.Bytes(MaxSnapshotSize))
	case errors.As(err, &tb):
		return nil, fmt.Errorf("snapshot %s grew past %s while being read; starting without it: check what else writes to it",
			path, fsbound.Bytes(MaxSnapshotSize))
	case err != nil:
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	var f snapshotFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("snapshot %s is damaged (%v); delete it and rotation will write a new one", path, err)
	}
	if f.Version != snapshotVersion {
		return nil, nil
	}
	s := &Snapshot{SavedAt: f.SavedAt, Feed: f.Feed, Quotes: f.Quotes, Series: make(map[SeriesKey]Series, len(f.Series)),
		SymbolSavedAt: f.SymbolSavedAt}
	for k, v := range f.Series {
		sym, r, ok := strings.Cut(k, " ")
		series, whole := v.unpack()
		if !ok || !whole {
			continue
		}
		series.Range = LegacyRange(series.Range)
		s.Series[SeriesKey{sym, LegacyRange(Range(r))}] = series
	}
	return s, nil
}

// mergeSnapshots is cur with what old holds of the symbols cur lacks,
// where old saved them within snapshotKeep of cur.
func mergeSnapshots(old, cur *Snapshot) *Snapshot {
	out := &Snapshot{SavedAt: cur.SavedAt, Feed: cur.Feed, Quotes: maps.Clone(cur.Quotes), Series: maps.Clone(cur.Series),
		SymbolSavedAt: maps.Clone(cur.SymbolSavedAt)}
	if out.Quotes == nil {
		out.Quotes = map[string]Quote{}
	}
	if out.Series == nil {
		out.Series = map[SeriesKey]Series{}
	}
	has := func(sym string) bool {
		_, ok := cur.Quotes[sym]
		return ok
	}
	kept := func(sym string) bool {
		if has(sym) {
			return false
		}
		at := old.SavedAtOf(sym)
		return !at.IsZero() && cur.SavedAt.Sub(at) < snapshotKeep
	}
	for sym, q := range old.Quotes {
		if kept(sym) {
			out.Quotes[sym] = q
			if out.SymbolSavedAt == nil {
				out.SymbolSavedAt = map[string]time.Time{}
			}
			out.SymbolSavedAt[sym] = old.SavedAtOf(sym)
		}
	}
	for k, s := range old.Series {
		if _, mine := cur.Series[k]; !mine && kept(k.Symbol) {
			out.Series[k] = s
		}
	}
	return out
}

// WriteFileAtomic replaces path with data so that readers see either the old
// or the new content, never a torn file.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
