package streampeer

import (
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"time"
)

// NewConn returns a net.Conn over p, for code that wants one (crypto/tls,
// net/http). local and remote are what LocalAddr and RemoteAddr report;
// nil stands for an address with network and string "streampeer".
//
// Read and Write behave as NewReader's and NewWriter's do. Deadlines are
// kept by the waits themselves: a Read or Write waits with p's Waiter for
// at most the time left, and a deadline that has passed fails the call with
// an error for which errors.Is(err, os.ErrDeadlineExceeded) holds and whose
// Timeout method reports true. No goroutine or timer is started. When p is
// also an Interrupter, setting a deadline cuts short the waits in progress,
// so the new deadline holds for calls already blocked too; otherwise it
// holds from the next wait on. A peer that is not a Waiter can only check
// deadlines before it waits.
//
// Close closes p when p is an io.Closer; Read and Write on a closed Conn
// return an error wrapping net.ErrClosed. Errors other than io.EOF come
// wrapped in a *net.OpError.
//
// One Read and one Write may run at the same time as each other and as
// Close and the deadline setters, when p allows it.
func NewConn(p StreamPeer, local, remote net.Addr) net.Conn {
	if local == nil {
		local = noAddr{}
	}
	if remote == nil {
		remote = noAddr{}
	}
	c := &netConn{p: p, local: local, remote: remote}
	c.w, _ = p.(Waiter)
	c.intr, _ = p.(Interrupter)
	return c
}

type noAddr struct{}

func (noAddr) Network() string { return "streampeer" }
func (noAddr) String() string  { return "streampeer" }

type netConn struct {
	p             StreamPeer
	w             Waiter
	intr          Interrupter
	local, remote net.Addr
	rd, wd        deadline
	closed        atomic.Bool
}

func (c *netConn) Read(b []byte) (int, error) {
	if c.closed.Load() {
		return 0, c.opErr("read", net.ErrClosed)
	}
	n, err := read(c.p, c.w, b, &c.rd)
	if err != nil && err != io.EOF {
		err = c.opErr("read", err)
	}
	return n, err
}

func (c *netConn) Write(b []byte) (int, error) {
	if c.closed.Load() {
		return 0, c.opErr("write", net.ErrClosed)
	}
	n, err := write(c.p, c.w, b, &c.wd)
	if err != nil {
		err = c.opErr("write", err)
	}
	return n, err
}

func (c *netConn) opErr(op string, err error) error {
	switch {
	case c.closed.Load():
		err = net.ErrClosed
	case errors.Is(err, ErrTimeout):
		err = os.ErrDeadlineExceeded
	}
	return &net.OpError{Op: op, Net: c.remote.Network(), Source: c.local, Addr: c.remote, Err: err}
}

func (c *netConn) Close() error {
	if c.closed.Swap(true) {
		return c.opErr("close", net.ErrClosed)
	}
	if cl, ok := c.p.(io.Closer); ok {
		if err := cl.Close(); err != nil {
			return &net.OpError{Op: "close", Net: c.remote.Network(), Source: c.local, Addr: c.remote, Err: err}
		}
	} else if c.intr != nil {
		c.intr.Interrupt()
	}
	return nil
}

func (c *netConn) LocalAddr() net.Addr  { return c.local }
func (c *netConn) RemoteAddr() net.Addr { return c.remote }

func (c *netConn) SetDeadline(t time.Time) error {
	c.rd.set(t)
	c.wd.set(t)
	c.interrupt()
	return nil
}

func (c *netConn) SetReadDeadline(t time.Time) error {
	c.rd.set(t)
	c.interrupt()
	return nil
}

func (c *netConn) SetWriteDeadline(t time.Time) error {
	c.wd.set(t)
	c.interrupt()
	return nil
}

func (c *netConn) interrupt() {
	if c.intr != nil {
		c.intr.Interrupt()
	}
}
