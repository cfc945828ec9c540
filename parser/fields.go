package parser

import (
	"encoding/binary"
	"math/bits"
)

// Header is one field line of a head or trailer section.
//
// Name and Value are views into the buffer that was parsed: they are valid
// until the caller changes or reuses that buffer; copy to retain. Value has
// its leading and trailing whitespace removed (RFC 9112 §5.1).
type Header struct {
	Name  []byte
	Value []byte
}

// Options are the parser's leniency switches and limits. The zero value is
// strict and uses the default limits.
type Options struct {
	// MaxHeadSize bounds the head, from its first byte to the end of the
	// empty line that closes it. Zero means DefaultMaxHeadSize.
	MaxHeadSize int

	// AllowObsFold accepts obs-fold (a field line continued on the next
	// line that starts with SP or HTAB, RFC 9112 §5.2) and replaces each
	// fold with SP bytes in place, in the caller's buffer. Off by default:
	// a fold is a KindObsFold error.
	AllowObsFold bool

	// RejectBareLF refuses a head line that ends in LF without CR. By
	// default such lines are accepted, as RFC 9112 §2.2 permits. Bare LF
	// inside chunk framing is always an error.
	RejectBareLF bool
}

// DefaultMaxHeadSize is the head size limit used when Options.MaxHeadSize
// is zero: 100 KiB, curl's limit for a whole response head, so that
// what real servers send (a hundred Set-Cookie fields, one 80 KiB field)
// fits.
const DefaultMaxHeadSize = 100 << 10

func (o *Options) maxHead() int {
	if o.MaxHeadSize > 0 {
		return o.MaxHeadSize
	}
	return DefaultMaxHeadSize
}

// Masks for testing eight bytes at a time.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// scanValue returns the index of the first byte at or after j that may not
// appear inside a field value: a CTL other than HTAB, or DEL. It returns
// len(b) when there is none.
//
// It tests eight bytes per step: in x - 0x20 (per byte) &^ x, the high bit
// of a byte is set when that byte is below 0x20, and the lowest such bit
// is exact (borrows only spill upward), so TrailingZeros64 finds the first
// offending byte without a byte loop. DEL is found the same way after XOR
// with 0x7f.
func scanValue(b []byte, j int) int {
	for {
		for j+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[j:])
			y := x ^ (lsb * 0x7f)
			if m := ((x-lsb*0x20)&^x | (y-lsb)&^y) & msb; m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				goto found
			}
			j += 8
		}
		for j < len(b) {
			if c := b[j]; c < 0x20 || c == 0x7f {
				break
			}
			j++
		}
	found:
		if j < len(b) && b[j] == '\t' {
			j++
			continue
		}
		return j
	}
}

// scanCTL returns the index of the first CTL (HTAB included) or DEL at or
// after j, or len(b).
func scanCTL(b []byte, j int) int {
	for j+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[j:])
		y := x ^ (lsb * 0x7f)
		if m := ((x-lsb*0x20)&^x | (y-lsb)&^y) & msb; m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
		j += 8
	}
	for j < len(b) {
		if c := b[j]; c < 0x20 || c == 0x7f {
			return j
		}
		j++
	}
	return j
}

// scanName returns the index of the first byte at or after j that is not a
// tchar, or len(b). It classifies eight bytes per step: letters, digits and
// '-' (nearly every byte of a real field name) are found with per-byte exact
// range tests, and only another byte goes to the lookup table.
func scanName(b []byte, j int) int {
	const (
		low7 = lsb * 0x7f
	)
	for j+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[j:])
		x7 := x & low7
		lc := x7 | lsb*0x20
		// (v + (0x80-lo)) has its high bit set when v >= lo, and
		// (v + (0x7f-hi)) when v > hi; v < 0x80, so no carry crosses bytes.
		letter := (lc + lsb*(0x80-'a')) &^ (lc + lsb*(0x7f-'z'))
		digit := (x7 + lsb*(0x80-'0')) &^ (x7 + lsb*(0x7f-'9'))
		d := x7 ^ lsb*'-'
		dash := ^((d + low7) | d)
		bad := ^(letter | digit | dash) & msb
		bad |= x & msb
		if bad == 0 {
			j += 8
			continue
		}
		j += bits.TrailingZeros64(bad) >> 3
		if !isToken[b[j]] {
			return j
		}
		j++
	}
	for j < len(b) && isToken[b[j]] {
		j++
	}
	return j
}

