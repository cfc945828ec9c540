package h1

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/h1dev/h1/conn"
	"github.com/h1dev/h1/internal/testpeer"
	"github.com/valyala/fasthttp"
)

// testpeer.FixedResponse is what the benchmark server answers to every request.
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

// rtClient is one of the compared clients, kept open over many round
// trips.
type rtClient interface {
	do() error // one GET round trip, the body read
	close()
}

type h1Client struct {
	c   Client
	buf []byte
}

func openH1(t testing.TB, port int) rtClient {
	h := &h1Client{buf: make([]byte, 0, 4096)}
	h.c.SetBlockingMode(true)
	connect(t, &h.c, port)
	return h
}

func (h *h1Client) do() error {
	out, err := roundTrip(&h.c, h.buf)
	if err == nil && len(out) != 13 {
		err = fmt.Errorf("body %q", out)
	}
	return err
}

func (h *h1Client) close() { h.c.Close() }

type netHTTPClient struct {
	tr  *http.Transport
	cl  *http.Client
	url string
	buf []byte
}

func openNetHTTP(_ testing.TB, port int) rtClient {
	tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}
	return &netHTTPClient{tr: tr, cl: &http.Client{Transport: tr},
		url: "http://127.0.0.1:" + strconv.Itoa(port) + "/", buf: make([]byte, 4096)}
}

func (n *netHTTPClient) do() error {
	resp, err := n.cl.Get(n.url)
	if err != nil {
		return err
	}
	k, _ := io.ReadFull(resp.Body, n.buf[:13])
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if k != 13 {
		return fmt.Errorf("body %d bytes", k)
	}
	return nil
}

func (n *netHTTPClient) close() { n.tr.CloseIdleConnections() }

type fastHTTPClient struct {
	hc   *fasthttp.HostClient
	req  *fasthttp.Request
	resp *fasthttp.Response
}

func openFastHTTP(_ testing.TB, port int) rtClient {
	f := &fastHTTPClient{
		hc:  &fasthttp.HostClient{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxConns: 1},
		req: fasthttp.AcquireRequest(), resp: fasthttp.AcquireResponse(),
	}
	f.req.SetRequestURI("http://127.0.0.1:" + strconv.Itoa(port) + "/")
	return f
}

func (f *fastHTTPClient) do() error {
	if err := f.hc.Do(f.req, f.resp); err != nil {
		return err
	}
	if len(f.resp.Body()) != 13 {
		return fmt.Errorf("body %q", f.resp.Body())
	}
	return nil
}

func (f *fastHTTPClient) close() {
	f.hc.CloseIdleConnections()
	fasthttp.ReleaseRequest(f.req)
	fasthttp.ReleaseResponse(f.resp)
}

// rawClient is the floor: the request bytes written and the known
// response length read on a net.TCPConn, with no HTTP work at all.
type rawClient struct {
	c   net.Conn
	req []byte
	buf []byte
}

func openRaw(t testing.TB, port int) rtClient {
	c, err := net.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	return &rawClient{c: c, buf: make([]byte, len(testpeer.FixedResponse)),
		req: []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + strconv.Itoa(port) + "\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n")}
}

func (r *rawClient) do() error {
	if _, err := r.c.Write(r.req); err != nil {
		return err
	}
	_, err := io.ReadFull(r.c, r.buf)
	return err
}

func (r *rawClient) close() { r.c.Close() }

// connClient is the floor of the TCP peer this client runs on: the same
// bytes as rawClient through conn.TCP, waiting with WaitReadable (a 30 s
// limit, as the client's default) between reads.
type connClient struct {
	p   conn.TCP
	req []byte
	buf []byte
}

func openConn(t testing.TB, port int) rtClient {
	c := &connClient{buf: make([]byte, len(testpeer.FixedResponse)),
		req: []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + strconv.Itoa(port) + "\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n")}
	if err := c.p.ConnectToHost("127.0.0.1", port); err != nil {
		t.Fatal(err)
	}
	if err := c.p.WaitConnected(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *connClient) do() error {
	if _, err := c.p.PutPartialData(c.req); err != nil {
		return err
	}
	for got := 0; got < len(c.buf); {
		if err := c.p.WaitReadable(30 * time.Second); err != nil {
			return err
		}
		n, err := c.p.GetPartialData(c.buf[got:])
		if err != nil {
			return err
		}
		got += n
	}
	return nil
}

func (c *connClient) close() { c.p.Close() }

var roundTrips = []struct {
	name string
	open func(testing.TB, int) rtClient
}{
	{"h1", openH1},
	{"raw", openRaw},
	{"conn", openConn},
	{"fasthttp", openFastHTTP},
	{"nethttp", openNetHTTP},
}

