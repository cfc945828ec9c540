package tlsx_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"slices"
	"testing"

	"github.com/h1dev/h1/tlsx"
)

func TestGoServerTLS12(t *testing.T) {
	f := certs(t)
	srv := startGoServer(t, serverConfig(f.good), echo)
	for _, h := range hellos {
		t.Run(h.name, func(t *testing.T) {
			for _, host := range []string{"localhost", "127.0.0.1"} {
				p := mustConnect(t, srv.port, host, withHello(tlsx.Client(f.ca.roots, ""), h.hello))
				st := p.ConnectionState()
				if st.Version != tls.VersionTLS12 {
					t.Errorf("Version = %x; want TLS 1.2", st.Version)
				}
				if st.VersionName() != "TLS 1.2" {
					t.Errorf("VersionName = %q", st.VersionName())
				}
				if st.CipherSuiteName() == "" || st.CipherSuite == 0 {
					t.Errorf("CipherSuite = %x %q", st.CipherSuite, st.CipherSuiteName())
				}
				if st.NegotiatedProtocol != "http/1.1" {
					t.Errorf("NegotiatedProtocol = %q; want http/1.1", st.NegotiatedProtocol)
				}
				if len(st.PeerCertificates) != 1 || !st.PeerCertificates[0].Equal(f.good.Leaf) {
					t.Errorf("PeerCertificates = %d certs; want the server's leaf", len(st.PeerCertificates))
				}
				if len(st.VerifiedChains) == 0 {
					t.Errorf("VerifiedChains is empty")
				}
				roundTrip(t, p, "hello", "hello")
			}
		})
	}
}

func TestOpenSSLTLS12(t *testing.T) {
	f := certs(t)
	port := startOpenSSL(t, f.good, "-tls1_2")
	for _, h := range hellos {
		t.Run(h.name, func(t *testing.T) {
			p := mustConnect(t, port, "localhost", withHello(tlsx.Client(f.ca.roots, ""), h.hello))
			if v := p.ConnectionState().Version; v != tls.VersionTLS12 {
				t.Errorf("Version = %x; want TLS 1.2", v)
			}
			roundTrip(t, p, "hello\n", "olleh\n")
		})
	}
}

