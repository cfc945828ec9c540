package parser

import "math/bits"

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
	scanChunk = 256            // bytes classified per call
	scanAll   = 1 << 30        // blockScan.hi once b is classified to its end
	scanReach = 128            // bytes past a lookup's start that it reads
	scanLimit = scanWords * 64 // bytes from base that the masks describe
)

// scanMasks holds the masks of up to scanLimit bytes; each mask has one
// word more, always zero or classified, so that a lookup in the last word
// may read the next.
type scanMasks struct {
	nonToken [scanWords + 1]uint64
	nonField [scanWords + 1]uint64
	lineFeed [scanWords + 1]uint64
}

// classifyScalar is classifyBlocks a byte at a time: the reference that
// the vector classifier is tested against.
func classifyScalar(m *scanMasks, word int, src []byte) {
	for k := 0; k+64 <= len(src); k += 64 {
		var t, f, l uint64
		for i, c := range src[k : k+64] {
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
		w := word + k/64
		m.nonToken[w], m.nonField[w], m.lineFeed[w] = t, f, l
	}
}

// blockScan holds the masks of b from base on, classified a chunk at a
// time as the walk reaches them, up to scanLimit bytes. The bytes after
// the end of b classify as NUL, which is a CTL and not a tchar, so a
// name or value lookup that starts at or before len(b) always ends by
// len(b).
type blockScan struct {
	b    []byte
	base int
	hi   int // bytes classified from base; scanAll once all of b is
	scanMasks
}

// more classifies chunks until at least need bytes from base are. It
// reports false when need is beyond what the masks describe and b goes
// on past that: the walk must stop and start again from a later base.
func (s *blockScan) more(need int) bool {
	for s.hi < need {
		if s.hi >= scanLimit {
			return false
		}
		start := s.base + s.hi
		if len(s.b)-start >= scanChunk {
			classifyBlocks(&s.scanMasks, s.hi/64, s.b[start:start+scanChunk])
			s.hi += scanChunk
			continue
		}
		// The end of b: pad with NUL.
		var pad [scanChunk]byte
		copy(pad[:], s.b[start:])
		classifyBlocks(&s.scanMasks, s.hi/64, pad[:])
		s.hi = scanAll
	}
	return true
}

// window returns the 64 bits of m (one of s's masks) for the bytes from
// base+r on: the high part of word r/64 joined to the low part of the
// next word, so that a name or value that crosses a block boundary costs
// no branch. Both words must be classified.
func window(m *[scanWords + 1]uint64, r int) uint64 {
	w, sh := uint(r)>>6%scanWords, uint(r)&63
	// <<1<<(63-sh) is <<(64-sh) without a shift by 64, which x86 would
	// take as a shift by 0.
	return m[w]>>sh | m[w+1]<<1<<(63-sh)
}

// far returns the index of the first byte from p+64 on whose bit is set
// in m (one of s's masks), or -1 when the masks end before it: the walk
// calls it when window found none in the 64 bytes from p, p <= len(b).
func (s *blockScan) far(m *[scanWords + 1]uint64, p int) int {
	for {
		p += 64
		r := p - s.base
		if r+scanReach > s.hi && !s.more(r+scanReach) {
			return -1
		}
		if x := window(m, r); x != 0 {
			return p + bits.TrailingZeros64(x)
		}
	}
}

// walkFields parses the field lines at b[i:] that need no rule named: a
// name of tchars, a colon, OWS, field bytes and CRLF (or LF, unless
// bareLF is false), as parseFields would. It stops at the first line that
// is anything else (the empty line, an error, obs-fold, the end of b, one
// field more than cap(hs)) or that ends beyond the 1 KiB it classifies,
// and leaves that line to parseFields.
//
// It returns hs and n with the fields added, the index of the line it
// stopped at, and the raw bounds of the last value it stored (-1 when it
// stored none), for obs-fold. The other arguments are those of
// parseFields; i < len(b).
func walkFields(b []byte, i int, hs []Header, n int, dry, bareLF bool) (_ []Header, _, _, valStart, valEnd int) {
	valStart, valEnd = -1, -1
	s := blockScan{b: b, base: i}
	if !s.more(scanReach) {
		return hs, i, n, valStart, valEnd
	}
	lw, lfs := 0, s.lineFeed[0] // the word of line feeds in use, and its unused bits
	for {
		// The name: up to the first byte that is not a tchar, which must
		// be the colon.
		r := i - s.base
		if r+scanReach > s.hi && !s.more(r+scanReach) {
			break
		}
		x := window(&s.nonToken, r)
		if x&1 != 0 {
			break // not a field line, or an empty name
		}
		j := i + bits.TrailingZeros64(x)
		if x == 0 {
			j = s.far(&s.nonToken, i)
		}
		if j < 0 || j >= len(b) || b[j] != ':' {
			break
		}
		vs := j + 1
		for vs < len(b) && isOWS(b[vs]) {
			vs++
		}
		// The value: up to the first byte that is not a field byte,
		// which must end the line.
		r = vs - s.base
		if r+scanReach > s.hi && !s.more(r+scanReach) {
			break
		}
		x = window(&s.nonField, r)
		e := vs + bits.TrailingZeros64(x)
		if x == 0 {
			if e = s.far(&s.nonField, vs); e < 0 {
				break
			}
		}
		// The line's end: the next line feed.
		for lfs == 0 {
			if lw++; lw >= scanWords || (lw+1)*64 > s.hi && !s.more((lw+1)*64) {
				return hs, i, n, valStart, valEnd
			}
			lfs = s.lineFeed[lw]
		}
		lf := s.base + lw*64 + bits.TrailingZeros64(lfs)
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
			valStart, valEnd = vs, e
		}
		i = lf + 1
	}
	return hs, i, n, valStart, valEnd
}
