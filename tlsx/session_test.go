package tlsx_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/h1dev/h1/streampeer"
	"github.com/h1dev/h1/tlsx"
)

func TestResumption(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), echo)
	opensslPort := startOpenSSL(t, f.good, "-tls1_2")
	servers := []struct {
		name string
		port int
		msg  string
		want string
	}{{"go", srv.port, "ping", "ping"}, {"openssl", opensslPort, "ping\n", "gnip\n"}}
	for _, s := range servers {
		for _, h := range hellos {
			t.Run(s.name+"/"+h.name, func(t *testing.T) {
				opts := withHello(tlsx.Client(f.ca.roots, ""), h.hello)
				opts.Pins = []tlsx.Pin{tlsx.PinOf(f.good.Leaf)}
				resumed := func(o *tlsx.Options) bool {
					t.Helper()
					p := mustConnect(t, s.port, "localhost", o)
					defer p.Close()
					roundTrip(t, p, s.msg, s.want)
					return p.ConnectionState().DidResume
				}
				if resumed(opts) {
					t.Fatal("first connection: DidResume = true")
				}
				if !resumed(opts) {
					t.Fatal("second connection: DidResume = false; want true")
				}
				// The same roots in another pool are the same trust.
				same := *opts
				same.Roots = x509.NewCertPool()
				same.Roots.AddCert(f.ca.cert)
				if !resumed(&same) {
					t.Error("equal roots in a new pool: DidResume = false; want true")
				}
				// A change of pins, roots or checks starts afresh.
				pins := *opts
				pins.Pins = append(pins.Pins, tlsx.PinOf(f.ca.cert))
				if resumed(&pins) {
					t.Error("after a pin change: DidResume = true")
				}
				roots := *opts
				roots.Roots = x509.NewCertPool()
				roots.Roots.AddCert(f.ca.cert)
				roots.Roots.AddCert(f.otherCA.cert)
				if resumed(&roots) {
					t.Error("after a root change: DidResume = true")
				}
				unsafe := *opts
				unsafe.Unsafe = true
				if resumed(&unsafe) {
					t.Error("after turning off the name check: DidResume = true")
				}
				none := *opts
				none.Sessions = nil
				if resumed(&none) {
					t.Error("without a cache: DidResume = true")
				}
			})
		}
	}
}

func TestCloseNotifyIsEOF(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), func(tc *tls.Conn) {
		if tc.Handshake() != nil {
			return
		}
		tc.Write([]byte("bye"))
		tc.Close() // close_notify, then FIN
	})
	p := mustConnect(t, srv.port, "localhost", tlsx.Client(f.ca.roots, ""))
	got := make([]byte, 3)
	if err := p.GetData(got); err != nil || string(got) != "bye" {
		t.Fatalf("GetData = %q, %v; want bye, nil", got, err)
	}
	if err := p.WaitReadable(5 * time.Second); err != nil {
		t.Fatalf("WaitReadable = %v", err)
	}
	if n, err := p.GetPartialData(got); n != 0 || err != io.EOF {
		t.Fatalf("GetPartialData = %d, %v; want 0, io.EOF", n, err)
	}
	if p.Status() != tlsx.StatusDisconnected {
		t.Errorf("Status = %v; want disconnected", p.Status())
	}
	if err := p.PutData([]byte("x")); !errors.Is(err, tlsx.ErrClosed) {
		t.Errorf("PutData after close_notify = %v; want ErrClosed", err)
	}
	if err := p.GetData(got); err != io.ErrUnexpectedEOF {
		t.Errorf("GetData after close_notify = %v; want io.ErrUnexpectedEOF", err)
	}
}

func TestFINIsTruncation(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), func(tc *tls.Conn) {
		if tc.Handshake() != nil {
			return
		}
		tc.Write([]byte("bye"))
		tc.NetConn().Close() // FIN without close_notify
	})
	p := mustConnect(t, srv.port, "localhost", tlsx.Client(f.ca.roots, ""))
	got := make([]byte, 3)
	if err := p.GetData(got); err != nil || string(got) != "bye" {
		t.Fatalf("GetData = %q, %v; want bye, nil", got, err)
	}
	err := p.GetData(got)
	wantErr(t, err, tlsx.ErrTruncated)
	if p.Status() != tlsx.StatusError {
		t.Errorf("Status = %v; want error", p.Status())
	}
	if _, err := p.GetPartialData(got); !errors.Is(err, tlsx.ErrTruncated) {
		t.Errorf("GetPartialData again = %v; want ErrTruncated", err)
	}
}

