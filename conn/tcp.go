package conn

import (
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// DefaultConnectTimeout bounds each connect attempt unless
// SetConnectTimeout says otherwise.
const DefaultConnectTimeout = 30 * time.Second

// TCP is a TCP stream peer over a raw non-blocking socket, after Godot's
// StreamPeerTCP. It implements streampeer.StreamPeer, Poller, Waiter and
// Interrupter, and io.Closer.
//
// ConnectToHost starts a connection and Poll advances it: the host is
// resolved (off the caller's goroutine, unless it is an address literal),
// then every address is tried in order, each for at most the connect
// timeout. WaitConnected does the same while waiting on the socket.
//
// Reads and writes: the partial verbs never wait; GetPartialData returns
// 0, nil when no byte is ready (EAGAIN) and PutPartialData returns 0, nil
// when the send buffer is full. Each is one system call on the socket. A
// FIN from the remote side is a clean end: the status becomes StatusNone
// and the get verbs return io.EOF once the bytes before it were read; the
// put verbs then return ErrUnconfigured. A reset or another socket error
// moves the peer to StatusError and every verb returns that error, which
// wraps ErrConnection and the errno. The socket is released by
// DisconnectFromHost or Close, not by a FIN or an error.
//
// Waiting: the first time a verb has to wait (GetData, PutData, the Wait
// methods), the socket is handed to Go's runtime network poller through an
// os.File, which from then on owns the descriptor and closes it on
// DisconnectFromHost. A waiting goroutine is parked by the runtime, as one
// blocked on a net.TCPConn is, and uses no thread and no CPU; timed waits
// are deadlines of that file. A peer that never waits (one driven by a
// Loop, say) is never registered with the runtime poller.
//
// The zero value is a peer in StatusNone, ready for ConnectToHost. One
// goroutine may read while another writes, and DisconnectFromHost, Close
// and Interrupt may be called from any goroutine: they wake the waits in
// progress, which then return ErrUnconfigured. The remaining methods
// (ConnectToHost, Poll, the setters) belong to one goroutine at a time.
// Two goroutines reading at once (or writing at once) get no data race, but
// their waits take turns.
type TCP struct {
	mu     sync.Mutex
	status Status
	err    error // why the peer is in StatusError
	eof    bool  // the remote side sent FIN

	// The socket. fd, open and gen change with both mu and sock held; the
	// partial verbs read them under sock.RLock alone, so a reader and a
	// writer never wait for each other, and a closer waits only for the
	// system calls in flight. live mirrors status == StatusConnected.
	sock sync.RWMutex
	fd   int
	open bool   // fd holds a socket
	gen  uint64 // counts sockets: a verb tells its socket was replaced
	live atomic.Bool

	// file wraps fd once a verb had to wait, registering it with the
	// runtime poller; from then on it owns fd. rc is its raw connection.
	file atomic.Pointer[os.File]
	rc   syscall.RawConn

	// Settings, kept across connections.
	noDelayOff     bool
	keepAlive      time.Duration
	connectTimeout time.Duration
	bindAddr       netip.Addr
	bindPort       int
	bound          bool
	resolver       *net.Resolver

	// Connecting.
	job        *resolveJob
	addrs      []netip.Addr
	next       int
	port       int
	attemptEnd time.Time
	lastErr    error
	peer       netip.AddrPort

	// Waits, per direction (dirRead, dirWrite): how many are in progress,
	// the deadline set on file and whether it is not zero (read without mu
	// by the whole verbs), and the callbacks of the runtime poller. intr
	// counts Interrupt calls that cut waits short; pending is an Interrupt
	// that found no wait.
	waits    [2]int
	deadline [2]time.Time
	timed    [2]atomic.Bool
	checks   [2]readyCheck
	intr     uint64
	pending  bool
	scratch  [1]byte
}

// NewTCPFromFD returns a peer in StatusConnected over fd, a connected
// stream socket (from accept(2) or another library). The peer takes
// ownership of fd: it switches it to non-blocking, close-on-exec mode,
// applies TCP_NODELAY and closes it on DisconnectFromHost.
func NewTCPFromFD(fd int) (*TCP, error) {
	if fd < 0 {
		return nil, ErrInvalidParameter
	}
	typ, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		return nil, wrap(ErrInvalidParameter, err)
	}
	if typ != unix.SOCK_STREAM {
		return nil, ErrInvalidParameter
	}
	sa, err := unix.Getpeername(fd)
	if err != nil {
		return nil, wrap(ErrUnconfigured, err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, wrap(ErrInvalidParameter, err)
	}
	unix.CloseOnExec(fd)
	t := &TCP{peer: addrPort(sa)}
	t.applyOptions(fd)
	t.adoptLocked(fd)
	t.setStatusLocked(StatusConnected)
	return t, nil
}

// Status reports the state of the peer.
func (t *TCP) Status() Status {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.status
}

// SetNoDelay turns TCP_NODELAY on or off, now and for later connections.
// It is on by default, as in Go's net package (Godot's default is off):
// small writes leave at once instead of waiting for Nagle's algorithm.
func (t *TCP) SetNoDelay(enabled bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.noDelayOff = !enabled
	if t.open {
		if err := unix.SetsockoptInt(t.fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, boolInt(enabled)); err != nil {
			return wrap(ErrConnection, err)
		}
	}
	return nil
}

// SetKeepAlive turns TCP keep-alive on with idle as both the idle time
// before the first probe and the interval between probes (rounded to whole
// seconds, at least one), or off when idle is 0. It applies now and to later
// connections. Keep-alive is off by default.
func (t *TCP) SetKeepAlive(idle time.Duration) error {
	if idle < 0 {
		return ErrInvalidParameter
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keepAlive = idle
	if t.open {
		if err := setKeepAlive(t.fd, idle); err != nil {
			return wrap(ErrConnection, err)
		}
	}
	return nil
}

// SetConnectTimeout sets how long each connect attempt (one address) may
// take before the next address is tried; d must be positive. The default is
// DefaultConnectTimeout.
func (t *TCP) SetConnectTimeout(d time.Duration) error {
	if d <= 0 {
		return ErrInvalidParameter
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.connectTimeout = d
	return nil
}

// SetResolver sets the resolver ConnectToHost uses for host names; nil
// means net.DefaultResolver.
func (t *TCP) SetResolver(r *net.Resolver) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.resolver = r
}

// Bind makes later connections leave from the local port (0 lets the
// system pick) and the local address host, an IP literal, or "*" (or "")
// for any address. Like Godot's StreamPeerTCP.bind it must come before
// ConnectToHost; a peer that is connecting or connected returns
// ErrAlreadyInUse. An address of one family restricts the connection to
// hosts of that family.
func (t *TCP) Bind(port int, host string) error {
	if port < 0 || port > 65535 {
		return ErrInvalidParameter
	}
	var a netip.Addr
	if host != "" && host != "*" {
		var err error
		if a, err = netip.ParseAddr(host); err != nil {
			return wrap(ErrInvalidParameter, err)
		}
		a = a.Unmap()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status == StatusConnecting || t.status == StatusConnected {
		return ErrAlreadyInUse
	}
	t.bindAddr, t.bindPort, t.bound = a, port, true
	return nil
}

// ConnectToHost starts connecting to port (1–65535) of host, a name or an
// IP address literal (an IPv6 one with or without brackets). It returns
// at once, with the peer in StatusConnecting; Poll or WaitConnected carries
// the connection on. A literal is tried at once: when the system refuses
// it straight away the peer is in StatusError and the error (wrapping
// ErrCantConnect) is returned here.
//
// A peer that is connecting or connected returns ErrAlreadyInUse; a peer in
// StatusError or StatusNone starts over, releasing its old socket.
func (t *TCP) ConnectToHost(host string, port int) error {
	if port < 1 || port > 65535 {
		return ErrInvalidParameter
	}
	if len(host) > 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	ip, ipErr := netip.ParseAddr(host)
	if ipErr != nil && !validHost(host) {
		return ErrInvalidParameter
	}
	if ipErr == nil && ip.Zone() != "" {
		if _, err := zoneIndex(ip.Zone()); err != nil {
			return err
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status == StatusConnecting || t.status == StatusConnected {
		return ErrAlreadyInUse
	}
	t.resetLocked()
	t.setStatusLocked(StatusConnecting)
	t.port = port
	if ipErr == nil {
		t.addrs = append(t.addrs[:0], ip.Unmap())
		return t.attemptLocked()
	}
	t.job = startResolve(t.resolver, host)
	return nil
}

// Poll advances the peer without waiting: it takes the result of the
// lookup, checks the connect in progress and moves to the next address
// when one failed or timed out. On a connected peer it notices, as
// Godot's does, a FIN (the status becomes StatusNone once no unread byte
// is left) or a reset. It returns the error of a peer in StatusError and
// nil otherwise.
func (t *TCP) Poll() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch t.status {
	case StatusConnecting:
		return t.pollConnectingLocked()
	case StatusConnected:
		return t.pollConnectedLocked()
	case StatusError:
		return t.err
	}
	return nil
}

// WaitConnected polls the peer until it is connected, waiting on the
// lookup and on the socket in between, for at most timeout (negative: no
// limit beyond the per-attempt connect timeout). It returns nil once
// connected, the error of a failed connection, ErrUnconfigured for a peer
// that is not connecting, and streampeer.ErrTimeout when the time ran out
// while the peer was still connecting.
func (t *TCP) WaitConnected(timeout time.Duration) error {
	var end time.Time
	if timeout >= 0 {
		end = time.Now().Add(timeout)
	}
	for {
		if err := t.Poll(); err != nil {
			return err
		}
		t.mu.Lock()
		st, attemptEnd := t.status, t.attemptEnd
		t.mu.Unlock()
		switch st {
		case StatusConnected:
			return nil
		case StatusNone:
			return ErrUnconfigured
		}
		d := time.Duration(-1)
		if timeout >= 0 {
			d = time.Until(end)
			if d <= 0 {
				return errTimeout
			}
		}
		if !attemptEnd.IsZero() {
			if a := time.Until(attemptEnd); d < 0 || a < d {
				d = max(a, 0)
			}
		}
		if err := t.wait(dirWrite, d); err != nil && err != errTimeout {
			return err
		}
	}
}

// DisconnectFromHost ends the connection or the connect in progress,
// cancels and joins a lookup, wakes the waits in progress and releases the
// sockets. The peer is back in StatusNone with its settings kept, and may
// connect again.
func (t *TCP) DisconnectFromHost() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.resetLocked()
	t.pending = false
}

// Close is DisconnectFromHost, for io.Closer. It always returns nil.
func (t *TCP) Close() error {
	t.DisconnectFromHost()
	return nil
}

// ConnectedHost reports the address the peer is connected (or connecting)
// to, or "" without a socket.
func (t *TCP) ConnectedHost() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.open || !t.peer.IsValid() {
		return ""
	}
	return t.peer.Addr().String()
}

// ConnectedPort reports the remote port, or 0 without a socket.
func (t *TCP) ConnectedPort() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.open {
		return 0
	}
	return int(t.peer.Port())
}

// LocalPort reports the local port of the socket, or 0 without one.
func (t *TCP) LocalPort() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.open {
		return 0
	}
	sa, err := unix.Getsockname(t.fd)
	if err != nil {
		return 0
	}
	return int(addrPort(sa).Port())
}

