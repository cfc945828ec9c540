package bench

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/valyala/fasthttp"
)

// roundTripCase sends a small GET on a kept-alive loopback connection and
// reads the 13-byte answer: h1's Client in blocking mode, net/http's
// Client, fasthttp's HostClient, and as the floor a net.TCPConn writing
// the request bytes and reading the known response length.
func roundTripCase() Case {
	var srv *server
	return Case{
		Name: "client/roundtrip",
		Setup: func() (func(), error) {
			var err error
			srv, err = fixedServer()
			if err != nil {
				return nil, err
			}
			return srv.Close, nil
		},
		H1: func(b *testing.B) {
			var c h1.Client
			defer c.Close()
			c.SetBlockingMode(true)
			if err := c.ConnectToHost("127.0.0.1", srv.port(), nil); err != nil {
				b.Fatal(err)
			}
			for c.Status() == h1.StatusConnecting || c.Status() == h1.StatusResolving {
				if err := c.Poll(); err != nil {
					b.Fatal(err)
				}
			}
			buf := make([]byte, 0, 4096)
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Request(h1.MethodGet, "/", nil, nil); err != nil {
					b.Fatal(err)
				}
				for c.Status() == h1.StatusRequesting {
					if err := c.Poll(); err != nil {
						b.Fatal(err)
					}
				}
				buf = buf[:0]
				for c.Status() == h1.StatusBody {
					var err error
					if buf, err = c.ReadResponseBodyChunkInto(buf); err != nil {
						b.Fatal(err)
					}
				}
				if len(buf) != 13 {
					b.Fatalf("body %q", buf)
				}
			}
		},
		NetHTTP: func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 1}
			defer tr.CloseIdleConnections()
			cl := &http.Client{Transport: tr}
			url := "http://127.0.0.1:" + strconv.Itoa(srv.port()) + "/"
			buf := make([]byte, 64)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := cl.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.ReadFull(resp.Body, buf[:13])
				resp.Body.Close()
				if n != 13 {
					b.Fatal("short body")
				}
			}
		},
		FastHTTP: func(b *testing.B) {
			hc := &fasthttp.HostClient{Addr: "127.0.0.1:" + strconv.Itoa(srv.port()), MaxConns: 1}
			defer hc.CloseIdleConnections()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			req.SetRequestURI("http://127.0.0.1/")
			b.ReportAllocs()
			for b.Loop() {
				if err := hc.Do(req, resp); err != nil || len(resp.Body()) != 13 {
					b.Fatal(err)
				}
			}
		},
		Floor: func(b *testing.B) {
			c, err := net.DialTimeout("tcp4", "127.0.0.1:"+strconv.Itoa(srv.port()), 5*time.Second)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			req := []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n")
			buf := make([]byte, len(fixedResponse))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Write(req); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					b.Fatal(err)
				}
			}
		},
	}
}
