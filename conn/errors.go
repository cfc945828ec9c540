package conn

import (
	"errors"
	"fmt"
)

// The sentinels callers branch on, after Godot's error codes. Errors that
// come from the system wrap both a sentinel and the syscall.Errno, so
// errors.Is(err, ErrConnection) and errors.Is(err, unix.ECONNRESET) both
// hold for a reset.
var (
	// ErrCantResolve: the host name did not resolve to any address
	// (Godot's ERR_CANT_RESOLVE).
	ErrCantResolve = errors.New("h1: cannot resolve host")
	// ErrCantConnect: no address of the host accepted the connection in
	// time (Godot's ERR_CANT_CONNECT).
	ErrCantConnect = errors.New("h1: cannot connect to host")
	// ErrConnection: an established connection failed, for example by a
	// reset (Godot's ERR_CONNECTION_ERROR).
	ErrConnection = errors.New("h1: connection error")
	// ErrAlreadyInUse: the peer is already connecting or connected
	// (Godot's ERR_ALREADY_IN_USE).
	ErrAlreadyInUse = errors.New("h1: peer already in use")
	// ErrInvalidParameter: an argument is out of range or malformed
	// (Godot's ERR_INVALID_PARAMETER).
	ErrInvalidParameter = errors.New("h1: invalid parameter")
	// ErrUnconfigured: the call needs a connection (or a socket) that the
	// peer does not have: it is not connected, or it was closed (Godot's
	// ERR_UNCONFIGURED).
	ErrUnconfigured = errors.New("h1: peer not connected")
)

// wrap joins a sentinel and the system error that caused it.
func wrap(sentinel, cause error) error {
	if cause == nil {
		return sentinel
	}
	return fmt.Errorf("%w: %w", sentinel, cause)
}
