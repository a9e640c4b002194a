package market

import (
	"sync"
	"time"
)

// hm is a time of day in minutes after midnight.
func hm(h, m int) int { return h*60 + m }

var (
	us = Exchange{
		Code: "US", Name: "NYSE/Nasdaq", TZ: "America/New_York", Currency: "USD",
		open: hm(9, 30), close: hm(16, 0), preOpen: hm(4, 0), postClose: hm(20, 0),
		holidays: nyseHolidays, earlyClose: nyseEarlyClose,
	}
	fxMarket = Exchange{
		Code: "CCY", Name: "FX (24h, Sun 17:00 to Fri 17:00 New York)", TZ: "America/New_York",
		open: hm(17, 0), close: hm(17, 0), fx: true,
	}
	bySuffix = map[string]Exchange{
		"T": {Code: "JPX", Name: "Tokyo Stock Exchange", TZ: "Asia/Tokyo", Currency: "JPY",
			open: hm(9, 0), close: hm(15, 30), lunchStart: hm(11, 30), lunchEnd: hm(12, 30), holidays: tokyoHolidays},
		"KS": {Code: "KSC", Name: "Korea Exchange (KOSPI)", TZ: "Asia/Seoul", Currency: "KRW",
			open: hm(9, 0), close: hm(15, 30), holidays: seoulHolidays},
		"KQ": {Code: "KOE", Name: "Korea Exchange (KOSDAQ)", TZ: "Asia/Seoul", Currency: "KRW",
			open: hm(9, 0), close: hm(15, 30), holidays: seoulHolidays},
		"TW": {Code: "TAI", Name: "Taiwan Stock Exchange", TZ: "Asia/Taipei", Currency: "TWD",
			open: hm(9, 0), close: hm(13, 30), holidays: taipeiHolidays},
		"TWO": {Code: "TWO", Name: "Taipei Exchange", TZ: "Asia/Taipei", Currency: "TWD",
			open: hm(9, 0), close: hm(13, 30), holidays: taipeiHolidays},
		"HK": {Code: "HKG", Name: "Hong Kong Exchange", TZ: "Asia/Hong_Kong", Currency: "HKD",
			open: hm(9, 30), close: hm(16, 0), lunchStart: hm(12, 0), lunchEnd: hm(13, 0), holidays: hongKongHolidays},
		"AS": {Code: "AMS", Name: "Euronext Amsterdam", TZ: "Europe/Amsterdam", Currency: "EUR",
			open: hm(9, 0), close: hm(17, 30), holidays: euronextHolidays},
		"PA": {Code: "PAR", Name: "Euronext Paris", TZ: "Europe/Paris", Currency: "EUR",
			open: hm(9, 0), close: hm(17, 30), holidays: euronextHolidays},
		"DE": {Code: "GER", Name: "Xetra", TZ: "Europe/Berlin", Currency: "EUR",
			open: hm(9, 0), close: hm(17, 30), holidays: xetraHolidays},
		"SW": {Code: "EBS", Name: "SIX Swiss Exchange", TZ: "Europe/Zurich", Currency: "CHF",
			open: hm(9, 0), close: hm(17, 30), holidays: sixHolidays},
		"CO": {Code: "CPH", Name: "Nasdaq Copenhagen", TZ: "Europe/Copenhagen", Currency: "DKK",
			open: hm(9, 0), close: hm(17, 0), holidays: copenhagenHolidays},
		"L": {Code: "LSE", Name: "London Stock Exchange", TZ: "Europe/London", Currency: "GBp",
			open: hm(8, 0), close: hm(16, 30), holidays: londonHolidays},
		// Yahoo quotes Johannesburg in cents (ZAc) and Tel Aviv in agorot (ILA).
		"JO": {Code: "JSE", Name: "Johannesburg Stock Exchange", TZ: "Africa/Johannesburg", Currency: "ZAc",
			open: hm(9, 0), close: hm(17, 0), holidays: johannesburgHolidays},
		// Tel Aviv trades Monday to Friday since January 2026; its holidays
		// follow the Hebrew calendar and are not modelled: such a day shows as
		// a session without bars.
		"TA": {Code: "TLV", Name: "Tel Aviv Stock Exchange", TZ: "Asia/Jerusalem", Currency: "ILA",
			open: hm(9, 59), close: hm(17, 14)},
	}
	// nonUSIndices follow their home exchange's hours; Yahoo quotes them in
	// the home currency (GBP, not pence, for the FTSE).
	nonUSIndices = map[string]Exchange{
		"^N225":     bySuffix["T"],
		"^KS11":     bySuffix["KS"],
		"^KQ11":     bySuffix["KQ"],
		"^TWII":     bySuffix["TW"],
		"^HSI":      bySuffix["HK"],
		"^AEX":      bySuffix["AS"],
		"^FCHI":     bySuffix["PA"],
		"^GDAXI":    bySuffix["DE"],
		"^SSMI":     bySuffix["SW"],
		"^OMXC25":   bySuffix["CO"],
		"^FTSE":     withCurrency(bySuffix["L"], "GBP"),
		"^STOXX50E": withCurrency(bySuffix["DE"], "EUR"),
	}
)