// flipConn flips the last byte of every write once armed.
type flipConn struct {
	net.Conn
	armed atomic.Bool
}

func (c *flipConn) Write(p []byte) (int, error) {
	if c.armed.Load() && len(p) > 0 {
		q := append([]byte(nil), p...)
		q[len(q)-1] ^= 0x55
		return c.Conn.Write(q)
	}
	return c.Conn.Write(p)
}

func TestCorruptRecord(t *testing.T) {
	f := certs(t)
	cfg := serverConfig(f.good)
	srv := startRawServer(t, func(c net.Conn) {
		fc := &flipConn{Conn: c}
		tc := tls.Server(fc, cfg)
		if tc.Handshake() != nil {
			return
		}
		buf := make([]byte, 3)
		if _, err := io.ReadFull(tc, buf); err != nil {
			return
		}
		fc.armed.Store(true)
		tc.Write([]byte("secret"))
		io.Copy(io.Discard, c)
	})
	for _, h := range hellos {
		p := mustConnect(t, srv.port, "localhost", withHello(tlsx.Client(f.ca.roots, ""), h.hello))
		if err := p.PutData([]byte("go!")); err != nil {
			t.Fatal(err)
		}
		err := p.GetData(make([]byte, 6))
		wantErr(t, err, tlsx.ErrBadRecord)
		if p.Status() != tlsx.StatusError {
			t.Errorf("Status = %v; want error", p.Status())
		}
		if err := p.PutData([]byte("x")); !errors.Is(err, tlsx.ErrBadRecord) {
			t.Errorf("PutData after a bad record = %v; want the same error", err)
		}
		p.Close()
	}
}

// badServers misbehave during the handshake.
var badServers = []struct {
	name   string
	handle func(net.Conn)
	want   error
	also   error // a cause errors.Is must find too, or nil
}{
	{"garbage", func(c net.Conn) {
		c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
		io.Copy(io.Discard, c)
	}, tlsx.ErrHandshake, nil},
	{"close-after-hello", func(c net.Conn) {
		c.Read(make([]byte, 4096))
	}, tlsx.ErrHandshake, io.ErrUnexpectedEOF},
	{"close-mid-record", func(c net.Conn) {
		c.Read(make([]byte, 4096))
		c.Write([]byte{22, 3, 3, 0, 64, 2, 0, 0, 60, 3, 3})
	}, tlsx.ErrHandshake, io.ErrUnexpectedEOF},
	{"reset", func(c net.Conn) {
		c.Read(make([]byte, 4096))
		c.(*net.TCPConn).SetLinger(0)
	}, tlsx.ErrHandshake, nil},
	{"alert", func(c net.Conn) {
		c.Read(make([]byte, 4096))
		c.Write([]byte{21, 3, 3, 0, 2, 2, 40}) // fatal handshake_failure
	}, tlsx.ErrHandshake, nil},
	{"silent", func(c net.Conn) {
		io.Copy(io.Discard, c)
	}, tlsx.ErrHandshakeTimeout, nil},
}

func TestBadServersBlocking(t *testing.T) {
	for _, s := range badServers {
		t.Run(s.name, func(t *testing.T) {
			srv := startRawServer(t, s.handle)
			for _, h := range hellos {
				p := &tlsx.Peer{}
				if err := p.Connect(dial(t, srv.port), "localhost", withHello(tlsx.ClientUnsafe(nil), h.hello)); err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				err := p.Handshake(300 * time.Millisecond)
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("Handshake took %v", d)
				}
				wantErr(t, err, s.want)
				if s.also != nil && !errors.Is(err, s.also) {
					t.Errorf("error %v does not wrap %v", err, s.also)
				}
				if p.Status() != tlsx.StatusError {
					t.Errorf("Status = %v; want error", p.Status())
				}
				if err2 := p.Handshake(time.Second); err2 != err {
					t.Errorf("Handshake again = %v; want the same error", err2)
				}
				p.Close()
			}
		})
	}
}

