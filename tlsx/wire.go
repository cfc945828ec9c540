package tlsx

import (
	"errors"
	"io"
	"net"
	"time"

	"github.com/h1dev/h1/streampeer"
)

// wire is the net.Conn that uTLS reads ciphertext from and writes
// ciphertext to. It moves bytes to and from the base peer and never runs
// on two goroutines at once: every call comes from the goroutine that
// holds the Peer, or from the handshake coroutine while that goroutine is
// parked in Poll (see handshake.go).
//
// What a read does when the base peer has no byte ready depends on the
// mode:
//   - inside the handshake coroutine (yield != nil) it hands control back
//     to Poll and tries again when Poll resumes it;
//   - in blocking mode (block) it waits on the base peer's Waiter, up to
//     deadline;
//   - otherwise it returns errWouldBlock, which the record layer treats
//     as temporary, keeping any partial record.
//
// Writes never wait: they append to out and send what the base peer takes
// now (or nothing while hold is set, so that the records of one call leave
// in one write). The Peer sends the rest (flush, drain).
type wire struct {
	base   streampeer.StreamPeer
	waiter streampeer.Waiter // nil when base cannot wait

	yield    func(struct{}) bool
	block    bool
	hold     bool      // writes only append; the caller flushes once
	deadline time.Time // for block; zero means none

	out    []byte // ciphertext not yet taken by base: out[outOff:]
	outOff int
	push   [1]byte // a byte read by a blocking GetData, not yet returned
	pushed bool

	sawEOF  bool  // base reported the end of the stream
	gaveEOF bool  // the end of the stream was returned to the record layer
	err     error // base failure; sticky
	closed  bool

	// The first bytes the server sent, to learn the version its
	// ServerHello selected.
	head    [11]byte
	headLen int
}

// errDeadline is what a blocking read returns when its deadline passed.
var errDeadline = errors.New("h1: tls: handshake deadline passed")

func (w *wire) reset(base streampeer.StreamPeer) {
	*w = wire{base: base, out: w.out[:0]}
	w.waiter, _ = base.(streampeer.Waiter)
}

// serverVersion returns the version of the server's ServerHello, or 0 when
// the first bytes received were not a ServerHello.
func (w *wire) serverVersion() uint16 {
	h := w.head
	// record type 22 (handshake), 4 more header bytes, message type 2
	// (server_hello), 3 bytes of length, then the version.
	if w.headLen < len(h) || h[0] != 22 || h[5] != 2 {
		return 0
	}
	return uint16(h[9])<<8 | uint16(h[10])
}

func (w *wire) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if w.closed {
			return 0, net.ErrClosed
		}
		if w.pushed {
			w.pushed = false
			p[0] = w.push[0]
			w.record(p[:1])
			return 1, nil
		}
		if w.err != nil {
			return 0, w.err
		}
		if w.sawEOF {
			w.gaveEOF = true
			return 0, io.EOF
		}
		n, err := w.base.GetPartialData(p)
		if err != nil {
			if errors.Is(err, io.EOF) {
				w.sawEOF = true
			} else {
				w.err = err
			}
		}
		if n > 0 {
			w.record(p[:n])
			return n, nil
		}
		if err != nil {
			continue
		}
		switch {
		case w.yield != nil:
			if !w.yield(struct{}{}) {
				w.closed = true
			}
		case w.block:
			if err := w.wait(); err != nil {
				return 0, err
			}
		default:
			return 0, errWouldBlock
		}
	}
}

// record keeps the first bytes from the server.
func (w *wire) record(p []byte) {
	if w.headLen < len(w.head) {
		w.headLen += copy(w.head[w.headLen:], p)
	}
}

// wait blocks until base has a byte or an end, or the deadline passes.
// Without a Waiter it reads one byte the blocking way when there is no
// deadline, and otherwise checks the base peer at growing intervals (1 ms
// up to 20 ms) until the deadline: a base peer that cannot wait gets no
// timeouts for free.
func (w *wire) wait() error {
	if w.waiter == nil {
		if w.deadline.IsZero() {
			err := w.base.GetData(w.push[:])
			if err == nil {
				w.take(1, nil)
			} else {
				w.take(0, err)
			}
			return nil
		}
		for step := time.Millisecond; ; step = min(2*step, 20*time.Millisecond) {
			n, err := w.base.GetPartialData(w.push[:])
			if n > 0 || err != nil {
				w.take(n, err)
				return nil
			}
			left := time.Until(w.deadline)
			if left <= 0 {
				return errDeadline
			}
			time.Sleep(min(step, left))
		}
	}
	timeout := time.Duration(-1)
	if !w.deadline.IsZero() {
		timeout = time.Until(w.deadline)
		if timeout <= 0 {
			return errDeadline
		}
	}
	err := w.waiter.WaitReadable(timeout)
	if errors.Is(err, streampeer.ErrTimeout) {
		return errDeadline
	}
	return err
}

// take records the outcome of reading n (0 or 1) bytes into push.
func (w *wire) take(n int, err error) {
	w.pushed = n > 0
	switch {
	case err == nil:
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		w.sawEOF = true
	default:
		w.err = err
	}
}

func (w *wire) Write(p []byte) (int, error) {
	if w.closed {
		return 0, net.ErrClosed
	}
	if w.err != nil {
		return 0, w.err
	}
	w.out = append(w.out, p...)
	if !w.hold {
		if err := w.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// pending returns how many bytes wait to be sent.
func (w *wire) pending() int { return len(w.out) - w.outOff }

// flush sends what base takes now.
func (w *wire) flush() error {
	for w.outOff < len(w.out) {
		if w.err != nil {
			return w.err
		}
		n, err := w.base.PutPartialData(w.out[w.outOff:])
		w.outOff += n
		if err != nil {
			w.err = err
			return err
		}
		if n == 0 {
			break
		}
	}
	if w.outOff == len(w.out) {
		w.out, w.outOff = w.out[:0], 0
	} else if w.outOff > len(w.out)/2 {
		w.out = w.out[:copy(w.out, w.out[w.outOff:])]
		w.outOff = 0
	}
	return nil
}

// drain sends until at most keep bytes are pending, waiting on the base
// peer when it takes none, up to deadline (zero: none).
func (w *wire) drain(keep int, deadline time.Time) error {
	for {
		if err := w.flush(); err != nil {
			return err
		}
		if w.pending() <= keep {
			return nil
		}
		if w.waiter == nil {
			err := w.base.PutData(w.out[w.outOff:])
			w.out, w.outOff = w.out[:0], 0
			if err != nil {
				w.err = err
			}
			return err
		}
		timeout := time.Duration(-1)
		if !deadline.IsZero() {
			timeout = time.Until(deadline)
			if timeout <= 0 {
				return streampeer.ErrTimeout
			}
		}
		if err := w.waiter.WaitWritable(timeout); err != nil {
			return err
		}
	}
}

func (w *wire) Close() error {
	w.closed = true
	return nil
}

func (w *wire) LocalAddr() net.Addr  { return addr{} }
func (w *wire) RemoteAddr() net.Addr { return addr{} }

// Deadlines are the Peer's business; the record layer's are ignored.
func (w *wire) SetDeadline(time.Time) error      { return nil }
func (w *wire) SetReadDeadline(time.Time) error  { return nil }
func (w *wire) SetWriteDeadline(time.Time) error { return nil }

// addr is the address of a stream the package knows nothing about.
type addr struct{}

func (addr) Network() string { return "streampeer" }
func (addr) String() string  { return "streampeer" }
