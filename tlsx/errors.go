package tlsx

import (
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"

	utls "github.com/refraction-networking/utls"

	"github.com/h1dev/h1/streampeer"
)

// Sentinels that callers branch on. Every error a Peer returns for a failed
// session is an *Error whose Kind is one of these; errors.Is matches the
// kind, and errors.As reaches the cause (for certificate failures the
// x509.HostnameError, x509.UnknownAuthorityError or
// x509.CertificateInvalidError that the verifier reported).
var (
	// ErrHostnameMismatch: the certificate chains to a trusted root but is
	// not valid for the host name (or the common-name override).
	ErrHostnameMismatch = errors.New("h1: tls: certificate is not valid for the host name")
	// ErrUnknownAuthority: the certificate does not chain to a trusted root.
	ErrUnknownAuthority = errors.New("h1: tls: certificate signed by an unknown authority")
	// ErrCertificateExpired: the certificate, or one in its chain, has
	// expired or is not yet valid. errors.Is also matches
	// ErrCertificateInvalid.
	ErrCertificateExpired = errors.New("h1: tls: certificate has expired or is not yet valid")
	// ErrCertificateInvalid: the certificate failed verification for any
	// other reason (usage, constraints, malformed).
	ErrCertificateInvalid = errors.New("h1: tls: certificate is invalid")
	// ErrPinMismatch: no public key of the server's chain matches a pin.
	ErrPinMismatch = errors.New("h1: tls: no certificate matches a pinned public key")
	// ErrProtocolVersion: the server does not speak TLS 1.2 (it offers only
	// TLS 1.3, or only TLS 1.1 and older).
	ErrProtocolVersion = errors.New("h1: tls: server does not speak tls 1.2")
	// ErrHandshakeTimeout: the handshake did not finish in time.
	ErrHandshakeTimeout = errors.New("h1: tls: handshake timed out")
	// ErrHandshake: the handshake failed for another reason: bytes that
	// are not TLS, an alert from the server, a stream that ended or failed
	// before the handshake finished.
	ErrHandshake = errors.New("h1: tls: handshake failed")
	// ErrBadRecord: a record from the server failed authentication or
	// broke the protocol after the handshake.
	ErrBadRecord = errors.New("h1: tls: bad record from the server")
	// ErrAlert: the server ended the session with a fatal alert after the
	// handshake.
	ErrAlert = errors.New("h1: tls: fatal alert from the server")
	// ErrTruncated: the stream ended (a TCP FIN) without a close_notify
	// alert, so the data may have been cut short by an attacker or a
	// failure. A close_notify is a clean end and reads return io.EOF.
	ErrTruncated = errors.New("h1: tls: stream ended without close_notify")
	// ErrTransport: the base peer failed after the handshake.
	ErrTransport = errors.New("h1: tls: base stream failed")
	// ErrClosed: the session was closed, locally by Close or by the
	// server's close_notify, and cannot send any more.
	ErrClosed = errors.New("h1: tls: session is closed")
	// ErrNotConnected: a verb was used on a Peer that has no session;
	// call Connect first.
	ErrNotConnected = errors.New("h1: tls: peer is not connected")
	// ErrInUse: Connect was called on a Peer whose session is still
	// handshaking or connected.
	ErrInUse = errors.New("h1: tls: peer already has a session")
	// ErrPinSyntax: a pin string is not "sha256//" followed by the base64
	// of 32 bytes. Returned wrapped in a *PinError.
	ErrPinSyntax = errors.New("h1: tls: malformed pin")
)

// Error is a failed TLS session: Kind says what went wrong and is one of
// the package's sentinels; Err, when not nil, is the cause reported by the
// TLS stack, the certificate verifier or the base peer.
type Error struct {
	Kind error  // one of the Err* sentinels
	Host string // the name the certificate was checked against, when known
	Err  error  // the cause, or nil
}

// Error returns the kind's message, the name that was checked and what
// the cause adds to the kind, each once: "h1: tls: certificate is not
// valid for the host name example.com: certificate is valid for
// other.test, not example.com".
func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Host != "" {
		s += " (" + e.Host + ")"
	}
	if d := e.detail(); d != "" {
		s += ": " + d
	}
	return s
}

// x509Phrases are the words the certificate verifier opens its messages
// with that the kinds already say.
var x509Phrases = map[error]string{
	ErrUnknownAuthority:   "certificate signed by unknown authority",
	ErrCertificateExpired: "certificate has expired or is not yet valid",
	ErrHostnameMismatch:   "",
	ErrCertificateInvalid: "",
}

