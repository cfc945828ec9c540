package conn

import (
	"bytes"
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/streampeer"
	"golang.org/x/sys/unix"
)

func cpuTime(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestBlockedWaitUsesNoCPU blocks for about 300ms, once in WaitReadable
// until its timeout and once in GetData until the server answers, and
// checks the process spent well under 50ms of CPU meanwhile: the waits sleep
// in the runtime poller instead of spinning.
func TestBlockedWaitUsesNoCPU(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) {
		b := make([]byte, 1)
		if _, err := c.Read(b); err != nil {
			return
		}
		time.Sleep(300 * time.Millisecond)
		_, _ = c.Write(b)
	})
	p := dial(t, "127.0.0.1", s.Port())

	before := cpuTime(t)
	if err := p.WaitReadable(300 * time.Millisecond); err != errTimeout {
		t.Fatalf("WaitReadable = %v; want ErrTimeout", err)
	}
	if used := cpuTime(t) - before; used > 50*time.Millisecond {
		t.Errorf("WaitReadable(300ms) used %v of CPU; want < 50ms", used)
	}

	if err := p.PutData([]byte("?")); err != nil {
		t.Fatal(err)
	}
	before = cpuTime(t)
	if err := p.GetData(make([]byte, 1)); err != nil {
		t.Fatalf("GetData = %v", err)
	}
	if used := cpuTime(t) - before; used > 50*time.Millisecond {
		t.Errorf("GetData blocked ~300ms and used %v of CPU; want < 50ms", used)
	}
}

func TestBadInput(t *testing.T) {
	testpeer.CheckLeaks(t)
	p := new(TCP)
	defer p.Close()
	for _, c := range []struct {
		host string
		port int
	}{
		{"127.0.0.1", 0}, {"127.0.0.1", -1}, {"127.0.0.1", 65536},
		{"", 80}, {"bad host", 80}, {"bad\x00host", 80}, {"a/b", 80},
		{"[", 80}, {"fe80::1%no-such-interface", 80},
		{string(bytes.Repeat([]byte("a"), 300)), 80},
	} {
		wantErr(t, "ConnectToHost("+c.host+")", p.ConnectToHost(c.host, c.port), ErrInvalidParameter)
		if got := p.Status(); got != StatusNone {
			t.Errorf("Status after a refused ConnectToHost(%q, %d) = %v; want none", c.host, c.port, got)
		}
	}
	wantErr(t, "Bind(-1)", p.Bind(-1, "*"), ErrInvalidParameter)
	wantErr(t, "Bind(65536)", p.Bind(65536, "*"), ErrInvalidParameter)
	wantErr(t, "Bind(name)", p.Bind(0, "localhost"), ErrInvalidParameter)
	wantErr(t, "SetConnectTimeout(0)", p.SetConnectTimeout(0), ErrInvalidParameter)
	wantErr(t, "SetKeepAlive(-1)", p.SetKeepAlive(-time.Second), ErrInvalidParameter)

	// Verbs without a connection.
	b := make([]byte, 1)
	_, err := p.GetPartialData(b)
	wantErr(t, "GetPartialData unconnected", err, ErrUnconfigured)
	_, err = p.PutPartialData(b)
	wantErr(t, "PutPartialData unconnected", err, ErrUnconfigured)
	wantErr(t, "GetData unconnected", p.GetData(b), ErrUnconfigured)
	wantErr(t, "PutData unconnected", p.PutData(b), ErrUnconfigured)
	wantErr(t, "WaitReadable unconnected", p.WaitReadable(time.Second), ErrUnconfigured)
	wantErr(t, "WaitWritable unconnected", p.WaitWritable(time.Second), ErrUnconfigured)
	wantErr(t, "WaitConnected unconnected", p.WaitConnected(time.Second), ErrUnconfigured)
	if err := p.Poll(); err != nil {
		t.Errorf("Poll unconnected = %v; want nil", err)
	}
	if p.ConnectedHost() != "" || p.ConnectedPort() != 0 || p.LocalPort() != 0 {
		t.Errorf("addresses of an unconnected peer = %q %d %d; want empty", p.ConnectedHost(), p.ConnectedPort(), p.LocalPort())
	}

	// Wrong status.
	s := newEchoServer(t)
	if err := p.ConnectToHost("127.0.0.1", s.Port()); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "ConnectToHost while connecting", p.ConnectToHost("127.0.0.1", s.Port()), ErrAlreadyInUse)
	if err := p.WaitConnected(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "ConnectToHost while connected", p.ConnectToHost("127.0.0.1", s.Port()), ErrAlreadyInUse)
	wantErr(t, "Bind while connected", p.Bind(0, "*"), ErrAlreadyInUse)

	// Use after close.
	p.Close()
	p.Close() // twice is fine
	wantErr(t, "PutData after Close", p.PutData(b), ErrUnconfigured)
	wantErr(t, "GetData after Close", p.GetData(b), ErrUnconfigured)

	// Foreign descriptors.
	_, err = NewTCPFromFD(-1)
	wantErr(t, "NewTCPFromFD(-1)", err, ErrInvalidParameter)
	udp, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(udp)
	_, err = NewTCPFromFD(udp)
	wantErr(t, "NewTCPFromFD(udp)", err, ErrInvalidParameter)
	tcp, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(tcp)
	_, err = NewTCPFromFD(tcp)
	wantErr(t, "NewTCPFromFD(unconnected)", err, ErrUnconfigured)

	// Loop misuse.
	l, err := NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "Loop.Add(nil)", l.Add(nil, Readable, func(*TCP, Events) {}), ErrInvalidParameter)
	wantErr(t, "Loop.Add(unconnected)", l.Add(new(TCP), Readable, func(*TCP, Events) {}), ErrUnconfigured)
	wantErr(t, "Loop.Remove(unknown)", l.Remove(new(TCP)), ErrInvalidParameter)
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "Loop.Start twice", l.Start(), ErrAlreadyInUse)
	wantErr(t, "Loop.Run while started", l.Run(), ErrAlreadyInUse)
	if err := l.Close(); err != nil {
		t.Fatalf("Loop.Close = %v", err)
	}
	wantErr(t, "Loop.Close twice", l.Close(), ErrUnconfigured)
	wantErr(t, "Loop.Start after Close", l.Start(), ErrUnconfigured)
	q := dial(t, "127.0.0.1", s.Port())
	wantErr(t, "Loop.Add after Close", l.Add(q, Readable, func(*TCP, Events) {}), ErrUnconfigured)
}

