package parser

import (
	"encoding/binary"
	"math/bits"
)

// The block scan finds the ends of field names, values and lines with bit
// masks instead of byte loops. A classifier turns each 64-byte block of
// the head into three words, bit k standing for byte k of the block:
//
//	nonToken: the byte is not a tchar (it ends a field name)
//	nonField: the byte is a CTL other than HTAB, or DEL (it ends a value)
//	lineFeed: the byte is LF (it ends a line)
//
// The end of a name is then the lowest set bit of nonToken at or after
// the name's start, found with a shift and a TrailingZeros64: a field
// line costs a few such lookups and byte checks, and no loop whose trip
// count depends on the data.
//
// The walk takes the start of the next line from the line feeds, clearing
// one bit per line, and only checks that the value found from the name
// ends right there. So the lines do not wait on each other's name and
// value lookups, and the CPU works on several at once.

// nibbleTables classify a byte by its two nibbles, for the vector
// classifier (fields_amd64.s), where one VPSHUFB looks up 32 bytes at
// once. For each class, lo[c&15] & hi[c>>4] is nonzero exactly when c is
// in the class: hi gives each high nibble that holds members of the class
// its own bit, and lo[l] sets the bits of the high nibbles h for which
// h<<4|l is a member. Both classes span at most eight high nibbles.
var nibbleTables struct {
	tokenLo, tokenHi [16]byte // tchar (RFC 9110 §5.6.2)
	ctlLo, ctlHi     [16]byte // not a field byte: CTL but HTAB, and DEL
	low              [16]byte // 0x0f: masks a nibble
	lf               [16]byte // '\n'
}

func init() {
	t := &nibbleTables
	fillNibbles(&t.tokenLo, &t.tokenHi, func(c byte) bool { return isToken[c] })
	fillNibbles(&t.ctlLo, &t.ctlHi, func(c byte) bool { return !isFieldByte(c) })
	for i := range t.low {
		t.low[i] = 0x0f
		t.lf[i] = '\n'
	}
}

// fillNibbles builds the nibble tables of a class (see nibbleTables). It
// panics when the class spans more than eight high nibbles.
func fillNibbles(lo, hi *[16]byte, in func(byte) bool) {
	bit := byte(1)
	for h := range 16 {
		for l := range 16 {
			if !in(byte(h<<4 | l)) {
				continue
			}
			if hi[h] == 0 {
				if bit == 0 {
					panic("parser: byte class spans more than eight high nibbles")
				}
				hi[h] = bit
				bit <<= 1
			}
			lo[l] |= hi[h]
		}
	}
}

const (
	scanWords = 16             // words per mask: the walk sees 1 KiB at a time
	scanLimit = scanWords * 64 // bytes that the masks describe
	scanFirst = 512            // bytes classified by the first call
	scanReach = 128            // bytes past a lookup's start that it may read
	scanAll   = 1 << 30        // blockScan.hi once b is classified to its end
)

// scanMasks holds the masks of up to scanLimit bytes, as little-endian
// words, so that a lookup loads the eight bytes that hold its first bit.
// Each mask has a word more, for the NUL padding after a b that ends on a
// block boundary.
type scanMasks struct {
	nonToken [(scanWords + 1) * 8]byte
	nonField [(scanWords + 1) * 8]byte
	lineFeed [(scanWords + 1) * 8]byte
}

// classifyScalar is classifyBlocks a byte at a time: the reference that
// the vector classifiers are tested against.
func classifyScalar(m *scanMasks, word int, src []byte) {
	for k := 0; k < len(src); k += 64 {
		var t, f, l uint64
		for i := range 64 {
			c := byte(0)
			if k+i < len(src) {
				c = src[k+i]
			}
			if !isToken[c] {
				t |= 1 << i
			}
			if !isFieldByte(c) {
				f |= 1 << i
			}
			if c == '\n' {
				l |= 1 << i
			}
		}
		w := (word + k/64) * 8
		binary.LittleEndian.PutUint64(m.nonToken[w:], t)
		binary.LittleEndian.PutUint64(m.nonField[w:], f)
		binary.LittleEndian.PutUint64(m.lineFeed[w:], l)
	}
}

// blockScan holds the masks of b, classified as the walk reaches them, up
// to scanLimit bytes. The bytes after the end of b classify as NUL, which
// is a CTL and not a tchar, so a name or value lookup that starts at or
// before len(b) always ends by len(b).
type blockScan struct {
	b  []byte
	hi int // bytes classified; scanAll once all of b is
	scanMasks
}

