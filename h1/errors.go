package h1

import (
	"errors"
	"strconv"
	"strings"

	"github.com/h1dev/h1/parser"
)

// The sentinels callers branch on with errors.Is, after Godot's error
// codes. Errors from a failed connection or response are *Error values
// whose Kind is one of these; errors.Is matches the kind and errors.As
// reaches the cause (a *parser.ProtocolError, a *tlsx.Error, a system
// error).
var (
	// ErrUnconfigured: the call needs a connection the client does not
	// have (Godot's ERR_UNCONFIGURED): Poll before ConnectToHost, or a
	// body read outside StatusBody.
	ErrUnconfigured = errors.New("h1: client not connected")
	// ErrInvalidParameter: an argument is out of range or malformed
	// (Godot's ERR_INVALID_PARAMETER): a bad method, URL, header, host,
	// port or read chunk size.
	ErrInvalidParameter = errors.New("h1: invalid parameter")
	// ErrBusy: a request is already in flight (Godot's ERR_BUSY); wait
	// until the status is StatusConnected again.
	ErrBusy = errors.New("h1: request already in progress")
	// ErrCantResolve: the host name did not resolve (Godot's
	// ERR_CANT_RESOLVE). The status is StatusCantResolve.
	ErrCantResolve = errors.New("h1: cannot resolve host")
	// ErrCantConnect: no address of the host (or of the proxy) accepted
	// the connection, or the proxy refused the tunnel (Godot's
	// ERR_CANT_CONNECT). The status is StatusCantConnect.
	ErrCantConnect = errors.New("h1: cannot connect to host")
	// ErrConnection: the connection failed while a request or a response
	// was under way (Godot's ERR_CONNECTION_ERROR). The status is
	// StatusConnectionError.
	ErrConnection = errors.New("h1: connection error")
	// ErrTLSHandshake: the TLS handshake failed. The status is
	// StatusTLSHandshakeError; errors.As reaches the *tlsx.Error.
	ErrTLSHandshake = errors.New("h1: tls handshake failed")
	// ErrTimeout: a time limit of Limits ran out (Godot's ERR_TIMEOUT).
	// It comes with the status of the step that timed out.
	ErrTimeout = errors.New("h1: timed out")
	// ErrBadResponse: the server's bytes break HTTP/1.1; errors.As
	// reaches the *parser.ProtocolError that names the rule.
	ErrBadResponse = errors.New("h1: bad response")
	// ErrBodyTooLarge: the body is longer than Limits.MaxBodySize.
	ErrBodyTooLarge = errors.New("h1: response body too large")
)

// Error is a failure of the connection or of a response. Kind is one of
// the package's sentinels, Op says what the client was doing, and Err,
// when not nil, is the cause.
type Error struct {
	Kind error  // ErrCantResolve, ErrCantConnect, ErrConnection, ...
	Op   string // "connect", "tls handshake", "read head", "read body", ...
	Err  error  // the cause, or nil
}

// Error returns "<kind>: <op>: <cause>", saying each thing once: the op
// is left out when the kind names it, and the cause loses the "h1: "
// prefix and any words of the kind it opens with, so a failed handshake
// reads "h1: tls handshake failed: certificate signed by an unknown
// authority (example.com)".
func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Op != "" && !strings.Contains(s, e.Op) {
		s += ": " + e.Op
	}
	if e.Err != nil {
		c := strings.TrimPrefix(e.Err.Error(), "h1: ")
		// A cause from a lower layer may open with the kind's words
		// (conn's "cannot connect to host", tlsx's "tls"): say them once.
		c = strings.TrimPrefix(c, strings.TrimPrefix(e.Kind.Error(), "h1: ")+": ")
		if e.Kind == ErrTLSHandshake {
			c = strings.TrimPrefix(c, "tls: ")
		}
		s += ": " + c
	}
	return s
}

// Unwrap returns the kind and the cause, so errors.Is and errors.As see
// both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// LimitError reports a response head that went past one of the Client's
// Limits. It names the limit and how to raise it; errors.Is matches
// parser.ErrHeadTooLarge or parser.ErrTooManyHeaders, and errors.As
// reaches the *parser.ProtocolError with the offset.
type LimitError struct {
	Limit string // the field of Limits: "MaxHeadSize" or "MaxHeaders"
	Value int    // its value in effect
	Err   error  // the parser's *parser.ProtocolError
}

// Error returns "h1: response head over Limits.<limit> (<value> <unit>)
// at offset <n>; raise Limits.<limit> to accept it".
func (e *LimitError) Error() string {
	unit := " bytes"
	if e.Limit == "MaxHeaders" {
		unit = " fields"
	}
	s := "h1: response head over Limits." + e.Limit + " (" + strconv.Itoa(e.Value) + unit + ")"
	var pe *parser.ProtocolError
	if errors.As(e.Err, &pe) {
		s += " at offset " + strconv.FormatInt(pe.Offset, 10)
	}
	return s + "; raise Limits." + e.Limit + " to accept it"
}

// Unwrap returns the parser's error.
func (e *LimitError) Unwrap() error { return e.Err }

// explain turns the parser's limit errors into a *LimitError that names
// the limit; other errors pass as they are.
func (l *Limits) explain(err error) error {
	var pe *parser.ProtocolError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Kind {
	case parser.KindHeadTooLarge, parser.KindLineTooLong:
		return &LimitError{Limit: "MaxHeadSize", Value: l.maxHead(), Err: err}
	case parser.KindTooManyHeaders:
		return &LimitError{Limit: "MaxHeaders", Value: l.MaxHeaders, Err: err}
	}
	return err
}

// ProxyError reports a proxy that answered CONNECT with a status other
// than 2xx. It comes wrapped in an *Error of kind ErrCantConnect.
type ProxyError struct {
	Status int // the proxy's status code, such as 407
}

// Error returns "h1: proxy refused the tunnel: status <n>".
func (e *ProxyError) Error() string {
	return "h1: proxy refused the tunnel: status " + strconv.Itoa(e.Status)
}

// Values of Error.Op that code built on a Client matches or reuses (as
// package fetch does): the connection could not be opened, the response
// head did not arrive, the body did not.
const (
	OpConnect = "connect"
	OpHead    = "read response head"
	OpBody    = "read response body"
)

// The other op names, so that no message is built on the read path.
const (
	opResolve   = "resolve"
	opProxy     = "proxy tunnel"
	opHandshake = "tls handshake"
	opSend      = "send request"
)

func newError(kind error, op string, cause error) *Error {
	return &Error{Kind: kind, Op: op, Err: cause}
}