func TestErrorMessages(t *testing.T) {
	for _, err := range []error{ErrCantResolve, ErrCantConnect, ErrConnection, ErrAlreadyInUse, ErrInvalidParameter, ErrUnconfigured} {
		msg := err.Error()
		if len(msg) < 4 || msg[:4] != "h1: " || bytes.ToLower([]byte(msg)) == nil || string(bytes.ToLower([]byte(msg))) != msg {
			t.Errorf("error message %q; want lowercase, starting with \"h1: \"", msg)
		}
	}
	for s, want := range map[Status]string{StatusNone: "none", StatusConnecting: "connecting", StatusConnected: "connected", StatusError: "error", 9: "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("Status(%d).String() = %q; want %q", s, got, want)
		}
	}
}

// TestNetConnDeadlines runs streampeer.NewConn over a TCP peer: a read
// deadline fails a read in time, a deadline moved while a read waits
// holds at once, and Close wakes a blocked read.
func TestNetConnDeadlines(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "127.0.0.1", s.Port())
	c := streampeer.NewConn(p, nil, nil)
	defer c.Close()

	if _, err := c.Write([]byte("abc")); err != nil {
		t.Fatalf("Write = %v", err)
	}
	buf := make([]byte, 3)
	if n, err := c.Read(buf); err != nil || n == 0 {
		t.Fatalf("Read = %d, %v", n, err)
	}

	drain(c)
	_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	start := time.Now()
	_, err := c.Read(buf)
	d := time.Since(start)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read past the deadline = %v; want os.ErrDeadlineExceeded", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("Read past the deadline = %v; want a net.Error with Timeout()", err)
	}
	if d < 50*time.Millisecond || d > 2*time.Second {
		t.Errorf("Read returned after %v; want about 100ms", d)
	}

	// Moving the deadline while a read waits.
	_ = c.SetReadDeadline(time.Time{})
	errc := make(chan error, 1)
	go func() {
		_, err := c.Read(buf)
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	start = time.Now()
	_ = c.SetReadDeadline(time.Now())
	select {
	case err := <-errc:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("blocked Read after SetReadDeadline(now) = %v; want os.ErrDeadlineExceeded", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a blocked Read ignored a new deadline")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("blocked Read took %v to see its new deadline", d)
	}

	// Write deadline in the past.
	_ = c.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := c.Write([]byte("x")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Write past the deadline = %v; want os.ErrDeadlineExceeded", err)
	}

	// Close wakes a blocked read.
	_ = c.SetDeadline(time.Time{})
	go func() {
		_, err := c.Read(buf)
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	c.Close()
	select {
	case err := <-errc:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("blocked Read after Close = %v; want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a blocked Read did not return after Close")
	}
}

func drain(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	buf := make([]byte, 64)
	for {
		if _, err := c.Read(buf); err != nil {
			break
		}
	}
}

// TestLoopEcho drives 50 connections from one Loop goroutine: each sends
// messages and checks the echoes, level-triggered for half of them and
// edge-triggered for the others.
func TestLoopEcho(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	l, err := NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	const conns, msgs, size = 50, 20, 1000
	var wg sync.WaitGroup
	var failed atomic.Value
	type state struct {
		out, in  []byte
		sent, rx int
		edge     bool
	}
	peers := make([]*TCP, conns)
	for i := range peers {
		p := new(TCP)
		if err := p.ConnectToHost("127.0.0.1", s.Port()); err != nil {
			t.Fatal(err)
		}
		peers[i] = p
		st := &state{out: bytes.Repeat([]byte{byte(i)}, msgs*size), in: make([]byte, 0, msgs*size), edge: i%2 == 1}
		interest := Readable | Writable
		if st.edge {
			interest |= EdgeTriggered
		}
		buf := make([]byte, 4096)
		wg.Add(1)
		handler := func(p *TCP, ev Events) {
			if p.Status() == StatusConnecting {
				if err := p.Poll(); err != nil {
					failed.Store(err)
					wg.Done()
					return
				}
			}
			for st.sent < len(st.out) {
				n, err := p.PutPartialData(st.out[st.sent:min(st.sent+size, len(st.out))])
				if err != nil {
					failed.Store(err)
					return
				}
				st.sent += n
				if n == 0 {
					break
				}
			}
			if st.sent == len(st.out) && !st.edge {
				_ = l.Modify(p, Readable) // nothing left to write
			}
			for {
				n, err := p.GetPartialData(buf)
				if err != nil {
					failed.Store(err)
					return
				}
				if n == 0 {
					break
				}
				st.in = append(st.in, buf[:n]...)
			}
			if len(st.in) == len(st.out) && st.rx == 0 {
				st.rx = 1
				if !bytes.Equal(st.in, st.out) {
					failed.Store(errors.New("echo differs"))
				}
				_ = l.Remove(p)
				wg.Done()
			}
		}
		if err := l.Add(p, interest, handler); err != nil {
			t.Fatalf("Add = %v", err)
		}
	}
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("the loop did not finish the echoes in time")
	}
	if err := l.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	if err, _ := failed.Load().(error); err != nil {
		t.Errorf("handler: %v", err)
	}
	for _, p := range peers {
		p.Close()
	}
	<-done
}

// TestLoopRun runs the loop on the test's goroutine; Close from another
// goroutine makes Run return nil.
func TestLoopRun(t *testing.T) {
	testpeer.CheckLeaks(t)
	l, err := NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		_ = l.Close()
	}()
	if err := l.Run(); err != nil {
		t.Errorf("Run = %v; want nil after Close", err)
	}
}