// AvailableBytes reports how many received bytes wait in the socket
// (FIONREAD), 0 without a socket.
func (t *TCP) AvailableBytes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.open || t.eof {
		return 0
	}
	n, err := unix.IoctlGetInt(t.fd, unix.SIOCINQ)
	if err != nil {
		return 0
	}
	return n
}

// unusableLocked is the error of a verb on a peer that is not connected.
func (t *TCP) unusableLocked() error {
	if t.status == StatusError {
		return t.err
	}
	return ErrUnconfigured
}

// failLocked moves a connected peer to StatusError for err.
func (t *TCP) failLocked(err error) error {
	t.setStatusLocked(StatusError)
	t.err = wrap(ErrConnection, err)
	return t.err
}

// resetLocked stops a lookup, releases the socket and forgets the
// connection.
func (t *TCP) resetLocked() {
	if t.job != nil {
		t.job.stop()
		t.job = nil
	}
	t.closeFDLocked()
	t.setStatusLocked(StatusNone)
	t.err, t.eof = nil, false
	t.addrs, t.next, t.lastErr = t.addrs[:0], 0, nil
	t.peer, t.attemptEnd = netip.AddrPort{}, time.Time{}
}

// setStatusLocked moves the peer to st.
func (t *TCP) setStatusLocked(st Status) {
	t.status = st
	t.live.Store(st == StatusConnected)
}

