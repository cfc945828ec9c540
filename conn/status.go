package conn

// Status is the state of a TCP peer, after Godot's StreamPeerTCP.Status.
//
//	None ──ConnectToHost──▶ Connecting ──Poll──▶ Connected
//	                            │                   │  FIN ─▶ None
//	                            └──Poll─▶ Error ◀───┘  reset, write error
//
// DisconnectFromHost (or Close) takes every status back to None. From None
// or Error, ConnectToHost may start again.
type Status uint8

const (
	// StatusNone: no connection. The zero value; also the status after
	// the remote side closed the connection cleanly (FIN).
	StatusNone Status = iota
	// StatusConnecting: resolving the host or waiting for a connect to
	// finish; Poll advances it.
	StatusConnecting
	// StatusConnected: bytes can flow.
	StatusConnected
	// StatusError: resolving, connecting or the connection failed.
	StatusError
)

var statusNames = [...]string{"none", "connecting", "connected", "error"}

// String returns the status as a lowercase word.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}
