package h1

import (
	"time"

	"github.com/h1dev/h1/tlsx"
)

// Trace follows a Client's exchanges closely, for tools that show what
// went over the wire: each head as the exact bytes that crossed the
// connection, when each phase of the last exchange ended, and the TLS
// session it ran over. A fetch of package fetch (set fetch.Request.Trace)
// follows its redirects and connections in one Trace.
//
// SetTrace gives a Trace to a Client and starts an exchange on it; the
// Client fills the phase times, Addr and TLS in as it goes, and calls the
// callbacks on the goroutine that drives it, inside Poll or the body
// reads. Start and Done are left to the caller (fetch.Request sets them:
// Start clears the times and keeps the callbacks). A Trace follows one
// Client at a time.
type Trace struct {
	// OnRequestHead, when set, is called with each request head once it
	// has been written whole, exactly as sent: every request (in a fetch,
	// redirects and retries on a new connection included) and the
	// CONNECT to an HTTPS proxy. head is valid until OnRequestHead
	// returns; copy to retain.
	OnRequestHead func(head []byte)
	// OnResponseHead, when set, is called with each response head as
	// received, interim (1xx) responses and a proxy's answer to CONNECT
	// included. head is valid until OnResponseHead returns; copy to
	// retain.
	OnResponseHead func(head []byte)

	// Start is when the fetch started, Done when it finished (set by
	// fetch.Request, or by the caller).
	Start, Done time.Time
	// Exchange is when the last exchange took its connection (SetTrace):
	// a connected one (from a pool; then Reused is set) or one about to
	// open. In a fetch, time between Start and Exchange went to redirects.
	Exchange time.Time
	Reused   bool
	// The ends of the last exchange's phases. A phase it did not go
	// through has a zero time: a reused connection has no DNS, connect or
	// TLS time, an IP address no DNS time, plain HTTP no TLS time.
	DNSDone      time.Time // the host name resolved
	Connected    time.Time // the TCP connection (to the proxy, with one) opened
	TLSDone      time.Time // the TLS handshake finished
	WroteRequest time.Time // the request head (and a body given as bytes) was written whole
	FirstByte    time.Time // the first byte of a response arrived
	HeadDone     time.Time // the final response head was complete
	// Addr is the "ip:port" the last exchange's connection went to (the
	// proxy's, with one), "" before it connected.
	Addr string
	// TLS is the session the last exchange ran over, nil for plain HTTP
	// or before the handshake finished.
	TLS *tlsx.State
}

// step notes the client's step from its phase to the next one, to.
func (t *Trace) step(c *Client, to phase) {
	from := c.phase
	if to == phaseIdle || to.terminal() {
		return
	}
	if from == phaseResolve {
		t.DNSDone = time.Now()
	} else if to == phaseResolve || to == phaseConnect {
		t.Reused = false // the exchange opens a new connection after all
	}
	switch {
	case (from == phaseResolve || from == phaseConnect) && to != phaseConnect:
		t.Connected = time.Now()
		t.Addr = c.remoteAddr()
	case from == phaseHandshake:
		t.TLSDone = time.Now()
		t.tlsState(c)
	case from == phaseProxySend:
		if t.OnRequestHead != nil {
			t.OnRequestHead(c.pbuf)
		}
	case from == phaseSend && to == phaseHead:
		t.WroteRequest = time.Now()
		t.FirstByte, t.HeadDone = time.Time{}, time.Time{}
		if t.OnRequestHead != nil {
			t.OnRequestHead(c.wbuf[:c.headN])
		}
	}
}

// received notes response bytes read while waiting for a head.
func (t *Trace) received(c *Client) {
	if c.phase == phaseHead && t.FirstByte.IsZero() {
		t.FirstByte = time.Now()
	}
}

// responseHead notes a head the client parsed: an interim one, a proxy's
// answer to CONNECT, or the final one.
func (t *Trace) responseHead(c *Client, head []byte) {
	if c.phase == phaseHead && !c.rr.Head.Interim() {
		t.HeadDone = time.Now()
	}
	if t.OnResponseHead != nil {
		t.OnResponseHead(head)
	}
}

func (t *Trace) tlsState(c *Client) {
	st := c.tls.ConnectionState()
	t.TLS = &st
}

// remoteAddr returns the "ip:port" the TCP peer is connected to, or "".
func (c *Client) remoteAddr() string {
	h := c.tcp.ConnectedHost()
	if h == "" {
		return ""
	}
	return joinHostPort(h, c.tcp.ConnectedPort())
}
