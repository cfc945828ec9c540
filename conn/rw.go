package conn

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// GetPartialData reads the bytes that are ready, up to len(p), without
// waiting; 0, nil when none is. On a connected peer it is one read(2), with
// no allocation and no lock that a writer or a waiting reader holds.
func (t *TCP) GetPartialData(p []byte) (int, error) {
	t.sock.RLock()
	if !t.live.Load() || len(p) == 0 {
		t.sock.RUnlock()
		return t.getPartialLocking(p)
	}
	gen := t.gen
	n, err := unix.Read(t.fd, p)
	for err == unix.EINTR {
		n, err = unix.Read(t.fd, p)
	}
	t.sock.RUnlock()
	if err == nil && n > 0 {
		return n, nil
	}
	if err == unix.EAGAIN {
		return 0, nil
	}
	return 0, t.readFailed(gen, err)
}

// PutPartialData writes as much of p as the socket takes now, without
// waiting; 0, nil when its send buffer is full. On a connected peer it is
// one write(2), as GetPartialData is one read(2).
func (t *TCP) PutPartialData(p []byte) (int, error) {
	t.sock.RLock()
	if !t.live.Load() || len(p) == 0 {
		t.sock.RUnlock()
		return t.putPartialLocking(p)
	}
	gen := t.gen
	n, err := unix.Write(t.fd, p)
	for err == unix.EINTR {
		n, err = unix.Write(t.fd, p)
	}
	t.sock.RUnlock()
	if err == nil {
		return n, nil
	}
	if err == unix.EAGAIN {
		return 0, nil
	}
	return 0, t.writeFailed(gen, err)
}

// GetData fills p, waiting on the socket as long as needed. A stream that
// ends before the first byte returns io.EOF, after some bytes
// io.ErrUnexpectedEOF.
//
// Once the socket is registered with the runtime poller, GetData reads
// through its os.File, as net.TCPConn does: read(2), and on EAGAIN the
// goroutine parks until the poller reports the socket readable.
func (t *TCP) GetData(p []byte) error {
	got := 0
	for got < len(p) {
		var n int
		var err error
		if f := t.directFile(dirRead); f != nil {
			n, err = f.Read(p[got:])
			got += n
			if err != nil {
				err = t.fileFailed(f, dirRead, err)
			}
		} else {
			n, err = t.GetPartialData(p[got:])
			got += n
			if err == nil && n == 0 {
				err = t.wait(dirRead, -1)
			}
		}
		if err != nil {
			if err == io.EOF && got > 0 {
				return io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

// PutData writes all of p, waiting on the socket as long as needed. Once
// the socket is registered with the runtime poller, it writes through its
// os.File, as net.TCPConn does.
func (t *TCP) PutData(p []byte) error {
	sent := 0
	for sent < len(p) {
		var n int
		var err error
		if f := t.directFile(dirWrite); f != nil {
			n, err = f.Write(p[sent:])
			sent += n
			if err != nil {
				err = t.fileFailed(f, dirWrite, err)
			}
		} else {
			n, err = t.PutPartialData(p[sent:])
			sent += n
			if err == nil && n == 0 {
				err = t.wait(dirWrite, -1)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// directFile returns the socket's os.File when a whole verb may read or
// write (dir) through it: the peer is connected, the socket is registered
// with the runtime poller and no deadline is set in that direction (one is
// cleared here unless a timed wait in progress owns it). Otherwise it
// returns nil, and the verb goes the partial way.
func (t *TCP) directFile(dir int) *os.File {
	f := t.file.Load()
	if f == nil || !t.live.Load() {
		return nil
	}
	if t.timed[dir].Load() {
		t.mu.Lock()
		if t.waits[dir] == 0 && t.file.Load() == f {
			t.setDeadlineLocked(dir, noDeadline)
		}
		t.mu.Unlock()
		if t.timed[dir].Load() {
			return nil
		}
	}
	return f
}

// fileFailed turns the error of a read or write (dir) through f into the
// peer's: nil when the verb should go on (a deadline of a wait cut it
// short), ErrUnconfigured when f was closed, io.EOF at the end of the
// stream, and for a socket error the peer's StatusError.
func (t *TCP) fileFailed(f *os.File, dir int, err error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file.Load() != f {
		return ErrUnconfigured // disconnected meanwhile
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	if err == io.EOF && dir == dirRead {
		if t.status == StatusConnected {
			t.eof = true
			t.setStatusLocked(StatusNone)
		}
		return io.EOF
	}
	if t.status != StatusConnected {
		if t.eof && dir == dirRead {
			return io.EOF
		}
		return t.unusableLocked()
	}
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err // the errno
	}
	return t.failLocked(err)
}

// readFailed records what a read(2) on socket number gen that returned
// neither bytes nor EAGAIN means: a FIN (err is nil) or a socket error.
func (t *TCP) readFailed(gen uint64, err error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen || t.status != StatusConnected {
		if t.eof {
			return io.EOF
		}
		return t.unusableLocked()
	}
	if err == nil {
		t.eof = true
		t.setStatusLocked(StatusNone)
		return io.EOF
	}
	return t.failLocked(err)
}

// writeFailed records the error of a write(2) on socket number gen.
func (t *TCP) writeFailed(gen uint64, err error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen || t.status != StatusConnected {
		return t.unusableLocked()
	}
	return t.failLocked(err)
}

// getPartialLocking is GetPartialData on a peer that is not connected, or
// for an empty p: the answer depends on the status.
func (t *TCP) getPartialLocking([]byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.eof {
		return 0, io.EOF
	}
	if t.status != StatusConnected {
		return 0, t.unusableLocked()
	}
	return 0, nil // p is empty, or the peer connected since the first look
}

// putPartialLocking is PutPartialData on a peer that is not connected, or
// for an empty p.
func (t *TCP) putPartialLocking([]byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status != StatusConnected {
		return 0, t.unusableLocked()
	}
	return 0, nil
}

// ReadWait reads into p what the connection has, waiting until at least
// one byte, the end of the stream or an error arrives. Interrupt cuts the
// wait short: ReadWait then returns 0, nil. Once the socket is registered
// with the runtime poller it reads through its os.File, as net.TCPConn
// does (read(2), and on EAGAIN the goroutine parks until the socket is
// readable), so a reader that waits pays for no readiness check of its
// own: it is GetPartialData and WaitReadable in one call, one syscall
// cheaper.
func (t *TCP) ReadWait(p []byte) (int, error) {
	if len(p) == 0 {
		return t.GetPartialData(p)
	}
	f := t.directFile(dirRead)
	if f == nil {
		// Not registered yet (the first wait registers the socket), or a
		// timed wait owns the read deadline: look, wait once, look again.
		n, err := t.GetPartialData(p)
		if n > 0 || err != nil {
			return n, err
		}
		if err := t.wait(dirRead, -1); err != nil {
			return 0, err
		}
		return t.GetPartialData(p)
	}
	t.mu.Lock()
	if t.pending {
		t.pending = false
		t.mu.Unlock()
		return 0, nil
	}
	// Counted as a wait, so that Interrupt and Close reach it.
	t.waits[dirRead]++
	t.mu.Unlock()
	n, err := f.Read(p)
	t.mu.Lock()
	t.waits[dirRead]--
	t.mu.Unlock()
	if n > 0 {
		return n, nil
	}
	if err != nil {
		return 0, t.fileFailed(f, dirRead, err) // nil after Interrupt
	}
	return 0, nil
}