func TestBadServersPolled(t *testing.T) {
	for _, s := range badServers {
		t.Run(s.name, func(t *testing.T) {
			srv := startRawServer(t, s.handle)
			for _, h := range hellos {
				base := dial(t, srv.port)
				opts := withHello(tlsx.ClientUnsafe(nil), h.hello)
				opts.HandshakeTimeout = 300 * time.Millisecond
				p := &tlsx.Peer{}
				if err := p.Connect(base, "localhost", opts); err != nil {
					t.Fatal(err)
				}
				deadline := time.Now().Add(3 * time.Second)
				var err error
				for p.Status() == tlsx.StatusHandshaking && time.Now().Before(deadline) {
					err = p.Poll()
					if p.Status() == tlsx.StatusHandshaking {
						base.WaitReadable(50 * time.Millisecond)
					}
				}
				wantErr(t, err, s.want)
				if p.Status() != tlsx.StatusError {
					t.Errorf("Status = %v; want error", p.Status())
				}
				p.Close()
			}
		})
	}
}

// slowConn delays every write, so that a client's reads find nothing.
type slowConn struct{ net.Conn }

func (c slowConn) Write(p []byte) (int, error) {
	time.Sleep(60 * time.Millisecond)
	return c.Conn.Write(p)
}

func TestPollDrivenHandshake(t *testing.T) {
	f := certs(t)
	cfg := serverConfig(f.good)
	srv := startRawServer(t, func(c net.Conn) { echo(tls.Server(slowConn{c}, cfg)) })
	for _, h := range hellos {
		t.Run(h.name, func(t *testing.T) {
			opts := withHello(tlsx.Client(f.ca.roots, ""), h.hello)
			for round := 0; round < 2; round++ { // a full and a resumed handshake
				base := dial(t, srv.port)
				p := &tlsx.Peer{}
				if err := p.Connect(base, "localhost", opts); err != nil {
					t.Fatal(err)
				}
				polls := 0
				deadline := time.Now().Add(5 * time.Second)
				for p.Status() == tlsx.StatusHandshaking {
					if time.Now().After(deadline) {
						t.Fatal("handshake did not finish in 5s")
					}
					start := time.Now()
					if err := p.Poll(); err != nil {
						t.Fatalf("Poll = %v", err)
					}
					if d := time.Since(start); d > 50*time.Millisecond {
						t.Errorf("Poll took %v: it waited for the server", d)
					}
					polls++
					if p.Status() == tlsx.StatusHandshaking {
						base.WaitReadable(time.Second)
					}
				}
				if p.Status() != tlsx.StatusConnected {
					t.Fatalf("Status = %v (%v); want connected", p.Status(), p.Err())
				}
				if polls < 2 {
					t.Errorf("handshake took %d polls; want several", polls)
				}
				if got := p.ConnectionState().DidResume; got != (round == 1) {
					t.Errorf("round %d: DidResume = %v", round, got)
				}
				// The data phase, non-blocking: put, then poll until the
				// echo is decrypted.
				msg := []byte("polled")
				if n, err := p.PutPartialData(msg); n != len(msg) || err != nil {
					t.Fatalf("PutPartialData = %d, %v", n, err)
				}
				for p.AvailableBytes() < len(msg) && time.Now().Before(deadline) {
					if err := p.Poll(); err != nil {
						t.Fatal(err)
					}
					if p.AvailableBytes() == 0 {
						base.WaitReadable(time.Second)
					}
				}
				got := make([]byte, 64)
				n, err := p.GetPartialData(got)
				if err != nil || string(got[:n]) != "polled" {
					t.Fatalf("GetPartialData = %q, %v; want polled", got[:n], err)
				}
				p.Close()
			}
		})
	}
}

