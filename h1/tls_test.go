package h1

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/h1dev/h1/tlsx"
)

// testPKI is a CA generated for the test and a leaf for 127.0.0.1, ::1
// and localhost that it signed.
type testPKI struct {
	roots   *x509.CertPool
	cert    tls.Certificate
	certPEM []byte // leaf then CA
	keyPEM  []byte
}

func newPKI(t testing.TB) *testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "h1 test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	p := &testPKI{roots: x509.NewCertPool()}
	p.roots.AddCert(caCert)
	p.certPEM = append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})...)
	p.keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	p.cert, err = tls.X509KeyPair(p.certPEM, p.keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// tlsServer starts an httptest server that speaks TLS 1.2 only.
func tlsServer(t *testing.T, pki *testPKI, h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pki.cert}, MaxVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestTLS(t *testing.T) {
	pki := newPKI(t)
	srv := tlsServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-TLS", fmt.Sprint(r.TLS.Version == tls.VersionTLS12))
		fmt.Fprintf(w, "secure %s", r.URL.Path)
	}))
	port := httptestPort(t, srv)
	for _, blocking := range []bool{false, true} {
		t.Run(fmt.Sprint("blocking=", blocking), func(t *testing.T) {
			checkLeaks(t)
			var c Client
			defer c.Close()
			c.SetBlockingMode(blocking)
			if err := c.ConnectToHost("https://127.0.0.1", port, tlsx.Client(pki.roots, "")); err != nil {
				t.Fatal(err)
			}
			run(t, &c, StatusConnecting, StatusResolving)
			if c.Status() != StatusConnected {
				t.Fatalf("status %v: %v", c.Status(), c.Err())
			}
			if _, ok := c.Connection().(*tlsx.Peer); !ok {
				t.Errorf("Connection() = %T; want *tlsx.Peer", c.Connection())
			}
			for i := 0; i < 5; i++ {
				body, err := fetch(t, &c, MethodGet, fmt.Sprint("/", i), nil, nil)
				if err != nil || string(body) != fmt.Sprint("secure /", i) {
					t.Fatalf("fetch = %q, %v", body, err)
				}
				if v, _ := c.ResponseHeader("X-TLS"); string(v) != "true" {
					t.Errorf("X-TLS = %q", v)
				}
			}
		})
	}
}

func TestTLSHandshakeErrors(t *testing.T) {
	pki := newPKI(t)
	srv := tlsServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	port := httptestPort(t, srv)
	cases := []struct {
		name string
		opts *tlsx.Options
		want error
		msg  string // the whole message: one prefix, one cause, the name checked
	}{
		{"wrong name", tlsx.Client(pki.roots, "wrong.example"), tlsx.ErrHostnameMismatch,
			"h1: tls handshake failed: certificate is not valid for the host name (wrong.example): certificate is valid for localhost, not wrong.example"},
		{"unknown authority", tlsx.Client(x509.NewCertPool(), ""), tlsx.ErrUnknownAuthority,
			"h1: tls handshake failed: certificate signed by an unknown authority (127.0.0.1)"},
		// https:// without options: the system roots, which do not know
		// the test's CA.
		{"verified defaults", nil, tlsx.ErrUnknownAuthority,
			"h1: tls handshake failed: certificate signed by an unknown authority (127.0.0.1)"},
	}
	for _, tc := range cases {
		for _, blocking := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/blocking=%v", tc.name, blocking), func(t *testing.T) {
				checkLeaks(t)
				var c Client
				defer c.Close()
				c.SetBlockingMode(blocking)
				if err := c.ConnectToHost("https://127.0.0.1", port, tc.opts); err != nil {
					t.Fatal(err)
				}
				run(t, &c, StatusConnecting, StatusResolving)
				err := c.Err()
				if c.Status() != StatusTLSHandshakeError || !errors.Is(err, ErrTLSHandshake) || !errors.Is(err, tc.want) {
					t.Errorf("status %v err %v; want tls-handshake-error and %v", c.Status(), err, tc.want)
				}
				if err == nil || err.Error() != tc.msg {
					t.Errorf("message:\n got %v\nwant %s", err, tc.msg)
				}
			})
		}
	}
	// Options the TLS peer refuses: the session cannot even start.
	t.Run("bad options", func(t *testing.T) {
		checkLeaks(t)
		opts := tlsx.Client(pki.roots, "")
		opts.Hello = 99
		var c Client
		defer c.Close()
		if err := c.ConnectToHost("127.0.0.1", port, opts); err != nil {
			t.Fatal(err)
		}
		run(t, &c, StatusConnecting, StatusResolving)
		if c.Status() != StatusTLSHandshakeError || !errors.Is(c.Err(), ErrTLSHandshake) {
			t.Errorf("status %v err %v; want tls-handshake-error", c.Status(), c.Err())
		}
	})
	// A server that never answers the ClientHello: the handshake limit.
	checkLeaks(t)
	silent := newRawServer(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	var c Client
	defer c.Close()
	c.SetBlockingMode(true)
	c.Limits.HandshakeTimeout = 300 * time.Millisecond
	if err := c.ConnectToHost("https://127.0.0.1", silent.Port(), tlsx.Client(pki.roots, "")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	run(t, &c, StatusConnecting, StatusResolving)
	if c.Status() != StatusTLSHandshakeError || !errors.Is(c.Err(), ErrTimeout) && !errors.Is(c.Err(), tlsx.ErrHandshakeTimeout) {
		t.Errorf("silent server: status %v err %v; want a handshake timeout", c.Status(), c.Err())
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("handshake timeout took %v", d)
	}
}
