package h1

import (
	"errors"
	"io"
	"time"

	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/streampeer"
)

// ContinueTimeout is how long a request that carries Expect:
// 100-continue waits for the server's 100 (Continue) before it sends its
// body anyway (RFC 9110 §10.1.1).
const ContinueTimeout = time.Second

// streamBuffer is the size of the buffer a streamed body is read into.
const streamBuffer = 32 << 10

// upload is a request body that Poll streams from an io.Reader after the
// head (RequestStream).
type upload struct {
	src       io.Reader // nil: the request has no streamed body
	left      int64     // bytes still to send; -1: chunked, until src ends
	chunked   bool      // the body goes in the chunked coding
	expect    bool      // the request carries Expect: 100-continue
	continued bool      // a 100 (Continue) arrived for this request
	buf       []byte    // what src is read into
	out       []byte    // a chunk with its framing
}

func (u *upload) reset() {
	u.src, u.left, u.chunked, u.expect, u.continued = nil, 0, false, false, false
}

// Errors of a streamed request body.
var (
	errBodyShort = errors.New("h1: request body shorter than its length")
)

// RequestStream is Request with a body read from body as it is sent:
// length bytes of it, announced in Content-Length, or, when length is -1,
// all of it up to io.EOF, in the chunked coding (RFC 9112 §7.1). A nil
// body or a length of 0 sends no body, as Request(method, url, headers,
// nil) does. The header lines may not carry Transfer-Encoding (nor a
// Content-Length other than length).
//
// Poll writes the head, then reads body into a buffer the client keeps
// and writes it out, in one call whatever the blocking mode: the reader
// may block, and the writes wait on the connection, each for no longer
// than Limits.HeadTimeout, which restarts whenever bytes move. A reader
// that ends early, or fails, ends the request in StatusConnectionError
// with an error that wraps the reader's.
//
// With an "Expect: 100-continue" header line the body waits, after the
// head, for the server's 100 (Continue), for no longer than
// ContinueTimeout; a final response that comes first is the answer, the
// body is not sent, and the connection is closed after that response.
//
// A streamed body cannot be sent twice: once a byte of it was read, a
// connection lost before the response is an error, never a retry.
func (c *Client) RequestStream(method Method, url string, headers []string, length int64, body io.Reader) error {
	if body == nil || length == 0 {
		return c.Request(method, url, headers, nil)
	}
	if method >= methodCount || !checkURL(method, url) || length < -1 {
		return ErrInvalidParameter
	}
	switch c.phase {
	case phaseReady:
	case phaseSend, phaseHead, phaseBody:
		return ErrBusy
	default:
		return ErrUnconfigured
	}
	expect, err := c.encodeStream(method, url, headers, length)
	if err != nil {
		return err
	}
	c.method = method
	c.resetResponse()
	c.retried = false
	c.up.reset()
	c.up.src, c.up.left, c.up.chunked, c.up.expect = body, length, length < 0, expect
	if c.reconnect {
		c.reconnect, c.reused, c.queued = false, false, true
		c.closeConn()
		return c.dial()
	}
	c.to(phaseSend)
	return nil
}

// encodeStream writes the head of a streamed request into wbuf: the
// framing says length bytes (or chunked for -1) and no body follows in
// wbuf. It reports whether the request expects 100-continue. The head is
// not kept for reuse by Request.
func (c *Client) encodeStream(m Method, url string, headers []string, length int64) (bool, error) {
	c.headN = 0
	_, expect, err := c.splitHeaders(headers)
	if err != nil {
		return false, err
	}
	if length < 0 {
		c.hdrs = append(c.hdrs, parser.Header{Name: transferEncoding, Value: chunkedToken})
	}
	target := c.proxyTarget(url)
	c.rq = parser.Request{
		Method: m.String(), Target: target, Host: c.host, Port: c.port, TLS: c.tlsOpts != nil,
		Headers: c.hdrs, UserAgent: c.UserAgent, ContentLength: length,
	}
	if c.host == "" {
		c.rq.Port = 0
	}
	wbuf, err := parser.AppendRequestHead(c.wbuf[:0], &c.rq)
	c.rq.Headers = nil
	if err != nil {
		return false, newError(ErrInvalidParameter, "encode request", err)
	}
	c.finishEncode(wbuf, nil)
	return expect, nil
}