// steady returns the number of goroutines once it stops changing.
func steady() int {
	n := runtime.NumGoroutine()
	for i := 0; i < 50; i++ {
		time.Sleep(5 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// settle waits until the number of goroutines is at most want.
func settle(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 100 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

func TestNoGoroutineLeft(t *testing.T) {
	f := certs(t)
	accepted := make(chan struct{}, 1)
	silent := startRawServer(t, func(c net.Conn) {
		accepted <- struct{}{}
		io.Copy(io.Discard, c)
	})
	cfg := serverConfig(f.good)
	good := startRawServer(t, func(c net.Conn) {
		accepted <- struct{}{}
		echo(tls.Server(c, cfg))
	})

	// A handshake parked in its coroutine, then Close.
	base := dial(t, silent.port)
	<-accepted
	before := steady()
	p := &tlsx.Peer{}
	if err := p.Connect(base, "localhost", tlsx.ClientUnsafe(nil)); err != nil {
		t.Fatal(err)
	}
	if err := p.Poll(); err != nil {
		t.Fatal(err)
	}
	if n := runtime.NumGoroutine(); n != before+1 {
		t.Errorf("during a polled handshake: %d goroutines; want %d (one coroutine)", n, before+1)
	}
	p.Close()
	if n := settle(before); n > before {
		t.Errorf("after Close: %d goroutines; want at most %d", n, before)
	}

	// A handshake that times out while polled.
	base = dial(t, silent.port)
	<-accepted
	before = steady()
	opts := tlsx.ClientUnsafe(nil)
	opts.HandshakeTimeout = 50 * time.Millisecond
	if err := p.Connect(base, "localhost", opts); err != nil {
		t.Fatal(err)
	}
	p.Poll()
	time.Sleep(60 * time.Millisecond)
	wantErr(t, p.Poll(), tlsx.ErrHandshakeTimeout)
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("after a timeout: %d goroutines; want %d", n, before)
	}
	p.Close()

	// A blocking handshake starts none; a polled one ends its coroutine
	// with the handshake.
	for _, polled := range []bool{false, true} {
		base := dial(t, good.port)
		<-accepted
		before := steady()
		p := &tlsx.Peer{}
		if err := p.Connect(base, "localhost", tlsx.Client(f.ca.roots, "")); err != nil {
			t.Fatal(err)
		}
		if polled {
			p.Poll()
		}
		if err := p.Handshake(5 * time.Second); err != nil {
			t.Fatal(err)
		}
		if n := runtime.NumGoroutine(); n > before {
			t.Errorf("polled=%v: connected with %d goroutines; want %d", polled, n, before)
		}
		p.Close()
	}
}

// bareStream hides every method of a peer but StreamPeer's.
type bareStream struct{ streampeer.StreamPeer }

func TestBaseWithoutWaiter(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), echo)
	for _, h := range hellos {
		base := dial(t, srv.port)
		p := &tlsx.Peer{}
		if err := p.Connect(bareStream{base}, "localhost", withHello(tlsx.Client(f.ca.roots, ""), h.hello)); err != nil {
			t.Fatal(err)
		}
		if err := p.Handshake(5 * time.Second); err != nil {
			t.Fatalf("Handshake = %v", err)
		}
		roundTrip(t, p, "no waiter", "no waiter")
		if err := p.WaitReadable(0); err != nil && !errors.Is(err, streampeer.ErrTimeout) {
			t.Errorf("WaitReadable = %v", err)
		}
		p.Close()
		base.Close()
	}
}

func TestWholeVerbsFinishTheHandshake(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), echo)
	p := &tlsx.Peer{}
	if err := p.Connect(dial(t, srv.port), "localhost", tlsx.Client(f.ca.roots, "")); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	roundTrip(t, p, "implicit", "implicit")
	if p.Status() != tlsx.StatusConnected {
		t.Errorf("Status = %v", p.Status())
	}
}

