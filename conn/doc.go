// Package conn is the TCP stream peer of the engine, over raw non-blocking
// sockets (golang.org/x/sys/unix), after Godot's StreamPeerTCP, and an
// epoll loop that drives many of them from one goroutine.
//
// # Connecting
//
// ConnectToHost starts a connection and returns at once; Poll advances it
// (or WaitConnected, which waits on the socket in between). A host name is
// resolved with Go's net.Resolver on a goroutine that DisconnectFromHost
// cancels and joins; an IP literal needs no lookup. Every address is tried
// in order, IPv4 and IPv6 alike, each for at most the connect timeout
// (DefaultConnectTimeout unless SetConnectTimeout says otherwise). The
// Status goes None → Connecting → Connected, or → Error with an error that
// wraps ErrCantResolve or ErrCantConnect and the system's reason.
//
// # Reading and writing
//
// A TCP peer is a streampeer.StreamPeer. The partial verbs never wait:
// nothing to read (EAGAIN) is 0, nil, and each is one system call on the
// raw socket. The whole verbs, GetData and PutData, and the Wait methods
// wait in Go's runtime network poller (epoll underneath), as net.TCPConn
// does: the first time a peer waits, its socket is wrapped in an os.File,
// which registers it with the poller and owns it from then on; a waiting
// goroutine is parked, holding no thread and using no CPU, and timed waits
// are deadlines of that file. A FIN from the other side is a clean end: the peer goes to StatusNone and the get
// verbs return io.EOF once the bytes before it are read. A reset is an
// error: StatusError, and an error wrapping ErrConnection and ECONNRESET.
// streampeer.NewConn turns a peer into a net.Conn with deadlines.
//
// # Many connections
//
// A Loop watches registered peers with epoll and calls their Handler on
// its one goroutine, level-triggered by default or edge-triggered on
// request. The goroutine runs from Start (or inside Run) until Close, which
// joins it. Nothing is allocated per event. A peer driven only by a Loop
// (the partial verbs and Poll) never waits, so it is not registered with
// the runtime poller and each event wakes one thread only.
//
// # Errors
//
// Callers branch on the sentinels with errors.Is: ErrCantResolve,
// ErrCantConnect, ErrConnection for failures of the network, and
// ErrInvalidParameter, ErrAlreadyInUse, ErrUnconfigured for calls the peer
// cannot take (bad host or port, a peer already connecting, a peer without
// a connection or already closed). Nothing panics on bad input.
package conn
