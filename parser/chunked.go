package parser

import (
	"bytes"
	"math"
)

// Limits of the chunked decoder when its fields are zero.
const (
	// DefaultMaxChunkLine bounds a chunk-size line with its extensions.
	DefaultMaxChunkLine = 4 << 10
	// DefaultMaxChunkOverhead bounds the non-data bytes (size lines,
	// extensions, CRLFs, trailers) beyond what the data pays for.
	DefaultMaxChunkOverhead = 16 << 10
)

type chunkState uint8

const (
	chunkSize    chunkState = iota // at the start of a chunk-size line
	chunkData                      // inside chunk data
	chunkDataCR                    // expecting the CR after chunk data
	chunkDataLF                    // expecting the LF after chunk data
	chunkTrailer                   // at the start of the trailer section
	chunkDone                      // the body has ended
)

// ChunkedDecoder decodes the chunked transfer coding (RFC 9112 §7.1)
// incrementally. The zero value is ready to use, with default limits.
//
// Decode consumes a prefix of its input and leaves the rest, which the
// caller presents again, with more bytes after it, on the next call. So
// the decoder can stop at any byte boundary and keeps no copy of the
// input: a chunk-size line or the trailer section is parsed once it is
// whole in the input.
type ChunkedDecoder struct {
	// MaxLineSize bounds one chunk-size line including its extensions.
	// Zero means DefaultMaxChunkLine.
	MaxLineSize int
	// MaxOverhead bounds the framing bytes that the data does not pay
	// for: each chunk may use 16 bytes plus twice its size of framing for
	// free (the rule of Go's net/http), and everything beyond that adds
	// up. Zero means DefaultMaxChunkOverhead.
	MaxOverhead int
	// AllowObsFold accepts obs-fold in trailer fields (see Options).
	AllowObsFold bool

	// Trailers receives the trailer fields once the body ends, kept apart
	// from the head's fields. The decoder resets its length and appends up
	// to its capacity; leave it nil to refuse any trailer field
	// (KindTooManyHeaders). Its fields are views into the input of the
	// call that ended the body: valid until the caller changes or reuses
	// that buffer; copy to retain.
	Trailers []Header

	state  chunkState
	rem    int64    // data bytes left in the current chunk
	excess int64    // overhead not paid for by data
	off    int64    // bytes consumed so far, for error offsets
	tscan  headScan // the trailer section's incremental check
}

// Reset prepares the decoder for a new body, keeping its limits and the
// storage of Trailers.
func (d *ChunkedDecoder) Reset() {
	*d = ChunkedDecoder{MaxLineSize: d.MaxLineSize, MaxOverhead: d.MaxOverhead,
		AllowObsFold: d.AllowObsFold, Trailers: d.Trailers[:0]}
}

// Done reports whether the last chunk and the trailer section have been
// consumed.
func (d *ChunkedDecoder) Done() bool { return d.state == chunkDone }

// Remaining returns the data bytes left in the current chunk: a hint for
// how much to read next.
func (d *ChunkedDecoder) Remaining() int64 { return d.rem }

// Decode decodes chunked bytes from src into dst. It returns how many
// bytes it wrote to dst and how many it consumed from src.
//
// It stops when the body ends (Done reports true; bytes after the body
// are left unconsumed), when dst is full (err is nil), or when src ends
// inside a chunk-size line, a CRLF or the trailer section (err is
// ErrNeedMore: present the unconsumed bytes again with more after them).
// Bad framing returns a *ProtocolError whose Offset counts from the start
// of the chunked body.
//
// dst and src may be the same slice: see DecodeInPlace.
func (d *ChunkedDecoder) Decode(dst, src []byte) (nDst, nSrc int, err error) {
	o, s := 0, 0
	for d.state != chunkDone {
		if d.state != chunkData {
			if s, err = d.framing(src, s); err != nil {
				break
			}
			continue
		}
		n := min(len(src)-s, len(dst)-o)
		if int64(n) >= d.rem {
			n = int(d.rem)
			d.state = chunkDataCR
		}
		if n == 0 { // d.rem > 0: src or dst is used up
			if s == len(src) {
				err = ErrNeedMore
			}
			break
		}
		// One copy per chunk when dst has room for it.
		copy(dst[o:o+n], src[s:s+n])
		o += n
		s += n
		d.rem -= int64(n)
		// The CRLF after the data and a plain size line, without the
		// general framing loop.
		if d.rem == 0 && len(src)-s >= 2 && src[s] == '\r' && src[s+1] == '\n' {
			s += 2
			d.state = chunkSize
			s += d.plainSize(src[s:])
		}
	}
	d.off += int64(s)
	return o, s, err
}

