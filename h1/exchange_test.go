package h1

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

// TestExchangeCounters: BytesSent, BytesReceived, ResponseHead,
// ResponseKeepAlive and Reusable follow a request from before its first
// byte to after its body, for a kept-alive response and for one after
// which the server closes.
func TestExchangeCounters(t *testing.T) {
	testpeer.CheckLeaks(t)
	const keep = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
	const closing = "HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
	srv := testpeer.ScriptServer(t, func(c net.Conn, n int, _ string, _ []byte) bool {
		if n == 0 {
			io.WriteString(c, keep)
			return true
		}
		io.WriteString(c, closing)
		return false
	})
	var c Client
	defer c.Close()
	if c.Reusable() || c.ResponseHead() != nil || c.ResponseKeepAlive() {
		t.Fatalf("a new client: Reusable %v, ResponseHead %v, ResponseKeepAlive %v; want false, nil, false",
			c.Reusable(), c.ResponseHead(), c.ResponseKeepAlive())
	}
	connect(t, &c, srv.Port())
	if !c.Reusable() {
		t.Fatal("connected: Reusable = false")
	}
	body := strings.Repeat("b", 20<<10) // past smallBody: written from the caller's slice
	if err := c.Request(MethodPost, "/up", nil, []byte(body)); err != nil {
		t.Fatal(err)
	}
	sent, total := c.BytesSent()
	if sent != 0 || total <= int64(len(body)) {
		t.Fatalf("after Request: BytesSent = %d, %d; want 0 and more than the body's %d", sent, total, len(body))
	}
	if c.ResponseHead() != nil || c.BytesReceived() != 0 {
		t.Fatalf("after Request: ResponseHead %v, BytesReceived %d; want nil, 0", c.ResponseHead(), c.BytesReceived())
	}
	got, err := fetchBody(t, &c)
	if err != nil || got != "hello" {
		t.Fatalf("body = %q, %v", got, err)
	}
	if s, tot := c.BytesSent(); s != total || tot != total {
		t.Errorf("after the response: BytesSent = %d, %d; want %d, %d", s, tot, total, total)
	}
	if n := c.BytesReceived(); n != int64(len(keep)) {
		t.Errorf("BytesReceived = %d; want %d", n, len(keep))
	}
	h := c.ResponseHead()
	if h == nil || h.Status != 200 || h.Minor != 1 || h.ContentLength != 5 {
		t.Fatalf("ResponseHead = %+v; want 200, HTTP/1.1, length 5", h)
	}
	if !c.ResponseKeepAlive() || !c.Reusable() {
		t.Errorf("kept-alive response: ResponseKeepAlive %v, Reusable %v; want true, true", c.ResponseKeepAlive(), c.Reusable())
	}

	got, err = fetchAgain(t, &c)
	if err != nil || got != "ok" {
		t.Fatalf("second body = %q, %v", got, err)
	}
	if h := c.ResponseHead(); h == nil || h.Status != 201 {
		t.Fatalf("second ResponseHead = %+v; want 201", h)
	}
	if n := c.BytesReceived(); n != int64(len(closing)) {
		t.Errorf("second BytesReceived = %d; want %d (counted from this request)", n, len(closing))
	}
	if c.ResponseKeepAlive() || c.Reusable() || c.Status() != StatusConnected {
		t.Errorf("Connection: close: ResponseKeepAlive %v, Reusable %v, status %v; want false, false, connected",
			c.ResponseKeepAlive(), c.Reusable(), c.Status())
	}
	c.Close()
	if c.Reusable() || c.ResponseHead() != nil {
		t.Errorf("after Close: Reusable %v, ResponseHead %v; want false, nil", c.Reusable(), c.ResponseHead())
	}
}

func fetchBody(t *testing.T, c *Client) (string, error) {
	t.Helper()
	run(t, c, StatusRequesting)
	var out []byte
	for c.Status() == StatusBody {
		var err error
		if out, err = c.ReadResponseBodyChunkInto(out); err != nil {
			return string(out), err
		}
	}
	return string(out), c.Err()
}

func fetchAgain(t *testing.T, c *Client) (string, error) {
	t.Helper()
	if err := c.Request(MethodGet, "/again", nil, nil); err != nil {
		return "", err
	}
	return fetchBody(t, c)
}

// TestExchangeTLSState: TLSState is false over plain TCP and reports the
// session over TLS.
func TestExchangeTLSState(t *testing.T) {
	testpeer.CheckLeaks(t)
	pki := testpeer.NewPKI(t)
	srv := testpeer.TLSServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "tls")
	}))
	plain := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 204 No Content\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	if _, ok := c.TLSState(); ok {
		t.Fatal("no connection: TLSState ok")
	}
	connect(t, &c, plain.Port())
	if _, ok := c.TLSState(); ok {
		t.Fatal("plain TCP: TLSState ok")
	}
	c.SetBlockingMode(true)
	if err := c.ConnectToHost("127.0.0.1", testpeer.HTTPTestPort(t, srv), tlsx.Client(pki.Roots, "")); err != nil {
		t.Fatal(err)
	}
	run(t, &c, StatusResolving, StatusConnecting)
	st, ok := c.TLSState()
	if !ok || st.Version != tls.VersionTLS12 || len(st.PeerCertificates) == 0 {
		t.Fatalf("TLSState = %+v, %v; want a TLS 1.2 session with the server's certificate", st, ok)
	}
	body, err := fetch(t, &c, MethodGet, "/", nil, nil)
	if err != nil || string(body) != "tls" {
		t.Fatalf("GET over TLS = %q, %v", body, err)
	}
}