func TestProtocolVersion(t *testing.T) {
	f := certs(t)
	tls13 := serverConfig(f.good)
	tls13.MinVersion = tls.VersionTLS13
	// Servers of the TLS 1.0 era have RSA keys; Chrome's hello offers no
	// ECDSA suite that works before TLS 1.2.
	old := serverConfig(f.goodRSA)
	old.MinVersion, old.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
	servers := []struct {
		name string
		port func(t *testing.T) int
	}{
		{"go-tls13", func(t *testing.T) int { return startGoServer(t, tls13, echo).port }},
		{"go-tls10-11", func(t *testing.T) int { return startGoServer(t, old, echo).port }},
		{"openssl-tls13", func(t *testing.T) int { return startOpenSSL(t, f.good, "-tls1_3") }},
		{"openssl-tls11", func(t *testing.T) int { return startOpenSSL(t, f.goodRSA, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0") }},
		{"openssl-tls10", func(t *testing.T) int { return startOpenSSL(t, f.goodRSA, "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0") }},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			port := s.port(t)
			for _, h := range hellos {
				p, err := connect(t, port, "localhost", withHello(tlsx.Client(f.ca.roots, ""), h.hello))
				wantErr(t, err, tlsx.ErrProtocolVersion)
				if p.Status() != tlsx.StatusError {
					t.Errorf("%s: Status = %v; want error", h.name, p.Status())
				}
				if !errors.Is(p.Err(), tlsx.ErrProtocolVersion) {
					t.Errorf("%s: Err = %v", h.name, p.Err())
				}
			}
		})
	}
}

// certCase is a certificate the server presents and what the client makes
// of it.
type certCase struct {
	name   string
	cert   func(*fixtures) tls.Certificate
	opts   func(*fixtures) *tlsx.Options
	want   error // nil: the handshake succeeds
	status tlsx.Status
	as     any // a pointer errors.As must fill, or nil
}

var certCases = []certCase{
	{"good", func(f *fixtures) tls.Certificate { return f.good },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(f.ca.roots, "") }, nil, tlsx.StatusConnected, nil},
	{"wrong-name", func(f *fixtures) tls.Certificate { return f.wrongName },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(f.ca.roots, "") },
		tlsx.ErrHostnameMismatch, tlsx.StatusErrorHostnameMismatch, new(x509.HostnameError)},
	{"unknown-ca", func(f *fixtures) tls.Certificate { return f.untrusted },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(f.ca.roots, "") },
		tlsx.ErrUnknownAuthority, tlsx.StatusError, new(x509.UnknownAuthorityError)},
	{"expired", func(f *fixtures) tls.Certificate { return f.expired },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(f.ca.roots, "") },
		tlsx.ErrCertificateExpired, tlsx.StatusError, new(x509.CertificateInvalidError)},
	{"system-roots", func(f *fixtures) tls.Certificate { return f.good },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(nil, "") },
		tlsx.ErrUnknownAuthority, tlsx.StatusError, nil},
	{"unsafe-wrong-name", func(f *fixtures) tls.Certificate { return f.wrongName },
		func(f *fixtures) *tlsx.Options { return tlsx.ClientUnsafe(f.ca.roots) }, nil, tlsx.StatusConnected, nil},
	{"unsafe-unknown-ca", func(f *fixtures) tls.Certificate { return f.untrusted },
		func(f *fixtures) *tlsx.Options { return tlsx.ClientUnsafe(f.ca.roots) },
		tlsx.ErrUnknownAuthority, tlsx.StatusError, nil},
	{"unsafe-expired", func(f *fixtures) tls.Certificate { return f.expired },
		func(f *fixtures) *tlsx.Options { return tlsx.ClientUnsafe(f.ca.roots) },
		tlsx.ErrCertificateExpired, tlsx.StatusError, nil},
	{"unsafe-nil-unknown-ca", func(f *fixtures) tls.Certificate { return f.untrusted },
		func(f *fixtures) *tlsx.Options { return tlsx.ClientUnsafe(nil) }, nil, tlsx.StatusConnected, nil},
	{"unsafe-nil-expired-wrong", func(f *fixtures) tls.Certificate { return f.expired },
		func(f *fixtures) *tlsx.Options { return tlsx.ClientUnsafe(nil) }, nil, tlsx.StatusConnected, nil},
	{"override", func(f *fixtures) tls.Certificate { return f.override },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(f.ca.roots, "override.test") }, nil, tlsx.StatusConnected, nil},
	{"override-needed", func(f *fixtures) tls.Certificate { return f.override },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(f.ca.roots, "") },
		tlsx.ErrHostnameMismatch, tlsx.StatusErrorHostnameMismatch, nil},
	{"override-wrong", func(f *fixtures) tls.Certificate { return f.good },
		func(f *fixtures) *tlsx.Options { return tlsx.Client(f.ca.roots, "override.test") },
		tlsx.ErrHostnameMismatch, tlsx.StatusErrorHostnameMismatch, nil},
	{"pin-leaf", func(f *fixtures) tls.Certificate { return f.good },
		func(f *fixtures) *tlsx.Options {
			o := tlsx.Client(f.ca.roots, "")
			o.Pins = []tlsx.Pin{tlsx.PinOf(f.good.Leaf)}
			return o
		}, nil, tlsx.StatusConnected, nil},
	{"pin-root", func(f *fixtures) tls.Certificate { return f.good },
		func(f *fixtures) *tlsx.Options {
			o := tlsx.Client(f.ca.roots, "")
			o.Pins = []tlsx.Pin{tlsx.PinOf(f.otherCA.cert), tlsx.PinOf(f.ca.cert)}
			return o
		}, nil, tlsx.StatusConnected, nil},
	{"pin-bad", func(f *fixtures) tls.Certificate { return f.good },
		func(f *fixtures) *tlsx.Options {
			o := tlsx.Client(f.ca.roots, "")
			o.Pins = []tlsx.Pin{tlsx.PinOf(f.otherCA.cert)}
			return o
		}, tlsx.ErrPinMismatch, tlsx.StatusError, nil},
	{"pin-unsafe-nil", func(f *fixtures) tls.Certificate { return f.untrusted },
		func(f *fixtures) *tlsx.Options {
			o := tlsx.ClientUnsafe(nil)
			o.Pins = []tlsx.Pin{tlsx.PinOf(f.untrusted.Leaf)}
			return o
		}, nil, tlsx.StatusConnected, nil},
	{"pin-unsafe-nil-bad", func(f *fixtures) tls.Certificate { return f.untrusted },
		func(f *fixtures) *tlsx.Options {
			o := tlsx.ClientUnsafe(nil)
			o.Pins = []tlsx.Pin{tlsx.PinOf(f.good.Leaf)}
			return o
		}, tlsx.ErrPinMismatch, tlsx.StatusError, nil},
}

func runCertCase(t *testing.T, c certCase, port int, f *fixtures, reply func(*tlsx.Peer)) {
	for _, h := range hellos {
		p, err := connect(t, port, "localhost", withHello(c.opts(f), h.hello))
		if c.want == nil {
			if err != nil {
				t.Fatalf("%s: Handshake = %v; want nil", h.name, err)
			}
			reply(p)
		} else {
			wantErr(t, err, c.want)
			if c.as != nil && !errors.As(err, c.as) {
				t.Errorf("%s: errors.As(%v, %T) = false", h.name, err, c.as)
			}
		}
		if p.Status() != c.status {
			t.Errorf("%s: Status = %v; want %v", h.name, p.Status(), c.status)
		}
		p.Close() // openssl s_server serves one connection at a time
	}
}

