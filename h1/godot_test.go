package h1

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/parser"
)

// Each test here pins a behaviour where Godot's HTTPClient goes wrong.

func TestHeadersReadTwice(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	if _, err := fetch(t, &c, MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"A: 1", "B: 2", "Content-Length: 0"}
	for i := 0; i < 3; i++ {
		if got := c.ResponseHeaders(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ResponseHeaders() #%d = %q; want %q", i+1, got, want)
		}
	}
	if v, ok := c.ResponseHeader("b"); !ok || string(v) != "2" {
		t.Errorf("ResponseHeader(b) = %q, %v; want 2, true", v, ok)
	}
}

func TestDuplicateHeadersKept(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nSET-COOKIE: c=3\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	if _, err := fetch(t, &c, MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	got := c.ResponseHeadersMap()["Set-Cookie"]
	if fmt.Sprint(got) != "[a=1 b=2 c=3]" {
		t.Errorf("ResponseHeadersMap()[Set-Cookie] = %q; want [a=1 b=2 c=3]", got)
	}
	if n := len(c.ResponseHeaders()); n != 4 {
		t.Errorf("len(ResponseHeaders()) = %d; want 4", n)
	}
}

func TestInterimResponsesSkipped(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, n int, _ string, _ []byte) bool {
		switch n {
		case 0: // 100 and 103 before the answer, in separate writes
			io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\n")
			time.Sleep(5 * time.Millisecond)
			io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 201 Created\r\n")
			time.Sleep(5 * time.Millisecond)
			io.WriteString(c, "Content-Length: 2\r\n\r\nok")
		case 1: // 101 is final
			io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\nraw")
			return false
		}
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	body, err := fetch(t, &c, MethodPost, "/", []string{"Expect: 100-continue"}, []byte("x"))
	if err != nil || c.ResponseCode() != 201 || string(body) != "ok" {
		t.Fatalf("after 100 and 103: code %d body %q err %v; want 201 ok", c.ResponseCode(), body, err)
	}
	if got := c.ResponseHeaders(); len(got) != 1 || got[0] != "Content-Length: 2" {
		t.Errorf("headers = %q; want the final response's only", got)
	}
	body, err = fetch(t, &c, MethodGet, "/ws", []string{"Upgrade: x", "Connection: Upgrade"}, nil)
	if err != nil || c.ResponseCode() != 101 || string(body) != "raw" {
		t.Errorf("101: code %d body %q err %v; want 101 and the tunnel bytes", c.ResponseCode(), body, err)
	}
}

func TestConnectionCloseReconnects(t *testing.T) {
	testpeer.CheckLeaks(t)
	answers := []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",                                     // keep-alive
		"HTTP/1.1 200 OK\r\nconnection:   KEEP-ALIVE , CLOSE\r\nContent-Length: 1\r\n\r\nb", // close, odd spelling
		"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nc",                                     // 1.0: close by default
		"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nd",           // 1.0 keep-alive
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ne",
		"HTTP/1.1 200 OK\r\nCONNECTION: Close\r\nContent-Length: 1\r\n\r\nf",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ng",
	}
	srv := testpeer.ScriptServer(t, func(c net.Conn, n int, _ string, _ []byte) bool {
		io.WriteString(c, answers[n])
		return !strings.Contains(strings.ToLower(answers[n]), "close") && !strings.HasPrefix(answers[n], "HTTP/1.0 200 OK\r\nContent")
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	wantConns := []int{1, 1, 2, 3, 3, 3, 4}
	for i := range answers {
		body, err := fetch(t, &c, MethodGet, "/", nil, nil)
		if err != nil || string(body) != string(rune('a'+i)) {
			t.Fatalf("request %d: %q, %v", i, body, err)
		}
		if c.Status() != StatusConnected {
			t.Fatalf("request %d: status %v; want connected", i, c.Status())
		}
		if got := srv.Conns(); got != wantConns[i] {
			t.Errorf("after request %d: %d connections; want %d", i, got, wantConns[i])
		}
	}
}

func TestEarlyEOFIsAnError(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
		return false
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	body, err := fetch(t, &c, MethodGet, "/", nil, nil)
	if !errors.Is(err, ErrConnection) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v; want ErrConnection and io.ErrUnexpectedEOF", err)
	}
	if c.Status() != StatusConnectionError || string(body) != "abc" {
		t.Errorf("status %v body %q; want connection-error, abc", c.Status(), body)
	}
	if err := c.Poll(); err != c.Err() {
		t.Errorf("Poll = %v; want the terminal error again", err)
	}
	if err := c.Request(MethodGet, "/", nil, nil); err != ErrUnconfigured {
		t.Errorf("Request in an error status = %v; want ErrUnconfigured", err)
	}
}

func TestCloseDelimitedBody(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil")
		time.Sleep(5 * time.Millisecond)
		io.WriteString(c, " the end")
		return false // FIN
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	for i := 0; i < 2; i++ {
		body, err := fetch(t, &c, MethodGet, "/", nil, nil)
		if err != nil || string(body) != "until the end" {
			t.Fatalf("fetch %d = %q, %v; want the body and no error", i, body, err)
		}
		if c.Status() != StatusConnected || c.ResponseBodyLength() != -1 {
			t.Errorf("status %v length %d; want connected, -1", c.Status(), c.ResponseBodyLength())
		}
	}
	if srv.Conns() != 2 {
		t.Errorf("%d connections; want 2", srv.Conns())
	}
}

func TestChunkExtensionsAndTrailers(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"+
			"5;name=value;flag\r\nhello\r\n6 ; q=\"a b\"\r\n world\r\n0;last\r\nX-Sum: 42\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	body, err := fetch(t, &c, MethodGet, "/", nil, nil)
	if err != nil || string(body) != "hello world" || !c.IsResponseChunked() {
		t.Fatalf("body %q err %v chunked %v", body, err, c.IsResponseChunked())
	}
	if tr := c.ResponseTrailers(); len(tr) != 1 || string(tr[0].Name) != "X-Sum" || string(tr[0].Value) != "42" {
		t.Errorf("trailers = %q", tr)
	}
	if c.Status() != StatusConnected || srv.Conns() != 1 {
		t.Errorf("status %v conns %d", c.Status(), srv.Conns())
	}
}

func TestHugeChunkStreams(t *testing.T) {
	testpeer.CheckLeaks(t)
	const size = 17 << 20
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n", size)
		block := bytes.Repeat([]byte("0123456789abcdef"), 4096)
		for n := 0; n < size; n += len(block) {
			if _, err := c.Write(block[:min(len(block), size-n)]); err != nil {
				return false
			}
		}
		io.WriteString(c, "\r\n0\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	c.SetBlockingMode(true)
	connect(t, &c, srv.Port())
	if err := c.Request(MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	run(t, &c, StatusRequesting)
	total, maxChunk := 0, 0
	buf := make([]byte, 0, DefaultReadChunkSize)
	for c.Status() == StatusBody {
		b, err := c.ReadResponseBodyChunkInto(buf[:0])
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 0 && b[0] != "0123456789abcdef"[total%16] {
			t.Fatalf("byte %d = %q", total, b[0])
		}
		total += len(b)
		maxChunk = max(maxChunk, len(b))
	}
	if total != size || c.Status() != StatusConnected {
		t.Errorf("read %d bytes, status %v; want %d, connected", total, c.Status(), size)
	}
	if maxChunk > DefaultReadChunkSize {
		t.Errorf("a read returned %d bytes; want at most the read chunk size", maxChunk)
	}
}

func TestBlockingModeDoesNotSpin(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		time.Sleep(300 * time.Millisecond)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab")
		time.Sleep(300 * time.Millisecond)
		io.WriteString(c, "cd")
		return true
	})
	var c Client
	defer c.Close()
	c.SetBlockingMode(true)
	connect(t, &c, srv.Port())
	before, start := cpuTime(t), time.Now()
	body, err := fetch(t, &c, MethodGet, "/", nil, nil)
	used, took := cpuTime(t)-before, time.Since(start)
	if err != nil || string(body) != "abcd" {
		t.Fatalf("fetch = %q, %v", body, err)
	}
	if took < 500*time.Millisecond {
		t.Fatalf("took %v; the server waits 600ms", took)
	}
	if used > 100*time.Millisecond {
		t.Errorf("blocked %v and used %v of CPU; want < 100ms", took, used)
	}
}

func TestIPv6HostBracketed(t *testing.T) {
	testpeer.CheckLeaks(t)
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		defer c.Close()
		head, _ := testpeer.ReadHead(c)
		got <- head
		io.WriteString(c, "HTTP/1.1 204 No Content\r\n\r\n")
		io.Copy(io.Discard, c)
	}()
	defer ln.Close()
	var c Client
	defer c.Close()
	if err := c.ConnectToHost("[::1]", port, nil); err != nil {
		t.Fatal(err)
	}
	run(t, &c, StatusConnecting, StatusResolving)
	if _, err := fetch(t, &c, MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	if head := <-got; !strings.Contains(head, fmt.Sprintf("\r\nHost: [::1]:%d\r\n", port)) {
		t.Errorf("head = %q; want Host: [::1]:%d", head, port)
	}
	if c.ResponseCode() != 204 || c.ResponseBodyLength() != 0 {
		t.Errorf("code %d length %d", c.ResponseCode(), c.ResponseBodyLength())
	}
}

func TestEmptyPostSendsContentLength(t *testing.T) {
	testpeer.CheckLeaks(t)
	heads := make(chan string, 8)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, head string, _ []byte) bool {
		heads <- head
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	for _, tc := range []struct {
		m    Method
		want bool
	}{{MethodPost, true}, {MethodPut, true}, {MethodPatch, true}, {MethodGet, false}, {MethodDelete, false}} {
		if _, err := fetch(t, &c, tc.m, "/", nil, nil); err != nil {
			t.Fatal(err)
		}
		head := <-heads
		if got := strings.Contains(head, "\r\nContent-Length: 0\r\n"); got != tc.want {
			t.Errorf("%v: Content-Length: 0 sent = %v; want %v\n%s", tc.m, got, tc.want, head)
		}
	}
}

func TestRequestHead(t *testing.T) {
	testpeer.CheckLeaks(t)
	heads := make(chan string, 8)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, head string, body []byte) bool {
		heads <- head + string(body)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	if _, err := fetch(t, &c, MethodPut, "/a?b=c", []string{"X-One: 1", "X-Two:2  "}, []byte("data")); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("PUT /a?b=c HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-One: 1\r\nX-Two: 2\r\nUser-Agent: %s\r\nAccept: */*\r\nContent-Length: 4\r\n\r\ndata",
		srv.Port(), parser.DefaultUserAgent)
	if got := <-heads; got != want {
		t.Errorf("request =\n%q\nwant\n%q", got, want)
	}
	// The caller's own Host, User-Agent and Accept replace the defaults.
	if _, err := fetch(t, &c, MethodGet, "/", []string{"Host: example.com", "User-Agent: g", "Accept: a/b"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := <-heads; got != "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: g\r\nAccept: a/b\r\n\r\n" {
		t.Errorf("request = %q", got)
	}
}

// TestRepeatedRequestHead: a request like the previous one reuses its
// encoded head; any change writes a new one.
func TestRepeatedRequestHead(t *testing.T) {
	testpeer.CheckLeaks(t)
	heads := make(chan string, 16)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, head string, body []byte) bool {
		heads <- head + string(body)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	h := []string{"X-A: 1"}
	reqs := []struct {
		m       Method
		url     string
		headers []string
		body    string
		want    string
	}{
		{MethodGet, "/a", h, "", "GET /a HTTP/1.1\r\nHost: H\r\nX-A: 1\r\nUser-Agent: UA\r\nAccept: */*\r\n\r\n"},
		{MethodGet, "/a", h, "", "GET /a HTTP/1.1\r\nHost: H\r\nX-A: 1\r\nUser-Agent: UA\r\nAccept: */*\r\n\r\n"},
		{MethodGet, "/b", h, "", "GET /b HTTP/1.1\r\nHost: H\r\nX-A: 1\r\nUser-Agent: UA\r\nAccept: */*\r\n\r\n"},
		{MethodGet, "/b", []string{"X-A: 2"}, "", "GET /b HTTP/1.1\r\nHost: H\r\nX-A: 2\r\nUser-Agent: UA\r\nAccept: */*\r\n\r\n"},
		{MethodPost, "/b", []string{"X-A: 2"}, "xy", "POST /b HTTP/1.1\r\nHost: H\r\nX-A: 2\r\nUser-Agent: UA\r\nAccept: */*\r\nContent-Length: 2\r\n\r\nxy"},
		{MethodPost, "/b", []string{"X-A: 2"}, "zw", "POST /b HTTP/1.1\r\nHost: H\r\nX-A: 2\r\nUser-Agent: UA\r\nAccept: */*\r\nContent-Length: 2\r\n\r\nzw"},
		{MethodPost, "/b", []string{"X-A: 2"}, "abc", "POST /b HTTP/1.1\r\nHost: H\r\nX-A: 2\r\nUser-Agent: UA\r\nAccept: */*\r\nContent-Length: 3\r\n\r\nabc"},
		{MethodPost, "/b", []string{"X-A: 2"}, "", "POST /b HTTP/1.1\r\nHost: H\r\nX-A: 2\r\nUser-Agent: UA\r\nAccept: */*\r\nContent-Length: 0\r\n\r\n"},
	}
	host := fmt.Sprintf("127.0.0.1:%d", srv.Port())
	for i, r := range reqs {
		var body []byte
		if r.body != "" {
			body = []byte(r.body)
		}
		if _, err := fetch(t, &c, r.m, r.url, r.headers, body); err != nil {
			t.Fatal(err)
		}
		want := strings.NewReplacer("Host: H", "Host: "+host, "UA", parser.DefaultUserAgent).Replace(r.want)
		if got := <-heads; got != want {
			t.Errorf("request %d = %q; want %q", i, got, want)
		}
		h[0] = "X-A: 1" // the caller may reuse its slice
	}
}