// adoptLocked makes fd, a new socket, the peer's.
func (t *TCP) adoptLocked(fd int) {
	t.sock.Lock()
	t.fd, t.open = fd, true
	t.gen++
	t.sock.Unlock()
}

// closeFDLocked releases the socket. Once no partial verb uses the number
// any more, the descriptor is closed: through its os.File when it has one,
// which first wakes the waits parked on it and lets them leave, so that
// nothing waits on a number the system may reuse.
func (t *TCP) closeFDLocked() {
	if !t.open {
		return
	}
	t.live.Store(false)
	t.sock.Lock()
	fd := t.fd
	t.open = false
	t.gen++
	f := t.file.Swap(nil)
	t.sock.Unlock()
	t.rc = nil
	for dir := range t.deadline {
		t.deadline[dir] = time.Time{}
		t.timed[dir].Store(false)
	}
	if f != nil {
		_ = f.Close()
	} else {
		unix.Close(fd)
	}
}

// attemptLocked tries the addresses from t.next on until one connects or
// is connecting; when none is left the peer fails with ErrCantConnect.
func (t *TCP) attemptLocked() error {
	for t.next < len(t.addrs) {
		a := t.addrs[t.next]
		t.next++
		fd, err := t.dial(a)
		if err == nil || err == unix.EINPROGRESS {
			t.adoptLocked(fd)
			t.peer = netip.AddrPortFrom(a, uint16(t.port))
			if err == nil {
				t.setStatusLocked(StatusConnected)
				t.attemptEnd = time.Time{}
				return nil
			}
			d := t.connectTimeout
			if d == 0 {
				d = DefaultConnectTimeout
			}
			t.attemptEnd = time.Now().Add(d)
			return nil
		}
		t.lastErr = err
	}
	t.setStatusLocked(StatusError)
	t.attemptEnd = time.Time{}
	t.err = wrap(ErrCantConnect, t.lastErr)
	return t.err
}

