package tlsx

import "strconv"

// Status is where a Peer's session stands, after Godot's
// StreamPeerTLS.Status. The zero value is StatusDisconnected. The error
// statuses are terminal: only Close and a new Connect leave them.
//
//	Disconnected --Connect--> Handshaking --handshake done--> Connected
//	Handshaking --certificate not valid for the name--> ErrorHostnameMismatch
//	Handshaking --any other failure--> Error
//	Connected --close_notify from the server, or Close--> Disconnected
//	Connected --bad record, alert, truncation, base failure--> Error
type Status uint8

const (
	// StatusDisconnected: no session; the initial state, and the state
	// after Close or after the server's close_notify.
	StatusDisconnected Status = iota
	// StatusHandshaking: Connect was called and the handshake runs.
	StatusHandshaking
	// StatusConnected: the handshake succeeded; the verbs carry data.
	StatusConnected
	// StatusError: the handshake or the session failed; Err says why.
	StatusError
	// StatusErrorHostnameMismatch: the server's certificate is not valid
	// for the host name (Err wraps ErrHostnameMismatch).
	StatusErrorHostnameMismatch
)

var statusNames = [...]string{
	StatusDisconnected:          "disconnected",
	StatusHandshaking:           "handshaking",
	StatusConnected:             "connected",
	StatusError:                 "error",
	StatusErrorHostnameMismatch: "error-hostname-mismatch",
}

// String returns the status's name.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// failed reports whether s is an error status.
func (s Status) failed() bool {
	return s == StatusError || s == StatusErrorHostnameMismatch
}
