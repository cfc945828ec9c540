package streampeer

import (
	"math"
	"testing"
)

func TestHalfBits(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   float32
		want uint16
	}{
		{"zero", 0, 0x0000},
		{"negative zero (flushed, as Godot does)", float32(math.Copysign(0, -1)), 0x0000},
		{"one", 1, 0x3c00},
		{"minus two", -2, 0xc000},
		{"third (truncated)", 1.0 / 3, 0x3555},
		{"truncated, not rounded", 1.000732421875, 0x3c00},
		{"largest half", 65504, 0x7bff},
		{"between largest and 2^16 (truncated)", 65520, 0x7bff},
		{"2^16 overflows", 65536, 0x7c00},
		{"large overflows", 1e10, 0x7c00},
		{"negative overflow", -1e10, 0xfc00},
		{"+inf", float32(math.Inf(1)), 0x7c00},
		{"-inf", float32(math.Inf(-1)), 0xfc00},
		{"NaN", float32(math.NaN()), 0x7fff},
		{"-NaN", math.Float32frombits(0xffc00000), 0xffff},
		{"smallest normal 2^-14", 6.103515625e-05, 0x0400},
		{"subnormal 2^-15 (flushed)", 3.0517578125e-05, 0x0000},
		{"smallest subnormal 2^-24 (flushed)", 5.9604644775390625e-08, 0x0000},
		{"negative subnormal (flushed)", -3.0517578125e-05, 0x0000},
	} {
		if got := HalfBits(tc.in); got != tc.want {
			t.Errorf("%s: HalfBits(%g) = %#04x; want %#04x", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestHalfFrom(t *testing.T) {
	for _, tc := range []struct {
		in   uint16
		want float32 // compared bit for bit
	}{
		{0x0000, 0},
		{0x8000, float32(math.Copysign(0, -1))},
		{0x3c00, 1},
		{0xc000, -2},
		{0x3555, 0.333251953125},
		{0x7bff, 65504},
		{0x0400, 6.103515625e-05},
		{0x0001, 5.9604644775390625e-08}, // smallest subnormal
		{0x03ff, 6.097555160522461e-05},  // largest subnormal
		{0x8001, -5.9604644775390625e-08},
		{0x7c00, float32(math.Inf(1))},
		{0xfc00, float32(math.Inf(-1))},
		{0x7e00, math.Float32frombits(0x7fc00000)}, // quiet NaN keeps its payload
		{0x7fff, math.Float32frombits(0x7fffe000)},
	} {
		if got := HalfFrom(tc.in); math.Float32bits(got) != math.Float32bits(tc.want) {
			t.Errorf("HalfFrom(%#04x) = %g (%#08x); want %g (%#08x)", tc.in, got, math.Float32bits(got), tc.want, math.Float32bits(tc.want))
		}
	}
}

// TestHalfRoundTrip: every half that HalfBits can produce (everything but
// subnormals and -0) comes back unchanged through HalfFrom.
func TestHalfRoundTrip(t *testing.T) {
	for h := 0; h <= 0xffff; h++ {
		e := h & 0x7c00
		if e == 0 && h != 0 {
			continue
		}
		if e == 0x7c00 && h&0x3ff != 0 {
			continue // NaNs come back as 0x7fff or 0xffff
		}
		if got := HalfBits(HalfFrom(uint16(h))); got != uint16(h) {
			t.Fatalf("HalfBits(HalfFrom(%#04x)) = %#04x", h, got)
		}
	}
}
