package report

import (
	"time"

	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/events"
	"github.com/rotation-dev/rotation/sanitize"
)

// Document is everything print writes: the market's report, the user's book
// when a holdings file is in use, the alert rules that hold, and the events
// within the range. Its JSON is the report's fields with three more,
// holdings (null without a holdings file), alerts (empty without rules) and
// events (empty when none falls within the range).
type Document struct {
	baskets.Report
	Holdings *book.Book `json:"holdings"`
	Alerts   []Alert    `json:"alerts"`
	Events   []Event    `json:"events"`
}

// Event is one dated moment within the range shown.
type Event struct {
	Date    string   `json:"date"` // YYYY-MM-DD
	Label   string   `json:"label"`
	Symbols []string `json:"symbols"` // [] when it belongs to every chart
	Source  string   `json:"source"`  // file, builtin or earnings
}

// Events are the events of evs dated from..to, both days included, by date:
// what print lists for the range it shows.
func Events(evs []events.Event, from, to time.Time) []Event {
	out := []Event{}
	for _, e := range events.In(evs, from, to) {
		out = append(out, Event{Date: e.Date.Format(time.DateOnly), Label: e.Label,
			Symbols: append([]string{}, e.Symbols...), Source: e.Source})
	}
	return out
}

// movesWithEvents gives each move the labels of the events dated on its
// UTC date (an intraday bucket's date on 1D and 5D), in the events' order;
// baskets, which knows no events, leaves them empty. moves is cleanReport's
// copy, written in place.
func movesWithEvents(moves []baskets.Move, evs []Event) []baskets.Move {
	for i := range moves {
		day := moves[i].Time.UTC().Format(time.DateOnly)
		labels := []string{}
		for _, e := range evs {
			if e.Date == day {
				labels = append(labels, e.Label)
			}
		}
		moves[i].Events = labels
	}
	return moves
}

// Alert is one rule that holds at the report's moment.
type Alert struct {
	Rule    string      `json:"rule"`  // the rule in words, or its name
	Key     string      `json:"key"`   // its identity, as in alerts.log
	Value   baskets.Opt `json:"value"` // the figure it tested; null for a quadrant rule
	Message string      `json:"message"`
}

// Holding keeps the readings whose rule holds, in the file's order.
func Holding(readings []alerts.Reading) []Alert {
	out := []Alert{}
	for _, r := range readings {
		if r.Holds {
			out = append(out, Alert{Rule: r.Rule.Label(), Key: r.Rule.Key(), Value: r.Value, Message: r.Message})
		}
	}
	return out
}

// clean is the document with every text from the network or a file
// sanitized, copied so the caller's values are left alone.
func (d Document) clean() Document {
	d.Report = cleanReport(d.Report)
	es := make([]Event, len(d.Events))
	for i, e := range d.Events {
		e.Label, e.Symbols = sanitize.Text(e.Label), cleanAll(e.Symbols)
		if e.Symbols == nil {
			e.Symbols = []string{}
		}
		es[i] = e
	}
	d.Events = es
	d.TopMoves = movesWithEvents(d.TopMoves, es)
	if d.Alerts == nil {
		d.Alerts = []Alert{}
	} else {
		as := make([]Alert, len(d.Alerts))
		for i, a := range d.Alerts {
			a.Rule, a.Key, a.Message = sanitize.Text(a.Rule), sanitize.Text(a.Key), sanitize.Text(a.Message)
			as[i] = a
		}
		d.Alerts = as
	}
	if d.Holdings != nil {
		b := *d.Holdings
		b.Positions = make([]book.Position, len(d.Holdings.Positions))
		for i, p := range d.Holdings.Positions {
			p.Symbol, p.Currency = sanitize.Text(p.Symbol), sanitize.Text(p.Currency)
			p.Flags, p.Segments = cleanAll(p.Flags), cleanAll(p.Segments)
			b.Positions[i] = p
		}
		b.ExposureBySegment = make([]book.SegmentExposure, len(d.Holdings.ExposureBySegment))
		for i, s := range d.Holdings.ExposureBySegment {
			s.File, s.Name = sanitize.Text(s.File), sanitize.Text(s.Name)
			b.ExposureBySegment[i] = s
		}
		d.Holdings = &b
	}
	return d
}
