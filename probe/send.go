package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/streampeer"
	"github.com/h1dev/h1/tlsx"
)

// Defaults of Options.
const (
	DefaultReadTimeout    = 2 * time.Second
	DefaultLinger         = 150 * time.Millisecond
	DefaultConnectTimeout = 5 * time.Second
	DefaultMaxRead        = 1 << 20
)

// writeSlice is how long a blocked write waits before the reader looks at
// the socket again: a server may answer (and close) before it has read
// everything.
const writeSlice = 10 * time.Millisecond

var (
	// ErrConnect reports that the target could not be reached: the name
	// did not resolve or no address accepted the connection in time.
	ErrConnect = errors.New("h1: probe: cannot connect")
	// ErrTLS reports a failed TLS handshake with the target.
	ErrTLS = errors.New("h1: probe: tls handshake failed")
	// ErrCloseWriteTLS reports Options.CloseWrite with a TLS target: only a
	// plain TCP connection can be half-closed.
	ErrCloseWriteTLS = errors.New("h1: probe: close-write needs a plain tcp target")
)

// Options tune SendRaw. The zero value uses the defaults.
type Options struct {
	// ReadTimeout is how long the probe waits for the next byte while a
	// response is still awaited; then the exchange ends with EndTimeout.
	// Zero means DefaultReadTimeout.
	ReadTimeout time.Duration
	// Linger is how long the probe goes on listening once the awaited
	// responses arrived (for a response too many); then the exchange ends
	// with EndOpen. Zero means DefaultLinger.
	Linger time.Duration
	// ConnectTimeout bounds the connect and the TLS handshake. Zero means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// MaxRead bounds the bytes received. Zero means DefaultMaxRead.
	MaxRead int
	// Await is how many final responses to wait for with ReadTimeout
	// before waiting with Linger. Zero means as many as the strict parser
	// finds complete requests in the bytes sent, and at least one; a
	// negative value means none: Linger from the first byte sent on.
	Await int
	// TLS are the TLS options for an https target; nil means
	// tlsx.Client(nil, ""): the system roots and the host name verified.
	TLS *tlsx.Options
	// CloseWrite half-closes the connection once every byte is sent (TCP
	// only), so that the server reads the end of the stream after them.
	CloseWrite bool
}

func (o *Options) defaults() Options {
	v := *o
	if v.ReadTimeout <= 0 {
		v.ReadTimeout = DefaultReadTimeout
	}
	if v.Linger <= 0 {
		v.Linger = DefaultLinger
	}
	if v.ConnectTimeout <= 0 {
		v.ConnectTimeout = DefaultConnectTimeout
	}
	if v.MaxRead <= 0 {
		v.MaxRead = DefaultMaxRead
	}
	return v
}

// peer is what SendRaw needs of a connection.
type peer interface {
	streampeer.StreamPeer
	streampeer.Waiter
	io.Closer
}

// dial connects to t, with TLS when it asks for it.
func dial(t Target, opts *Options) (peer, *conn.TCP, error) {
	tcp := new(conn.TCP)
	if err := tcp.SetConnectTimeout(opts.ConnectTimeout); err != nil {
		return nil, nil, err
	}
	err := tcp.ConnectToHost(t.Host, t.Port)
	if err == nil {
		err = tcp.WaitConnected(opts.ConnectTimeout)
	}
	if err != nil {
		tcp.Close()
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrConnect, t, err)
	}
	if !t.TLS {
		return tcp, tcp, nil
	}
	to := opts.TLS
	if to == nil {
		to = tlsx.Client(nil, "")
	}
	var p tlsx.Peer
	if err := p.Connect(tcp, t.Host, to); err != nil {
		tcp.Close()
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrTLS, t, err)
	}
	if err := p.Handshake(opts.ConnectTimeout); err != nil {
		p.Close()
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrTLS, t, err)
	}
	return &p, tcp, nil
}

