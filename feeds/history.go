package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rotation-dev/rotation/fsbound"
)

// History is the on-disk cache of long daily histories, one file per symbol, in Dir.
// Several instances may share Dir: each file is replaced whole (see Store).
type History struct{ Dir string }

// HistoryEntry is one symbol's cached history and when it was last fetched whole.
type HistoryEntry struct {
	Series  Series    // Range RangeLong, daily bars
	Fetched time.Time // when the years were last fetched whole from the source
}

// historyVersion guards against reading a file written by an incompatible
// build: such a file is a miss, and the years are fetched again.
const historyVersion = 1

// maxHistorySize bounds one symbol's history file. Ten years of daily bars
// are about 2,600 bars, under 100 KiB.
const maxHistorySize = 16 << 20

// historyFile is the file's JSON: compact, times as Unix seconds.
type historyFile struct {
	Version int          `json:"version"`
	Symbol  string       `json:"symbol"`  // the symbol the file is for, as given to Store
	Fetched int64        `json:"fetched"` // Unix seconds
	Series  packedSeries `json:"series"`
}

// path is the file symbol's entry is kept in: always directly inside Dir,
// one name per symbol (see historyName).
func (h History) path(symbol string) string {
	return filepath.Join(h.Dir, historyName(symbol))
}

// Load reads symbol's entry; ok is false when there is none (a missing file
// is not an error, nor is a file from another version). A damaged or
// oversized file, or something other than a file, is an error that says
// which file and that the years will be fetched again.
func (h History) Load(symbol string) (e HistoryEntry, ok bool, err error) {
	path := h.path(symbol)
	data, err := fsbound.ReadFile(path, maxHistorySize)
	var nr *fsbound.NotRegularError
	var tb *fsbound.TooBigError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return HistoryEntry{}, false, nil
	case errors.As(err, &nr):
		return HistoryEntry{}, false, fmt.Errorf("history %s is %s, not a file; the years will be fetched again: move it aside so they can be kept",
			path, fsbound.Kind(nr.Mode))
	case errors.As(err, &tb) && tb.Size >= 0:
		return HistoryEntry{}, false, fmt.Errorf("history %s is %s, larger than %s, which no history is; the years will be fetched again and the file replaced",
			path, fsbound.Bytes(tb.Size), fsbound.Bytes(maxHistorySize))
	case errors.As(err, &tb):
		return HistoryEntry{}, false, fmt.Errorf("history %s grew past %s while being read; the years will be fetched again: check what else writes to it",
			path, fsbound.Bytes(maxHistorySize))
	case err != nil:
		return HistoryEntry{}, false, fmt.Errorf("read history %s: %w; the years will be fetched again", path, err)
	}
	damaged := func(why string) (HistoryEntry, bool, error) {
		return HistoryEntry{}, false, fmt.Errorf("history %s is damaged (%s); the years will be fetched again and the file replaced", path, why)
	}
	var f historyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return damaged(err.Error())
	}
	if f.Version != historyVersion {
		return HistoryEntry{}, false, nil
	}
	if f.Symbol != asJSON(symbol) {
		return damaged(fmt.Sprintf("it holds %q, not %q", f.Symbol, symbol))
	}
	s, whole := f.Series.unpack()
	if !whole {
		return damaged(fmt.Sprintf("%d times for %d closes", len(f.Series.Times), len(f.Series.Closes)))
	}
	for i, c := range s.Closes {
		if why := badPrice(c); why != "" {
			return damaged(fmt.Sprintf("bar %d: %s", i, why))
		}
		if i > 0 && !s.Times[i].After(s.Times[i-1]) {
			return damaged(fmt.Sprintf("bar %d is not after bar %d", i, i-1))
		}
	}
	return HistoryEntry{Series: s, Fetched: time.Unix(f.Fetched, 0).UTC()}, true, nil
}

// Store writes symbol's entry atomically (WriteFileAtomic: temp file,
// fsync, rename), creating Dir as needed. Two processes storing one symbol
// at once each rename a complete file of their own: the last one wins, and
// a reader sees either, never a torn file. Times are kept to the second,
// and a symbol that is not UTF-8 as JSON carries it (its file name is its
// own all the same).
func (h History) Store(symbol string, e HistoryEntry) error {
	path := h.path(symbol)
	if len(e.Series.Times) != len(e.Series.Closes) {
		return fmt.Errorf("store history %s: %d times for %d closes", path, len(e.Series.Times), len(e.Series.Closes))
	}
	data, err := json.Marshal(historyFile{Version: historyVersion, Symbol: symbol, Fetched: e.Fetched.Unix(), Series: pack(e.Series)})
	if err != nil {
		return fmt.Errorf("encode history %s: %w", path, err)
	}
	if len(data) > maxHistorySize {
		return fmt.Errorf("store history %s: %s, larger than %s, which Load would refuse",
			path, fsbound.Bytes(int64(len(data))), fsbound.Bytes(maxHistorySize))
	}
	return WriteFileAtomic(path, data, 0o600)
}

// asJSON is s as a JSON string carries it: each byte that is not UTF-8
// becomes U+FFFD, as Store's file holds it.
func asJSON(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	data, _ := json.Marshal(s)
	_ = json.Unmarshal(data, &s)
	return s
}

// historyNameMax bounds the readable part of a file name; a longer one is
// cut and ends in a hash of the whole symbol (names stay far under the
// 255 bytes file systems allow).
const historyNameMax = 160