// Next returns the next piece of chunk data as a view into in, without
// copying, and how many bytes of in it consumed: the framing before the
// data and the data itself. data is in[n-len(data):n], valid until the
// caller changes in; copy to retain.
//
// Each call returns the data of at most one chunk. When the body ends,
// data is nil, err is nil and Done reports true (bytes after the body
// are left unconsumed). When in ends before any data, inside a
// chunk-size line, a CRLF or the trailer section, err is ErrNeedMore:
// present in[n:] again with more bytes after it. Errors are as for
// Decode.
func (d *ChunkedDecoder) Next(in []byte) (data []byte, n int, err error) {
	s := 0
	if d.state != chunkData {
		if s, err = d.framing(in, 0); err != nil || d.state == chunkDone {
			d.off += int64(s)
			return nil, s, err
		}
	}
	m := len(in) - s
	if int64(m) >= d.rem {
		m = int(d.rem)
		d.state = chunkDataCR
	}
	if m == 0 {
		d.off += int64(s)
		return nil, s, ErrNeedMore
	}
	data = in[s : s+m : s+m]
	s += m
	d.rem -= int64(m)
	d.off += int64(s)
	return data, s, nil
}

// framing consumes the framing at src[s:] until the decoder is inside
// chunk data or the body has ended, and returns the new offset in src.
func (d *ChunkedDecoder) framing(src []byte, s int) (int, error) {
	for {
		switch d.state {
		case chunkDataCR:
			// Fast path: CRLF, then a plain size line.
			if len(src)-s >= 2 && src[s] == '\r' && src[s+1] == '\n' {
				s += 2
				d.state = chunkSize
				if n := d.plainSize(src[s:]); n > 0 {
					s += n
					return s, nil
				}
				continue
			}
			if s == len(src) {
				return s, ErrNeedMore
			}
			switch src[s] {
			case '\r':
				s++
				d.state = chunkDataLF
			case '\n':
				return s, d.err(KindBareLF, s)
			default:
				return s, d.err(KindChunkDataEnd, s)
			}
		case chunkDataLF:
			if s == len(src) {
				return s, ErrNeedMore
			}
			if src[s] != '\n' {
				return s, d.err(KindBareCR, s-1)
			}
			s++
			d.state = chunkSize
		case chunkSize:
			n, err := d.sizeLine(src[s:], s)
			if err != nil {
				return s, err
			}
			s += n
		case chunkTrailer:
			n, err := d.trailers(src[s:], s)
			if err != nil {
				return s, err
			}
			s += n
			d.state = chunkDone
		default: // chunkData, chunkDone
			return s, nil
		}
	}
}

// plainSize parses, at the start of b, a size line of 1 to 15 hex digits
// with no extensions, a CRLF and a size above zero, which fits the limits.
// It enters the chunk's data and returns the line's length, or returns 0
// and changes nothing, leaving the line to sizeLine.
func (d *ChunkedDecoder) plainSize(b []byte) int {
	var size uint64
	k := 0
	for lim := min(len(b), 15); k < lim; k++ {
		v := hexVal[b[k]]
		if v > 15 {
			break
		}
		size = size<<4 | uint64(v)
	}
	if k == 0 || size == 0 || k+2 > len(b) || b[k] != '\r' || b[k+1] != '\n' || k+2 > d.maxLine() {
		return 0
	}
	excess := d.excess + int64(k+2) + 2
	if size > 1<<40 {
		excess = 0
	} else if excess -= 16 + 2*int64(size); excess < 0 {
		excess = 0
	}
	if excess > d.maxOverhead() {
		return 0
	}
	d.excess = excess
	d.rem = int64(size)
	d.state = chunkData
	return k + 2
}

