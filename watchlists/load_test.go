package watchlists

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func segmentFiles(set Set) []string {
	var files []string
	for _, seg := range set.Segments {
		files = append(files, seg.File)
	}
	return files
}

func TestLoadDirKeepsGoodFilesAndSkipsDebris(t *testing.T) {
	dir := t.TempDir()
	good := "name: A\nera: training\nsymbols: [NVDA]\n"
	writeFiles(t, dir, map[string]string{
		"20-b.yml":       "name: B\nera: inference\nsymbols: [AVGO]\n",
		"10-a.yaml":      good,
		"15-broken.yaml": "name: X\nera: training\nsymbols:\n  - symbol: MU\n    wieght: 2\n",
		".10-a.yaml.swp": "binary junk: [",
		"10-a.yaml~":     "old: [",
		"#10-a.yaml#":    "autosave: [",
		"4913":           "",
		"notes.txt":      "not yaml",
		"README.md":      "# readme",
	})
	if err := os.Mkdir(filepath.Join(dir, "old.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	set, errs := LoadDir(dir)
	if set.Source != dir {
		t.Errorf("Source = %q, want %q", set.Source, dir)
	}
	if got := segmentFiles(set); !slices.Equal(got, []string{"10-a.yaml", "20-b.yml"}) {
		t.Errorf("segments = %v", got)
	}
	if len(errs) != 1 || errs[0].Error() != filepath.Join(dir, "15-broken.yaml")+`:5:5: unknown field "wieght": did you mean weight?` {
		t.Fatalf("errors = %v", errs)
	}
}

func TestLoadDirRefusesHugeFile(t *testing.T) {
	dir := t.TempDir()
	big := "name: Big\nera: training\nsymbols: [NVDA]\n# " + strings.Repeat("x", MaxFileSize) + "\n"
	writeFiles(t, dir, map[string]string{"big.yaml": big, "ok.yaml": "name: Ok\nera: benchmark\nsymbols: [SPY]\n"})
	set, errs := LoadDir(dir)
	if got := segmentFiles(set); !slices.Equal(got, []string{"ok.yaml"}) {
		t.Errorf("segments = %v", got)
	}
	if len(errs) != 1 || errs[0].Line != 0 || !strings.Contains(errs[0].Error(), "big.yaml: file is larger than 1048576 bytes") {
		t.Fatalf("errors = %v", errs)
	}
}

func TestLoadFSRefusesTooManySymbols(t *testing.T) {
	fsys := fstest.MapFS{}
	for f := range 3 {
		var b strings.Builder
		b.WriteString("name: Many\nera: training\nsymbols:\n")
		for i := range 334 {
			fmt.Fprintf(&b, "  - S%c%03d\n", 'A'+f, i)
		}
		fsys[fmt.Sprintf("%d.yaml", f)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	set, errs := LoadFS(fsys, "big")
	if len(set.Segments) != 0 {
		t.Errorf("kept %d segments of a refused directory", len(set.Segments))
	}
	if len(errs) != 1 || errs[0].Error() != "big: 1002 distinct symbols across 3 files; the limit is 1000: trim or split the watchlists" {
		t.Fatalf("errors = %v", errs)
	}
	delete(fsys, "2.yaml")
	if set, errs := LoadFS(fsys, "big"); len(errs) != 0 || len(set.Symbols()) != 668 {
		t.Fatalf("668 symbols refused: %v", errs)
	}
}

func TestLoadDirMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	set, errs := LoadDir(dir)
	if len(set.Segments) != 0 || len(errs) != 1 || errs[0].Path != dir || !strings.Contains(errs[0].Msg, "rotation init") {
		t.Fatalf("set %v errors %v", set, errs)
	}
}

func TestLoadDirEmptyDirectorySaysHowToFillIt(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"empty":       nil,
		"only debris": {".10-a.yaml.swp": "x", "10-a.yaml~": "x", "#10-a.yaml#": "x", "notes.txt": "x", "README.md": "# r"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, files)
			must(t, os.Mkdir(filepath.Join(dir, "old.yaml"), 0o755)) // a directory is no watchlist file
			set, errs := LoadDir(dir)
			want := dir + ": holds no watchlist files (*.yaml or *.yml); run 'rotation init " + dir + "' to write the built-in ones there"
			if len(set.Segments) != 0 || len(errs) != 1 || errs[0].Path != dir || errs[0].Line != 0 || errs[0].Report() != want {
				t.Fatalf("segments %v, errors %v; want only %q", segmentFiles(set), errs, want)
			}
			var buf bytes.Buffer
			WriteCheck(&buf, set, errs)
			if !strings.HasSuffix(buf.String(), "\n1 error:\n\n"+want+"\n") {
				t.Errorf("check report does not end with the error:\n%s", buf.String())
			}
		})
	}
}

