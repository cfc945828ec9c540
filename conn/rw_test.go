package conn

import (
	"net"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
	"golang.org/x/sys/unix"
)

// TestVerbAllocs holds the verbs to their budget of no allocation, on the
// way through the runtime poller (GetData, PutData, WaitReadable) as on the
// partial one.
func TestVerbAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := dial(t, "127.0.0.1", s.Port())
	out, in := make([]byte, 64), make([]byte, 64)
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"GetPartialData with nothing to read", func() { _, _ = p.GetPartialData(in) }},
		{"PutData then GetData", func() {
			_ = p.PutData(out)
			_ = p.GetData(in)
		}},
		{"PutPartialData, WaitReadable, GetPartialData", func() {
			_, _ = p.PutPartialData(out)
			for got := 0; got < len(in); {
				n, _ := p.GetPartialData(in[got:])
				got += n
				if n == 0 {
					_ = p.WaitReadable(time.Second)
				}
			}
		}},
		{"WaitReadable timing out", func() { _ = p.WaitReadable(time.Microsecond) }},
	} {
		if got := testing.AllocsPerRun(100, c.f); got != 0 {
			t.Errorf("%s: %v allocations per run; want 0", c.name, got)
		}
	}
}

// TestInterrupt cuts a wait in progress short, and the next wait when none
// is in progress; the wait after that waits again.
func TestInterrupt(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", sink)
	p := dial(t, "127.0.0.1", s.Port())

	errc := make(chan error, 1)
	go func() { errc <- p.WaitReadable(-1) }()
	time.Sleep(50 * time.Millisecond)
	p.Interrupt()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("WaitReadable after Interrupt = %v; want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Interrupt did not wake WaitReadable")
	}

	p.Interrupt()
	start := time.Now()
	if err := p.WaitReadable(5 * time.Second); err != nil || time.Since(start) > time.Second {
		t.Errorf("WaitReadable after an early Interrupt = %v after %v; want nil at once", err, time.Since(start))
	}
	if err := p.WaitReadable(20 * time.Millisecond); err != errTimeout {
		t.Errorf("WaitReadable after that = %v; want ErrTimeout", err)
	}
}

// TestInterruptGetData checks that GetData goes on waiting through an
// Interrupt and through a deadline a timed wait left on the socket.
func TestInterruptGetData(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newServer(t, "tcp4", "127.0.0.1:0", func(c net.Conn) {
		b := make([]byte, 1)
		if _, err := c.Read(b); err != nil {
			return
		}
		time.Sleep(150 * time.Millisecond)
		_, _ = c.Write([]byte("pong"))
	})
	p := dial(t, "127.0.0.1", s.Port())
	if err := p.WaitReadable(10 * time.Millisecond); err != errTimeout {
		t.Fatalf("WaitReadable = %v; want ErrTimeout", err)
	}
	if err := p.PutData([]byte("?")); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	got := make([]byte, 4)
	go func() { errc <- p.GetData(got) }()
	time.Sleep(50 * time.Millisecond)
	p.Interrupt()
	select {
	case err := <-errc:
		if err != nil || string(got) != "pong" {
			t.Errorf("GetData = %q, %v; want \"pong\", nil", got, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("GetData did not return")
	}
}

// TestPartialPeerStaysOffRuntimePoller checks that a peer that never waits
// (one a Loop drives) keeps its descriptor to itself, and that the first
// wait registers it.
func TestPartialPeerStaysOffRuntimePoller(t *testing.T) {
	testpeer.CheckLeaks(t)
	s := newEchoServer(t)
	p := new(TCP)
	defer p.Close()
	if err := p.ConnectToHost("127.0.0.1", s.Port()); err != nil {
		t.Fatal(err)
	}
	for p.Status() == StatusConnecting {
		if err := p.Poll(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := p.PutPartialData([]byte("x")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	for n := 0; n == 0; {
		var err error
		if n, err = p.GetPartialData(b); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	if p.file.Load() != nil {
		t.Error("a peer used only through the partial verbs was registered with the runtime poller")
	}
	if err := p.WaitReadable(time.Millisecond); err != errTimeout {
		t.Errorf("WaitReadable = %v; want ErrTimeout", err)
	}
	if p.file.Load() == nil {
		t.Error("a peer that waited is not registered with the runtime poller")
	}
}

// BenchmarkPartial measures the partial verbs against the bare system call
// on the same socket: GetPartialData with nothing to read (EAGAIN), and
// PutPartialData of 64 bytes to a server that drops them.
func BenchmarkPartial(b *testing.B) {
	b.Run("get-empty/peer", func(b *testing.B) {
		p := benchPeer(b, benchServer(b, sink).Port())
		buf := make([]byte, 64)
		b.ReportAllocs()
		for range b.N {
			if n, err := p.GetPartialData(buf); n != 0 || err != nil {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("get-empty/syscall", func(b *testing.B) {
		p := benchPeer(b, benchServer(b, sink).Port())
		buf := make([]byte, 64)
		b.ReportAllocs()
		for range b.N {
			if _, err := unix.Read(p.fd, buf); err != unix.EAGAIN {
				b.Fatal(err)
			}
		}
	})
	b.Run("put64/peer", func(b *testing.B) {
		p := benchPeer(b, benchServer(b, sink).Port())
		buf := make([]byte, 64)
		b.ReportAllocs()
		for range b.N {
			if _, err := p.PutPartialData(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("put64/syscall", func(b *testing.B) {
		p := benchPeer(b, benchServer(b, sink).Port())
		buf := make([]byte, 64)
		b.ReportAllocs()
		for range b.N {
			if _, err := unix.Write(p.fd, buf); err != nil && err != unix.EAGAIN {
				b.Fatal(err)
			}
		}
	})
}
