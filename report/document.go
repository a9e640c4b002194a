package report

import (
	"github.com/rotation-dev/rotation/alerts"
	"github.com/rotation-dev/rotation/baskets"
	"github.com/rotation-dev/rotation/book"
	"github.com/rotation-dev/rotation/sanitize"
)

// Document is everything print writes: the market's report, the user's book
// when a holdings file is in use, and the alert rules that hold. Its JSON is
// the report's fields with two more, holdings (null without a holdings file)
// and alerts (empty without rules).
type Document struct {
	baskets.Report
	Holdings *book.Book `json:"holdings"`
	Alerts   []Alert    `json:"alerts"`
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
