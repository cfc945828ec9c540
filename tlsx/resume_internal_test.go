package tlsx

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"testing"
	"time"

	utls "github.com/refraction-networking/utls"
)

// netPeer is a minimal blocking StreamPeer over a net.Conn, enough for a
// blocking handshake.
type netPeer struct{ c net.Conn }

func (n netPeer) PutData(p []byte) error { _, err := n.c.Write(p); return err }
func (n netPeer) PutPartialData(p []byte) (int, error) {
	return n.c.Write(p)
}
func (n netPeer) GetData(p []byte) error { _, err := io.ReadFull(n.c, p); return err }
func (n netPeer) GetPartialData(p []byte) (int, error) {
	n.c.SetReadDeadline(time.Now().Add(time.Millisecond))
	k, err := n.c.Read(p)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		err = nil
	}
	return k, err
}
func (n netPeer) AvailableBytes() int { return 0 }

// A resumed handshake still runs the pin check: the check sees the
// resumed session and its failure ends the handshake.
func TestPinsCheckedOnResumption(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srvCfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tc := tls.Server(c, srvCfg)
			tc.Handshake()
			tc.Close()
		}
	}()
	defer func() { ln.Close(); <-done }()

	opts := ClientUnsafe(nil)
	opts.Pins = []Pin{PinOf(leaf)}
	handshake := func(verify func(utls.ConnectionState) error) error {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		var p Peer
		if err := p.Connect(netPeer{c}, "localhost", opts); err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		if verify != nil {
			// The same options, so the same cache partition; only the
			// pin check is swapped for one that watches.
			cfg := opts.config("localhost")
			cfg.VerifyConnection = verify
			p.uc = utls.UClient(&p.w, cfg, utls.HelloGolang)
		}
		return p.Handshake(5 * time.Second)
	}
	if err := handshake(nil); err != nil {
		t.Fatalf("first handshake: %v", err)
	}
	var resumed bool
	err = handshake(func(cs utls.ConnectionState) error {
		resumed = cs.DidResume
		return &Error{Kind: ErrPinMismatch}
	})
	if !resumed {
		t.Fatal("the check did not run on a resumed handshake")
	}
	if !errors.Is(err, ErrPinMismatch) {
		t.Fatalf("resumed handshake = %v; want ErrPinMismatch", err)
	}
}
