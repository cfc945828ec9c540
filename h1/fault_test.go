package h1

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/parser"
)

// reset closes c with SO_LINGER 0, so that the client sees a reset.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// TestFaults runs the client against servers that misbehave, in both
// modes, and checks the status and the typed error each one ends in.
func TestFaults(t *testing.T) {
	hugeHead := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Filler: "+strings.Repeat("x", 1000)+"\r\n", 1024) + "\r\n"
	manyHeaders := "HTTP/1.1 200 OK\r\n" + strings.Repeat("A: b\r\n", 150) + "Content-Length: 0\r\n\r\n"
	cases := []struct {
		name   string
		limits Limits
		serve  func(c net.Conn)
		status Status
		is     []error // the error matches every one
		body   string  // what the body reads returned
		proto  bool    // a *parser.ProtocolError is inside
	}{
		{name: "close mid-head",
			serve:  func(c net.Conn) { io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Le") },
			status: StatusConnectionError, is: []error{ErrConnection, io.ErrUnexpectedEOF}},
		{name: "close before any byte",
			serve:  func(c net.Conn) {},
			status: StatusConnectionError, is: []error{ErrConnection, io.ErrUnexpectedEOF}},
		{name: "close mid-body",
			serve:  func(c net.Conn) { io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789") },
			status: StatusConnectionError, is: []error{ErrConnection, io.ErrUnexpectedEOF}, body: "0123456789"},
		{name: "close mid-chunk",
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\nhalf")
			},
			status: StatusConnectionError, is: []error{ErrConnection, io.ErrUnexpectedEOF}, body: "abchalf"},
		{name: "close after last chunk size",
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n")
			},
			status: StatusConnectionError, is: []error{ErrConnection, io.ErrUnexpectedEOF}, body: "abc"},
		{name: "reset mid-body",
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
				time.Sleep(20 * time.Millisecond)
				reset(c)
			},
			status: StatusConnectionError, is: []error{ErrConnection, syscall.ECONNRESET}, body: "abc"},
		{name: "reset mid-head",
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\n")
				time.Sleep(20 * time.Millisecond)
				reset(c)
			},
			status: StatusConnectionError, is: []error{ErrConnection, syscall.ECONNRESET}},
		{name: "garbage",
			serve:  func(c net.Conn) { io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n\r\n") },
			status: StatusConnectionError, is: []error{ErrBadResponse}, proto: true},
		{name: "head too large",
			serve:  func(c net.Conn) { io.WriteString(c, hugeHead) },
			status: StatusConnectionError, is: []error{ErrBadResponse, parser.ErrHeadTooLarge}},
		{name: "head over a smaller limit", limits: Limits{MaxHeadSize: 1024},
			serve:  func(c net.Conn) { io.WriteString(c, hugeHead[:4000]) },
			status: StatusConnectionError, is: []error{ErrBadResponse, parser.ErrHeadTooLarge}},
		{name: "too many headers", limits: Limits{MaxHeaders: 100},
			serve:  func(c net.Conn) { io.WriteString(c, manyHeaders) },
			status: StatusConnectionError, is: []error{ErrBadResponse, parser.ErrTooManyHeaders}},
		{name: "smuggling framing",
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
			},
			status: StatusConnectionError, is: []error{ErrBadResponse}, proto: true},
		{name: "bad chunk size",
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
				io.Copy(io.Discard, c)
			},
			status: StatusConnectionError, is: []error{ErrBadResponse}, proto: true},
		{name: "endless chunks over the body limit", limits: Limits{MaxBodySize: 1 << 20},
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
				chunk := []byte("1000\r\n" + strings.Repeat("z", 4096) + "\r\n")
				for {
					if _, err := c.Write(chunk); err != nil {
						return
					}
				}
			},
			status: StatusConnectionError, is: []error{ErrBodyTooLarge}},
		{name: "content-length over the body limit", limits: Limits{MaxBodySize: 10},
			serve:  func(c net.Conn) { io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n01234567890") },
			status: StatusConnectionError, is: []error{ErrBodyTooLarge}},
		{name: "slow drip head", limits: Limits{HeadTimeout: 300 * time.Millisecond},
			serve: func(c net.Conn) {
				for _, b := range []byte("HTTP/1.1 200 OK\r\nX-Slow: 1234567890\r\n\r\n") {
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
			},
			status: StatusConnectionError, is: []error{ErrConnection, ErrTimeout}},
		{name: "stalled body", limits: Limits{BodyIdleTimeout: 200 * time.Millisecond},
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")
				io.Copy(io.Discard, c) // until the client gives up
			},
			status: StatusConnectionError, is: []error{ErrConnection, ErrTimeout}, body: "ab"},
		{name: "stalled chunk", limits: Limits{BodyIdleTimeout: 200 * time.Millisecond},
			serve: func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n")
				io.Copy(io.Discard, c) // until the client gives up
			},
			status: StatusConnectionError, is: []error{ErrConnection, ErrTimeout}, body: "ab"},
		{name: "one byte per write",
			serve: func(c net.Conn) {
				for _, b := range []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nslow\r\n1\r\n!\r\n0\r\nT: 1\r\n\r\n") {
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
					time.Sleep(100 * time.Microsecond)
				}
				io.Copy(io.Discard, c)
			},
			status: StatusConnected, body: "slow!"},
	}
	for _, tc := range cases {
		for _, blocking := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/blocking=%v", tc.name, blocking), func(t *testing.T) {
				testpeer.CheckLeaks(t)
				srv := testpeer.NewRawServer(t, func(c net.Conn) {
					if _, err := testpeer.ReadHead(c); err != nil {
						return
					}
					tc.serve(c)
				})
				var c Client
				c.Limits = tc.limits
				c.SetBlockingMode(blocking)
				connect(t, &c, srv.Port())
				body, err := fetch(t, &c, MethodGet, "/", nil, nil)
				if c.Status() != tc.status {
					t.Errorf("status = %v (%v); want %v", c.Status(), err, tc.status)
				}
				var pe *parser.ProtocolError
				if tc.proto && !errors.As(err, &pe) {
					t.Errorf("err = %v; want a *parser.ProtocolError inside", err)
				}
				for _, want := range tc.is {
					if !errors.Is(err, want) {
						t.Errorf("err = %v; want it to match %v", err, want)
					}
				}
				if len(tc.is) == 0 && err != nil {
					t.Errorf("err = %v; want nil", err)
				}
				if err != nil && !strings.HasPrefix(err.Error(), "h1: ") {
					t.Errorf("message %q does not start with h1: ", err)
				}
				if tc.body != "" && !strings.HasPrefix(string(body), tc.body) {
					t.Errorf("body = %q; want %q", body, tc.body)
				}
				c.Close()
				if c.Status() != StatusDisconnected || c.Err() != nil {
					t.Errorf("after Close: %v, %v", c.Status(), c.Err())
				}
			})
		}
	}
}