var (
	transferEncoding = []byte("Transfer-Encoding")
	chunkedToken     = []byte("chunked")
)

// stepStream runs once the head of a streamed request went out: it waits
// for 100 (Continue) when the request expects it, sends the body, and
// goes on reading the response head.
func (c *Client) stepStream(wait bool) error {
	u := &c.up
	if u.expect {
		final, err := c.awaitContinue()
		if err != nil {
			u.reset()
			if err == errTimeout {
				return c.fail(phaseConnError, newError(ErrConnection, OpHead, errTimeout))
			}
			if pe := (*parser.ProtocolError)(nil); errors.As(err, &pe) {
				return c.fail(phaseConnError, newError(ErrBadResponse, OpHead, err))
			}
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return c.fail(phaseConnError, newError(ErrConnection, OpHead, err))
		}
		if final {
			// RFC 9110 §10.1.1: the server answered without the body,
			// which stays unsent; the connection cannot carry another
			// request, as the server may still read the body's bytes.
			u.reset()
			c.reqClose = true
			c.startBody()
			return nil
		}
	}
	err := c.sendBody()
	u.reset()
	if err != nil {
		return c.fail(phaseConnError, err)
	}
	c.justSent = true
	return c.stepHead(wait)
}

// awaitContinue reads what the server sends after the head of a request
// that expects 100-continue, until a 100 arrives (false), a final head is
// whole (true) or ContinueTimeout has passed (false).
func (c *Client) awaitContinue() (bool, error) {
	end := time.Now().Add(ContinueTimeout)
	for {
		done, err := c.pumpHead(false, false)
		if err != nil || done {
			return done, err
		}
		if c.up.continued || c.waiter == nil {
			return false, nil
		}
		d := time.Until(end)
		if d <= 0 {
			return false, nil
		}
		left, out := c.remaining()
		if out {
			return false, errTimeout
		}
		if left >= 0 && left < d {
			d = left
		}
		if err := c.waiter.WaitReadable(d); err != nil && !errors.Is(err, streampeer.ErrTimeout) {
			return false, err
		}
	}
}

// sendBody reads the streamed body and writes it out, framed as the head
// announced. Its errors are ready to be the client's.
func (c *Client) sendBody() error {
	u := &c.up
	if len(u.buf) == 0 {
		u.buf = make([]byte, streamBuffer)
	}
	for u.left != 0 {
		p := u.buf
		if u.left > 0 && int64(len(p)) > u.left {
			p = p[:u.left]
		}
		n, rerr := u.src.Read(p)
		if n > 0 {
			c.retried = true // the body's bytes are gone: no second attempt
			out := p[:n]
			if u.left < 0 {
				u.out = parser.AppendChunk(u.out[:0], out)
				out = u.out
			} else {
				u.left -= int64(n)
			}
			if err := c.putAll(out); err != nil {
				return newError(ErrConnection, opSendBody, err)
			}
		}
		switch {
		case rerr == io.EOF && u.left > 0:
			return newError(ErrConnection, opReadBody, errBodyShort)
		case rerr == io.EOF:
			u.left = 0
		case rerr != nil:
			return newError(ErrConnection, opReadBody, rerr)
		}
	}
	if u.chunked {
		u.out = parser.AppendLastChunk(u.out[:0])
		if err := c.putAll(u.out); err != nil {
			return newError(ErrConnection, opSendBody, err)
		}
	}
	return nil
}

// putAll writes all of p, waiting on the connection when it takes
// nothing; the step's time limit restarts whenever bytes move.
func (c *Client) putAll(p []byte) error {
	for len(p) > 0 {
		n, err := c.peer.PutPartialData(p)
		p = p[n:]
		if err != nil {
			return err
		}
		if n > 0 {
			c.sent = true
			c.touch()
			continue
		}
		if c.waiter == nil {
			return c.peer.PutData(p)
		}
		if err := c.wait(true); err != nil {
			return err
		}
	}
	return nil
}

// Ops of a streamed request body.
const (
	opSendBody = "send request body"
	opReadBody = "read request body"
)
