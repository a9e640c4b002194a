package yahoo

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rotation-dev/rotation/feeds"
	"google.golang.org/protobuf/encoding/protowire"
)

// recordedFrame is one line of testdata/streamer/frames.jsonl: a frame
// captured from Yahoo's streamer and the fields it decodes to (see
// testdata/SOURCES.md).
type recordedFrame struct {
	Frame    string                     `json:"frame"`
	Envelope string                     `json:"envelope"`
	Source   string                     `json:"source"`
	Decoded  map[string]json.RawMessage `json:"decoded"`
}

func recordedFrames(tb testing.TB) []recordedFrame {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "streamer", "frames.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var frames []recordedFrame
	for line := range bytes.Lines(b) {
		var f recordedFrame
		if err := json.Unmarshal(line, &f); err != nil {
			tb.Fatalf("frames.jsonl: %v", err)
		}
		frames = append(frames, f)
	}
	if len(frames) == 0 {
		tb.Fatal("no frames in frames.jsonl")
	}
	return frames
}

// pricingBytes is the PricingData a recorded frame carries.
func pricingBytes(tb testing.TB, f recordedFrame) []byte {
	tb.Helper()
	msg := f.Frame
	if f.Envelope == "v2-json" {
		var env struct{ Message string }
		if err := json.Unmarshal([]byte(f.Frame), &env); err != nil {
			tb.Fatal(err)
		}
		msg = env.Message
	}
	b, err := base64.StdEncoding.DecodeString(msg)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func fieldNumber(name string) protowire.Number {
	for i, f := range pricingFields {
		if f.name == name {
			return protowire.Number(i)
		}
	}
	return 0
}

// value is a decoded field's value, typed by its proto type.
func value(v pricingValue, proto string) any {
	switch proto {
	case "string":
		return v.s
	case "float", "double":
		return v.f
	default:
		return v.n
	}
}

// Every recorded frame decodes to exactly the fields frames.jsonl lists for
// it: each value, nothing more, the unknown fields skipped.
func TestStreamFrameRecorded(t *testing.T) {
	for _, f := range recordedFrames(t) {
		t.Run(f.Source[:strings.IndexByte(f.Source, ' ')], func(t *testing.T) {
			tick, err := DecodeStreamFrame([]byte(f.Frame))
			if err != nil {
				t.Fatalf("%s frame: %v", f.Envelope, err)
			}
			d, err := decodePricing(pricingBytes(t, f))
			if err != nil {
				t.Fatal(err)
			}
			var unknown []int32
			for name, raw := range f.Decoded {
				if n, ok := strings.CutPrefix(name, "field_"); ok {
					num, _ := strconv.Atoi(n)
					unknown = append(unknown, int32(num))
					continue
				}
				num := fieldNumber(name)
				if num == 0 {
					t.Fatalf("%s is not in the field table", name)
				}
				v, field := d.v[num], pricingFields[num]
				if !v.set {
					t.Errorf("%s: absent, want %s", name, raw)
					continue
				}
				got := value(v, field.proto)
				want := reflect.New(reflect.TypeOf(got))
				if err := json.Unmarshal(raw, want.Interface()); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got != want.Elem().Interface() {
					t.Errorf("%s = %v, want %s", name, got, raw)
				}
			}
			for num, v := range d.v {
				if _, listed := f.Decoded[pricingFields[num].name]; v.set && !listed {
					t.Errorf("field %d (%s) decoded but not listed", num, pricingFields[num].name)
				}
			}
			slices.Sort(unknown)
			if !slices.Equal(slices.Sorted(slices.Values(d.unknown)), unknown) || !slices.Equal(tick.Unknown, unknown) {
				t.Errorf("unknown fields %v (tick %v), want %v", d.unknown, tick.Unknown, unknown)
			}

			// The tick carries the same values; absent, they are zero, or nil
			// for the time and the pointers.
			carried := map[string]any{
				"id": tick.Symbol, "price": tick.Price, "currency": tick.Currency, "exchange": tick.Exchange,
				"quote_type": int64(tick.QuoteType), "market_hours": int64(tick.MarketHours), "change_percent": tick.ChangePercent,
				"day_volume": tick.DayVolume, "change": tick.Change, "short_name": tick.Name, "price_hint": tick.PriceHint,
				"time": nil, "previous_close": nil, "market_cap": nil,
			}
			if !tick.Time.IsZero() {
				carried["time"] = tick.Time.UnixMilli()
			}
			if tick.PreviousClose != nil {
				carried["previous_close"] = *tick.PreviousClose
			}
			if tick.MarketCap != nil {
				carried["market_cap"] = *tick.MarketCap
			}
			for num, v := range d.v {
				field := pricingFields[num]
				got, ok := carried[field.name]
				if !ok {
					continue
				}
				want := value(v, field.proto)
				if !v.set && (field.name == "time" || field.name == "previous_close" || field.name == "market_cap") {
					want = nil
				}
				if got != want {
					t.Errorf("tick's %s = %v, want %v", field.name, got, want)
				}
			}
			if tick.Time.Location() != time.UTC {
				t.Errorf("tick time %v is not UTC", tick.Time)
			}
		})
	}
}

// A few recorded values checked by hand, against what the sources say.
func TestStreamFrameKnownValues(t *testing.T) {
	got := map[string]Tick{}
	for _, f := range recordedFrames(t) {
		tick, err := DecodeStreamFrame([]byte(f.Frame))
		if err != nil {
			t.Fatal(err)
		}
		got[tick.Symbol+" "+tick.Time.Format("2006")] = tick
	}
	mu := got["MU 2026"]
	if mu.Price != 1059.7093505859375 || !mu.Time.Equal(time.Unix(1790798877, 0)) || mu.MarketState() != feeds.Post ||
		!slices.Equal(mu.Unknown, []int32{46, 47}) || mu.Change != -5.400634765625 {
		t.Errorf("MU (fields 46/47): %+v", mu)
	}
	if aapl := got["AAPL 2026"]; aapl.MarketHours != 0 || aapl.MarketState() != feeds.Pre || aapl.PriceHint != 2 {
		t.Errorf("AAPL pre-market: %+v", aapl)
	}
	if tsla := got["TSLA 2021"]; tsla.DayVolume != 15605331 || tsla.MarketState() != feeds.Regular || tsla.QuoteType != 8 {
		t.Errorf("TSLA: %+v", tsla)
	}
	if btc := got["BTC-USD 2025"]; btc.Currency != "USD" || btc.MarketCap == nil || btc.PreviousClose != nil {
		t.Errorf("BTC-USD: %+v", btc)
	}
}

// The field table as implemented is pricing-fields.md's, number for number.
func TestStreamFieldTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "streamer", "pricing-fields.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) < 6 {
			continue
		}
		num, err := strconv.Atoi(strings.TrimSpace(cells[1]))
		if err != nil {
			continue
		}
		rows++
		name, proto, wire := strings.TrimSpace(cells[2]), strings.TrimSpace(cells[3]), strings.TrimSpace(cells[4])
		if num >= len(pricingFields) {
			t.Errorf("field %d %s is missing", num, name)
			continue
		}
		f := pricingFields[num]
		if f.name != name || f.proto != proto || strconv.Itoa(int(f.wireType())) != wire {
			t.Errorf("field %d is %s %s (wire %d); the table says %s %s (wire %s)", num, f.name, f.proto, f.wireType(), name, proto, wire)
		}
	}
	if rows != len(pricingFields)-1 {
		t.Errorf("the table has %d fields, the decoder %d", rows, len(pricingFields)-1)
	}
}

