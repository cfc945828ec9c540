package load

import (
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
)

// parseOnlyClient returns a client whose worker has no loop and no socket:
// enough to feed consume bytes by hand.
func parseOnlyClient(t testing.TB, pipeline int) *client {
	t.Helper()
	cfg, err := Config{Target: Target{Host: "127.0.0.1", Port: 80}, Connections: 1, Pipeline: pipeline, Duration: time.Second}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{cfg: &cfg, reqs: [][]byte{[]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")}, methods: []string{"GET"}, hist: newHistogram(), ihist: newHistogram(), hsHist: newHistogram(), nextRotate: math.MaxInt64, budget: -1, base: time.Now()}
	c := newClient(w, 0, 0)
	c.state = clientOpen
	return c
}

// feed puts b in the client's buffer as if read, with n requests in
// flight, and parses it.
func feed(c *client, b []byte, n int) bool {
	c.n = copy(c.buf, b)
	c.r = 0
	c.inflight, c.first = n, 0
	c.w.inflight = n
	return c.consume(c.w.now())
}

const (
	lengthResponse  = "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sat, 21 Nov 2026 23:46:52 GMT\r\nContent-Type: text/html\r\nContent-Length: 11\r\nConnection: keep-alive\r\nETag: \"6b022d6b-400\"\r\nAccept-Ranges: bytes\r\n\r\nhello world"
	chunkedResponse = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nhello\r\n1;x=y\r\n \r\n5\r\nworld\r\n0\r\nX-T: 1\r\n\r\n"
)

// Parsing a response and recording it allocates nothing: the head's fields
// are views into the connection's buffer, which is reused.
func TestConsumeAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		wire string
		n    int
	}{
		{"content-length", lengthResponse, 1},
		{"chunked", chunkedResponse, 1},
		{"pipelined", strings.Repeat(lengthResponse, 8) + strings.Repeat(chunkedResponse, 8), 16},
	} {
		c := parseOnlyClient(t, tc.n)
		wire := []byte(tc.wire)
		allocs := testing.AllocsPerRun(1000, func() {
			if !feed(c, wire, tc.n) || c.inflight != 0 || c.r != 0 {
				t.Fatalf("%s: consume left %d in flight, %d bytes", tc.name, c.inflight, c.n-c.r)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per run; want 0", tc.name, allocs)
		}
		if got := c.w.requests; got != int64(1001*tc.n) {
			t.Errorf("%s: %d responses counted; want %d", tc.name, got, 1001*tc.n)
		}
	}
}

// A response split at every byte parses the same as whole.
func TestConsumeAnySplit(t *testing.T) {
	wire := lengthResponse + chunkedResponse + lengthResponse
	for cut := 1; cut < len(wire); cut++ {
		c := parseOnlyClient(t, 3)
		c.inflight, c.w.inflight = 3, 3
		for _, part := range []string{wire[:cut], wire[cut:]} {
			if c.n == len(c.buf) {
				c.makeRoom()
			}
			c.n += copy(c.buf[c.n:], part)
			if !c.consume(0) {
				t.Fatalf("cut %d: the connection failed", cut)
			}
			if c.r > 0 && c.r == c.n {
				c.r, c.n = 0, 0
			}
		}
		if c.w.requests != 3 || c.inflight != 0 || c.w.errors.Total() != 0 {
			t.Fatalf("cut %d: %d responses, %d in flight, errors %+v; want 3, 0, none", cut, c.w.requests, c.inflight, c.w.errors)
		}
	}
}

// rawServer answers every request with a fixed response from one goroutine
// per connection, with fixed buffers, so that it allocates nothing per
// request either.
func rawServer(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go serveFixed(ln)
	return ln.Addr().(*net.TCPAddr).Port
}

// serveFixed answers every request on ln's connections with
// lengthResponse, one goroutine per connection, from fixed buffers.
func serveFixed(ln net.Listener) {
	resp := []byte(lengthResponse)
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			testpeer.AnswerEach(c, resp)
		}()
	}
}

// BenchmarkLoopback runs b.N requests over 16 connections against a
// loopback server that allocates nothing per request: allocs/op is the
// engine's (its setup spread over b.N), and the time per op is the cost
// of one request for client and server together.
func BenchmarkLoopback(b *testing.B) {
	for _, p := range []int{1, 8} {
		b.Run("pipeline="+string(rune('0'+p)), func(b *testing.B) {
			port := rawServer(b)
			b.ReportAllocs()
			b.ResetTimer()
			res, err := Run(Config{Target: Target{Host: "127.0.0.1", Port: port}, Connections: 16, Pipeline: p, Requests: int64(b.N)})
			if err != nil {
				b.Fatal(err)
			}
			if res.Requests != int64(b.N) || res.Errors.Total() != 0 {
				b.Fatalf("requests %d, errors %+v; want %d, none", res.Requests, res.Errors, b.N)
			}
		})
	}
}
