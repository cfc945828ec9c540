package testpeer

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// WaitListening waits until something accepts on 127.0.0.1:port, and
// fails the test after 10 s.
func WaitListening(t testing.TB, port int) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for time.Now().Before(end) {
		c, err := net.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing listens on port %d", port)
}

// HTTPTestPort returns the port of an httptest server.
func HTTPTestPort(t testing.TB, s *httptest.Server) int {
	t.Helper()
	i := strings.LastIndexByte(s.URL, ':')
	p, err := strconv.Atoi(s.URL[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ConnCounter counts the connections an httptest server accepted.
type ConnCounter struct {
	// N is the number of connections so far.
	N atomic.Int32
}

// Hook counts a new connection; set it as an http.Server's ConnState.
func (cc *ConnCounter) Hook(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		cc.N.Add(1)
	}
}

// CountedServer starts an httptest server for h that counts its
// connections; it is closed when the test ends.
func CountedServer(t testing.TB, h http.Handler) (*httptest.Server, *ConnCounter) {
	cc := &ConnCounter{}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = cc.Hook
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, cc
}

// ReaderFunc is an io.Reader made of a function.
type ReaderFunc func([]byte) (int, error)

// Read calls f.
func (f ReaderFunc) Read(p []byte) (int, error) { return f(p) }
