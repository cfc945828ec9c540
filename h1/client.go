package h1

import (
	"errors"
	"net/netip"
	"strings"
	"time"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/streampeer"
	"github.com/h1dev/h1/tlsx"
)

// Default limits, used where a field of Limits is zero.
const (
	// DefaultTimeout bounds each step: connecting, the TLS handshake,
	// waiting for a response head, and each wait for body bytes.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxHeaders is how many fields the client holds without
	// growing. It is not a limit: with Limits.MaxHeaders zero, a head may
	// carry as many fields as fit in Limits.MaxHeadSize, as with curl.
	DefaultMaxHeaders = 100
	// DefaultReadChunkSize is the most bytes one ReadResponseBodyChunk
	// returns unless SetReadChunkSize says otherwise.
	DefaultReadChunkSize = 64 << 10
	// MinReadChunkSize and MaxReadChunkSize bound SetReadChunkSize, as in
	// Godot.
	MinReadChunkSize = 256
	MaxReadChunkSize = 16 << 20
)

const (
	// minWindow is the least room after the head for body bytes: a
	// chunk-size line (4 KiB) and a trailer section (bounded by the 16
	// KiB chunk overhead) must fit whole.
	minWindow = 32 << 10
	// initialHead is the room for a head before it has to grow.
	initialHead = 4 << 10
	// smallBody is the largest body copied behind the head so that both
	// leave in one write; a larger one is written from the caller's slice.
	smallBody = 16 << 10
)

// Limits bound what a server can make a Client hold or wait for. The zero
// value holds safe defaults: every field that is zero takes its default.
type Limits struct {
	// MaxHeadSize bounds a response head, start line to empty line; 0
	// means parser.DefaultMaxHeadSize (100 KiB). A longer head fails with
	// a *LimitError that matches parser.ErrHeadTooLarge.
	MaxHeadSize int
	// MaxHeaders bounds the fields of a response head; 0 means no count
	// of its own: as many as MaxHeadSize holds. More fails with a
	// *LimitError that matches parser.ErrTooManyHeaders.
	MaxHeaders int
	// MaxBodySize bounds a response body; 0 means no limit (bodies are
	// streamed, not kept). A longer body fails with ErrBodyTooLarge.
	MaxBodySize int64
	// ConnectTimeout bounds resolving and connecting, the proxy tunnel
	// included; HandshakeTimeout bounds the TLS handshake; HeadTimeout
	// runs from Request until the response head is complete;
	// BodyIdleTimeout bounds each wait for body bytes. 0 means
	// DefaultTimeout and a negative value no limit. A step that runs out
	// of time fails with an error that matches ErrTimeout.
	ConnectTimeout   time.Duration
	HandshakeTimeout time.Duration
	HeadTimeout      time.Duration
	BodyIdleTimeout  time.Duration
}

func (l *Limits) timeout(k limit) time.Duration {
	var d time.Duration
	switch k {
	case limitConnect:
		d = l.ConnectTimeout
	case limitHandshake:
		d = l.HandshakeTimeout
	case limitHead:
		d = l.HeadTimeout
	case limitBodyIdle:
		d = l.BodyIdleTimeout
	default:
		return -1
	}
	if d == 0 {
		return DefaultTimeout
	}
	return d
}

// maxHeaders is the capacity to parse into first: MaxHeaders, or
// DefaultMaxHeaders when the head size alone bounds the count (the slice
// then grows as a head needs).
func (l *Limits) maxHeaders() int {
	if l.MaxHeaders > 0 {
		return l.MaxHeaders
	}
	return DefaultMaxHeaders
}

func (l *Limits) maxHead() int {
	if l.MaxHeadSize > 0 {
		return l.MaxHeadSize
	}
	return parser.DefaultMaxHeadSize
}

