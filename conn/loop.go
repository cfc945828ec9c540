package conn

import (
	"encoding/binary"
	"sync"

	"golang.org/x/sys/unix"
)

// Events is a set of readiness conditions, both what a Handler asks for
// (its interest) and what the Loop reports.
type Events uint32

const (
	// Readable: bytes, the end of the stream or an error wait; a get verb
	// would return at once.
	Readable Events = 1 << iota
	// Writable: the send buffer has room, or a connect finished (call
	// Poll to learn how).
	Writable
	// Hangup: the remote side closed its half (FIN) or the connection is
	// gone. Only reported; always watched.
	Hangup
	// Failed: the socket has an error pending (EPOLLERR). Only reported;
	// always watched.
	Failed
	// EdgeTriggered, in an interest, reports Readable and Writable only
	// when they become true (EPOLLET): a handler must then read, or write,
	// until the verb returns 0 bytes, or it hears nothing more. Without it
	// the Loop is level-triggered: the events come back after every wait
	// for as long as they hold, so a handler that has nothing to write
	// must drop Writable with Modify.
	EdgeTriggered
)

// Handler receives the events of one peer. It runs on the Loop's goroutine;
// it may call the peer's verbs and the Loop's Add, Modify and Remove, but
// not Close.
type Handler func(p *TCP, ev Events)

// DefaultLoopEvents is how many events one epoll_wait call of a Loop
// gathers.
const DefaultLoopEvents = 256

// Loop drives many non-blocking TCP peers from one goroutine with epoll(7).
// Register peers with Add; Start runs the loop on a new goroutine, or Run
// runs it on the caller's; Close stops it, waits for it to return and
// releases it. The Loop allocates nothing per event.
//
// A registration belongs to one socket: DisconnectFromHost releases the
// socket and with it the registration, so a peer that connects again must
// be added again.
//
// A peer that has waited (GetData or PutData that could not finish at
// once, the Wait methods, WaitConnected) is registered with Go's runtime
// poller as well. Both watch it without trouble, each with its own epoll
// instance, but every event then wakes the runtime's poller too: peers of a
// Loop should stick to the partial verbs and Poll, and connect with Poll
// rather than WaitConnected. Call Remove before DisconnectFromHost from another
// goroutine than the Loop's, so that no event for the old socket is on its
// way to the handler.
type Loop struct {
	epfd    int
	wake    int
	events  []unix.EpollEvent
	buf     [8]byte
	mu      sync.Mutex
	entries []loopEntry // indexed by file descriptor
	gen     uint32
	running bool
	closed  bool
	done    chan struct{}
}

type loopEntry struct {
	p   *TCP
	h   Handler
	gen uint32
}

// wakeMark is the user data of the wake eventfd's registration; peers
// carry their descriptor, which is never negative.
const wakeMark = -1

// NewLoop returns a Loop ready for Add and Start (or Run).
func NewLoop() (*Loop, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, wrap(ErrUnconfigured, err)
	}
	wake, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, wrap(ErrUnconfigured, err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: wakeMark}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wake, &ev); err != nil {
		unix.Close(epfd)
		unix.Close(wake)
		return nil, wrap(ErrUnconfigured, err)
	}
	return &Loop{epfd: epfd, wake: wake, events: make([]unix.EpollEvent, DefaultLoopEvents)}, nil
}

// Add registers p, which must have a socket (connecting or connected),
// with the events of interest (Readable, Writable, EdgeTriggered); h
// receives them. A peer already registered has its registration replaced.
func (l *Loop) Add(p *TCP, interest Events, h Handler) error {
	if p == nil || h == nil {
		return ErrInvalidParameter
	}
	fd, ok := p.socket()
	if !ok {
		return ErrUnconfigured
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrUnconfigured
	}
	if fd >= len(l.entries) {
		l.entries = append(l.entries, make([]loopEntry, fd+1-len(l.entries))...)
	}
	l.gen++
	ev := unix.EpollEvent{Events: epollMask(interest), Fd: int32(fd), Pad: int32(l.gen)}
	err := unix.EpollCtl(l.epfd, unix.EPOLL_CTL_ADD, fd, &ev)
	if err == unix.EEXIST {
		err = unix.EpollCtl(l.epfd, unix.EPOLL_CTL_MOD, fd, &ev)
	}
	if err != nil {
		return wrap(ErrInvalidParameter, err)
	}
	l.entries[fd] = loopEntry{p: p, h: h, gen: l.gen}
	return nil
}

