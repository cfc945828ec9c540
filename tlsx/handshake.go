package tlsx

import (
	"errors"
	"fmt"
	"iter"
	"time"

	utls "github.com/refraction-networking/utls"
)

// The handshake of uTLS is one blocking call over a net.Conn, and a
// tls.Conn cannot resume a handshake once a read has failed. A Peer runs
// it in one of two ways.
//
// Handshake(timeout), when no Poll came first, runs it on the caller's
// goroutine with the wire in blocking mode: a read that finds no byte
// waits on the base peer's Waiter. No goroutine is started.
//
// Poll runs it as a coroutine (iter.Pull): the first Poll of a session
// starts it, and each Poll resumes it until it needs a byte the base peer
// does not have yet; then the wire's read yields and Poll returns. The
// caller's goroutine is parked while the coroutine runs, and the coroutine
// is parked while the caller runs, so the two never touch the base peer or
// the uTLS state at the same time, and Poll never waits for the network.
// The coroutine ends when the handshake does; Close (or a timeout) stops
// one that is still parked and waits for it to end, so no goroutine
// outlives the session.

// runHandshake runs uc's handshake and turns a panic inside uTLS into an
// error.
func runHandshake(uc *utls.UConn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("tls: panic in the handshake: %v", r)
		}
	}()
	return uc.Handshake()
}

// applyPreset applies spec to uc, turning a panic into an error.
func applyPreset(uc *utls.UConn, spec *utls.ClientHelloSpec) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("tls: panic applying the hello: %v", r)
		}
	}()
	return uc.ApplyPreset(spec)
}

// handshakeSteps is the coroutine's body.
func (p *Peer) handshakeSteps(yield func(struct{}) bool) {
	p.w.yield = yield
	p.hsErr = runHandshake(p.uc)
	p.w.yield = nil
}

// stepHandshake resumes the handshake until it needs bytes that have not
// arrived, or ends.
func (p *Peer) stepHandshake() error {
	if !p.deadline.IsZero() && !time.Now().Before(p.deadline) {
		return p.finishHandshake(errDeadline, true)
	}
	if err := p.w.flush(); err != nil {
		return p.finishHandshake(err, false)
	}
	if p.next == nil {
		p.next, p.stop = iter.Pull(p.handshakeSteps)
	}
	if _, more := p.next(); more {
		if err := p.w.flush(); err != nil {
			return p.finishHandshake(err, false)
		}
		return nil
	}
	p.next, p.stop = nil, nil
	return p.finishHandshake(p.hsErr, false)
}

// stopHandshake ends a parked handshake coroutine and waits for it.
func (p *Peer) stopHandshake() {
	if p.stop != nil {
		p.stop()
		p.next, p.stop = nil, nil
	}
}

// handshakeSync runs the whole handshake on the caller's goroutine.
func (p *Peer) handshakeSync(deadline time.Time) error {
	p.w.block, p.w.deadline = true, deadline
	err := runHandshake(p.uc)
	p.w.block, p.w.deadline = false, time.Time{}
	if err == nil {
		// The client speaks last in a resumed handshake: send its
		// Finished before anyone waits for the server.
		err = p.w.drain(0, deadline)
	}
	return p.finishHandshake(err, errors.Is(err, errDeadline))
}

// finishHandshake moves the session to its status after the handshake.
func (p *Peer) finishHandshake(err error, timedOut bool) error {
	p.stopHandshake()
	if err != nil {
		e := handshakeError(p.host, err, p.w.serverVersion(), timedOut)
		return p.fail(e)
	}
	p.status = StatusConnected
	p.state = stateOf(p.uc.ConnectionState())
	if err := p.w.flush(); err != nil {
		return p.fail(sessionError(p.host, err, err))
	}
	return nil
}
