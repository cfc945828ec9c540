package h1

import (
	"errors"
	"io"
	"net"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
)

// TestPollWaits: without blocking mode Poll returns at once; in blocking
// mode one Poll waits once, no longer than the step's limit.
func TestPollWaits(t *testing.T) {
	testpeer.CheckLeaks(t)
	release := make(chan struct{})
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		<-release
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		return true
	})
	defer close(release)

	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	if err := c.Request(MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < 100; i++ {
		if err := c.Poll(); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 50*time.Millisecond || c.Status() != StatusRequesting {
		t.Errorf("100 non-blocking polls took %v, status %v", d, c.Status())
	}

	c.SetBlockingMode(true)
	c.Limits.HeadTimeout = 400 * time.Millisecond
	c.Close()
	connect(t, &c, srv.Port())
	if err := c.Request(MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	err := c.Poll() // the request goes out, then one wait until the limit
	d := time.Since(start)
	if d < 350*time.Millisecond || d > 2*time.Second {
		t.Errorf("a blocking Poll returned after %v; want about the 400ms head limit", d)
	}
	if !errors.Is(err, ErrTimeout) || c.Status() != StatusConnectionError {
		t.Errorf("Poll = %v, status %v; want a timeout", err, c.Status())
	}
}

// TestUnsolicitedBytes: bytes after a response, before the next request,
// make the connection unfit for reuse.
func TestUnsolicitedBytes(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	for i := 0; i < 3; i++ {
		if body, err := fetch(t, &c, MethodGet, "/", nil, nil); err != nil || string(body) != "ok" {
			t.Fatalf("fetch %d = %q, %v", i, body, err)
		}
	}
	if srv.Conns() != 3 {
		t.Errorf("%d connections; want 3 (none reused)", srv.Conns())
	}
}

// TestIdleCloseNoticed: Poll on an idle connection notices that the
// server closed it, and the next Request opens another without an error.
func TestIdleCloseNoticed(t *testing.T) {
	testpeer.CheckLeaks(t)
	closed := make(chan struct{}, 1)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		c.Close()
		closed <- struct{}{}
		return false
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	for i := 0; i < 2; i++ {
		if body, err := fetch(t, &c, MethodPost, "/", nil, []byte("x")); err != nil || string(body) != "ok" {
			t.Fatalf("POST %d = %q, %v", i, body, err)
		}
		<-closed // the server closed: Poll must notice (the FIN may take a moment to land)
		for k := 0; k < 100000 && !c.reconnect; k++ {
			if err := c.Poll(); err != nil || c.Status() != StatusConnected {
				t.Fatalf("idle Poll = %v, status %v", err, c.Status())
			}
			runtime.Gosched()
		}
		if !c.reconnect {
			t.Fatal("Poll never noticed the closed connection")
		}
	}
}

func TestConnectRequest(t *testing.T) {
	for _, tc := range []struct {
		host string
		port int
		auth string
		want string
	}{
		{"example.com", 443, "", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nUser-Agent: h1/0.1\r\n\r\n"},
		{"::1", 8443, "Basic eDp5", "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\nUser-Agent: h1/0.1\r\nProxy-Authorization: Basic eDp5\r\n\r\n"},
	} {
		p := &proxy{}
		if tc.auth != "" {
			p.auth = []byte(tc.auth)
		}
		got, err := appendConnect(nil, tc.host, tc.port, p)
		if err != nil || string(got) != strings.Replace(tc.want, "h1/0.1", userAgent(), 1) {
			t.Errorf("appendConnect(%s, %d) = %q, %v; want %q", tc.host, tc.port, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in         string
		host, auth string
	}{
		{"proxy.local", "proxy.local", ""},
		{"http://a:b@proxy.local/", "proxy.local", "Basic YTpi"},
		{"HTTP://%41:%3A@[::1]", "::1", "Basic QTo6"},
	} {
		p, err := parseProxy(tc.in, 3128)
		if err != nil || p.host != tc.host || string(p.auth) != tc.auth || p.port != 3128 {
			t.Errorf("parseProxy(%q) = %+v, %v; want host %q auth %q", tc.in, p, err, tc.host, tc.auth)
		}
	}
}

// TestProxyCredentialEscapes: the credentials of a proxy URL decode as
// url.PathUnescape decodes them, and a malformed escape is
// ErrInvalidParameter.
func TestProxyCredentialEscapes(t *testing.T) {
	for _, in := range []string{"", "plain", "a%20b", "%41%42", "+%2B+", "%e2%82%ac", "%", "%4", "%zz", "a%2", "%%41", "%G0"} {
		got, ok := unescape(in)
		want, err := url.PathUnescape(in)
		if ok != (err == nil) || ok && got != want {
			t.Errorf("unescape(%q) = %q, %v; url.PathUnescape = %q, %v", in, got, ok, want, err)
		}
	}
	for _, in := range []string{"http://%zz:b@proxy.local", "http://a:%4@proxy.local", "u%:p@proxy.local"} {
		var c Client
		if err := c.SetHTTPProxy(in, 3128); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("SetHTTPProxy(%q) = %v; want ErrInvalidParameter", in, err)
		}
		if err := c.SetHTTPSProxy(in, 3128); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("SetHTTPSProxy(%q) = %v; want ErrInvalidParameter", in, err)
		}
	}
}

// TestInterruptCutsWait: Interrupt on the client's TCP peer, from another
// goroutine, ends a blocking Poll's wait at once.
func TestInterruptCutsWait(t *testing.T) {
	testpeer.CheckLeaks(t)
	release := make(chan struct{})
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		<-release
		return false
	})
	defer close(release)
	var c Client
	defer c.Close()
	c.SetBlockingMode(true)
	connect(t, &c, srv.Port())
	if err := c.Request(MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(100*time.Millisecond, c.tcp.Interrupt)
	defer timer.Stop()
	start := time.Now()
	if err := c.Poll(); err != nil || c.Status() != StatusRequesting {
		t.Fatalf("Poll = %v, status %v", err, c.Status())
	}
	if d := time.Since(start); d < 50*time.Millisecond || d > time.Second {
		t.Errorf("Poll returned after %v; want about 100ms", d)
	}
}
