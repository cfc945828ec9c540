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
	// one key.
	DefaultMaxIdlePerHost = 4
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
}

// Pool keeps connected Clients between Requests, so that the next request
// to the same place reuses a kept-alive connection instead of opening a
// new one. It is safe for concurrent use. Idle connections are closed
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
	timer *time.Timer
}

func (p *Pool) idleTimeout() time.Duration {
	if p.IdleTimeout > 0 {
		return p.IdleTimeout
	}
	return DefaultIdleTimeout
}

// get returns the most recently used idle client for key, or nil.
func (p *Pool) get(key poolKey) *Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[key]
	for len(list) > 0 {
		ic := list[len(list)-1]
		list = list[:len(list)-1]
		p.idle[key] = list
		if time.Since(ic.since) < p.idleTimeout() && ic.c.Status() == StatusConnected {
			return ic.c
		}
		ic.c.Close()
	}
	delete(p.idle, key)
	return nil
}

// put keeps a connected client for key, or closes it when the key has
// enough.
func (p *Pool) put(key poolKey, c *Client) {
	max := p.MaxIdlePerHost
	if max <= 0 {
		max = DefaultMaxIdlePerHost
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.idle == nil {
		p.idle = map[poolKey][]idleClient{}
	}
	if len(p.idle[key]) >= max {
		c.Close()
		return
	}
	c.SetBlockingMode(false)
	p.idle[key] = append(p.idle[key], idleClient{c: c, since: time.Now()})
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