func TestBufferedReads(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), echo)
	p := mustConnect(t, srv.port, "localhost", tlsx.Client(f.ca.roots, ""))
	if err := p.PutData([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitReadable(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if n := p.AvailableBytes(); n != 5 {
		t.Fatalf("AvailableBytes = %d; want 5", n)
	}
	two := make([]byte, 2)
	if n, err := p.GetPartialData(two); n != 2 || err != nil || string(two) != "he" {
		t.Fatalf("GetPartialData = %d %q %v", n, two, err)
	}
	if n := p.AvailableBytes(); n != 3 {
		t.Fatalf("AvailableBytes = %d; want 3", n)
	}
	start := time.Now()
	if err := p.WaitReadable(time.Minute); err != nil || time.Since(start) > time.Second {
		t.Fatalf("WaitReadable with bytes buffered = %v after %v; want nil at once", err, time.Since(start))
	}
	if err := p.WaitReadable(50 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	three := make([]byte, 3)
	if err := p.GetData(three); err != nil || string(three) != "llo" {
		t.Fatalf("GetData = %q %v", three, err)
	}
	if err := p.WaitReadable(50 * time.Millisecond); !errors.Is(err, streampeer.ErrTimeout) {
		t.Fatalf("WaitReadable with nothing coming = %v; want ErrTimeout", err)
	}
	if n, err := p.GetPartialData(three); n != 0 || err != nil {
		t.Fatalf("GetPartialData with nothing ready = %d, %v; want 0, nil", n, err)
	}
}

// TestBulkPartial moves 4 MiB each way with the partial verbs only.
func TestBulkPartial(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), echo)
	p := mustConnect(t, srv.port, "localhost", tlsx.Client(f.ca.roots, ""))
	const size = 4 << 20
	out := make([]byte, size)
	for i := range out {
		out[i] = byte(i * 7 / 3)
	}
	in := make([]byte, 0, size)
	buf := make([]byte, 5000) // smaller than a record
	sent := 0
	deadline := time.Now().Add(20 * time.Second)
	for len(in) < size {
		if time.Now().After(deadline) {
			t.Fatalf("stalled: sent %d, received %d", sent, len(in))
		}
		progress := false
		if sent < size {
			n, err := p.PutPartialData(out[sent:min(size, sent+100000)])
			if err != nil {
				t.Fatal(err)
			}
			sent += n
			progress = progress || n > 0
		}
		n, err := p.GetPartialData(buf)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, buf[:n]...)
		progress = progress || n > 0
		if !progress {
			if sent < size {
				p.WaitWritable(10 * time.Millisecond)
			} else {
				p.WaitReadable(time.Second)
			}
		}
	}
	for i := range in {
		if in[i] != out[i] {
			t.Fatalf("byte %d = %d; want %d", i, in[i], out[i])
		}
	}
}

func TestConnectMisuse(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), echo)
	var p tlsx.Peer
	if p.Status() != tlsx.StatusDisconnected {
		t.Errorf("zero Peer: Status = %v", p.Status())
	}
	if _, err := p.GetPartialData(make([]byte, 1)); err != tlsx.ErrNotConnected {
		t.Errorf("GetPartialData on a zero Peer = %v; want ErrNotConnected", err)
	}
	if err := p.PutData([]byte("x")); err != tlsx.ErrNotConnected {
		t.Errorf("PutData on a zero Peer = %v; want ErrNotConnected", err)
	}
	if err := p.Handshake(time.Second); err != tlsx.ErrNotConnected {
		t.Errorf("Handshake on a zero Peer = %v; want ErrNotConnected", err)
	}
	if err := p.Connect(dial(t, srv.port), "", tlsx.Client(f.ca.roots, "")); !errors.Is(err, tlsx.ErrHandshake) {
		t.Errorf("Connect with no host = %v", err)
	}
	base := dial(t, srv.port)
	if err := p.Connect(base, "localhost", tlsx.Client(f.ca.roots, "")); err != nil {
		t.Fatal(err)
	}
	if err := p.Connect(base, "localhost", nil); err != tlsx.ErrInUse {
		t.Errorf("second Connect = %v; want ErrInUse", err)
	}
	if err := p.Handshake(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	if _, err := p.GetPartialData(make([]byte, 1)); err != tlsx.ErrClosed {
		t.Errorf("GetPartialData after Close = %v; want ErrClosed", err)
	}
	// A closed Peer connects again.
	p2 := mustConnect(t, srv.port, "localhost", tlsx.Client(f.ca.roots, ""))
	roundTrip(t, p2, "again", "again")
}