// scanColon returns the index of the first ':' at or after j, or len(b).
func scanColon(b []byte, j int) int {
	for j+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[j:]) ^ (lsb * ':')
		if m := (x - lsb) &^ x & msb; m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
		j += 8
	}
	for j < len(b) && b[j] != ':' {
		j++
	}
	return j
}

// allToken reports whether every byte of s is a tchar. It looks up eight
// bytes per step and ANDs the answers, branching once per step.
func allToken(s []byte) bool {
	acc := uint8(1)
	for len(s) >= 8 {
		acc &= tokenBit[s[0]] & tokenBit[s[1]] & tokenBit[s[2]] & tokenBit[s[3]] &
			tokenBit[s[4]] & tokenBit[s[5]] & tokenBit[s[6]] & tokenBit[s[7]]
		s = s[8:]
	}
	for _, c := range s {
		acc &= tokenBit[c]
	}
	return acc != 0
}

// scanToken returns the index of the first byte at or after j that is not
// a tchar, or len(b).
func scanToken(b []byte, j int) int {
	for j < len(b) && isToken[b[j]] {
		j++
	}
	return j
}

// lineEnd checks the line terminator at b[j] and returns the index just
// past it. It returns ErrNeedMore when the terminator is not all there.
func lineEnd(b []byte, j int, o *Options, bad Kind) (int, error) {
	if j >= len(b) {
		return 0, ErrNeedMore
	}
	switch b[j] {
	case '\r':
		if j+1 >= len(b) {
			return 0, ErrNeedMore
		}
		if b[j+1] == '\n' {
			return j + 2, nil
		}
		return 0, perr(KindBareCR, j)
	case '\n':
		if o.RejectBareLF {
			return 0, perr(KindBareLF, j)
		}
		return j + 1, nil
	}
	return 0, perr(bad, j)
}

