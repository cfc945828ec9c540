package conn

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/h1dev/h1/streampeer"
	"golang.org/x/sys/unix"
)

var errTimeout = streampeer.ErrTimeout

// The directions of a wait, indexes of the per-direction fields of TCP.
const (
	dirRead = iota
	dirWrite
)

var (
	// noDeadline is the zero time: a wait without a limit.
	noDeadline time.Time
	// pastDeadline is a deadline that has passed: setting it wakes the
	// waits parked in the runtime poller.
	pastDeadline = time.Unix(1, 0)
)

// WaitReadable waits until a get verb would make progress (bytes, the end
// of the stream or an error are ready) or timeout passes (negative: no
// limit). The goroutine is parked in Go's runtime network poller meanwhile.
// It returns streampeer.ErrTimeout when the time ran out and
// ErrUnconfigured when the peer has no connection or was disconnected
// during the wait. While the host is being resolved it waits for the
// lookup instead. A wait may return nil early, after Interrupt for one.
func (t *TCP) WaitReadable(timeout time.Duration) error {
	return t.wait(dirRead, timeout)
}

// WaitWritable is WaitReadable for the put verbs; on a connecting peer it
// returns when the connect attempt finished.
func (t *TCP) WaitWritable(timeout time.Duration) error {
	return t.wait(dirWrite, timeout)
}

// Interrupt makes the waits in progress on the peer return nil at once; when
// none is in progress, the next wait returns nil at once. It is safe to call
// from any goroutine. The waits inside GetData and PutData go on waiting.
func (t *TCP) Interrupt() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.waits[dirRead] == 0 && t.waits[dirWrite] == 0 {
		t.pending = true
		return
	}
	t.intr++
	for dir, n := range t.waits {
		if n > 0 {
			t.setDeadlineLocked(dir, pastDeadline)
		}
	}
}

var pollEvents = [2]int16{dirRead: unix.POLLIN, dirWrite: unix.POLLOUT}

// wait is WaitReadable (dirRead) and WaitWritable (dirWrite).
//
// The waits of one direction share the socket's deadline in that
// direction: each sets it to the earliest limit among them, and a wait
// woken by a limit earlier than its own returns nil (early, which the
// Waiter contract allows). Interrupt sets a deadline that has passed.
func (t *TCP) wait(dir int, timeout time.Duration) error {
	t.mu.Lock()
	if t.eof || t.status == StatusError {
		t.mu.Unlock()
		return nil // the verbs return at once
	}
	if t.pending {
		t.pending = false
		t.mu.Unlock()
		return nil
	}
	if j := t.job; j != nil {
		t.mu.Unlock()
		return waitJob(j, timeout)
	}
	if !t.open {
		t.mu.Unlock()
		return ErrUnconfigured
	}
	if timeout == 0 {
		err := t.readyLocked(dir)
		t.mu.Unlock()
		return err
	}
	rc, err := t.registerLocked()
	if err != nil {
		t.mu.Unlock()
		return err
	}
	end := noDeadline
	if timeout > 0 {
		end = time.Now().Add(timeout)
	}
	if cur := t.deadline[dir]; t.waits[dir] == 0 || !end.IsZero() && (cur.IsZero() || end.Before(cur)) {
		t.setDeadlineLocked(dir, end)
	}
	t.waits[dir]++
	gen, intr := t.gen, t.intr
	t.mu.Unlock()

	c := &t.checks[dir]
	if dir == dirRead {
		err = rc.Read(c.fn)
	} else {
		err = rc.Write(c.fn)
	}
	c.parked.Store(false)

	t.mu.Lock()
	defer t.mu.Unlock()
	t.waits[dir]--
	switch {
	case t.gen != gen:
		return ErrUnconfigured // disconnected meanwhile
	case err == nil, t.intr != intr:
		return nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		if end.IsZero() || time.Now().Before(end) {
			return nil // the limit of another wait
		}
		return t.readyLocked(dir) // one last look
	}
	return wrap(ErrConnection, err)
}

// readyLocked looks once whether the socket is ready in direction dir:
// nil when it is, streampeer.ErrTimeout when not.
func (t *TCP) readyLocked(dir int) error {
	ready, err := pollNow(t.fd, pollEvents[dir])
	switch {
	case err != nil:
		return wrap(ErrConnection, err)
	case !ready:
		return errTimeout
	}
	return nil
}

// registerLocked hands the socket to Go's runtime poller, once per
// socket: os.NewFile registers a non-blocking descriptor with it, and the
// file owns the descriptor from then on.
func (t *TCP) registerLocked() (syscall.RawConn, error) {
	if t.rc != nil {
		return t.rc, nil
	}
	if t.checks[dirRead].fn == nil {
		for dir := range t.checks {
			c := &t.checks[dir]
			c.events = pollEvents[dir]
			c.fn = c.check
		}
	}
	f := os.NewFile(uintptr(t.fd), "tcp")
	rc, err := f.SyscallConn()
	if err != nil {
		_ = f.Close()
		return nil, wrap(ErrConnection, err) // not reached: f is valid
	}
	t.file.Store(f)
	t.rc = rc
	return rc, nil
}

// setDeadlineLocked sets the deadline of the socket's file in direction
// dir to d (zero: none).
func (t *TCP) setDeadlineLocked(dir int, d time.Time) {
	f := t.file.Load()
	if f == nil || t.deadline[dir].Equal(d) {
		return
	}
	if dir == dirRead {
		_ = f.SetReadDeadline(d)
	} else {
		_ = f.SetWriteDeadline(d)
	}
	t.deadline[dir] = d
	t.timed[dir].Store(!d.IsZero())
}

// readyCheck is what the runtime poller calls during a wait, with the
// socket's descriptor. The first call looks whether the socket is ready
// already (the poller cleared its own readiness mark just before) and,
// when it is not, asks to be parked; the call after the poller woke it
// ends the wait. One allocation per peer makes fn; a wait allocates
// nothing.
type readyCheck struct {
	events int16
	parked atomic.Bool
	fn     func(fd uintptr) bool
}

func (c *readyCheck) check(fd uintptr) bool {
	if c.parked.Swap(false) {
		return true // woken by the poller
	}
	if ready, err := pollNow(int(fd), c.events); ready || err != nil {
		return true
	}
	c.parked.Store(true)
	return false
}

func waitJob(j *resolveJob, timeout time.Duration) error {
	if timeout < 0 {
		<-j.done
		return nil
	}
	tm := time.NewTimer(timeout)
	defer tm.Stop()
	select {
	case <-j.done:
		return nil
	case <-tm.C:
		return errTimeout
	}
}

// pollNow reports whether fd is ready for events (or has an error or a
// hang-up to report), with poll(2) and without waiting.
func pollNow(fd int, events int16) (bool, error) {
	fds := [1]unix.PollFd{{Fd: int32(fd), Events: events}}
	var ts unix.Timespec
	for {
		n, err := unix.Ppoll(fds[:], &ts, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return false, err
		}
		return n > 0 && fds[0].Revents != 0, nil
	}
}
