// Package tlsx is a TLS 1.2 client session over any streampeer.StreamPeer,
// after Godot's StreamPeerTLS, built on uTLS.
//
// A Peer wraps a connected base peer (in practice the raw TCP peer of
// package conn, though tlsx depends on nothing but the StreamPeer
// interface) and is a StreamPeer itself: the put verbs encrypt, the get
// verbs decrypt, and AvailableBytes counts decrypted bytes.
//
// # What is offered
//
// Every session is TLS 1.2 and nothing else (MinVersion = MaxVersion),
// with ALPN "http/1.1" and the SNI set to the host (none for an IP
// address). A server that speaks only TLS 1.3, or only TLS 1.1 and older,
// fails with ErrProtocolVersion. Options.Hello chooses the ClientHello:
// HelloGo is Go's own; HelloChrome is a current Chrome's with its TLS 1.3
// parts removed, for servers that treat unusual clients differently.
//
// # Trust
//
// Options follows Godot's TLSOptions. Client(roots, commonNameOverride)
// verifies the chain against roots (the system's when nil) and the name
// against the host or the override; ClientUnsafe(roots) verifies the chain
// only, or nothing when roots is nil. Options.Pins adds SPKI SHA-256 pins
// ("sha256//BASE64", see ParsePin), checked after the chain on every
// handshake. Options.Sessions caches TLS 1.2 session tickets, kept apart
// per trust setup, so that a resumed session never skips a check that the
// current Options would make.
//
// # Driving a session
//
// Blocking: Connect, then Handshake(timeout), then GetData and PutData,
// which wait on the base peer's streampeer.Waiter. Called before any Poll,
// Handshake runs on the caller's goroutine and starts no other.
//
//	tcp := new(conn.TCP)
//	if err := tcp.ConnectToHost("example.com", 443); err != nil {
//		return err
//	}
//	if err := tcp.WaitConnected(10 * time.Second); err != nil {
//		return err
//	}
//	var p tlsx.Peer
//	if err := p.Connect(tcp, "example.com", tlsx.Client(nil, "")); err != nil {
//		return err
//	}
//	defer p.Close() // close_notify, then closes tcp
//	if err := p.Handshake(10 * time.Second); err != nil {
//		return err // p.Status() is StatusError or StatusErrorHostnameMismatch
//	}
//	if err := p.PutData([]byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")); err != nil {
//		return err
//	}
//	head := make([]byte, 12)
//	return p.GetData(head) // "HTTP/1.1 200"
//
// Polled, as Godot's clients do: call Poll until the status leaves
// StatusHandshaking, doing other work or waiting on the base peer in
// between. Poll never waits for the network.
//
//	for p.Status() == tlsx.StatusHandshaking {
//		if err := p.Poll(); err != nil {
//			return err
//		}
//		tcp.WaitReadable(50 * time.Millisecond) // or serve other peers
//	}
//
// The handshake of uTLS is a single blocking call, so a polled handshake
// runs in a coroutine (iter.Pull): the first Poll starts it, each Poll
// resumes it until it needs bytes that have not arrived, and it ends with
// the handshake. Only one of the caller and the coroutine runs at a time,
// so nothing is shared between goroutines, and all I/O still goes through
// the base peer's non-blocking verbs. Close, or a handshake timeout, stops
// a coroutine that is still parked and waits for it: no goroutine outlives
// the session. After the handshake, reads and writes run on the caller's
// goroutine and never start one.
//
// # Statuses and errors
//
// Status follows Godot: StatusDisconnected (the zero value),
// StatusHandshaking, StatusConnected, StatusError and
// StatusErrorHostnameMismatch; the error statuses are terminal. A failed
// session's error is an *Error whose Kind is one of the sentinels
// (ErrHostnameMismatch, ErrUnknownAuthority, ErrCertificateExpired,
// ErrCertificateInvalid, ErrPinMismatch, ErrProtocolVersion,
// ErrHandshakeTimeout, ErrHandshake, ErrBadRecord, ErrAlert, ErrTruncated,
// ErrTransport): branch with errors.Is, and reach the cause (an
// x509.HostnameError, say) with errors.As.
//
// The server's close_notify is a clean end: the get verbs return io.EOF
// after the last byte and the status becomes StatusDisconnected. A stream
// that ends without one (a TCP FIN) may have been cut short, and the get
// verbs return ErrTruncated instead.
package tlsx
