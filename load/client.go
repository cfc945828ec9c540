package load

import (
	"errors"
	"io"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/streampeer"
	"github.com/h1dev/h1/tlsx"
)

// clientState is where a connection of the run stands.
//
//	idle ──connect──▶ connecting ──connected──▶ [handshaking] ──▶ open
//	  ▲                   │ refused, failed,          │ refused,         │
//	  │                   │ timed out                 │ timed out        │
//	  └───────────────────┴───────────────────────────┴── fail, close ◀──┘
//
// idle is the zero value: no socket, waiting for retryAt. Only https
// connections go through handshaking.
type clientState uint8

const (
	clientIdle        clientState = iota // no socket; connect at retryAt
	clientConnecting                     // connect in progress
	clientHandshaking                    // https: TLS handshake in progress
	clientOpen                           // connected: requests flow
)

// maxFields is how many header fields a response may have.
const maxFields = 100

// client is one connection of a run and everything it needs, allocated
// once: the peer, the read buffer, the parser's head and chunked decoder,
// and the times of the requests in flight. Every method runs on its
// worker's loop goroutine.
type client struct {
	w       *worker
	index   int // the connection's number in the run
	peer    *conn.TCP
	tls     *tlsx.Peer            // https: the session over peer; nil for http
	io      streampeer.StreamPeer // what requests and responses go through: peer or tls
	handler conn.Handler
	state   clientState

	retryAt        int64 // idle: when to connect again
	connectStart   int64 // connecting: when the attempt started
	handshakeStart int64 // handshaking: when the TCP connection was made

	// Read side: buf[r:n] holds bytes not yet read by rr, the response
	// reader; started says a response is under way, inHead that its head
	// is not complete yet.
	buf     []byte
	r, n    int
	rr      parser.ResponseReader
	started bool
	inHead  bool

	// Write side: wbuf[woff:] holds the bytes of queued requests not yet
	// written. Its capacity grows to what Pipeline requests need, once.
	wbuf []byte
	woff int

	// The requests in flight, oldest first, in a ring of Pipeline slots
	// starting at first: when each was due (its latency counts from
	// then) and when it was queued (its timeout counts from then).
	due      []int64
	queued   []int64
	target   []int32 // the index of each request's target
	first    int
	inflight int

	nextDue int64 // constant-rate mode: when the next request is due
	answers int64 // responses completed on the current socket
}

func newClient(w *worker, index int, nextDue int64) *client {
	p := w.cfg.Pipeline
	c := &client{
		w:       w,
		index:   index,
		peer:    new(conn.TCP),
		buf:     make([]byte, w.cfg.ReadBuffer),
		due:     make([]int64, p),
		queued:  make([]int64, p),
		target:  make([]int32, p),
		nextDue: nextDue,
	}
	c.rr.Head.Headers = make([]parser.Header, 0, maxFields)
	longest := 0
	for _, r := range w.reqs {
		longest = max(longest, len(r))
	}
	c.wbuf = make([]byte, 0, p*longest)
	c.rr.Trailers = make([]parser.Header, 0, 16)
	c.handler = c.handle
	c.io = c.peer
	if w.tlsOpts != nil {
		c.tls = new(tlsx.Peer)
		c.io = c.tls
	}
	_ = c.peer.SetConnectTimeout(w.cfg.Timeout)
	return c
}

// connect starts a connection and registers it with the loop, which
// reports Writable once the connect has finished either way.
func (c *client) connect(now int64) {
	c.state = clientConnecting
	c.connectStart = now
	if err := c.peer.ConnectToHost(c.w.host, c.w.port); err != nil {
		c.connectFailed(now)
		return
	}
	if err := c.w.loop.Add(c.peer, conn.Readable|conn.Writable|conn.EdgeTriggered, c.handler); err != nil {
		c.connectFailed(now)
	}
}

// connectFailed counts a failed connect and leaves the client idle until
// the retry delay has passed.
func (c *client) connectFailed(now int64) {
	c.w.errors.Connect++
	c.close()
	c.retryAt = now + retryDelay
}

// close releases the socket and forgets the connection's state; requests
// in flight are lost.
func (c *client) close() {
	_ = c.w.loop.Remove(c.peer)
	if c.tls != nil {
		_ = c.tls.Close() // stops a handshake under way; closes peer
	}
	c.peer.DisconnectFromHost()
	c.state = clientIdle
	c.lose()
	c.r, c.n, c.answers = 0, 0, 0
	c.wbuf, c.woff = c.wbuf[:0], 0
	c.started, c.inHead = false, false
}

// lose gives up the requests in flight.
func (c *client) lose() {
	c.w.lost += int64(c.inflight)
	c.w.inflight -= c.inflight
	c.inflight, c.first = 0, 0
}

