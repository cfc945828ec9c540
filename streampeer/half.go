package streampeer

import "math"

// HalfBits converts f to the bits of an IEEE 754 binary16 (half) number
// exactly as Godot 4's Math::make_half_float does, so that Codec.PutHalf
// writes the bytes Godot writes:
//
//   - the mantissa is truncated, not rounded;
//   - magnitudes of 65536 and above become ±infinity (0x7c00, 0xfc00);
//   - NaN becomes 0x7fff (0xffff when the sign bit is set);
//   - magnitudes at or below 2^-15, that is zero of either sign and every
//     number a half could only hold as a subnormal, become +0 (0x0000).
func HalfBits(f float32) uint16 {
	x := math.Float32bits(f)
	sign := uint16(x>>31) << 15
	mantissa := x & (1<<23 - 1)
	exponent := x & (0xff << 23)
	switch {
	case exponent >= 0x47800000:
		if mantissa != 0 && exponent == 0xff<<23 {
			return sign | 0x7c00 | 0x3ff
		}
		return sign | 0x7c00
	case exponent <= 0x38000000:
		return 0
	default:
		return sign | uint16((exponent-0x38000000)>>13) | uint16(mantissa>>13)
	}
}

// HalfFrom converts the bits of an IEEE 754 binary16 number to float32.
// Every half value, subnormals, signed zeros, infinities and NaN payloads
// included, converts exactly (Godot's Math::half_to_float).
func HalfFrom(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h & 0x7c00)
	sig := uint32(h & 0x3ff)
	switch exp {
	case 0:
		if sig == 0 {
			return math.Float32frombits(sign)
		}
		// Subnormal: shift the significand up until its leading one
		// reaches the implicit-bit position, lowering the exponent.
		e := uint32(127 - 14)
		for sig&0x400 == 0 {
			sig <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (sig&0x3ff)<<13)
	case 0x7c00:
		return math.Float32frombits(sign | 0x7f800000 | sig<<13)
	default:
		return math.Float32frombits(sign | (uint32(h&0x7fff)+0x1c000)<<13)
	}
}
