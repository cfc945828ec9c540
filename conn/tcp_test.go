package conn

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/streampeer"
	"golang.org/x/sys/unix"
)

var (
	_ streampeer.StreamPeer  = (*TCP)(nil)
	_ streampeer.Poller      = (*TCP)(nil)
	_ streampeer.Waiter      = (*TCP)(nil)
	_ streampeer.Interrupter = (*TCP)(nil)
	_ io.Closer              = (*TCP)(nil)
)

func TestEcho(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "127.0.0.1", s.Port())
	if got := p.Status(); got != StatusConnected {
		t.Fatalf("Status = %v; want connected", got)
	}
	msg := []byte("hello, stream")
	if err := p.PutData(msg); err != nil {
		t.Fatalf("PutData = %v", err)
	}
	got := make([]byte, len(msg))
	if err := p.GetData(got); err != nil {
		t.Fatalf("GetData = %v", err)
	}
	if !bytes.Equal(got, msg) {
		t.Errorf("GetData = %q; want %q", got, msg)
	}
	if got, want := p.ConnectedHost(), "127.0.0.1"; got != want {
		t.Errorf("ConnectedHost = %q; want %q", got, want)
	}
	if got, want := p.ConnectedPort(), s.Port(); got != want {
		t.Errorf("ConnectedPort = %d; want %d", got, want)
	}
	if p.LocalPort() == 0 {
		t.Errorf("LocalPort = 0; want a port")
	}
	p.DisconnectFromHost()
	if got := p.Status(); got != StatusNone {
		t.Errorf("Status after DisconnectFromHost = %v; want none", got)
	}
	if got := p.LocalPort(); got != 0 {
		t.Errorf("LocalPort after DisconnectFromHost = %d; want 0", got)
	}
}

// TestMegabytes pushes 16 MiB through partial writes on one goroutine while
// another reads, and checks every byte.
func TestMegabytes(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "127.0.0.1", s.Port())
	const total = 16 << 20
	data := make([]byte, total)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	var partial int
	full := make(chan struct{}) // closed at the first partial write, or at the end
	var wg sync.WaitGroup
	wg.Add(1)
	var werr error
	go func() {
		defer wg.Done()
		defer func() {
			if partial == 0 {
				close(full)
			}
		}()
		for sent := 0; sent < total; {
			chunk := min(1<<20, total-sent)
			n, err := p.PutPartialData(data[sent : sent+chunk])
			if err != nil {
				werr = err
				return
			}
			if n < chunk {
				if partial == 0 {
					close(full)
				}
				partial++
			}
			sent += n
			if n == 0 {
				if err := p.WaitWritable(-1); err != nil {
					werr = err
					return
				}
			}
		}
	}()
	<-full // the writer has filled the socket buffers
	got := make([]byte, 0, total)
	buf := make([]byte, 64<<10)
	for len(got) < total {
		n, err := p.GetPartialData(buf)
		if err != nil {
			t.Fatalf("GetPartialData after %d bytes = %v", len(got), err)
		}
		got = append(got, buf[:n]...)
		if n == 0 {
			if err := p.WaitReadable(5 * time.Second); err != nil {
				t.Fatalf("WaitReadable after %d bytes = %v", len(got), err)
			}
		}
	}
	wg.Wait()
	if werr != nil {
		t.Fatalf("writer: %v", werr)
	}
	if !bytes.Equal(got, data) {
		i := 0
		for i < total && got[i] == data[i] {
			i++
		}
		t.Fatalf("echoed bytes differ at offset %d", i)
	}
	if partial == 0 {
		t.Errorf("no PutPartialData took less than asked; want some partial writes")
	}
}

// TestMegabytesWhole moves 4 MiB with the whole verbs, writer and reader on
// two goroutines.
func TestMegabytesWhole(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "127.0.0.1", s.Port())
	data := bytes.Repeat([]byte("0123456789abcdef"), 4<<16)
	errc := make(chan error, 1)
	go func() { errc <- p.PutData(data) }()
	got := make([]byte, len(data))
	if err := p.GetData(got); err != nil {
		t.Fatalf("GetData = %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("PutData = %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("echoed bytes differ")
	}
}

