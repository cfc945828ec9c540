package streampeer

import (
	"io"
	"sync/atomic"
	"time"
)

// NewReader returns an io.Reader that reads from p.
//
// Read returns the bytes that are ready, as soon as there is at least one.
// When none is ready it waits: with p's WaitReadable when p is a Waiter,
// and otherwise by asking p.GetData for one byte. The end of the stream
// is io.EOF.
func NewReader(p StreamPeer) io.Reader {
	w, _ := p.(Waiter)
	return &reader{p: p, w: w}
}

// NewWriter returns an io.Writer that writes to p.
//
// Write returns once all of b is written or the stream failed; its count
// says how many bytes p took. When p takes none it waits with p's
// WaitWritable when p is a Waiter, and otherwise hands the rest to
// p.PutData.
func NewWriter(p StreamPeer) io.Writer {
	w, _ := p.(Waiter)
	return &writer{p: p, w: w}
}

type reader struct {
	p StreamPeer
	w Waiter
}

func (r *reader) Read(b []byte) (int, error) { return read(r.p, r.w, b, nil) }

type writer struct {
	p StreamPeer
	w Waiter
}

func (w *writer) Write(b []byte) (int, error) { return write(w.p, w.w, b, nil) }

// deadline is an absolute time held as Unix nanoseconds; 0 means none.
type deadline struct{ ns atomic.Int64 }

func (d *deadline) set(t time.Time) {
	if t.IsZero() {
		d.ns.Store(0)
		return
	}
	d.ns.Store(t.UnixNano())
}

// timeout reports how long a wait may last: -1 for ever, and ok == false
// when the deadline has passed.
func (d *deadline) timeout() (timeout time.Duration, ok bool) {
	if d == nil {
		return -1, true
	}
	ns := d.ns.Load()
	if ns == 0 {
		return -1, true
	}
	left := time.Until(time.Unix(0, ns))
	if left <= 0 {
		return 0, false
	}
	return left, true
}

// read moves at least one byte from p into b, waiting while none is ready.
// It returns ErrTimeout once dl (nil for none) has passed, even when bytes
// are ready, as net.Conn does.
func read(p StreamPeer, w Waiter, b []byte, dl *deadline) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for {
		timeout, ok := dl.timeout()
		if !ok {
			return 0, ErrTimeout
		}
		n, err := p.GetPartialData(b)
		if n > 0 || err != nil {
			if n > 0 && err == io.EOF {
				err = nil // the next call reports it
			}
			return n, err
		}
		if w == nil {
			// Nothing to wait with: let the whole verb wait for one byte.
			if err := p.GetData(b[:1]); err != nil {
				return 0, err
			}
			m, err := p.GetPartialData(b[1:])
			if err == io.EOF {
				err = nil
			}
			return 1 + m, err
		}
		if err := w.WaitReadable(timeout); err != nil && err != ErrTimeout {
			return 0, err
		}
	}
}

// write moves all of b into p, waiting while p takes nothing. It returns
// ErrTimeout once dl (nil for none) has passed.
func write(p StreamPeer, w Waiter, b []byte, dl *deadline) (int, error) {
	total := 0
	for total < len(b) {
		timeout, ok := dl.timeout()
		if !ok {
			return total, ErrTimeout
		}
		n, err := p.PutPartialData(b[total:])
		total += n
		if err != nil {
			return total, err
		}
		if n > 0 {
			continue
		}
		if w == nil {
			if err := p.PutData(b[total:]); err != nil {
				return total, err
			}
			return len(b), nil
		}
		if err := w.WaitWritable(timeout); err != nil && err != ErrTimeout {
			return total, err
		}
	}
	return total, nil
}
