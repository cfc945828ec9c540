package tlsx_test

import (
	"bufio"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/tlsx"
)

// --- certificates, generated in memory once per test binary ---

type authority struct {
	cert  *x509.Certificate
	key   *ecdsa.PrivateKey
	roots *x509.CertPool
}

type fixtures struct {
	ca, otherCA *authority
	good        tls.Certificate // localhost, 127.0.0.1, ::1, signed by ca
	goodRSA     tls.Certificate // the same with an RSA key
	wrongName   tls.Certificate // other.example, signed by ca
	expired     tls.Certificate // localhost, expired, signed by ca
	untrusted   tls.Certificate // localhost, signed by otherCA
	override    tls.Certificate // override.test only, signed by ca
}

var (
	fixOnce sync.Once
	fix     *fixtures
	fixErr  error
)

func certs(t testing.TB) *fixtures {
	t.Helper()
	fixOnce.Do(func() { fix, fixErr = makeFixtures() })
	if fixErr != nil {
		t.Fatalf("making certificates: %v", fixErr)
	}
	return fix
}

var serial int64

func newAuthority(cn string) (*authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return &authority{cert: cert, key: key, roots: roots}, nil
}

func (a *authority) issue(names []string, notBefore, notAfter time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	return a.issueKey(names, notBefore, notAfter, key, &key.PublicKey)
}

