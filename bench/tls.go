package bench

import (
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/tlsx"
)

// bulkSize is what one operation of the bulk TLS case reads.
const bulkSize = 64 << 10

// tlsCases measure the TLS peer beside Go's crypto/tls client on the same
// server: a full handshake (a new TCP connection each time, no session
// resumption), and bulk reading of application data.
func tlsCases() []Case {
	var hs, bulk *tlsServer
	return []Case{
		{
			Name: "tls/handshake",
			Setup: func() (func(), error) {
				var err error
				hs, err = newTLSServer(func(c *tls.Conn) { _, _ = io.Copy(io.Discard, c) })
				if err != nil {
					return nil, err
				}
				return hs.Close, nil
			},
			H1: func(b *testing.B) {
				opts := &tlsx.Options{Roots: hs.roots}
				b.ReportAllocs()
				for b.Loop() {
					var tcp conn.TCP
					var p tlsx.Peer
					if err := h1TLSConnect(&tcp, &p, hs.port(), opts); err != nil {
						b.Fatal(err)
					}
					tcp.Close()
				}
			},
			NetHTTP: func(b *testing.B) {
				cfg := &tls.Config{RootCAs: hs.roots, ServerName: "127.0.0.1", MaxVersion: tls.VersionTLS12, SessionTicketsDisabled: true}
				addr := "127.0.0.1:" + strconv.Itoa(hs.port())
				b.ReportAllocs()
				for b.Loop() {
					c, err := tls.Dial("tcp4", addr, cfg)
					if err != nil {
						b.Fatal(err)
					}
					c.Close()
				}
			},
		},
		{
			Name: "tls/read-64KiB",
			Setup: func() (func(), error) {
				var err error
				block := make([]byte, bulkSize)
				bulk, err = newTLSServer(func(c *tls.Conn) {
					for {
						if _, err := c.Write(block); err != nil {
							return
						}
					}
				})
				if err != nil {
					return nil, err
				}
				return bulk.Close, nil
			},
			H1: func(b *testing.B) {
				var tcp conn.TCP
				var p tlsx.Peer
				if err := h1TLSConnect(&tcp, &p, bulk.port(), &tlsx.Options{Roots: bulk.roots}); err != nil {
					b.Fatal(err)
				}
				defer tcp.Close()
				buf := make([]byte, bulkSize)
				b.SetBytes(bulkSize)
				b.ReportAllocs()
				for b.Loop() {
					if err := p.GetData(buf); err != nil {
						b.Fatal(err)
					}
				}
			},
			NetHTTP: func(b *testing.B) {
				cfg := &tls.Config{RootCAs: bulk.roots, ServerName: "127.0.0.1", MaxVersion: tls.VersionTLS12}
				c, err := tls.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(bulk.port()), cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				buf := make([]byte, bulkSize)
				b.SetBytes(bulkSize)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := io.ReadFull(c, buf); err != nil {
						b.Fatal(err)
					}
				}
			},
			Floor: func(b *testing.B) {
				// The same bytes over plain TCP from a plain server: what
				// the encryption costs on top.
				block := make([]byte, bulkSize)
				ln, err := net.Listen("tcp4", "127.0.0.1:0")
				if err != nil {
					b.Fatal(err)
				}
				s := serve(ln, func(c net.Conn) {
					for {
						if _, err := c.Write(block); err != nil {
							return
						}
					}
				})
				defer s.Close()
				c, err := net.Dial("tcp4", ln.Addr().String())
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				buf := make([]byte, bulkSize)
				b.SetBytes(bulkSize)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := io.ReadFull(c, buf); err != nil {
						b.Fatal(err)
					}
				}
			},
		},
	}
}

// h1TLSConnect opens a TCP peer to 127.0.0.1:port and runs a TLS
// handshake over it.
func h1TLSConnect(tcp *conn.TCP, p *tlsx.Peer, port int, opts *tlsx.Options) error {
	if err := tcp.ConnectToHost("127.0.0.1", port); err != nil {
		return err
	}
	if err := tcp.WaitConnected(5 * time.Second); err != nil {
		return err
	}
	if err := p.Connect(tcp, "127.0.0.1", opts); err != nil {
		return err
	}
	return p.Handshake(5 * time.Second)
}
