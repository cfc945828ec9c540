package fetch

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

// connected returns a client connected to 127.0.0.1:port through k.
func connected(t *testing.T, k Key) *h1.Client {
	t.Helper()
	c := &h1.Client{}
	c.SetBlockingMode(true)
	if err := k.Connect(c); err != nil {
		t.Fatal(err)
	}
	for c.Status() == h1.StatusResolving || c.Status() == h1.StatusConnecting {
		if err := c.Poll(); err != nil {
			t.Fatal(err)
		}
	}
	if c.Status() != h1.StatusConnected {
		t.Fatalf("status %v, %v; want connected", c.Status(), c.Err())
	}
	return c
}

// TestPoolAPI: Get, Put, Wait, Handed, Done and Adopt, the API the
// Transport of package nethttp builds its reuse on.
func TestPoolAPI(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	waits := 0
	p := &Pool{MaxIdlePerHost: 1, OnWait: func() { waits++ }}
	defer p.CloseIdleConnections()
	k := Key{Host: "127.0.0.1", Port: srv.Port()}
	if c := p.Get(k); c != nil {
		t.Fatalf("Get on an empty pool = %v; want nil", c)
	}

	a := connected(t, k)
	p.Put(k, a)
	if p.Idle() != 1 {
		t.Fatalf("Idle = %d after Put; want 1", p.Idle())
	}
	if other := (Key{Host: "127.0.0.1", Port: srv.Port(), Options: tlsx.Client(nil, "")}); p.Get(other) != nil {
		t.Fatal("Get with other TLS options found the plain connection")
	}
	if got := p.Get(k); got != a {
		t.Fatalf("Get = %p; want the client put, %p", got, a)
	}
	if p.Get(k) != nil || p.Idle() != 0 {
		t.Fatalf("the client was handed out twice; Idle = %d", p.Idle())
	}

	// A request waits while it opens a connection: a client put meanwhile
	// is handed to it, not kept idle.
	dialer := &h1.Client{}
	w := p.Wait(k, dialer)
	if waits != 1 {
		t.Fatalf("OnWait called %d times; want 1", waits)
	}
	if w.Handed() != nil {
		t.Fatal("Handed before any Put is not nil")
	}
	p.Put(k, a)
	if got := w.Handed(); got != a || p.Idle() != 0 {
		t.Fatalf("Handed = %p, Idle %d; want %p, 0", got, p.Idle(), a)
	}
	if got := w.Done(); got != a {
		t.Fatalf("Done = %p; want %p", got, a)
	}
	// The dialer's connection, still opening, goes to the pool; a later
	// Get finishes it.
	if err := k.Connect(dialer); err != nil {
		t.Fatal(err)
	}
	p.Adopt(k, dialer)
	// TakeOpening hands it out as it is, for the caller to finish; back
	// in the pool, Get finishes it.
	if s := dialer.Status(); s == h1.StatusResolving || s == h1.StatusConnecting {
		if got := p.TakeOpening(k); got != dialer || p.Idle() != 0 {
			t.Fatalf("TakeOpening = %p, Idle %d; want the adopted %p and none left", got, p.Idle(), dialer)
		}
		p.Adopt(k, dialer)
	}
	if p.TakeOpening(Key{Host: "other", Port: 1}) != nil {
		t.Fatal("TakeOpening of another key returned a client")
	}
	var got *h1.Client
	for end := time.Now().Add(10 * time.Second); got == nil && time.Now().Before(end); {
		got = p.Get(k)
		if got == nil {
			time.Sleep(time.Millisecond)
			if p.Idle() != 1 {
				t.Fatalf("the adopted connection left the pool without being handed out: Idle %d", p.Idle())
			}
		}
	}
	if got != dialer || !got.Reusable() {
		t.Fatalf("Get after Adopt = %p (reusable %v); want the adopted %p, connected", got, got != nil && got.Reusable(), dialer)
	}

	// MaxIdlePerHost 1: a second idle client is closed.
	p.Put(k, a)
	p.Put(k, dialer)
	if p.Idle() != 1 || dialer.Status() != h1.StatusDisconnected {
		t.Fatalf("Idle %d, second client %v; want 1 idle and the second closed", p.Idle(), dialer.Status())
	}
	// After Done, Put keeps the client idle again.
	w = p.Wait(k, &h1.Client{})
	if w.Done() != nil {
		t.Fatal("Done without a Put returned a client")
	}
	b := p.Get(k)
	p.Put(k, b)
	if p.Idle() != 1 {
		t.Fatalf("Idle = %d after Put with no waiter; want 1", p.Idle())
	}
}

// TestKeyConnectProxy: Key.Connect goes through the key's proxy, and a
// malformed proxy is an *h1.Error of kind h1.ErrInvalidParameter.
func TestKeyConnectProxy(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		return false
	})
	proxy := testpeer.NewForwardProxy(t, "")
	k := Key{Host: "127.0.0.1", Port: srv.Port(), Proxy: "127.0.0.1:" + strconv.Itoa(proxy.Port())}
	c := connected(t, k)
	defer c.Close()
	if err := c.Request(h1.MethodGet, "/via", nil, nil); err != nil {
		t.Fatal(err)
	}
	for c.Status() == h1.StatusRequesting {
		if err := c.Poll(); err != nil {
			t.Fatal(err)
		}
	}
	if c.ResponseCode() != 200 {
		t.Fatalf("code %d, err %v", c.ResponseCode(), c.Err())
	}
	heads := proxy.Heads()
	if len(heads) != 1 || !strings.HasPrefix(heads[0], "GET http://127.0.0.1:"+strconv.Itoa(srv.Port())+"/via HTTP/1.1\r\n") {
		t.Fatalf("the proxy saw %q; want the GET in absolute form", heads)
	}
	// (A proxy without a port gets h1.DefaultProxyPort.)
	for _, bad := range []string{"host:http", "http://host/:1", "socks5://host:1080"} {
		var e *h1.Error
		err := Key{Host: "example.com", Port: 80, Proxy: bad}.Connect(&h1.Client{})
		if !errors.Is(err, h1.ErrInvalidParameter) || !errors.As(err, &e) || e.Op != "proxy" {
			t.Errorf("Connect with proxy %q = %v; want an *h1.Error of kind ErrInvalidParameter, op proxy", bad, err)
		}
	}
}
