package market

import (
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestForSymbol(t *testing.T) {
	cases := []struct{ sym, code, tz, cur string }{
		{"7203.T", "JPX", "Asia/Tokyo", "JPY"},
		{"000660.KS", "KSC", "Asia/Seoul", "KRW"},
		{"042700.KQ", "KOE", "Asia/Seoul", "KRW"},
		{"2330.TW", "TAI", "Asia/Taipei", "TWD"},
		{"0700.HK", "HKG", "Asia/Hong_Kong", "HKD"},
		{"ASML.AS", "AMS", "Europe/Amsterdam", "EUR"},
		{"STMPA.PA", "PAR", "Europe/Paris", "EUR"},
		{"IFX.DE", "GER", "Europe/Berlin", "EUR"},
		{"ABBN.SW", "EBS", "Europe/Zurich", "CHF"},
		{"NOVO-B.CO", "CPH", "Europe/Copenhagen", "DKK"},
		{"ARM.L", "LSE", "Europe/London", "GBp"},
		{"NVDA", "US", "America/New_York", "USD"},
		{"nvda", "US", "America/New_York", "USD"},
		{"^GSPC", "US", "America/New_York", "USD"},
		{"^N225", "JPX", "Asia/Tokyo", "JPY"},
		{"^FTSE", "LSE", "Europe/London", "GBP"},
		{"KRW=X", "CCY", "America/New_York", "KRW"},
		{"EURUSD=X", "CCY", "America/New_York", "USD"},
		{"FOO.XYZ", "US", "America/New_York", "USD"},
	}
	for _, c := range cases {
		ex := ForSymbol(c.sym)
		if ex.Code != c.code || ex.TZ != c.tz || ex.Currency != c.cur || ex.Location().String() != c.tz {
			t.Errorf("ForSymbol(%q) = %s %s %s (loc %s), want %s %s %s", c.sym, ex.Code, ex.TZ, ex.Currency, ex.Location(), c.code, c.tz, c.cur)
		}
	}
}

func TestEaster(t *testing.T) {
	for _, want := range []string{"2000-04-23", "2019-04-21", "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2038-04-25"} {
		d := day(want)
		if got := Easter(d.Year()); !got.Equal(d) {
			t.Errorf("Easter(%d) = %s, want %s", d.Year(), got.Format("2006-01-02"), want)
		}
	}
}

// TestNYSEHolidays2026 checks the whole year: every weekday is a trading day
// except exactly the published NYSE closures.
func TestNYSEHolidays2026(t *testing.T) {
	closed := map[string]bool{
		"2026-01-01": true, "2026-01-19": true, "2026-02-16": true, "2026-04-03": true,
		"2026-05-25": true, "2026-06-19": true, "2026-07-03": true, "2026-09-07": true,
		"2026-11-26": true, "2026-12-25": true,
	}
	us := ForSymbol("NVDA")
	for d := day("2026-01-01"); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		want := !weekend && !closed[d.Format("2006-01-02")]
		if got := us.IsTradingDay(d); got != want {
			t.Errorf("US IsTradingDay(%s %s) = %v, want %v", d.Format("2006-01-02"), d.Weekday(), got, want)
		}
	}
}

func TestNYSEObservanceRules(t *testing.T) {
	us := ForSymbol("AAPL")
	cases := []struct {
		day  string
		open bool
		why  string
	}{
		{"2021-12-31", true, "New Year's Day 2022 on a Saturday is not observed on Friday"},
		{"2022-01-03", true, "Monday after a Saturday New Year's Day trades"},
		{"2023-01-02", false, "New Year's Day on a Sunday is observed Monday"},
		{"2021-06-18", true, "Juneteenth was not an NYSE holiday before 2022"},
		{"2022-06-20", false, "Juneteenth 2022 (Sunday) observed Monday"},
		{"2021-12-24", false, "Christmas 2021 (Saturday) observed Friday"},
		{"2027-07-05", false, "Independence Day 2027 (Sunday) observed Monday"},
		{"2025-04-18", false, "Good Friday 2025"},
		{"2026-11-21", false, "a Saturday"},
	}
	for _, c := range cases {
		if got := us.IsTradingDay(day(c.day)); got != c.open {
			t.Errorf("%s: IsTradingDay = %v, want %v (%s)", c.day, got, c.open, c.why)
		}
	}
}