func TestRefused(t *testing.T) {
	testpeer.CheckLeaks(t)
	port := freePort(t)
	p := new(TCP)
	defer p.Close()
	err := p.ConnectToHost("127.0.0.1", port)
	if err == nil {
		err = p.WaitConnected(5 * time.Second)
	}
	wantErr(t, "connect to a closed port", err, ErrCantConnect)
	wantErr(t, "connect to a closed port", err, unix.ECONNREFUSED)
	if got := p.Status(); got != StatusError {
		t.Errorf("Status = %v; want error", got)
	}
	wantErr(t, "Poll", p.Poll(), ErrCantConnect)
	// A failed peer may start over.
	s := newEchoServer(t)
	if err := p.ConnectToHost("127.0.0.1", s.Port()); err != nil {
		t.Fatalf("ConnectToHost after an error = %v", err)
	}
	if err := p.WaitConnected(5 * time.Second); err != nil {
		t.Fatalf("WaitConnected after an error = %v", err)
	}
}

// fullListener returns the port of a raw socket listening with a backlog
// of 0 whose queue is filled with connections nobody accepts, so that a
// further connect stays in progress. The sockets close with the test.
func fullListener(t *testing.T) int {
	t.Helper()
	var fds []int
	t.Cleanup(func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	})
	ln, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	fds = append(fds, ln)
	if err := unix.Bind(ln, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(ln, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(ln)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*unix.SockaddrInet4).Port
	for i := 0; i < 16; i++ {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		fds = append(fds, fd)
		err = unix.Connect(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}})
		if err != nil && err != unix.EINPROGRESS {
			t.Fatalf("filling the backlog: connect = %v", err)
		}
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		n, err := unix.Poll(pfd, 200)
		if err != nil && err != unix.EINTR {
			t.Fatal(err)
		}
		if n == 0 {
			return port // this one is stuck: the queue is full
		}
	}
	t.Skip("could not fill the listen backlog on this system")
	return 0
}

func TestConnectTimeout(t *testing.T) {
	testpeer.CheckLeaks(t)
	port := fullListener(t)
	p := new(TCP)
	defer p.Close()
	if err := p.SetConnectTimeout(250 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := p.ConnectToHost("127.0.0.1", port); err != nil {
		t.Fatalf("ConnectToHost = %v", err)
	}
	err := p.WaitConnected(5 * time.Second)
	elapsed := time.Since(start)
	wantErr(t, "connect to a full backlog", err, ErrCantConnect)
	wantErr(t, "connect to a full backlog", err, unix.ETIMEDOUT)
	if got := p.Status(); got != StatusError {
		t.Errorf("Status = %v; want error", got)
	}
	if elapsed < 250*time.Millisecond {
		t.Errorf("gave up after %v; want at least the 250ms connect timeout", elapsed)
	}
}

// TestConnectTimeoutPolled drives the same timeout with Poll alone.
func TestConnectTimeoutPolled(t *testing.T) {
	testpeer.CheckLeaks(t)
	port := fullListener(t)
	p := new(TCP)
	defer p.Close()
	_ = p.SetConnectTimeout(100 * time.Millisecond)
	if err := p.ConnectToHost("127.0.0.1", port); err != nil {
		t.Fatalf("ConnectToHost = %v", err)
	}
	var err error
	for p.Status() == StatusConnecting {
		err = p.Poll()
		time.Sleep(5 * time.Millisecond)
	}
	wantErr(t, "Poll", err, ErrCantConnect)
}

func TestFIN(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) {
		_, _ = c.Write([]byte("last words"))
	})
	p := dial(t, "127.0.0.1", s.Port())
	got := make([]byte, 4)
	if err := p.GetData(got); err != nil || string(got) != "last" {
		t.Fatalf("GetData = %q, %v; want \"last\", nil", got, err)
	}
	rest, err := io.ReadAll(streampeer.NewReader(p))
	if err != nil || string(rest) != " words" {
		t.Fatalf("ReadAll = %q, %v; want \" words\", nil", rest, err)
	}
	if n, err := p.GetPartialData(got); n != 0 || err != io.EOF {
		t.Errorf("GetPartialData after FIN = %d, %v; want 0, EOF", n, err)
	}
	if err := p.GetData(got); err != io.EOF {
		t.Errorf("GetData after FIN = %v; want EOF", err)
	}
	if got := p.Status(); got != StatusNone {
		t.Errorf("Status after FIN = %v; want none", got)
	}
	if err := p.WaitReadable(time.Second); err != nil {
		t.Errorf("WaitReadable after FIN = %v; want nil", err)
	}
	wantErr(t, "PutData after FIN", p.PutData([]byte("x")), ErrUnconfigured)
	if err := p.Poll(); err != nil {
		t.Errorf("Poll after FIN = %v; want nil", err)
	}
}

