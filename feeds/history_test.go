package feeds

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// day is a daily bar's time as Yahoo stamps it: the session's open (9:30
// in New York in summer).
func hDay(date string) time.Time {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	return t.Add(13*time.Hour + 30*time.Minute)
}

type hBar struct {
	date  string
	close float64
}

func hDaily(sym string, bars ...hBar) Series { return hBarSeries(sym, RangeDaily, bars) }
func hLong(sym string, bars ...hBar) Series  { return hBarSeries(sym, RangeLong, bars) }

func hBarSeries(sym string, r Range, bars []hBar) Series {
	s := Series{Symbol: sym, Range: r, Interval: 24 * time.Hour}
	for _, b := range bars {
		s.Times = append(s.Times, hDay(b.date))
		s.Closes = append(s.Closes, b.close)
	}
	return s
}

// hLoadWithin is Load, failing the test rather than hanging it.
func hLoadWithin(t *testing.T, h History, sym string) (HistoryEntry, bool, error) {
	t.Helper()
	type result struct {
		e   HistoryEntry
		ok  bool
		err error
	}
	done := make(chan result, 1)
	go func() {
		e, ok, err := h.Load(sym)
		done <- result{e, ok, err}
	}()
	select {
	case r := <-done:
		return r.e, r.ok, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("Load(%q) still reading after 5 s", sym)
		return HistoryEntry{}, false, nil
	}
}

// hStoreWithin is Store, failing the test rather than hanging it (a write
// that opened a FIFO would wait for a reader).
func hStoreWithin(t *testing.T, h History, sym string, e HistoryEntry) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- h.Store(sym, e) }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("Store(%q) still writing after 5 s", sym)
		return nil
	}
}

func hSample(sym string, n int, first float64) HistoryEntry {
	s := Series{Symbol: sym, Range: RangeLong, Interval: 24 * time.Hour, PreviousClose: first - 1}
	start := hDay("2016-01-04")
	for i := range n {
		s.Times = append(s.Times, start.AddDate(0, 0, i))
		s.Closes = append(s.Closes, first+float64(i)/4)
	}
	return HistoryEntry{Series: s, Fetched: time.Date(2026, 3, 2, 21, 5, 7, 0, time.UTC)}
}