func TestCertificatesGoServer(t *testing.T) {
	f := certs(t)
	for _, c := range certCases {
		t.Run(c.name, func(t *testing.T) {
			srv := startGoServer(t, serverConfig(c.cert(f)), echo)
			runCertCase(t, c, srv.port, f, func(p *tlsx.Peer) { roundTrip(t, p, "ping", "ping") })
		})
	}
}

func TestCertificatesOpenSSL(t *testing.T) {
	f := certs(t)
	for _, c := range certCases {
		switch c.name {
		case "good", "wrong-name", "unknown-ca", "expired", "override", "pin-bad", "unsafe-nil-unknown-ca":
		default:
			continue // the Go server covers the rest
		}
		t.Run(c.name, func(t *testing.T) {
			port := startOpenSSL(t, c.cert(f), "-tls1_2")
			runCertCase(t, c, port, f, func(p *tlsx.Peer) { roundTrip(t, p, "ping\n", "gnip\n") })
		})
	}
}

func TestOverrideKeepsSNI(t *testing.T) {
	f := certs(t)
	names := make(chan string, 4)
	cfg := serverConfig(f.override)
	cfg.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		names <- h.ServerName
		return nil, nil
	}
	srv := startGoServer(t, cfg, echo)
	mustConnect(t, srv.port, "localhost", tlsx.Client(f.ca.roots, "override.test"))
	if got := <-names; got != "localhost" {
		t.Errorf("SNI = %q; want localhost", got)
	}
}

// TestClientHello records what each hello offers: TLS 1.2 only, no TLS 1.3
// suite or extension, ALPN http/1.1 only, SNI for names and none for IP
// addresses.
func TestClientHello(t *testing.T) {
	f := certs(t)
	hellosSeen := make(chan *tls.ClientHelloInfo, 4)
	cfg := serverConfig(f.good)
	cfg.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		hellosSeen <- h
		return nil, nil
	}
	srv := startGoServer(t, cfg, echo)
	tls13Exts := map[uint16]string{
		41: "pre_shared_key", 42: "early_data", 43: "supported_versions", 44: "cookie",
		45: "psk_key_exchange_modes", 51: "key_share", 27: "compress_certificate",
		17513: "application_settings", 17613: "application_settings(new)", 0xfe0d: "encrypted_client_hello",
	}
	for _, h := range hellos {
		t.Run(h.name, func(t *testing.T) {
			for _, host := range []string{"localhost", "127.0.0.1"} {
				mustConnect(t, srv.port, host, withHello(tlsx.Client(f.ca.roots, ""), h.hello))
				hi := <-hellosSeen
				if slices.Contains(hi.SupportedVersions, tls.VersionTLS13) {
					t.Errorf("%s: SupportedVersions = %x offers TLS 1.3", host, hi.SupportedVersions)
				}
				if !slices.Contains(hi.SupportedVersions, tls.VersionTLS12) {
					t.Errorf("%s: SupportedVersions = %x lacks TLS 1.2", host, hi.SupportedVersions)
				}
				for _, s := range hi.CipherSuites {
					if s >= 0x1301 && s <= 0x1305 {
						t.Errorf("%s: offers TLS 1.3 suite %x", host, s)
					}
				}
				for _, e := range hi.Extensions {
					if e == 43 && h.hello == tlsx.HelloGo {
						// Go always sends supported_versions; it lists
						// TLS 1.2 alone (checked above).
						continue
					}
					if name, ok := tls13Exts[e]; ok {
						t.Errorf("%s: offers extension %d (%s)", host, e, name)
					}
				}
				for _, c := range hi.SupportedCurves {
					if c == tls.X25519MLKEM768 {
						t.Errorf("%s: offers X25519MLKEM768", host)
					}
				}
				if !slices.Equal(hi.SupportedProtos, []string{"http/1.1"}) {
					t.Errorf("%s: ALPN = %q; want [http/1.1]", host, hi.SupportedProtos)
				}
				wantSNI := host
				if host == "127.0.0.1" {
					wantSNI = ""
				}
				if hi.ServerName != wantSNI {
					t.Errorf("%s: SNI = %q; want %q", host, hi.ServerName, wantSNI)
				}
				if h.hello == tlsx.HelloChrome {
					// Chrome's shape: GREASE first among the suites, and
					// the extensions Go's hello lacks.
					if len(hi.CipherSuites) == 0 || hi.CipherSuites[0]&0x0f0f != 0x0a0a {
						t.Errorf("%s: first suite %x is not GREASE", host, hi.CipherSuites)
					}
					for _, e := range []uint16{18 /* SCT */, 23 /* EMS */} {
						if !slices.Contains(hi.Extensions, e) {
							t.Errorf("%s: extension %d missing", host, e)
						}
					}
				}
			}
		})
	}
}
