package probe

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/h1dev/h1/tlsx"
)

// quick are options for loopback tests: short waits.
var quick = Options{ReadTimeout: 500 * time.Millisecond, Linger: 50 * time.Millisecond, ConnectTimeout: 2 * time.Second}

func echoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Body-Len", strconv.FormatInt(n, 10))
		_, _ = io.WriteString(w, "ok")
	})
}

func targetOf(t *testing.T, rawURL string) Target {
	t.Helper()
	tg, err := ParseTarget(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestSendRawNetHTTP(t *testing.T) {
	srv := httptest.NewServer(echoHandler())
	defer srv.Close()
	tg := targetOf(t, srv.URL)
	host := tg.HostHeader()
	for _, tc := range []struct {
		name, raw string
		want      string // Signature
	}{
		{"one", "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", "200 open"},
		{"pipelined", "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\nGET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", "200+200 open"},
		{"close", "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n", "200 closed"},
		{"garbage", "\x00\x01garbage\r\n\r\n", "400 closed"},
		{"chunked", "POST / HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "200 open"},
		{"head", "HEAD / HTTP/1.1\r\nHost: " + host + "\r\n\r\nGET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", "200+200 open"},
	} {
		out, err := SendRaw(context.Background(), tg, []byte(tc.raw), quick)
		if err != nil {
			t.Fatalf("%s: SendRaw = %v", tc.name, err)
		}
		if got := out.Signature(); got != tc.want {
			t.Errorf("%s: Signature = %q; want %q (%+v)", tc.name, got, tc.want, out)
		}
		if out.Sent != len(tc.raw) {
			t.Errorf("%s: Sent = %d; want %d", tc.name, out.Sent, len(tc.raw))
		}
	}
}

// The response to the chunked request says how much body net/http read;
// the Outcome says where the response's own body was cut.
func TestSendRawBodyCut(t *testing.T) {
	srv := httptest.NewServer(echoHandler())
	defer srv.Close()
	tg := targetOf(t, srv.URL)
	raw := "POST / HTTP/1.1\r\nHost: " + tg.HostHeader() + "\r\nContent-Length: 5\r\n\r\nhello"
	out, err := SendRaw(context.Background(), tg, []byte(raw), quick)
	if err != nil || len(out.Responses) != 1 {
		t.Fatalf("SendRaw = %+v, %v; want one response", out, err)
	}
	r := out.Responses[0]
	if r.BodyLen != 2 || !r.Complete || r.BodyEnd != out.Read || r.Framing != "length" {
		t.Errorf("response = %+v; want a complete 2-byte length body ending at %d", r, out.Read)
	}
	found := false
	for _, h := range r.Headers {
		found = found || (h[0] == "X-Body-Len" && h[1] == "5")
	}
	if !found {
		t.Errorf("headers = %q; want X-Body-Len: 5", r.Headers)
	}
}

// readHead reads from c up to the end of a request head.
func readHead(c net.Conn) {
	var got []byte
	buf := make([]byte, 1024)
	for !strings.Contains(string(got), "\r\n\r\n") {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return
		}
	}
}

// rawListener accepts connections, reads a request head from each and
// hands it to handle.
func rawListener(t *testing.T, handle func(c net.Conn)) Target {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			readHead(c)
			handle(c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return Target{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
}

func TestSendRawEnds(t *testing.T) {
	req := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	var (
		mu   sync.Mutex
		held []net.Conn
	)
	hold := func(c net.Conn) {
		mu.Lock()
		defer mu.Unlock()
		held = append(held, c)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	for _, tc := range []struct {
		name   string
		handle func(c net.Conn)
		end    End
		kind   string
	}{
		{"silent", func(c net.Conn) { hold(c) }, EndTimeout, ""},
		{"close", func(c net.Conn) { c.Close() }, EndClosed, ""},
		{"reset", func(c net.Conn) {
			_ = c.(*net.TCPConn).SetLinger(0)
			time.Sleep(20 * time.Millisecond)
			c.Close()
		}, EndReset, ""},
		{"bad status", func(c net.Conn) { _, _ = c.Write([]byte("HTTP/1.1 20 OK\r\n\r\n")); c.Close() }, EndParseError, "bad-status-code"},
		{"truncated head", func(c net.Conn) { _, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nA: b")); c.Close() }, EndParseError, KindTruncatedHead},
		{"half body", func(c net.Conn) {
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
			hold(c)
		}, EndTimeout, ""},
		{"bad chunk", func(c net.Conn) {
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
			hold(c)
		}, EndParseError, "bad-chunk-size"},
	} {
		tg := rawListener(t, tc.handle)
		out, err := SendRaw(context.Background(), tg, req, quick)
		if err != nil {
			t.Fatalf("%s: SendRaw error %v", tc.name, err)
		}
		if out.End != tc.end || out.ErrKind != tc.kind {
			t.Errorf("%s: End = %v, kind %q; want %v, %q (%+v)", tc.name, out.End, out.ErrKind, tc.end, tc.kind, out)
		}
	}
}

func TestSendRawCannotConnect(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, err = SendRaw(context.Background(), Target{Host: "127.0.0.1", Port: port}, []byte("x"), quick)
	if !errors.Is(err, ErrConnect) || !strings.HasPrefix(err.Error(), "h1: ") {
		t.Errorf("SendRaw to a closed port = %v; want ErrConnect", err)
	}
}

func TestSendRawTLS(t *testing.T) {
	srv := httptest.NewTLSServer(echoHandler())
	defer srv.Close()
	tg := targetOf(t, srv.URL)
	raw := []byte("GET / HTTP/1.1\r\nHost: " + tg.HostHeader() + "\r\n\r\n")
	if _, err := SendRaw(context.Background(), tg, raw, quick); !errors.Is(err, ErrTLS) {
		t.Errorf("SendRaw to an untrusted certificate = %v; want ErrTLS", err)
	}
	o := quick
	o.TLS = tlsx.ClientUnsafe(nil)
	out, err := SendRaw(context.Background(), tg, raw, o)
	if err != nil || out.Signature() != "200 open" {
		t.Errorf("SendRaw over TLS = %q, %v; want 200 open", out.Signature(), err)
	}
	o.CloseWrite = true
	if _, err := SendRaw(context.Background(), tg, raw, o); !errors.Is(err, ErrCloseWriteTLS) {
		t.Errorf("CloseWrite over TLS = %v; want ErrCloseWriteTLS", err)
	}
}

func TestSendRawCanceled(t *testing.T) {
	tg := rawListener(t, func(c net.Conn) { time.Sleep(100 * time.Millisecond); c.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := SendRaw(ctx, tg, []byte("GET / HTTP/1.1\r\n\r\n"), Options{})
	if err != nil || out.End != EndCanceled {
		t.Errorf("SendRaw with a canceled context = %v, %v; want EndCanceled", out.End, err)
	}
}

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Target
		host string
	}{
		{"http://example.com/x", Target{Host: "example.com", Port: 80}, "example.com"},
		{"https://example.com:8443", Target{Host: "example.com", Port: 8443, TLS: true}, "example.com:8443"},
		{"http://[::1]:81/", Target{Host: "::1", Port: 81}, "[::1]:81"},
	} {
		got, err := ParseTarget(tc.in)
		if err != nil || got != tc.want || got.HostHeader() != tc.host {
			t.Errorf("ParseTarget(%q) = %+v (%q), %v; want %+v (%q)", tc.in, got, got.HostHeader(), err, tc.want, tc.host)
		}
	}
	for _, bad := range []string{"ftp://x/", "http://", "http://x:0/", "http://x:99999/", "::"} {
		if _, err := ParseTarget(bad); !errors.Is(err, ErrBadTarget) {
			t.Errorf("ParseTarget(%q) = %v; want ErrBadTarget", bad, err)
		}
	}
}

// With CloseWrite the server reads the end of the stream, even after no
// byte at all, and answers what it has.
func TestSendRawCloseWrite(t *testing.T) {
	srv := httptest.NewServer(echoHandler())
	defer srv.Close()
	tg := targetOf(t, srv.URL)
	o := quick
	o.CloseWrite = true
	out, err := SendRaw(context.Background(), tg, []byte("GET / HTTP/1.1\r\nHost: "+tg.HostHeader()+"\r\n\r\n"), o)
	if err != nil || out.Signature() != "200 closed" {
		t.Errorf("SendRaw with CloseWrite = %q, %v; want 200 closed (net/http closes at the end of the stream)", out.Signature(), err)
	}
	o.Await = -1
	out, err = SendRaw(context.Background(), tg, nil, o)
	if err != nil || out.Signature() != "- closed" {
		t.Errorf("SendRaw of nothing with CloseWrite = %q, %v; want - closed", out.Signature(), err)
	}
}

// A server that answers more than MaxRead bytes ends the exchange at the
// limit.
func TestSendRawLimit(t *testing.T) {
	tg := rawListener(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"+strings.Repeat("x", 100000))
		c.Close()
	})
	o := quick
	o.MaxRead = 4096
	out, err := SendRaw(context.Background(), tg, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), o)
	if err != nil || out.End != EndLimit || out.Read < 4096 || len(out.Responses) != 1 || out.Responses[0].Complete {
		t.Errorf("SendRaw = %+v, %v; want EndLimit after 4096 bytes, in the body", out, err)
	}
}

// A server that answers at once and closes while a big request is still
// going out: the probe sees the answer or the reset, and does not wait
// for the send to finish.
func TestSendRawAnswerWhileSending(t *testing.T) {
	tg := rawListener(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		c.Close()
	})
	raw := []byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 67108864\r\n\r\n" + strings.Repeat("x", 64<<20))
	out, err := SendRaw(context.Background(), tg, raw, quick)
	if err != nil || !out.End.Closed() || out.Sent >= len(raw) {
		t.Fatalf("SendRaw = end %v, sent %d of %d, %v; want closed or reset before the end", out.End, out.Sent, len(raw), err)
	}
	if out.End == EndClosed && out.Signature() != "413 closed" {
		t.Errorf("Signature = %q; want 413 closed", out.Signature())
	}
}

// A cancel or a deadline of the context wakes a wait in progress: the
// read timeout is far away, the context ends the exchange.
func TestSendRawContextWakesWait(t *testing.T) {
	hold := make(chan net.Conn, 2)
	tg := rawListener(t, func(c net.Conn) { hold <- c })
	t.Cleanup(func() {
		for range 2 {
			(<-hold).Close()
		}
	})
	o := quick
	o.ReadTimeout = time.Minute
	req := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")

	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(50*time.Millisecond, cancel)
	defer timer.Stop()
	out, err := SendRaw(ctx, tg, req, o)
	if err != nil || out.End != EndCanceled || !errors.Is(out.Err, context.Canceled) {
		t.Errorf("canceled: SendRaw = %v (%v), %v; want EndCanceled", out.End, out.Err, err)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	out, err = SendRaw(ctx, tg, req, o)
	if err != nil || out.End != EndTimeout || !errors.Is(out.Err, context.DeadlineExceeded) {
		t.Errorf("deadline: SendRaw = %v (%v), %v; want EndTimeout", out.End, out.Err, err)
	}
}
