package tlsx

import (
	"crypto/x509"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	utls "github.com/refraction-networking/utls"

	"github.com/h1dev/h1/streampeer"
)

const (
	// maxPlaintext is the largest record payload TLS allows (RFC 5246
	// §6.2.1); a read buffer this large takes a whole record.
	maxPlaintext = 16384
	// highWater bounds the ciphertext a Peer buffers for the base peer:
	// PutPartialData takes nothing more once this much waits.
	highWater = 64 << 10
	// writeChunk is how much plaintext PutData encrypts at a time.
	writeChunk = 64 << 10
)

// Peer is a TLS 1.2 client session over another StreamPeer, after Godot's
// StreamPeerTLS. It is itself a StreamPeer, a Poller and a Waiter.
//
// The zero value is a disconnected Peer; Connect starts a session. A Peer
// is not safe for concurrent use: one goroutine at a time calls its
// methods, and the base peer is used only through the Peer while the
// session lasts.
type Peer struct {
	status   Status
	err      error // why the session failed (error statuses)
	ended    error // what verbs return in StatusDisconnected
	host     string
	base     streampeer.StreamPeer
	w        wire
	uc       *utls.UConn
	deadline time.Time // the handshake's limit; zero: none
	state    State

	next  func() (struct{}, bool) // the parked handshake coroutine, or nil
	stop  func()
	hsErr error

	plainBuf []byte // decrypted bytes not yet returned: plainBuf[plainOff:plainEnd]
	plainOff int
	plainEnd int
	rerr     error // what reads return once the buffer is empty
}

// Connect starts a TLS session with host over base, which must already be
// connected (or connecting: the handshake waits for it). host is the name
// the certificate must be valid for and the SNI sent (no SNI for an IP
// address); opts nil means Client(nil, "") without a session cache.
//
// Connect does no I/O: Poll or Handshake runs the handshake, and the
// whole verbs (GetData, PutData) finish it first when it is still under
// way. The status becomes StatusHandshaking.
//
// A Peer that is disconnected or in an error status may Connect again; the
// previous base peer is then left as it is (Close closes it).
func (p *Peer) Connect(base streampeer.StreamPeer, host string, opts *Options) error {
	if p.status == StatusHandshaking || p.status == StatusConnected {
		return ErrInUse
	}
	if base == nil {
		return ErrNotConnected
	}
	if opts == nil {
		opts = &Options{}
	}
	name := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if name == "" && !opts.Unsafe {
		return &Error{Kind: ErrHandshake, Err: errNoHost}
	}
	if opts.Hello > HelloChrome {
		return &Error{Kind: ErrHandshake, Host: name, Err: errBadHello}
	}

	cfg := opts.config(name)

	p.reset()
	p.w.reset(base)
	p.base, p.host = base, name
	if opts.CommonNameOverride != "" && !opts.Unsafe {
		p.host = opts.CommonNameOverride // the name the certificate is checked against
	}
	hello := utls.HelloGolang
	if opts.Hello == HelloChrome {
		hello = utls.HelloCustom
	}
	p.uc = utls.UClient(&p.w, cfg, hello) // cfg is this connection's own
	if opts.Hello == HelloChrome {
		spec, err := chromeSpec()
		if err == nil {
			err = applyPreset(p.uc, spec)
		}
		if err != nil {
			p.uc = nil
			return &Error{Kind: ErrHandshake, Host: name, Err: err}
		}
	}
	switch t := opts.HandshakeTimeout; {
	case t == 0:
		p.deadline = time.Now().Add(DefaultHandshakeTimeout)
	case t > 0:
		p.deadline = time.Now().Add(t)
	}
	p.status = StatusHandshaking
	return nil
}

