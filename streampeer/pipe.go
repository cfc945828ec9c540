package streampeer

import (
	"io"
	"sync"
	"time"
)

// Pipe returns the two ends of an in-memory duplex stream: what one end
// puts, the other gets, in order. It is a peer to script a server with in
// a test (give one end to h1's Client.SetConnection and answer on the
// other), or to join two parts of a program without a socket.
//
// The ends may be used from one goroutine (put on one, then poll the
// other) or from two. Puts never wait: the stream holds what was put
// until the other end gets it. The whole gets and the waits of Waiter
// wait without spinning. Close on one end is a clean end of the stream
// for the other: its gets return the bytes still held, then io.EOF.
func Pipe() (a, b *PipeEnd) {
	p := &pipe{}
	p.ready = make(chan struct{})
	a, b = &PipeEnd{p: p, side: 0}, &PipeEnd{p: p, side: 1}
	return a, b
}

// pipe is the state both ends share: one queue of bytes per direction.
type pipe struct {
	mu     sync.Mutex
	buf    [2][]byte     // buf[i]: bytes put by end i, not yet got by the other
	closed [2]bool       // closed[i]: end i was closed
	ready  chan struct{} // closed and replaced at every change, to wake waits
}

// changed wakes every wait; p.mu is held.
func (p *pipe) changed() {
	close(p.ready)
	p.ready = make(chan struct{})
}

// PipeEnd is one end of a Pipe. It implements StreamPeer, Waiter and
// Interrupter, and is safe for concurrent use.
type PipeEnd struct {
	p    *pipe
	side int
}

// PutData puts all of p for the other end. It never waits; it returns
// io.ErrClosedPipe when either end was closed.
func (e *PipeEnd) PutData(p []byte) error {
	_, err := e.PutPartialData(p)
	return err
}

// PutPartialData is PutData: the pipe takes all of p, and returns len(p).
func (e *PipeEnd) PutPartialData(p []byte) (int, error) {
	e.p.mu.Lock()
	defer e.p.mu.Unlock()
	if e.p.closed[0] || e.p.closed[1] {
		return 0, io.ErrClosedPipe
	}
	if len(p) > 0 {
		e.p.buf[e.side] = append(e.p.buf[e.side], p...)
		e.p.changed()
	}
	return len(p), nil
}

// GetPartialData copies into p the bytes the other end put that are still
// held, up to len(p). With none held it returns 0, nil, or io.EOF once the
// other end was closed; io.ErrClosedPipe after this end was closed.
func (e *PipeEnd) GetPartialData(p []byte) (int, error) {
	e.p.mu.Lock()
	defer e.p.mu.Unlock()
	if e.p.closed[e.side] {
		return 0, io.ErrClosedPipe
	}
	in := &e.p.buf[1-e.side]
	n := copy(p, *in)
	*in = (*in)[:copy(*in, (*in)[n:])]
	if n == 0 && len(p) > 0 && e.p.closed[1-e.side] {
		return 0, io.EOF
	}
	return n, nil
}

// GetData fills p, waiting for the other end as needed. A stream that ends
// before p is full returns io.ErrUnexpectedEOF (io.EOF when no byte came).
func (e *PipeEnd) GetData(p []byte) error {
	got := 0
	for got < len(p) {
		n, err := e.GetPartialData(p[got:])
		got += n
		if err == io.EOF && got > 0 {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
		if n == 0 {
			if err := e.WaitReadable(-1); err != nil {
				return err
			}
		}
	}
	return nil
}

// AvailableBytes reports how many bytes GetPartialData returns now.
func (e *PipeEnd) AvailableBytes() int {
	e.p.mu.Lock()
	defer e.p.mu.Unlock()
	return len(e.p.buf[1-e.side])
}

// WaitReadable returns when a get would make progress (bytes held, or
// either end closed), or ErrTimeout after timeout; a negative timeout
// waits as long as it takes.
func (e *PipeEnd) WaitReadable(timeout time.Duration) error {
	var timer <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	for {
		e.p.mu.Lock()
		if len(e.p.buf[1-e.side]) > 0 || e.p.closed[0] || e.p.closed[1] {
			e.p.mu.Unlock()
			return nil
		}
		ready := e.p.ready
		e.p.mu.Unlock()
		select {
		case <-ready:
			// Something changed (or Interrupt ran): the caller looks
			// again, as Waiter allows.
			return nil
		case <-timer:
			return ErrTimeout
		}
	}
}

// WaitWritable returns at once: a pipe always takes bytes.
func (e *PipeEnd) WaitWritable(timeout time.Duration) error { return nil }

// Interrupt makes every wait in progress on either end return nil.
func (e *PipeEnd) Interrupt() {
	e.p.mu.Lock()
	e.p.changed()
	e.p.mu.Unlock()
}

// Close ends this end: the other end gets what it was sent, then io.EOF;
// puts on either end fail with io.ErrClosedPipe. Closing twice is a no-op.
func (e *PipeEnd) Close() error {
	e.p.mu.Lock()
	defer e.p.mu.Unlock()
	if !e.p.closed[e.side] {
		e.p.closed[e.side] = true
		e.p.changed()
	}
	return nil
}

var (
	_ StreamPeer  = (*PipeEnd)(nil)
	_ Waiter      = (*PipeEnd)(nil)
	_ Interrupter = (*PipeEnd)(nil)
)