// DecodeInPlace decodes the chunked bytes at the start of b and moves the
// data they carry to b[:nData]. It returns the data length and the bytes
// consumed; b[nData:nSrc] is garbage afterwards and b[nSrc:] is untouched.
// Results and errors are as for Decode.
func (d *ChunkedDecoder) DecodeInPlace(b []byte) (nData, nSrc int, err error) {
	return d.Decode(b, b)
}

func (d *ChunkedDecoder) err(k Kind, at int) error {
	return &ProtocolError{Kind: k, Offset: d.off + int64(at)}
}

func (d *ChunkedDecoder) maxLine() int {
	if d.MaxLineSize > 0 {
		return d.MaxLineSize
	}
	return DefaultMaxChunkLine
}

func (d *ChunkedDecoder) maxOverhead() int64 {
	if d.MaxOverhead > 0 {
		return int64(d.MaxOverhead)
	}
	return DefaultMaxChunkOverhead
}

// sizeLine parses chunk-size [ chunk-ext ] CRLF at the start of b, where b
// starts at src offset base. It returns the line's length.
func (d *ChunkedDecoder) sizeLine(b []byte, base int) (int, error) {
	max := d.maxLine()
	search := b
	if len(search) > max {
		search = search[:max]
	}
	p := bytes.IndexByte(search, '\n')
	if p < 0 {
		if len(b) >= max {
			return 0, d.err(KindLineTooLong, base+max)
		}
		// Report a bad byte early, before the line is whole.
		if _, k, ok := hexSize(b); !ok {
			return 0, d.err(KindChunkSizeOverflow, base+k)
		}
		if k := badSizePrefix(b); k >= 0 {
			return 0, d.err(KindChunkSize, base+k)
		}
		return 0, ErrNeedMore
	}
	size, k, ok := hexSize(b[:p])
	if !ok {
		return 0, d.err(KindChunkSizeOverflow, base+k)
	}
	if k == 0 {
		switch {
		case b[0] == '\r' && p > 1:
			return 0, d.err(KindBareCR, base)
		case b[0] == '\n':
			return 0, d.err(KindBareLF, base)
		}
		return 0, d.err(KindChunkSize, base)
	}
	line, crlf := b[:p], false
	if p > 0 && b[p-1] == '\r' {
		line, crlf = b[:p-1], true
	}
	if bad, kind := checkExtensions(line, k); bad >= 0 {
		return 0, d.err(kind, base+bad)
	}
	if !crlf {
		return 0, d.err(KindBareLF, base+p)
	}
	// Overhead: the line and the CRLF after the data, less what the data
	// pays for.
	d.excess += int64(p+1) + 2
	if size > 1<<40 {
		d.excess = 0
	} else if d.excess -= 16 + 2*int64(size); d.excess < 0 {
		d.excess = 0
	}
	if d.excess > d.maxOverhead() {
		return 0, d.err(KindChunkOverhead, base)
	}
	if size == 0 {
		d.state = chunkTrailer
	} else {
		d.rem = int64(size)
		d.state = chunkData
	}
	return p + 1, nil
}

// hexSize parses chunk-size = 1*HEXDIG at the start of b. It returns the
// value and the index after the digits, or false and the index of the digit
// that overflows int64.
func hexSize(b []byte) (size uint64, k int, ok bool) {
	for ; k < len(b); k++ {
		v := unhex(b[k])
		if v > 15 {
			break
		}
		if size > math.MaxInt64>>4 {
			return 0, k, false
		}
		size = size<<4 | uint64(v)
	}
	return size, k, true
}