// config returns a fresh uTLS configuration for a connection to name.
// uTLS writes into the configuration it is given, so none is shared.
func (o *Options) config(name string) *utls.Config {
	cfg := &utls.Config{
		ServerName: name,
		RootCAs:    o.Roots,
		MinVersion: utls.VersionTLS12,
		MaxVersion: utls.VersionTLS12,
		NextProtos: []string{"http/1.1"},
	}
	switch {
	case o.Unsafe && o.Roots == nil:
		cfg.InsecureSkipVerify = true
	case o.Unsafe:
		cfg.InsecureServerNameToVerify = "*" // the chain, not the name
	case o.CommonNameOverride != "":
		cfg.InsecureServerNameToVerify = o.CommonNameOverride
	}
	if o.Sessions != nil {
		cfg.ClientSessionCache = o.Sessions.partition(o)
	} else {
		cfg.SessionTicketsDisabled = true
	}
	if len(o.Pins) > 0 {
		pins := slices.Clone(o.Pins)
		cfg.VerifyConnection = func(cs utls.ConnectionState) error {
			if checkPins(pins, cs) {
				return nil
			}
			return &Error{Kind: ErrPinMismatch, Host: name, Err: &pinMismatch{certs: cs.PeerCertificates}}
		}
	}
	return cfg
}

var (
	errNoHost   = errors.New("empty host name")
	errBadHello = errors.New("unknown hello")
)

// pinMismatch lists the pins the server's certificates have.
type pinMismatch struct{ certs []*x509.Certificate }

func (e *pinMismatch) Error() string {
	var b strings.Builder
	b.WriteString("server keys:")
	for _, c := range e.certs {
		b.WriteString(" ")
		b.WriteString(PinOf(c).String())
	}
	return b.String()
}

// reset forgets the previous session.
func (p *Peer) reset() {
	buf := p.plainBuf
	*p = Peer{plainBuf: buf, w: wire{out: p.w.out[:0]}}
}

// Status returns where the session stands.
func (p *Peer) Status() Status { return p.status }

// Err returns the error that put the Peer in an error status, or nil.
func (p *Peer) Err() error { return p.err }

// Base returns the peer the session runs over, or nil.
func (p *Peer) Base() streampeer.StreamPeer { return p.base }

// Poll makes as much progress as it can without waiting: it polls the base
// peer if that is a Poller, sends buffered ciphertext, advances the
// handshake (see the package documentation for how), and, once connected,
// decrypts a record that has arrived when no decrypted byte is buffered,
// so that AvailableBytes reports it. It returns the error that ended the
// session, if one did; a clean close_notify is not an error.
func (p *Peer) Poll() error {
	switch p.status {
	case StatusHandshaking, StatusConnected:
	case StatusDisconnected:
		return nil
	default:
		return p.err
	}
	if pl, ok := p.base.(streampeer.Poller); ok {
		if err := pl.Poll(); err != nil {
			if p.status == StatusHandshaking {
				return p.finishHandshake(err, false)
			}
			return p.fail(sessionError(p.host, err, err))
		}
	}
	if p.status == StatusHandshaking {
		return p.stepHandshake()
	}
	if err := p.w.flush(); err != nil {
		return p.fail(sessionError(p.host, err, err))
	}
	if p.buffered() == 0 && p.rerr == nil {
		p.fill()
	}
	if p.status.failed() {
		return p.err
	}
	return nil
}

// Handshake finishes the handshake, waiting on the base peer (its Waiter,
// or the base peer's blocking verbs when it has none) for at most timeout
// (negative: no limit beyond the Options' HandshakeTimeout). When the time
// runs out the handshake fails with ErrHandshakeTimeout, since a uTLS
// handshake cannot be taken up again; to do other work while it runs, use
// Poll. It returns nil once connected, and the handshake's error
// otherwise; the status says which.
//
// Called before any Poll, it runs the handshake on the caller's goroutine
// and starts none.
func (p *Peer) Handshake(timeout time.Duration) error {
	switch p.status {
	case StatusConnected:
		return nil
	case StatusHandshaking:
	case StatusDisconnected:
		return p.disconnectedErr()
	default:
		return p.err
	}
	deadline := p.deadline
	if timeout >= 0 {
		if d := time.Now().Add(timeout); deadline.IsZero() || d.Before(deadline) {
			deadline = d
		}
	}
	if p.next == nil {
		return p.handshakeSync(deadline)
	}
	for {
		if err := p.Poll(); err != nil {
			return err
		}
		if p.status != StatusHandshaking {
			return p.Handshake(0) // the result, now settled
		}
		if err := p.waitBase(deadline); err != nil {
			return p.finishHandshake(err, errors.Is(err, streampeer.ErrTimeout))
		}
	}
}