// Client is an HTTP/1.1 client for one connection, after Godot's
// HTTPClient: one request at a time, the connection kept alive between
// requests when the server allows it, everything advanced by Poll from
// the caller's own loop, or waited for in blocking mode.
//
// The zero value is a disconnected client with the default settings. A
// Client is not safe for concurrent use and must not be copied after
// first use.
type Client struct {
	// Limits bound sizes and times; set them before ConnectToHost or
	// between requests.
	Limits Limits
	// UserAgent is sent as the User-Agent of every request whose headers
	// carry none; empty means parser.DefaultUserAgent. It is checked as a
	// field value: one with a control byte fails the Request with
	// ErrInvalidParameter.
	UserAgent string

	phase    phase
	err      error     // why the client is in a terminal phase
	deadline time.Time // when the current step runs out of time; zero: never
	armed    bool      // deadline holds the current step's limit

	// Settings, kept by Close.
	blocking   bool
	chunkSize  int
	httpProxy  proxy
	httpsProxy proxy

	// The origin and how it is reached.
	host      string // no brackets; "" after SetConnection
	port      int
	tlsOpts   *tlsx.Options // nil: plain HTTP
	tunnel    *proxy        // the HTTPS proxy in use, or nil
	via       *proxy        // the HTTP proxy in use, or nil
	ownHost   bool          // the client opened the connection and can open it again
	reconnect bool          // the connection was closed after a response

	tcp       conn.TCP
	tls       tlsx.Peer
	tlsActive bool
	peer      streampeer.StreamPeer // what requests travel over
	waiter    streampeer.Waiter     // peer as a Waiter, or nil
	watch     watchdog              // limits the waits on tcp
	trace     *Trace                // the Request's Trace, while it uses the client

	// The request.
	method   Method
	queued   bool // the request waits for a connection to open
	reqClose bool // the request carries Connection: close
	upgrade  bool // the request carries Upgrade: a 101 may answer it
	rq       parser.Request
	wbuf     []byte // the head, and a small body
	headN    int    // the length of the head in wbuf; 0: none to reuse
	last     lastRequest
	woff     int
	body     []byte // a large body, written after wbuf
	boff     int
	hbuf     []byte // copies of the caller's header lines
	hdrs     []parser.Header
	pbuf     []byte // the proxy's CONNECT
	poff     int
	sent     bool // a byte of the request went out
	justSent bool // the request just went out: nothing to read yet
	reused   bool // the connection carried an earlier response
	retried  bool
	recvd    int    // bytes received for this request
	up       upload // a body streamed from a reader (RequestStream)

	// The response, read by rr from rbuf. rbuf[:headLen] holds the head;
	// body bytes wait in rbuf[rpos:rend]; pend is the part of a chunk's
	// data (inside rbuf[:rpos]) that the caller's buffer had no room for.
	rbuf        []byte
	rend        int
	rpos        int
	headLen     int
	rr          parser.ResponseReader
	pend        []byte
	raw         bool // 101 or CONNECT 2xx: the bytes after the head are not HTTP
	fields      [DefaultMaxHeaders]parser.Header
	moreFields  []parser.Header // when Limits.MaxHeaders is above the array
	hasResponse bool
	framing     parser.Framing
	bodyRead    int64
	keepAlive   bool
	trailers    [16]parser.Header

	headerList  []string
	headerMap   map[string][]string
	headersDone bool
	scratch     []byte
}

// ConnectToHost starts connecting to host on port and returns at once;
// Poll carries the connection on (Resolving, Connecting, Connected).
//
// As in Godot, host may start with "http://" (plain HTTP, tls ignored) or
// "https://" (TLS; a nil tls then means tlsx.Client(nil, ""): the system
// roots and a full check of the server's name). Without a prefix, a
// non-nil tls selects TLS. Port -1 means 80, or 443 with TLS. An IPv6
// address may come with or without brackets.
//
// A proxy set with SetHTTPProxy (plain) or SetHTTPSProxy (TLS) is used
// from this call on. ConnectToHost first closes what the client had.
func (c *Client) ConnectToHost(host string, port int, tls *tlsx.Options) error {
	c.Close()
	switch {
	case parser.HasPrefixFold(host, "http://"):
		host, tls = host[7:], nil
	case parser.HasPrefixFold(host, "https://"):
		host = host[8:]
		if tls == nil {
			tls = tlsx.Client(nil, "")
		}
	}
	if len(host) > 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	if host == "" || strings.ContainsAny(host, "/?#@ \t\r\n") {
		return ErrInvalidParameter
	}
	if port < 0 {
		port = 80
		if tls != nil {
			port = 443
		}
	}
	if port < 1 || port > 65535 {
		return ErrInvalidParameter
	}
	c.host, c.port, c.tlsOpts, c.ownHost = host, port, tls, true
	return c.dial()
}

