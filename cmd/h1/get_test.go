package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

// getResult is what one run of h1 get left behind.
type getResult struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// runGetCmd runs the built binary with "get" and args, as a user would.
func runGetCmd(t *testing.T, env []string, args ...string) getResult {
	t.Helper()
	cmd := exec.Command(h1Bin, append([]string{"get"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := getResult{stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

func get(t *testing.T, args ...string) getResult {
	t.Helper()
	return runGetCmd(t, nil, args...)
}

func (r getResult) want(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d; want %d\nstdout: %q\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
}

// getServer is a loopback net/http server that counts its connections.
type getServer struct {
	*httptest.Server
	conns atomic.Int32
}

func getHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello\n")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s ae=%q ct=%q x=%q\n%s", r.Method, r.URL.Path, r.Header.Get("Accept-Encoding"),
			r.Header.Get("Content-Type"), r.Header.Get("X-Mine"), b)
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, strings.Repeat("squeeze me ", 100))
		zw.Close()
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not here", http.StatusNotFound)
	})
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye\n")
	})
	mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		// 8 parts 80 ms apart: long enough for a progress line.
		w.Header().Set("Content-Length", "8000")
		for range 8 {
			w.Write(bytes.Repeat([]byte("d"), 1000))
			w.(http.Flusher).Flush()
			time.Sleep(80 * time.Millisecond)
		}
	})
	return mux
}

func newGetServer(t *testing.T, tlsCert *tls.Certificate) *getServer {
	s := &getServer{Server: httptest.NewUnstartedServer(getHandler())}
	s.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are on purpose
	if tlsCert != nil {
		s.TLS = &tls.Config{Certificates: []tls.Certificate{*tlsCert}}
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

// rawServer answers each connection with handle, on loopback, and
// returns the server's base URL.
func rawServer(t *testing.T, handle func(c net.Conn)) string {
	s := testpeer.NewRawServer(t, handle)
	return "http://127.0.0.1:" + strconv.Itoa(s.Port())
}

// readRequestHead reads a request head from c.
func readRequestHead(c net.Conn) ([]byte, error) {
	br := bufio.NewReader(c)
	var head []byte
	for {
		line, err := br.ReadBytes('\n')
		head = append(head, line...)
		if err != nil {
			return head, err
		}
		if string(line) == "\r\n" {
			return head, nil
		}
	}
}

func TestGetUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--bogus", "http://127.0.0.1:1/"},
		{"-X", "BREW", "http://127.0.0.1:1/"},
		{"ftp://127.0.0.1/"},
		{"-H", "no colon", "http://127.0.0.1:1/"},
		{"--pin", "sha256//nope", "http://127.0.0.1:1/"},
		{"--timeout", "soon", "http://127.0.0.1:1/"},
		{"-d", "@/nonexistent/file", "http://127.0.0.1:1/"},
		{"http://127.0.0.1:1/", "-o"},
	} {
		r := get(t, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "usage: h1 get") {
			t.Errorf("h1 get %q: exit %d, stderr %q; want 1 and the usage", args, r.code, r.stderr)
		}
	}
	if r := get(t, "-h"); r.code != 0 || !strings.Contains(r.stdout, "--max-redirects") {
		t.Errorf("h1 get -h: exit %d, stdout %q; want 0 and the usage", r.code, r.stdout)
	}
}

func TestGetBody(t *testing.T) {
	s := newGetServer(t, nil)
	r := get(t, s.URL+"/hello")
	r.want(t, 0)
	if r.stdout != "hello\n" || r.stderr != "" {
		t.Fatalf("stdout %q, stderr %q; want the body and nothing", r.stdout, r.stderr)
	}
	// Flags after the URL, joined short flags, a URL without a scheme.
	r = get(t, strings.TrimPrefix(s.URL, "http://")+"/echo", "-XPUT", "-H", "X-Mine: yes")
	r.want(t, 0)
	if want := "PUT /echo ae=\"\" ct=\"\" x=\"yes\"\n"; r.stdout != want {
		t.Fatalf("stdout %q; want %q", r.stdout, want)
	}
}

