package h1

import (
	"errors"
	"io"
	"strings"

	"github.com/h1dev/h1/parser"
)

// Request sends a request for url with the given header lines ("Name:
// value", as in Godot) and body, and returns at once; Poll sends it and
// reads the head of the response (StatusRequesting, then StatusBody or
// StatusConnected).
//
// url is an absolute path ("/index.html?q=1"), an absolute http(s) URL,
// "*" for MethodOptions or "host:port" for MethodConnect. Unless the
// headers carry them, the request gets Host (with the port when it is
// not the default, an IPv6 address bracketed), User-Agent, Accept: */*
// and Content-Length (also "0" for an empty POST, PUT or PATCH). A header
// line with CR, LF or another control byte, or that is not "Name: value",
// is refused with ErrInvalidParameter before anything is sent.
//
// A body of up to 16 KiB is copied; a larger one is written from body,
// which must not change until the status leaves StatusRequesting. When the
// previous response closed the connection, Request opens a new one first
// (the status says StatusRequesting meanwhile).
//
// It returns ErrBusy while a request is in flight and ErrUnconfigured
// when the client is not connected.
func (c *Client) Request(method Method, url string, headers []string, body []byte) error {
	if method >= methodCount || !checkURL(method, url) {
		return ErrInvalidParameter
	}
	switch c.phase {
	case phaseReady:
	case phaseSend, phaseHead, phaseBody:
		return ErrBusy
	default:
		return ErrUnconfigured
	}
	if err := c.encode(method, url, headers, body); err != nil {
		return err
	}
	c.method = method
	c.resetResponse()
	c.retried = false
	if c.reconnect {
		c.reconnect, c.reused, c.queued = false, false, true
		c.closeConn()
		return c.dial()
	}
	c.to(phaseSend)
	return nil
}

// RequestRaw is Godot's request_raw: Request with the body bytes sent as
// they are. (Request takes bytes too; both names are kept for Godot's
// users.) With a Transfer-Encoding header line the body is sent without a
// Content-Length, framed by the caller.
func (c *Client) RequestRaw(method Method, url string, headers []string, body []byte) error {
	return c.Request(method, url, headers, body)
}

// encode writes the request head (and a small body) into wbuf. A request
// with the same method, URL, header lines and body length as the previous
// one on the same connection reuses its head: it was checked and written
// already.
func (c *Client) encode(m Method, url string, headers []string, body []byte) error {
	if c.headN > 0 && c.last.same(m, url, headers, len(body), c.via, c.UserAgent) {
		c.finishEncode(c.wbuf[:c.headN], body)
		return nil
	}
	c.headN = 0
	hasTE, _, err := c.splitHeaders(headers)
	if err != nil {
		return err
	}
	target := c.proxyTarget(url)
	cl := int64(len(body))
	if len(body) == 0 || hasTE {
		cl = -1
	}
	c.rq = parser.Request{
		Method: m.String(), Target: target, Host: c.host, Port: c.port, TLS: c.tlsOpts != nil,
		Headers: c.hdrs, UserAgent: c.UserAgent, ContentLength: cl,
	}
	if c.host == "" {
		c.rq.Port = 0
	}
	wbuf, aerr := parser.AppendRequestHead(c.wbuf[:0], &c.rq)
	c.rq.Headers = nil
	if aerr != nil {
		return newError(ErrInvalidParameter, "encode request", aerr)
	}
	c.headN = len(wbuf)
	c.last.set(m, url, headers, len(body), c.via, c.UserAgent)
	c.finishEncode(wbuf, body)
	return nil
}

