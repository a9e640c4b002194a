package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"github.com/rotation-dev/rotation/baskets"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/rotation-dev/rotation/feeds"
)

func TestWriteJSONSchema(t *testing.T) {
	rep := simReport(t, 1, feeds.Range1M)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Document{Report: rep}); err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"asOf", "feed", "range", "currency", "rotationMode", "weighting", "benchmark", "eras", "segments", "horizons", "verdict", "holdings", "alerts", "events",
		"spreadContributions", "topMoves"} {
		if _, ok := top[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if len(top) != 16 {
		t.Errorf("JSON has %d top-level keys, want 16", len(top))
	}
	if string(top["events"]) != "[]" {
		t.Errorf("events without any = %s, want []", top["events"])
	}
	var seg []map[string]json.RawMessage
	if err := json.Unmarshal(top["segments"], &seg); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return strings.Join(sortStrings(ks), ",")
	}
	if got := keys(seg[0]); got != "capChangeUSD,coverage,down,era,eraContribution,excess,file,flowCoverage,name,relativeVolume,return,rotation,symbols,unchanged,up" {
		t.Errorf("segment keys %s", got)
	}
	var eras struct{ Training map[string]json.RawMessage }
	if err := json.Unmarshal(top["eras"], &eras); err != nil {
		t.Fatal(err)
	}
	if got := keys(eras.Training); got != "capChangeUSD,down,excess,flowCoverage,relativeVolume,return,rotation,segments,unchanged,up" {
		t.Errorf("era keys %s", got)
	}
	var syms []map[string]json.RawMessage
	if err := json.Unmarshal(seg[0]["symbols"], &syms); err != nil {
		t.Fatal(err)
	}
	if got := keys(syms[0]); got != "basketWeight,capChangeUSD,change,changePercent,contribution,currency,eraContribution,exchange,flags,marketCapUSD,marketState,name,previousClose,price,quoteTime,rangeReturn,relativeVolume,stale,symbol,weight" {
		t.Errorf("symbol keys %s", got)
	}
	var parts, moves []map[string]json.RawMessage
	if err := json.Unmarshal(top["spreadContributions"], &parts); err != nil || len(parts) == 0 {
		t.Fatalf("spreadContributions %s: %v", top["spreadContributions"], err)
	}
	if got := keys(parts[0]); got != "era,file,pp,segment" {
		t.Errorf("spread contribution keys %s", got)
	}
	if err := json.Unmarshal(top["topMoves"], &moves); err != nil || len(moves) == 0 {
		t.Fatalf("topMoves %s: %v", top["topMoves"], err)
	}
	if got := keys(moves[0]); got != "events,ratioChange,time" {
		t.Errorf("top move keys %s", got)
	}
	if !strings.Contains(buf.String(), `"simulated": true`) || !strings.Contains(buf.String(), `"state": "simulated"`) {
		t.Error("a simulated feed is not said to be simulated")
	}
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// TestSimulatedStateWins: even if the feed reports another state, a
// simulated feed shows as simulated.
func TestSimulatedStateWins(t *testing.T) {
	in := simInput(t, 1, feeds.Range1D)
	in.Feed.State = feeds.StateLive
	if rep := baskets.Compute(in); rep.Feed.State != feeds.StateSimulated {
		t.Errorf("state %q", rep.Feed.State)
	}
	in.Feed = feeds.Health{Feed: "sim", State: feeds.StateSimulated}
	if rep := baskets.Compute(in); !rep.Feed.Simulated {
		t.Error("state simulated, but simulated false")
	}
}

func TestWriteCSV(t *testing.T) {
	rep := simReport(t, 2, feeds.Range5D)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Document{Report: rep}); err != nil {
		t.Fatal(err)
	}
	rows := firstCSVTable(t, &buf)
	want := 1
	for _, s := range rep.Segments {
		want += len(s.Symbols)
	}
	if len(rows) != want {
		t.Fatalf("%d rows, want a header and %d symbol rows", len(rows), want-1)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["simulated"]] != "true" || r[col["state"]] != "simulated" {
			t.Fatalf("row %v does not say simulated", r)
		}
		if r[col["symbol"]] == "NOPE" && (r[col["rangeReturn"]] != "" || r[col["flag"]] == "") {
			t.Errorf("unpriced row %v: want an empty return and a flag", r)
		}
	}
	first := rep.Segments[0].Symbols[0]
	if got := rows[1][col["rangeReturn"]]; got != first.RangeReturn.String() || got == "" {
		t.Errorf("rangeReturn cell %q, want %q", got, first.RangeReturn.String())
	}
	// Columns are only ever added, at the end, so older readers keep working.
	if n, tail := len(rows[0]), "segmentCapChangeUSD,segmentRelativeVolume,contribution,eraContribution,segmentEraContribution"; n != 39 ||
		strings.Join(rows[0][n-5:], ",") != tail || rows[0][0] != "asOf" || rows[0][29] != "weighting" {
		t.Errorf("header %q, want 39 columns ending in %s", rows[0], tail)
	}
	// A training member's row: its contribution, its era's, its segment's.
	for i, s := range rep.Segments {
		if s.Era != "training" {
			continue
		}
		row := rows[1+rowsBefore(rep, i)]
		m := s.Symbols[0]
		if row[col["contribution"]] != m.Contribution.String() || row[col["eraContribution"]] != m.EraContribution.String() ||
			row[col["segmentEraContribution"]] != s.EraContribution.String() || m.EraContribution.String() == "" {
			t.Errorf("%s row %q, want contributions %v %v %v", m.Symbol, row, m.Contribution, m.EraContribution, s.EraContribution)
		}
		break
	}
}

