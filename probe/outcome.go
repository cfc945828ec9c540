package probe

import (
	"strconv"
	"strings"
)

// End says how an exchange ended.
type End uint8

// The ends of an exchange. Every Outcome has exactly one.
const (
	// EndNone: the exchange has not ended (never in a returned Outcome).
	EndNone End = iota
	// EndClosed: the server closed the connection (a FIN, or a TLS
	// close_notify or truncation).
	EndClosed
	// EndReset: the connection was reset, or a write failed because the
	// server had gone.
	EndReset
	// EndTimeout: a response was still awaited when nothing arrived for
	// Options.ReadTimeout, or the context's deadline passed.
	EndTimeout
	// EndOpen: every awaited response arrived and the server then kept
	// the connection open and quiet for Options.Linger.
	EndOpen
	// EndParseError: the strict parser refused the server's bytes;
	// Outcome.ErrKind and ErrOffset say why and where.
	EndParseError
	// EndLimit: the server sent more than Options.MaxRead bytes.
	EndLimit
	// EndTunnel: a response switched the connection to another protocol
	// (101, or 2xx to CONNECT); the bytes after it were not parsed.
	EndTunnel
	// EndCanceled: the context ended the exchange.
	EndCanceled
)

var endNames = [...]string{
	EndNone:       "none",
	EndClosed:     "closed",
	EndReset:      "reset",
	EndTimeout:    "timeout",
	EndOpen:       "open",
	EndParseError: "parse-error",
	EndLimit:      "limit",
	EndTunnel:     "tunnel",
	EndCanceled:   "canceled",
}

// String returns the end's stable name, such as "closed" or "timeout".
func (e End) String() string {
	if int(e) < len(endNames) {
		return endNames[e]
	}
	return "end(" + strconv.Itoa(int(e)) + ")"
}

// MarshalText returns String, so JSON carries the name.
func (e End) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Closed reports whether the server ended the connection: EndClosed or
// EndReset.
func (e End) Closed() bool { return e == EndClosed || e == EndReset }

// Response is one response the server sent, as the strict parser read it.
// Its strings and headers are copies: they stay valid.
type Response struct {
	// Offset is where the head starts in the bytes received.
	Offset int64 `json:"offset"`
	// HeadLen is the length of the head, empty line included.
	HeadLen int `json:"head_len"`
	// Minor is the minor HTTP version of the status line.
	Minor int `json:"minor"`
	// Status is the status code.
	Status int `json:"status"`
	// Reason is the reason phrase.
	Reason string `json:"reason"`
	// Headers are the header fields in order, duplicates kept.
	Headers [][2]string `json:"headers"`
	// Interim says the response is a 1xx one that precedes the final
	// answer (RFC 9110 §15.2).
	Interim bool `json:"interim,omitempty"`
	// Framing is how the body is delimited: "none", "length",
	// "chunked", "close" or "tunnel" (RFC 9112 §6.3).
	Framing string `json:"framing"`
	// ContentLength is the Content-Length value, or -1 without one.
	ContentLength int64 `json:"content_length"`
	// KeepAlive says the server means to keep the connection open after
	// this response (RFC 9112 §9.3).
	KeepAlive bool `json:"keep_alive"`
	// BodyLen is the number of body bytes received (decoded, for chunked).
	BodyLen int64 `json:"body_len"`
	// BodyEnd is where the body ended in the bytes received: the offset at
	// which the framing cut it, or where the bytes ran out.
	BodyEnd int64 `json:"body_end"`
	// Complete says the body ended as its framing says it should.
	Complete bool `json:"complete"`
}

// Outcome is what happened to one exchange: the responses, in order, and
// how the exchange ended.
type Outcome struct {
	// Responses holds every response parsed, interim ones included.
	Responses []Response `json:"responses"`
	// End is how the exchange ended.
	End End `json:"end"`
	// ErrKind names the rule the server's bytes broke (a parser kind such
	// as "bad-status-code", or "truncated-head") when End is
	// EndParseError.
	ErrKind string `json:"err_kind,omitempty"`
	// ErrOffset is the offset of the offending byte in the bytes received,
	// when End is EndParseError.
	ErrOffset int64 `json:"err_offset,omitempty"`
	// Err is the error behind End: the parse error, the socket error of a
	// reset, or nil.
	Err error `json:"-"`
	// Sent is the number of request bytes written to the connection
	// (taken by the kernel; the server may not have read them all).
	Sent int `json:"sent"`
	// Read is the number of bytes received.
	Read int64 `json:"read"`
	// SendErr is the error that stopped the sending early, if any.
	SendErr error `json:"-"`
}

// Finals returns the final (non-1xx) responses: a new slice that shares
// its elements' strings with o.
func (o *Outcome) Finals() []Response {
	var fs []Response
	for _, r := range o.Responses {
		if !r.Interim {
			fs = append(fs, r)
		}
	}
	return fs
}

// Signature sums the outcome up for comparing servers: the final
// statuses joined by "+" ("-" for none), then the end, with a reset
// counted as "closed" (which of the two a client sees depends on timing),
// for instance "400 closed" or "200+200 open".
func (o *Outcome) Signature() string {
	var b strings.Builder
	fs := o.Finals()
	if len(fs) == 0 {
		b.WriteByte('-')
	}
	for i, r := range fs {
		if i > 0 {
			b.WriteByte('+')
		}
		b.WriteString(strconv.Itoa(r.Status))
		if !r.Complete {
			b.WriteString("(cut)")
		}
	}
	b.WriteByte(' ')
	e := o.End
	if e == EndReset {
		e = EndClosed
	}
	b.WriteString(e.String())
	if e == EndParseError {
		b.WriteString(":" + o.ErrKind)
	}
	return b.String()
}
