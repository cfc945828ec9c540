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

// plainLeft returns the bytes left of a body that is not chunked: -1
// for one that runs until close (or a tunnel's bytes).
func (c *Client) plainLeft() int64 {
	if c.raw {
		return -1
	}
	return c.rr.Remaining()
}

// readPlain reads a body with a length, or one that runs until close:
// the bytes that came with the head are copied from the read buffer, the
// rest is read from the connection straight into dst.
func (c *Client) readPlain(dst []byte, want int) ([]byte, error) {
	left := c.plainLeft()
	if left >= 0 && int64(want) > left {
		want = int(left)
	}
	if lim := c.Limits.MaxBodySize; lim > 0 && left > lim-c.bodyRead {
		return dst, c.fail(phaseConnError, newError(ErrBodyTooLarge, OpBody, nil))
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
	return dst[:len(dst)+n], c.plainRead(out[:n], left, err)
}

// plainRead takes the bytes b that were read of a body that is not
// chunked (left as plainLeft said before), through the response reader,
// and what the read returned.
func (c *Client) plainRead(b []byte, left int64, err error) error {
	if len(b) > 0 && !c.raw {
		// b fits in what is left, so the reader takes all of it.
		if _, _, rerr := c.rr.Next(b); rerr != nil {
			return c.fail(phaseConnError, newError(ErrBadResponse, OpBody, rerr))
		}
	}
	c.bodyRead += int64(len(b))
	if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyRead > lim {
		return c.fail(phaseConnError, newError(ErrBodyTooLarge, OpBody, nil))
	}
	switch {
	case err == io.EOF && left < 0:
		// RFC 9112 §6.3: the body runs until the server closes.
		if !c.raw {
			_, _ = c.rr.EOF()
		}
		c.endBody()
		return nil
	case err == errTimeout:
		return c.fail(phaseConnError, newError(ErrConnection, OpBody, errTimeout))
	case err != nil:
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // closed before Content-Length
		}
		return c.fail(phaseConnError, newError(ErrConnection, OpBody, err))
	case left >= 0 && c.plainLeft() == 0:
		if ev, _, _ := c.rr.Next(nil); ev == parser.EventEnd {
			c.endBody()
		}
	}
	return nil
}

// readChunked copies chunk data into dst, as much as has arrived and dst
// has room for (want bytes): a chunk that does not fit is kept in pend
// for the next call.
func (c *Client) readChunked(dst []byte, want int) ([]byte, error) {
	dst = room(dst, want)
	out := dst[len(dst) : len(dst)+want]
	o := copy(out, c.pend)
	c.pend = c.pend[o:]
	wait := c.blocking // one wait per call at most
	for o < want && len(c.pend) == 0 && c.phase == phaseBody {
		data, err := c.nextChunk(&wait, o == 0)
		if err != nil {
			return dst[:len(dst)+o], err
		}
		if len(data) == 0 {
			break
		}
		k := copy(out[o:], data)
		o += k
		c.pend = data[k:]
	}
	return dst[:len(dst)+o], c.lookAhead()
}

// lookAhead reads on from the bytes at hand after chunk data was handed
// out, so that a body whose end has arrived ends now (and its connection
// is free) rather than at the next call. Data it finds waits in pend.
func (c *Client) lookAhead() error {
	if len(c.pend) > 0 || c.phase != phaseBody {
		return nil
	}
	data, err := c.nextChunk(nil, false)
	c.pend = data
	return err
}

// nextChunk returns the next chunk data that has arrived, a view into
// the read buffer, or nil (nothing yet, or the body ended). Only when
// mayRead is set does it read from the connection, waiting at most once
// per call in blocking mode (*wait says whether it still may).
func (c *Client) nextChunk(wait *bool, mayRead bool) ([]byte, error) {
	for {
		ev, n, err := c.rr.Next(c.rbuf[c.rpos:c.rend])
		c.rpos += n
		if err != nil {
			return nil, c.fail(phaseConnError, newError(ErrBadResponse, OpBody, err))
		}
		switch ev {
		case parser.EventData:
			data := c.rr.Data()
			c.bodyRead += int64(len(data))
			if lim := c.Limits.MaxBodySize; lim > 0 && c.bodyRead > lim {
				return nil, c.fail(phaseConnError, newError(ErrBodyTooLarge, OpBody, nil))
			}
			c.touch()
			return data, nil
		case parser.EventTrailers:
			continue // in c.rr.Trailers; the end follows
		case parser.EventEnd:
			c.endBody()
			return nil, nil
		}
		// The window needs more bytes.
		if n > 0 {
			c.touch()
		}
		if !mayRead {
			return nil, nil
		}
		got, waited, err := c.fill(*wait)
		*wait = *wait && !waited
		switch {
		case err == errWindow:
			return nil, c.fail(phaseConnError, newError(ErrBadResponse, OpBody, errWindow))
		case err == errTimeout:
			return nil, c.fail(phaseConnError, newError(ErrConnection, OpBody, errTimeout))
		case err == io.EOF:
			return nil, c.fail(phaseConnError, newError(ErrConnection, OpBody, io.ErrUnexpectedEOF))
		case err != nil:
			return nil, c.fail(phaseConnError, newError(ErrConnection, OpBody, err))
		case got == 0:
			return nil, nil
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
	left := c.plainLeft()
	if lim := c.Limits.MaxBodySize; lim > 0 && left > lim-c.bodyRead {
		return nil, c.fail(phaseConnError, newError(ErrBodyTooLarge, OpBody, nil))
	}
	var err error
	if c.rpos == c.rend {
		c.rpos, c.rend = c.headLen, c.headLen
		_, _, err = c.fill(c.blocking)
	}
	n := c.rend - c.rpos
	if left >= 0 && int64(n) > left {
		n = int(left)
	}
	view := c.rbuf[c.rpos : c.rpos+n : c.rpos+n]
	if n > 0 {
		c.rpos += n
		c.touch()
	} else {
		view = nil
	}
	return view, c.plainRead(view, left, err)
}

// viewChunked returns a view of the next chunk data in the window.
func (c *Client) viewChunked() ([]byte, error) {
	if len(c.pend) > 0 {
		v := c.pend
		c.pend = nil
		return v, nil
	}
	wait := c.blocking
	v, err := c.nextChunk(&wait, true)
	if err != nil || len(v) == 0 {
		return v, err
	}
	return v, c.lookAhead()
}