func (a *authority) issueKey(names []string, notBefore, notAfter time.Time, key crypto.Signer, pub crypto.PublicKey) (tls.Certificate, error) {
	serial++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: names[0]},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	if _, ok := pub.(*rsa.PublicKey); ok {
		tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, pub, a.key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func makeFixtures() (*fixtures, error) {
	f := &fixtures{}
	var err error
	if f.ca, err = newAuthority("h1 test root"); err != nil {
		return nil, err
	}
	if f.otherCA, err = newAuthority("h1 other root"); err != nil {
		return nil, err
	}
	now := time.Now()
	valid := func(a *authority, names ...string) (tls.Certificate, error) {
		return a.issue(names, now.Add(-time.Hour), now.Add(12*time.Hour))
	}
	if f.good, err = valid(f.ca, "localhost", "127.0.0.1", "::1"); err != nil {
		return nil, err
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	if f.goodRSA, err = f.ca.issueKey([]string{"localhost", "127.0.0.1"}, now.Add(-time.Hour), now.Add(12*time.Hour), rsaKey, &rsaKey.PublicKey); err != nil {
		return nil, err
	}
	if f.wrongName, err = valid(f.ca, "other.example"); err != nil {
		return nil, err
	}
	if f.expired, err = f.ca.issue([]string{"localhost", "127.0.0.1"}, now.Add(-48*time.Hour), now.Add(-24*time.Hour)); err != nil {
		return nil, err
	}
	if f.untrusted, err = valid(f.otherCA, "localhost", "127.0.0.1"); err != nil {
		return nil, err
	}
	if f.override, err = valid(f.ca, "override.test"); err != nil {
		return nil, err
	}
	return f, nil
}

// --- Go crypto/tls servers ---

// goServer is a crypto/tls server on a loopback port that runs handle for
// every connection.
type goServer struct {
	ln   net.Listener
	port int
	wg   sync.WaitGroup
	mu   sync.Mutex
	open map[net.Conn]bool
}

func startGoServer(t testing.TB, cfg *tls.Config, handle func(*tls.Conn)) *goServer {
	t.Helper()
	return startRawServer(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		handle(tc)
	})
}

// startRawServer runs handle on every TCP connection to a loopback port;
// the connection is closed when handle returns.
func startRawServer(t testing.TB, handle func(net.Conn)) *goServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &goServer{ln: ln, port: ln.Addr().(*net.TCPAddr).Port, open: map[net.Conn]bool{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.open[c] = true
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer func() {
					c.Close()
					s.mu.Lock()
					delete(s.open, c)
					s.mu.Unlock()
				}()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for c := range s.open {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

// echo completes the handshake and sends back what it reads.
func echo(tc *tls.Conn) {
	if tc.Handshake() != nil {
		return
	}
	io.Copy(tc, tc)
	tc.Close()
}

// serverConfig is a TLS 1.2-capable server configuration.
func serverConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}
}

// --- openssl s_server ---

const opensslPath = "/usr/bin/openssl"

// startOpenSSL runs openssl s_server with cert on a free loopback port in
// -rev mode (it sends every line back reversed) and returns the port. The
// server is killed when the test ends.
func startOpenSSL(t *testing.T, cert tls.Certificate, args ...string) int {
	t.Helper()
	if _, err := os.Stat(opensslPath); err != nil {
		t.Fatalf("openssl is required at %s for these tests (make deps installs it): %v", opensslPath, err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	for attempt := 0; attempt < 5; attempt++ {
		port := freePort(t)
		argv := append([]string{"s_server", "-accept", "127.0.0.1:" + strconv.Itoa(port),
			"-cert", certFile, "-key", keyFile, "-rev"}, args...)
		cmd := exec.Command(opensslPath, argv...)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting openssl: %v", err)
		}
		ready := make(chan bool, 1)
		done := make(chan struct{})
		var out strings.Builder
		go func() {
			defer close(done)
			sc := bufio.NewScanner(stdout)
			signalled := false
			for sc.Scan() {
				line := sc.Text()
				if !signalled {
					out.WriteString(line + "\n")
				}
				if !signalled && strings.HasPrefix(line, "ACCEPT") {
					signalled = true
					ready <- true
				}
			}
			if !signalled {
				ready <- false
			}
		}()
		select {
		case ok := <-ready:
			if ok {
				t.Cleanup(func() {
					cmd.Process.Kill()
					<-done
					cmd.Wait()
				})
				return port
			}
			<-done
			cmd.Wait()
			if !strings.Contains(out.String(), "in use") {
				t.Fatalf("openssl s_server %v did not start:\n%s", argv, out.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
			cmd.Wait()
			t.Fatalf("openssl s_server did not start listening in 10s")
		}
	}
	t.Fatal("openssl s_server: no free port")
	return 0
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// --- clients ---

// dial returns a connected raw TCP peer.
func dial(t testing.TB, port int) *conn.TCP {
	t.Helper()
	var c conn.TCP
	if err := c.ConnectToHost("127.0.0.1", port); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitConnected(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	return &c
}

// connect runs a blocking handshake with host on port and returns the
// peer (closed when the test ends) and the handshake's error.
func connect(t testing.TB, port int, host string, opts *tlsx.Options) (*tlsx.Peer, error) {
	t.Helper()
	p := &tlsx.Peer{}
	if err := p.Connect(dial(t, port), host, opts); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p, p.Handshake(5 * time.Second)
}

// mustConnect is connect that fails the test on a handshake error.
func mustConnect(t testing.TB, port int, host string, opts *tlsx.Options) *tlsx.Peer {
	t.Helper()
	p, err := connect(t, port, host, opts)
	if err != nil {
		t.Fatalf("Handshake = %v; want nil", err)
	}
	if p.Status() != tlsx.StatusConnected {
		t.Fatalf("Status = %v; want connected", p.Status())
	}
	return p
}

// roundTrip writes line and reads back len(want) bytes.
func roundTrip(t testing.TB, p *tlsx.Peer, line, want string) {
	t.Helper()
	if err := p.PutData([]byte(line)); err != nil {
		t.Fatalf("PutData = %v", err)
	}
	got := make([]byte, len(want))
	if err := p.GetData(got); err != nil {
		t.Fatalf("GetData = %v", err)
	}
	if string(got) != want {
		t.Fatalf("read %q; want %q", got, want)
	}
}

// wantErr checks that err wraps kind.
func wantErr(t testing.TB, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v; want one wrapping %v", err, kind)
	}
	var e *tlsx.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tlsx.Error", err, err)
	}
}

// hellos lists the two ClientHellos, for table tests.
var hellos = []struct {
	name  string
	hello tlsx.Hello
}{{"go", tlsx.HelloGo}, {"chrome", tlsx.HelloChrome}}

// withHello returns o with h set.
func withHello(o *tlsx.Options, h tlsx.Hello) *tlsx.Options {
	o.Hello = h
	return o
}
