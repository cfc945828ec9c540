package h1

import (
	"sync"
	"time"

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

// poolKey is what makes two connections interchangeable: scheme, host,
// port, proxy and the TLS options (by identity: the same *tlsx.Options
// value shares connections, another one, even if equal, does not).
type poolKey struct {
	tls   bool
	host  string
	port  int
	proxy string
	opts  *tlsx.Options
}

type idleClient struct {
	c     *Client
	since time.Time
	// dialing: a connection still being opened, left by a request that
	// got another one meanwhile (see waiter); get finishes it by polling.
	dialing bool
}

// waiter is a request that found no idle connection and is opening one.
// A connection freed meanwhile is handed to the oldest waiter of its key
// (as net/http's Transport does), and the waiter's own connection, when
// it is up, goes to the idle list instead.
type waiter struct {
	dialer *Client // the connection being opened; Interrupt wakes its wait
	got    *Client // handed over by put; guarded by Pool.mu
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

	mu    sync.Mutex
	idle  map[poolKey][]idleClient
	wait  map[poolKey][]*waiter // oldest first
	timer *time.Timer

	awaited func() // tests: called once a request waits for a connection
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

// get returns the most recently used idle client for key, or nil. A
// connection left dialing is polled once and returned if it is up by
// then.
func (p *Pool) get(key poolKey) *Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[key]
	var found *Client
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
			case StatusResolving, StatusConnecting:
				continue // still opening: leave it
			}
		}
		if ic.c.Status() == StatusConnected {
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

// await registers a request of key that is opening dialer because get
// found nothing.
func (p *Pool) await(key poolKey, dialer *Client) *waiter {
	w := &waiter{dialer: dialer}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wait == nil {
		p.wait = map[poolKey][]*waiter{}
	}
	p.wait[key] = append(p.wait[key], w)
	if p.awaited != nil {
		p.awaited()
	}
	return w
}

// handed returns the connection put handed to w, if any, without ending
// the wait.
func (p *Pool) handed(w *waiter) *Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	return w.got
}

// done ends w's wait and returns the connection handed to it, if any.
func (p *Pool) done(key poolKey, w *waiter) *Client {
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

// put hands a connected client to the oldest request of key that is
// opening a connection, else keeps it idle, or closes it when the key has
// MaxIdlePerHost idle already.
func (p *Pool) put(key poolKey, c *Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.wait[key] {
		if w.got == nil {
			w.got = c
			w.dialer.tcp.Interrupt()
			return
		}
	}
	p.keep(key, c, false)
}

// adopt keeps a connection still being opened, left by a request that
// got another one, so that a later request can use it once it is up.
func (p *Pool) adopt(key poolKey, c *Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keep(key, c, true)
}

// keep adds c to the idle list of key, or closes it when the list is
// full. mu is held.
func (p *Pool) keep(key poolKey, c *Client, dialing bool) {
	if p.idle == nil {
		p.idle = map[poolKey][]idleClient{}
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