// rowsBefore counts the symbol rows of the segments before segment i.
func rowsBefore(r baskets.Report, i int) int {
	n := 0
	for _, s := range r.Segments[:i] {
		n += len(s.Symbols)
	}
	return n
}

func TestWriteTable(t *testing.T) {
	rep := simReport(t, 3, feeds.Range1M)
	var plain, colored bytes.Buffer
	if err := WriteTable(&plain, Document{Report: rep}, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteTable(&colored, Document{Report: rep}, true); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(plain.String(), "\n")
	if lines[0] != "feed: sim — SIMULATED prices (seed 3) — not market data" {
		t.Errorf("first line %q", lines[0])
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("escape codes without color")
	}
	if !strings.Contains(colored.String(), ansiGreen) || !strings.Contains(colored.String(), ansiRed) {
		t.Error("no green or red with color")
	}
	// Columns line up: in each table, the header's RETURN column ends where
	// every row's return cell ends.
	for i, l := range lines {
		if !strings.HasPrefix(l, "SEGMENT ") {
			continue
		}
		end := runewidth.StringWidth(l[:strings.Index(l, "RETURN")+len("RETURN")])
		for _, row := range lines[i+1 : i+1+len(rep.Segments)] {
			cell := pct(segmentStarting(t, rep, row).Return)
			at := strings.Index(row, cell)
			if at < 0 || runewidth.StringWidth(row[:at+len(cell)]) != end {
				t.Errorf("row %q: return %q does not end at column %d", row, cell, end)
			}
		}
	}
	for _, s := range rep.Segments {
		if !strings.Contains(plain.String(), s.Name+" ("+s.File+")") {
			t.Errorf("no symbol table for %s", s.File)
		}
	}
	// The contributions: a column in each table, then the spread's parts,
	// largest first, after the segments.
	out := plain.String()
	if !strings.Contains(out, "  ERA CONTRIB  ") || strings.Count(out, "  CONTRIB  ") != len(rep.Segments) {
		t.Error("no ERA CONTRIB or CONTRIB columns")
	}
	why := strings.Index(out, "why the spread moved: "+pp(rep.Eras.Spread)+"\n")
	if why < 0 || len(rep.SpreadContributions) == 0 {
		t.Fatalf("no \"why the spread moved\" line for %s", pp(rep.Eras.Spread))
	}
	at := why
	for _, c := range rep.SpreadContributions {
		next := strings.Index(out[at:], pp(c.PP)+"  "+c.Segment+" ")
		if next < 0 {
			t.Fatalf("the spread's part %s %s is not listed in order", pp(c.PP), c.Segment)
		}
		at += next
	}
}

// segmentStarting is the segment whose name starts the table row.
func segmentStarting(t *testing.T, r baskets.Report, row string) baskets.SegmentResult {
	t.Helper()
	var best baskets.SegmentResult
	for _, s := range r.Segments {
		if strings.HasPrefix(row, s.Name+" ") && len(s.Name) > len(best.Name) {
			best = s
		}
	}
	if best.Name == "" {
		t.Fatalf("no segment starts row %q", row)
	}
	return best
}

func TestWriteTableLiveFeed(t *testing.T) {
	in := simInput(t, 1, feeds.Range1D)
	in.Feed = feeds.Health{Feed: "yahoo", State: feeds.StateDelayed, Detail: "some quotes are 15 minutes delayed"}
	var buf bytes.Buffer
	if err := WriteTable(&buf, Document{Report: baskets.Compute(in)}, false); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(buf.String(), "\n"); first != "feed: yahoo — delayed (some quotes are 15 minutes delayed)" {
		t.Errorf("first line %q", first)
	}
}

// TestOutputRoundsEachFigureToWhatItMeans: no number print writes, in JSON or
// CSV, carries more than 6 decimals, money no more than cents, a price (the
// simulation quotes to cents) no more than its quote; and the JSON reads
// back into a Document with those rounded values.
func TestOutputRoundsEachFigureToWhatItMeans(t *testing.T) {
	d := bookDocument(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	most := map[string]int{"price": 2, "previousClose": 2, "change": 2, "capChangeUSD": 2, "marketCapUSD": 2,
		"value": 2, "valueUSD": 2, "pnl": 2, "pnlUSD": 2, "dayChange": 2, "dayChangeUSD": 2, "totalValueUSD": 2}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		case json.Number:
			if n, ok := most[key]; ok && decimals(string(v)) > n || decimals(string(v)) > 6 {
				t.Errorf("%s: %s has too many decimals", key, v)
			}
		}
	}
	walk("", doc)

	var back Document
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	want, got := d.Segments[0].Symbols[0], back.Segments[0].Symbols[0]
	if got.ChangePercent.Value != roundTo(want.ChangePercent.Value, 6) || got.Price.Value != want.Price.Value || !got.CapChangeUSD.Valid {
		t.Errorf("%s reads back as %+v, want %+v rounded", want.Symbol, got, want)
	}
	if g, w := back.Holdings.PnLUSD, d.Holdings.PnLUSD; !g.Valid || g.Value != roundTo(w.Value, 2) {
		t.Errorf("pnlUSD reads back as %+v, want %v to the cent", g, w.Value)
	}

	buf.Reset()
	for _, row := range csvRows(t, d) {
		for _, cell := range row {
			if _, err := strconv.ParseFloat(cell, 64); err == nil && decimals(cell) > 6 {
				t.Errorf("CSV cell %s has too many decimals", cell)
			}
		}
	}
}

