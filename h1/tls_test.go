package h1

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

func TestTLS(t *testing.T) {
	pki := testpeer.NewPKI(t)
	srv := testpeer.TLSServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-TLS", fmt.Sprint(r.TLS.Version == tls.VersionTLS12))
		fmt.Fprintf(w, "secure %s", r.URL.Path)
	}))
	port := testpeer.HTTPTestPort(t, srv)
	for _, blocking := range []bool{false, true} {
		t.Run(fmt.Sprint("blocking=", blocking), func(t *testing.T) {
			testpeer.CheckLeaks(t)
			var c Client
			defer c.Close()
			c.SetBlockingMode(blocking)
			if err := c.ConnectToHost("https://127.0.0.1", port, tlsx.Client(pki.Roots, "")); err != nil {
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
	pki := testpeer.NewPKI(t)
	srv := testpeer.TLSServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	port := testpeer.HTTPTestPort(t, srv)
	cases := []struct {
		name string
		opts *tlsx.Options
		want error
		msg  string // the whole message: one prefix, one cause, the name checked
	}{
		{"wrong name", tlsx.Client(pki.Roots, "wrong.example"), tlsx.ErrHostnameMismatch,
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
				testpeer.CheckLeaks(t)
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
		testpeer.CheckLeaks(t)
		opts := tlsx.Client(pki.Roots, "")
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
	testpeer.CheckLeaks(t)
	silent := testpeer.NewRawServer(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	var c Client
	defer c.Close()
	c.SetBlockingMode(true)
	c.Limits.HandshakeTimeout = 300 * time.Millisecond
	if err := c.ConnectToHost("https://127.0.0.1", silent.Port(), tlsx.Client(pki.Roots, "")); err != nil {
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