// more classifies b until at least need bytes are, and scanFirst more
// than before when b has them. It reports false when need is beyond what
// the masks describe and b goes on past that: the walk must stop and
// start again from a later line.
func (s *blockScan) more(need int) bool {
	end := min(max(need, s.hi+scanFirst), scanLimit)
	if len(s.b) > end {
		if need > end {
			return false
		}
		end = (end + 63) &^ 63
		classifyBlocks(&s.scanMasks, s.hi/64, s.b[s.hi:end])
		s.hi = end
		return true
	}
	// The rest of b, padded with NUL.
	if s.hi < len(s.b) {
		classifyBlocks(&s.scanMasks, s.hi/64, s.b[s.hi:])
	}
	if len(s.b)%64 == 0 {
		// b ends on a block boundary: the next word is all NUL.
		w := len(s.b) / 8
		binary.LittleEndian.PutUint64(s.nonToken[w:], ^uint64(0))
		binary.LittleEndian.PutUint64(s.nonField[w:], ^uint64(0))
		binary.LittleEndian.PutUint64(s.lineFeed[w:], 0)
	}
	s.hi = scanAll
	return true
}

// window returns the bits of m (one of s's masks) from byte r on: the
// eight bytes of m that hold bit r, shifted so that bit r is bit 0. At
// least its low 57 bits are valid, the rest are zero. The bytes through
// r+63 must be classified, and r < scanLimit.
func window(m *[(scanWords + 1) * 8]byte, r int) uint64 {
	k := uint(r) >> 3 % (scanWords * 8)
	return binary.LittleEndian.Uint64(m[k:k+8]) >> (uint(r) & 7)
}

// far returns the index of the first byte after p whose bit is set in m
// (one of s's masks), or -1 when the masks end before it: the walk calls
// it when window found none in the 57 bytes from p, p <= len(b).
func (s *blockScan) far(m *[(scanWords + 1) * 8]byte, p int) int {
	for {
		p += 56
		if p+scanReach > s.hi && !s.more(p+scanReach) {
			return -1
		}
		if x := window(m, p); x != 0 {
			return p + bits.TrailingZeros64(x)
		}
	}
}

// walkFields parses the field lines at b[i0:] that need no rule named: a
// name of tchars, a colon, OWS, field bytes and CRLF (or LF, when bareLF
// is set), as parseFields would. It stops at the first line that is
// anything else (the empty line, an error, obs-fold, the end of b, one
// field more than cap(hs)) or that ends beyond the 1 KiB it classifies,
// and leaves that line to parseFields.
//
// It returns hs and n with the fields added, the index of the line it
// stopped at, and the raw bounds of the last value it stored (-1 when it
// stored none), for obs-fold. The other arguments are those of
// parseFields; i0 < len(b).
func walkFields(b []byte, i0 int, hs []Header, n int, dry, bareLF bool) (_ []Header, _, _, valStart, valEnd int) {
	valStart, valEnd = -1, -1
	b = b[i0:] // the walk's indexes are from i0; its slices are those of the whole
	s := blockScan{b: b}
	s.more(scanReach)
	// The start of the next line comes from the line feeds: lfs holds
	// those of word lw not yet used.
	lw, lfs := 0, binary.LittleEndian.Uint64(s.lineFeed[:])
	i := 0
	for {
		// The name: up to the first byte that is not a tchar, which must
		// be the colon.
		if i+scanReach > s.hi && !s.more(i+scanReach) {
			break
		}
		x := window(&s.nonToken, i)
		j := i + bits.TrailingZeros64(x)
		if x == 0 {
			j = s.far(&s.nonToken, i)
		}
		if j <= i || j >= len(b) || b[j] != ':' {
			break // not a field line, or an empty name, or too long
		}
		vs := j + 1
		for vs < len(b) && isOWS(b[vs]) {
			vs++
		}
		// The value: up to the first byte that is not a field byte,
		// which must end the line.
		if vs+scanReach > s.hi && !s.more(vs+scanReach) {
			break
		}
		x = window(&s.nonField, vs)
		e := vs + bits.TrailingZeros64(x)
		if x == 0 {
			if e = s.far(&s.nonField, vs); e < 0 {
				break
			}
		}
		// The line's end: the next line feed.
		for lfs == 0 {
			if lw++; lw >= scanWords || (lw+1)*64 > s.hi && !s.more((lw+1)*64) {
				return hs, i0 + i, n, valStart, valEnd
			}
			lfs = binary.LittleEndian.Uint64(s.lineFeed[lw%scanWords*8:])
		}
		lf := lw*64 + bits.TrailingZeros64(lfs)
		lfs &= lfs - 1
		if e >= len(b) || !(lf == e+1 && b[e] == '\r' || lf == e && bareLF) || n == cap(hs) {
			break
		}
		ve := e
		for ve > vs && isOWS(b[ve-1]) {
			ve--
		}
		n++
		if !dry {
			hs = hs[:len(hs)+1]
			f := &hs[len(hs)-1]
			f.Name = b[i:j]
			f.Value = b[vs:ve]
			valStart, valEnd = i0+vs, i0+e
		}
		i = lf + 1
	}
	return hs, i0 + i, n, valStart, valEnd
}