// waitBase sends what is buffered, then waits until the base peer has a
// byte to read or the deadline (zero: none) passes, which is
// streampeer.ErrTimeout.
func (p *Peer) waitBase(deadline time.Time) error {
	if p.w.pending() > 0 {
		if err := p.w.drain(0, deadline); err != nil {
			return err
		}
	}
	p.w.deadline = deadline
	err := p.w.wait()
	p.w.deadline = time.Time{}
	if err == errDeadline {
		return streampeer.ErrTimeout
	}
	return err
}

// fail moves the session to the error status that e calls for.
func (p *Peer) fail(e *Error) error {
	p.stopHandshake()
	p.status = StatusError
	if e.Kind == ErrHostnameMismatch {
		p.status = StatusErrorHostnameMismatch
	}
	p.err, p.rerr = e, e
	return e
}

// disconnectedErr is what the verbs return in StatusDisconnected.
func (p *Peer) disconnectedErr() error {
	if p.ended != nil {
		return p.ended
	}
	return ErrNotConnected
}

// buffered returns how many decrypted bytes wait to be read.
func (p *Peer) buffered() int { return p.plainEnd - p.plainOff }

// decrypt reads what the record layer can give without waiting into dst
// (at least maxPlaintext long, so it takes a whole record). A failure or
// the end of the session is kept in p.rerr and reported after the bytes.
func (p *Peer) decrypt(dst []byte) int {
	n, err := p.uc.Read(dst)
	if err == nil || err == errWouldBlock {
		return n
	}
	switch {
	case errors.Is(err, io.EOF) && !p.w.gaveEOF:
		// close_notify: a clean end.
		p.rerr, p.ended = io.EOF, ErrClosed
		p.status = StatusDisconnected
	case (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && p.w.gaveEOF:
		p.fail(&Error{Kind: ErrTruncated, Host: p.host})
	default:
		p.fail(sessionError(p.host, err, p.w.err))
	}
	return n
}

// fill decrypts into the Peer's buffer, which must be empty.
func (p *Peer) fill() {
	if p.plainBuf == nil {
		p.plainBuf = make([]byte, maxPlaintext)
	}
	p.plainOff, p.plainEnd = 0, p.decrypt(p.plainBuf)
}

// AvailableBytes returns how many decrypted bytes are buffered, which
// GetPartialData returns without touching the base peer. Ciphertext that
// has arrived but is not decrypted yet does not count; Poll and the get
// verbs decrypt it.
func (p *Peer) AvailableBytes() int { return p.buffered() }

// GetPartialData copies into b the decrypted bytes that are ready now,
// decrypting one record from the base peer when none is buffered, and
// returns how many it copied, possibly 0. During the handshake it polls
// and returns 0. After the server's close_notify and the last byte it
// returns io.EOF; a stream that ends without close_notify is ErrTruncated.
func (p *Peer) GetPartialData(b []byte) (int, error) {
	if p.status == StatusHandshaking {
		if err := p.Poll(); err != nil {
			return 0, err
		}
		if p.status == StatusHandshaking {
			return 0, nil
		}
	}
	if n := p.buffered(); n > 0 {
		n = copy(b, p.plainBuf[p.plainOff:p.plainEnd])
		p.plainOff += n
		return n, nil
	}
	if p.rerr != nil {
		return 0, p.rerr
	}
	if p.status != StatusConnected {
		return 0, p.disconnectedErr()
	}
	if len(b) == 0 {
		return 0, nil
	}
	if p.w.pending() > 0 {
		if err := p.w.flush(); err != nil {
			return 0, p.fail(sessionError(p.host, err, err))
		}
	}
	if len(b) >= maxPlaintext {
		if n := p.decrypt(b); n > 0 {
			return n, nil
		}
		return 0, p.rerr
	}
	p.fill()
	if p.buffered() == 0 {
		return 0, p.rerr
	}
	return p.GetPartialData(b)
}

// GetData fills b with decrypted bytes, finishing the handshake first and
// waiting on the base peer as needed. A session that ends cleanly before b
// is full returns io.ErrUnexpectedEOF.
func (p *Peer) GetData(b []byte) error {
	if p.status == StatusHandshaking {
		if err := p.Handshake(-1); err != nil {
			return err
		}
	}
	for k := 0; k < len(b); {
		n, err := p.GetPartialData(b[k:])
		k += n
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if k < len(b) && n == 0 {
			// GetPartialData found no whole record: wait for the base
			// peer, then decrypt straight into b.
			if err := p.waitBase(time.Time{}); err != nil {
				return p.fail(sessionError(p.host, err, err))
			}
		}
	}
	return nil
}

// PutPartialData encrypts as much of b as the Peer can buffer now and
// sends what the base peer takes; it returns how many bytes of b it took.
// It takes nothing while 64 KiB of ciphertext wait for the base peer, and
// nothing during the handshake (which it polls). Bytes taken but not yet
// sent go out with the next Poll or verb, or WaitWritable.
func (p *Peer) PutPartialData(b []byte) (int, error) {
	if p.status == StatusHandshaking {
		if err := p.Poll(); err != nil {
			return 0, err
		}
		if p.status == StatusHandshaking {
			return 0, nil
		}
	}
	if err := p.putReady(); err != nil {
		return 0, err
	}
	if err := p.w.flush(); err != nil {
		return 0, p.fail(sessionError(p.host, err, err))
	}
	room := highWater - p.w.pending()
	if room <= 0 || len(b) == 0 {
		return 0, nil
	}
	p.w.hold = true
	n, err := p.uc.Write(b[:min(len(b), room)])
	p.w.hold = false
	if err != nil {
		return n, p.fail(sessionError(p.host, err, p.w.err))
	}
	if err := p.w.flush(); err != nil {
		return n, p.fail(sessionError(p.host, err, err))
	}
	return n, nil
}

// PutData encrypts and sends all of b, finishing the handshake first and
// waiting on the base peer as needed.
func (p *Peer) PutData(b []byte) error {
	if p.status == StatusHandshaking {
		if err := p.Handshake(-1); err != nil {
			return err
		}
	}
	if err := p.putReady(); err != nil {
		return err
	}
	for len(b) > 0 {
		chunk := b[:min(len(b), writeChunk)]
		p.w.hold = true
		_, err := p.uc.Write(chunk)
		p.w.hold = false
		if err != nil {
			return p.fail(sessionError(p.host, err, p.w.err))
		}
		b = b[len(chunk):]
		if err := p.w.drain(highWater, time.Time{}); err != nil {
			return p.fail(sessionError(p.host, err, err))
		}
	}
	if err := p.w.drain(0, time.Time{}); err != nil {
		return p.fail(sessionError(p.host, err, err))
	}
	return nil
}

// putReady returns the error the put verbs report when the session cannot
// send.
func (p *Peer) putReady() error {
	switch p.status {
	case StatusConnected:
		return nil
	case StatusDisconnected:
		return p.disconnectedErr()
	}
	return p.err
}

// WaitReadable returns when a get verb would make progress: decrypted
// bytes are buffered (it then returns at once), the session ended, or a
// record arrived. During the handshake it drives it (Poll, then wait)
// first. It returns streampeer.ErrTimeout when timeout (negative: none)
// ran out.
func (p *Peer) WaitReadable(timeout time.Duration) error {
	return p.await(timeout, false)
}

// WaitWritable returns when a put verb would make progress: the session is
// connected and less than 64 KiB of ciphertext waits for the base peer, or
// the session ended. During the handshake it drives it first. It returns
// streampeer.ErrTimeout when timeout (negative: none) ran out.
func (p *Peer) WaitWritable(timeout time.Duration) error {
	return p.await(timeout, true)
}

func (p *Peer) await(timeout time.Duration, write bool) error {
	var deadline time.Time
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	for {
		switch p.status {
		case StatusHandshaking:
			if err := p.Poll(); err != nil || p.status != StatusHandshaking {
				continue
			}
			if err := p.waitBase(deadline); err != nil {
				return err
			}
		case StatusConnected:
			if write {
				if err := p.w.drain(highWater-1, deadline); err != nil {
					if err == streampeer.ErrTimeout {
						return err
					}
					p.fail(sessionError(p.host, err, err))
				}
				return nil
			}
			if p.buffered() > 0 || p.rerr != nil {
				return nil
			}
			if err := p.w.flush(); err != nil {
				p.fail(sessionError(p.host, err, err))
				return nil
			}
			p.fill()
			if p.buffered() > 0 || p.rerr != nil {
				return nil
			}
			if err := p.waitBase(deadline); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// Close ends the session: it stops a handshake under way (joining its
// coroutine), sends close_notify if the session was established and did
// not fail (without waiting for the base peer to take it), and closes the base peer if that
// has a Close method. The status becomes StatusDisconnected and the verbs
// return ErrClosed until the next Connect.
func (p *Peer) Close() error {
	p.stopHandshake()
	if p.uc != nil && p.state.Version != 0 && !p.status.failed() {
		// Connected, or the server's close_notify came: send ours, best
		// effort. This closes the wire too.
		p.uc.Close()
	}
	p.w.closed = true
	var err error
	switch b := p.base.(type) {
	case io.Closer:
		err = b.Close()
	case interface{ Close() }:
		b.Close()
	}
	p.reset()
	p.ended = ErrClosed
	return err
}

// State describes an established session.
type State struct {
	Version            uint16 // the protocol version (always TLS 1.2)
	CipherSuite        uint16 // the cipher suite's IANA number
	DidResume          bool   // the session resumed an earlier one
	NegotiatedProtocol string // the ALPN protocol, "http/1.1" or ""
	ServerName         string // the name the session was for
	// PeerCertificates is the chain the server sent, leaf first.
	PeerCertificates []*x509.Certificate
	// VerifiedChains are the chains that verification built; empty when
	// nothing was verified.
	VerifiedChains [][]*x509.Certificate
}

// VersionName returns the version's name, such as "TLS 1.2".
func (s State) VersionName() string { return utls.VersionName(s.Version) }

// CipherSuiteName returns the cipher suite's standard name.
func (s State) CipherSuiteName() string { return utls.CipherSuiteName(s.CipherSuite) }

func stateOf(cs utls.ConnectionState) State {
	return State{
		Version:            cs.Version,
		CipherSuite:        cs.CipherSuite,
		DidResume:          cs.DidResume,
		NegotiatedProtocol: cs.NegotiatedProtocol,
		ServerName:         cs.ServerName,
		PeerCertificates:   cs.PeerCertificates,
		VerifiedChains:     cs.VerifiedChains,
	}
}

// ConnectionState describes the session; it is the zero State until the
// handshake succeeds.
func (p *Peer) ConnectionState() State { return p.state }

var (
	_ streampeer.StreamPeer = (*Peer)(nil)
	_ streampeer.Poller     = (*Peer)(nil)
	_ streampeer.Waiter     = (*Peer)(nil)
)
