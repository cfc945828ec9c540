package parser

import "encoding/binary"

// Byte classes of RFC 9110 §5.6.2 (tchar) and §5.5 (field-vchar), as
// lookup tables so the hot loops test one byte with one load.

// isToken reports tchar: "!#$%&'*+-.^_`|~", DIGIT, ALPHA.
var isToken = [256]bool{}

// tokenBit is isToken as 0 or 1, so eight lookups combine with AND.
var tokenBit = [256]uint8{}

// isVchar reports VCHAR (0x21–0x7E), the bytes allowed in a request-target.
var isVchar = [256]bool{}

func init() {
	for c := '0'; c <= '9'; c++ {
		isToken[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		isToken[c] = true
		isToken[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		isToken[c] = true
	}
	for c, ok := range isToken {
		if ok {
			tokenBit[c] = 1
		}
	}
	for c := 0x21; c <= 0x7e; c++ {
		isVchar[c] = true
	}
}

// isFieldByte reports a byte allowed inside a field value: HTAB, SP,
// VCHAR and obs-text (RFC 9110 §5.5). Everything else is a CTL or DEL.
func isFieldByte(c byte) bool {
	return c >= 0x20 && c != 0x7f || c == '\t'
}

// lower folds an ASCII letter to lower case; other bytes pass unchanged.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// EqualFold reports whether a and b are equal under ASCII case folding,
// the comparison HTTP uses for field names, tokens, schemes and host
// names (RFC 9110 §5.1). Unlike strings.EqualFold it folds nothing but
// A–Z: "ſ" (U+017F) and "K" (U+212A, Kelvin) are not "s" and "k", so
// "Tranſfer-Encoding" is not Transfer-Encoding. It is the one helper for
// this in the module; the parser's own hot path uses a word-at-a-time
// form of it for a lower-case constant.
func EqualFold[A, B ~string | ~[]byte](a A, b B) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// HasPrefixFold reports whether s begins with prefix under ASCII case
// folding (see EqualFold).
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && EqualFold(s[:len(prefix)], prefix)
}

// equalFold reports whether b equals the lower-case ASCII string s,
// ignoring case in b.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	if len(b) >= 8 {
		return equalFoldWords(b, s)
	}
	for i := 0; i < len(s); i++ {
		if lower(b[i]) != s[i] {
			return false
		}
	}
	return true
}

// equalFoldWords is equalFold for len(b) == len(s) >= 8, eight bytes at a
// time; the last word overlaps the one before it.
func equalFoldWords(b []byte, s string) bool {
	last := len(b) - 8
	for i := 0; i < last; i += 8 {
		if lower8(binary.LittleEndian.Uint64(b[i:])) != stringWord(s, i) {
			return false
		}
	}
	return lower8(binary.LittleEndian.Uint64(b[last:])) == stringWord(s, last)
}

// stringWord returns s[i:i+8] as a little-endian word.
func stringWord(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// lower8 is lower on each byte of x. On the low seven bits of each byte,
// adding 0x80-'A' sets the byte's high bit when it is 'A' or more, and
// adding 0x7f-'Z' when it is more than 'Z'; no carry crosses a byte. A
// byte whose own high bit is set is not a letter.
func lower8(x uint64) uint64 {
	x7 := x & (lsb * 0x7f)
	upper := (x7 + lsb*(0x80-'A')) &^ (x7 + lsb*(0x7f-'Z')) &^ x & msb
	return x | upper>>2 // 0x80>>2 is the case bit, 0x20
}

// isOWS reports SP or HTAB (RFC 9110 §5.6.3).
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// trimOWS removes leading and trailing SP and HTAB.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && isOWS(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isOWS(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
