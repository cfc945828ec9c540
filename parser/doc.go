// Package parser reads and writes the bytes of HTTP/1.1 (RFC 9112): it
// parses response and request heads, decodes the chunked transfer coding
// and writes request heads. It does no I/O, starts no goroutines and does
// not allocate on the read path: the caller owns every buffer and limit.
//
// # Heads
//
// ParseResponseHead and ParseRequestHead take the bytes received so far.
// When the head is not complete they return ErrNeedMore; append more bytes
// to the same buffer and call again with the same head value, and the scan
// resumes where it stopped, so a head that arrives a byte at a time costs
// time linear in its size. On success they return the head's length: the
// body starts there.
//
//	var fields [64]parser.Header
//	h := parser.ResponseHead{Headers: fields[:0]}
//	n, err := parser.ParseResponseHead(buf, &h)
//	switch {
//	case err == parser.ErrNeedMore:
//		// read more into buf and call again
//	case err != nil:
//		// a *parser.ProtocolError: the peer broke a rule
//	default:
//		// h.Status, h.Headers, h.Framing; the body starts at buf[n:]
//	}
//
// The reason phrase and the fields are views into buf: valid until the
// caller changes or reuses buf; copy to retain. The caller sizes Headers:
// its capacity is the most fields accepted.
//
// The parse also derives, once, how the body is framed (RFC 9112 §6.3):
// no body (a HEAD response, 1xx, 204, 304), a length, chunked, until the
// server closes, or a tunnel (101, CONNECT); and whether the connection
// stays open after the message (§9.3).
//
// # Strictness
//
// The parser is strict by default and names each violation: a
// *ProtocolError carries a Kind (such as KindContentLengthConflict or
// KindBareCR) and the offset of the offending byte. It refuses the framing
// ambiguities that request smuggling and response splitting rely on:
// malformed, overflowing or conflicting Content-Length; Transfer-Encoding
// beside Content-Length, or in HTTP/1.0; a final coding other than
// chunked, or chunked twice; whitespace between a field name and its
// colon; bare CR; CTLs in names or values. Each leniency is a named switch
// in Options, off by default (AllowObsFold), except that a head line may
// end in a bare LF, which RFC 9112 §2.2 permits (RejectBareLF turns that
// off).
//
// # Chunked bodies
//
// A ChunkedDecoder decodes a chunked body from the caller's buffer into
// another buffer, or in place, and can stop at any byte: whatever it has
// not consumed, the caller presents again with more bytes after it.
// Extensions are checked and bounded, bare CR or LF in the framing is an
// error, and the non-data overhead is capped (16 KiB beyond what the data
// pays for). Trailer fields are returned apart from the head's fields.
//
//	d := parser.ChunkedDecoder{Trailers: make([]parser.Header, 0, 8)}
//	for !d.Done() {
//		nOut, nIn, err := d.Decode(out, in)
//		// use out[:nOut]; drop in[:nIn]; on ErrNeedMore, read more into in
//	}
//
// Next copies nothing: it returns each piece of chunk data as a view into
// the input, valid until the caller changes that buffer.
//
//	for !d.Done() {
//		data, n, err := d.Next(in)
//		// use data; drop in[:n]; on ErrNeedMore, read more into in
//	}
//
// # Reading whole responses
//
// ResponseReader puts the head parser and the chunked decoder together
// into the state machine of a connection's responses, sans I/O as h11
// does it: the caller reads bytes however it likes and presents them to
// Next, which returns an event and how many bytes it consumed. Interim
// 1xx heads, the final head, body data (views into the input), trailers
// and the end come as events; a body that runs until close ends when the
// caller reports the close with EOF. Its states and transitions are one
// table (reader.go); a call out of order is ErrReaderState, a byte that
// breaks a rule a *ProtocolError. The h1 Client, the load generator and
// h1 parse all read through it.
//
//	r.Start("GET", false)
//	for {
//		ev, n, err := r.Next(buf)
//		buf = buf[n:]
//		switch {
//		case err != nil: // a *ProtocolError
//		case ev == parser.EventNeedMore: // read more after buf (or call r.EOF)
//		case ev == parser.EventHead: // r.Head
//		case ev == parser.EventData: // r.Data(), a view into buf
//		case ev == parser.EventEnd: // next response: r.Start
//		}
//	}
//
// # Writing
//
// AppendRequestHead appends a request head to a buffer after checking
// every byte it will write: it refuses, before writing anything, input that
// would let one request be read as two or a field be read as another.
package parser
