package h1

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/streampeer"
)

func TestQueryStringFromDict(t *testing.T) {
	cases := []struct {
		fields []QueryField
		want   string
	}{
		// Godot's documented example.
		{[]QueryField{{"single", []string{"123"}}, {"not_valued", nil}, {"multiple", []string{"22", "33", "44"}}},
			"single=123&not_valued&multiple=22&multiple=33&multiple=44"},
		{[]QueryField{{"username", []string{"user"}}, {"password", []string{"pass"}}}, "username=user&password=pass"},
		{[]QueryField{{"a b", []string{"c&d=e"}}, {"é", []string{"~-._/?+"}}}, "a%20b=c%26d%3De&%C3%A9=~-._%2F%3F%2B"},
		{[]QueryField{{"empty", []string{}}, {"k", []string{""}}}, "k="},
		{nil, ""},
	}
	for _, tc := range cases {
		if got := QueryStringFromDict(tc.fields); got != tc.want {
			t.Errorf("QueryStringFromDict(%v) = %q; want %q", tc.fields, got, tc.want)
		}
	}
}

func TestMethodAndURLChecks(t *testing.T) {
	names := []string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH"}
	for m := Method(0); m < methodCount; m++ {
		if m.String() != names[m] {
			t.Errorf("Method(%d).String() = %q; want %q", m, m, names[m])
		}
	}
	cases := []struct {
		m   Method
		url string
		ok  bool
	}{
		{MethodGet, "/", true}, {MethodGet, "/a?b", true}, {MethodGet, "http://x/y", true},
		{MethodGet, "https://x/", true}, {MethodGet, "x/y", false}, {MethodGet, "", false},
		{MethodGet, "*", false}, {MethodOptions, "*", true}, {MethodOptions, "/", true},
		{MethodConnect, "example.com:443", true}, {MethodConnect, "[::1]:443", true},
		{MethodConnect, "example.com", false}, {MethodConnect, ":443", false}, {MethodConnect, "x:", false},
		{MethodGet, "ftp://x/", false},
	}
	for _, tc := range cases {
		if got := checkURL(tc.m, tc.url); got != tc.ok {
			t.Errorf("checkURL(%v, %q) = %v; want %v", tc.m, tc.url, got, tc.ok)
		}
	}
}

// scripted is a StreamPeer that answers each request written to it with
// the next of its answers, as a server would, and records the requests.
// Once the answers run out it reports the end of the stream.
type scripted struct {
	answers []string
	in      bytes.Reader
	out     bytes.Buffer
}

func (s *scripted) PutData(p []byte) error { _, err := s.PutPartialData(p); return err }
func (s *scripted) PutPartialData(p []byte) (int, error) {
	s.out.Write(p)
	if bytes.HasSuffix(s.out.Bytes(), []byte("\r\n\r\n")) && len(s.answers) > 0 {
		s.in.Reset([]byte(s.answers[0]))
		s.answers = s.answers[1:]
	}
	return len(p), nil
}
func (s *scripted) GetData(p []byte) error { _, err := io.ReadFull(&s.in, p); return err }
func (s *scripted) AvailableBytes() int    { return s.in.Len() }
func (s *scripted) GetPartialData(p []byte) (int, error) {
	if s.in.Len() == 0 {
		if len(s.answers) == 0 {
			return 0, io.EOF
		}
		return 0, nil
	}
	// Hand the bytes out a few at a time, as a network would.
	return s.in.Read(p[:min(len(p), 7)])
}

