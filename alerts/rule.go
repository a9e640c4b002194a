// Package alerts reads the user's alert rules (alerts.yaml), evaluates them
// against a report and the latest quotes, and fires each rule once per
// crossing, with the state kept on disk so a restart does not repeat an
// alert. It draws nothing: the caller shows or rings what Observe returns.
//
// A threshold rule holds when value > above, or value < below (either bound
// may be left out; both strict, so a value equal to a bound does not hold).
// With both, the rule is a band alert: it holds outside [below, above], and
// Parse rejects above <= below, which would hold for every value. A
// quadrant rule holds while its segment or era is in the named quadrant.
// An unknown value (no quote, no spread for that range, no rotation map)
// never holds and leaves the rule's recorded state alone.
package alerts

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rotation-dev/rotation/sanitize"
	"github.com/rotation-dev/rotation/watchlists"
)

// The kinds of rule, the values of `when:`.
const (
	WhenPrice          = "price"
	WhenChange         = "change"
	WhenSpread         = "spread"
	WhenQuadrant       = "quadrant"
	WhenRelativeVolume = "relativeVolume"
)

// whens lists the kinds in the order messages name them.
var whens = []string{WhenPrice, WhenChange, WhenSpread, WhenQuadrant, WhenRelativeVolume}

// quadrants are the values of `enters:`, as baskets.Quadrant spells them.
var quadrants = []string{"leading", "weakening", "lagging", "improving"}

// Rule is one entry of the alerts file.
type Rule struct {
	When    string // one of the When constants
	Symbol  string // price, change, relativeVolume: upper-case Yahoo symbol
	Segment string // quadrant, relativeVolume: a segment's name or file, as written
	Era     string // quadrant, relativeVolume: "training" or "inference"
	Range   string // spread: "1D" … "1Y" as feeds spells it; "" is the report's range
	Enters  string // quadrant: leading, weakening, lagging or improving
	Name    string // optional label put in front of the message
	Above   *float64
	Below   *float64
	// Line and Col locate the rule's first key in Path; they are not part
	// of its identity.
	Line, Col int
	Path      string

	snippet string // the source around Line:Col, for Validate's errors
}

// Key is the rule's identity in the state file: its kind, subject and
// thresholds in a fixed order, without its position or label, so moving a
// rule in the file or renaming it keeps its state while changing what it
// tests starts afresh. Segments compare case-insensitively, so the key
// folds their case too. Text values are quoted so no name can forge
// another rule's key.
func (r Rule) Key() string {
	var b strings.Builder
	b.WriteString(r.When)
	text := func(field, v string) {
		if v != "" {
			fmt.Fprintf(&b, " %s=%s", field, strconv.Quote(v))
		}
	}
	num := func(field string, v *float64) {
		if v != nil {
			fmt.Fprintf(&b, " %s=%s", field, formatBound(*v))
		}
	}
	text("symbol", r.Symbol)
	text("segment", strings.ToLower(strings.TrimSpace(r.Segment)))
	text("era", r.Era)
	text("range", r.Range)
	text("enters", r.Enters)
	num("above", r.Above)
	num("below", r.Below)
	return b.String()
}

// String is a short description for people: "NVDA price above 200",
// "spread 1M above 2 pp", "Optics and interconnect enters leading".
func (r Rule) String() string {
	subject := r.subject()
	if r.When == WhenQuadrant {
		return sanitize.Text(subject + " enters " + r.Enters)
	}
	unit := unitOf(r.When)
	var parts []string
	if r.Above != nil {
		parts = append(parts, "above "+formatBound(*r.Above)+unit)
	}
	if r.Below != nil {
		parts = append(parts, "below "+formatBound(*r.Below)+unit)
	}
	return sanitize.Text(subject + " " + strings.Join(parts, " or "))
}

// Label is the rule's name when it has one, else its description.
func (r Rule) Label() string {
	if n := sanitize.Text(strings.TrimSpace(r.Name)); n != "" {
		return n
	}
	return r.String()
}

// subject names what the rule measures: "NVDA price", "spread 1M",
// "HBM relative volume", "inference era".
func (r Rule) subject() string {
	who := r.Symbol
	switch {
	case r.Segment != "":
		who = strings.TrimSpace(r.Segment)
	case r.Era != "":
		who = r.Era + " era"
	}
	switch r.When {
	case WhenPrice:
		return who + " price"
	case WhenChange:
		return who + " change"
	case WhenSpread:
		return strings.TrimSpace("spread " + r.Range)
	case WhenRelativeVolume:
		return who + " relative volume"
	}
	return who
}

// unitOf is the suffix thresholds and values of a kind are written with.
func unitOf(when string) string {
	switch when {
	case WhenChange:
		return "%"
	case WhenSpread:
		return " pp"
	case WhenRelativeVolume:
		return "x"
	}
	return ""
}

// formatBound writes a threshold as the user wrote it: 200, -5, 2.5.
func formatBound(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Symbols returns the distinct symbols the rules need quotes for, sorted.
// Symbols outside every watchlist are legitimate: the caller fetches them.
func Symbols(rules []Rule) []string {
	seen := make(map[string]bool)
	var out []string
	for _, r := range rules {
		if r.Symbol != "" && !seen[r.Symbol] {
			seen[r.Symbol] = true
			out = append(out, r.Symbol)
		}
	}
	sort.Strings(out)
	return out
}

// Validate reports every rule naming a segment the watchlist set lacks, at
// the rule's position, listing the segments there are. It is separate from
// Parse because the rules file and the watchlists are loaded, and may
// change, independently.
func Validate(rules []Rule, set watchlists.Set) []*watchlists.FileError {
	var errs []*watchlists.FileError
	for _, r := range rules {
		if r.Segment == "" {
			continue
		}
		if _, ok := findSegment(set.Segments, r.Segment, func(s watchlists.Segment) (string, string) {
			return s.Name, s.File
		}); ok {
			continue
		}
		names := make([]string, len(set.Segments))
		for i, s := range set.Segments {
			names[i] = strconv.Quote(s.Name)
		}
		avail := "there are none"
		if len(names) > 0 {
			avail = "use one of " + strings.Join(names, ", ")
		}
		errs = append(errs, &watchlists.FileError{
			Path: r.Path, Line: r.Line, Col: r.Col, Snippet: r.snippet,
			Msg: fmt.Sprintf("segment %q is not in the watchlists (%s): %s, or its file name",
				strings.TrimSpace(r.Segment), set.Source, avail),
		})
	}
	return errs
}

// findSegment returns the index of the segment named want, by name in any
// case or by exact file name; one matcher serves watchlist segments and
// report segments alike.
func findSegment[S any](segs []S, want string, id func(S) (name, file string)) (int, bool) {
	want = strings.TrimSpace(want)
	for i, s := range segs {
		name, file := id(s)
		if strings.EqualFold(strings.TrimSpace(name), want) || file == want {
			return i, true
		}
	}
	return -1, false
}