// badSizePrefix returns the index of the first byte of an incomplete
// chunk-size line that can already be seen to be wrong, or -1.
func badSizePrefix(b []byte) int {
	k := 0
	for k < len(b) && unhex(b[k]) <= 15 {
		k++
	}
	if k == len(b) {
		return -1
	}
	if k == 0 {
		if b[0] == '\r' {
			return -1 // may be the start of a bare CR error or CRLF: wait
		}
		return 0
	}
	switch c := b[k]; {
	case c == ';' || c == ' ' || c == '\t' || c == '\r':
		return -1
	}
	return k
}

// checkExtensions checks chunk-ext = *( BWS ";" BWS chunk-ext-name
// [ BWS "=" BWS chunk-ext-val ] ) in line[k:], where line excludes the
// final CRLF (RFC 9112 §7.1.1). It returns -1, or the offset and kind of
// the first bad byte.
func checkExtensions(line []byte, k int) (int, Kind) {
	kind := KindChunkSize // a bad byte right after the size belongs to it
	for k < len(line) {
		k = skipOWS(line, k)
		if k >= len(line) || line[k] != ';' {
			return badChunkByte(line, k, kind)
		}
		kind = KindChunkExtension
		k = skipOWS(line, k+1)
		s := k
		for k < len(line) && isToken[line[k]] {
			k++
		}
		if k == s {
			return badChunkByte(line, k, kind)
		}
		if j := skipOWS(line, k); j < len(line) && line[j] == '=' {
			e, ok := skipTokenOrQuoted(line, skipOWS(line, j+1))
			if !ok {
				return badChunkByte(line, e, kind)
			}
			k = e
		}
	}
	return -1, KindNone
}

// badChunkByte names the error for the bad byte at line[k]: a CR is a bare
// CR; anything else, or the end of the line, is an error of kind.
func badChunkByte(line []byte, k int, kind Kind) (int, Kind) {
	if k < len(line) && line[k] == '\r' {
		return k, KindBareCR
	}
	return k, kind
}

// skipOWS returns the index of the first byte at or after i in b that is
// not SP or HTAB.
func skipOWS(b []byte, i int) int {
	for i < len(b) && isOWS(b[i]) {
		i++
	}
	return i
}

// hexVal maps a hex digit to its value and every other byte to 255.
var hexVal = func() (t [256]byte) {
	for c := range t {
		t[c] = unhex(byte(c))
	}
	return t
}()

// unhex returns the value of a hex digit, or 255.
func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 255
}

// trailers parses trailer-section CRLF (RFC 9112 §7.1.2) at the start of b,
// where b starts at src offset base, and returns its length. The section
// must fit in what is left of the overhead budget.
func (d *ChunkedDecoder) trailers(b []byte, base int) (int, error) {
	budget := d.maxOverhead() - d.excess
	if budget < 0 {
		budget = 0
	}
	b, over := cut(b, int(min(budget, int64(len(b))+1)))
	opts := Options{AllowObsFold: d.AllowObsFold, RejectBareLF: true}
	if err := d.tscan.check(b, over, d.Trailers, &opts, 0); err != nil {
		return 0, d.trailerErr(err, base)
	}
	hs, n, nf, err := parseFields(b, 0, d.Trailers[:0], 0, false, &opts)
	d.Trailers = hs
	if err == ErrNeedMore {
		d.tscan.resume, d.tscan.fields = n, nf
		if n == 0 {
			d.tscan.resume = 0
		}
		err = d.tscan.needMore(over, 0)
	} else {
		d.tscan.resume = 0
	}
	if err != nil {
		return 0, d.trailerErr(err, base)
	}
	d.excess += int64(n)
	return n, nil
}

// trailerErr turns an error from the field parser into the decoder's: a
// limit error becomes KindChunkOverhead, other violations KindTrailer
// (bare CR, bare LF and too many fields keep their kind), and offsets count
// from the start of the body.
func (d *ChunkedDecoder) trailerErr(err error, base int) error {
	pe, ok := err.(*ProtocolError)
	if !ok {
		return err
	}
	switch pe.Kind {
	case KindHeadTooLarge:
		return d.err(KindChunkOverhead, base)
	case KindBareCR, KindBareLF, KindTooManyHeaders:
	default:
		pe.Kind = KindTrailer
	}
	pe.Offset += d.off + int64(base)
	return pe
}