// parseFields parses field lines from b[i] through the empty line that
// ends the section (RFC 9112 §5). It appends to hs up to its capacity and
// returns the index just past the empty line. On ErrNeedMore the returned
// index is the start of the line that was incomplete.
//
// n counts the fields before b[i] (their number limits the fields to
// cap(hs)); the count after the section is returned. With dry set, fields
// are checked and counted but not stored, and obs-fold leaves b alone: a
// dry run validates lines as they arrive, before the one full parse.
func parseFields(b []byte, i int, hs []Header, n int, dry bool, o *Options) ([]Header, int, int, error) {
	valStart, valEnd := -1, -1 // raw value bounds of the last field, for obs-fold
	for {
		if useBlockScan && i < len(b) && isToken[b[i]] {
			// The block scan takes the plain field lines; this loop
			// takes the line it stops at, and names the rule it breaks.
			var vs, ve int
			if hs, i, n, vs, ve = walkFields(b, i, hs, n, dry, !o.RejectBareLF); vs >= 0 {
				valStart, valEnd = vs, ve
			}
		}
		if i >= len(b) {
			return hs, i, n, ErrNeedMore
		}
		lineStart := i
		switch c := b[i]; {
		case c == '\r' || c == '\n':
			end, err := lineEnd(b, i, o, KindHeaderName)
			if err == ErrNeedMore {
				return hs, lineStart, n, err
			}
			return hs, end, n, err
		case c == ' ' || c == '\t':
			if n == 0 {
				return hs, i, n, perr(KindLeadingWhitespace, i)
			}
			if !o.AllowObsFold {
				return hs, i, n, perr(KindObsFold, i)
			}
			j := scanValue(b, i)
			next, err := lineEnd(b, j, o, KindHeaderValue)
			if err != nil {
				if err == ErrNeedMore {
					return hs, lineStart, n, err
				}
				return hs, i, n, err
			}
			// RFC 9112 §5.2: replace the fold (the previous line's end and
			// this line's leading whitespace) with SP.
			if !dry && valStart >= 0 {
				for k := valEnd; k < j && (k < i || isOWS(b[k])); k++ {
					b[k] = ' '
				}
				valEnd = j
				hs[len(hs)-1].Value = trimOWS(b[valStart:valEnd])
			}
			i = next
			continue
		}

		// Fast path: a clean "name: value CRLF" line, found with one
		// pass of eight-byte steps for the colon and one for the end of
		// the value. Anything else (an error, a tab, more OWS, the end of
		// the input) takes the exact path below, which names the rule.
		if j := scanName(b, i); j > i && j < len(b) && b[j] == ':' {
			vs := j + 1
			if vs < len(b) && b[vs] == ' ' {
				vs++
			}
			if e := scanCTL(b, vs); e+1 < len(b) && b[e] == '\r' && b[e+1] == '\n' && (vs == e || !isOWS(b[vs])) {
				ve := e
				for ve > vs && b[ve-1] == ' ' {
					ve--
				}
				if n == cap(hs) {
					return hs, i, n, perr(KindTooManyHeaders, i)
				}
				n++
				if !dry {
					hs = hs[:len(hs)+1]
					f := &hs[len(hs)-1]
					f.Name = b[i:j]
					f.Value = b[vs:ve]
					valStart, valEnd = vs, e
				}
				i = e + 2
				continue
			}
		}

		j := scanColon(b, i)
		if j == i || j >= len(b) || !allToken(b[i:j]) {
			// Find the first byte that is not a tchar and say why.
			j = scanToken(b, i)
			if j >= len(b) {
				return hs, lineStart, n, ErrNeedMore
			}
			if b[j] != ':' {
				if isOWS(b[j]) && j > i {
					// Whitespace then a colon is the RFC 9112 §5.1 case;
					// whitespace inside a name is just a bad name.
					k := skipOWS(b, j)
					if k >= len(b) {
						return hs, lineStart, n, ErrNeedMore
					}
					if b[k] == ':' {
						return hs, i, n, perr(KindSpaceBeforeColon, j)
					}
				}
				if b[j] == '\r' || b[j] == '\n' {
					// A line with no colon at all.
					if _, err := lineEnd(b, j, o, KindHeaderName); err == ErrNeedMore {
						return hs, lineStart, n, err
					}
				}
			}
			return hs, i, n, perr(KindHeaderName, j)
		}
		name := b[i:j]
		j++
		for j < len(b) && isOWS(b[j]) {
			j++
		}
		vs := j
		j = scanValue(b, j)
		var next int
		if j+1 < len(b) && b[j] == '\r' && b[j+1] == '\n' {
			next = j + 2
		} else {
			var err error
			if next, err = lineEnd(b, j, o, KindHeaderValue); err != nil {
				if err == ErrNeedMore {
					return hs, lineStart, n, err
				}
				return hs, i, n, err
			}
		}
		if n == cap(hs) {
			return hs, i, n, perr(KindTooManyHeaders, i)
		}
		n++
		ve := j
		for ve > vs && isOWS(b[ve-1]) {
			ve--
		}
		// Fill the slot field by field: building a Header value first
		// costs a store-forwarding stall per field line.
		if !dry {
			hs = hs[:len(hs)+1]
			f := &hs[len(hs)-1]
			f.Name = name
			f.Value = b[vs:ve]
			valStart, valEnd = vs, j
		}
		i = next
	}
}
