package market

import "fmt"

// FX tells how to convert prices quoted in currency to US dollars.
//
// symbol is the Yahoo FX pair to fetch: "JPY=X", "KRW=X", "EUR=X"... Its
// price (call it rate) is in units of that major currency per one US dollar:
// JPY=X ≈ 150 yen per dollar, EUR=X ≈ 0.92 euro per dollar. perMajor is how
// many units of currency make one unit of the major currency: 100 for "GBp"
// (London prices are in pence, the rate GBP=X is in pounds), 1 otherwise.
// So
//
//	price_usd = price_local / (rate * perMajor)
//
// which is what ToUSD computes. For "USD" (and "") symbol is "" and no rate
// is needed. Currencies this package does not list map to "XXX=X", perMajor 1.
func FX(currency string) (symbol string, perMajor float64) {
	switch currency {
	case "", "USD":
		return "", 1
	case "GBp", "GBX":
		return "GBP=X", 100
	}
	return currency + "=X", 1
}

// ToUSD converts price, quoted in currency, to US dollars given rate, the
// latest price of the FX(currency) symbol. rate is ignored for USD.
func ToUSD(price float64, currency string, rate float64) (float64, error) {
	symbol, perMajor := FX(currency)
	if symbol == "" {
		return price, nil
	}
	if !(rate > 0) {
		return 0, fmt.Errorf("convert %s to USD: no usable %s rate (got %v); fetch %s first", currency, symbol, rate, symbol)
	}
	return price / (rate * perMajor), nil
}