func TestEarlyCloseAndSessions(t *testing.T) {
	us := ForSymbol("NVDA")
	open, close, ok := us.Session(day("2026-11-27"))
	if !ok || !open.Equal(utc("2026-11-27T14:30:00Z")) || !close.Equal(utc("2026-11-27T18:00:00Z")) {
		t.Errorf("day after Thanksgiving = %v-%v %v, want 14:30Z-18:00Z (13:00 early close)", open, close, ok)
	}
	if _, _, ok := us.Session(day("2026-11-26")); ok {
		t.Error("Thanksgiving 2026 has a session")
	}
	got := us.Sessions(utc("2026-11-23T00:00:00Z"), utc("2026-11-29T23:00:00Z"))
	wantDays := []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"}
	if len(got) != len(wantDays) {
		t.Fatalf("Sessions of Thanksgiving week = %v, want %d sessions", got, len(wantDays))
	}
	for i, p := range got {
		if d := p.Start.Format("2006-01-02"); d != wantDays[i] {
			t.Errorf("session %d on %s, want %s", i, d, wantDays[i])
		}
	}
	last := us.LastSessions(utc("2026-11-30T15:00:00Z"), 3)
	if len(last) != 3 || !last[0].Start.Equal(utc("2026-11-25T14:30:00Z")) || !last[2].End.Equal(utc("2026-11-30T21:00:00Z")) {
		t.Errorf("LastSessions(Mon 10:00 EST, 3) = %v, want Wed 25, Fri 27 and today in progress", last)
	}
}

func TestNextOpenClose(t *testing.T) {
	us := ForSymbol("NVDA")
	cases := []struct{ at, nextOpen, nextClose string }{
		{"2026-11-20T21:00:00Z", "2026-11-23T14:30:00Z", "2026-11-23T21:00:00Z"}, // Friday after the close
		{"2026-11-25T22:00:00Z", "2026-11-27T14:30:00Z", "2026-11-27T18:00:00Z"}, // skips Thanksgiving
		{"2026-11-20T15:00:00Z", "2026-11-23T14:30:00Z", "2026-11-20T21:00:00Z"}, // in session
		{"2026-07-01T13:00:00Z", "2026-07-01T13:30:00Z", "2026-07-01T20:00:00Z"}, // summer time
	}
	for _, c := range cases {
		if got := us.NextOpen(utc(c.at)); !got.Equal(utc(c.nextOpen)) {
			t.Errorf("NextOpen(%s) = %s, want %s", c.at, got.UTC(), c.nextOpen)
		}
		if got := us.NextClose(utc(c.at)); !got.Equal(utc(c.nextClose)) {
			t.Errorf("NextClose(%s) = %s, want %s", c.at, got.UTC(), c.nextClose)
		}
	}
}

func TestStates(t *testing.T) {
	cases := []struct {
		sym, at string
		want    feeds.MarketState
	}{
		// Friday 2026-11-20 15:00Z: 10:00 New York, midnight in Tokyo and Seoul, 16:00 in Amsterdam.
		{"NVDA", "2026-11-20T15:00:00Z", feeds.Regular},
		{"7203.T", "2026-11-20T15:00:00Z", feeds.Closed},
		{"000660.KS", "2026-11-20T15:00:00Z", feeds.Closed},
		{"ASML.AS", "2026-11-20T15:00:00Z", feeds.Regular},
		{"SAP.DE", "2026-11-20T15:00:00Z", feeds.Regular},
		{"ARM.L", "2026-11-20T15:00:00Z", feeds.Regular},
		{"2330.TW", "2026-11-20T15:00:00Z", feeds.Closed},
		{"KRW=X", "2026-11-20T15:00:00Z", feeds.Regular},
		{"^GSPC", "2026-11-20T15:00:00Z", feeds.Regular},
		{"NVDA", "2026-11-20T10:00:00Z", feeds.Pre},
		{"NVDA", "2026-11-20T21:30:00Z", feeds.Post},
		{"NVDA", "2026-11-21T01:00:00Z", feeds.Closed},
		{"NVDA", "2026-11-26T15:00:00Z", feeds.Closed}, // Thanksgiving
		{"NVDA", "2026-11-26T10:00:00Z", feeds.Closed}, // no pre-market on a holiday
		{"NVDA", "2026-07-01T13:29:00Z", feeds.Pre},    // 09:29 EDT
		{"NVDA", "2026-07-01T13:30:00Z", feeds.Regular},
		{"ASML.AS", "2026-11-20T07:30:00Z", feeds.Closed}, // 08:30 CET: no pre-market outside the US
		// Tokyo on 2026-11-20: 11:00 trading, 12:00 lunch, 13:00 trading, 15:30 closed.
		{"7203.T", "2026-11-20T02:00:00Z", feeds.Regular},
		{"7203.T", "2026-11-20T03:00:00Z", feeds.Closed},
		{"7203.T", "2026-11-20T04:00:00Z", feeds.Regular},
		{"7203.T", "2026-11-20T06:30:00Z", feeds.Closed},
		{"0700.HK", "2026-11-20T04:30:00Z", feeds.Closed}, // 12:30 HKT lunch
		// FX: Friday 16:59 New York open, 17:00 closed; Sunday 17:00 reopens.
		{"JPY=X", "2026-11-20T21:59:00Z", feeds.Regular},
		{"JPY=X", "2026-11-20T22:00:00Z", feeds.Closed},
		{"JPY=X", "2026-11-21T15:00:00Z", feeds.Closed},
		{"JPY=X", "2026-11-22T21:59:00Z", feeds.Closed},
		{"JPY=X", "2026-11-22T22:00:00Z", feeds.Regular},
	}
	for _, c := range cases {
		if got := ForSymbol(c.sym).State(utc(c.at)); got != c.want {
			t.Errorf("%s State(%s) = %s, want %s", c.sym, c.at, got, c.want)
		}
	}
}