// detail is what the cause says beyond the kind: for a certificate the
// verifier's own words without the ones the kind repeats, otherwise the
// cause's message without the prefixes of this package.
func (e *Error) detail() string {
	if e.Err == nil {
		return ""
	}
	var d string
	if phrase, ok := x509Phrases[e.Kind]; ok {
		var (
			hostErr x509.HostnameError
			authErr x509.UnknownAuthorityError
			invErr  x509.CertificateInvalidError
		)
		switch {
		case errors.As(e.Err, &hostErr):
			d = hostErr.Error()
		case errors.As(e.Err, &authErr):
			d = authErr.Error()
		case errors.As(e.Err, &invErr):
			d = invErr.Error()
		default:
			d = e.Err.Error()
		}
		d = strings.TrimPrefix(d, "x509: ")
		if phrase != "" {
			d = strings.TrimPrefix(d, phrase)
		}
	} else {
		d = e.Err.Error()
	}
	d = strings.TrimPrefix(d, "h1: ")
	d = strings.TrimPrefix(d, "tls: ")
	return strings.TrimLeft(d, ": ")
}

// Unwrap returns the kind and the cause, so errors.Is and errors.As see
// both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Is reports an expired certificate as an invalid one too.
func (e *Error) Is(target error) bool {
	return target == ErrCertificateInvalid && e.Kind == ErrCertificateExpired
}

// PinError is a pin that could not be parsed. errors.Is(err, ErrPinSyntax)
// holds for it.
type PinError struct {
	Pin    string // the input, as given
	Reason string // what is wrong with it
}

// Error returns the message, quoting the pin.
func (e *PinError) Error() string {
	return ErrPinSyntax.Error() + " " + strconv.Quote(e.Pin) + ": " + e.Reason
}

// Unwrap returns ErrPinSyntax.
func (e *PinError) Unwrap() error { return ErrPinSyntax }

// errWouldBlock is what the record layer sees when the base peer has no
// byte ready. It is a temporary net.Error: crypto/tls (and uTLS) keep
// their partial record and their state after a temporary error, so the
// next read resumes where this one stopped.
var errWouldBlock net.Error = wouldBlock{}

type wouldBlock struct{}

func (wouldBlock) Error() string   { return "h1: tls: no data ready" }
func (wouldBlock) Timeout() bool   { return false }
func (wouldBlock) Temporary() bool { return true }

// alertProtocolVersion is the text of the protocol_version alert (70).
var alertProtocolVersion = utls.AlertError(70).Error()

// handshakeError turns what the handshake returned into an *Error.
// serverVersion is the version the server selected in its ServerHello, or
// 0 when none arrived.
func handshakeError(host string, err error, serverVersion uint16, timedOut bool) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	kind := ErrHandshake
	var (
		hostErr  x509.HostnameError
		authErr  x509.UnknownAuthorityError
		invErr   x509.CertificateInvalidError
		verErr   *utls.CertificateVerificationError
		opErr    *net.OpError
		remoteAl bool
	)
	if errors.As(err, &opErr) && opErr.Op == "remote error" {
		remoteAl = true
	}
	switch {
	case timedOut || errors.Is(err, streampeer.ErrTimeout) || errors.Is(err, errDeadline):
		kind = ErrHandshakeTimeout
	case errors.As(err, &hostErr):
		kind = ErrHostnameMismatch
	case errors.As(err, &authErr):
		kind = ErrUnknownAuthority
	case errors.As(err, &invErr):
		kind = ErrCertificateInvalid
		if invErr.Reason == x509.Expired {
			kind = ErrCertificateExpired
		}
	case errors.As(err, &verErr):
		kind = ErrCertificateInvalid
	case serverVersion != 0 && serverVersion != utls.VersionTLS12:
		kind = ErrProtocolVersion
	case remoteAl && opErr.Err.Error() == alertProtocolVersion:
		kind = ErrProtocolVersion
	case errors.Is(err, io.EOF):
		// The stream ended before the handshake did.
		err = io.ErrUnexpectedEOF
	}
	return &Error{Kind: kind, Host: host, Err: err}
}

// sessionError turns a record-layer failure after the handshake into an
// *Error. transport is the base peer's failure, if it had one.
func sessionError(host string, err, transport error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if transport != nil {
		return &Error{Kind: ErrTransport, Host: host, Err: transport}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "remote error" {
		return &Error{Kind: ErrAlert, Host: host, Err: err}
	}
	return &Error{Kind: ErrBadRecord, Host: host, Err: err}
}
