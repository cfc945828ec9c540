package tlsx_test

import (
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/h1dev/h1/tlsx"
)

// The benchmarks run each operation through a Peer over conn.TCP and,
// beside it, through Go's crypto/tls client over net.TCPConn, against the
// same crypto/tls server on loopback.

func benchServer(b *testing.B, handle func(*tls.Conn)) (*goServer, *fixtures) {
	f := certs(b)
	return startGoServer(b, serverConfig(f.good), handle), f
}

// idleAfterHandshake completes the handshake and waits for the client to
// close.
func idleAfterHandshake(tc *tls.Conn) {
	if tc.Handshake() != nil {
		return
	}
	io.Copy(io.Discard, tc)
}

func goClientConfig(f *fixtures, cache tls.ClientSessionCache) *tls.Config {
	return &tls.Config{
		RootCAs:            f.ca.roots,
		ServerName:         "localhost",
		MinVersion:         tls.VersionTLS12,
		MaxVersion:         tls.VersionTLS12,
		NextProtos:         []string{"http/1.1"},
		ClientSessionCache: cache,
	}
}

func BenchmarkHandshake(b *testing.B) {
	srv, f := benchServer(b, idleAfterHandshake)
	addr := "127.0.0.1:" + strconv.Itoa(srv.port)
	for _, resumed := range []bool{false, true} {
		kind := "full"
		if resumed {
			kind = "resumed"
		}
		for _, h := range hellos {
			b.Run(kind+"/tlsx-"+h.name, func(b *testing.B) {
				opts := withHello(tlsx.Client(f.ca.roots, ""), h.hello)
				if !resumed {
					opts.Sessions = nil
				}
				b.ReportAllocs()
				for b.Loop() {
					var p tlsx.Peer
					if err := p.Connect(dial(b, srv.port), "localhost", opts); err != nil {
						b.Fatal(err)
					}
					if err := p.Handshake(5 * time.Second); err != nil {
						b.Fatal(err)
					}
					if resumed != p.ConnectionState().DidResume && b.N > 1 {
						// The first handshake of a run is a full one.
						b.Logf("DidResume = %v", p.ConnectionState().DidResume)
					}
					p.Close()
				}
			})
		}
		b.Run(kind+"/crypto-tls", func(b *testing.B) {
			var cache tls.ClientSessionCache
			if resumed {
				cache = tls.NewLRUClientSessionCache(8)
			}
			cfg := goClientConfig(f, cache)
			b.ReportAllocs()
			for b.Loop() {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					b.Fatal(err)
				}
				tc := tls.Client(c, cfg)
				if err := tc.Handshake(); err != nil {
					b.Fatal(err)
				}
				tc.Close()
			}
		})
	}
}

const bulkChunk = 1 << 20

// BenchmarkRead moves bytes from the server to the client.
func BenchmarkRead(b *testing.B) {
	srv, f := benchServer(b, func(tc *tls.Conn) {
		if tc.Handshake() != nil {
			return
		}
		buf := make([]byte, 64<<10)
		for {
			if _, err := tc.Write(buf); err != nil {
				return
			}
		}
	})
	buf := make([]byte, 64<<10)
	b.Run("tlsx", func(b *testing.B) {
		p := mustConnect(b, srv.port, "localhost", tlsx.Client(f.ca.roots, ""))
		b.SetBytes(bulkChunk)
		b.ReportAllocs()
		for b.Loop() {
			for n := 0; n < bulkChunk; n += len(buf) {
				if err := p.GetData(buf); err != nil {
					b.Fatal(err)
				}
			}
		}
		p.Close()
	})
	b.Run("crypto-tls", func(b *testing.B) {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(srv.port))
		if err != nil {
			b.Fatal(err)
		}
		tc := tls.Client(c, goClientConfig(f, nil))
		b.SetBytes(bulkChunk)
		b.ReportAllocs()
		for b.Loop() {
			for n := 0; n < bulkChunk; n += len(buf) {
				if _, err := io.ReadFull(tc, buf); err != nil {
					b.Fatal(err)
				}
			}
		}
		tc.Close()
	})
}

// BenchmarkWrite moves bytes from the client to the server.
func BenchmarkWrite(b *testing.B) {
	srv, f := benchServer(b, func(tc *tls.Conn) {
		if tc.Handshake() != nil {
			return
		}
		io.Copy(io.Discard, tc)
	})
	buf := make([]byte, 64<<10)
	b.Run("tlsx", func(b *testing.B) {
		p := mustConnect(b, srv.port, "localhost", tlsx.Client(f.ca.roots, ""))
		b.SetBytes(bulkChunk)
		b.ReportAllocs()
		for b.Loop() {
			for n := 0; n < bulkChunk; n += len(buf) {
				if err := p.PutData(buf); err != nil {
					b.Fatal(err)
				}
			}
		}
		p.Close()
	})
	b.Run("crypto-tls", func(b *testing.B) {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(srv.port))
		if err != nil {
			b.Fatal(err)
		}
		tc := tls.Client(c, goClientConfig(f, nil))
		b.SetBytes(bulkChunk)
		b.ReportAllocs()
		for b.Loop() {
			for n := 0; n < bulkChunk; n += len(buf) {
				if _, err := tc.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
		}
		tc.Close()
	})
}
