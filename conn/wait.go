package conn

import (
	"encoding/binary"
	"time"

	"github.com/h1dev/h1/streampeer"
	"golang.org/x/sys/unix"
)

var errTimeout = streampeer.ErrTimeout

// WaitReadable waits until a get verb would make progress (bytes, the end
// of the stream or an error are ready) or timeout passes (negative: no
// limit), with poll(2) on the socket. It returns streampeer.ErrTimeout when
// the time ran out and ErrUnconfigured when the peer has no connection or
// was disconnected during the wait. While the host is being resolved it
// waits for the lookup instead. A wait may return nil early after
// Interrupt.
func (t *TCP) WaitReadable(timeout time.Duration) error {
	return t.wait(unix.POLLIN, timeout)
}

// WaitWritable is WaitReadable for the put verbs; on a connecting peer it
// returns when the connect attempt finished.
func (t *TCP) WaitWritable(timeout time.Duration) error {
	return t.wait(unix.POLLOUT, timeout)
}

// Interrupt makes the waits in progress on the peer return nil at once; when
// none is in progress, the next wait returns nil at once. It is safe to call
// from any goroutine.
func (t *TCP) Interrupt() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.waiters > 0 {
		t.signalLocked()
	} else {
		t.pending = true
	}
}

func (t *TCP) wait(events int16, timeout time.Duration) error {
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
	if !t.wakeOpen {
		fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
		if err != nil {
			t.mu.Unlock()
			return wrap(ErrConnection, err)
		}
		t.wake, t.wakeOpen = fd, true
	}
	fds := [2]unix.PollFd{
		{Fd: int32(t.fd), Events: events},
		{Fd: int32(t.wake), Events: unix.POLLIN},
	}
	t.waiters++
	t.mu.Unlock()

	n, err := poll(fds[:], timeout)

	t.mu.Lock()
	t.waiters--
	if t.waiters == 0 {
		if t.signalled {
			_, _ = unix.Read(t.wake, t.scratch[:])
			t.signalled = false
		}
		if t.closing {
			t.cond.Broadcast()
		}
	}
	closed := t.closing
	t.mu.Unlock()
	switch {
	case closed:
		return ErrUnconfigured
	case err != nil:
		return wrap(ErrConnection, err)
	case n == 0:
		return errTimeout
	}
	return nil
}

// signalLocked makes the wake eventfd readable, once until it is drained.
func (t *TCP) signalLocked() {
	if t.signalled || !t.wakeOpen {
		return
	}
	binary.NativeEndian.PutUint64(t.scratch[:], 1) // eventfd counts in host order
	if _, err := unix.Write(t.wake, t.scratch[:]); err == nil {
		t.signalled = true
	}
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

// poll runs poll(2) on fds for at most timeout (negative: no limit),
// starting again after EINTR with the time that is left.
func poll(fds []unix.PollFd, timeout time.Duration) (int, error) {
	var end time.Time
	if timeout >= 0 {
		end = time.Now().Add(timeout)
	}
	for {
		var ts *unix.Timespec
		var tsv unix.Timespec
		if timeout >= 0 {
			tsv = unix.NsecToTimespec(max(int64(time.Until(end)), 0))
			ts = &tsv
		}
		n, err := unix.Ppoll(fds, ts, nil)
		if err == unix.EINTR {
			continue
		}
		return n, err
	}
}

// pollNow reports whether fd is ready for events (or has an error or a
// hang-up to report) without waiting.
func pollNow(fd int, events int16) (bool, error) {
	fds := [1]unix.PollFd{{Fd: int32(fd), Events: events}}
	n, err := poll(fds[:], 0)
	if err != nil {
		return false, err
	}
	return n > 0 && fds[0].Revents != 0, nil
}
