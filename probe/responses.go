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

// responseReader reads the responses in a growing buffer of received bytes
// through parser.ResponseReader, the strict reader the client uses (RFC
// 9112 §4–§7), and keeps what it saw in out. It does no I/O: feed appends
// bytes to buf, advance reads what it can.
type responseReader struct {
	buf     []byte
	pos     int
	methods []string // the method of each request, in order

	rr       parser.ResponseReader
	started  bool // a response is under way in rr
	inBody   bool // its final head has been read
	done     bool // the end, a tunnel or an error: nothing more is read
	base     int  // where the current head or body began, for error offsets
	fields   [maxFields]parser.Header
	trailers [maxFields]parser.Header

	out Outcome
}

// finals counts the final responses read so far.
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
	return !r.done && (r.inBody || r.pos < len(r.buf))
}

// fail ends the reading with a protocol error at stream offset base + the
// error's own offset.
func (r *responseReader) fail(err error, base int) {
	r.done = true
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

// advance reads as far as the bytes go. eof says no byte will follow. It
// sets out.End when the reading ended: EndParseError, EndTunnel, or, at
// eof, EndClosed.
func (r *responseReader) advance(eof bool) {
	for !r.done {
		if !r.started {
			if r.pos == len(r.buf) {
				if eof {
					r.out.End, r.done = EndClosed, true
				}
				return
			}
			r.rr.Head.Headers = r.fields[:0]
			r.rr.Trailers = r.trailers[:0]
			r.rr.Start(r.method(), false)
			r.started, r.base = true, r.pos
		}
		ev, n, err := r.rr.Next(r.buf[r.pos:])
		r.pos += n
		if err != nil {
			r.fail(err, r.base)
			return
		}
		switch ev {
		case parser.EventInterim, parser.EventHead:
			r.record(n)
			r.base = r.pos
			if ev == parser.EventHead {
				r.inBody = true
				if r.rr.Tunnel() {
					r.current().Complete = true
					r.out.End, r.done = EndTunnel, true
					return
				}
			}
		case parser.EventData:
			cur := r.current()
			cur.BodyLen += int64(len(r.rr.Data()))
			cur.BodyEnd = int64(r.pos)
		case parser.EventTrailers:
			r.current().BodyEnd = int64(r.pos)
		case parser.EventEnd:
			cur := r.current()
			cur.BodyEnd, cur.Complete = int64(r.pos), true
			r.started, r.inBody = false, false
		default: // need more
			if r.inBody {
				r.current().BodyEnd = int64(r.pos)
			}
			if n > 0 && r.pos < len(r.buf) {
				continue // framing consumed; read on
			}
			if eof {
				r.close()
			}
			return
		}
	}
}

// close handles the end of the stream in the middle of a response.
func (r *responseReader) close() {
	r.done = true
	ev, err := r.rr.EOF()
	switch {
	case err == nil && ev == parser.EventEnd:
		r.current().Complete = true // a body that runs until the close
		r.out.End = EndClosed
	case r.inBody:
		r.out.End = EndClosed // a body cut short: Complete stays false
	default:
		r.out.End = EndParseError
		r.out.ErrKind = KindTruncatedHead
		r.out.ErrOffset = int64(len(r.buf))
		r.out.Err = parser.ErrTruncated
	}
}

// current returns the response being read.
func (r *responseReader) current() *Response {
	return &r.out.Responses[len(r.out.Responses)-1]
}

// record keeps the head just read (the n bytes before pos), interim or
// final, as a new Response.
func (r *responseReader) record(n int) {
	h := &r.rr.Head
	resp := Response{
		Offset:        int64(r.pos - n),
		HeadLen:       n,
		Minor:         h.Minor,
		Status:        h.Status,
		Reason:        string(h.Reason),
		Interim:       h.Interim(),
		Framing:       h.Framing.String(),
		ContentLength: h.ContentLength,
		KeepAlive:     h.KeepAlive,
		Headers:       make([][2]string, len(h.Headers)),
		BodyEnd:       int64(r.pos),
		Complete:      h.Interim(),
	}
	for i, f := range h.Headers {
		resp.Headers[i] = [2]string{string(f.Name), string(f.Value)}
	}
	r.out.Responses = append(r.out.Responses, resp)
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