func TestLoadDirBrokenFilesAreNotAnEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"10-a.yaml": "name: A\n"})
	_, errs := LoadDir(dir)
	if len(errs) == 0 {
		t.Fatal("no error for a file with only a name")
	}
	for _, e := range errs {
		if e.Path != filepath.Join(dir, "10-a.yaml") {
			t.Fatalf("errors = %v; want only the broken file's", errs)
		}
	}
}

// TestEveryErrorOfAFileAtOnce: one save shows every problem of the file, in
// order, each at its own line.
func TestEveryErrorOfAFileAtOnce(t *testing.T) {
	body := "name: GPUs\nera: traning\nsymbols:\n  - NVDA\n  - not a symbol\n  - symbol: AMD\n    weight: 0\n  - NVDA\n  -\n"
	_, errs := ParseAll("/w/10-gpus.yaml", []byte(body))
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%d:%d %s", e.Line, e.Col, strings.SplitN(e.Msg, ":", 2)[0]))
	}
	want := []string{
		`2:6 era "traning" is not one of training, inference, benchmark`,
		`5:5 symbol "NOT A SYMBOL" is not a Yahoo symbol`,
		"7:13 weight must be a number greater than 0, got 0; leave it out for the default 1",
		"8:5 duplicate symbol NVDA (first listed at line 4)",
		"9:5 empty symbol entry",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, fe := Parse("/w/10-gpus.yaml", []byte(body)); fe == nil || fe.Line != 2 {
		t.Errorf("Parse gives the first: %v", fe)
	}
	var buf bytes.Buffer
	WriteCheck(&buf, Set{Source: "/w"}, errs)
	if !strings.Contains(buf.String(), "10-gpus.yaml  (not loaded)  -    errors at lines 2, 5, 7, 8, 9") || BrokenFiles("/w", errs) != 1 {
		t.Errorf("check report:\n%s", buf.String())
	}
}

func TestInitCommandQuotesForTheShell(t *testing.T) {
	for dir, want := range map[string]string{
		"/home/me/.config/rotation/watchlists": "rotation init /home/me/.config/rotation/watchlists",
		"/home/me/My Lists":                    `rotation init "/home/me/My Lists"`,
		"/tmp/$x/\"q\"/`c`":                    "rotation init \"/tmp/\\$x/\\\"q\\\"/\\`c\\`\"",
	} {
		if got := initCommand(dir); got != want {
			t.Errorf("initCommand(%q) = %s, want %s", dir, got, want)
		}
	}
}

// TestDefaultsAreValid guards Defaults' panic: the embedded files must parse.
func TestDefaultsAreValid(t *testing.T) {
	set, errs := LoadFS(defaultsFS(), EmbeddedSource)
	for _, e := range errs {
		t.Error(e.Report())
	}
	if !Defaults().Embedded() {
		t.Error("Defaults().Source is not EmbeddedSource")
	}
	eras := map[Era]int{}
	for i, seg := range set.Segments {
		eras[seg.Era]++
		if seg.Description == "" {
			t.Errorf("%s has no description", seg.File)
		}
		// Tabs must run benchmarks, then training, then inference.
		if i > 0 && eraRank(seg.Era) < eraRank(set.Segments[i-1].Era) {
			t.Errorf("%s (%s) sorts after %s", seg.File, seg.Era, set.Segments[i-1].File)
		}
		for _, s := range seg.Symbols {
			if strings.Contains(s.Symbol, ".") && s.Name == "" {
				t.Errorf("%s: non-US symbol %s has no display name", seg.File, s.Symbol)
			}
		}
	}
	if eras[Benchmark] != 2 || eras[Training] != 6 || eras[Inference] != 6 {
		t.Errorf("segments per era = %v", eras)
	}
	for sym, want := range map[string]float64{"GOOGL": 0.5, "AMZN": 0.5, "META": 0.5, "AAPL": 0.5, "NVDA": 1} {
		if got := weightOf(set, sym); got != want {
			t.Errorf("weight of %s = %v, want %v", sym, got, want)
		}
	}
}