// dial starts the TCP connection to the origin or to the proxy.
func (c *Client) dial() error {
	h, p := c.host, c.port
	c.tunnel, c.via = nil, nil
	switch {
	case c.tlsOpts != nil && c.httpsProxy.set():
		c.tunnel = &c.httpsProxy
		h, p = c.httpsProxy.host, c.httpsProxy.port
	case c.tlsOpts == nil && c.httpProxy.set():
		c.via = &c.httpProxy
		h, p = c.httpProxy.host, c.httpProxy.port
	}
	if d := c.Limits.timeout(limitConnect); d > 0 {
		_ = c.tcp.SetConnectTimeout(d)
	}
	c.peer, c.waiter = &c.tcp, &c.tcp
	_, ipErr := netip.ParseAddr(h)
	if err := c.tcp.ConnectToHost(h, p); err != nil {
		if errors.Is(err, conn.ErrInvalidParameter) && c.phase == phaseIdle {
			c.peer, c.waiter = nil, nil
			return newError(ErrInvalidParameter, OpConnect, err)
		}
		return c.fail(phaseCantConnect, newError(ErrCantConnect, OpConnect, err))
	}
	if ipErr == nil {
		c.to(phaseConnect)
	} else {
		c.to(phaseResolve)
	}
	return nil
}

// SetConnection makes the client speak over p, any StreamPeer (a
// streampeer.Buffer with scripted bytes, a tlsx.Peer the caller set up):
// the client closes what it had and is Connected. It has no host to
// reach again, so requests need a Host field (or an absolute URL), and a
// response after which the connection cannot be reused leaves the client
// Disconnected. The client never closes p. A nil p only closes.
func (c *Client) SetConnection(p streampeer.StreamPeer) {
	if p != nil && p == c.peer {
		return
	}
	c.Close()
	if p == nil {
		return
	}
	c.peer = p
	c.waiter, _ = p.(streampeer.Waiter)
	c.to(phaseReady)
}

// Connection returns the StreamPeer requests travel over: the TCP peer,
// the TLS peer above it, or the peer given to SetConnection; nil when the
// client has none.
func (c *Client) Connection() streampeer.StreamPeer { return c.peer }

// Close ends the connection and forgets the request, the response and any
// error; the status is StatusDisconnected. Settings (blocking mode, read
// chunk size, proxies, Limits) stay. It always returns nil.
func (c *Client) Close() error {
	c.watch.stop()
	c.closeConn()
	c.peer, c.waiter = nil, nil
	c.host, c.port, c.tlsOpts, c.tunnel, c.via = "", 0, nil, nil, nil
	c.ownHost, c.reconnect, c.queued = false, false, false
	c.headN = 0
	c.err = nil
	c.up.reset()
	c.resetResponse()
	c.to(phaseIdle)
	return nil
}

// closeConn releases the connection the client opened; a peer given to
// SetConnection is only forgotten.
func (c *Client) closeConn() {
	if c.tlsActive {
		_ = c.tls.Close() // closes the TCP peer too
		c.tlsActive = false
	}
	c.tcp.DisconnectFromHost()
	if c.ownHost {
		c.peer, c.waiter = &c.tcp, &c.tcp
	}
}

// Err returns the error that put the client in an error status, or nil.
func (c *Client) Err() error { return c.err }