// SendRaw is the deliberate way to put exact bytes on the wire: it
// connects to t, writes raw as it is (nothing checks or changes it, unlike
// parser.AppendRequestHead), and reads what comes back with the strict
// response parser while it writes, until the exchange ends (see End). It
// waits at most opts.ReadTimeout for any byte while a response is awaited,
// so it never hangs on a silent server; a deadline of ctx also ends the
// exchange, as EndTimeout (a cancel is EndCanceled).
//
// The error is not nil only when no byte could be sent: ErrConnect,
// ErrTLS, ErrCloseWriteTLS. Everything the server did, including closing
// or resetting the connection, is in the Outcome. The Outcome owns its
// memory.
func SendRaw(ctx context.Context, t Target, raw []byte, opts Options) (Outcome, error) {
	o := opts.defaults()
	if o.CloseWrite && t.TLS {
		return Outcome{}, ErrCloseWriteTLS
	}
	if err := ctx.Err(); err != nil {
		return Outcome{End: ctxEnd(err), Err: err}, nil
	}
	p, tcp, err := dial(t, &o)
	if err != nil {
		return Outcome{}, err
	}
	defer p.Close()
	stop := context.AfterFunc(ctx, tcp.Interrupt)
	defer stop()

	count := CountRequests(raw)
	await := o.Await
	switch {
	case await < 0:
		await = 0
	case await == 0:
		await = max(1, len(count.Methods))
	}
	r := &responseReader{methods: count.Methods, buf: make([]byte, 0, min(o.MaxRead, 64<<10))}
	sent := 0
	last := time.Now()
	var sendErr error
	if len(raw) == 0 && o.CloseWrite {
		_ = tcp.CloseWrite()
	}
	for r.out.End == EndNone {
		if err := ctx.Err(); err != nil {
			r.out.End, r.out.Err = ctxEnd(err), err
			break
		}
		progress := false
		// Read first: an answer may be waiting while the request is
		// still going out.
		if len(r.buf) == cap(r.buf) {
			if len(r.buf) >= o.MaxRead {
				r.out.End = EndLimit
				break
			}
			r.buf = append(r.buf, make([]byte, min(o.MaxRead, 2*cap(r.buf))-len(r.buf))...)[:len(r.buf)]
		}
		n, rerr := p.GetPartialData(r.buf[len(r.buf):cap(r.buf)])
		if n > 0 {
			r.buf = r.buf[:len(r.buf)+n]
			progress = true
			r.advance(false)
		}
		if rerr != nil {
			endStream(r, rerr)
			break
		}
		if r.out.End != EndNone {
			break
		}
		if sendErr != nil && n == 0 {
			// The write failed and the read has nothing to say: the
			// connection is gone.
			r.out.End, r.out.Err = EndReset, sendErr
			break
		}
		if sent < len(raw) && sendErr == nil {
			n, werr := p.PutPartialData(raw[sent:])
			sent += n
			if n > 0 {
				progress = true
			}
			if werr != nil {
				sendErr = werr // the next read tells a close from a reset
				continue
			} else if sent == len(raw) && o.CloseWrite {
				_ = tcp.CloseWrite()
			}
		}
		if progress {
			last = time.Now()
			continue
		}
		writing := sent < len(raw) && sendErr == nil
		limit := o.ReadTimeout
		if !writing && r.finals() >= await && !r.midResponse() {
			limit = o.Linger
		}
		left := limit - time.Since(last)
		if left <= 0 {
			if limit == o.Linger {
				r.out.End = EndOpen
			} else {
				r.out.End = EndTimeout
			}
			break
		}
		if writing {
			_ = p.WaitWritable(min(left, writeSlice))
		} else {
			_ = p.WaitReadable(left)
		}
	}
	r.out.Sent = sent
	r.out.SendErr = sendErr
	r.out.Read = int64(len(r.buf))
	return r.out, nil
}

// ctxEnd is the end of an exchange that its context stopped: a deadline
// is a timeout, anything else a cancel.
func ctxEnd(err error) End {
	if errors.Is(err, context.DeadlineExceeded) {
		return EndTimeout
	}
	return EndCanceled
}

// endStream classifies the error of a read: the end of the stream (the
// parse then sees it) or a failure of the connection, a reset (ECONNRESET,
// or any other socket error: the connection is gone either way).
func endStream(r *responseReader, err error) {
	if err == io.EOF || errors.Is(err, tlsx.ErrTruncated) {
		r.advance(true)
		if r.out.End == EndNone {
			r.out.End = EndClosed
		}
		return
	}
	r.out.End, r.out.Err = EndReset, err
}