func TestGetData(t *testing.T) {
	s := newGetServer(t, nil)
	file := filepath.Join(t.TempDir(), "body")
	data := "line one\r\nline two\n\x00binary"
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	r := get(t, "-d", "@"+file, s.URL+"/echo")
	r.want(t, 0)
	if want := "POST /echo ae=\"\" ct=\"application/x-www-form-urlencoded\" x=\"\"\n" + data; r.stdout != want {
		t.Fatalf("stdout %q; want %q", r.stdout, want)
	}
	r = get(t, "-d", "a=1", "-d", "b=2", "-X", "PATCH", "-H", "Content-Type: text/plain", s.URL+"/echo")
	r.want(t, 0)
	if want := "PATCH /echo ae=\"\" ct=\"text/plain\" x=\"\"\na=1&b=2"; r.stdout != want {
		t.Fatalf("stdout %q; want %q", r.stdout, want)
	}
}

func TestGetCompressed(t *testing.T) {
	s := newGetServer(t, nil)
	want := strings.Repeat("squeeze me ", 100)
	r := get(t, "--compressed", s.URL+"/gzip")
	r.want(t, 0)
	if r.stdout != want {
		t.Fatalf("--compressed: stdout %q; want the decoded body", r.stdout)
	}
	// Without --compressed: no Accept-Encoding, and the bytes as sent.
	r = get(t, s.URL+"/gzip")
	r.want(t, 0)
	zr, err := gzip.NewReader(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("without --compressed the body is not the gzip stream: %v", err)
	}
	if b, _ := io.ReadAll(zr); string(b) != want {
		t.Fatalf("gzip stream holds %q", b)
	}
	r = get(t, "--compressed", s.URL+"/echo")
	if !strings.Contains(r.stdout, `ae="gzip, deflate, br, zstd"`) {
		t.Fatalf("--compressed sent no Accept-Encoding: %q", r.stdout)
	}
}

func TestGetRedirect(t *testing.T) {
	s := newGetServer(t, nil)
	r := get(t, "-L", s.URL+"/redirect")
	r.want(t, 0)
	if r.stdout != "hello\n" {
		t.Fatalf("-L: stdout %q; want the target's body", r.stdout)
	}
	// Without -L the redirect is the answer.
	r = get(t, "-i", s.URL+"/redirect")
	r.want(t, 0)
	if !strings.HasPrefix(r.stdout, "HTTP/1.1 302 Found\r\n") || !strings.Contains(r.stdout, "Location: /hello\r\n") {
		t.Fatalf("without -L: stdout %q; want the 302", r.stdout)
	}
	// -i with -L prints every head, in order.
	r = get(t, "-i", "-L", s.URL+"/redirect")
	if i, j := strings.Index(r.stdout, "HTTP/1.1 302"), strings.Index(r.stdout, "HTTP/1.1 200"); i != 0 || j < i || !strings.HasSuffix(r.stdout, "\r\n\r\nhello\n") {
		t.Fatalf("-i -L: stdout %q", r.stdout)
	}
	r = get(t, "-L", "--timing", s.URL+"/redirect")
	if !strings.Contains(r.stderr, "\n  redirects ") || !strings.Contains(r.stderr, "reused connection") {
		t.Fatalf("--timing -L: stderr %q; want a redirects line and the reused connection", r.stderr)
	}
	r = get(t, "-L", "--max-redirects", "3", s.URL+"/loop")
	r.want(t, exitRedirects)
	r = get(t, "-L", "--max-redirects", "0", s.URL+"/redirect")
	r.want(t, exitRedirects)
}

func TestGetFail(t *testing.T) {
	s := newGetServer(t, nil)
	r := get(t, s.URL+"/missing")
	r.want(t, 0)
	if r.stdout != "not here\n" {
		t.Fatalf("without --fail: stdout %q; want the body", r.stdout)
	}
	out := filepath.Join(t.TempDir(), "out")
	r = get(t, "--fail", "-o", out, s.URL+"/missing")
	r.want(t, exitHTTP)
	if r.stdout != "" || !strings.Contains(r.stderr, "404") {
		t.Fatalf("--fail: stdout %q, stderr %q; want no body and the status", r.stdout, r.stderr)
	}
	noFiles(t, out)
}