func eraRank(e Era) int { return slices.Index(eraOrder, e) }

func weightOf(set Set, symbol string) float64 {
	for _, seg := range set.Segments {
		for _, s := range seg.Symbols {
			if s.Symbol == symbol {
				return s.Weight
			}
		}
	}
	return 0
}

func TestInitWritesOnceThenSkips(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	written, skipped, err := Init(dir)
	if err != nil || len(skipped) != 0 || len(written) != len(Defaults().Segments) {
		t.Fatalf("first Init: written %d skipped %v err %v", len(written), skipped, err)
	}
	edited := filepath.Join(dir, "10-gpus.yaml")
	if err := os.WriteFile(edited, []byte("my edits"), 0o644); err != nil {
		t.Fatal(err)
	}
	written2, skipped2, err := Init(dir)
	if err != nil || len(written2) != 0 || !slices.Equal(skipped2, written) {
		t.Fatalf("second Init: written %v skipped %d err %v", written2, len(skipped2), err)
	}
	if b, _ := os.ReadFile(edited); string(b) != "my edits" {
		t.Fatalf("Init overwrote a user's file: %q", b)
	}
	os.Remove(edited)
	set, errs := LoadDir(dir)
	if len(errs) != 0 || len(set.Segments) != len(Defaults().Segments)-1 {
		t.Fatalf("written defaults do not load: %v", errs)
	}
}

func TestResolveOrder(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	userDir := filepath.Join(config, "rotation", "watchlists")
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvDir {
				return v
			}
			return ""
		}
	}
	check := func(name, flag string, getenv func(string) string, wantDir string, wantEmbedded bool) {
		t.Helper()
		dir, embedded := Resolve(flag, getenv)
		if dir != wantDir || embedded != wantEmbedded {
			t.Errorf("%s: Resolve = (%q, %v), want (%q, %v)", name, dir, embedded, wantDir, wantEmbedded)
		}
	}
	check("nothing configured", "", env(""), "", true)
	if got, err := DefaultDir(); err != nil || got != userDir {
		t.Fatalf("DefaultDir = %q, %v; want %q", got, err, userDir)
	}
	if err := os.MkdirAll(userDir, 0o755); err != nil {
		t.Fatal(err)
	}
	check("user config dir exists", "", env(""), userDir, false)
	check("env beats user config", "", env("/from/env"), "/from/env", false)
	check("flag beats env", "/from/flag", env("/from/env"), "/from/flag", false)
}

func TestWriteCheck(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"01-bench.yaml": "name: Benchmarks\nera: benchmark\nsymbols: [SPY, QQQ]\n",
		"10-gpus.yaml":  "name: GPUs\nera: training\nsymbols: [NVDA, AMD, SPY]\n",
		"12-hbm.yaml":   "name: HBM\nera: training\nsymbols:\n  - MU\n  - symbol: 000660.KS\n    wieght: 1\n",
		"20-asic.yaml":  "name: Custom silicon\nera: inference\nsymbols: [AVGO]\n",
	})
	set, errs := LoadDir(dir)
	var buf bytes.Buffer
	WriteCheck(&buf, set, errs)
	want := "Watchlists: " + dir + `

FILE           SEGMENT         ERA        SYMBOLS
01-bench.yaml  Benchmarks      benchmark  2
10-gpus.yaml   GPUs            training   3
12-hbm.yaml    (not loaded)    -          error at line 6
20-asic.yaml   Custom silicon  inference  1

ERA        SEGMENTS  SYMBOLS
benchmark  1         2
training   1         3
inference  1         1
all        3         5

1 error:

` + filepath.Join(dir, "12-hbm.yaml") + `:6:5: unknown field "wieght": did you mean weight?
   3 | symbols:
   4 |   - MU
   5 |   - symbol: 000660.KS
>  6 |     wieght: 1
           ^
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// BenchmarkDefaults is loading the built-in watchlists, which the first
// frame waits for. Run: go test ./watchlists -run '^$' -bench Defaults -benchmem
func BenchmarkDefaults(b *testing.B) {
	for b.Loop() {
		if set := Defaults(); len(set.Segments) == 0 {
			b.Fatal("no segments")
		}
	}
}
