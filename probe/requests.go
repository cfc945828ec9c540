package probe

import (
	"github.com/h1dev/h1/parser"
)

// Stop says why CountRequests stopped counting.
type Stop uint8

// The reasons to stop counting requests.
const (
	// StopEnd: the input ended right after a complete request (or was
	// empty).
	StopEnd Stop = iota
	// StopClose: a request asked to close the connection (Connection:
	// close, or HTTP/1.0 without keep-alive, RFC 9112 §9.3); a server
	// reads no request after it.
	StopClose
	// StopRejected: the strict parser refused the next request's head or
	// its chunked body; Err says why.
	StopRejected
	// StopIncomplete: the input ends inside a request.
	StopIncomplete
)

var stopNames = [...]string{StopEnd: "end", StopClose: "close", StopRejected: "rejected", StopIncomplete: "incomplete"}

// String returns "end", "close", "rejected" or "incomplete".
func (s Stop) String() string {
	if int(s) < len(stopNames) {
		return stopNames[s]
	}
	return "stop?"
}

// RequestCount is what the strict request parser sees in a byte stream sent
// to a server on one connection.
type RequestCount struct {
	// Methods are the methods of the complete requests, in order; their
	// number is the count.
	Methods []string
	// Stop says why the count stopped.
	Stop Stop
	// Used is the number of bytes the complete requests take; the bytes
	// after them are the rest, which the count says nothing about.
	Used int
	// Err is the parser's error when Stop is StopRejected.
	Err error
}

// CountRequests counts the requests at the start of b with the strict
// request parser (parser.ParseRequestHead, then the body by its
// Content-Length or chunked framing, RFC 9112 §6.3). It counts complete
// requests in order and stops at the end of b, after a request that asks
// to close the connection, at the first request the parser rejects, or at
// one that b holds only part of. The RequestCount holds copies: b may be
// changed or reused after the call.
func CountRequests(b []byte) RequestCount {
	var (
		c      RequestCount
		h      parser.RequestHead
		fields [maxFields]parser.Header
		trail  [maxFields]parser.Header
		dec    parser.ChunkedDecoder
	)
	pos := 0
	for pos < len(b) {
		h.Reset()
		h.Headers = fields[:0]
		n, err := parser.ParseRequestHead(b[pos:], &h)
		if err == parser.ErrNeedMore {
			c.Stop = StopIncomplete
			return c
		}
		if err != nil {
			c.Stop, c.Err = StopRejected, err
			return c
		}
		end := pos + n
		switch h.Framing {
		case parser.FramingLength:
			if h.ContentLength > int64(len(b)-end) {
				c.Stop = StopIncomplete
				return c
			}
			end += int(h.ContentLength)
		case parser.FramingChunked:
			dec.Reset()
			dec.Trailers = trail[:0]
			for !dec.Done() {
				_, m, err := dec.Next(b[end:])
				end += m
				if err == parser.ErrNeedMore || (err == nil && m == 0 && !dec.Done()) {
					c.Stop = StopIncomplete
					return c
				}
				if err != nil {
					c.Stop, c.Err = StopRejected, err
					return c
				}
			}
		}
		c.Methods = append(c.Methods, string(h.Method))
		pos, c.Used = end, end
		if !h.KeepAlive {
			c.Stop = StopClose
			return c
		}
	}
	c.Stop = StopEnd
	return c
}
