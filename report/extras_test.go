package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/feeds"
)

// bookDocument is the simulated market with a small book and two rules, one
// that holds (NVDA above a penny) and one that does not.
func bookDocument(t *testing.T) Document {
	t.Helper()
	in := simInput(t, 5, feeds.Range1M, "RR.L")
	h, fe := book.Parse("holdings.yaml", []byte("positions:\n  - {symbol: NVDA, quantity: 10, cost: 100}\n  - {symbol: RR.L, quantity: -20, cost: 900, fees: 4}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	rules, fe := alerts.Parse("alerts.yaml", []byte("- {when: price, symbol: NVDA, above: 0.01}\n- {when: price, symbol: NVDA, below: 0.01}\n"))
	if fe != nil {
		t.Fatal(fe.Report())
	}
	rep := baskets.Compute(in)
	b := book.Value(h, in.Set, in.Quotes, nil)
	return Document{Report: rep, Holdings: &b, Alerts: Holding(alerts.Evaluate(rules, rep, in.Quotes))}
}

func TestDocumentJSONCarriesBookAndAlerts(t *testing.T) {
	d := bookDocument(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Range    string
		Holdings struct {
			Positions []struct {
				Symbol   string
				ValueUSD *float64
			}
			TotalValueUSD *float64
			Exposure      map[string]*float64
		}
		Alerts []struct {
			Rule, Key, Message string
			Value              *float64
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Range != "1M" || len(j.Holdings.Positions) != 2 || j.Holdings.TotalValueUSD == nil {
		t.Fatalf("JSON lost the report or the book: %s", buf.String()[:200])
	}
	if got, want := *j.Holdings.TotalValueUSD, math.Round(d.Holdings.TotalValueUSD.Value*100)/100; got != want {
		t.Errorf("totalValueUSD %v, want %v, to the cent", got, want)
	}
	if len(j.Alerts) != 1 || !strings.Contains(j.Alerts[0].Message, "NVDA price") || !strings.Contains(j.Alerts[0].Message, "simulated") {
		t.Errorf("alerts %+v, want the one rule that holds, said to be simulated", j.Alerts)
	}
	// Without a book or rules: holdings null, alerts an empty list.
	buf.Reset()
	if err := WriteJSON(&buf, Document{Report: d.Report}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"holdings": null`) || !strings.Contains(buf.String(), `"alerts": []`) {
		t.Error("a document without book or rules does not say so")
	}
}

func TestDocumentTableAndCSV(t *testing.T) {
	d := bookDocument(t)
	var buf bytes.Buffer
	if err := WriteTable(&buf, d, false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"your book · 2 of 2 positions priced", "SIMULATED prices", "exposure: training ",
		"P&L USD", "alerts that hold: 1", "NVDA price"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	buf.Reset()
	if err := WriteCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	var headers []string
	var rows int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		if rec[0] == "asOf" || rec[0] == "holdingsSymbol" || rec[0] == "alertRule" {
			headers = append(headers, rec[0])
		}
	}
	if strings.Join(headers, ",") != "asOf,holdingsSymbol,alertRule" {
		t.Errorf("CSV tables %v, want the report, the book and the alerts", headers)
	}
}

func TestDocumentSanitizesBookAndAlerts(t *testing.T) {
	d := bookDocument(t)
	d.Holdings.Positions[0].Currency = "US\x1b]52;c;ZXZpbA==\x07D"
	d.Holdings.Positions[0].Flags = []string{"bad \u009b2J flag"}
	d.Alerts[0].Message = "NVDA \x1b[2J price"
	for name, write := range map[string]func(io.Writer, Document) error{
		"json": WriteJSON, "csv": WriteCSV, "table": func(w io.Writer, d Document) error { return WriteTable(w, d, false) },
	} {
		var buf bytes.Buffer
		if err := write(&buf, d); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(buf.String(), "\x1b\u009b") || strings.Contains(buf.String(), "ZXZpbA") || strings.Contains(buf.String(), `\u001b`) {
			t.Errorf("%s: a control reached the output", name)
		}
	}
	if d.Holdings.Positions[0].Currency != "US\x1b]52;c;ZXZpbA==\x07D" {
		t.Error("a writer changed the caller's book")
	}
}

// TestTablePercentsRoundHalfAway: 48.5 % of the book is 49 %, as on the
// monitor's headline, not Go's half-to-even 48 %; a day of +0.125 % is
// +0.13 %.
func TestTablePercentsRoundHalfAway(t *testing.T) {
	d := bookDocument(t)
	b := *d.Holdings
	b.Exposure.Inference, b.Exposure.Training = baskets.Percent(48.5), baskets.Percent(2.25)
	d.Holdings = &b
	d.Report.Benchmark.Return = baskets.Percent(0.125)
	var buf bytes.Buffer
	if err := WriteTable(&buf, d, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"exposure: training 2.3%, inference 49%", "benchmark SPY +0.13%"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
	if got := b.ExposureLine(); !strings.Contains(got, "49% inference") {
		t.Errorf("the monitor's headline %q, want 49%% inference", got)
	}
}