func TestStreamMarketState(t *testing.T) {
	for hours, want := range map[int32]feeds.MarketState{0: feeds.Pre, 1: feeds.Regular, 2: feeds.Post, 3: feeds.Post, 4: feeds.Post, -1: feeds.Post, 99: feeds.Post} {
		if got := (Tick{MarketHours: hours}).MarketState(); got != want {
			t.Errorf("market_hours %d: %s, want %s", hours, got, want)
		}
	}
}

// decodeOrFail decodes frame, holding the result to the contract: an error
// and no tick, or a tick with a symbol. Never a panic.
func decodeOrFail(t *testing.T, frame []byte) (Tick, error) {
	t.Helper()
	tick, err := DecodeStreamFrame(frame)
	if err != nil && !reflect.ValueOf(tick).IsZero() {
		t.Fatalf("error %v with a tick %+v", err, tick)
	}
	if err == nil && tick.Symbol == "" {
		t.Fatalf("a tick without a symbol from %q", frame)
	}
	return tick, err
}

func b64(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }

// Cut a recorded message at every byte: inside a field it is an error. At a
// field boundary the prefix is a well-formed message (protobuf has no
// framing), so it decodes exactly when the symbol, the first field, is in it.
func TestStreamFrameTruncated(t *testing.T) {
	for _, f := range recordedFrames(t) {
		raw := pricingBytes(t, f)
		boundary := map[int]bool{}
		for off := 0; off < len(raw); {
			num, _, n := protowire.ConsumeField(raw[off:])
			if n < 0 || off == 0 && num != 1 {
				t.Fatalf("%s: recorded message does not start with its symbol", f.Source)
			}
			off += n
			boundary[off] = true
		}
		for i := range len(raw) {
			tick, err := decodeOrFail(t, b64(raw[:i]))
			if boundary[i] != (err == nil) {
				t.Errorf("%s cut at byte %d of %d (boundary %v): tick %q, err %v", f.Source, i, len(raw), boundary[i], tick.Symbol, err)
			}
		}
		// The frame's text cut anywhere: never a panic, and a cut envelope
		// is never valid JSON.
		for i := range len(f.Frame) {
			_, err := decodeOrFail(t, []byte(f.Frame[:i]))
			if f.Envelope == "v2-json" && err == nil {
				t.Errorf("%s: envelope cut at %d decoded", f.Source, i)
			}
		}
	}
}

