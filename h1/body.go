package h1

import (
	"bytes"
	"errors"
	"io"
	"slices"

	"github.com/h1dev/h1/parser"
)

// ReadResponseBodyChunkInto appends the next part of the response body to
// dst, at most ReadChunkSize bytes, and returns the extended slice. With
// room in dst it allocates nothing: bytes that arrived with the head are
// copied from the client's buffer, and the rest of a body with a length
// (or one that runs until close) is read from the connection straight
// into dst.
//
// Without blocking mode it returns what has arrived, possibly nothing; in
// blocking mode it waits once, up to Limits.BodyIdleTimeout, when nothing
// has. When the body ends the status becomes StatusConnected (or
// StatusDisconnected for a peer given to SetConnection that cannot be
// reused). A body cut short, bad chunked framing, a body over
// Limits.MaxBodySize or a timeout ends in StatusConnectionError and an
// error that matches ErrConnection, ErrBadResponse, ErrBodyTooLarge or
// ErrTimeout. Outside StatusBody it returns dst and ErrUnconfigured (or
// the error of an error status).
func (c *Client) ReadResponseBodyChunkInto(dst []byte) ([]byte, error) {
	if c.phase != phaseBody {
		if c.phase.terminal() {
			return dst, c.err
		}
		return dst, ErrUnconfigured
	}
	want := c.ReadChunkSize()
	if c.framing == parser.FramingChunked {
		return c.readChunked(dst, want)
	}
	return c.readPlain(dst, want)
}

// ReadResponseBodyChunk returns the next part of the body in a new slice,
// as Godot's read_response_body_chunk does: empty when nothing has arrived
// yet. Err reports a failure. ReadResponseBodyChunkInto does the same
// without allocating.
func (c *Client) ReadResponseBodyChunk() []byte {
	want := c.ReadChunkSize()
	if cap(c.scratch) < want {
		c.scratch = make([]byte, 0, want)
	}
	b, _ := c.ReadResponseBodyChunkInto(c.scratch[:0])
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}

// room returns dst with at least n bytes of spare capacity.
func room(dst []byte, n int) []byte {
	if cap(dst)-len(dst) < n {
		dst = slices.Grow(dst, n)
	}
	return dst
}

// readPlain reads a body with a length, or one that runs until close.
func (c *Client) readPlain(dst []byte, want int) ([]byte, error) {
	if c.bodyLeft >= 0 && int64(want) > c.bodyLeft {
		want = int(c.bodyLeft)
	}
	if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyLeft > lim-c.bodyRead {
		return dst, c.fail(phaseConnError, newError(ErrBodyTooLarge, opBody, nil))
	}
	dst = room(dst, want)
	out := dst[len(dst) : len(dst)+want]
	var n int
	var err error
	if c.rpos < c.rend {
		n = copy(out, c.rbuf[c.rpos:c.rend])
		c.rpos += n
		c.touch()
	} else {
		n, _, err = c.readSome(out, c.blocking)
	}
	dst = dst[:len(dst)+n]
	c.bodyRead += int64(n)
	if c.bodyLeft > 0 {
		c.bodyLeft -= int64(n)
	}
	if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyRead > lim {
		return dst, c.fail(phaseConnError, newError(ErrBodyTooLarge, opBody, nil))
	}
	switch {
	case err == io.EOF && c.bodyLeft < 0:
		// RFC 9112 §6.3: the body runs until the server closes.
		c.endBody()
		return dst, nil
	case err == errTimeout:
		return dst, c.fail(phaseConnError, newError(ErrConnection, opBody, errTimeout))
	case err != nil:
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // closed before Content-Length
		}
		return dst, c.fail(phaseConnError, newError(ErrConnection, opBody, err))
	case c.bodyLeft == 0:
		c.endBody()
	}
	return dst, nil
}

// readChunked decodes a chunked body from the window after the head.
func (c *Client) readChunked(dst []byte, want int) ([]byte, error) {
	dst = room(dst, want)
	out := dst[len(dst) : len(dst)+want]
	o := 0
	wait := c.blocking // one wait per call at most
	for {
		nd, ns, err := c.chunked.Decode(out[o:], c.rbuf[c.rpos:c.rend])
		c.rpos += ns
		o += nd
		c.bodyRead += int64(nd)
		if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyRead > lim {
			return dst[:len(dst)+o], c.fail(phaseConnError, newError(ErrBodyTooLarge, opBody, nil))
		}
		if c.chunked.Done() {
			c.endBody()
			return dst[:len(dst)+o], nil
		}
		if err != nil && err != parser.ErrNeedMore {
			return dst[:len(dst)+o], c.fail(phaseConnError, newError(ErrBadResponse, opBody, err))
		}
		if o > 0 {
			if nd > 0 || ns > 0 {
				c.touch()
			}
			return dst[:len(dst)+o], nil
		}
		// Nothing decoded: the window needs more bytes.
		n, waited, err := c.fill(wait)
		wait = wait && !waited
		switch {
		case err == errWindow:
			return dst, c.fail(phaseConnError, newError(ErrBadResponse, opBody, errWindow))
		case err == errTimeout:
			return dst, c.fail(phaseConnError, newError(ErrConnection, opBody, errTimeout))
		case err == io.EOF:
			return dst, c.fail(phaseConnError, newError(ErrConnection, opBody, io.ErrUnexpectedEOF))
		case err != nil:
			return dst, c.fail(phaseConnError, newError(ErrConnection, opBody, err))
		case n == 0:
			return dst, nil
		}
	}
}

var errWindow = errors.New("h1: chunk framing larger than the read window")