func TestHistoryRoundTrip(t *testing.T) {
	h := History{Dir: filepath.Join(t.TempDir(), "rotation", "history")} // not there yet
	want := hSample("^GSPC", 2600, 1900.5)
	want.Series.Periods = []Period{{Start: hDay("2025-06-02").UTC(), End: hDay("2025-06-02").Add(390 * time.Minute).UTC()}}
	if err := h.Store("^GSPC", want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := h.Load("^GSPC")
	if err != nil || !ok {
		t.Fatalf("Load = ok %v, %v; want the stored entry", ok, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %+v\nwant %+v", got.Series.Times[:2], want.Series.Times[:2])
	}

	info, err := os.Stat(h.Dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("Dir: %v, %v; want created 0700", info.Mode(), err)
	}
	path := h.path("^GSPC")
	if filepath.Base(path) != "_5EGSPC.json" {
		t.Errorf("path(^GSPC) = %s; want _5EGSPC.json", path)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("file: %v, %v; want 0600", info.Mode(), err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if string(f["version"]) != "1" || string(f["symbol"]) != `"^GSPC"` || string(f["fetched"]) != strconv.FormatInt(want.Fetched.Unix(), 10) {
		t.Errorf("file's version %s, symbol %s, fetched %s; want 1, \"^GSPC\", %d", f["version"], f["symbol"], f["fetched"], want.Fetched.Unix())
	}
	if !strings.Contains(string(data), `"t":[`+strconv.FormatInt(want.Series.Times[0].Unix(), 10)+",") {
		t.Errorf("bar times are not Unix seconds: %.200s", data)
	}
	if strings.ContainsAny(string(data), "\n\t") {
		t.Error("file is not compact JSON")
	}

	// Stored again, the file is replaced; no temporary file stays.
	want2 := hSample("^GSPC", 3, 5)
	if err := h.Store("^GSPC", want2); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := h.Load("^GSPC"); err != nil || !ok || !reflect.DeepEqual(got, want2) {
		t.Errorf("after a second Store: %+v, %v, %v; want the second entry", got, ok, err)
	}
	if names := hDirNames(t, h.Dir); !reflect.DeepEqual(names, []string{"_5EGSPC.json"}) {
		t.Errorf("Dir holds %q; want the one file", names)
	}
}

func hDirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestHistoryLoadMissing(t *testing.T) {
	for _, dir := range []string{t.TempDir(), filepath.Join(t.TempDir(), "absent")} {
		e, ok, err := History{Dir: dir}.Load("EURUSD=X")
		if ok || err != nil || e.Series.Len() != 0 {
			t.Errorf("Load in %s = %+v, %v, %v; want a clean miss", dir, e, ok, err)
		}
	}
}

// TestHistoryLoadDamaged: a file that is no history is an error naming it
// and saying the years will be fetched again; a file of another version is
// a clean miss.
func TestHistoryLoadDamaged(t *testing.T) {
	good := func(mod func(*historyFile)) string {
		e := hSample("BRK-B", 3, 300)
		f := historyFile{Version: historyVersion, Symbol: "BRK-B", Fetched: e.Fetched.Unix(), Series: pack(e.Series)}
		mod(&f)
		data, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for _, tt := range []struct {
		name, content, why string // why: in the error; "" for a clean miss
	}{
		{"truncated", good(func(*historyFile) {})[:40], "damaged"},
		{"not JSON", "\x00\x01garbage", "damaged"},
		{"empty", "", "damaged"},
		{"unpaired", good(func(f *historyFile) { f.Series.Closes = f.Series.Closes[:2] }), "3 times for 2 closes"},
		{"other symbol", good(func(f *historyFile) { f.Symbol = "BRK-A" }), `holds "BRK-A"`},
		{"bad close", good(func(f *historyFile) { f.Series.Closes[1] = -4 }), "bar 1: -4 is not above zero"},
		{"unordered", good(func(f *historyFile) { f.Series.Times[2] = f.Series.Times[0] }), "bar 2 is not after bar 1"},
		{"other version", good(func(f *historyFile) { f.Version = 99 }), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := History{Dir: t.TempDir()}
			path := h.path("BRK-B")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			e, ok, err := hLoadWithin(t, h, "BRK-B")
			if tt.why == "" {
				if ok || err != nil {
					t.Errorf("Load = %v, %v; want a clean miss", ok, err)
				}
				return
			}
			if ok || e.Series.Len() != 0 || err == nil {
				t.Fatalf("Load = %v, %v; want an error", ok, err)
			}
			for _, part := range []string{path, tt.why, "fetched again"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not say %q", err, part)
				}
			}
		})
	}
}

// TestHistoryLoadRefusesNonFiles: a directory, a FIFO (which would block
// an ordinary read) or an oversized file in place of the file is an error
// at once, and a FIFO is replaced by the next Store.
func TestHistoryLoadRefusesNonFiles(t *testing.T) {
	h := History{Dir: t.TempDir()}
	if err := os.Mkdir(h.path("DIR"), 0o700); err != nil {
		t.Fatal(err)
	}
	big := h.path("BIG")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, maxHistorySize+1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	cases := []struct{ sym, says string }{
		{"DIR", "is a directory, not a file"},
		{"BIG", "larger than 16 MiB"},
	}
	replaced := []string{"BIG"}
	if mkfifo, err := exec.LookPath("mkfifo"); err == nil && exec.Command(mkfifo, h.path("FIFO")).Run() == nil {
		cases = append(cases, struct{ sym, says string }{"FIFO", "is a named pipe (FIFO), not a file"})
		replaced = append(replaced, "FIFO")
	} else {
		t.Log("no FIFO here: refusing one is not tested")
	}
	for _, tt := range cases {
		_, ok, err := hLoadWithin(t, h, tt.sym)
		if ok || err == nil || !strings.Contains(err.Error(), h.path(tt.sym)) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("Load(%s) = %v, %v; want an error naming the file that says %q", tt.sym, ok, err, tt.says)
		}
	}
	for _, sym := range replaced {
		want := hSample(sym, 2, 10)
		if err := hStoreWithin(t, h, sym, want); err != nil {
			t.Fatalf("Store(%s) over the bad file: %v", sym, err)
		}
		if got, ok, err := hLoadWithin(t, h, sym); err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("Load(%s) after Store = %v, %v; want the entry", sym, ok, err)
		}
	}
}

// TestHistoryConcurrentStoreLoad: two writers store one symbol over and
// over while a reader loads it: every Load is a clean miss (before the
// first store) or one of the two entries whole, never an error.
func TestHistoryConcurrentStoreLoad(t *testing.T) {
	h := History{Dir: filepath.Join(t.TempDir(), "history")}
	entries := []HistoryEntry{hSample("0700.HK", 2600, 300), hSample("0700.HK", 1300, 75)}
	const stores = 40
	var wg sync.WaitGroup
	for _, e := range entries {
		wg.Go(func() {
			for range stores {
				if err := h.Store("0700.HK", e); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	stop := make(chan struct{})
	var loads, hits int
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			e, ok, err := h.Load("0700.HK")
			loads++
			switch {
			case err != nil:
				t.Errorf("Load during stores: %v", err)
				return
			case ok && !reflect.DeepEqual(e, entries[0]) && !reflect.DeepEqual(e, entries[1]):
				t.Errorf("Load during stores: %d bars, PreviousClose %v; want one entry whole", e.Series.Len(), e.Series.PreviousClose)
				return
			case ok:
				hits++
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-done
	if hits == 0 {
		t.Errorf("%d loads, none while the file was there", loads)
	}
	if names := hDirNames(t, h.Dir); !reflect.DeepEqual(names, []string{"0700_2EHK.json"}) {
		t.Errorf("Dir holds %q after the stores; want the one file", names)
	}
}

// decodeHistoryName is historyName's inverse for names without a hash.
func decodeHistoryName(name string) (string, error) {
	stem, ok := strings.CutSuffix(name, ".json")
	if !ok {
		return "", fmt.Errorf("%q: no .json", name)
	}
	if stem == "_" {
		return "", nil
	}
	var b []byte
	for i := 0; i < len(stem); i++ {
		switch c := stem[i]; {
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-':
			b = append(b, c)
		case c == '_' && i+2 < len(stem) && strings.ToUpper(stem[i+1:i+3]) == stem[i+1:i+3]:
			v, err := strconv.ParseUint(stem[i+1:i+3], 16, 8)
			if err != nil {
				return "", fmt.Errorf("%q: %v", name, err)
			}
			b = append(b, byte(v))
			i += 2
		default:
			return "", fmt.Errorf("%q: byte %q at %d", name, c, i)
		}
	}
	return string(b), nil
}

// TestHistoryNames: every symbol, hostile ones included, maps to one file
// name directly inside Dir, made of characters safe on any file system,
// distinct from every other symbol's even where case is not told apart.
func TestHistoryNames(t *testing.T) {
	longA := strings.Repeat("A", 300)
	syms := []string{
		"^GSPC", "EURUSD=X", "0700.HK", "BRK-B", "BRK.B", "brk-b", "GC=F", "^N225",
		"../x", "..", ".", "a/b", `a\b`, "/etc/passwd", "C:x", "CON", "con", "Con", "NUL", "LPT1", "COM9", "COM10", "AUX.X",
		"", "_", "_5E", "^", " ", "x ", "x.", "~", "\x00", "\xff\xfe", "日経平均", "Ä", "A\nB", "A*?<>|:\"",
		longA, longA + "B", strings.Repeat("日", 200), strings.Repeat("_", 100),
	}
	dir := filepath.Join(t.TempDir(), "history")
	h := History{Dir: dir}
	seen := map[string]string{} // upper-cased name: symbol
	for _, sym := range syms {
		path := h.path(sym)
		name := filepath.Base(path)
		if filepath.Dir(path) != dir || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
			t.Errorf("path(%q) = %s; want a file directly in %s", sym, path, dir)
		}
		if len(name) > 200 {
			t.Errorf("path(%q): %d bytes; want at most 200", sym, len(name))
		}
		for _, c := range strings.TrimSuffix(name, ".json") {
			if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("-_~", c)) {
				t.Errorf("path(%q) = %s: %q is not a safe character", sym, name, c)
			}
		}
		if stem := strings.TrimSuffix(name, ".json"); windowsDevice(strings.ToUpper(stem)) {
			t.Errorf("path(%q) = %s: a Windows device name", sym, name)
		}
		if other, dup := seen[strings.ToUpper(name)]; dup {
			t.Errorf("path(%q) = %s, as for %q", sym, name, other)
		}
		seen[strings.ToUpper(name)] = sym
		if !strings.Contains(name, "~") {
			if back, err := decodeHistoryName(name); err != nil || back != sym {
				t.Errorf("path(%q) = %s decodes to %q, %v", sym, name, back, err)
			}
		}
	}
	// Stored and loaded, each symbol has its own file, and nothing lands
	// outside Dir.
	for i, sym := range syms {
		if err := h.Store(sym, hSample(sym, 1, float64(i+1))); err != nil {
			t.Fatalf("Store(%q): %v", sym, err)
		}
	}
	for i, sym := range syms {
		e, ok, err := h.Load(sym)
		if err != nil || !ok || e.Series.Closes[0] != float64(i+1) {
			t.Errorf("Load(%q) = %v, %v, %v; want its own entry", sym, e.Series.Closes, ok, err)
		}
	}
	if names := hDirNames(t, dir); len(names) != len(syms) {
		t.Errorf("Dir holds %d files for %d symbols", len(names), len(syms))
	}
	if names := hDirNames(t, filepath.Dir(dir)); !reflect.DeepEqual(names, []string{"history"}) {
		t.Errorf("Dir's parent holds %q; want only Dir", names)
	}
	for _, tt := range []struct{ sym, name string }{
		{"^GSPC", "_5EGSPC.json"}, {"EURUSD=X", "EURUSD_3DX.json"}, {"0700.HK", "0700_2EHK.json"},
		{"BRK-B", "BRK-B.json"}, {"CON", "_43ON.json"}, {"", "_.json"}, {"../x", "_2E_2E_2F_78.json"},
	} {
		if got := filepath.Base(h.path(tt.sym)); got != tt.name {
			t.Errorf("path(%q) = %s; want %s", tt.sym, got, tt.name)
		}
	}
}

func TestMergeHistory(t *testing.T) {
	type want struct {
		bars          []hBar
		previousClose float64
		ok            bool
	}
	withPC := func(s Series, pc float64) Series { s.PreviousClose = pc; return s }
	for _, tt := range []struct {
		name        string
		long, daily Series
		want        want
	}{{
		name: "plain extension",
		long: withPC(hLong("X", hBar{"2025-05-29", 10}, hBar{"2025-05-30", 11}, hBar{"2025-06-02", 12}, hBar{"2025-06-03", 13}), 9),
		daily: hDaily("X", hBar{"2025-06-02", 12}, hBar{"2025-06-03", 13.5}, hBar{"2025-06-04", 14},
			hBar{"2025-06-05", 15}),
		want: want{[]hBar{{"2025-05-29", 10}, {"2025-05-30", 11}, {"2025-06-02", 12}, {"2025-06-03", 13.5},
			{"2025-06-04", 14}, {"2025-06-05", 15}}, 9, true},
	}, {
		name:  "4:1 split",
		long:  withPC(hLong("X", hBar{"2021-01-04", 100}, hBar{"2022-01-03", 120}, hBar{"2025-06-02", 400}, hBar{"2025-06-03", 404}), 96),
		daily: hDaily("X", hBar{"2025-06-02", 100}, hBar{"2025-06-03", 110}),
		want:  want{[]hBar{{"2021-01-04", 25}, {"2022-01-03", 30}, {"2025-06-02", 100}, {"2025-06-03", 110}}, 24, true},
	}, {
		name:  "1:10 reverse split",
		long:  hLong("X", hBar{"2024-01-02", 2}, hBar{"2025-01-02", 4}, hBar{"2025-06-02", 5}),
		daily: hDaily("X", hBar{"2025-06-02", 50}, hBar{"2025-06-03", 52}),
		want:  want{[]hBar{{"2024-01-02", 20}, {"2025-01-02", 40}, {"2025-06-02", 50}, {"2025-06-03", 52}}, 0, true},
	}, {
		name:  "0.1% rounding left alone",
		long:  withPC(hLong("X", hBar{"2024-01-02", 1000}, hBar{"2025-06-02", 1000}), 990),
		daily: hDaily("X", hBar{"2025-06-02", 1001}, hBar{"2025-06-03", 1010}),
		want:  want{[]hBar{{"2024-01-02", 1000}, {"2025-06-02", 1001}, {"2025-06-03", 1010}}, 990, true},
	}, {
		name:  "0.6% is rescaled",
		long:  hLong("X", hBar{"2024-01-02", 1000}, hBar{"2025-06-02", 1000}),
		daily: hDaily("X", hBar{"2025-06-02", 1006}),
		want:  want{[]hBar{{"2024-01-02", 1006}, {"2025-06-02", 1006}}, 0, true},
	}, {
		name: "one revised close does not rescale the years",
		// The ratio is 0.5 on four sessions of the overlap; on 06-02, a
		// close revised since, 0.4. The median is 0.5.
		long: hLong("X", hBar{"2025-05-30", 8}, hBar{"2025-06-02", 10}, hBar{"2025-06-03", 10},
			hBar{"2025-06-04", 12}, hBar{"2025-06-05", 14}, hBar{"2025-06-06", 16}),
		daily: hDaily("X", hBar{"2025-06-02", 4}, hBar{"2025-06-03", 5}, hBar{"2025-06-04", 6}, hBar{"2025-06-05", 7}, hBar{"2025-06-06", 8}),
		want: want{[]hBar{{"2025-05-30", 4}, {"2025-06-02", 4}, {"2025-06-03", 5}, {"2025-06-04", 6}, {"2025-06-05", 7},
			{"2025-06-06", 8}}, 0, true},
	}, {
		name: "an even overlap takes the mean of its middle ratios",
		// Ratios 0.5 and 0.4 (the kept last bar, 06-04, left out): k = 0.45.
		long:  hLong("X", hBar{"2025-05-30", 20}, hBar{"2025-06-02", 10}, hBar{"2025-06-03", 10}, hBar{"2025-06-04", 10}),
		daily: hDaily("X", hBar{"2025-06-02", 5}, hBar{"2025-06-03", 4}, hBar{"2025-06-04", 2}),
		want:  want{[]hBar{{"2025-05-30", 9}, {"2025-06-02", 5}, {"2025-06-03", 4}, {"2025-06-04", 2}}, 0, true},
	}, {
		name: "the kept last bar counts when it is the only one both hold",
		// 0.5 % or more from the daily close is read as a split. The
		// poller's years and daily series overlap by months, not one bar.
		long:  hLong("X", hBar{"2025-05-30", 10}, hBar{"2025-06-02", 11}),
		daily: hDaily("X", hBar{"2025-06-02", 12}, hBar{"2025-06-03", 13}),
		want:  want{[]hBar{{"2025-05-30", 10 * 12.0 / 11}, {"2025-06-02", 12}, {"2025-06-03", 13}}, 0, true},
	}, {
		name: "a young listing",
		// Daily reaches back past long's first bar: no long bar lies
		// before the daily series, which is the result.
		long:  hLong("X", hBar{"2025-06-03", 20}, hBar{"2025-06-04", 21}),
		daily: hDaily("X", hBar{"2025-06-02", 4}, hBar{"2025-06-03", 5}, hBar{"2025-06-04", 5.25}),
		want:  want{[]hBar{{"2025-06-02", 4}, {"2025-06-03", 5}, {"2025-06-04", 5.25}}, 0, true},
	}, {
		name: "daily's first session missing from long",
		// Joined at 06-04 (k = 0.5); long's 06-03, which daily lacks, lies
		// within the daily span and is dropped, keeping the times in order.
		long:  hLong("X", hBar{"2025-05-30", 8}, hBar{"2025-06-03", 9}, hBar{"2025-06-04", 10}),
		daily: hDaily("X", hBar{"2025-06-02", 4.6}, hBar{"2025-06-04", 5}),
		want:  want{[]hBar{{"2025-05-30", 4}, {"2025-06-02", 4.6}, {"2025-06-04", 5}}, 0, true},
	}, {
		name:  "invalid closes skipped",
		long:  hLong("X", hBar{"2025-05-28", math.NaN()}, hBar{"2025-05-29", 0}, hBar{"2025-05-30", 11}, hBar{"2025-06-02", 12}),
		daily: hDaily("X", hBar{"2025-06-02", 12}, hBar{"2025-06-03", math.Inf(1)}, hBar{"2025-06-04", -1}, hBar{"2025-06-05", 15}),
		want:  want{[]hBar{{"2025-05-30", 11}, {"2025-06-02", 12}, {"2025-06-05", 15}}, 0, true},
	}, {
		name:  "no overlap",
		long:  hLong("X", hBar{"2023-01-03", 10}, hBar{"2024-03-28", 11}),
		daily: hDaily("X", hBar{"2024-04-01", 12}, hBar{"2024-04-02", 13}),
		want:  want{nil, 0, false},
	}, {
		name:  "empty daily",
		long:  withPC(hLong("X", hBar{"2025-05-30", 11}, hBar{"2025-06-02", 12}), 10),
		daily: hDaily("X"),
		want:  want{[]hBar{{"2025-05-30", 11}, {"2025-06-02", 12}}, 10, true},
	}, {
		name:  "empty long",
		long:  hLong("X"),
		daily: hDaily("X", hBar{"2025-06-02", 12}),
		want:  want{nil, 0, false},
	}, {
		name:  "both empty",
		long:  hLong("X"),
		daily: hDaily("X"),
		want:  want{nil, 0, false},
	}, {
		name:  "long of no valid bar",
		long:  hLong("X", hBar{"2025-06-02", 0}),
		daily: hDaily("X", hBar{"2025-06-02", 12}),
		want:  want{nil, 0, false},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := MergeHistory(tt.long, tt.daily)
			if ok != tt.want.ok {
				t.Fatalf("ok = %v; want %v", ok, tt.want.ok)
			}
			if !ok {
				return
			}
			w := hLong("X", tt.want.bars...)
			if !hSameBars(got, w) {
				t.Errorf("bars:\n got %s\nwant %s", hFmtBars(got), hFmtBars(w))
			}
			if !hNear(got.PreviousClose, tt.want.previousClose) {
				t.Errorf("PreviousClose = %v; want %v", got.PreviousClose, tt.want.previousClose)
			}
			if got.Symbol != "X" || got.Range != RangeLong || got.Interval != 24*time.Hour || got.Periods != nil {
				t.Errorf("got %s %s %v %v; want X 10Y 24h, no periods", got.Symbol, got.Range, got.Interval, got.Periods)
			}
		})
	}
}

func hNear(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func hSameBars(a, b Series) bool {
	if len(a.Times) != len(b.Times) || len(a.Closes) != len(b.Closes) || len(a.Times) != len(a.Closes) {
		return false
	}
	for i := range a.Times {
		if !a.Times[i].Equal(b.Times[i]) || !hNear(a.Closes[i], b.Closes[i]) {
			return false
		}
	}
	return true
}

func hFmtBars(s Series) string {
	var b strings.Builder
	for i := range min(len(s.Times), len(s.Closes)) {
		fmt.Fprintf(&b, "%s %g, ", s.Times[i].Format(time.DateOnly), s.Closes[i])
	}
	return b.String()
}

// TestMergeHistorySplitReturn is the figure checked by hand: cached closes
// 100 (2021-01-04), 120, 400 (2025-06-02, before a 4:1 split); the daily
// series after it, 100 (2025-06-02) and 110 (2025-06-03). On the merged
// series 2021-01-04 is 25, and the return from it to the last bar
// 110/25-1 = 340 %, the price's own.
func TestMergeHistorySplitReturn(t *testing.T) {
	l := hLong("X", hBar{"2021-01-04", 100}, hBar{"2022-01-03", 120}, hBar{"2025-06-02", 400})
	d := hDaily("X", hBar{"2025-06-02", 100}, hBar{"2025-06-03", 110})
	m, ok := MergeHistory(l, d)
	if !ok || m.Len() != 4 {
		t.Fatalf("MergeHistory = %s, %v; want 4 bars", hFmtBars(m), ok)
	}
	if !m.Times[0].Equal(hDay("2021-01-04")) || m.Closes[0] != 25 {
		t.Errorf("first bar %s %g; want 2021-01-04 25", m.Times[0].Format(time.DateOnly), m.Closes[0])
	}
	_, last, _ := m.Last()
	if r := last/m.Closes[0] - 1; !hNear(r, 3.4) {
		t.Errorf("return from 2021-01-04 = %.4f; want 3.4 (340 %%)", r)
	}
	// Unmerged, the cached scale would show a return of 10 %.
	if r := last/l.Closes[0] - 1; hNear(r, 3.4) {
		t.Errorf("the test shows nothing: the unscaled return is also %.4f", r)
	}
}

// TestMergeHistoryTolerance: bars within 12 hours are one session (a
// stamp an hour off across a clock change, say); further apart they are
// not, and the series do not join.
func TestMergeHistoryTolerance(t *testing.T) {
	l := hLong("X", hBar{"2025-05-30", 40}, hBar{"2025-06-02", 40})
	for _, tt := range []struct {
		shift time.Duration
		ok    bool
	}{{-time.Hour, true}, {5 * time.Hour, true}, {12 * time.Hour, true}, {-12 * time.Hour, true}, {13 * time.Hour, false}, {-13 * time.Hour, false}} {
		d := hDaily("X", hBar{"2025-06-02", 10})
		d.Times[0] = d.Times[0].Add(tt.shift)
		d.Times = append(d.Times, hDay("2025-06-05").Add(tt.shift)) // far from any long bar
		d.Closes = append(d.Closes, 11)
		m, ok := MergeHistory(l, d)
		if ok != tt.ok {
			t.Errorf("daily %v off: ok %v; want %v", tt.shift, ok, tt.ok)
			continue
		}
		if ok && (m.Len() != 3 || m.Closes[0] != 10 || !m.Times[1].Equal(d.Times[0])) {
			t.Errorf("daily %v off: %s; want 05-30 10 then daily's 2 bars", tt.shift, hFmtBars(m))
		}
	}
}

// TestMergeHistoryLeavesInputs: the inputs are not modified, and the
// result shares no array with them.
func TestMergeHistoryLeavesInputs(t *testing.T) {
	l := hLong("X", hBar{"2021-01-04", 100}, hBar{"2025-06-02", 400})
	l.PreviousClose = 90
	l.Periods = []Period{{Start: hDay("2025-06-02"), End: hDay("2025-06-02").Add(time.Hour)}}
	d := hDaily("X", hBar{"2025-06-02", 100}, hBar{"2025-06-03", 110})
	lc, dc := hClone(l), hClone(d)
	for _, empty := range []bool{false, true} {
		dd := d
		if empty {
			dd = Series{}
		}
		m, ok := MergeHistory(l, dd)
		if !ok {
			t.Fatal("not joined")
		}
		if !reflect.DeepEqual(l, lc) || !reflect.DeepEqual(d, dc) {
			t.Fatalf("inputs modified: %s / %s", hFmtBars(l), hFmtBars(d))
		}
		for i := range m.Closes {
			m.Closes[i] = -1
			m.Times[i] = time.Time{}
		}
		for i := range m.Periods {
			m.Periods[i] = Period{}
		}
		if !reflect.DeepEqual(l, lc) || !reflect.DeepEqual(d, dc) {
			t.Fatalf("the result shares arrays with the inputs (daily empty: %v)", empty)
		}
	}
}

func hClone(s Series) Series {
	s.Times = append([]time.Time(nil), s.Times...)
	s.Closes = append([]float64(nil), s.Closes...)
	s.Periods = append([]Period(nil), s.Periods...)
	return s
}