func init() {
	us.loc = mustLoad(us.TZ)
	fxMarket.loc = mustLoad(fxMarket.TZ)
	for k, ex := range bySuffix {
		ex.loc = mustLoad(ex.TZ)
		bySuffix[k] = ex
	}
	for k, ex := range nonUSIndices {
		ex.loc = mustLoad(ex.TZ)
		nonUSIndices[k] = ex
	}
}

func withCurrency(ex Exchange, cur string) Exchange {
	ex.Currency = cur
	return ex
}

// Location is the time zone named tz (an IANA name such as
// "America/New_York", as quotes give it), loaded once and shared; UTC when
// tz is empty or unknown. Every package loads zones through it.
func Location(tz string) *time.Location {
	if tz == "" {
		return time.UTC
	}
	if loc, ok := zones.Load(tz); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	zones.Store(tz, loc)
	return loc
}

// zones caches Location: loading a zone reads the zoneinfo database.
var zones sync.Map

// mustLoad cannot fail for the zones above: time/tzdata is embedded.
func mustLoad(tz string) *time.Location {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		panic("market: time zone " + tz + " missing from embedded tzdata: " + err.Error())
	}
	return loc
}

// holidayRule lists a year's full-day closures (weekends aside).
type holidayRule func(year int) []time.Time

// holidayCache memoizes rule results per exchange code and year, so scanning
// a year of sessions does not recompute Easter 365 times.
var holidayCache sync.Map // holidayKey -> map[time.Time]bool

type holidayKey struct {
	code string
	year int
}

func (r holidayRule) has(code string, y int, m time.Month, d int) bool {
	key := holidayKey{code, y}
	set, ok := holidayCache.Load(key)
	if !ok {
		days := make(map[time.Time]bool)
		for _, h := range r(y) {
			days[h] = true
		}
		set, _ = holidayCache.LoadOrStore(key, days)
	}
	return set.(map[time.Time]bool)[time.Date(y, m, d, 0, 0, 0, 0, time.UTC)]
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Easter returns Easter Sunday of year y (Gregorian computus, Meeus/Jones/Butcher).
func Easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return date(y, time.Month(month), day)
}

// nthWeekday is the n-th wd of the month (n = -1 for the last).
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	if n < 0 {
		last := date(y, m+1, 0)
		return last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7))
	}
	first := date(y, m, 1)
	return first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(n-1))
}

// nyseObserved moves a Saturday holiday to Friday and a Sunday one to Monday.
func nyseObserved(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, -1)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

func nyseHolidays(y int) []time.Time {
	days := []time.Time{
		nthWeekday(y, time.January, time.Monday, 3),   // Martin Luther King Jr. Day
		nthWeekday(y, time.February, time.Monday, 3),  // Washington's Birthday
		Easter(y).AddDate(0, 0, -2),                   // Good Friday
		nthWeekday(y, time.May, time.Monday, -1),      // Memorial Day
		nyseObserved(date(y, time.July, 4)),           // Independence Day
		nthWeekday(y, time.September, time.Monday, 1), // Labor Day
		nthWeekday(y, time.November, time.Thursday, 4),
		nyseObserved(date(y, time.December, 25)),
	}
	// New Year's Day on a Sunday is observed Monday; on a Saturday it is not
	// observed at all (NYSE Rule 7.2 keeps the year-end session).
	if ny := date(y, time.January, 1); ny.Weekday() != time.Saturday {
		days = append(days, nyseObserved(ny))
	}
	if y >= 2022 {
		days = append(days, nyseObserved(date(y, time.June, 19))) // Juneteenth
	}
	return days
}

