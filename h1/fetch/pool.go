package fetch

import (
	"sync"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/tlsx"
)

// Pool defaults, used where a field of Pool is zero.
const (
	// DefaultIdleTimeout is how long an idle connection waits in a Pool
	// before the pool closes it.
	DefaultIdleTimeout = 90 * time.Second
	// DefaultMaxIdlePerHost is how many idle connections a Pool keeps for
	// one key: 2, net/http's DefaultMaxIdleConnsPerHost.
	DefaultMaxIdlePerHost = 2
)

// DefaultPool is the Pool of Requests that name none.
var DefaultPool = &Pool{}

// Key is what makes two connections interchangeable: scheme, host, port,
// proxy and the TLS options (by identity: the same *tlsx.Options value
// shares connections, another one, even if equal, does not).
type Key struct {
	TLS     bool          // https
	Host    string        // the origin's host name or address, no brackets
	Port    int           // the origin's port
	Proxy   string        // "host:port" or "http://[user:pass@]host[:port]" (see h1.SplitProxy); "" for none
	Options *tlsx.Options // the TLS options; nil means tlsx.Client(nil, "") for https
}

// Connect sets k's proxy on c (SetHTTPSProxy for TLS, SetHTTPProxy
// otherwise) and starts connecting c to k's origin with ConnectToHost;
// Poll carries the connection on. A malformed Proxy is h1.ErrInvalidParameter.
func (k Key) Connect(c *h1.Client) error {
	if k.Proxy != "" {
		host, port, err := h1.SplitProxy(k.Proxy)
		if err == nil && k.TLS {
			err = c.SetHTTPSProxy(host, port)
		} else if err == nil {
			err = c.SetHTTPProxy(host, port)
		}
		if err != nil {
			return err
		}
	}
	scheme := "http://"
	if k.TLS {
		scheme = "https://"
	}
	return c.ConnectToHost(scheme+k.Host, k.Port, k.Options)
}

type idleClient struct {
	c     *h1.Client
	since time.Time
	// dialing: a connection still being opened, left by a request that
	// got another one meanwhile (see Adopt); Get finishes it by polling.
	dialing bool
}

// Waiter is a request that found no idle connection and is opening one
// (see Pool.Wait). A connection freed meanwhile is handed to the oldest
// Waiter of its key (as net/http's Transport does), and the Waiter's own
// connection, when it is up, goes to the idle list instead (Pool.Adopt).
type Waiter struct {
	pool   *Pool
	key    Key
	dialer *h1.Client // the connection being opened; Interrupt wakes its wait
	got    *h1.Client // handed over by Put; guarded by Pool.mu
}

// Pool keeps connected Clients between Requests, so that the next request
// to the same place reuses a kept-alive connection instead of opening a
// new one. Its reuse follows net/http's Transport: at most
// MaxIdlePerHost idle connections per key (more are closed as they come
// back), and a connection that comes back while another request of its
// key is still opening one goes to that request instead of the idle list.
// It is safe for concurrent use. Idle connections are closed
// after IdleTimeout by a timer (time.AfterFunc) that the pool arms only
// while it holds idle connections; CloseIdleConnections closes them all
// at once.
type Pool struct {
	// IdleTimeout: 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// MaxIdlePerHost: 0 means DefaultMaxIdlePerHost.
	MaxIdlePerHost int

	// OnWait, when set, is called each time a request starts waiting for
	// a connection (Wait), with the pool's lock held: it must not call the
	// pool. Tests use it to learn that a request is waiting.
	OnWait func()

	mu    sync.Mutex
	idle  map[Key][]idleClient
	wait  map[Key][]*Waiter // oldest first
	timer *time.Timer
}

func (p *Pool) maxIdle() int {
	if p.MaxIdlePerHost > 0 {
		return p.MaxIdlePerHost
	}
	return DefaultMaxIdlePerHost
}

func (p *Pool) idleTimeout() time.Duration {
	if p.IdleTimeout > 0 {
		return p.IdleTimeout
	}
	return DefaultIdleTimeout
}

// Get returns the most recently used idle client for key, or nil; the
// caller then owns the client until it gives it back with Put (or closes
// it). A connection left dialing (Adopt) is polled once and returned if
// it is up by then.
func (p *Pool) Get(key Key) *h1.Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[key]
	var found *h1.Client
	for i := len(list) - 1; i >= 0 && found == nil; i-- {
		ic := &list[i]
		if time.Since(ic.since) >= p.idleTimeout() {
			ic.c.Close()
			ic.c = nil
			continue
		}
		if ic.dialing {
			_ = ic.c.Poll()
			switch ic.c.Status() {
			case h1.StatusResolving, h1.StatusConnecting:
				continue // still opening: leave it
			}
		}
		if ic.c.Status() == h1.StatusConnected {
			found = ic.c
		} else {
			ic.c.Close()
		}
		ic.c = nil
	}
	kept := list[:0]
	for _, ic := range list {
		if ic.c != nil {
			kept = append(kept, ic)
		}
	}
	if len(kept) == 0 {
		delete(p.idle, key)
	} else {
		p.idle[key] = kept
	}
	return found
}

