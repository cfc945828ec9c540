package parser

// Checks of whole elements that the request writer runs before writing a
// byte. Each tests eight bytes per step with per-byte exact arithmetic (no
// carry or borrow crosses a byte, because every sum is taken on the low
// seven bits) and branches once per step.

const low7 = lsb * 0x7f

// load8 reads eight bytes at s[i:] as a little-endian word; the compiler
// turns the shifts into one load.
func load8[T string | []byte](s T, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// eqMask marks (high bit) each byte of x equal to c.
func eqMask(x uint64, c byte) uint64 {
	d := x ^ (lsb * uint64(c))
	return ^((d&low7 + low7) | d) & msb
}

// belowMask marks each byte of x below c (c <= 0x80), counting bytes with
// the high bit set as not below.
func belowMask(x uint64, c byte) uint64 {
	return ^((x&low7 + lsb*uint64(0x80-c)) | x) & msb
}

// valueBadMask marks the bytes a field value may not hold: a CTL other
// than HTAB, or DEL (RFC 9110 §5.5).
func valueBadMask(x uint64) uint64 {
	return belowMask(x, 0x20)&^eqMask(x, '\t') | eqMask(x, 0x7f)
}

// targetBadMask marks the bytes a request-target may not hold: anything
// but VCHAR, and '#' (RFC 9112 §3.2).
func targetBadMask(x uint64) uint64 {
	return belowMask(x, 0x21) | x&msb | eqMask(x, 0x7f) | eqMask(x, '#')
}

// vcharBadMask marks the bytes that are not VCHAR.
func vcharBadMask(x uint64) uint64 {
	return belowMask(x, 0x21) | x&msb | eqMask(x, 0x7f)
}

// checkBytes reports whether no byte of s is marked by bad, which must
// agree with the per-byte table for the tail.
func checkBytes[T string | []byte](s T, bad func(uint64) uint64, table *[256]uint8) bool {
	var m uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		m |= bad(load8(s, i))
	}
	var t uint8
	for ; i < len(s); i++ {
		t |= table[s[i]]
	}
	return m == 0 && t == 0
}
