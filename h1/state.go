package h1

import "strconv"

// Status is where a Client stands, after Godot's HTTPClient.Status. The
// zero value is StatusDisconnected.
//
// The statuses and the steps between them (the table phases below holds
// every transition; Close leads from any status back to Disconnected):
//
//	Disconnected ─ConnectToHost─▶ Resolving ─▶ Connecting ─▶ Connected
//	              (an IP literal skips Resolving)   │ (proxy CONNECT, TLS
//	                                                │  handshake inside)
//	Connected ─Request─▶ Requesting ─head─▶ Body ─body read─▶ Connected
//	                                  └─head without body─▶ Connected
//	Resolving ─▶ CantResolve     Connecting ─▶ CantConnect, TLSHandshakeError
//	Requesting, Body ─▶ ConnectionError
//
// The four error statuses are terminal: only Close or ConnectToHost leave
// them. A connection the server closes after a response (Connection:
// close, HTTP/1.0, a body that runs until close) is opened again by the
// next Request, which reports StatusRequesting meanwhile.
type Status uint8

// The statuses, in Godot's order.
const (
	// StatusDisconnected: no connection; the zero value, and the status
	// after Close.
	StatusDisconnected Status = iota
	// StatusResolving: looking up the host name.
	StatusResolving
	// StatusCantResolve: the host name did not resolve. Terminal.
	StatusCantResolve
	// StatusConnecting: opening the TCP connection, the proxy tunnel and
	// the TLS session.
	StatusConnecting
	// StatusCantConnect: the connection could not be opened. Terminal.
	StatusCantConnect
	// StatusConnected: ready for a request; also the status once a
	// response has been read to its end.
	StatusConnected
	// StatusRequesting: sending a request and waiting for the head of
	// its response.
	StatusRequesting
	// StatusBody: the head has arrived; read the body with
	// ReadResponseBodyChunk.
	StatusBody
	// StatusConnectionError: the connection or the response failed.
	// Terminal.
	StatusConnectionError
	// StatusTLSHandshakeError: the TLS handshake failed. Terminal.
	StatusTLSHandshakeError
	statusCount
)

var statusNames = [statusCount]string{
	"disconnected", "resolving", "cant-resolve", "connecting", "cant-connect",
	"connected", "requesting", "body", "connection-error", "tls-handshake-error",
}