// splitHeaders turns the caller's "Name: value" lines into fields in hdrs
// (copied into hbuf, so the caller's strings are not kept) and notes the
// options the client acts on: Connection: close, and whether the request
// frames its own body (Transfer-Encoding) or expects 100-continue.
func (c *Client) splitHeaders(headers []string) (hasTE, expect bool, err error) {
	c.hbuf = c.hbuf[:0]
	for _, h := range headers {
		if i := strings.IndexByte(h, ':'); i <= 0 {
			return false, false, newError(ErrInvalidParameter, "header line", errHeaderLine)
		}
		c.hbuf = append(c.hbuf, h...)
	}
	c.hdrs = c.hdrs[:0]
	c.reqClose, c.upgrade = false, false
	pos := 0
	for _, h := range headers {
		line := c.hbuf[pos : pos+len(h)]
		pos += len(h)
		i := strings.IndexByte(h, ':')
		name, value := line[:i], trimOWS(line[i+1:])
		c.hdrs = append(c.hdrs, parser.Header{Name: name, Value: value})
		switch {
		case parser.EqualFold(name, "connection"):
			c.reqClose = c.reqClose || hasToken(value, "close")
		case parser.EqualFold(name, "transfer-encoding"):
			hasTE = true
		case parser.EqualFold(name, "upgrade"):
			c.upgrade = true
		case parser.EqualFold(name, "expect"):
			expect = expect || hasToken(value, "100-continue")
		}
	}
	return hasTE, expect, nil
}

// proxyTarget returns the request-target for url: through an HTTP proxy an
// origin-form URL becomes absolute-form (RFC 9112 §3.2.2), and the proxy's
// credentials join the fields.
func (c *Client) proxyTarget(url string) string {
	if c.via == nil {
		return url
	}
	if c.via.auth != nil {
		c.hdrs = append(c.hdrs, parser.Header{Name: proxyAuthorization, Value: c.via.auth})
	}
	if url[0] == '/' {
		if c.port == 80 {
			return "http://" + bracketHost(c.host) + url
		}
		return "http://" + joinHostPort(c.host, c.port) + url
	}
	return url
}

// finishEncode puts the body behind the head in wbuf, or keeps a large
// one apart, and rewinds the writer.
func (c *Client) finishEncode(wbuf, body []byte) {
	c.body, c.woff, c.boff, c.sent = nil, 0, 0, false
	if len(body) <= smallBody {
		wbuf = append(wbuf, body...)
	} else {
		c.body = body
	}
	c.wbuf = wbuf
}

// lastRequest is what made the head at the start of wbuf.
type lastRequest struct {
	method  Method
	url     string
	headers []string
	bodyLen int
	via     *proxy
	ua      string
}

func (l *lastRequest) same(m Method, url string, headers []string, bodyLen int, via *proxy, ua string) bool {
	if m != l.method || url != l.url || len(headers) != len(l.headers) || via != l.via || ua != l.ua ||
		(bodyLen == 0) != (l.bodyLen == 0) || bodyLen > 0 && bodyLen != l.bodyLen {
		return false
	}
	for i := range headers {
		if headers[i] != l.headers[i] {
			return false
		}
	}
	return true
}

func (l *lastRequest) set(m Method, url string, headers []string, bodyLen int, via *proxy, ua string) {
	l.method, l.url, l.bodyLen, l.via, l.ua = m, url, bodyLen, via, ua
	l.headers = append(l.headers[:0], headers...)
}

var (
	proxyAuthorization = []byte("Proxy-Authorization")
	errHeaderLine      = errors.New("h1: header line is not \"Name: value\"")
)

// stepSend writes the request, then reads the head. Of the two, only one
// may wait.
func (c *Client) stepSend(wait bool) error {
	for {
		done, err := c.write()
		if err != nil {
			return c.lost(err, opSend)
		}
		if done {
			c.resetHead(c.method.String())
			c.to(phaseHead)
			if c.up.src != nil {
				return c.stepStream(wait)
			}
			c.justSent = true
			return c.stepHead(wait)
		}
		if _, out := c.remaining(); out {
			return c.fail(phaseConnError, newError(ErrConnection, opSend, errTimeout))
		}
		if !wait || c.waiter == nil {
			return nil
		}
		wait = false
		_ = c.wait(true)
	}
}

// write sends what the connection takes now and reports whether the whole
// request went out.
func (c *Client) write() (bool, error) {
	for c.woff < len(c.wbuf) {
		n, err := c.peer.PutPartialData(c.wbuf[c.woff:])
		c.woff += n
		c.sent = c.sent || n > 0
		if err != nil {
			return false, err
		}
		if n == 0 {
			return false, nil
		}
	}
	for c.boff < len(c.body) {
		n, err := c.peer.PutPartialData(c.body[c.boff:])
		c.boff += n
		if err != nil {
			return false, err
		}
		if n == 0 {
			return false, nil
		}
	}
	return true, nil
}