// Every known field of a recorded message, its wire type flipped to each
// other one: an error.
func TestStreamFrameWrongWireType(t *testing.T) {
	for _, f := range recordedFrames(t) {
		raw := pricingBytes(t, f)
		for off := 0; off < len(raw); {
			num, typ, n := protowire.ConsumeField(raw[off:])
			if n < 0 {
				t.Fatal(protowire.ParseError(n))
			}
			if int(num) < len(pricingFields) {
				for other := protowire.Type(0); other <= 7; other++ {
					if other == typ {
						continue
					}
					bad := slices.Clone(raw)
					bad[off] = bad[off]&^7 | byte(other) // the type is the tag's low 3 bits
					if tick, err := decodeOrFail(t, b64(bad)); err == nil {
						t.Errorf("%s: field %d as wire type %d decoded: %+v", f.Source, num, other, tick)
					}
				}
			}
			off += n
		}
	}
}

// crafted builds a PricingData message by hand, for the error cases: a
// symbol, then whatever the case appends.
func crafted(tail ...[]byte) []byte {
	b := protowire.AppendTag(nil, 1, protowire.BytesType)
	b = protowire.AppendString(b, "AAPL")
	for _, t := range tail {
		b = append(b, t...)
	}
	return b
}

func tag(num protowire.Number, typ protowire.Type, rest ...byte) []byte {
	return append(protowire.AppendTag(nil, num, typ), rest...)
}

