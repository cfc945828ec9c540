package h1

import (
	"net"
	"time"

	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
)

// The methods in this file serve code built on a Client (package fetch's
// Request and Pool, package nethttp's Transport): they report what an
// exchange has done and let another goroutine stop it. Unless a method
// says otherwise, it is called from the goroutine that uses the Client.

// Abort takes the connection down at once: a wait in progress (in Poll,
// ReadResponseBodyChunk or a blocking read) wakes and fails, and a host
// lookup in progress ends. The client then reports the failure the next
// time it is used; Close still has to be called. Abort may be called from
// any goroutine, at any time, also while another goroutine uses the
// Client.
func (c *Client) Abort() { c.tcp.DisconnectFromHost() }

// Interrupt makes the wait on the connection in progress return at once,
// or, when none is in progress, the next one: the caller's loop then gets
// to look at its own state (a context, a connection handed over). The
// connection stays up. Interrupt may be called from any goroutine, at any
// time, also while another goroutine uses the Client.
func (c *Client) Interrupt() { c.tcp.Interrupt() }

// SetResolver makes the client look host names up with r; nil means the
// TCP peer's default. It takes effect at the next ConnectToHost.
func (c *Client) SetResolver(r *net.Resolver) { c.tcp.SetResolver(r) }

// Reusable reports whether the client is connected and can carry another
// request without opening a new connection: StatusConnected, and the
// server did not close the connection after the last response.
func (c *Client) Reusable() bool { return c.phase == phaseReady && !c.reconnect }

// BytesSent returns how much of the request in flight has been written
// (sent) and its whole size (total), in bytes, head included, from
// Request until the next Request. A body streamed by RequestStream is
// counted in neither: the numbers cover its head.
func (c *Client) BytesSent() (sent, total int64) {
	return int64(c.woff + c.boff), int64(len(c.wbuf) + len(c.body))
}

// BytesReceived returns how many response bytes (heads, interim ones
// included, and body, as they came over the connection) have arrived for
// the request in flight; it restarts at 0 with each Request.
func (c *Client) BytesReceived() int64 { return int64(c.recvd) }

// ResponseHead returns the parsed head of the final response, or nil
// before one has arrived. The head and the views inside it are valid
// until the next call to Request, RequestRaw, RequestStream or Close;
// copy to retain.
func (c *Client) ResponseHead() *parser.ResponseHead {
	if !c.hasResponse {
		return nil
	}
	return &c.rr.Head
}

// ResponseKeepAlive reports whether the response lets its connection
// carry another request (HTTP/1.1 without Connection: close, or HTTP/1.0
// with keep-alive); false before a response has arrived.
func (c *Client) ResponseKeepAlive() bool { return c.hasResponse && c.keepAlive }

// TLSState returns the TLS session the connection runs over, and false
// when it runs over none (plain HTTP, a peer given to SetConnection, no
// connection, or a handshake not yet finished).
func (c *Client) TLSState() (tlsx.State, bool) {
	if !c.tlsActive {
		return tlsx.State{}, false
	}
	return c.tls.ConnectionState(), true
}

// SetTrace makes the client record its exchanges in t (see Trace) from
// now on, starting a new exchange on t: when the client is connected the
// exchange counts as reused, with the connection's address and TLS
// session. A nil t stops the recording. Package fetch's Request calls it
// for each connection a fetch takes.
func (c *Client) SetTrace(t *Trace) {
	c.trace = t
	if t == nil {
		return
	}
	t.Exchange = time.Now()
	t.Reused = c.Status() == StatusConnected
	t.DNSDone, t.Connected, t.TLSDone = time.Time{}, time.Time{}, time.Time{}
	t.WroteRequest, t.FirstByte, t.HeadDone = time.Time{}, time.Time{}, time.Time{}
	t.Addr, t.TLS = "", nil
	if t.Reused {
		t.Addr = c.remoteAddr()
		if c.tlsActive {
			t.tlsState(c)
		}
	}
}