// decimals counts the digits after a number's point; an exponent counts as
// too many.
func decimals(n string) int {
	if strings.ContainsAny(n, "eE") {
		return 99
	}
	if _, frac, ok := strings.Cut(n, "."); ok {
		return len(frac)
	}
	return 0
}

func roundTo(v float64, d int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
	return r
}

// firstCSVTable reads the symbol rows, up to the next table's header (a
// blank line comes before it, which encoding/csv skips, and it has fewer
// fields), as a reader of those rows would.
func firstCSVTable(t *testing.T, r io.Reader) [][]string {
	t.Helper()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF || (err == nil && len(rows) > 0 && len(rec) != len(rows[0])) {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rec)
	}
}

// After the symbol rows, the spread's parts and the largest moves, each a
// table of its own, as the printed table and the JSON carry them.
func TestWriteCSVCarriesTheSpreadsPartsAndMoves(t *testing.T) {
	rep := simReport(t, 2, feeds.Range5D)
	rows := csvRows(t, Document{Report: rep})
	tables := map[string]int{}
	var current string
	for _, row := range rows {
		switch {
		case row[0] == "spreadSegment" || row[0] == "moveTime" || row[0] == "holdingsSymbol" || row[0] == "alertRule":
			current = row[0]
		case current != "":
			tables[current]++
		}
	}
	if tables["spreadSegment"] != len(rep.SpreadContributions) || tables["moveTime"] != len(rep.TopMoves) || len(rep.TopMoves) == 0 {
		t.Errorf("CSV tables %v, want %d parts and %d moves", tables, len(rep.SpreadContributions), len(rep.TopMoves))
	}
}

// csvRows is every record of d's CSV, every table's.
func csvRows(t *testing.T, d Document) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