// dial opens a non-blocking socket for a and starts connecting it; it
// returns the socket with a nil error or EINPROGRESS, and closes it
// otherwise.
func (t *TCP) dial(a netip.Addr) (int, error) {
	family := unix.AF_INET
	if a.Is6() {
		family = unix.AF_INET6
	}
	if t.bound && t.bindAddr.IsValid() && t.bindAddr.Is6() != a.Is6() {
		return -1, unix.EAFNOSUPPORT
	}
	sa, err := sockaddr(a, t.port)
	if err != nil {
		return -1, err
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		return -1, err
	}
	t.applyOptions(fd)
	if t.bound {
		if err := t.bindSocket(fd, family); err != nil {
			unix.Close(fd)
			return -1, err
		}
	}
	switch err = unix.Connect(fd, sa); err {
	case nil, unix.EINPROGRESS:
		return fd, err
	case unix.EINTR:
		// The connect goes on in the background, as for EINPROGRESS.
		return fd, unix.EINPROGRESS
	}
	unix.Close(fd)
	return -1, err
}

func (t *TCP) bindSocket(fd, family int) error {
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return err
	}
	a := t.bindAddr
	if !a.IsValid() {
		a = netip.IPv4Unspecified()
		if family == unix.AF_INET6 {
			a = netip.IPv6Unspecified()
		}
	}
	sa, err := sockaddr(a, t.bindPort)
	if err != nil {
		return err
	}
	return unix.Bind(fd, sa)
}

// applyOptions sets the options the peer keeps across connections. They
// are hints: a failure does not stop the connection.
func (t *TCP) applyOptions(fd int) {
	if !t.noDelayOff {
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
	if t.keepAlive > 0 {
		_ = setKeepAlive(fd, t.keepAlive)
	}
}

func setKeepAlive(fd int, idle time.Duration) error {
	if idle == 0 {
		return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, 0)
	}
	secs := int((idle + time.Second - 1) / time.Second)
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPIDLE, secs); err != nil {
		return err
	}
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPINTVL, secs); err != nil {
		return err
	}
	return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, 1)
}

func (t *TCP) pollConnectingLocked() error {
	if t.job != nil {
		if !t.job.finished() {
			return nil
		}
		j := t.job
		t.job = nil
		if j.err != nil || len(j.addrs) == 0 {
			t.setStatusLocked(StatusError)
			t.err = wrap(ErrCantResolve, j.err)
			return t.err
		}
		t.addrs = t.addrs[:0]
		for _, a := range j.addrs {
			t.addrs = append(t.addrs, a.Unmap())
		}
		t.next = 0
		if err := t.attemptLocked(); err != nil {
			return err
		}
		if t.status == StatusConnected {
			return nil
		}
	}
	ready, err := pollNow(t.fd, unix.POLLOUT)
	if err != nil {
		t.closeFDLocked()
		t.lastErr = err
		return t.attemptLocked()
	}
	if !ready {
		if time.Now().Before(t.attemptEnd) {
			return nil
		}
		t.closeFDLocked()
		t.lastErr = unix.ETIMEDOUT
		return t.attemptLocked()
	}
	soErr, err := unix.GetsockoptInt(t.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err == nil && soErr != 0 {
		err = unix.Errno(soErr)
	}
	if err != nil {
		t.closeFDLocked()
		t.lastErr = err
		return t.attemptLocked()
	}
	t.setStatusLocked(StatusConnected)
	t.attemptEnd = time.Time{}
	return nil
}

func (t *TCP) pollConnectedLocked() error {
	ready, err := pollNow(t.fd, unix.POLLIN)
	if err != nil || !ready {
		return nil
	}
	n, _, err := unix.Recvfrom(t.fd, t.scratch[:1], unix.MSG_PEEK|unix.MSG_DONTWAIT)
	switch {
	case err == nil && n == 0:
		t.eof = true
		t.setStatusLocked(StatusNone)
	case err != nil && err != unix.EAGAIN && err != unix.EINTR:
		return t.failLocked(err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
