package yahootest

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// PricingFrame is a synthetic streamer frame of ?version=2, made here for
// tests that need many trades (benchmarks, soaks): the envelope
// {"type":"pricing","message":"<base64 PricingData>"} around the fields a
// trade carries (id 1, price 2, time 3, market_hours 7, previous_close 16).
// The recorded frames in feeds/yahoo/testdata/streamer are the real ones.
func PricingFrame(symbol string, price float32, at time.Time, marketHours int32, previousClose float32) string {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendString(b, symbol)
	b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
	b = protowire.AppendFixed32(b, math.Float32bits(price))
	b = protowire.AppendTag(b, 3, protowire.VarintType)
	b = protowire.AppendVarint(b, protowire.EncodeZigZag(at.UnixMilli()))
	b = protowire.AppendTag(b, 7, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(marketHours))
	if previousClose > 0 {
		b = protowire.AppendTag(b, 16, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(previousClose))
	}
	env, _ := json.Marshal(map[string]string{"type": "pricing", "message": base64.StdEncoding.EncodeToString(b)}) // strings always marshal
	return string(env)
}