func TestOtherExchangeHolidays(t *testing.T) {
	cases := []struct {
		sym, day string
		open     bool
	}{
		{"ASML.AS", "2026-04-03", false}, // Good Friday
		{"ASML.AS", "2026-04-06", false}, // Easter Monday
		{"7203.T", "2026-04-03", true},   // Tokyo trades on Good Friday
		{"7203.T", "2026-01-01", false},
		{"000660.KS", "2026-12-25", false},
		{"ARM.L", "2026-12-28", false}, // Boxing Day 2026 (Saturday) substitute
		{"ARM.L", "2027-01-01", false},
		{"ARM.L", "2026-05-25", false}, // spring bank holiday
		{"SAP.DE", "2026-12-24", false},
		{"NOVO-B.CO", "2026-05-14", false}, // Ascension Day
		{"KRW=X", "2026-11-26", true},      // FX ignores holidays
		{"KRW=X", "2026-11-21", false},
	}
	for _, c := range cases {
		if got := ForSymbol(c.sym).IsTradingDay(day(c.day)); got != c.open {
			t.Errorf("%s IsTradingDay(%s) = %v, want %v", c.sym, c.day, got, c.open)
		}
	}
}

func TestTradingPeriodsLunch(t *testing.T) {
	parts := ForSymbol("7203.T").TradingPeriods(day("2026-11-20"))
	want := []feeds.Period{
		{Start: utc("2026-11-20T00:00:00Z"), End: utc("2026-11-20T02:30:00Z")},
		{Start: utc("2026-11-20T03:30:00Z"), End: utc("2026-11-20T06:30:00Z")},
	}
	if len(parts) != 2 || !parts[0].Start.Equal(want[0].Start) || !parts[0].End.Equal(want[0].End) ||
		!parts[1].Start.Equal(want[1].Start) || !parts[1].End.Equal(want[1].End) {
		t.Errorf("Tokyo TradingPeriods = %v, want %v", parts, want)
	}
	if p := ForSymbol("NVDA").TradingPeriods(day("2026-11-21")); p != nil {
		t.Errorf("Saturday TradingPeriods = %v, want none", p)
	}
}

func TestFXSessionSpansTwoDays(t *testing.T) {
	open, close, ok := ForSymbol("EUR=X").Session(day("2026-11-23")) // Monday
	if !ok || !open.Equal(utc("2026-11-22T22:00:00Z")) || !close.Equal(utc("2026-11-23T22:00:00Z")) {
		t.Errorf("Monday FX session = %v-%v %v, want Sunday 17:00 to Monday 17:00 New York", open, close, ok)
	}
}

// Counting days back across a new year finds the old year's holidays:
// from 2 January 2026, Xetra's sessions before it are 30 and 29 December,
// not New Year's Eve, when it is shut; and counting forward from the
// 31st skips New Year's Day.
func TestSessionsAcrossTheNewYearKeepTheHolidays(t *testing.T) {
	x := ForSymbol("ENR.DE")
	at := time.Date(2026, 1, 2, 17, 0, 0, 0, x.Location())
	var got []string
	for _, p := range x.LastSessions(at, 3) {
		got = append(got, p.Start.In(x.Location()).Format(time.DateOnly))
	}
	if want := "2025-12-29 2025-12-30 2026-01-02"; strings.Join(got, " ") != want {
		t.Errorf("last sessions %v, want %s", got, want)
	}
	if next := x.NextOpen(time.Date(2025, 12, 31, 12, 0, 0, 0, x.Location())); next.In(x.Location()).Format(time.DateOnly) != "2026-01-02" {
		t.Errorf("next open after 31 December: %s, want 2 January", next)
	}
}