func TestConnectFailures(t *testing.T) {
	testpeer.CheckLeaks(t)
	// A port nobody listens on.
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	for _, blocking := range []bool{false, true} {
		var c Client
		c.SetBlockingMode(blocking)
		err := c.ConnectToHost("127.0.0.1", port, nil)
		if err == nil {
			run(t, &c, StatusConnecting, StatusResolving)
			err = c.Err()
		}
		if c.Status() != StatusCantConnect || !errors.Is(err, ErrCantConnect) || !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("refused: status %v err %v; want cant-connect, ECONNREFUSED", c.Status(), err)
		}
		if err := c.Poll(); !errors.Is(err, ErrCantConnect) {
			t.Errorf("Poll after failure = %v", err)
		}
		c.Close()
	}
	var c Client
	c.Limits.ConnectTimeout = 5 * time.Second
	if err := c.ConnectToHost("no-such-host.invalid", 80, nil); err != nil {
		t.Fatal(err)
	}
	if c.Status() != StatusResolving {
		t.Errorf("status = %v; want resolving", c.Status())
	}
	run(t, &c, StatusResolving, StatusConnecting)
	if c.Status() != StatusCantResolve || !errors.Is(c.Err(), ErrCantResolve) {
		t.Errorf("status %v err %v; want cant-resolve", c.Status(), c.Err())
	}
	c.Close()
}

// TestStaleConnectionRetried: the server closes a kept-alive connection
// just as the next request arrives on it (it reads the request and closes
// without a byte of answer, as a server whose idle timeout fires then).
// The client cannot have seen the close before sending, so only the retry
// path can save the request: an idempotent one is sent again, once, on a
// new connection; a POST that went out is not, and fails.
func TestStaleConnectionRetried(t *testing.T) {
	testpeer.CheckLeaks(t)
	var mu sync.Mutex
	var seen []string
	perConn := map[net.Conn]int{}
	srv := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, _ []byte) bool {
		mu.Lock()
		seen = append(seen, strings.SplitN(head, " ", 2)[0])
		perConn[c]++
		second := perConn[c] == 2
		mu.Unlock()
		if second {
			return false // the second request of each connection: close, say nothing
		}
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n%d", n%10)
		return true
	})
	conns := 0
	for _, blocking := range []bool{false, true} {
		var c Client
		c.SetBlockingMode(blocking)
		connect(t, &c, srv.Port())
		conns++
		if _, err := fetch(t, &c, MethodGet, "/", nil, nil); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			before := srv.Conns()
			body, err := fetch(t, &c, MethodGet, "/", nil, nil)
			conns++
			if err != nil || len(body) != 1 || srv.Conns() != before+1 {
				t.Fatalf("blocking=%v request %d: %q, %v, connections %d -> %d; want an answer on one new connection",
					blocking, i, body, err, before, srv.Conns())
			}
		}
		// A POST that went out on a connection the server then closed is
		// not sent again: it may have been acted on.
		_, err := fetch(t, &c, MethodPost, "/", nil, []byte("once"))
		if !errors.Is(err, ErrConnection) {
			t.Fatalf("blocking=%v: POST on a closed connection: %v; want ErrConnection, no retry", blocking, err)
		}
		c.Close()
	}
	if srv.Conns() != conns {
		t.Errorf("server accepted %d connections; want %d", srv.Conns(), conns)
	}
	mu.Lock()
	defer mu.Unlock()
	posts := 0
	for _, m := range seen {
		if m == "POST" {
			posts++
		}
	}
	// Per mode: the first GET, then three GETs each seen twice (on the
	// closed connection, then on the new one), then the POST once.
	if posts != 2 || len(seen) != 2*(1+3*2+1) {
		t.Errorf("server saw %d requests, %d POSTs; want %d and 2: every GET after the first sent twice, the POST once",
			len(seen), posts, 2*(1+3*2+1))
	}
}