// Modify changes the events of interest of a registered peer.
func (l *Loop) Modify(p *TCP, interest Events) error {
	fd, ok := p.socket()
	if !ok {
		return ErrUnconfigured
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrUnconfigured
	}
	if fd >= len(l.entries) || l.entries[fd].p != p {
		return ErrInvalidParameter
	}
	ev := unix.EpollEvent{Events: epollMask(interest), Fd: int32(fd), Pad: int32(l.entries[fd].gen)}
	if err := unix.EpollCtl(l.epfd, unix.EPOLL_CTL_MOD, fd, &ev); err != nil {
		return wrap(ErrInvalidParameter, err)
	}
	return nil
}

// Remove ends the registration of p. Its handler is not called again,
// even for events already gathered.
func (l *Loop) Remove(p *TCP) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrUnconfigured
	}
	if fd, ok := p.socket(); ok && fd < len(l.entries) && l.entries[fd].p == p {
		l.entries[fd] = loopEntry{}
		_ = unix.EpollCtl(l.epfd, unix.EPOLL_CTL_DEL, fd, nil)
		return nil
	}
	for fd := range l.entries {
		if l.entries[fd].p == p {
			l.entries[fd] = loopEntry{} // its socket is gone, and with it the registration
			return nil
		}
	}
	return ErrInvalidParameter
}

// Start runs the loop on a new goroutine, which Close stops and joins.
func (l *Loop) Start() error {
	if err := l.begin(); err != nil {
		return err
	}
	go func() { _ = l.run() }()
	return nil
}

// Run runs the loop on the calling goroutine until Close, and returns nil
// then, or the error that stopped epoll_wait.
func (l *Loop) Run() error {
	if err := l.begin(); err != nil {
		return err
	}
	return l.run()
}

func (l *Loop) begin() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return ErrUnconfigured
	case l.running:
		return ErrAlreadyInUse
	}
	l.running = true
	l.done = make(chan struct{})
	return nil
}

func (l *Loop) run() error {
	defer func() {
		l.mu.Lock()
		l.running = false
		close(l.done)
		l.mu.Unlock()
	}()
	for {
		n, err := unix.EpollWait(l.epfd, l.events, -1)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return wrap(ErrConnection, err)
		}
		for i := 0; i < n; i++ {
			ev := &l.events[i]
			if ev.Fd == wakeMark {
				return nil // only Close writes to the eventfd
			}
			fd := int(ev.Fd)
			l.mu.Lock()
			if fd >= len(l.entries) || l.entries[fd].gen != uint32(ev.Pad) || l.entries[fd].h == nil {
				l.mu.Unlock()
				continue
			}
			e := l.entries[fd]
			l.mu.Unlock()
			e.h(e.p, loopEvents(ev.Events))
		}
	}
}

// Close stops the loop, waits for Run (or the goroutine of Start) to
// return, and releases the epoll and eventfd descriptors. The registered
// peers are left as they are. Close must not be called from a Handler.
func (l *Loop) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrUnconfigured
	}
	l.closed = true
	running, done := l.running, l.done
	binary.NativeEndian.PutUint64(l.buf[:], 1)
	_, _ = unix.Write(l.wake, l.buf[:])
	l.mu.Unlock()
	if running {
		<-done
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.entries)
	unix.Close(l.epfd)
	unix.Close(l.wake)
	return nil
}

func epollMask(interest Events) uint32 {
	m := uint32(unix.EPOLLRDHUP)
	if interest&Readable != 0 {
		m |= unix.EPOLLIN
	}
	if interest&Writable != 0 {
		m |= unix.EPOLLOUT
	}
	if interest&EdgeTriggered != 0 {
		m |= unix.EPOLLET
	}
	return m
}

func loopEvents(m uint32) Events {
	var ev Events
	if m&unix.EPOLLIN != 0 {
		ev |= Readable
	}
	if m&unix.EPOLLOUT != 0 {
		ev |= Writable
	}
	if m&(unix.EPOLLRDHUP|unix.EPOLLHUP) != 0 {
		ev |= Hangup
	}
	if m&unix.EPOLLERR != 0 {
		ev |= Failed
	}
	return ev
}

// socket returns the peer's descriptor, if it has one.
func (t *TCP) socket() (int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fd, t.open
}