// stepHead reads the response head.
func (c *Client) stepHead(wait bool) error {
	skip := wait && c.justSent && c.waiter != nil
	c.justSent = false
	done, err := c.pumpHead(wait, skip)
	switch {
	case err == errTimeout:
		return c.fail(phaseConnError, newError(ErrConnection, OpHead, errTimeout))
	case err != nil:
		if pe := (*parser.ProtocolError)(nil); errors.As(err, &pe) {
			return c.fail(phaseConnError, newError(ErrBadResponse, OpHead, err))
		}
		return c.lost(err, OpHead)
	case done:
		c.startBody()
	}
	return nil
}

// lost handles a connection that ended or failed before the response
// head. A kept-alive connection the server closed while idle fails this
// way: when no byte of a response came back, the request is sent again
// once on a new connection, if it is idempotent or was not sent at all.
func (c *Client) lost(err error, op string) error {
	if c.reused && c.ownHost && !c.retried && c.recvd == 0 && (c.method.idempotent() || !c.sent) {
		c.retried, c.reused, c.queued = true, false, true
		c.woff, c.boff, c.sent = 0, 0, false
		c.resetResponse()
		c.closeConn()
		return c.dial()
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return c.fail(phaseConnError, newError(ErrConnection, op, err))
}

// resetHead prepares the read buffer and the head for a response to
// method.
func (c *Client) resetHead(method string) {
	c.rr.Head.Options.MaxHeadSize = c.Limits.maxHead()
	if n := c.Limits.maxHeaders(); c.Limits.MaxHeaders == 0 && cap(c.moreFields) > len(c.fields) {
		c.rr.Head.Headers = c.moreFields[:0] // grown for an earlier head
	} else if n <= len(c.fields) {
		c.rr.Head.Headers = c.fields[:0:n]
	} else {
		if cap(c.moreFields) < n {
			c.moreFields = make([]parser.Header, 0, n)
		}
		c.rr.Head.Headers = c.moreFields[:0:n]
	}
	c.rr.Trailers = c.trailers[:0]
	c.rr.Start(method, c.upgrade)
	if c.rbuf == nil {
		c.rbuf = make([]byte, initialHead+c.window())
	}
	c.rend, c.rpos, c.headLen, c.recvd = 0, 0, 0, 0
}

// resetResponse forgets the previous response.
func (c *Client) resetResponse() {
	c.hasResponse, c.headersDone = false, false
	c.headerMap = nil
	c.bodyRead, c.pend, c.raw = 0, nil, false
	c.framing = parser.FramingNone
	c.rend, c.rpos, c.headLen, c.recvd = 0, 0, 0, 0
	c.rr.Head.Status = 0
}

// pumpHead reads into rbuf and parses until a final head is whole,
// skipping interim (1xx) responses. skip starts with the wait instead of
// a read that would find nothing. It returns done once the head is
// complete, or the read error, io.EOF, a *parser.ProtocolError or
// errTimeout.
func (c *Client) pumpHead(wait, skip bool) (bool, error) {
	if skip && wait && c.ownTCP() {
		skip = false // readWait reads first and parks on EAGAIN
	}
	for {
		if !skip {
			if c.rend == len(c.rbuf) {
				c.growHead()
			}
			room := len(c.rbuf) - c.rend
			if room == 0 {
				// The parser refuses a head longer than its limit before
				// the buffer is full: not reached.
				return false, c.Limits.explain(&parser.ProtocolError{Kind: parser.KindHeadTooLarge, Offset: int64(c.rend)})
			}
			var n int
			var err error
			if wait && c.ownTCP() {
				// The read waits itself, as net.Conn's does.
				wait = false
				n, err = c.readWait(c.rbuf[c.rend:])
				if err == errTimeout {
					return false, err
				}
			} else {
				n, err = c.peer.GetPartialData(c.rbuf[c.rend:])
			}
			c.rend += n
			c.recvd += n
			if n > 0 {
				done, perr := c.parseHead()
				if perr != nil {
					return false, perr
				}
				if done {
					return true, nil
				}
			}
			if err != nil {
				return false, err
			}
			if n == room {
				continue
			}
		}
		skip = false
		if _, out := c.remaining(); out {
			return false, errTimeout
		}
		if !wait || c.waiter == nil {
			return false, nil
		}
		wait = false
		if err := c.waitReadable(); err != nil && err != errTimeout {
			return false, err
		}
	}
}

// growHead makes room for a head longer than the buffer, up to the head
// limit and a body window after it.
func (c *Client) growHead() {
	limit := c.Limits.maxHead() + 1 + c.window()
	n := min(max(2*len(c.rbuf), initialHead+c.window()), limit)
	if n <= len(c.rbuf) {
		return
	}
	nb := make([]byte, n)
	copy(nb, c.rbuf[:c.rend])
	c.rbuf = nb
}

// parseHead reads the bytes received so far through the response reader.
// Interim responses (1xx but 101) are dropped and the reading goes on
// with the bytes after them.
func (c *Client) parseHead() (bool, error) {
	if c.trace != nil {
		c.trace.received(c)
	}
	for {
		ev, n, err := c.rr.Next(c.rbuf[:c.rend])
		if err != nil && c.Limits.MaxHeaders == 0 && errors.Is(err, parser.ErrTooManyHeaders) {
			// No count of its own: the head size bounds the fields. Read
			// the head again into twice the room.
			c.moreFields = make([]parser.Header, 0, 2*cap(c.rr.Head.Headers))
			c.rr.Head.Headers = c.moreFields
			c.rr.Start(c.rr.Head.Method, c.upgrade)
			continue
		}
		if err != nil {
			return false, c.Limits.explain(err)
		}
		switch ev {
		case parser.EventNeedMore:
			return false, nil
		case parser.EventInterim:
			if c.trace != nil {
				c.trace.responseHead(c, c.rbuf[:n])
			}
			c.up.continued = c.up.continued || c.rr.Head.Status == 100
			c.rend = copy(c.rbuf, c.rbuf[n:c.rend])
			if c.rend == 0 {
				return false, nil
			}
			continue
		}
		// EventHead: the final head.
		if c.trace != nil {
			c.trace.responseHead(c, c.rbuf[:n])
		}
		if len(c.rbuf)-n < c.window() {
			// Keep the head in place and a whole window after it: move
			// to a larger buffer and read the head there again.
			nb := make([]byte, n+c.window())
			copy(nb, c.rbuf[:c.rend])
			c.rbuf = nb
			c.rr.Start(c.rr.Head.Method, c.upgrade)
			if _, _, err := c.rr.Next(c.rbuf[:c.rend]); err != nil {
				return false, err
			}
		}
		c.headLen, c.rpos = n, n
		return true, nil
	}
}

// startBody reads the framing of a final head and moves to the body, or
// past it when there is none.
func (c *Client) startBody() {
	c.hasResponse = true
	c.framing = c.rr.Head.Framing
	c.keepAlive = c.rr.Head.KeepAlive && !c.reqClose
	c.bodyRead, c.pend = 0, nil
	c.raw = c.rr.Tunnel()
	if c.raw {
		// The bytes run until the end, as the body; they are not HTTP.
		c.keepAlive = false
	} else if ev, _, err := c.rr.Next(nil); ev == parser.EventEnd && err == nil {
		c.endBody() // no body: the reader's next event ends the response
		return
	}
	c.to(phaseBody)
}

// endBody ends a response that was read to its end: the connection stays
// for the next request when the server allows it, and is closed otherwise
// (the next Request opens another).
func (c *Client) endBody() {
	c.reused = true
	if c.keepAlive && c.rpos == c.rend {
		c.to(phaseReady)
		return
	}
	// Bytes after the response, or a server that closes: not reusable.
	if !c.ownHost {
		c.peer, c.waiter = nil, nil
		c.to(phaseIdle)
		return
	}
	c.closeConn()
	c.reconnect = true
	c.to(phaseReady)
}

// trimOWS removes leading and trailing SP and HTAB.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// hasToken reports whether the comma-separated list v holds tok (lower
// case), in any case and spacing.
func hasToken(v []byte, tok string) bool {
	for len(v) > 0 {
		i := 0
		for i < len(v) && v[i] != ',' {
			i++
		}
		if parser.EqualFold(trimOWS(v[:i]), tok) {
			return true
		}
		if i == len(v) {
			break
		}
		v = v[i+1:]
	}
	return false
}