// TakeOpening returns a connection of key that a request left opening
// (Adopt) and that is not up yet, or nil; the caller owns it and finishes
// opening it (Poll), instead of opening one more connection beside it.
func (p *Pool) TakeOpening(key Key) *h1.Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[key]
	for i := len(list) - 1; i >= 0; i-- {
		if ic := list[i]; ic.dialing {
			p.idle[key] = append(list[:i], list[i+1:]...)
			if len(p.idle[key]) == 0 {
				delete(p.idle, key)
			}
			return ic.c
		}
	}
	return nil
}

// Wait registers a request of key that is opening dialer because Get
// found nothing: until the Waiter's Done, a connection of key that comes
// back through Put is handed to the oldest Waiter instead of the idle
// list, and Put interrupts the dialer's wait (h1.Client.Interrupt) so
// that the request sees it at once.
func (p *Pool) Wait(key Key, dialer *h1.Client) *Waiter {
	w := &Waiter{pool: p, key: key, dialer: dialer}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wait == nil {
		p.wait = map[Key][]*Waiter{}
	}
	p.wait[key] = append(p.wait[key], w)
	if p.OnWait != nil {
		p.OnWait()
	}
	return w
}

// Handed returns the connection Put handed to w, if any, without ending
// the wait. It may be called from any goroutine.
func (w *Waiter) Handed() *h1.Client {
	w.pool.mu.Lock()
	defer w.pool.mu.Unlock()
	return w.got
}

// Done ends w's wait and returns the connection handed to it, if any;
// the caller then owns that connection. Call it once, whatever happened.
func (w *Waiter) Done() *h1.Client {
	p, key := w.pool, w.key
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.wait[key]
	for i, x := range list {
		if x == w {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(p.wait, key)
	} else {
		p.wait[key] = list
	}
	got := w.got
	w.got = nil
	return got
}

// Put gives back a client whose response is over and that can carry
// another request (h1.Client.Reusable): it is handed to the oldest
// Waiter of key, else kept idle, or closed when the key has
// MaxIdlePerHost idle already. The caller must not use c afterwards.
func (p *Pool) Put(key Key, c *h1.Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.wait[key] {
		if w.got == nil {
			w.got = c
			w.dialer.Interrupt()
			return
		}
	}
	p.keep(key, c, false)
}

// Adopt keeps a connection still being opened (Resolving or Connecting),
// left by a request that got another one, so that a later Get can use it
// once it is up. The caller must not use c afterwards.
func (p *Pool) Adopt(key Key, c *h1.Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keep(key, c, true)
}

// keep adds c to the idle list of key, or closes it when the list is
// full. mu is held.
func (p *Pool) keep(key Key, c *h1.Client, dialing bool) {
	if p.idle == nil {
		p.idle = map[Key][]idleClient{}
	}
	if len(p.idle[key]) >= p.maxIdle() {
		c.Close()
		return
	}
	c.SetBlockingMode(false)
	p.idle[key] = append(p.idle[key], idleClient{c: c, since: time.Now(), dialing: dialing})
	if p.timer == nil {
		p.timer = time.AfterFunc(p.idleTimeout(), p.expire)
	}
}

// expire closes the connections that have been idle too long and re-arms
// the timer while any remain.
func (p *Pool) expire() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timer = nil
	now := time.Now()
	next := time.Duration(-1)
	for k, list := range p.idle {
		kept := list[:0]
		for _, ic := range list {
			if age := now.Sub(ic.since); age >= p.idleTimeout() {
				ic.c.Close()
			} else {
				kept = append(kept, ic)
				if left := p.idleTimeout() - age; next < 0 || left < next {
					next = left
				}
			}
		}
		if len(kept) == 0 {
			delete(p.idle, k)
		} else {
			p.idle[k] = kept
		}
	}
	if next >= 0 {
		p.timer = time.AfterFunc(next, p.expire)
	}
}

// Idle returns how many idle connections the pool holds.
func (p *Pool) Idle() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, list := range p.idle {
		n += len(list)
	}
	return n
}

// CloseIdleConnections closes every idle connection and stops the timer.
func (p *Pool) CloseIdleConnections() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, list := range p.idle {
		for _, ic := range list {
			ic.c.Close()
		}
	}
	p.idle = nil
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
}
