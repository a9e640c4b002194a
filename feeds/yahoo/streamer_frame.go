package yahoo

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/rotation-dev/rotation/feeds"
	"google.golang.org/protobuf/encoding/protowire"
)

// Tick is one trade pushed by Yahoo's streamer, as its frame says it. Nothing
// is checked for plausibility here: a price of 0, NaN or 3e38 is kept as
// sent, for the gate to judge.
type Tick struct {
	Symbol string    // never empty
	Price  float64   // a float32 on the wire, widened exactly
	Time   time.Time // the trade's own time (UTC); zero when the frame has none
	// MarketHours is market_hours as sent: 0 pre, 1 regular, 2 post, 3
	// extended in the published enum, 4 overnight in later use. Absent
	// reads as 0, as in proto3. MarketState maps it.
	MarketHours   int32
	QuoteType     int32 // 8 equity, 14 currency, 20 ETF, 41 crypto, ...
	Currency      string
	Exchange      string
	Name          string // short_name
	Change        float64
	ChangePercent float64
	DayVolume     int64
	PreviousClose *float64 // nil when the frame has none
	MarketCap     *float64 // nil when the frame has none
	PriceHint     int64    // decimals to show; 0 when the frame has none
	// Unknown holds the numbers of fields outside the schema, skipped (46
	// and 47 in 2026 frames).
	Unknown []int32
}

// MarketState says which price the tick is: only market_hours 1 is the
// regular price, and 0 is pre-market. 2, 3, 4 and any other value read
// POST: a trade after the close, extended or overnight, is an
// extended-hours price (feeds.Tick's State), never the regular one.
func (t Tick) MarketState() feeds.MarketState {
	switch t.MarketHours {
	case 0:
		return feeds.Pre
	case 1:
		return feeds.Regular
	default:
		return feeds.Post
	}
}

// ErrNotPricing is wrapped by DecodeStreamFrame's error for a well-formed
// envelope of another type (a heartbeat, say): no tick, but no garbage.
var ErrNotPricing = errors.New("not a pricing message")

