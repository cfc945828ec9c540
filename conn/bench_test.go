package conn

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
)

// Each benchmark pair runs the TCP peer and a net.TCPConn against the same
// kind of loopback server (Go's net package, one goroutine per connection).

const streamChunk = 64 << 10

// source writes streamChunk-sized blocks until the connection closes.
func source(c net.Conn) {
	buf := make([]byte, streamChunk)
	for {
		if _, err := c.Write(buf); err != nil {
			return
		}
	}
}

// sink reads and drops everything.
func sink(c net.Conn) { _, _ = io.Copy(io.Discard, c) }

func benchServer(b *testing.B, handle func(net.Conn)) *testpeer.RawServer {
	return testpeer.NewRawServer(b, handle)
}

func benchPeer(b *testing.B, port int) *TCP {
	p := new(TCP)
	if err := p.ConnectToHost("127.0.0.1", port); err != nil {
		b.Fatal(err)
	}
	if err := p.WaitConnected(5 * time.Second); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.DisconnectFromHost)
	return p
}

func benchNet(b *testing.B, port int) *net.TCPConn {
	c, err := net.DialTCP("tcp4", nil, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

func BenchmarkRead(b *testing.B) {
	b.Run("peer", func(b *testing.B) {
		p := benchPeer(b, benchServer(b, source).Port())
		buf := make([]byte, streamChunk)
		b.SetBytes(streamChunk)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := p.GetData(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net", func(b *testing.B) {
		c := benchNet(b, benchServer(b, source).Port())
		buf := make([]byte, streamChunk)
		b.SetBytes(streamChunk)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := io.ReadFull(c, buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	b.Run("peer", func(b *testing.B) {
		p := benchPeer(b, benchServer(b, sink).Port())
		buf := make([]byte, streamChunk)
		b.SetBytes(streamChunk)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := p.PutData(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net", func(b *testing.B) {
		c := benchNet(b, benchServer(b, sink).Port())
		buf := make([]byte, streamChunk)
		b.SetBytes(streamChunk)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := c.Write(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRoundTrip64 sends 64 bytes to an echo server and waits for them
// to come back.
func BenchmarkRoundTrip64(b *testing.B) {
	const size = 64
	b.Run("peer", func(b *testing.B) {
		p := benchPeer(b, benchServer(b, echo).Port())
		out, in := make([]byte, size), make([]byte, size)
		b.SetBytes(size)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := p.PutData(out); err != nil {
				b.Fatal(err)
			}
			if err := p.GetData(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net", func(b *testing.B) {
		c := benchNet(b, benchServer(b, echo).Port())
		out, in := make([]byte, size), make([]byte, size)
		b.SetBytes(size)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := c.Write(out); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(c, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
