package h1

import (
	"errors"
	"io"
	"strconv"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
)

// stepConnect advances resolving and connecting.
func (c *Client) stepConnect(wait bool) error {
	for {
		err := c.tcp.Poll()
		switch c.tcp.Status() {
		case conn.StatusConnected:
			return c.connected()
		case conn.StatusConnecting:
			// The TCP peer has a socket once the lookup is over.
			if c.phase == phaseResolve && c.tcp.ConnectedHost() != "" {
				c.to(phaseConnect)
			}
		default:
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			if errors.Is(err, conn.ErrCantResolve) {
				return c.fail(phaseCantResolve, newError(ErrCantResolve, opResolve, err))
			}
			return c.fail(phaseCantConnect, newError(ErrCantConnect, OpConnect, err))
		}
		d, out := c.remaining()
		if out {
			if c.phase == phaseResolve {
				return c.fail(phaseCantResolve, newError(ErrCantResolve, opResolve, errTimeout))
			}
			return c.fail(phaseCantConnect, newError(ErrCantConnect, OpConnect, errTimeout))
		}
		if !wait {
			return nil
		}
		wait = false
		// Returns when the lookup ends or the connect attempt settles.
		_ = c.tcp.WaitWritable(d)
	}
}

// connected goes on from an open TCP connection: the proxy tunnel, the
// TLS handshake, or straight to requests.
func (c *Client) connected() error {
	switch {
	case c.tunnel != nil:
		c.pbuf = c.pbuf[:0]
		c.poff = 0
		var err error
		c.pbuf, err = appendConnect(c.pbuf, c.host, c.port, c.tunnel)
		if err != nil {
			return c.fail(phaseCantConnect, newError(ErrCantConnect, opProxy, err))
		}
		c.to(phaseProxySend)
		return nil
	case c.tlsOpts != nil:
		return c.startTLS()
	}
	c.open()
	return nil
}

// open ends a successful connection: the queued request, if any, goes out.
func (c *Client) open() {
	if c.queued {
		c.queued = false
		c.to(phaseSend)
		return
	}
	c.to(phaseReady)
}

// startTLS starts the handshake over the TCP peer.
func (c *Client) startTLS() error {
	opts := *c.tlsOpts
	if d := c.Limits.timeout(limitHandshake); opts.HandshakeTimeout == 0 || d > 0 && d < opts.HandshakeTimeout {
		opts.HandshakeTimeout = d
	}
	if err := c.tls.Connect(&c.tcp, c.host, &opts); err != nil {
		return c.fail(phaseTLSError, newError(ErrTLSHandshake, opHandshake, err))
	}
	c.tlsActive = true
	c.peer, c.waiter = &c.tls, &c.tls
	c.to(phaseHandshake)
	return nil
}

// stepHandshake advances the TLS handshake.
func (c *Client) stepHandshake(wait bool) error {
	for {
		err := c.tls.Poll()
		switch c.tls.Status() {
		case tlsx.StatusConnected:
			c.open()
			return nil
		case tlsx.StatusHandshaking:
		default:
			if err == nil {
				err = c.tls.Err()
			}
			return c.fail(phaseTLSError, newError(ErrTLSHandshake, opHandshake, err))
		}
		d, out := c.remaining()
		if out {
			return c.fail(phaseTLSError, newError(ErrTLSHandshake, opHandshake, errTimeout))
		}
		if !wait {
			return nil
		}
		wait = false
		// The handshake waits for the server: wait on the socket below.
		_ = c.tcp.WaitReadable(d)
	}
}

// stepProxySend writes the CONNECT request to the HTTPS proxy.
func (c *Client) stepProxySend(wait bool) error {
	for {
		for c.poff < len(c.pbuf) {
			n, err := c.tcp.PutPartialData(c.pbuf[c.poff:])
			c.poff += n
			if err != nil {
				return c.fail(phaseCantConnect, newError(ErrCantConnect, opProxy, err))
			}
			if n == 0 {
				break
			}
		}
		if c.poff == len(c.pbuf) {
			c.resetHead("CONNECT")
			c.to(phaseProxyHead)
			return nil
		}
		d, out := c.remaining()
		if out {
			return c.fail(phaseCantConnect, newError(ErrCantConnect, opProxy, errTimeout))
		}
		if !wait {
			return nil
		}
		wait = false
		_ = c.tcp.WaitWritable(d)
	}
}

// stepProxyHead reads the proxy's answer to CONNECT; a 2xx opens the
// tunnel and the TLS handshake starts inside it.
func (c *Client) stepProxyHead(wait bool) error {
	done, err := c.pumpHead(wait, false)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if _, ok := err.(*parser.ProtocolError); ok {
			return c.fail(phaseCantConnect, newError(ErrCantConnect, opProxy, newError(ErrBadResponse, opProxy, err)))
		}
		return c.fail(phaseCantConnect, newError(ErrCantConnect, opProxy, err))
	}
	if !done {
		return nil
	}
	if st := c.rr.Head.Status; st < 200 || st > 299 {
		return c.fail(phaseCantConnect, newError(ErrCantConnect, opProxy, &ProxyError{Status: st}))
	}
	if c.rend > c.headLen {
		// Bytes after the proxy's head would belong to the TLS session
		// before it started: no proxy sends them.
		return c.fail(phaseCantConnect, newError(ErrCantConnect, opProxy, errTunnelData))
	}
	c.resetResponse()
	return c.startTLS()
}

var errTunnelData = errors.New("h1: proxy sent bytes before the tunnel was used")

// stepReady checks an idle connection, as Godot does; one the server has
// closed (or reset) meanwhile is opened again by the next Request.
func (c *Client) stepReady(bool) error {
	if !c.ownHost || c.reconnect {
		return nil
	}
	if c.tlsActive {
		_ = c.tls.Poll()
		if c.tls.Status() != tlsx.StatusConnected {
			c.closeConn()
			c.reconnect = true
		}
		return nil
	}
	_ = c.tcp.Poll()
	if c.tcp.Status() != conn.StatusConnected {
		c.closeConn()
		c.reconnect = true
	}
	return nil
}

// appendConnect appends the CONNECT request for host:port (RFC 9110
// §9.3.6) with a real Host field and the proxy's credentials.
func appendConnect(dst []byte, host string, port int, p *proxy) ([]byte, error) {
	authority := joinHostPort(host, port)
	hs := []parser.Header{{Name: []byte("User-Agent"), Value: []byte(parser.DefaultUserAgent)}}
	if p.auth != nil {
		hs = append(hs, parser.Header{Name: []byte("Proxy-Authorization"), Value: p.auth})
	}
	r := parser.Request{Method: "CONNECT", Target: authority, Headers: hs, ContentLength: -1, NoDefaults: true}
	return parser.AppendRequestHead(dst, &r)
}

// joinHostPort writes host:port, bracketing an IPv6 address.
func joinHostPort(host string, port int) string {
	return bracketHost(host) + ":" + strconv.Itoa(port)
}

// bracketHost puts an IPv6 address in brackets, as a URL or Host field
// needs it.
func bracketHost(host string) string {
	if len(host) > 0 && host[0] != '[' && containsByte(host, ':') {
		return "[" + host + "]"
	}
	return host
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}
