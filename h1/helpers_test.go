package h1

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/h1dev/h1/parser"
	"golang.org/x/sys/unix"
)

// checkLeaks fails the test if goroutines or descriptors (sockets,
// eventfds) are left when it ends, after a grace time for those on their
// way out.
func checkLeaks(t *testing.T) {
	t.Helper()
	g0, f0 := runtime.NumGoroutine(), countFDs(t)
	t.Cleanup(func() {
		var g, f int
		for i := 0; i < 300; i++ {
			g, f = runtime.NumGoroutine(), countFDs(t)
			if g <= g0 && f <= f0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("left behind: goroutines %d, want <= %d; descriptors %d, want <= %d\n%s", g, g0, f, f0, buf)
	})
}

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

func cpuTime(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rawServer is a loopback listener whose connections run handle; it
// counts the connections and, on Close (registered as a cleanup), closes
// the listener and every connection and waits for the handlers.
type rawServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
	count int
}

func newRawServer(t testing.TB, handle func(c net.Conn)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln}
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

func (s *rawServer) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *rawServer) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

func (s *rawServer) Close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// readHead reads one request head from c (up to the empty line) and
// returns it; it reads byte by byte so that nothing after the head is
// consumed.
func readHead(c net.Conn) (string, error) {
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

// run polls c until its status leaves the statuses in while, or the test
// times out.
func run(t testing.TB, c *Client, while ...Status) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for {
		s := c.Status()
		in := false
		for _, w := range while {
			in = in || s == w
		}
		if !in {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("status stuck at %v", s)
		}
		_ = c.Poll()
		if !c.IsBlockingModeEnabled() {
			time.Sleep(100 * time.Microsecond)
		}
	}
}

// connect connects c to 127.0.0.1:port and polls until connected.
func connect(t testing.TB, c *Client, port int) {
	t.Helper()
	if err := c.ConnectToHost("127.0.0.1", port, nil); err != nil {
		t.Fatalf("ConnectToHost = %v", err)
	}
	run(t, c, StatusResolving, StatusConnecting)
	if s := c.Status(); s != StatusConnected {
		t.Fatalf("status = %v (%v); want connected", s, c.Err())
	}
}

// fetch sends a request and reads the whole response body.
func fetch(t testing.TB, c *Client, m Method, url string, headers []string, body []byte) ([]byte, error) {
	t.Helper()
	if err := c.Request(m, url, headers, body); err != nil {
		return nil, err
	}
	run(t, c, StatusRequesting)
	var out []byte
	end := time.Now().Add(20 * time.Second)
	for c.Status() == StatusBody {
		n := len(out)
		var err error
		out, err = c.ReadResponseBodyChunkInto(out)
		if err != nil {
			return out, err
		}
		if time.Now().After(end) {
			t.Fatal("body read stuck")
		}
		if len(out) == n && !c.IsBlockingModeEnabled() {
			time.Sleep(50 * time.Microsecond)
		}
	}
	return out, c.Err()
}

// readRequest reads one request (head and a Content-Length body) from c.
func readRequest(c net.Conn) (head string, body []byte, err error) {
	head, err = readHead(c)
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

// scriptServer serves connections where respond writes the answer to
// each request (n counts the requests over all connections); respond
// returns false to close the connection.
func scriptServer(t testing.TB, respond func(c net.Conn, n int, head string, body []byte) bool) *rawServer {
	var mu sync.Mutex
	count := 0
	return newRawServer(t, func(c net.Conn) {
		for {
			head, body, err := readRequest(c)
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

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitListening waits until something accepts on 127.0.0.1:port.
func waitListening(t testing.TB, port int) {
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

func userAgent() string { return parser.DefaultUserAgent }
