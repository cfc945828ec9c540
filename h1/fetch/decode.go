package fetch

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"iter"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// AcceptEncoding is the Accept-Encoding a Request sends unless told not to:
// every content coding it decodes.
const AcceptEncoding = "gzip, deflate, br, zstd"

// decodeWindow is how much decoded content one step hands to the sink.
const decodeWindow = 32 << 10

// maxZstdWindow bounds the memory a zstd stream may ask for.
const maxZstdWindow = 8 << 20

// contentDecoder turns a body in a content coding into its content as the
// encoded bytes arrive, without a goroutine of its own running beside the
// caller: the decompressor (which pulls its input) runs as a coroutine
// (iter.Pull) that the caller resumes after each feed; when the fed bytes
// are used up it yields back. Decoded bytes go to sink as they come, so a
// sink that refuses more (a size limit) stops the decoding at once: a
// compression bomb is never decoded past the limit.
type contentDecoder struct {
	coding string
	sink   func([]byte) error
	in     []byte // encoded bytes fed and not yet read
	ended  bool   // the encoded body is complete
	err    error
	done   bool // the decoded stream ended
	next   func() (struct{}, bool)
	stop   func()
}

// newContentDecoder returns a decoder for a Content-Encoding value, or nil
// for identity (or no coding). An unknown coding is ErrDecompress.
func newContentDecoder(encoding string, sink func([]byte) error) (*contentDecoder, error) {
	coding := strings.ToLower(strings.TrimSpace(encoding))
	switch coding {
	case "", "identity":
		return nil, nil
	case "gzip", "x-gzip", "deflate", "br", "zstd":
	default:
		return nil, &DecodeError{Coding: coding, Err: errors.New("unknown content coding")}
	}
	d := &contentDecoder{coding: coding, sink: sink}
	d.next, d.stop = iter.Pull(d.run)
	return d, nil
}

// DecodeError is a body that does not decode in its content coding; it
// matches ErrDecompress, and errors.As reaches the decoder's error.
type DecodeError struct {
	Coding string // the content coding, in lower case: "gzip", "br", ...
	Err    error  // the decoder's error
}

// Error returns "h1: body does not decode as <coding>: <cause>".
func (e *DecodeError) Error() string {
	return "h1: body does not decode as " + e.Coding + ": " + e.Err.Error()
}

// Unwrap returns ErrDecompress and the decoder's error.
func (e *DecodeError) Unwrap() []error { return []error{ErrDecompress, e.Err} }

// feed hands the decoder more encoded bytes and lets it decode them.
func (d *contentDecoder) feed(p []byte) error {
	if d.err != nil {
		return d.err
	}
	if len(d.in) == 0 {
		d.in = d.in[:0]
	}
	d.in = append(d.in, p...)
	return d.resume()
}

// end tells the decoder that the encoded body is complete and returns
// whether it decoded to a proper end.
func (d *contentDecoder) end() error {
	d.ended = true
	if err := d.resume(); err != nil {
		return err
	}
	if !d.done {
		return &DecodeError{Coding: d.coding, Err: io.ErrUnexpectedEOF}
	}
	return nil
}

// close stops the coroutine, if it still runs.
func (d *contentDecoder) close() { d.stop() }

func (d *contentDecoder) resume() error {
	if !d.done && d.err == nil {
		d.next()
	}
	return d.err
}

// source is what the decompressor reads: the fed bytes, then a yield back
// to the caller for more.
type source struct {
	d     *contentDecoder
	yield func(struct{}) bool
}

var errStopped = errors.New("h1: decoding stopped")

func (s *source) Read(p []byte) (int, error) {
	d := s.d
	for len(d.in) == 0 {
		if d.ended {
			return 0, io.EOF
		}
		if !s.yield(struct{}{}) {
			return 0, errStopped
		}
	}
	n := copy(p, d.in)
	d.in = d.in[n:]
	return n, nil
}

// ReadByte lets flate read without a bufio layer of its own, so it never
// takes bytes beyond the end of its stream.
func (s *source) ReadByte() (byte, error) {
	var b [1]byte
	if _, err := s.Read(b[:]); err != nil {
		return 0, err
	}
	return b[0], nil
}

// run is the coroutine: open the decompressor and move its output to the
// sink until the stream ends or something fails.
func (d *contentDecoder) run(yield func(struct{}) bool) {
	src := &source{d: d, yield: yield}
	r, closeFn, err := openDecompressor(d.coding, src)
	if err != nil {
		if err != errStopped {
			d.err = &DecodeError{Coding: d.coding, Err: err}
		}
		return
	}
	defer closeFn()
	buf := make([]byte, decodeWindow)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if serr := d.sink(buf[:n]); serr != nil {
				d.err = serr
				return
			}
		}
		switch {
		case err == io.EOF:
			d.done = true
			return
		case err == errStopped:
			return
		case err != nil:
			d.err = &DecodeError{Coding: d.coding, Err: err}
			return
		}
	}
}

// openDecompressor opens the reader for a coding. "deflate" is the zlib
// format by RFC 9110 §8.4.1.2, but servers send raw deflate too: the first
// two bytes tell them apart (a zlib header is a multiple of 31 with method
// 8).
func openDecompressor(coding string, src *source) (io.Reader, func(), error) {
	nop := func() {}
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, nop, err
		}
		return zr, func() { zr.Close() }, nil
	case "deflate":
		var head [2]byte
		n, err := io.ReadFull(src, head[:])
		if err != nil && err != io.ErrUnexpectedEOF {
			return nil, nop, err
		}
		pre := io.MultiReader(strings.NewReader(string(head[:n])), src)
		if n == 2 && head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
			zr, err := zlib.NewReader(pre)
			if err != nil {
				return nil, nop, err
			}
			return zr, func() { zr.Close() }, nil
		}
		fr := flate.NewReader(pre)
		return fr, func() { fr.Close() }, nil
	case "br":
		return brotli.NewReader(src), nop, nil
	case "zstd":
		zr, err := zstd.NewReader(src, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, nop, err
		}
		return zr, zr.Close, nil
	}
	return nil, nop, errors.New("unknown content coding")
}