func TestFINMidGetData(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) {
		_, _ = c.Write([]byte("short"))
	})
	p := dial(t, "127.0.0.1", s.Port())
	got := make([]byte, 10)
	if err := p.GetData(got); err != io.ErrUnexpectedEOF {
		t.Errorf("GetData past the end = %v; want ErrUnexpectedEOF", err)
	}
}

// TestFINByPoll: Poll notices a FIN, as Godot's does, once nothing is left
// to read.
func TestFINByPoll(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) {})
	p := dial(t, "127.0.0.1", s.Port())
	deadline := time.Now().Add(5 * time.Second)
	for p.Status() == StatusConnected && time.Now().Before(deadline) {
		if err := p.Poll(); err != nil {
			t.Fatalf("Poll = %v", err)
		}
		_ = p.WaitReadable(100 * time.Millisecond)
	}
	if got := p.Status(); got != StatusNone {
		t.Fatalf("Status = %v; want none", got)
	}
}

func TestReset(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) {
		_, _ = c.Read(make([]byte, 1))
		_ = c.(*net.TCPConn).SetLinger(0) // close sends RST
	})
	p := dial(t, "127.0.0.1", s.Port())
	if err := p.PutData([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitReadable(5 * time.Second); err != nil {
		t.Fatalf("WaitReadable = %v", err)
	}
	n, err := p.GetPartialData(make([]byte, 8))
	if n != 0 {
		t.Errorf("GetPartialData after reset = %d bytes; want 0", n)
	}
	wantErr(t, "GetPartialData after reset", err, ErrConnection)
	wantErr(t, "GetPartialData after reset", err, unix.ECONNRESET)
	if got := p.Status(); got != StatusError {
		t.Errorf("Status after reset = %v; want error", got)
	}
	wantErr(t, "PutData after reset", p.PutData([]byte("x")), ErrConnection)
	wantErr(t, "GetData after reset", p.GetData(make([]byte, 1)), ErrConnection)
	wantErr(t, "Poll after reset", p.Poll(), ErrConnection)
}

func hasIPv6Loopback() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

func TestIPv6Loopback(t *testing.T) {
	if !hasIPv6Loopback() {
		t.Skip("no IPv6 loopback on this machine")
	}
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp6", "[::1]:0", echo)
	for _, host := range []string{"::1", "[::1]"} {
		p := dial(t, host, s.Port())
		if err := p.PutData([]byte("six")); err != nil {
			t.Fatalf("%s: PutData = %v", host, err)
		}
		got := make([]byte, 3)
		if err := p.GetData(got); err != nil || string(got) != "six" {
			t.Fatalf("%s: GetData = %q, %v; want \"six\", nil", host, got, err)
		}
		if got := p.ConnectedHost(); got != "::1" {
			t.Errorf("ConnectedHost = %q; want ::1", got)
		}
		p.Close()
	}
}

// TestLocalhost resolves "localhost" on the resolver goroutine; the server
// listens on IPv4 only, so when ::1 comes first its refusal makes the peer
// try the next address.
func TestLocalhost(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "localhost", s.Port())
	if err := p.PutData([]byte("hi")); err != nil {
		t.Fatalf("PutData = %v", err)
	}
	got := make([]byte, 2)
	if err := p.GetData(got); err != nil || string(got) != "hi" {
		t.Fatalf("GetData = %q, %v; want \"hi\", nil", got, err)
	}
	if got := p.ConnectedHost(); got != "127.0.0.1" {
		t.Errorf("ConnectedHost = %q; want 127.0.0.1", got)
	}
}