// noFiles fails when out or its part file exists.
func noFiles(t *testing.T, out string) {
	t.Helper()
	for _, p := range []string{out, out + ".part"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists after a failed transfer", p)
		}
	}
}

func TestGetOutputFile(t *testing.T) {
	s := newGetServer(t, nil)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	// Two -o for three URLs: the third goes to stdout.
	r := get(t, "-o", a, "-o", b, s.URL+"/hello", s.URL+"/drip", s.URL+"/echo")
	r.want(t, 0)
	if got, _ := os.ReadFile(a); string(got) != "hello\n" {
		t.Fatalf("%s holds %q", a, got)
	}
	if got, _ := os.ReadFile(b); len(got) != 8000 {
		t.Fatalf("%s holds %d bytes; want 8000", b, len(got))
	}
	if !strings.HasPrefix(r.stdout, "GET /echo") {
		t.Fatalf("stdout %q; want the third body", r.stdout)
	}
	if strings.Contains(r.stderr, "\r") {
		t.Fatalf("progress drawn on a stderr that is not a terminal: %q", r.stderr)
	}
	for _, p := range []string{a + ".part", b + ".part"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left behind", p)
		}
	}
	// A directory that does not exist: curl's write error.
	r = get(t, "-o", filepath.Join(dir, "none", "x"), s.URL+"/hello")
	r.want(t, exitWrite)
}

func TestGetEarlyClose(t *testing.T) {
	url := rawServer(t, func(c net.Conn) {
		readRequestHead(c)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
		c.Write(bytes.Repeat([]byte("x"), 40000))
	})
	r := get(t, url+"/")
	r.want(t, exitRecv)
	out := filepath.Join(t.TempDir(), "out")
	r = get(t, "-o", out, url+"/")
	r.want(t, exitRecv)
	noFiles(t, out)
}

func TestGetTimeout(t *testing.T) {
	url := rawServer(t, func(c net.Conn) {
		readRequestHead(c)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
		io.Copy(io.Discard, c) // stall mid-body until the client gives up
	})
	out := filepath.Join(t.TempDir(), "out")
	r := get(t, "--timeout", "0.4", "-o", out, url+"/")
	r.want(t, exitTimeout)
	if r.took > 2*time.Second {
		t.Fatalf("took %v for a 0.4 s timeout", r.took)
	}
	noFiles(t, out)
}

func TestGetConnectRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	get(t, "http://"+addr+"/").want(t, exitConnect)
}

// TestGetResolve fails a lookup without asking any DNS server: Go's own
// resolver (forced with GODEBUG=netdns=go) refuses .onion names locally
// (RFC 7686), after /etc/hosts, so the test needs no network.
func TestGetResolve(t *testing.T) {
	r := runGetCmd(t, []string{"GODEBUG=netdns=go"}, "http://h1-get-test.onion/")
	r.want(t, exitResolve)
}

func TestGetVerbose(t *testing.T) {
	respHead := "HTTP/1.1 200 OK\r\nX-Odd:   spaced  \r\ncontent-length: 2\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\n"
	reqs := make(chan []byte, 1)
	url := rawServer(t, func(c net.Conn) {
		head, _ := readRequestHead(c)
		reqs <- head
		io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\n"+respHead+"ok")
	})
	r := get(t, "-v", "-i", "-H", "X-Mine:  kept as typed", url+"/v?q=1")
	r.want(t, 0)
	sent := <-reqs
	var gotReq, gotResp strings.Builder
	for _, line := range strings.SplitAfter(r.stderr, "\n") {
		switch {
		case strings.HasPrefix(line, "> "):
			gotReq.WriteString(line[2:])
		case strings.HasPrefix(line, "< "):
			gotResp.WriteString(line[2:])
		case line == "" || strings.HasPrefix(line, "* "):
		default:
			t.Errorf("stray stderr line %q", line)
		}
	}
	if gotReq.String() != string(sent) {
		t.Errorf("-v request head:\n%q\nthe server read:\n%q", gotReq.String(), sent)
	}
	if want := "HTTP/1.1 100 Continue\r\n\r\n" + respHead; gotResp.String() != want {
		t.Errorf("-v response heads:\n%q\nwant:\n%q", gotResp.String(), want)
	}
	if !strings.Contains(r.stderr, "* connected to "+strings.TrimPrefix(url, "http://")) {
		t.Errorf("-v does not say where it connected: %q", r.stderr)
	}
	if want := "HTTP/1.1 100 Continue\r\n\r\n" + respHead + "ok"; r.stdout != want {
		t.Errorf("-i: stdout %q; want %q", r.stdout, want)
	}
}

