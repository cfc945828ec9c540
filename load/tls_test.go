package load

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
)

// tlsServer is a net/http server over TLS 1.2 (session tickets on, as by
// default) that counts its requests and the handshakes that resumed.
func tlsServer(t *testing.T) (srv *httptest.Server, roots *x509.CertPool, count, resumed *atomic.Int64) {
	t.Helper()
	count, resumed = new(atomic.Int64), new(atomic.Int64)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		if r.TLS != nil && r.TLS.DidResume {
			resumed.Add(1)
		}
		_, _ = io.WriteString(w, "over tls")
	}))
	srv.TLS = &tls.Config{MaxVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots = x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return srv, roots, count, resumed
}

func TestHTTPS(t *testing.T) {
	srv, roots, count, _ := tlsServer(t)
	tg := target(t, srv.URL+"/")
	if !tg.TLS {
		t.Fatalf("ParseURL(%s).TLS = false", srv.URL)
	}
	res, err := Run(Config{Target: tg, Connections: 4, Pipeline: 2, Requests: 400, TLS: tlsx.Client(roots, "")})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	if res.Requests != 400 || res.Errors.Total() != 0 || count.Load() != 400 {
		t.Errorf("requests %d, errors %+v, server %d; want 400, none, 400", res.Requests, res.Errors, count.Load())
	}
	// The handshakes are counted apart: one per connection, none resumed
	// (the first connect of each is a new client), and not in Latency.
	h := res.Handshakes
	if h.Count != 4 || h.Resumed != 0 || h.Latency.TotalCount() != 4 || h.Latency.Max() <= 0 {
		t.Errorf("handshakes %d, resumed %d, histogram %d values, max %d; want 4, 0, 4, > 0",
			h.Count, h.Resumed, h.Latency.TotalCount(), h.Latency.Max())
	}
}

// With Connection: close every request takes a new connection, which
// resumes the session of an earlier one.
func TestHTTPSConnectionCloseResumes(t *testing.T) {
	srv, roots, count, resumed := tlsServer(t)
	tg := target(t, srv.URL+"/")
	tg.Headers = []parser.Header{{Name: []byte("Connection"), Value: []byte("close")}}
	res, err := Run(Config{Target: tg, Connections: 2, Requests: 50, TLS: tlsx.Client(roots, "")})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	h := res.Handshakes
	if res.Requests != 50 || res.Errors.Total() != 0 || count.Load() != 50 {
		t.Errorf("requests %d, errors %+v, server %d; want 50, none, 50", res.Requests, res.Errors, count.Load())
	}
	// One handshake per connect, but for connects the end of the run cut
	// short before their handshake (at most one per connection).
	if h.Count > res.Connects || res.Connects > h.Count+2 || h.Count < 50 {
		t.Errorf("handshakes %d, connects %d; want one per connect (the last one of each connection may be cut short), at least 50", h.Count, res.Connects)
	}
	// Only each connection's first handshake is full.
	if h.Resumed < h.Count-2 || resumed.Load() < 48 {
		t.Errorf("resumed %d of %d handshakes (server saw %d); want all but 2", h.Resumed, h.Count, resumed.Load())
	}
}

// A certificate the trust settings refuse stops Start with ErrTLS and
// the tlsx error kind; nothing is run.
func TestHTTPSRefused(t *testing.T) {
	srv, roots, count, _ := tlsServer(t)
	tg := target(t, srv.URL+"/")
	_, err := Start(Config{Target: tg, Connections: 1, Requests: 1, TLS: tlsx.Client(nil, "")})
	if !errors.Is(err, ErrTLS) || !errors.Is(err, tlsx.ErrUnknownAuthority) {
		t.Errorf("Start with the system roots = %v; want ErrTLS and tlsx.ErrUnknownAuthority", err)
	}
	_, err = Start(Config{Target: tg, Connections: 1, Requests: 1, TLS: tlsx.Client(roots, "other.test")})
	if !errors.Is(err, ErrTLS) || !errors.Is(err, tlsx.ErrHostnameMismatch) {
		t.Errorf("Start with the wrong name = %v; want ErrTLS and tlsx.ErrHostnameMismatch", err)
	}
	if count.Load() != 0 {
		t.Errorf("server answered %d requests; want none", count.Load())
	}
	// The insecure setting takes it.
	res, err := Run(Config{Target: tg, Connections: 1, Requests: 5, Timeout: 5 * time.Second, TLS: tlsx.ClientUnsafe(nil)})
	if err != nil || res.Requests != 5 {
		t.Errorf("Run with ClientUnsafe(nil) = %v; want 5 requests", err)
	}
}

// A server that does not speak TLS fails Start with ErrTLS.
func TestHTTPSPlainServerIsATLSError(t *testing.T) {
	srv, _ := countingServer(t, nil)
	tg := target(t, srv.URL+"/")
	tg.TLS = true
	_, err := Start(Config{Target: tg, Connections: 1, Requests: 1, TLS: tlsx.ClientUnsafe(nil)})
	if !errors.Is(err, ErrTLS) {
		t.Errorf("Start against plain HTTP with TLS = %v; want ErrTLS", err)
	}
}

// rawTLSServer is rawServer over TLS 1.2 (crypto/tls, a key made on the
// spot): a fixed response to every request, from fixed buffers.
func rawTLSServer(tb testing.TB) int {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := &tls.Config{MaxVersion: tls.VersionTLS12, Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ln, err := tls.Listen("tcp4", "127.0.0.1:0", cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go serveFixed(ln)
	return ln.Addr().(*net.TCPAddr).Port
}

// BenchmarkLoopbackTLS is BenchmarkLoopback over TLS 1.2: allocs/op is
// what a request costs the client and the crypto/tls server together,
// an upper bound on the client's share.
func BenchmarkLoopbackTLS(b *testing.B) {
	port := rawTLSServer(b)
	b.ReportAllocs()
	b.ResetTimer()
	res, err := Run(Config{Target: Target{Host: "127.0.0.1", Port: port, TLS: true}, Connections: 16, Requests: int64(b.N), TLS: tlsx.ClientUnsafe(nil)})
	if err != nil {
		b.Fatal(err)
	}
	if res.Requests != int64(b.N) || res.Errors.Total() != 0 {
		b.Fatalf("requests %d, errors %+v; want %d, none", res.Requests, res.Errors, b.N)
	}
}

// failingListener closes every connection it accepts after the first
// ok: the TLS handshakes on them fail.
type failingListener struct {
	net.Listener
	ok, n int
}

func (l *failingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.n++; l.n <= l.ok {
			return c, nil
		}
		c.Close()
	}
}

// Handshakes that fail during the run are TLS errors: the connection
// tries again, and the run goes on.
func TestHTTPSHandshakeFailuresAreTLSErrors(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "once")
	}))
	srv.Listener = &failingListener{Listener: srv.Listener, ok: 2} // the probe's and the first connection's
	srv.TLS = &tls.Config{MaxVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	tg := target(t, srv.URL+"/")
	tg.Headers = []parser.Header{{Name: []byte("Connection"), Value: []byte("close")}}
	res, err := Run(Config{Target: tg, Connections: 1, Duration: 300 * time.Millisecond, TLS: tlsx.ClientUnsafe(nil)})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	if res.Requests != 1 || res.Errors.TLS == 0 || res.Errors.Total() != res.Errors.TLS || res.Handshakes.Count != 1 {
		t.Errorf("requests %d, errors %+v, handshakes %d; want 1 request, only TLS errors, 1 handshake",
			res.Requests, res.Errors, res.Handshakes.Count)
	}
}
