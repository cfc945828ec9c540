package h1

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// fixedResponse is what the benchmark server answers to every request.
const fixedResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n" +
	"Date: Mon, 01 Jan 2024 00:00:00 GMT\r\nServer: fixed\r\n\r\nHello, World!"

// fixedServer answers each request head it reads (requests carry no
// body) with fixedResponse, so that its cost is the same whatever the
// client.
func fixedServer(t testing.TB) *rawServer {
	return newRawServer(t, func(c net.Conn) {
		buf := make([]byte, 64<<10)
		out := make([]byte, 0, 64<<10)
		have := 0
		for {
			n, err := c.Read(buf[have:])
			if err != nil {
				return
			}
			have += n
			out = out[:0]
			start := 0
			for {
				i := bytes.Index(buf[start:have], []byte("\r\n\r\n"))
				if i < 0 {
					break
				}
				start += i + 4
				out = append(out, fixedResponse...)
			}
			have = copy(buf, buf[start:have])
			if len(out) > 0 {
				if _, err := c.Write(out); err != nil {
					return
				}
			}
		}
	})
}

// roundTrip sends one GET in blocking mode and reads its body into buf.
func roundTrip(c *Client, buf []byte) ([]byte, error) {
	if err := c.Request(MethodGet, "/", nil, nil); err != nil {
		return nil, err
	}
	for c.Status() == StatusRequesting {
		if err := c.Poll(); err != nil {
			return nil, err
		}
	}
	buf = buf[:0]
	for c.Status() == StatusBody {
		var err error
		if buf, err = c.ReadResponseBodyChunkInto(buf); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func benchH1(b *testing.B, port int) {
	var c Client
	defer c.Close()
	c.SetBlockingMode(true)
	connect(b, &c, port)
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := roundTrip(&c, buf)
		if err != nil || len(out) != 13 {
			b.Fatalf("round trip = %q, %v", out, err)
		}
	}
}

func benchNetHTTP(b *testing.B, port int) {
	tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
	buf := make([]byte, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := cl.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.ReadFull(resp.Body, buf[:13])
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n != 13 {
			b.Fatalf("body %d bytes", n)
		}
	}
}

func benchFastHTTP(b *testing.B, port int) {
	hc := &fasthttp.HostClient{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxConns: 1}
	defer hc.CloseIdleConnections()
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://127.0.0.1:" + strconv.Itoa(port) + "/")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := hc.Do(req, resp); err != nil {
			b.Fatal(err)
		}
		if len(resp.Body()) != 13 {
			b.Fatalf("body %q", resp.Body())
		}
	}
}

// benchRaw is the floor: the request bytes written and the known response
// length read on a net.TCPConn, with no HTTP work at all.
func benchRaw(b *testing.B, port int) {
	c, err := net.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	req := []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + strconv.Itoa(port) + "\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n")
	buf := make([]byte, len(fixedResponse))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
}

var roundTrips = []struct {
	name string
	run  func(*testing.B, int)
}{
	{"h1", benchH1},
	{"raw", benchRaw},
	{"fasthttp", benchFastHTTP},
	{"nethttp", benchNetHTTP},
}

// BenchmarkRoundTrip compares a small GET on a kept-alive loopback
// connection: this client in blocking mode, net/http's Client, fasthttp's
// HostClient and a raw net.TCPConn floor, all against the same server.
func BenchmarkRoundTrip(b *testing.B) {
	srv := fixedServer(b)
	for _, rt := range roundTrips {
		b.Run(rt.name, func(b *testing.B) { rt.run(b, srv.Port()) })
	}
}

// TestRoundTripRatios prints the round-trip comparison as ratios. It runs
// only with H1_BENCH=1 (it takes a few seconds per client).
func TestRoundTripRatios(t *testing.T) {
	if os.Getenv("H1_BENCH") == "" {
		t.Skip("set H1_BENCH=1 to run the round-trip comparison")
	}
	srv := fixedServer(t)
	res := map[string]testing.BenchmarkResult{}
	for _, rt := range roundTrips {
		res[rt.name] = testing.Benchmark(func(b *testing.B) { rt.run(b, srv.Port()) })
		r := res[rt.name]
		t.Logf("%-9s %8d ns/op %6d B/op %4d allocs/op %10.0f req/s", rt.name, r.NsPerOp(), r.AllocedBytesPerOp(),
			r.AllocsPerOp(), float64(time.Second)/float64(r.NsPerOp()))
	}
	h := float64(res["h1"].NsPerOp())
	t.Logf("h1 time / raw floor:      %.3f", h/float64(res["raw"].NsPerOp()))
	t.Logf("h1 throughput / fasthttp: %.2fx", float64(res["fasthttp"].NsPerOp())/h)
	t.Logf("h1 throughput / net/http: %.2fx", float64(res["nethttp"].NsPerOp())/h)
}