func TestGetKeepAlive(t *testing.T) {
	s := newGetServer(t, nil)
	r := get(t, "-v", s.URL+"/hello", s.URL+"/echo", s.URL+"/hello")
	r.want(t, 0)
	if n := s.conns.Load(); n != 1 {
		t.Fatalf("three URLs took %d connections; want 1", n)
	}
	if !strings.HasPrefix(r.stdout, "hello\nGET /echo") || !strings.HasSuffix(r.stdout, "hello\n") {
		t.Fatalf("stdout %q", r.stdout)
	}
	if n := strings.Count(r.stderr, "* reusing the connection"); n != 2 {
		t.Fatalf("-v says %d reuses; want 2:\n%s", n, r.stderr)
	}
	// With several URLs the last one decides the exit status, as in curl.
	get(t, s.URL+"/hello", "http://127.0.0.1:1/").want(t, exitConnect)
	get(t, "http://127.0.0.1:1/", s.URL+"/hello").want(t, 0)
}

func TestGetProxy(t *testing.T) {
	heads := make(chan string, 1)
	proxy := rawServer(t, func(c net.Conn) {
		h, _ := readRequestHead(c)
		heads <- string(h)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nproxied\n")
	})
	// The origin's name is never looked up: the proxy reaches it.
	r := get(t, "--proxy", strings.Replace(proxy, "://", "://u:p@", 1), "http://origin.invalid/p?q")
	r.want(t, 0)
	h := <-heads
	if r.stdout != "proxied\n" || !strings.HasPrefix(h, "GET http://origin.invalid/p?q HTTP/1.1\r\n") ||
		!strings.Contains(h, "\r\nProxy-Authorization: Basic dTpw\r\n") {
		t.Fatalf("stdout %q; the proxy read %q", r.stdout, h)
	}
	get(t, "--proxy", "socks5://127.0.0.1:1", "http://origin.invalid/").want(t, exitUsage)
}

// testCA makes a CA and a certificate for 127.0.0.1 that it signed
// (testpeer's), and writes the CA's PEM to a file.
func testCA(t *testing.T) (leaf tls.Certificate, caFile string) {
	t.Helper()
	pki := testpeer.NewPKI(t)
	_, rest := pem.Decode(pki.CertPEM) // the leaf; the CA follows
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, rest, 0o644); err != nil {
		t.Fatal(err)
	}
	return pki.Cert, caFile
}

func TestGetTLS(t *testing.T) {
	leaf, caFile := testCA(t)
	s := newGetServer(t, &leaf)
	cert, _ := x509.ParseCertificate(leaf.Certificate[0])
	pin := tlsx.PinOf(cert).String()
	wrongPin := tlsx.Pin{}.String()

	r := get(t, "--cacert", caFile, s.URL+"/hello")
	r.want(t, 0)
	if r.stdout != "hello\n" {
		t.Fatalf("stdout %q", r.stdout)
	}
	get(t, s.URL+"/hello").want(t, exitTLS) // the system roots do not know the CA
	get(t, "--cacert", caFile, "--pin", wrongPin, s.URL+"/hello").want(t, exitTLS)
	get(t, "--cacert", caFile, "--pin", wrongPin, "--pin", pin, s.URL+"/hello").want(t, 0)
	get(t, "--insecure", s.URL+"/hello").want(t, 0)
	get(t, "--insecure", "--pin", wrongPin, s.URL+"/hello").want(t, exitTLS)
}

