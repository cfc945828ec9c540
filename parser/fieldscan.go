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
	b = b[i0:] // the walk's indexes are from i0; its slices are those of the whole
	s := blockScan{b: b}
	s.more()
	stored := len(hs)
	// The start of the next line comes from the line feeds: lfs holds
	// those of word lw not yet used.
	lw, lfs := 0, binary.LittleEndian.Uint64(s.lineFeed[:])
	i := 0
	// The line loop makes no calls, so that the compiler keeps its state
	// in registers: when a lookup would read past the classified bytes,
	// it breaks out to classify more and starts the line again; at a line
	// it does not take, it jumps to done.
	for {
		limit := s.hi - scanReach // the last start of a lookup
	line:
		for i <= limit {
			// The name: up to the first byte that is not a tchar, which
			// must be the colon.
			x, p := window(&s.nonToken, i), i
			for x == 0 {
				if p += 56; p > limit {
					break line
				}
				x = window(&s.nonToken, p)
			}
			j := p + bits.TrailingZeros64(x)
			if j == i || j >= len(b) || b[j] != ':' {
				goto done
			}
			vs := j + 1
			for vs < len(b) && isOWS(b[vs]) {
				vs++
			}
			// The value: up to the first byte that is not a field byte,
			// which must end the line.
			if vs > limit {
				break
			}
			x, p = window(&s.nonField, vs), vs
			for x == 0 {
				if p += 56; p > limit {
					break line
				}
				x = window(&s.nonField, p)
			}
			e := p + bits.TrailingZeros64(x)
			// The line's end: the next line feed.
			for lfs == 0 {
				if lw+1 >= scanWords || (lw+2)*64 > s.hi {
					break line
				}
				lw++
				lfs = binary.LittleEndian.Uint64(s.lineFeed[lw*8:])
			}
			lf := lw*64 + bits.TrailingZeros64(lfs)
			if e >= len(b) || !(lf == e+1 && b[e] == '\r' || lf == e && bareLF) || n == cap(hs) {
				goto done
			}
			lfs &= lfs - 1
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
			}
			i = lf + 1
		}
		if !s.more() {
			break
		}
	}
done:
	// The raw bounds of the last value: it was trimmed of OWS up to the
	// line's end.
	valStart, valEnd = -1, -1
	if len(hs) > stored {
		v := hs[len(hs)-1].Value
		valStart = cap(b) - cap(v)
		valEnd = valStart + len(v)
		for isOWS(b[valEnd]) {
			valEnd++
		}
		valStart, valEnd = i0+valStart, i0+valEnd
	}
	return hs, i0 + i, n, valStart, valEnd
}