// BenchmarkRoundTrip compares a small GET on a kept-alive loopback
// connection: this client in blocking mode, net/http's Client, fasthttp's
// HostClient and a raw net.TCPConn floor, all against the same server.
func BenchmarkRoundTrip(b *testing.B) {
	srv := testpeer.FixedServer(b)
	for _, rt := range roundTrips {
		b.Run(rt.name, func(b *testing.B) {
			c := rt.open(b, srv.Port())
			defer c.close()
			if err := c.do(); err != nil { // buffers grow, connection opens
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := c.do(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRoundTripRatios prints the round-trip comparison as ratios. It runs
// only with H1_BENCH=1. The clients take turns, a slice of requests each,
// for several rounds, and each is judged by its best round, so that load
// from elsewhere on the machine weighs on all of them alike.
func TestRoundTripRatios(t *testing.T) {
	if os.Getenv("H1_BENCH") == "" {
		t.Skip("set H1_BENCH=1 to run the round-trip comparison")
	}
	const rounds, perRound = 15, 20000
	srv := testpeer.FixedServer(t)
	clients := make([]rtClient, len(roundTrips))
	for i, rt := range roundTrips {
		clients[i] = rt.open(t, srv.Port())
		defer clients[i].close()
		for k := 0; k < 1000; k++ { // warm up
			if err := clients[i].do(); err != nil {
				t.Fatal(err)
			}
		}
	}
	best := make([]time.Duration, len(clients))
	allocs := make([]float64, len(clients))
	for r := 0; r < rounds; r++ {
		for i, c := range clients {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			start := time.Now()
			for k := 0; k < perRound; k++ {
				if err := c.do(); err != nil {
					t.Fatal(err)
				}
			}
			d := time.Since(start) / perRound
			runtime.ReadMemStats(&m1)
			if r == 0 || d < best[i] {
				best[i] = d
			}
			allocs[i] = float64(m1.Mallocs-m0.Mallocs) / perRound
		}
	}
	ns := map[string]float64{}
	for i, rt := range roundTrips {
		ns[rt.name] = float64(best[i])
		t.Logf("%-9s %6d ns/op %6.1f allocs/op %8.0f req/s", rt.name, best[i].Nanoseconds(), allocs[i],
			float64(time.Second)/float64(best[i]))
	}
	t.Logf("h1 time / raw floor:      %.3f", ns["h1"]/ns["raw"])
	t.Logf("h1 time / conn floor:     %.3f", ns["h1"]/ns["conn"])
	t.Logf("h1 throughput / fasthttp: %.2fx", ns["fasthttp"]/ns["h1"])
	t.Logf("h1 throughput / net/http: %.2fx", ns["nethttp"]/ns["h1"])
}

// echoPeer answers every request head written to it with resp
// (testpeer.FixedResponse when nil), in memory: the client's own work, without the
// network.
type echoPeer struct {
	resp []byte
	in   []byte
	pos  int
}

func (e *echoPeer) PutData(p []byte) error { _, err := e.PutPartialData(p); return err }
func (e *echoPeer) PutPartialData(p []byte) (int, error) {
	if e.resp != nil {
		e.in = append(e.in[:0], e.resp...)
	} else {
		e.in = append(e.in[:0], testpeer.FixedResponse...)
	}
	e.pos = 0
	return len(p), nil
}
func (e *echoPeer) GetData(p []byte) error { _, err := e.GetPartialData(p); return err }
func (e *echoPeer) GetPartialData(p []byte) (int, error) {
	n := copy(p, e.in[e.pos:])
	e.pos += n
	return n, nil
}
func (e *echoPeer) AvailableBytes() int { return len(e.in) - e.pos }

// BenchmarkCycleInMemory is the client's own cost for one request and
// response: encode, parse, body, with an in-memory peer.
func BenchmarkCycleInMemory(b *testing.B) {
	var c Client
	c.SetConnection(&echoPeer{})
	hdrs := []string{"Host: bench"}
	buf := make([]byte, 0, 64)
	cycle := func() {
		if err := c.Request(MethodGet, "/", hdrs, nil); err != nil {
			b.Fatal(err)
		}
		for c.Status() == StatusRequesting {
			_ = c.Poll()
		}
		out := buf[:0]
		for c.Status() == StatusBody {
			out, _ = c.ReadResponseBodyChunkInto(out)
		}
		if len(out) != 13 {
			b.Fatalf("body %q, status %v, %v", out, c.Status(), c.Err())
		}
	}
	cycle()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cycle()
	}
}

// BenchmarkClientChunkedBody reads a 64 KiB body in 4 KiB chunks from an
// in-memory peer: copied into the caller's buffer (into) or handed out
// as views of the read buffer (view). The peer's own copy into the read
// buffer, which stands for the network read, is in both.
func BenchmarkClientChunkedBody(b *testing.B) {
	var resp bytes.Buffer
	resp.WriteString("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
	chunk := bytes.Repeat([]byte("x"), 4096)
	for range 16 {
		fmt.Fprintf(&resp, "%x\r\n%s\r\n", len(chunk), chunk)
	}
	resp.WriteString("0\r\n\r\n")
	for _, mode := range []string{"into", "view"} {
		b.Run(mode, func(b *testing.B) {
			var c Client
			c.SetConnection(&echoPeer{resp: resp.Bytes()})
			c.SetReadChunkSize(64 << 10)
			buf := make([]byte, 0, 64<<10)
			cycle := func() {
				if err := c.Request(MethodGet, "/", []string{"Host: bench"}, nil); err != nil {
					b.Fatal(err)
				}
				for c.Status() == StatusRequesting {
					_ = c.Poll()
				}
				n := 0
				for c.Status() == StatusBody {
					if mode == "view" {
						v, _ := c.ReadResponseBodyView()
						n += len(v)
					} else {
						out, _ := c.ReadResponseBodyChunkInto(buf[:0])
						n += len(out)
					}
				}
				if n != 16*4096 {
					b.Fatalf("%d body bytes, status %v, %v", n, c.Status(), c.Err())
				}
			}
			cycle()
			b.SetBytes(16 * 4096)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cycle()
			}
		})
	}
}
