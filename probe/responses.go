package probe

import (
	"errors"

	"github.com/h1dev/h1/parser"
)

// maxFields bounds the header and trailer fields of one message.
const maxFields = 128

// KindTruncatedHead is the ErrKind of a stream that ended inside a
// response head.
const KindTruncatedHead = "truncated-head"

// The states of a responseReader.
const (
	stateHead = iota
	stateLength
	stateChunked
	stateClose
	stateDone // tunnel or error: nothing more is parsed
)

// responseReader reads the responses in a growing buffer of received bytes
// with the strict parser (RFC 9112 §4–§7). It does no I/O: feed appends
// bytes to buf, advance parses what it can.
type responseReader struct {
	buf     []byte
	pos     int
	methods []string // the method of each request, in order

	state     int
	head      parser.ResponseHead
	fields    [maxFields]parser.Header
	trailers  [maxFields]parser.Header
	chunked   parser.ChunkedDecoder
	remaining int64
	bodyStart int

	out Outcome
}

// finals counts the final responses parsed so far.
func (r *responseReader) finals() int {
	n := 0
	for _, x := range r.out.Responses {
		if !x.Interim {
			n++
		}
	}
	return n
}

// midResponse reports whether a response is under way: a partial head or
// an unfinished body.
func (r *responseReader) midResponse() bool {
	switch r.state {
	case stateHead:
		return r.pos < len(r.buf)
	case stateLength, stateChunked:
		return true
	}
	return false
}

// fail ends the parse with a protocol error at stream offset off + the
// error's own offset.
func (r *responseReader) fail(err error, base int) {
	r.state = stateDone
	r.out.End = EndParseError
	r.out.Err = err
	var pe *parser.ProtocolError
	if errors.As(err, &pe) {
		r.out.ErrKind = pe.Kind.String()
		r.out.ErrOffset = int64(base) + pe.Offset
	}
}

// method returns the method of the request the next final response
// answers.
func (r *responseReader) method() string {
	if n := r.finals(); n < len(r.methods) {
		return r.methods[n]
	}
	return "GET"
}

// advance parses as far as the bytes go. eof says no byte will follow. It
// sets out.End when the parse ended: EndParseError, EndTunnel, or, at eof,
// EndClosed.
func (r *responseReader) advance(eof bool) {
	for r.state != stateDone {
		switch r.state {
		case stateHead:
			if r.pos == len(r.buf) {
				if eof {
					r.out.End = EndClosed
					r.state = stateDone
				}
				return
			}
			r.head.Reset()
			r.head.Headers = r.fields[:0]
			r.head.Method = r.method()
			n, err := parser.ParseResponseHead(r.buf[r.pos:], &r.head)
			if err == parser.ErrNeedMore {
				if eof {
					r.state = stateDone
					r.out.End = EndParseError
					r.out.ErrKind = KindTruncatedHead
					r.out.ErrOffset = int64(len(r.buf))
					r.out.Err = err
				}
				return
			}
			if err != nil {
				r.fail(err, r.pos)
				return
			}
			r.startBody(n)
		case stateLength:
			n := min(r.remaining, int64(len(r.buf)-r.pos))
			r.pos += int(n)
			r.remaining -= n
			cur := r.current()
			cur.BodyLen += n
			cur.BodyEnd = int64(r.pos)
			if r.remaining == 0 {
				cur.Complete = true
				r.state = stateHead
				continue
			}
			if eof {
				r.out.End = EndClosed
				r.state = stateDone
			}
			return
		case stateChunked:
			data, n, err := r.chunked.Next(r.buf[r.pos:])
			r.pos += n
			cur := r.current()
			cur.BodyLen += int64(len(data))
			cur.BodyEnd = int64(r.pos)
			switch {
			case err == parser.ErrNeedMore:
				if eof {
					r.out.End = EndClosed
					r.state = stateDone
				}
				return
			case err != nil:
				r.fail(err, r.bodyStart)
				return
			case r.chunked.Done():
				cur.Complete = true
				r.state = stateHead
			case n == 0:
				return // no progress without more bytes
			}
		case stateClose:
			cur := r.current()
			cur.BodyLen += int64(len(r.buf) - r.pos)
			r.pos = len(r.buf)
			cur.BodyEnd = int64(r.pos)
			if eof {
				cur.Complete = true
				r.out.End = EndClosed
				r.state = stateDone
			}
			return
		}
	}
}

// current returns the response being read.
func (r *responseReader) current() *Response {
	return &r.out.Responses[len(r.out.Responses)-1]
}

// startBody records the head just parsed (n bytes at pos) and moves to
// the state its framing calls for.
func (r *responseReader) startBody(n int) {
	h := &r.head
	resp := Response{
		Offset:        int64(r.pos),
		HeadLen:       n,
		Minor:         h.Minor,
		Status:        h.Status,
		Reason:        string(h.Reason),
		Interim:       h.Interim(),
		Framing:       h.Framing.String(),
		ContentLength: h.ContentLength,
		KeepAlive:     h.KeepAlive,
		Headers:       make([][2]string, len(h.Headers)),
	}
	for i, f := range h.Headers {
		resp.Headers[i] = [2]string{string(f.Name), string(f.Value)}
	}
	r.pos += n
	r.bodyStart = r.pos
	resp.BodyEnd = int64(r.pos)
	r.out.Responses = append(r.out.Responses, resp)
	switch h.Framing {
	case parser.FramingLength:
		r.remaining = h.ContentLength
		r.state = stateLength
	case parser.FramingChunked:
		r.chunked.Reset()
		r.chunked.Trailers = r.trailers[:0]
		r.state = stateChunked
	case parser.FramingClose:
		r.state = stateClose
	case parser.FramingTunnel:
		r.current().Complete = true
		r.out.End = EndTunnel
		r.state = stateDone
	default:
		r.current().Complete = true
		r.state = stateHead
	}
}

// ParseResponses reads the responses in b, the bytes a server sent on one
// connection, with the strict parser, as SendRaw does while they arrive.
// methods are the methods of the requests in order (a HEAD answer has no
// body); missing ones count as GET. eof says the server closed after b.
// The Outcome's End is EndNone when b ends without the parse having
// ended (eof false and no error), and its Sent is 0. The Outcome holds
// copies of what it reports: b may be changed or reused after the call.
// A head over the parser's default limits (parser.DefaultMaxHeadSize, or
// more than 128 fields) is reported as a parse error.
func ParseResponses(b []byte, methods []string, eof bool) Outcome {
	r := responseReader{buf: b, methods: methods}
	r.advance(eof)
	r.out.Read = int64(len(b))
	return r.out
}
