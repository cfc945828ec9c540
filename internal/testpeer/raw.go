package testpeer

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// RawServer is a loopback listener whose connections run a handler; it
// counts the connections and, on Close (registered as a cleanup), closes
// the listener and every connection and waits for the handlers.
type RawServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
	count int
}

// NewRawServer starts a RawServer on 127.0.0.1 whose connections each run
// handle on a goroutine of their own; the connection is closed when
// handle returns.
func NewRawServer(t testing.TB, handle func(c net.Conn)) *RawServer {
	t.Helper()
	return ListenRaw(t, "tcp4", "127.0.0.1:0", handle)
}

// ListenRaw is NewRawServer on another network and address, such as
// ("tcp6", "[::1]:0").
func ListenRaw(t testing.TB, network, addr string, handle func(c net.Conn)) *RawServer {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("Listen(%s, %s) = %v", network, addr, err)
	}
	s := &RawServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.count++
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	t.Cleanup(s.Close)
	return s
}

// Port returns the port the server listens on.
func (s *RawServer) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Conns returns how many connections the server has accepted.
func (s *RawServer) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Close closes the listener and every connection and waits for the
// handlers to return.
func (s *RawServer) Close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// ReadHead reads one request head from c (up to the empty line) and
// returns it; it reads byte by byte so that nothing after the head is
// consumed.
func ReadHead(c net.Conn) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for !strings.HasSuffix(string(b), "\r\n\r\n") {
		if _, err := c.Read(one); err != nil {
			return string(b), err
		}
		b = append(b, one[0])
		if len(b) > 1<<20 {
			return string(b), errors.New("head too long")
		}
	}
	return string(b), nil
}

// ReadRequest reads one request (head and a Content-Length body) from c.
func ReadRequest(c net.Conn) (head string, body []byte, err error) {
	head, err = ReadHead(c)
	if err != nil {
		return head, nil, err
	}
	for _, line := range strings.Split(head, "\r\n") {
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(name, "content-length") {
			n, _ := strconv.Atoi(strings.TrimSpace(value))
			body = make([]byte, n)
			_, err = io.ReadFull(c, body)
			return head, body, err
		}
	}
	return head, nil, nil
}

// ScriptServer serves connections where respond writes the answer to
// each request (n counts the requests over all connections); respond
// returns false to close the connection.
func ScriptServer(t testing.TB, respond func(c net.Conn, n int, head string, body []byte) bool) *RawServer {
	var mu sync.Mutex
	count := 0
	return NewRawServer(t, func(c net.Conn) {
		for {
			head, body, err := ReadRequest(c)
			if err != nil {
				return
			}
			mu.Lock()
			n := count
			count++
			mu.Unlock()
			if !respond(c, n, head, body) {
				return
			}
		}
	})
}

// FixedResponse is what FixedServer answers each request with.
const FixedResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n" +
	"Date: Mon, 01 Jan 2024 00:00:00 GMT\r\nServer: fixed\r\n\r\nHello, World!"

// FixedServer answers each request head it reads (requests carry no
// body) with FixedResponse, so that its cost is the same whatever the
// client: the benchmarks' peer.
func FixedServer(t testing.TB) *RawServer {
	resp := []byte(FixedResponse)
	return NewRawServer(t, func(c net.Conn) { AnswerEach(c, resp) })
}

// AnswerEach writes resp for each request head it reads from c (requests
// carry no body), batching the answers to the heads of one read, from
// fixed buffers: it allocates nothing per request. It returns when c
// fails or closes.
func AnswerEach(c net.Conn, resp []byte) {
	buf := make([]byte, 64<<10)
	out := make([]byte, 0, 64<<10)
	have := 0
	for {
		n, err := c.Read(buf[have:])
		if err != nil {
			return
		}
		have += n
		out = out[:0]
		start := 0
		for {
			i := bytes.Index(buf[start:have], headEnd)
			if i < 0 {
				break
			}
			start += i + 4
			out = append(out, resp...)
		}
		have = copy(buf, buf[start:have])
		if len(out) > 0 {
			if _, err := c.Write(out); err != nil {
				return
			}
		}
	}
}

var headEnd = []byte("\r\n\r\n")