// restart closes the connection and, unless the run is ending, opens a
// new one at once.
func (c *client) restart(now int64) {
	c.close()
	if c.w.sending() {
		c.connect(now)
	} else {
		c.retryAt = now
	}
}

// fail counts nothing itself: the caller has counted the error. It ends
// the connection and starts another.
func (c *client) fail(now int64) { c.restart(now) }

// handle receives the loop's events for the client's socket.
func (c *client) handle(_ *conn.TCP, ev conn.Events) {
	if c.w.finished {
		return // the run is over: late answers are not counted
	}
	now := c.w.now()
	c.events(now, ev)
	if c.w.draining && c.w.inflight == 0 {
		c.w.finish(now)
	}
}

func (c *client) events(now int64, ev conn.Events) {
	w := c.w
	if c.state == clientConnecting {
		if err := c.peer.Poll(); err != nil {
			c.connectFailed(now)
			return
		}
		if c.peer.Status() != conn.StatusConnected {
			return
		}
		w.connects++
		c.state = clientOpen
		if c.tls != nil {
			c.state = clientHandshaking
			c.handshakeStart = now
			if err := c.tls.Connect(c.peer, w.cfg.Target.Host, w.tlsOpts); err != nil {
				w.errors.TLS++
				c.fail(now)
				return
			}
		}
	}
	if c.state == clientHandshaking {
		if err := c.tls.Poll(); err != nil {
			w.errors.TLS++
			c.fail(now)
			return
		}
		if c.tls.Status() != tlsx.StatusConnected {
			return
		}
		c.state = clientOpen
		w.handshake(now-c.handshakeStart, c.tls.ConnectionState().DidResume)
	}
	if c.state != clientOpen {
		return
	}
	if ev&(conn.Readable|conn.Hangup|conn.Failed) != 0 && !c.read(now, ev&conn.Hangup != 0) {
		return
	}
	c.refill(now)
}

// read reads what the socket holds and parses it. It returns false when
// the connection ended (and was restarted) meanwhile.
//
// The registration is edge-triggered: a read that leaves room in the
// buffer has emptied the socket (a byte that arrives later raises a new
// edge); a read that fills it is parsed and followed by another. After a
// hang-up, reading goes on until the end of the stream, which may have
// come with the last bytes and raises no edge of its own.
func (c *client) read(now int64, hangup bool) bool {
	w := c.w
	for {
		if c.n == len(c.buf) && !c.makeRoom() {
			w.errors.Parse++ // a head larger than the parser's limit
			c.fail(now)
			return false
		}
		free := len(c.buf) - c.n
		m, err := c.io.GetPartialData(c.buf[c.n:])
		if m > 0 {
			c.n += m
			w.bytes += int64(m)
			if !c.consume(now) {
				return false
			}
		}
		switch {
		case err == io.EOF || errors.Is(err, tlsx.ErrTruncated):
			// The end of the stream; over TLS, with or without the
			// server's close_notify, which many servers skip.
			c.ended(now)
			return false
		case err != nil:
			w.errors.Read++
			c.fail(now)
			return false
		case c.tls != nil:
			// A TLS read returns one record at most: the socket is
			// empty only when nothing came.
			if m == 0 {
				return true
			}
		case m < free && (!hangup || m == 0):
			return true
		}
	}
}

// makeRoom moves unparsed bytes to the front of the buffer, or grows it
// when they fill it, up to MaxReadBuffer.
func (c *client) makeRoom() bool {
	if c.r > 0 {
		c.n = copy(c.buf, c.buf[c.r:c.n])
		c.r = 0
		return true
	}
	if len(c.buf) >= MaxReadBuffer {
		return false
	}
	b := make([]byte, min(2*len(c.buf), MaxReadBuffer))
	c.n = copy(b, c.buf[:c.n])
	c.buf = b
	return true
}

// consume reads the responses in buf[r:n] through the response reader
// (body bytes are views it skips; nothing is copied). It returns false
// when the connection ended (and was restarted) meanwhile.
func (c *client) consume(now int64) bool {
	w := c.w
	for {
		if !c.started {
			if c.r == c.n {
				c.r, c.n = 0, 0
				return true
			}
			if c.inflight == 0 {
				w.errors.Parse++ // an answer to no request
				c.fail(now)
				return false
			}
			c.rr.Start(w.methods[c.target[c.first]], false) // HEAD has no body
			c.started, c.inHead = true, true
		}
		if c.inHead && c.r == c.n {
			c.r, c.n = 0, 0
			return true
		}
		ev, k, err := c.rr.Next(c.buf[c.r:c.n])
		c.r += k
		if err != nil {
			w.errors.Parse++ // a bad head or body framing
			c.fail(now)
			return false
		}
		switch ev {
		case parser.EventNeedMore:
			if k == 0 || c.r == c.n {
				return true
			}
		case parser.EventInterim:
			// Another head follows.
		case parser.EventHead:
			c.inHead = false
			if c.rr.Tunnel() { // this is no longer HTTP
				w.errors.Parse++
				c.fail(now)
				return false
			}
		case parser.EventEnd:
			c.started = false
			if !c.complete(now) {
				return false
			}
		}
	}
}