func TestStreamFrameCraftedErrors(t *testing.T) {
	huge := protowire.AppendVarint(nil, 1<<62)
	maxLen := protowire.AppendVarint(nil, math.MaxUint64)
	for name, frame := range map[string][]byte{
		"empty":                    nil,
		"blank":                    []byte(" \n"),
		"not base64":               []byte("!!not*base64!!"),
		"non-canonical base64":     []byte("CgJBQh=="), // CgJBQg== with its pad bits set
		"unpadded base64":          []byte("CgJBQg"),
		"envelope, bad base64":     []byte(`{"type":"pricing","message":"@@@@"}`),
		"envelope, empty message":  []byte(`{"type":"pricing","message":""}`),
		"envelope, no message":     []byte(`{"type":"pricing"}`),
		"envelope, null message":   []byte(`{"type":"pricing","message":null}`),
		"envelope, number message": []byte(`{"type":"pricing","message":5}`),
		"bad JSON":                 []byte(`{"type":"pricing","message":"CgJBQg=="`),
		"JSON array":               []byte(`[]`),
		"JSON null":                []byte(`null`),
		"no symbol":                b64(tag(2, protowire.Fixed32Type, 0, 0, 0x80, 0x3f)),
		"empty symbol":             b64(tag(1, protowire.BytesType, 0)),
		"symbol not UTF-8":         b64(tag(1, protowire.BytesType, 2, 0xff, 0xfe)),
		"symbol twice":             b64(crafted(crafted())),
		"symbol length 2^62":       b64(append(tag(1, protowire.BytesType), huge...)),
		"symbol length 2^64-1":     b64(append(tag(1, protowire.BytesType), maxLen...)),
		"unknown length 2^62":      b64(crafted(tag(99, protowire.BytesType), huge)),
		"varint of 11 bytes":       b64(crafted(tag(3, protowire.VarintType), bytes.Repeat([]byte{0xff}, 11))),
		"price cut short":          b64(crafted(tag(2, protowire.Fixed32Type, 0, 0))),
		"field number 0":           b64(crafted(tag(0, protowire.VarintType), []byte{1})),
		"end group alone":          b64(crafted(tag(50, protowire.EndGroupType))),
		"group never ended":        b64(crafted(tag(50, protowire.StartGroupType), tag(51, protowire.VarintType, 1))),
		"reserved wire type 6":     b64(crafted(tag(50, 6))),
	} {
		t.Run(name, func(t *testing.T) {
			if tick, err := decodeOrFail(t, frame); err == nil {
				t.Errorf("decoded %+v", tick)
			}
		})
	}
	for _, frame := range []string{`{"type":"heartbeat"}`, `{"type":"PRICING","message":"CgJBQg=="}`, `{}`} {
		if _, err := decodeOrFail(t, []byte(frame)); !errors.Is(err, ErrNotPricing) {
			t.Errorf("%s: %v, want ErrNotPricing", frame, err)
		}
	}
}

// Implausible prices decode as sent: judging them is the gate's job.
func TestStreamFrameKeepsImplausiblePrices(t *testing.T) {
	for _, price := range []float32{0, float32(math.NaN()), float32(math.Inf(1)), 3e38, -1} {
		msg := crafted(tag(2, protowire.Fixed32Type), protowire.AppendFixed32(nil, math.Float32bits(price)))
		tick, err := decodeOrFail(t, []byte(`{"type":"pricing","message":"`+string(b64(msg))+`"}`))
		if err != nil {
			t.Fatalf("%v: %v", price, err)
		}
		if got := tick.Price; math.Float64bits(got) != math.Float64bits(float64(price)) {
			t.Errorf("price %v decoded as %v", price, got)
		}
	}
	// Unknown fields of every wire type, groups included, are skipped.
	msg := crafted(tag(46, protowire.Fixed32Type, 1, 2, 3, 4), tag(48, protowire.VarintType, 0x96, 1),
		tag(49, protowire.Fixed64Type, 1, 2, 3, 4, 5, 6, 7, 8), tag(50, protowire.BytesType, 1, 'x'),
		tag(51, protowire.StartGroupType), tag(52, protowire.VarintType, 1), tag(51, protowire.EndGroupType),
		tag(16, protowire.Fixed32Type, 0, 0, 0x80, 0x3f))
	tick, err := decodeOrFail(t, b64(msg))
	if err != nil || tick.PreviousClose == nil || *tick.PreviousClose != 1 || !slices.Equal(tick.Unknown, []int32{46, 48, 49, 50, 51}) {
		t.Errorf("%+v, %v", tick, err)
	}
}

// FuzzStreamFrame: any frame decodes to an error and no tick, or to a tick
// with a symbol; never a panic. Each input is also read as a bare
// PricingData message, so the fuzzer reaches the protobuf without having to
// find base64.
func FuzzStreamFrame(f *testing.F) {
	for _, r := range recordedFrames(f) {
		f.Add([]byte(r.Frame))
		f.Add(pricingBytes(f, r))
	}
	f.Add([]byte(`{"type":"heartbeat"}`))
	f.Fuzz(func(t *testing.T, frame []byte) {
		decodeOrFail(t, frame)
		if d, err := decodePricing(frame); err == nil {
			if tick := d.tick(); tick.Symbol == "" {
				t.Fatalf("a tick without a symbol from %x", frame)
			}
		}
	})
}