func TestSetConnection(t *testing.T) {
	peer := &scripted{answers: []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthree",
	}}
	var c Client
	c.SetConnection(peer)
	if c.Status() != StatusConnected || c.Connection() != peer {
		t.Fatalf("status %v connection %v", c.Status(), c.Connection())
	}
	for i, want := range []string{"one", "two", "three"} {
		body, err := fetch(t, &c, MethodGet, "/", []string{"Host: scripted"}, nil)
		if err != nil || string(body) != want {
			t.Fatalf("response %d = %q, %v; want %q", i, body, err, want)
		}
	}
	// The last response ran until the end of the stream: nothing to reuse.
	if c.Status() != StatusDisconnected || c.Connection() != nil {
		t.Errorf("status %v connection %v; want disconnected, nil", c.Status(), c.Connection())
	}
	if got := strings.Count(peer.out.String(), "GET / HTTP/1.1\r\nHost: scripted\r\n"); got != 3 {
		t.Errorf("written: %q", peer.out.String())
	}

	// A streampeer.Buffer works as a one-way script of the answer: the
	// client writes its request first, so the script starts after room
	// for it.
	var buf streampeer.Buffer
	req := "GET / HTTP/1.1\r\nHost: b\r\nUser-Agent: " + parser.DefaultUserAgent + "\r\nAccept: */*\r\n\r\n"
	_ = buf.PutData([]byte(req + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	_ = buf.Seek(0)
	c.SetConnection(&buf)
	if body, err := fetch(t, &c, MethodGet, "/", []string{"Host: b"}, nil); err != nil || string(body) != "ok" {
		t.Errorf("over a Buffer: %q, %v", body, err)
	}
}

func TestParameterChecks(t *testing.T) {
	var c Client
	if err := c.Poll(); err != ErrUnconfigured {
		t.Errorf("Poll before connecting = %v; want ErrUnconfigured", err)
	}
	if err := c.Request(MethodGet, "/", nil, nil); err != ErrUnconfigured {
		t.Errorf("Request before connecting = %v; want ErrUnconfigured", err)
	}
	if _, err := c.ReadResponseBodyChunkInto(nil); err != ErrUnconfigured {
		t.Errorf("ReadResponseBodyChunkInto before connecting = %v", err)
	}
	for _, bad := range []struct {
		host string
		port int
	}{{"", 80}, {"http://", 80}, {"a b", 80}, {"x", 0}, {"x", 65536}, {"x/y", 80}} {
		if err := c.ConnectToHost(bad.host, bad.port, nil); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("ConnectToHost(%q, %d) = %v; want ErrInvalidParameter", bad.host, bad.port, err)
		}
		if c.Status() != StatusDisconnected {
			t.Errorf("status after a refused ConnectToHost = %v", c.Status())
		}
	}
	for _, n := range []int{0, 255, 16<<20 + 1, -1} {
		if err := c.SetReadChunkSize(n); err != ErrInvalidParameter {
			t.Errorf("SetReadChunkSize(%d) = %v; want ErrInvalidParameter", n, err)
		}
	}
	for _, n := range []int{256, 4096, 16 << 20} {
		if err := c.SetReadChunkSize(n); err != nil || c.ReadChunkSize() != n {
			t.Errorf("SetReadChunkSize(%d) = %v, size %d", n, err, c.ReadChunkSize())
		}
	}
	if err := c.SetHTTPProxy("https://secure-proxy", 443); err != ErrInvalidParameter {
		t.Errorf("SetHTTPProxy(https://…) = %v; want ErrInvalidParameter", err)
	}
	if c.IsBlockingModeEnabled() {
		t.Error("blocking mode on by default")
	}
	if c.Status().String() != "disconnected" || StatusTLSHandshakeError.String() != "tls-handshake-error" {
		t.Errorf("status names: %v %v", c.Status(), StatusTLSHandshakeError)
	}
}

func TestRequestChecks(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.ScriptServer(t, func(c net.Conn, _ int, _ string, _ []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
		return true
	})
	var c Client
	defer c.Close()
	connect(t, &c, srv.Port())
	for _, tc := range []struct {
		m       Method
		url     string
		headers []string
	}{
		{Method(99), "/", nil},
		{MethodGet, "relative", nil},
		{MethodGet, "/", []string{"X-Injected: a\r\nEvil: b"}},
		{MethodGet, "/", []string{"NoColon"}},
		{MethodGet, "/", []string{": empty name"}},
		{MethodGet, "/", []string{"Bad Name: x"}},
		{MethodGet, "/a b", nil},
		{MethodPost, "/", []string{"Content-Length: 9"}}, // differs from the body
	} {
		body := []byte(nil)
		if tc.m == MethodPost {
			body = []byte("abc")
		}
		if err := c.Request(tc.m, tc.url, tc.headers, body); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("Request(%v, %q, %q) = %v; want ErrInvalidParameter", tc.m, tc.url, tc.headers, err)
		}
		if c.Status() != StatusConnected {
			t.Fatalf("status after a refused request = %v", c.Status())
		}
	}
	if err := c.Request(MethodGet, "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Request(MethodGet, "/", nil, nil); err != ErrBusy {
		t.Errorf("second Request in flight = %v; want ErrBusy", err)
	}
	run(t, &c, StatusRequesting)
	if err := c.Request(MethodGet, "/", nil, nil); err != ErrBusy {
		t.Errorf("Request during the body = %v; want ErrBusy", err)
	}
	if got := c.ReadResponseBodyChunk(); string(got) != "hello" || c.Status() != StatusConnected {
		t.Errorf("ReadResponseBodyChunk = %q, status %v", got, c.Status())
	}
	// A large body is written from the caller's slice.
	big := bytes.Repeat([]byte("b"), 100<<10)
	if _, err := fetch(t, &c, MethodPost, "/", nil, big); err != nil {
		t.Fatal(err)
	}
}