// complete records the response that just ended. It returns false when
// the response ended the connection (and it was restarted).
func (c *client) complete(now int64) bool {
	w := c.w
	w.record(now, now-c.due[c.first])
	c.first++
	if c.first == len(c.due) {
		c.first = 0
	}
	c.inflight--
	w.inflight--
	w.requests++
	w.lastResponse = now
	if c.rr.Head.Status >= 400 {
		w.errors.Status++
	}
	c.answers++
	if w.cfg.observe != nil {
		w.cfg.observe(c.index, c.answers, &c.rr.Head)
	}
	keep := c.rr.Head.KeepAlive
	if !keep {
		// The server closes after this response: requests pipelined
		// behind it are lost, and a new connection takes over.
		c.restart(now)
		return false
	}
	return true
}

// ended handles the end of the stream: it completes a body that runs
// until the close, counts a read error when responses were still due,
// and connects again.
func (c *client) ended(now int64) {
	if c.started && !c.inHead {
		if ev, err := c.rr.EOF(); err == nil && ev == parser.EventEnd {
			c.started = false
			c.complete(now) // restarts: the response is not kept alive
			return
		}
	}
	if c.inflight > 0 || c.r < c.n {
		c.w.errors.Read++
	}
	c.restart(now)
}

// refill queues as many requests as the run allows now (closed-loop: up
// to Pipeline in flight; constant-rate: those that are due) and writes
// what is queued.
func (c *client) refill(now int64) {
	w := c.w
	if c.state != clientOpen {
		return
	}
	k := 0
	if w.sending() {
		room := len(c.due) - c.inflight
		if w.budget >= 0 && int64(room) > w.budget {
			room = int(w.budget)
		}
		for ; k < room; k++ {
			due := now
			if w.interval > 0 {
				if c.nextDue > now {
					break
				}
				due = c.nextDue
				c.nextDue += w.gap(due)
			}
			i := c.first + c.inflight + k
			if i >= len(c.due) {
				i -= len(c.due)
			}
			c.due[i] = due
			c.queued[i] = now
			t := w.pick()
			c.target[i] = int32(t)
			if c.woff > 0 {
				c.wbuf = c.wbuf[:copy(c.wbuf, c.wbuf[c.woff:])]
				c.woff = 0
			}
			c.wbuf = append(c.wbuf, w.reqs[t]...)
		}
		if k > 0 {
			c.inflight += k
			w.inflight += k
			w.sent += int64(k)
			if w.budget > 0 {
				w.budget -= int64(k)
				if w.budget == 0 {
					w.drain(now)
				}
			}
		}
	}
	c.flush(now)
}

// flush writes the queued request bytes that the socket takes now; the
// rest waits for the next Writable edge.
func (c *client) flush(now int64) {
	if c.tls != nil && c.woff == len(c.wbuf) {
		// Send the ciphertext an earlier write left behind.
		if _, err := c.tls.PutPartialData(nil); err != nil {
			c.w.errors.Write++
			c.fail(now)
		}
		return
	}
	for c.woff < len(c.wbuf) {
		m, err := c.io.PutPartialData(c.wbuf[c.woff:])
		if err != nil {
			c.w.errors.Write++
			c.fail(now)
			return
		}
		if m == 0 {
			return
		}
		c.woff += m
	}
	c.wbuf, c.woff = c.wbuf[:0], 0
}

// tick does the client's timed work: connecting again after a failure,
// giving up on a connect or a request that took longer than the timeout,
// and in constant-rate mode sending the requests that have come due.
func (c *client) tick(now int64) {
	w := c.w
	switch c.state {
	case clientIdle:
		if now >= c.retryAt && w.sending() {
			c.connect(now)
		}
	case clientConnecting:
		if now-c.connectStart > w.timeout {
			c.connectFailed(now)
		}
	case clientHandshaking:
		if now-c.handshakeStart > w.timeout {
			w.errors.TLS++
			c.fail(now)
		}
	case clientOpen:
		if c.inflight > 0 && now-c.queued[c.first] > w.timeout {
			w.errors.Timeout++
			c.fail(now)
			return
		}
		if w.interval > 0 {
			c.refill(now)
		}
	}
}