// TestLoopAllocs checks that dispatching an event allocates nothing.
func TestLoopAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "127.0.0.1", s.Port())
	l, err := NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{}, 1)
	buf := make([]byte, 64)
	if err := l.Add(p, Readable, func(p *TCP, ev Events) {
		if n, _ := p.GetPartialData(buf); n > 0 {
			got <- struct{}{}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	msg := []byte("x")
	allocs := testing.AllocsPerRun(200, func() {
		_ = p.PutData(msg)
		<-got
	})
	if allocs != 0 {
		t.Errorf("allocations per echoed event = %v; want 0", allocs)
	}
}

func TestReadWait(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := newEchoServer(t)
	defer srv.Close()
	p := dial(t, "127.0.0.1", srv.Port())
	defer p.Close()
	buf := make([]byte, 16)
	// The first call registers the socket; later ones read through it.
	for i := range 3 {
		msg := []byte{'a' + byte(i), 'b', 'c'}
		if err := p.PutData(msg); err != nil {
			t.Fatal(err)
		}
		n, err := p.ReadWait(buf)
		if err != nil || string(buf[:n]) != string(msg[:n]) || n == 0 {
			t.Fatalf("ReadWait = %d %q, %v; want a prefix of %q", n, buf[:n], err, msg)
		}
		for got := n; got < len(msg); {
			m, err := p.ReadWait(buf)
			if err != nil {
				t.Fatal(err)
			}
			got += m
		}
	}
	// Interrupt cuts a wait short with 0, nil.
	time.AfterFunc(50*time.Millisecond, p.Interrupt)
	start := time.Now()
	if n, err := p.ReadWait(buf); n != 0 || err != nil {
		t.Fatalf("interrupted ReadWait = %d, %v; want 0, nil", n, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("ReadWait took %v after Interrupt", d)
	}
	// The connection still works after the interrupt.
	if err := p.PutData([]byte("z")); err != nil {
		t.Fatal(err)
	}
	if n, err := p.ReadWait(buf); n != 1 || err != nil || buf[0] != 'z' {
		t.Fatalf("ReadWait after Interrupt = %d %q, %v", n, buf[:n], err)
	}
}