// TestEveryAddressInOrder hands the peer a lookup result whose first
// addresses refuse, and checks that it ends on the one that listens.
func TestEveryAddressInOrder(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := new(TCP)
	defer p.Close()
	addrs := []string{"127.0.0.2", "127.0.0.3", "127.0.0.1"}
	if hasIPv6Loopback() {
		addrs = append([]string{"::1"}, addrs...)
	}
	j := &resolveJob{cancel: func() {}, done: make(chan struct{})}
	for _, a := range addrs {
		j.addrs = append(j.addrs, mustAddr(t, a))
	}
	close(j.done)
	p.status, p.port, p.job = StatusConnecting, s.Port(), j
	if err := p.WaitConnected(5 * time.Second); err != nil {
		t.Fatalf("WaitConnected = %v", err)
	}
	if got := p.ConnectedHost(); got != "127.0.0.1" {
		t.Errorf("ConnectedHost = %q; want 127.0.0.1", got)
	}
}

func TestCantResolve(t *testing.T) {
	testpeer.CheckLeaks(t)
	p := new(TCP)
	defer p.Close()
	p.SetResolver(&net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return nil, errors.New("no DNS here")
	}})
	if err := p.ConnectToHost("nothing.invalid", 80); err != nil {
		t.Fatalf("ConnectToHost = %v", err)
	}
	if got := p.Status(); got != StatusConnecting {
		t.Errorf("Status while resolving = %v; want connecting", got)
	}
	err := p.WaitConnected(5 * time.Second)
	wantErr(t, "WaitConnected", err, ErrCantResolve)
	if got := p.Status(); got != StatusError {
		t.Errorf("Status = %v; want error", got)
	}
}

// TestCloseJoinsResolver disconnects during a lookup that would never end
// by itself; the leak check sees the goroutine gone.
func TestCloseJoinsResolver(t *testing.T) {
	testpeer.CheckLeaks(t)
	p := new(TCP)
	p.SetResolver(&net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}})
	if err := p.ConnectToHost("slow.invalid", 80); err != nil {
		t.Fatalf("ConnectToHost = %v", err)
	}
	if err := p.WaitConnected(50 * time.Millisecond); err != errTimeout {
		t.Errorf("WaitConnected = %v; want ErrTimeout", err)
	}
	p.DisconnectFromHost()
	if got := p.Status(); got != StatusNone {
		t.Errorf("Status = %v; want none", got)
	}
}

func TestAvailableBytes(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) {
		_, _ = c.Write(make([]byte, 100))
		_, _ = c.Read(make([]byte, 1))
	})
	p := dial(t, "127.0.0.1", s.Port())
	deadline := time.Now().Add(5 * time.Second)
	for p.AvailableBytes() < 100 && time.Now().Before(deadline) {
		_ = p.WaitReadable(100 * time.Millisecond)
	}
	if got := p.AvailableBytes(); got != 100 {
		t.Errorf("AvailableBytes = %d; want 100", got)
	}
	n, err := p.GetPartialData(make([]byte, 60))
	if n != 60 || err != nil {
		t.Errorf("GetPartialData = %d, %v; want 60, nil", n, err)
	}
	if got := p.AvailableBytes(); got != 40 {
		t.Errorf("AvailableBytes = %d; want 40", got)
	}
	if got := new(TCP).AvailableBytes(); got != 0 {
		t.Errorf("AvailableBytes of a new peer = %d; want 0", got)
	}
}

func TestEAGAIN(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "127.0.0.1", s.Port())
	n, err := p.GetPartialData(make([]byte, 8))
	if n != 0 || err != nil {
		t.Errorf("GetPartialData with nothing sent = %d, %v; want 0, nil", n, err)
	}
	if err := p.WaitReadable(20 * time.Millisecond); err != errTimeout {
		t.Errorf("WaitReadable = %v; want ErrTimeout", err)
	}
}