// readSome reads what the connection has into p; when wait is set (in
// blocking mode) it waits once first if nothing has arrived. It reports
// whether it waited, and errTimeout when the body stalled for longer than
// its limit.
func (c *Client) readSome(p []byte, wait bool) (int, bool, error) {
	if wait && c.ownTCP() {
		n, err := c.readWait(p)
		if n > 0 || err != nil && err != errTimeout {
			c.touch()
		}
		return n, true, err
	}
	n, err := c.peer.GetPartialData(p)
	if n > 0 || err != nil {
		c.touch()
		return n, false, err
	}
	if _, out := c.remaining(); out {
		return 0, false, errTimeout
	}
	if !wait || c.waiter == nil {
		return 0, false, nil
	}
	if err := c.waitReadable(); err != nil {
		return 0, true, err
	}
	n, err = c.peer.GetPartialData(p)
	if n > 0 || err != nil {
		c.touch()
		return n, true, err
	}
	if _, out := c.remaining(); out {
		return 0, true, errTimeout
	}
	return 0, true, nil
}

// touch restarts the body's idle time limit after progress.
func (c *Client) touch() { c.armed = false }

// ReadResponseBodyView returns the next part of the response body as a
// view into the client's read buffer, without copying it anywhere: for a
// caller that only inspects, hashes or forwards the bytes. The view is
// valid until the next call of any method of c; copy what must outlive
// it. A view holds at most one chunk of a chunked body (its data, the
// framing consumed around it) and at most the read buffer's window of
// any other body, whatever ReadChunkSize is.
//
// Otherwise it behaves as ReadResponseBodyChunkInto: nil when nothing
// has arrived yet (after one wait in blocking mode), the status becomes
// StatusConnected when the body ends, and a failure ends in
// StatusConnectionError with the same errors.
func (c *Client) ReadResponseBodyView() ([]byte, error) {
	if c.phase != phaseBody {
		if c.phase.terminal() {
			return nil, c.err
		}
		return nil, ErrUnconfigured
	}
	if c.framing == parser.FramingChunked {
		return c.viewChunked()
	}
	return c.viewPlain()
}

// fill moves the bytes not yet consumed to the start of the window after
// the head and reads more after them. It reports what readSome does.
func (c *Client) fill(wait bool) (int, bool, error) {
	if c.rpos > c.headLen {
		c.rend = c.headLen + copy(c.rbuf[c.headLen:], c.rbuf[c.rpos:c.rend])
		c.rpos = c.headLen
	}
	if c.rend == len(c.rbuf) {
		return 0, false, errWindow
	}
	n, waited, err := c.readSome(c.rbuf[c.rend:], wait)
	c.rend += n
	return n, waited, err
}

// viewPlain returns a view of a body with a length, or one that runs
// until close.
func (c *Client) viewPlain() ([]byte, error) {
	if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyLeft > lim-c.bodyRead {
		return nil, c.fail(phaseConnError, newError(ErrBodyTooLarge, opBody, nil))
	}
	var err error
	if c.rpos == c.rend {
		c.rpos, c.rend = c.headLen, c.headLen
		_, _, err = c.fill(c.blocking)
	}
	n := c.rend - c.rpos
	if c.bodyLeft >= 0 && int64(n) > c.bodyLeft {
		n = int(c.bodyLeft)
	}
	var view []byte
	if n > 0 {
		view = c.rbuf[c.rpos : c.rpos+n]
		c.rpos += n
		c.touch()
	}
	c.bodyRead += int64(n)
	if c.bodyLeft > 0 {
		c.bodyLeft -= int64(n)
	}
	if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyRead > lim {
		return view, c.fail(phaseConnError, newError(ErrBodyTooLarge, opBody, nil))
	}
	switch {
	case err == io.EOF && c.bodyLeft < 0:
		c.endBody() // RFC 9112 §6.3: the body runs until the server closes
		return view, nil
	case err == errTimeout:
		return view, c.fail(phaseConnError, newError(ErrConnection, opBody, errTimeout))
	case err != nil:
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // closed before Content-Length
		}
		return view, c.fail(phaseConnError, newError(ErrConnection, opBody, err))
	case c.bodyLeft == 0:
		c.endBody()
	}
	return view, nil
}

// viewChunked returns a view of the next chunk data in the window.
func (c *Client) viewChunked() ([]byte, error) {
	wait := c.blocking // one wait per call at most
	for {
		data, n, err := c.chunked.Next(c.rbuf[c.rpos:c.rend])
		c.rpos += n
		c.bodyRead += int64(len(data))
		if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyRead > lim {
			return data, c.fail(phaseConnError, newError(ErrBodyTooLarge, opBody, nil))
		}
		if c.chunked.Done() {
			c.endBody()
			return data, nil
		}
		if err != nil && err != parser.ErrNeedMore {
			return data, c.fail(phaseConnError, newError(ErrBadResponse, opBody, err))
		}
		if len(data) > 0 {
			c.touch()
			return data, nil
		}
		if n > 0 {
			c.touch()
		}
		got, waited, err := c.fill(wait)
		wait = wait && !waited
		switch {
		case err == errWindow:
			return nil, c.fail(phaseConnError, newError(ErrBadResponse, opBody, errWindow))
		case err == errTimeout:
			return nil, c.fail(phaseConnError, newError(ErrConnection, opBody, errTimeout))
		case err == io.EOF:
			return nil, c.fail(phaseConnError, newError(ErrConnection, opBody, io.ErrUnexpectedEOF))
		case err != nil:
			return nil, c.fail(phaseConnError, newError(ErrConnection, opBody, err))
		case got == 0:
			return nil, nil
		}
	}
}