// TestExchangeAbortFromAnotherGoroutine: Abort, called while a blocking
// Poll waits for a head that never comes, wakes that wait: the request
// fails with ErrConnection, not with the head's time limit.
func TestExchangeAbortFromAnotherGoroutine(t *testing.T) {
	testpeer.CheckLeaks(t)
	read := make(chan struct{})
	release := make(chan struct{})
	srv := testpeer.ScriptServer(t, func(net.Conn, int, string, []byte) bool {
		close(read)
		<-release
		return false
	})
	defer close(release)
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	c.SetBlockingMode(true)
	if err := c.Request(MethodGet, "/never", nil, nil); err != nil {
		t.Fatal(err)
	}
	go func() {
		<-read
		c.Abort()
	}()
	var err error
	for c.Status() == StatusRequesting && err == nil {
		err = c.Poll()
	}
	if !errors.Is(err, ErrConnection) || errors.Is(err, ErrTimeout) || c.Status() != StatusConnectionError {
		t.Fatalf("Poll after Abort = %v, status %v; want ErrConnection, StatusConnectionError", err, c.Status())
	}
}

// TestExchangeInterruptBeforeWait: an Interrupt with no wait in progress
// makes the next blocking wait return at once, with the request still
// under way and no error.
func TestExchangeInterruptBeforeWait(t *testing.T) {
	testpeer.CheckLeaks(t)
	release := make(chan struct{})
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		<-release
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	c.SetBlockingMode(true)
	if err := c.Request(MethodGet, "/later", nil, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && c.Status() == StatusRequesting; i++ {
		c.Interrupt()
		if err := c.Poll(); err != nil {
			t.Fatalf("Poll after Interrupt = %v; want nil", err)
		}
	}
	if s := c.Status(); s != StatusRequesting {
		t.Fatalf("status = %v; want requesting: the server has not answered", s)
	}
	close(release)
	run(t, &c, StatusRequesting)
	if c.ResponseCode() != 200 || c.Err() != nil {
		t.Fatalf("after the answer: code %d, err %v", c.ResponseCode(), c.Err())
	}
}

// TestExchangeSetResolver: the resolver given to SetResolver looks the
// host up; its failure is ErrCantResolve.
func TestExchangeSetResolver(t *testing.T) {
	testpeer.CheckLeaks(t)
	var asked atomic.Int32
	r := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		asked.Add(1)
		return nil, errors.New("no name server in this test")
	}}
	var c Client
	defer c.Close()
	c.SetResolver(r)
	if err := c.ConnectToHost("h1-resolver-test.example", 80, nil); err != nil {
		t.Fatal(err)
	}
	run(t, &c, StatusResolving, StatusConnecting)
	if c.Status() != StatusCantResolve || !errors.Is(c.Err(), ErrCantResolve) {
		t.Fatalf("status %v, err %v; want StatusCantResolve, ErrCantResolve", c.Status(), c.Err())
	}
	if asked.Load() == 0 {
		t.Fatal("the resolver given to SetResolver was not asked")
	}
}

// TestExchangeSetTrace: SetTrace on a connected client starts a reused
// exchange with the connection's address, the client records the
// request's head and times, and SetTrace(nil) stops the recording.
func TestExchangeSetTrace(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	var heads []string
	tr := &Trace{OnRequestHead: func(h []byte) { heads = append(heads, string(h)) }}
	c.SetTrace(tr)
	if !tr.Reused || tr.Exchange.IsZero() || !strings.HasPrefix(tr.Addr, "127.0.0.1:") {
		t.Fatalf("SetTrace on a connected client: Reused %v, Exchange %v, Addr %q", tr.Reused, tr.Exchange, tr.Addr)
	}
	if _, err := fetch(t, &c, MethodGet, "/traced", nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(heads) != 1 || !strings.HasPrefix(heads[0], "GET /traced HTTP/1.1\r\n") {
		t.Fatalf("OnRequestHead saw %q", heads)
	}
	if tr.WroteRequest.IsZero() || tr.HeadDone.IsZero() || tr.HeadDone.Before(tr.WroteRequest) {
		t.Fatalf("times: WroteRequest %v, HeadDone %v", tr.WroteRequest, tr.HeadDone)
	}
	c.SetTrace(nil)
	if _, err := fetch(t, &c, MethodGet, "/untraced", nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(heads) != 1 {
		t.Fatalf("after SetTrace(nil), OnRequestHead saw %q", heads)
	}
}