// SetBlockingMode turns blocking mode on or off. In blocking mode Poll and
// ReadResponseBodyChunk wait on the connection (in poll(2), not spinning)
// once per call when there is nothing to do yet, for no longer than the
// current step's time limit. Off by default, as in Godot. A peer given to
// SetConnection that is not a streampeer.Waiter cannot be waited on: with
// it, blocking mode changes nothing.
func (c *Client) SetBlockingMode(enabled bool) { c.blocking = enabled }

// IsBlockingModeEnabled reports whether blocking mode is on.
func (c *Client) IsBlockingModeEnabled() bool { return c.blocking }

// SetReadChunkSize sets the most bytes one ReadResponseBodyChunk returns,
// from MinReadChunkSize (256 B) to MaxReadChunkSize (16 MiB); other sizes
// return ErrInvalidParameter and change nothing. The default is
// DefaultReadChunkSize (64 KiB).
func (c *Client) SetReadChunkSize(n int) error {
	if n < MinReadChunkSize || n > MaxReadChunkSize {
		return ErrInvalidParameter
	}
	c.chunkSize = n
	return nil
}

// ReadChunkSize returns the read chunk size.
func (c *Client) ReadChunkSize() int {
	if c.chunkSize == 0 {
		return DefaultReadChunkSize
	}
	return c.chunkSize
}

// window is the room the read buffer keeps after a head.
func (c *Client) window() int { return max(c.ReadChunkSize(), minWindow) }

// remaining returns the time left in the current step (negative: no
// limit) and whether it ran out. A step's limit starts the first time the
// client asks, which is when the step has to wait for the network: the
// steps that never wait cost no clock reading.
func (c *Client) remaining() (time.Duration, bool) {
	if !c.armed {
		c.armed = true
		c.deadline = time.Time{}
		if d := c.Limits.timeout(phases[c.phase].limit); d >= 0 {
			c.deadline = time.Now().Add(d)
		}
	}
	if c.deadline.IsZero() {
		return -1, false
	}
	d := time.Until(c.deadline)
	return max(d, 0), d <= 0
}

// waitReadable waits once for the connection to have bytes or an end,
// within the current step's time. It returns errTimeout when the time ran
// out.
func (c *Client) waitReadable() error {
	return c.wait(false)
}

// wait waits once for the connection to be readable (or writable), within
// the current step's time; errTimeout when the time ran out. On the
// client's own TCP peer the watchdog keeps the limit, so that a wait arms
// no timer of its own.
func (c *Client) wait(write bool) error {
	d, out := c.remaining()
	if out {
		return errTimeout
	}
	var err error
	if c.waiter == streampeer.Waiter(&c.tcp) && d > 0 {
		c.watch.arm(c.deadline, &c.tcp)
		if write {
			err = c.tcp.WaitWritable(-1)
		} else {
			err = c.tcp.WaitReadable(-1)
		}
		c.watch.disarm()
	} else if write {
		err = c.waiter.WaitWritable(d)
	} else {
		err = c.waiter.WaitReadable(d)
	}
	if errors.Is(err, streampeer.ErrTimeout) {
		return errTimeout
	}
	return err
}

// ownTCP reports whether requests travel over the client's own TCP peer
// (no TLS, no peer from SetConnection).
func (c *Client) ownTCP() bool { return c.waiter == streampeer.Waiter(&c.tcp) }

// readWait reads into p from the client's own TCP peer, waiting (once, in
// the runtime poller) until bytes arrive, within the current step's time;
// errTimeout when the time ran out. The watchdog keeps the limit, as in
// wait.
func (c *Client) readWait(p []byte) (int, error) {
	d, out := c.remaining()
	if out {
		return 0, errTimeout
	}
	if d > 0 {
		c.watch.arm(c.deadline, &c.tcp)
	}
	n, err := c.tcp.ReadWait(p)
	if d > 0 {
		c.watch.disarm()
	}
	if n == 0 && err == nil {
		if _, out := c.remaining(); out {
			return 0, errTimeout
		}
	}
	return n, err
}

// errTimeout marks a step that ran out of time, before it is wrapped.
var errTimeout = ErrTimeout
