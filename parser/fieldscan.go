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

// nibbleTable classifies a byte by its two nibbles, for the vector
// classifiers (fields_amd64.s), where one VPSHUFB looks up 32 or 64 bytes
// at once. For each class, lo[c&15] & hi[c>>4] is nonzero exactly when c
// is in the class: hi gives each high nibble that holds members of the
// class its own bit, and lo[l] sets the bits of the high nibbles h for
// which h<<4|l is a member. Both classes span at most eight high nibbles.
type nibbleTable struct {
	tokenLo, tokenHi [16]byte // tchar (RFC 9110 §5.6.2)
	ctlLo, ctlHi     [16]byte // not a field byte: CTL but HTAB, and DEL
	low              [16]byte // 0x0f: masks a nibble
	lf               [16]byte // '\n'
}

var nibbleTables nibbleTable

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
	scanReach = 64             // bytes from a lookup's start that it may read
	scanAll   = 1 << 30        // blockScan.hi once b is classified to its end
	scanMin   = 256            // fewer bytes of fields than this go to the loops
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
// before len(b) always ends by len(b); they hold no line feed.
type blockScan struct {
	b  []byte
	hi int // bytes classified; scanAll once all of b is
	scanMasks
}

// more classifies scanFirst more bytes of b, or the rest of b if that is
// all there is and shorter than scanLimit (so that no lookup starts at
// scanLimit). It reports false when the masks are full, or b is all
// classified: the walk must stop, and start again from a later line.
func (s *blockScan) more() bool {
	if s.hi >= scanLimit {
		return false
	}
	end := min(s.hi+scanFirst, scanLimit)
	if len(s.b) > end || len(s.b) == scanLimit {
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

// fieldCursor finds, for the field-line code of parseFields, where a
// name or a value ends: the first byte at or after a given index that is
// not a tchar, or not a field byte. It only moves over bytes the masks
// proved to be of the class; every rule of a field line (the colon, the
// OWS, the line's end, the count) is checked by parseFields itself. With
// the block scan off, or past what the masks hold, the eight-byte loops
// answer.
type fieldCursor struct {
	on   bool // the block scan is in use
	base int  // the index in b of the masks' byte 0
	lim  int  // the last mask index a lookup may start at inline; -1: none
	s    blockScan
}

// name returns the index of the first byte at or after i that is not a
// tchar, or len(b). (parseFields does the first lookup of the masks
// inline, and calls name for the rest.)
func (c *fieldCursor) name(b []byte, i int) int {
	if c.on {
		if p, ok := c.find(&c.s.nonToken, b, i); ok {
			return p
		}
		return scanName(b, i)
	}
	return scanName(b, i)
}

// value returns the index of the first byte at or after i that may not
// be inside a field value (with the block scan: a CTL other than HTAB, or
// DEL; with the loops: any CTL or DEL, so that a tab takes the exact path
// of parseFields), or len(b).
func (c *fieldCursor) value(b []byte, i int) int {
	if c.on {
		if p, ok := c.find(&c.s.nonField, b, i); ok {
			return p
		}
		return scanValue(b, i)
	}
	return scanCTL(b, i)
}

// find returns the index in b of the first set bit of m at or after i.
// It classifies more of b as the lookups reach it, and starts the masks
// again at i once i is past what they can hold. When a lookup runs past
// the classified bytes it reports false, and the caller's loop takes over
// from i.
func (c *fieldCursor) find(m *[(scanWords + 1) * 8]byte, b []byte, i int) (int, bool) {
	r := i - c.base
	if r < 0 || r > scanLimit-scanReach || c.s.b == nil {
		// Classify what the masks can hold at once: a head's fields
		// usually fit, and each call of the classifier costs its setup.
		c.base, r = i, 0
		c.s = blockScan{b: b[i:]}
		for c.s.hi < min(len(c.s.b), scanLimit) && c.s.more() {
		}
		c.limit()
	}
	for r > c.lim {
		if !c.s.more() {
			return 0, false
		}
		c.limit()
	}
	x, p := window(m, r), r
	for x == 0 {
		p += 56
		for p > c.lim {
			if !c.s.more() {
				return 0, false
			}
			c.limit()
		}
		x = window(m, p)
	}
	return c.base + p + bits.TrailingZeros64(x), true
}

// limit sets lim from what the masks hold.
func (c *fieldCursor) limit() {
	c.lim = min(c.s.hi, scanLimit) - scanReach
}