// TestStateTable checks the shape of the transition table: every status
// has a phase, the error phases are terminal and the others are not,
// every phase is reachable from the initial one, and every phase Poll
// must drive has a step.
func TestStateTable(t *testing.T) {
	seen := map[Status]bool{}
	for p := phase(0); p < phaseCount; p++ {
		info := phases[p]
		seen[info.status] = true
		isErr := info.status == StatusCantResolve || info.status == StatusCantConnect ||
			info.status == StatusConnectionError || info.status == StatusTLSHandshakeError
		if p.terminal() != isErr {
			t.Errorf("phase %s: terminal %v; want %v", info.name, p.terminal(), isErr)
		}
		driven := p != phaseIdle && p != phaseBody && !isErr
		if (steps[p] != nil) != driven {
			t.Errorf("phase %s: has a step %v; want %v", info.name, steps[p] != nil, driven)
		}
		for _, q := range info.next {
			if q >= phaseCount {
				t.Errorf("phase %s leads to phase %d", info.name, q)
			}
		}
	}
	for s := Status(0); s < statusCount; s++ {
		if !seen[s] && s != StatusRequesting {
			t.Errorf("status %v has no phase", s)
		}
	}
	reached := map[phase]bool{phaseIdle: true}
	todo := []phase{phaseIdle}
	for len(todo) > 0 {
		p := todo[0]
		todo = todo[1:]
		for _, q := range phases[p].next {
			if !reached[q] {
				reached[q] = true
				todo = append(todo, q)
			}
		}
	}
	for p := phase(0); p < phaseCount; p++ {
		if !reached[p] {
			t.Errorf("phase %s cannot be reached", phases[p].name)
		}
		if !allowed(p, phaseIdle) {
			t.Errorf("Close is not allowed from %s", phases[p].name)
		}
	}
	// A step outside the table fails the client instead of going on.
	var c Client
	c.to(phaseBody)
	if c.Status() != StatusConnectionError || !errors.Is(c.Err(), ErrConnection) {
		t.Errorf("idle to body: status %v err %v; want connection-error", c.Status(), c.Err())
	}
}

// TestTenThousandRequests sends 10,000 requests on one kept-alive
// connection.
func TestTenThousandRequests(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := testpeer.FixedServer(t)
	var c Client
	defer c.Close()
	c.SetBlockingMode(true)
	connect(t, &c, srv.Port())
	buf := make([]byte, 0, 64)
	for i := 0; i < 10000; i++ {
		out, err := roundTrip(&c, buf)
		if err != nil || string(out) != "Hello, World!" {
			t.Fatalf("request %d: %q, %v", i, out, err)
		}
	}
	if srv.Conns() != 1 {
		t.Errorf("%d connections; want 1", srv.Conns())
	}
}

func TestParseMethod(t *testing.T) {
	for m := MethodGet; m < methodCount; m++ {
		if got, ok := ParseMethod(m.String()); !ok || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, ok)
		}
	}
	for _, bad := range []string{"", "get", "PROPFIND", "GET "} {
		if _, ok := ParseMethod(bad); ok {
			t.Errorf("ParseMethod(%q) accepted", bad)
		}
	}
}