// DecodeStreamFrame decodes one text frame from the streamer: the envelope
// {"type":"pricing","message":"<base64 PricingData>"} of ?version=2, or the
// bare base64 of the older protocol. A frame that does not decode in full
// is an error and no tick.
func DecodeStreamFrame(frame []byte) (Tick, error) {
	payload := bytes.TrimSpace(frame)
	if len(payload) > 0 && payload[0] == '{' {
		var env struct {
			Type    string  `json:"type"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(payload, &env); err != nil {
			return Tick{}, fmt.Errorf("streamer frame: bad JSON envelope: %w", err)
		}
		if env.Type != "pricing" {
			return Tick{}, fmt.Errorf("streamer frame of %d bytes: %w", len(frame), ErrNotPricing)
		}
		if env.Message == nil {
			return Tick{}, errors.New("streamer frame: pricing envelope without a message")
		}
		payload = []byte(*env.Message)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(string(payload))
	if err != nil {
		return Tick{}, fmt.Errorf("streamer frame: bad base64: %w", err)
	}
	d, err := decodePricing(raw)
	if err != nil {
		return Tick{}, fmt.Errorf("streamer frame: %w", err)
	}
	return d.tick(), nil
}

// pricingField is one field of PricingData, as pricing-fields.md has it
// (yfinance's pricing.proto).
type pricingField struct {
	name  string
	proto string // "string", "float", "double", "int32" or "sint64"
}

// pricingFields is PricingData's schema, by field number.
var pricingFields = [...]pricingField{
	1: {"id", "string"}, 2: {"price", "float"}, 3: {"time", "sint64"},
	4: {"currency", "string"}, 5: {"exchange", "string"}, 6: {"quote_type", "int32"},
	7: {"market_hours", "int32"}, 8: {"change_percent", "float"}, 9: {"day_volume", "sint64"},
	10: {"day_high", "float"}, 11: {"day_low", "float"}, 12: {"change", "float"},
	13: {"short_name", "string"}, 14: {"expire_date", "sint64"}, 15: {"open_price", "float"},
	16: {"previous_close", "float"}, 17: {"strike_price", "float"}, 18: {"underlying_symbol", "string"},
	19: {"open_interest", "sint64"}, 20: {"options_type", "sint64"}, 21: {"mini_option", "sint64"},
	22: {"last_size", "sint64"}, 23: {"bid", "float"}, 24: {"bid_size", "sint64"},
	25: {"ask", "float"}, 26: {"ask_size", "sint64"}, 27: {"price_hint", "sint64"},
	28: {"vol_24hr", "sint64"}, 29: {"vol_all_currencies", "sint64"}, 30: {"from_currency", "string"},
	31: {"last_market", "string"}, 32: {"circulating_supply", "double"}, 33: {"market_cap", "double"},
}

// wireType is the wire type a field of this proto type must arrive with.
func (f pricingField) wireType() protowire.Type {
	switch f.proto {
	case "string":
		return protowire.BytesType
	case "float":
		return protowire.Fixed32Type
	case "double":
		return protowire.Fixed64Type
	default:
		return protowire.VarintType
	}
}

// pricingValue is one decoded field: s for strings, n for integers
// (zigzag-decoded for sint64), f for floats and doubles.
type pricingValue struct {
	set bool
	s   string
	n   int64
	f   float64
}

// pricingData is a PricingData message, every field of the schema by number.
type pricingData struct {
	v       [len(pricingFields)]pricingValue
	unknown []int32
}

// decodePricing decodes a PricingData message strictly: every known field
// with its wire type, at most once, strings valid UTF-8, nothing truncated,
// and a symbol. Unknown fields are skipped by their wire type.
func decodePricing(b []byte) (*pricingData, error) {
	d := &pricingData{}
	for off := 0; off < len(b); {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return nil, fmt.Errorf("bad field tag at byte %d: %w", off, protowire.ParseError(n))
		}
		at := off
		off += n
		if num >= protowire.Number(len(pricingFields)) || pricingFields[num].name == "" {
			n = protowire.ConsumeFieldValue(num, typ, b[off:])
			if n < 0 {
				return nil, fmt.Errorf("unknown field %d at byte %d: %w", num, at, protowire.ParseError(n))
			}
			d.unknown = append(d.unknown, int32(num))
			off += n
			continue
		}
		f, v := pricingFields[num], &d.v[num]
		if typ != f.wireType() {
			return nil, fmt.Errorf("field %d (%s) at byte %d has wire type %d, not %d", num, f.name, at, typ, f.wireType())
		}
		if v.set {
			return nil, fmt.Errorf("field %d (%s) appears twice", num, f.name)
		}
		v.set = true
		rest := b[off:]
		switch f.proto {
		case "string":
			var s []byte
			if s, n = protowire.ConsumeBytes(rest); n >= 0 && !utf8.Valid(s) {
				return nil, fmt.Errorf("field %d (%s) is not UTF-8", num, f.name)
			}
			v.s = string(s)
		case "float":
			var u uint32
			u, n = protowire.ConsumeFixed32(rest)
			v.f = float64(math.Float32frombits(u))
		case "double":
			var u uint64
			u, n = protowire.ConsumeFixed64(rest)
			v.f = math.Float64frombits(u)
		case "int32":
			var u uint64
			u, n = protowire.ConsumeVarint(rest)
			v.n = int64(int32(u))
		default: // sint64
			var u uint64
			u, n = protowire.ConsumeVarint(rest)
			v.n = protowire.DecodeZigZag(u)
		}
		if n < 0 {
			return nil, fmt.Errorf("field %d (%s) at byte %d: %w", num, f.name, at, protowire.ParseError(n))
		}
		off += n
	}
	if d.v[1].s == "" {
		return nil, errors.New("pricing message without a symbol")
	}
	return d, nil
}

// tick is what a quote takes from the message.
func (d *pricingData) tick() Tick {
	t := Tick{
		Symbol: d.v[1].s, Price: d.v[2].f,
		Currency: d.v[4].s, Exchange: d.v[5].s, QuoteType: int32(d.v[6].n), MarketHours: int32(d.v[7].n),
		ChangePercent: d.v[8].f, DayVolume: d.v[9].n, Change: d.v[12].f, Name: d.v[13].s,
		PriceHint: d.v[27].n, Unknown: d.unknown,
	}
	if d.v[3].set {
		t.Time = time.UnixMilli(d.v[3].n).UTC()
	}
	if v := d.v[16]; v.set {
		t.PreviousClose = &v.f
	}
	if v := d.v[33]; v.set {
		t.MarketCap = &v.f
	}
	return t
}
