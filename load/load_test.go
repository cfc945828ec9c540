package load

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/h1dev/h1/parser"
)

// countingServer is a net/http test server that counts the requests it
// answers and hands each to h (nil: a short body).
func countingServer(t *testing.T, h func(n int64, w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var count atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := count.Add(1)
		if h != nil {
			h(n, w, r)
			return
		}
		_, _ = io.WriteString(w, "hello, load")
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

func target(t *testing.T, url string) Target {
	t.Helper()
	tg, err := ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// checkSums checks the invariant every run keeps: each request sent is
// answered or lost.
func checkSums(t *testing.T, res *Result) {
	t.Helper()
	if res.Sent != res.Requests+res.Lost {
		t.Errorf("Sent = %d; want Requests + Lost = %d + %d", res.Sent, res.Requests, res.Lost)
	}
	if got := res.Latency.TotalCount(); got != res.Requests {
		t.Errorf("histogram holds %d values; want one per response, %d", got, res.Requests)
	}
}

func TestCountsMatchServer(t *testing.T) {
	srv, count := countingServer(t, nil)
	for _, pipeline := range []int{1, 4} {
		count.Store(0)
		res, err := Run(Config{Target: target(t, srv.URL+"/"), Connections: 8, Pipeline: pipeline, Requests: 3000, Loops: 2})
		if err != nil {
			t.Fatal(err)
		}
		checkSums(t, res)
		if res.Requests != 3000 || res.Sent != 3000 || res.Lost != 0 || res.Errors.Total() != 0 {
			t.Errorf("pipeline %d: requests %d, sent %d, lost %d, errors %+v; want 3000, 3000, 0, none",
				pipeline, res.Requests, res.Sent, res.Lost, res.Errors)
		}
		if got := count.Load(); got != res.Requests {
			t.Errorf("pipeline %d: server answered %d; client counted %d", pipeline, got, res.Requests)
		}
		if want := int64(len("hello, load")) * 3000; res.Bytes < want {
			t.Errorf("Bytes = %d; want more than the bodies, %d", res.Bytes, want)
		}
	}
}

func TestTimedRunCountsMatchServer(t *testing.T) {
	srv, count := countingServer(t, nil)
	res, err := Run(Config{Target: target(t, srv.URL+"/"), Connections: 4, Pipeline: 2, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	if res.Requests == 0 || res.Errors.Total() != 0 || res.Lost != 0 {
		t.Errorf("requests %d, lost %d, errors %+v; want some, 0, none", res.Requests, res.Lost, res.Errors)
	}
	if got := count.Load(); got != res.Requests {
		t.Errorf("server answered %d; client counted %d", got, res.Requests)
	}
	if res.Duration < 300*time.Millisecond || res.RPS() <= 0 {
		t.Errorf("Duration = %v, RPS = %v; want at least 300ms and a rate", res.Duration, res.RPS())
	}
}

func TestStatusErrorsCounted(t *testing.T) {
	var fails atomic.Int64
	srv, count := countingServer(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n%3 == 0 {
			fails.Add(1)
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	res, err := Run(Config{Target: target(t, srv.URL+"/"), Connections: 3, Requests: 600})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	if res.Requests != count.Load() || res.Errors.Status != fails.Load() || res.Errors.Total() != res.Errors.Status {
		t.Errorf("requests %d (server %d), errors %+v; want status errors = %d and no others",
			res.Requests, count.Load(), res.Errors, fails.Load())
	}
}

// seqServer answers each request with the number of the request on its
// connection (1 for the first), in an X-Seq field and in the body. It reads
// pipelined requests as they come, answers them in order, cycles through
// the framings (Content-Length, chunked in pieces, an empty body, a 1xx
// interim response before a length) and cuts what it writes into random
// pieces.
func seqServer(t *testing.T) (port int, count *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	count = new(atomic.Int64)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serveSeq(c, count)
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, count
}

func serveSeq(c net.Conn, count *atomic.Int64) {
	rd := bufio.NewReader(c)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var out []byte
	seq := 0
	for {
		// One request head: lines up to an empty one.
		for {
			line, err := rd.ReadSlice('\n')
			if err != nil {
				return
			}
			if len(line) <= 2 {
				break
			}
		}
		seq++
		count.Add(1)
		body := strconv.Itoa(seq)
		switch seq % 4 {
		case 0:
			out = fmt.Appendf(out, "HTTP/1.1 200 OK\r\nX-Seq: %d\r\nContent-Length: %d\r\n\r\n%s", seq, len(body), body)
		case 1:
			out = fmt.Appendf(out, "HTTP/1.1 200 OK\r\nX-Seq: %d\r\nTransfer-Encoding: chunked\r\n\r\n", seq)
			for _, ch := range body {
				out = fmt.Appendf(out, "1;ext=x\r\n%c\r\n", ch)
			}
			out = append(out, "0\r\nX-Trailer: t\r\n\r\n"...)
		case 2:
			out = fmt.Appendf(out, "HTTP/1.1 204 No Content\r\nX-Seq: %d\r\n\r\n", seq)
		case 3:
			out = fmt.Appendf(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-Seq: %d\r\nContent-Length: %d\r\n\r\n%s", seq, len(body), body)
		}
		if rd.Buffered() > 0 {
			continue // more pipelined requests: answer them together
		}
		for len(out) > 0 {
			k := 1 + rng.IntN(len(out))
			if _, err := c.Write(out[:k]); err != nil {
				return
			}
			out = out[k:]
		}
		out = out[:0]
	}
}

func TestPipelineKeepsOrder(t *testing.T) {
	port, count := seqServer(t)
	var mu sync.Mutex
	var bad []string
	var seen atomic.Int64
	cfg := Config{
		Target:      Target{Host: "127.0.0.1", Port: port, Path: "/seq"},
		Connections: 4,
		Pipeline:    16,
		Requests:    4000,
		Loops:       2,
		observe: func(conn int, n int64, h *parser.ResponseHead) {
			seen.Add(1)
			var got []byte
			for _, f := range h.Headers {
				if string(f.Name) == "X-Seq" {
					got = f.Value
				}
			}
			if string(got) != strconv.FormatInt(n, 10) {
				mu.Lock()
				bad = append(bad, fmt.Sprintf("connection %d: response %d has X-Seq %q", conn, n, got))
				mu.Unlock()
			}
		},
	}
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	if res.Requests != 4000 || res.Errors.Total() != 0 || count.Load() != 4000 || seen.Load() != 4000 {
		t.Errorf("requests %d, errors %+v, server %d, observed %d; want 4000, none, 4000, 4000",
			res.Requests, res.Errors, count.Load(), seen.Load())
	}
	if len(bad) > 0 {
		t.Errorf("%d responses out of order, first: %s", len(bad), bad[0])
	}
}

func TestLatencyMatchesServerDelay(t *testing.T) {
	const delay = 20 * time.Millisecond
	srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, _ *http.Request) {
		time.Sleep(delay)
		_, _ = io.WriteString(w, "slow")
	})
	for _, rate := range []float64{0, 100} {
		res, err := Run(Config{Target: target(t, srv.URL+"/"), Connections: 4, Rate: rate, Duration: 600 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		checkSums(t, res)
		p := PercentilesOf(res.Latency)
		// The sleep is a floor; the tolerance above it absorbs a slow
		// machine and the race detector.
		lo, hi := int64(delay/time.Microsecond), int64((delay+15*time.Millisecond)/time.Microsecond)
		if p.P50 < lo || p.P50 > hi || p.Max < p.P999 || p.P999 < p.P99 || p.P99 < p.P90 || p.P90 < p.P50 {
			t.Errorf("rate %v: percentiles %+v; want p50 in [%d, %d] µs and ordered", rate, p, lo, hi)
		}
		if res.Requests < 10 || res.Errors.Total() != 0 {
			t.Errorf("rate %v: %d requests, errors %+v", rate, res.Requests, res.Errors)
		}
	}
}

// A constant rate the server cannot keep up with: latency counts from
// when each request was due, so it grows with the backlog instead of
// showing the server's 20 ms.
func TestRateCorrectsCoordinatedOmission(t *testing.T) {
	srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, _ *http.Request) {
		time.Sleep(20 * time.Millisecond)
	})
	res, err := Run(Config{Target: target(t, srv.URL+"/"), Connections: 1, Rate: 200, Duration: 600 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	p := PercentilesOf(res.Latency)
	if p.P50 < 100_000 || p.Max < 200_000 {
		t.Errorf("percentiles %+v µs; want p50 over 100 ms and max over 200 ms from the backlog", p)
	}
	// A rate it can keep up with: requests leave on time, about 100 of
	// them in 500 ms.
	res, err = Run(Config{Target: target(t, srv.URL+"/"), Connections: 8, Rate: 200, Duration: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent < 80 || res.Sent > 130 {
		t.Errorf("sent %d requests at 200/s in 500 ms; want about 100", res.Sent)
	}
}

// dyingServer answers `answers` requests, then closes its listener and
// every connection.
func dyingServer(t *testing.T, answers int64) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var count atomic.Int64
	var once sync.Once
	die := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) > answers {
			once.Do(func() { close(die) })
			<-die
			return
		}
		_, _ = io.WriteString(w, "ok")
	})}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-die
		_ = srv.Close()
	}()
	t.Cleanup(func() { once.Do(func() { close(die) }); _ = srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func TestDyingServerCountsErrors(t *testing.T) {
	port := dyingServer(t, 200)
	done := make(chan *Result, 1)
	go func() {
		res, err := Run(Config{Target: Target{Host: "127.0.0.1", Port: port}, Connections: 4, Pipeline: 2,
			Duration: 500 * time.Millisecond, Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	var res *Result
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the run did not end after its server died")
	}
	if res == nil {
		return
	}
	checkSums(t, res)
	if res.Requests < 150 || res.Requests > 208 {
		t.Errorf("requests = %d; want about the 200 the server answered", res.Requests)
	}
	if res.Errors.Connect == 0 || res.Errors.Read+res.Errors.Write == 0 {
		t.Errorf("errors %+v; want connect errors and read or write errors", res.Errors)
	}
	if res.Lost == 0 {
		t.Errorf("lost = 0; want the requests in flight when the server died")
	}
}

// A server that accepts and reads but never answers: timeouts, not a hang.
func TestSilentServerTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		var cs []net.Conn
		defer func() {
			for _, c := range cs {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			cs = append(cs, c)
			go func() { _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	res, err := Run(Config{Target: Target{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}, Connections: 2,
		Duration: 500 * time.Millisecond, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	if res.Requests != 0 || res.Errors.Timeout < 2 || res.Lost < 2 {
		t.Errorf("requests %d, errors %+v, lost %d; want 0, timeouts, lost requests", res.Requests, res.Errors, res.Lost)
	}
}

func TestCloseDelimitedAndConnectionClose(t *testing.T) {
	// HTTP/1.0 bodies that end at the close, and HTTP/1.1 answers with
	// Connection: close: every response ends its connection.
	for _, resp := range []string{
		"HTTP/1.0 200 OK\r\n\r\nuntil the close",
		"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
	} {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var count atomic.Int64
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					rd := bufio.NewReader(c)
					for {
						line, err := rd.ReadSlice('\n')
						if err != nil {
							return
						}
						if len(line) <= 2 {
							break
						}
					}
					count.Add(1)
					_, _ = io.WriteString(c, resp)
				}()
			}
		}()
		res, err := Run(Config{Target: Target{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}, Connections: 2, Requests: 100})
		ln.Close()
		if err != nil {
			t.Fatal(err)
		}
		checkSums(t, res)
		if res.Requests != 100 || res.Errors.Total() != 0 || res.Connects < 100 || count.Load() != 100 {
			t.Errorf("%q: requests %d, errors %+v, connects %d, server %d; want 100, none, 100, 100",
				resp[:12], res.Requests, res.Errors, res.Connects, count.Load())
		}
	}
}

func TestGarbageIsAParseError(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				if _, err := c.Read(buf); err == nil {
					_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx")
				}
				_, _ = c.Read(buf)
			}()
		}
	}()
	res, err := Run(Config{Target: Target{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}, Connections: 2, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	if res.Requests != 0 || res.Errors.Parse == 0 || res.Errors.Total() != res.Errors.Parse {
		t.Errorf("requests %d, errors %+v; want only parse errors", res.Requests, res.Errors)
	}
}

func TestNoServerIsErrNoConnection(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, err = Run(Config{Target: Target{Host: "127.0.0.1", Port: port}, Connections: 1, Duration: time.Second})
	if !errors.Is(err, ErrNoConnection) {
		t.Errorf("Run against a closed port = %v; want ErrNoConnection", err)
	}
}

func TestConfigErrors(t *testing.T) {
	good := Target{Host: "127.0.0.1", Port: 80}
	for _, c := range []Config{
		{Target: good, Connections: 0, Duration: time.Second},
		{Target: good, Connections: 1},
		{Target: good, Connections: 1, Duration: time.Second, Pipeline: MaxPipeline + 1},
		{Target: good, Connections: 1, Duration: time.Second, Rate: -1},
		{Target: Target{Host: "127.0.0.1"}, Connections: 1, Duration: time.Second},
		{Target: Target{Host: "127.0.0.1", Port: 80, Headers: []parser.Header{{Name: []byte("X"), Value: []byte("a\r\nb")}}}, Connections: 1, Duration: time.Second},
	} {
		if _, err := Start(c); !errors.Is(err, ErrConfig) {
			t.Errorf("Start(%+v) = %v; want ErrConfig", c, err)
		}
	}
	for _, u := range []string{"https://h:0/", "ftp://x/", "http:///x", "http://h:99999/", "http://u:p@h/"} {
		if _, err := ParseURL(u); err == nil {
			t.Errorf("ParseURL(%q) = nil error; want one", u)
		}
	}
	tg, err := ParseURL("http://[::1]:8080/a?b=c")
	if err != nil || tg.Host != "::1" || tg.Port != 8080 || tg.Path != "/a?b=c" {
		t.Errorf("ParseURL = %+v, %v; want ::1, 8080, /a?b=c", tg, err)
	}
	if _, err := ParseHeader("no colon"); err == nil {
		t.Error("ParseHeader(\"no colon\") = nil error; want one")
	}
	if h, err := ParseHeader("X-A:  b c "); err != nil || string(h.Name) != "X-A" || string(h.Value) != "b c" {
		t.Errorf("ParseHeader = %q: %q, %v; want X-A: b c", h.Name, h.Value, err)
	}
}

func TestHeadersAreSent(t *testing.T) {
	var got atomic.Value
	srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("X-Load") + "|" + r.Host + "|" + r.URL.RequestURI())
	})
	tg := target(t, srv.URL+"/p?q=1")
	tg.Headers = []parser.Header{{Name: []byte("X-Load"), Value: []byte("yes")}, {Name: []byte("Host"), Value: []byte("example.test")}}
	if _, err := Run(Config{Target: tg, Connections: 1, Requests: 3}); err != nil {
		t.Fatal(err)
	}
	if s, _ := got.Load().(string); s != "yes|example.test|/p?q=1" {
		t.Errorf("server saw %q; want yes|example.test|/p?q=1", s)
	}
}

// The ramp's schedule: a connection's due times follow the linear rate,
// so over the ramp the run sends the rate's integral, (start+end)/2 · T,
// and after it the end rate.
func TestRampSchedule(t *testing.T) {
	cfg, err := Config{Target: Target{Host: "127.0.0.1", Port: 80}, Connections: 4, Rate: 100, RateEnd: 1000, Ramp: 10 * time.Second, Duration: 20 * time.Second}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{cfg: &cfg, interval: int64(4 * time.Second / 100), rampEnd: int64(10 * time.Second), endInterval: int64(4 * time.Second / 1000)}
	var during, after int
	for due := int64(0); due < int64(20*time.Second); due += w.gap(due) {
		if due < int64(10*time.Second) {
			during++
		} else {
			after++
		}
	}
	// One connection of four: a quarter of (100+1000)/2·10 = 5500, and
	// a quarter of 1000·10.
	if during < 1370 || during > 1380 || after < 2495 || after > 2505 {
		t.Errorf("one connection sends %d requests during the ramp and %d after; want about 1375 and 2500", during, after)
	}
	if w.gap(int64(5*time.Second)) != int64(4*time.Second/550) {
		t.Errorf("gap half way = %v; want %v", time.Duration(w.gap(int64(5*time.Second))), 4*time.Second/550)
	}
	for _, c := range []Config{
		{Target: cfg.Target, Connections: 1, Duration: time.Second, RateEnd: 5, Ramp: time.Second},
		{Target: cfg.Target, Connections: 1, Duration: time.Second, Rate: 5, Ramp: time.Second},
		{Target: cfg.Target, Connections: 1, Duration: time.Second, Rate: 5, RateEnd: 6, Ramp: -time.Second},
	} {
		if _, err := Start(c); !errors.Is(err, ErrConfig) {
			t.Errorf("Start(rate %v→%v over %v) = %v; want ErrConfig", c.Rate, c.RateEnd, c.Ramp, err)
		}
	}
}

// Along a ramp the correction holds: a 1 s stall of the server puts about
// 1 s into p99 (every request due during the stall waits for it), and the
// intervals show when it happened.
func TestRampCorrectsCoordinatedOmission(t *testing.T) {
	srv, _ := countingServer(t, func(n int64, w http.ResponseWriter, _ *http.Request) {
		if n == 30 {
			time.Sleep(time.Second)
		}
	})
	res, err := Run(Config{Target: target(t, srv.URL+"/"), Connections: 1, Rate: 100, RateEnd: 300, Ramp: 2 * time.Second, Duration: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	p := PercentilesOf(res.Latency)
	if p.P99 < 800_000 || p.Max < 950_000 {
		t.Errorf("percentiles %+v µs; want p99 and max near the 1 s stall", p)
	}
	var worst int64
	for _, iv := range res.Intervals {
		worst = max(worst, iv.Latency.Max)
	}
	if worst != p.Max || (res.Intervals[0].Latency.Max < 100_000 && res.Intervals[1].Latency.Max < 100_000) {
		t.Errorf("interval maxima do not show the stall: %+v", res.Intervals)
	}
}
