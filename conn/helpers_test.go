package conn

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkLeaks records the goroutines and descriptors of the process and,
// when the test ends, fails it if more are left (after a short grace time
// for goroutines on their way out).
func checkLeaks(t *testing.T) {
	t.Helper()
	g0, f0 := runtime.NumGoroutine(), countFDs(t)
	t.Cleanup(func() {
		var g, f int
		for i := 0; i < 200; i++ {
			g, f = runtime.NumGoroutine(), countFDs(t)
			if g <= g0 && f <= f0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("left behind: goroutines %d, want <= %d; descriptors %d, want <= %d", g, g0, f, f0)

	})
}

// countFDs counts the descriptors of the kinds this package opens:
// sockets, epoll instances and eventfds. (Other descriptors, such as pipes
// the environment hands the process, come and go on their own.)
func countFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("ReadDir(/proc/self/fd) = %v", err)
	}
	n := 0
	for _, e := range ents {
		l, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err == nil && (strings.HasPrefix(l, "socket:") || strings.HasPrefix(l, "anon_inode:")) {
			n++
		}
	}
	return n
}

// server is a loopback listener whose connections run handle; Close stops
// the listener and waits for every handler.
type server struct {
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	cons []net.Conn
}

func newServer(t *testing.T, network, addr string, handle func(c net.Conn)) *server {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("Listen(%s, %s) = %v", network, addr, err)
	}
	s := &server{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.cons = append(s.cons, c)
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

func (s *server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *server) Close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.cons {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func echo(c net.Conn) { _, _ = io.Copy(c, c) }

func newEchoServer(t *testing.T) *server { return newServer(t, "tcp4", "127.0.0.1:0", echo) }

// dial connects a new peer to host:port and waits until it is connected.
func dial(t *testing.T, host string, port int) *TCP {
	t.Helper()
	p := new(TCP)
	if err := p.ConnectToHost(host, port); err != nil {
		t.Fatalf("ConnectToHost(%q, %d) = %v", host, port, err)
	}
	if err := p.WaitConnected(5 * time.Second); err != nil {
		t.Fatalf("WaitConnected = %v; status %v", err, p.Status())
	}
	t.Cleanup(p.DisconnectFromHost)
	return p
}

// freePort returns a loopback port that nothing listens on.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func wantErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if !errors.Is(got, want) {
		t.Errorf("%s = %v; want %v", what, got, want)
	}
}

// TestMain starts Go's own poller (an epoll and an eventfd, kept for the
// life of the process) before any test counts descriptors.
func TestMain(m *testing.M) {
	if ln, err := net.Listen("tcp4", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	os.Exit(m.Run())
}
