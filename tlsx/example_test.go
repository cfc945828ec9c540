package tlsx_test

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/tlsx"
)

// A blocking session: connect the TCP peer, then the TLS peer over it.
func ExamplePeer_Handshake() {
	tcp := new(conn.TCP)
	if err := tcp.ConnectToHost("example.com", 443); err != nil {
		fmt.Println(err)
		return
	}
	if err := tcp.WaitConnected(10 * time.Second); err != nil {
		fmt.Println(err)
		return
	}
	var p tlsx.Peer
	if err := p.Connect(tcp, "example.com", tlsx.Client(nil, "")); err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	if err := p.Handshake(10 * time.Second); err != nil {
		fmt.Println(p.Status(), err)
		return
	}
	st := p.ConnectionState()
	fmt.Println(st.VersionName(), st.CipherSuiteName(), st.NegotiatedProtocol)
}

// A polled handshake, with a pinned key and Chrome's hello.
func ExamplePeer_Poll() {
	pin, err := tlsx.ParsePin("sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := tlsx.Client(nil, "")
	opts.Pins = []tlsx.Pin{pin}
	opts.Hello = tlsx.HelloChrome

	tcp := new(conn.TCP)
	if err := tcp.ConnectToHost("example.com", 443); err != nil {
		fmt.Println(err)
		return
	}
	var p tlsx.Peer
	defer p.Close()
	for tcp.Status() == conn.StatusConnecting {
		tcp.Poll()
		tcp.WaitWritable(50 * time.Millisecond)
	}
	if err := p.Connect(tcp, "example.com", opts); err != nil {
		fmt.Println(err)
		return
	}
	for p.Status() == tlsx.StatusHandshaking {
		if err := p.Poll(); err != nil {
			fmt.Println(err)
			return
		}
		tcp.WaitReadable(50 * time.Millisecond) // or serve other peers
	}
	fmt.Println(p.Status())
}

// Trusting a private root, and checking a name other than the host.
func ExampleClient() {
	roots := x509.NewCertPool()
	// roots.AppendCertsFromPEM(caPEM)
	opts := tlsx.Client(roots, "internal.example")
	opts.HandshakeTimeout = 5 * time.Second
	fmt.Println(opts.CommonNameOverride, opts.Unsafe, opts.Sessions != nil)
	// Output: internal.example false true
}