// String returns the status's name, such as "connected".
func (s Status) String() string {
	if s < statusCount {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// phase is the client's state inside a Status: connecting, for example,
// runs through TCP, the proxy's CONNECT and the TLS handshake. The zero
// value is the initial state.
type phase uint8

const (
	phaseIdle        phase = iota // no connection
	phaseResolve                  // the TCP peer looks up the host
	phaseConnect                  // the TCP peer connects
	phaseProxySend                // sending CONNECT to an HTTPS proxy
	phaseProxyHead                // reading the proxy's answer
	phaseHandshake                // TLS handshake
	phaseReady                    // connected, no request in flight
	phaseSend                     // writing the request
	phaseHead                     // reading the response head
	phaseBody                     // the caller reads the body
	phaseCantResolve              // terminal
	phaseCantConnect              // terminal
	phaseConnError                // terminal
	phaseTLSError                 // terminal
	phaseCount
)

// limit names the time limit of Limits that bounds a phase.
type limit uint8

const (
	limitNone limit = iota
	limitConnect
	limitHandshake
	limitHead
	limitBodyIdle
)

type phaseInfo struct {
	name   string
	status Status
	limit  limit
	// next lists the phases a step may lead to. Close (to phaseIdle) is
	// allowed from every phase and not listed.
	next []phase
}

// connecting lists where a connection under way may go: a fresh
// connection ends in phaseReady; one opened again for a queued request
// goes on to phaseSend.
var phases = [phaseCount]phaseInfo{
	phaseIdle: {"idle", StatusDisconnected, limitNone,
		[]phase{phaseResolve, phaseConnect, phaseReady, phaseCantConnect}},
	phaseResolve: {"resolve", StatusResolving, limitConnect,
		[]phase{phaseConnect, phaseProxySend, phaseHandshake, phaseReady, phaseSend, phaseCantResolve, phaseCantConnect, phaseTLSError}},
	phaseConnect: {"connect", StatusConnecting, limitConnect,
		[]phase{phaseProxySend, phaseHandshake, phaseReady, phaseSend, phaseCantConnect, phaseTLSError}},
	phaseProxySend: {"proxy-send", StatusConnecting, limitConnect,
		[]phase{phaseProxyHead, phaseCantConnect}},
	phaseProxyHead: {"proxy-head", StatusConnecting, limitConnect,
		[]phase{phaseHandshake, phaseCantConnect, phaseTLSError}},
	phaseHandshake: {"handshake", StatusConnecting, limitHandshake,
		[]phase{phaseReady, phaseSend, phaseTLSError}},
	phaseReady: {"ready", StatusConnected, limitNone,
		[]phase{phaseSend, phaseResolve, phaseConnect, phaseCantConnect}},
	phaseSend: {"send", StatusRequesting, limitHead,
		[]phase{phaseHead, phaseResolve, phaseConnect, phaseConnError, phaseCantConnect}},
	phaseHead: {"head", StatusRequesting, limitHead,
		[]phase{phaseHead, phaseBody, phaseReady, phaseResolve, phaseConnect, phaseConnError, phaseCantConnect}},
	phaseBody: {"body", StatusBody, limitBodyIdle,
		[]phase{phaseReady, phaseIdle, phaseConnError}},
	phaseCantResolve: {"cant-resolve", StatusCantResolve, limitNone, nil},
	phaseCantConnect: {"cant-connect", StatusCantConnect, limitNone, nil},
	phaseConnError:   {"connection-error", StatusConnectionError, limitNone, nil},
	phaseTLSError:    {"tls-handshake-error", StatusTLSHandshakeError, limitNone, nil},
}

// nextMask holds phases[p].next as bits, so that a step checks the table
// in one instruction.
var nextMask = func() (m [phaseCount]uint32) {
	for p := range phases {
		for _, q := range phases[p].next {
			m[p] |= 1 << q
		}
	}
	return m
}()

// allowed reports whether the table has the step from → to.
func allowed(from, to phase) bool {
	return to == phaseIdle || nextMask[from]&(1<<to) != 0
}

// terminal reports the error phases, which only Close leaves.
func (p phase) terminal() bool { return phases[p].next == nil }

// steps advance each phase that Poll drives. wait says the caller is in
// blocking mode: a step may then wait once on the connection, for no
// longer than the phase's time limit.
var steps = [phaseCount]func(c *Client, wait bool) error{
	phaseResolve:   (*Client).stepConnect,
	phaseConnect:   (*Client).stepConnect,
	phaseProxySend: (*Client).stepProxySend,
	phaseProxyHead: (*Client).stepProxyHead,
	phaseHandshake: (*Client).stepHandshake,
	phaseReady:     (*Client).stepReady,
	phaseSend:      (*Client).stepSend,
	phaseHead:      (*Client).stepHead,
}

// to moves the client to phase p, starting the time limit of p when it
// differs from the current phase's. A step missing from the table is a
// bug in this package: the client fails with ErrConnection rather than go
// on in a state nothing expects.
func (c *Client) to(p phase) {
	if !allowed(c.phase, p) {
		c.closeConn()
		c.err = newError(ErrConnection, "internal: step "+phases[c.phase].name+" to "+phases[p].name, nil)
		c.phase = phaseConnError
		return
	}
	if c.trace != nil {
		c.trace.step(c, p)
	}
	if l := phases[p].limit; l != phases[c.phase].limit || p == phaseIdle {
		c.armed = false // the new limit starts when the step first waits
	}
	c.phase = p
}

// fail closes the connection and moves to the terminal phase p with err.
func (c *Client) fail(p phase, err error) error {
	c.closeConn()
	c.queued = false
	c.to(p)
	if c.phase == p {
		c.err = err
	}
	return c.err
}

// Status reports where the client stands. While a closed connection is
// opened again for a queued request it reports StatusRequesting.
func (c *Client) Status() Status {
	s := phases[c.phase].status
	if c.queued && (s == StatusResolving || s == StatusConnecting) {
		return StatusRequesting
	}
	return s
}

// Poll advances the client: it carries a connection through resolving,
// connecting, the proxy tunnel and the TLS handshake, sends a request
// and reads the head of its response. Without blocking mode it never
// waits; in blocking mode it waits at most once on the connection, and
// never past the time limit of the current step (see Limits).
//
// It returns the error that put the client in an error status (every
// call, until Close), ErrUnconfigured before ConnectToHost, and nil
// otherwise. In StatusBody it does nothing: ReadResponseBodyChunk reads.
func (c *Client) Poll() error {
	if c.phase == phaseIdle {
		return ErrUnconfigured
	}
	if c.phase.terminal() {
		return c.err
	}
	step := steps[c.phase]
	if step == nil {
		return nil
	}
	return step(c, c.blocking)
}
