package testpeer

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// ForwardProxy is a small forward proxy for the tests: CONNECT opens a
// tunnel, and a request in absolute form is passed on to the origin it
// names, with the rest of the connection spliced through. It records the
// heads it received and, when auth is set, wants Proxy-Authorization to
// be that value.
type ForwardProxy struct {
	*RawServer
	auth  string
	mu    sync.Mutex
	heads []string
}

// NewForwardProxy starts a ForwardProxy on 127.0.0.1 that wants auth
// (a Proxy-Authorization value) when it is not empty.
func NewForwardProxy(t testing.TB, auth string) *ForwardProxy {
	p := &ForwardProxy{auth: auth}
	p.RawServer = NewRawServer(t, p.serve)
	return p
}

// Heads returns the request heads the proxy received, in order.
func (p *ForwardProxy) Heads() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.heads...)
}

func (p *ForwardProxy) serve(c net.Conn) {
	head, err := ReadHead(c)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.heads = append(p.heads, head)
	p.mu.Unlock()
	if p.auth != "" && !strings.Contains(head, "\r\nProxy-Authorization: "+p.auth+"\r\n") {
		io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\nContent-Length: 0\r\n\r\n")
		return
	}
	method, rest, _ := strings.Cut(head, " ")
	target, _, _ := strings.Cut(rest, " ")
	var addr string
	if method == "CONNECT" {
		addr = target
	} else {
		u, err := url.Parse(target)
		if err != nil || u.Host == "" {
			io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
			return
		}
		addr = u.Host
	}
	up, err := net.Dial("tcp", addr)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	if method == "CONNECT" {
		io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	} else {
		io.WriteString(up, head)
	}
	done := make(chan struct{})
	go func() {
		io.Copy(c, up)
		c.Close()
		close(done)
	}()
	io.Copy(up, c)
	up.Close()
	<-done
}