func TestGetTiming(t *testing.T) {
	leaf, caFile := testCA(t)
	s := newGetServer(t, &leaf)
	// /close ends each connection: the second handshake resumes the
	// session of the first; the third URL reuses the second connection.
	r := get(t, "--timing", "--cacert", caFile, s.URL+"/close", s.URL+"/hello", s.URL+"/hello")
	r.want(t, 0)
	blocks := strings.Split(r.stderr, "timing ")[1:]
	if len(blocks) != 3 {
		t.Fatalf("%d timing blocks; want 3:\n%s", len(blocks), r.stderr)
	}
	for i, b := range blocks {
		for _, name := range []string{"dns", "connect", "tls", "send", "first byte", "transfer", "total", "tls version", "tls cipher", "tls resumed"} {
			if !strings.Contains(b, "\n  "+name+" ") {
				t.Errorf("block %d lacks %q:\n%s", i, name, b)
			}
		}
		if !strings.Contains(b, "tls version  TLS 1.2\n") || !strings.Contains(b, "tls cipher   TLS_") {
			t.Errorf("block %d lacks the TLS session:\n%s", i, b)
		}
	}
	if !strings.Contains(blocks[0], "new connection") || !strings.Contains(blocks[0], "tls resumed  no") {
		t.Errorf("first fetch:\n%s", blocks[0])
	}
	if !strings.Contains(blocks[1], "new connection") || !strings.Contains(blocks[1], "tls resumed  yes") {
		t.Errorf("second fetch does not resume the session:\n%s", blocks[1])
	}
	if !strings.Contains(blocks[2], "reused connection") {
		t.Errorf("third fetch does not reuse the connection:\n%s", blocks[2])
	}
	// The phases of a new connection carry times.
	for _, name := range []string{"connect", "tls", "first byte"} {
		if strings.Contains(blocks[0], "\n  "+fmt.Sprintf("%-12s %12s", name, "-")) {
			t.Errorf("first fetch has no %s time:\n%s", name, blocks[0])
		}
	}
	if n := s.conns.Load(); n != 2 {
		t.Errorf("%d connections; want 2", n)
	}
}

// TestGetProgressTerminal runs a slow transfer with stderr on a
// pseudo-terminal: the progress line is drawn in place, then cleared.
func TestGetProgressTerminal(t *testing.T) {
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pts: %v", err)
	}
	s := newGetServer(t, nil)
	cmd := exec.Command(h1Bin, "get", "-o", filepath.Join(t.TempDir(), "out"), s.URL+"/drip")
	cmd.Stderr = pts
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&screen, ptmx) // ends with EIO once the last pts closes
		close(done)
	}()
	err = cmd.Run()
	pts.Close()
	<-done
	if err != nil {
		t.Fatalf("h1 get: %v; terminal: %q", err, screen.String())
	}
	out := screen.String()
	t.Logf("terminal: %q", out)
	if !strings.Contains(out, "\r") || !strings.Contains(out, "/ 7.8 KiB") || !strings.Contains(out, "%") {
		t.Fatalf("no progress line on the terminal: %q", out)
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Fatalf("progress line not cleared at the end: %q", out)
	}
}

func TestProgressLine(t *testing.T) {
	cases := []struct {
		got, total int64
		rate       float64
		width      int
		want       string
	}{
		{512, -1, 100, 40, "     512 B       100 B/s  0:02"},
		{3 << 20, 4 << 20, 1 << 20, 60, "3.0 MiB / 4.0 MiB  75% [=========   ]    1.0 MiB/s  ETA 0:01"},
		{3 << 20, 4 << 20, 0, 30, "3.0 MiB / 4.0 MiB  75%"},
	}
	for _, c := range cases {
		got := progressLine(c.got, c.total, c.rate, 2*time.Second, c.width)
		if got != c.want {
			t.Errorf("progressLine(%d, %d, %v, %d) =\n%q; want\n%q", c.got, c.total, c.rate, c.width, got, c.want)
		}
		if len(got) > c.width {
			t.Errorf("%q is wider than %d", got, c.width)
		}
	}
	if s := size(1536); s != "1.5 KiB" {
		t.Errorf("size(1536) = %q", s)
	}
	if s := clock(3725); s != "1:02:05" {
		t.Errorf("clock(3725) = %q", s)
	}
}