func TestOptions(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := new(TCP)
	defer p.Close()
	port := freePort(t)
	if err := p.Bind(port, "127.0.0.1"); err != nil {
		t.Fatalf("Bind = %v", err)
	}
	if err := p.SetKeepAlive(2 * time.Second); err != nil {
		t.Fatalf("SetKeepAlive = %v", err)
	}
	if err := p.ConnectToHost("127.0.0.1", s.Port()); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitConnected(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if got := p.LocalPort(); got != port {
		t.Errorf("LocalPort = %d; want the bound %d", got, port)
	}
	fd, _ := p.socket()
	opt := func(level, name int) int {
		v, err := unix.GetsockoptInt(fd, level, name)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := opt(unix.IPPROTO_TCP, unix.TCP_NODELAY); got != 1 {
		t.Errorf("TCP_NODELAY = %d; want 1 by default", got)
	}
	if got := opt(unix.SOL_SOCKET, unix.SO_KEEPALIVE); got != 1 {
		t.Errorf("SO_KEEPALIVE = %d; want 1", got)
	}
	if got := opt(unix.IPPROTO_TCP, unix.TCP_KEEPIDLE); got != 2 {
		t.Errorf("TCP_KEEPIDLE = %d; want 2", got)
	}
	if err := p.SetNoDelay(false); err != nil {
		t.Fatal(err)
	}
	if got := opt(unix.IPPROTO_TCP, unix.TCP_NODELAY); got != 0 {
		t.Errorf("TCP_NODELAY after SetNoDelay(false) = %d; want 0", got)
	}
	if err := p.SetKeepAlive(0); err != nil {
		t.Fatal(err)
	}
	if got := opt(unix.SOL_SOCKET, unix.SO_KEEPALIVE); got != 0 {
		t.Errorf("SO_KEEPALIVE after SetKeepAlive(0) = %d; want 0", got)
	}
	wantErr(t, "Bind while connected", p.Bind(0, "*"), ErrAlreadyInUse)
}

func TestBindWrongFamily(t *testing.T) {
	testpeer.CheckLeaks(t)
	p := new(TCP)
	defer p.Close()
	if err := p.Bind(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	err := p.ConnectToHost("::1", 80)
	wantErr(t, "IPv6 connect from an IPv4 bind", err, ErrCantConnect)
}

func TestNewTCPFromFD(t *testing.T) {
	testpeer.CheckLeaks(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	p, err := NewTCPFromFD(fds[0])
	if err != nil {
		t.Fatalf("NewTCPFromFD = %v", err)
	}
	defer p.Close()
	if got := p.Status(); got != StatusConnected {
		t.Errorf("Status = %v; want connected", got)
	}
	if _, err := unix.Write(fds[1], []byte("ping")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 4)
	if err := p.GetData(got); err != nil || string(got) != "ping" {
		t.Errorf("GetData = %q, %v; want \"ping\", nil", got, err)
	}
	if n, err := p.GetPartialData(got); n != 0 || err != nil {
		t.Errorf("GetPartialData = %d, %v; want 0, nil (the fd is non-blocking)", n, err)
	}
}

// TestCloseWakesWaits closes a peer while one goroutine waits to read and
// another to write; both return ErrUnconfigured.
func TestCloseWakesWaits(t *testing.T) {
	testpeer.CheckLeaks(t)
	release := make(chan struct{})
	defer close(release)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) { <-release })
	p := dial(t, "127.0.0.1", s.Port())
	// Fill the send buffer so that a write blocks.
	big := make([]byte, 1<<20)
	for {
		n, err := p.PutPartialData(big)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	errs := make(chan error, 2)
	go func() { errs <- p.GetData(make([]byte, 1)) }()
	go func() { errs <- p.PutData(big) }()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	p.Close()
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			wantErr(t, "blocked verb after Close", err, ErrUnconfigured)
		case <-time.After(5 * time.Second):
			t.Fatal("a blocked verb did not return after Close")
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("blocked verbs took %v to return after Close", d)
	}
}

func mustAddr(t *testing.T, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
