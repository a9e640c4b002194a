package market

import "strings"

// FX tells how to convert prices quoted in currency to US dollars.
//
// symbol is the Yahoo FX pair to fetch: "JPY=X", "KRW=X", "EUR=X"... Its
// price (call it rate) is in units of that major currency per one US dollar:
// JPY=X ≈ 150 yen per dollar, EUR=X ≈ 0.92 euro per dollar. perMajor is how
// many units of currency make one unit of the major currency: 100 for the
// minor units Yahoo quotes some exchanges in (GBp pence in London, ZAc cents
// in Johannesburg, ILA agorot in Tel Aviv), 1 otherwise. So
//
//	price_usd = price_local / (rate * perMajor)
//
// For "USD" (and "") symbol is "" and no rate is needed. Currencies this
// package does not list map to "XXX=X", perMajor 1.
func FX(currency string) (symbol string, perMajor float64) {
	major, perMajor := Major(currency)
	if major == "USD" {
		return "", 1
	}
	return major + "=X", perMajor
}

// IsPair reports whether sym is a Yahoo FX pair ("JPY=X", "eurusd=x"): a
// rate, not a listing.
func IsPair(sym string) bool { return strings.HasSuffix(strings.ToUpper(sym), "=X") }

// Major is the major currency of a listing currency and how many of the
// listing's units make one of it: ("GBP", 100) for GBp, ("EUR", 1) for EUR.
// "" is US dollars.
func Major(currency string) (major string, perMajor float64) {
	switch currency {
	case "", "USD":
		return "USD", 1
	case "GBp", "GBX":
		return "GBP", 100
	case "ZAc", "ZAC":
		return "ZAR", 100
	case "ILA":
		return "ILS", 100
	}
	return strings.ToUpper(currency), 1
}

// Conversion turns prices in one listing currency into a display currency
// through the US-dollar crosses: display = local * Factor(fromRate, toRate),
// where fromRate is the price of the From pair and toRate that of the To pair
// at the same instant (both units per dollar).
type Conversion struct {
	From, To string  // Yahoo pairs; "" when that side is US dollars or needs no rate
	PerMajor float64 // listing units per major unit (GBp: 100)
}

// ConversionTo is how to convert currency into display (a major currency
// code: USD, EUR, JPY...). A listing already in the display currency needs
// no rate at all (a GBp line shown in GBP is only divided by 100).
func ConversionTo(currency, display string) Conversion {
	major, perMajor := Major(currency)
	display, _ = Major(display)
	if major == display {
		return Conversion{PerMajor: perMajor}
	}
	c := Conversion{PerMajor: perMajor}
	if major != "USD" {
		c.From = major + "=X"
	}
	if display != "USD" {
		c.To = display + "=X"
	}
	return c
}

// Factor is what a local price is multiplied by: toRate / (fromRate *
// PerMajor), a side without a pair counting 1. It is 0 (unknown) when a
// needed rate is not a price.
func (c Conversion) Factor(fromRate, toRate float64) float64 {
	if c.From == "" {
		fromRate = 1
	}
	if c.To == "" {
		toRate = 1
	}
	if !(fromRate > 0) || !(toRate > 0) || fromRate > 1e12 || toRate > 1e12 {
		return 0
	}
	return toRate / (fromRate * c.PerMajor)
}