// nyseEarlyClose: 13:00 on July 3, the day after Thanksgiving and Christmas
// Eve, when those are sessions at all.
func nyseEarlyClose(y int, m time.Month, d int) int {
	t := date(y, m, d)
	switch {
	case m == time.July && d == 3, m == time.December && d == 24,
		t.Equal(nthWeekday(y, time.November, time.Thursday, 4).AddDate(0, 0, 1)):
		return hm(13, 0)
	}
	return 0
}

// fixed turns month/day pairs into dates of year y.
func fixed(y int, md ...int) []time.Time {
	out := make([]time.Time, 0, len(md)/2)
	for i := 0; i+1 < len(md); i += 2 {
		out = append(out, date(y, time.Month(md[i]), md[i+1]))
	}
	return out
}

// easterOffsets turns offsets from Easter Sunday into dates.
func easterOffsets(y int, offsets ...int) []time.Time {
	e := Easter(y)
	out := make([]time.Time, len(offsets))
	for i, o := range offsets {
		out[i] = e.AddDate(0, 0, o)
	}
	return out
}

// Asian calendars below omit lunar and movable national holidays (Lunar New
// Year, Chuseok, Golden Week...): those need tables, not rules.
func tokyoHolidays(y int) []time.Time { return fixed(y, 1, 1, 1, 2, 1, 3, 12, 31) }
func seoulHolidays(y int) []time.Time {
	return fixed(y, 1, 1, 3, 1, 5, 5, 6, 6, 8, 15, 10, 3, 10, 9, 12, 25, 12, 31)
}
func taipeiHolidays(y int) []time.Time { return fixed(y, 1, 1, 2, 28, 10, 10) }
func hongKongHolidays(y int) []time.Time {
	return append(fixed(y, 1, 1, 5, 1, 7, 1, 10, 1, 12, 25, 12, 26), easterOffsets(y, -2, 1)...)
}
func euronextHolidays(y int) []time.Time {
	return append(fixed(y, 1, 1, 5, 1, 12, 25, 12, 26), easterOffsets(y, -2, 1)...)
}
func xetraHolidays(y int) []time.Time {
	return append(fixed(y, 1, 1, 5, 1, 12, 24, 12, 25, 12, 26, 12, 31), easterOffsets(y, -2, 1)...)
}
func sixHolidays(y int) []time.Time {
	return append(fixed(y, 1, 1, 1, 2, 5, 1, 8, 1, 12, 24, 12, 25, 12, 26, 12, 31), easterOffsets(y, -2, 1, 39, 50)...)
}
func copenhagenHolidays(y int) []time.Time {
	return append(fixed(y, 1, 1, 6, 5, 12, 24, 12, 25, 12, 26, 12, 31), easterOffsets(y, -3, -2, 1, 39, 50)...)
}

// johannesburgHolidays are South Africa's public holidays; one falling on a
// Sunday is observed on the Monday.
func johannesburgHolidays(y int) []time.Time {
	days := easterOffsets(y, -2, 1) // Good Friday, Family Day
	for _, d := range fixed(y, 1, 1, 3, 21, 4, 27, 5, 1, 6, 16, 8, 9, 9, 24, 12, 16, 12, 25, 12, 26) {
		if d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, 1)
		}
		days = append(days, d)
	}
	return days
}

// londonHolidays are the England bank holidays, with weekend substitutes.
func londonHolidays(y int) []time.Time {
	days := append(easterOffsets(y, -2, 1),
		nthWeekday(y, time.May, time.Monday, 1),
		nthWeekday(y, time.May, time.Monday, -1),
		nthWeekday(y, time.August, time.Monday, -1),
	)
	newYear := date(y, time.January, 1)
	for newYear.Weekday() == time.Saturday || newYear.Weekday() == time.Sunday {
		newYear = newYear.AddDate(0, 0, 1)
	}
	// Christmas and Boxing Day falling on a weekend move to the next free weekdays.
	xmas, boxing := date(y, time.December, 25), date(y, time.December, 26)
	switch xmas.Weekday() {
	case time.Saturday:
		xmas, boxing = xmas.AddDate(0, 0, 2), boxing.AddDate(0, 0, 2)
	case time.Sunday:
		xmas = xmas.AddDate(0, 0, 2)
	case time.Friday:
		boxing = boxing.AddDate(0, 0, 2)
	}
	return append(days, newYear, xmas, boxing)
}