// historyName is symbol's file name. Upper-case ASCII letters, digits and
// '-' stand as they are; every other byte (lower-case letters included, so
// that names differ on a case-insensitive file system too) is '_' and two
// upper-case hex digits: "^GSPC" is "_5EGSPC.json", "EURUSD=X"
// "EURUSD_3DX.json", "0700.HK" "0700_2EHK.json". The encoding decodes one
// way only, so distinct symbols get distinct names, and no name holds a
// separator or a dot before ".json", so none is "." or ".." or leaves Dir.
// The empty symbol is "_.json" (a lone '_' encodes nothing else), a
// Windows device name ("CON", "LPT1") has its first letter escaped, and a
// name past historyNameMax is cut and given '~' and the symbol's SHA-256.
func historyName(symbol string) string {
	if symbol == "" {
		return "_.json"
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(symbol); i++ {
		c := symbol[i]
		switch {
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-':
			b.WriteByte(c)
		default:
			b.WriteByte('_')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		}
	}
	name := b.String()
	if windowsDevice(name) {
		name = fmt.Sprintf("_%02X%s", name[0], name[1:])
	}
	if len(name) > historyNameMax {
		sum := sha256.Sum256([]byte(symbol))
		name = name[:historyNameMax-1-2*len(sum)] + "~" + strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	return name + ".json"
}

// windowsDevice reports whether name (upper case) is one Windows reserves
// for a device, with or without an extension.
func windowsDevice(name string) bool {
	switch name {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(name) == 4 && (strings.HasPrefix(name, "COM") || strings.HasPrefix(name, "LPT")) &&
		'0' <= name[3] && name[3] <= '9'
}

// splitNoise is how far the join's ratio may lie from 1 and be rounding.
const splitNoise = 0.005

// sameSession is how near two daily bars' times are to be one session's.
const sameSession = 12 * time.Hour

// MergeHistory extends the long history with the fresher daily series and
// returns the series the figures read (Range RangeLong): the long bars
// before the daily series' first session, then every daily bar (its span
// is the daily series', and its closes the fresher). ok is false when they
// cannot be joined: long is empty, or no daily bar has a long bar of the
// same session (the cached years end before the daily series begins); the
// caller then fetches the years whole again. An empty daily series leaves
// long as it is. Bars whose close is no price are skipped; the inputs are
// not modified.
//
// Yahoo's closes are split-adjusted as of the request, so after a split
// the cached years are on the old scale and the daily series on the new:
// the median ratio of their closes where both have a session rescales
// every older bar onto it.
func MergeHistory(long, daily Series) (Series, bool) {
	lt, lc := validBars(long)
	dt, dc := validBars(daily)
	if len(lt) == 0 {
		return Series{}, false
	}
	if len(dt) == 0 {
		out := long
		out.Times, out.Closes = lt, lc
		out.Periods = slices.Clone(long.Periods)
		if badPrice(out.PreviousClose) != "" {
			out.PreviousClose = 0
		}
		return out, true
	}
	// The ratio of the two series over the sessions both hold: constant
	// after a split, 1 without one. Its median, so that one close revised
	// since the years were kept cannot rescale them; and without the kept
	// years' last bar where there are others, as it may have been kept
	// while its session still traded.
	var ratios []float64
	lastKept := false
	for i, t := range dt {
		if j, ok := sessionOf(lt, t); ok {
			ratios = append(ratios, dc[i]/lc[j])
			lastKept = j == len(lt)-1
		}
	}
	if len(ratios) == 0 {
		return Series{}, false
	}
	if lastKept && len(ratios) > 1 {
		ratios = ratios[:len(ratios)-1]
	}
	slices.Sort(ratios)
	k := ratios[len(ratios)/2]
	if len(ratios)%2 == 0 {
		k = (ratios[len(ratios)/2-1] + k) / 2
	}
	scale := math.Abs(k-1) > splitNoise
	// The long bars before the daily series' first session: any after it
	// lie within the daily span, which the daily series speaks for.
	cut := sort.Search(len(lt), func(i int) bool { return !lt[i].Before(dt[0].Add(-sameSession)) })
	out := Series{Symbol: daily.Symbol, Range: RangeLong, Interval: 24 * time.Hour,
		Times: make([]time.Time, 0, cut+len(dt)), Closes: make([]float64, 0, cut+len(dt))}
	if out.Symbol == "" {
		out.Symbol = long.Symbol
	}
	for i := range cut {
		c := lc[i]
		if scale {
			c *= k
		}
		if badPrice(c) != "" {
			continue
		}
		out.Times, out.Closes = append(out.Times, lt[i]), append(out.Closes, c)
	}
	out.Times, out.Closes = append(out.Times, dt...), append(out.Closes, dc...)
	if pc := long.PreviousClose; badPrice(pc) == "" {
		if scale {
			pc *= k
		}
		if badPrice(pc) == "" {
			out.PreviousClose = pc
		}
	}
	return out, true
}

// validBars are s's bars as new slices, without those whose close is no
// price or whose time is not after the bar before.
func validBars(s Series) ([]time.Time, []float64) {
	n := min(len(s.Times), len(s.Closes))
	times, closes := make([]time.Time, 0, n), make([]float64, 0, n)
	for i := range n {
		if badPrice(s.Closes[i]) != "" || (len(times) > 0 && !s.Times[i].After(times[len(times)-1])) {
			continue
		}
		times, closes = append(times, s.Times[i]), append(closes, s.Closes[i])
	}
	return times, closes
}

// sessionOf is the index of the bar of times (increasing) nearest t within
// sameSession; ok is false when there is none.
func sessionOf(times []time.Time, t time.Time) (int, bool) {
	i := sort.Search(len(times), func(i int) bool { return !times[i].Before(t.Add(-sameSession)) })
	best, ok := -1, false
	for j := i; j < len(times) && !times[j].After(t.Add(sameSession)); j++ {
		if !ok || absDuration(times[j].Sub(t)) < absDuration(times[best].Sub(t)) {
			best, ok = j, true
		}
	}
	return best, ok
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
