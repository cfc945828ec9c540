package nethttp

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/h1/fetch"
	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

// transportClient returns an http.Client over tr whose idle connections
// are closed when the test ends (before the leak check).
func transportClient(t *testing.T, tr *Transport) *http.Client {
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// onlyReader hides everything but Read, so that http.NewRequest cannot
// learn the body's length.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// echo answers with what the server saw of the request.
func echo(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	sum := sha256.Sum256(b)
	w.Header().Set("X-h1.Method", r.Method)
	w.Header().Set("X-Length", strconv.FormatInt(r.ContentLength, 10))
	w.Header().Set("X-TE", strings.Join(r.TransferEncoding, ","))
	w.Header().Set("X-Host", r.Host)
	w.Header().Set("X-Sum", fmt.Sprintf("%x", sum[:8]))
	w.Header().Set("X-Got", strconv.Itoa(len(b)))
	w.Header().Add("X-Dup", "a")
	w.Header().Add("X-Dup", "b")
	if r.Method != http.MethodHead {
		fmt.Fprintf(w, "%s %s", r.Method, r.URL.RequestURI())
	}
}

func TestTransportMethodsAndBodies(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv, conns := testpeer.CountedServer(t, http.HandlerFunc(echo))
	cl := transportClient(t, &Transport{})
	big := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	sumOf := func(b []byte) string { s := sha256.Sum256(b); return fmt.Sprintf("%x", s[:8]) }
	cases := []struct {
		method string
		body   []byte
		known  bool // the request carries the length
	}{
		{"GET", nil, true},
		{"HEAD", nil, true},
		{"DELETE", nil, true},
		{"OPTIONS", nil, true},
		{"POST", []byte("hello"), true},
		{"POST", []byte("hello"), false},
		{"PUT", big, true},
		{"PUT", big, false},
		{"PATCH", []byte("x"), false},
		{"POST", nil, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%d/known=%v", tc.method, len(tc.body), tc.known), func(t *testing.T) {
			var body io.Reader
			if tc.body != nil {
				body = bytes.NewReader(tc.body)
				if !tc.known {
					body = onlyReader{body}
				}
			}
			req, err := http.NewRequest(tc.method, srv.URL+"/p?q=1", body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := cl.Do(req)
			if err != nil {
				t.Fatalf("Do = %v", err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("ReadAll = %v", err)
			}
			if resp.StatusCode != 200 || resp.Status != "200 OK" {
				t.Errorf("status = %d %q; want 200 \"200 OK\"", resp.StatusCode, resp.Status)
			}
			if m := resp.Header.Get("X-h1.Method"); m != tc.method {
				t.Errorf("server saw method %q; want %q", m, tc.method)
			}
			want := tc.method + " /p?q=1"
			if tc.method == "HEAD" {
				want = ""
			}
			if string(got) != want {
				t.Errorf("body = %q; want %q", got, want)
			}
			if n := resp.Header.Get("X-Got"); n != strconv.Itoa(len(tc.body)) {
				t.Errorf("server got %s body bytes; want %d", n, len(tc.body))
			}
			if s := resp.Header.Get("X-Sum"); s != sumOf(tc.body) {
				t.Errorf("server's body sum %s; want %s", s, sumOf(tc.body))
			}
			te, cl := resp.Header.Get("X-TE"), resp.Header.Get("X-Length")
			switch {
			case len(tc.body) > 0 && !tc.known:
				if te != "chunked" || cl != "-1" {
					t.Errorf("server saw TE %q, length %s; want chunked, -1", te, cl)
				}
			case len(tc.body) > 0:
				if te != "" || cl != strconv.Itoa(len(tc.body)) {
					t.Errorf("server saw TE %q, length %s; want none, %d", te, cl, len(tc.body))
				}
			}
			if d := resp.Header.Values("X-Dup"); len(d) != 2 || d[0] != "a" || d[1] != "b" {
				t.Errorf("X-Dup = %q; want [a b]", d)
			}
			if resp.Proto != "HTTP/1.1" || resp.ProtoMajor != 1 || resp.ProtoMinor != 1 {
				t.Errorf("proto = %q %d.%d", resp.Proto, resp.ProtoMajor, resp.ProtoMinor)
			}
			if resp.Request != req {
				t.Errorf("resp.Request is not the request")
			}
		})
	}
	if n := conns.N.Load(); n != 1 {
		t.Errorf("server accepted %d connections; want 1 (keep-alive)", n)
	}
}

func TestTransportResponseFields(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv, _ := testpeer.CountedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/trailer":
			w.Header().Set("Trailer", "X-Sum, X-Count")
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "part one, ")
			w.(http.Flusher).Flush()
			io.WriteString(w, "part two")
			w.Header().Set("X-Sum", "42")
			w.Header().Set("X-Count", "2")
		case "/close":
			w.Header().Set("X-Conn", r.Header.Get("Connection"))
			io.WriteString(w, "closing")
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		default:
			echo(w, r)
		}
	}))
	cl := transportClient(t, &Transport{})

	resp, err := cl.Get(srv.URL + "/trailer")
	if err != nil {
		t.Fatal(err)
	}
	if resp.ContentLength != -1 || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("ContentLength %d, TransferEncoding %q; want -1, [chunked]", resp.ContentLength, resp.TransferEncoding)
	}
	if _, ok := resp.Trailer["X-Sum"]; !ok {
		t.Errorf("Trailer before the body = %v; want the announced keys", resp.Trailer)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(b) != "part one, part two" {
		t.Fatalf("body = %q, %v", b, err)
	}
	if resp.Trailer.Get("X-Sum") != "42" || resp.Trailer.Get("X-Count") != "2" {
		t.Errorf("Trailer = %v; want X-Sum 42, X-Count 2", resp.Trailer)
	}

	// Host override and Connection: close.
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.Host = "example.test:8080"
	resp, err = cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if h := resp.Header.Get("X-Host"); h != "example.test:8080" {
		t.Errorf("server saw Host %q; want example.test:8080", h)
	}
	req, _ = http.NewRequest("GET", srv.URL+"/close", nil)
	req.Close = true
	resp, err = cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if !resp.Close || resp.Header.Get("X-Conn") != "close" {
		t.Errorf("Close = %v, server saw Connection %q; want true, close", resp.Close, resp.Header.Get("X-Conn"))
	}

	resp, err = cl.Get(srv.URL + "/empty")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 204 || resp.Status != "204 No Content" || resp.Body != http.NoBody || resp.ContentLength != 0 {
		t.Errorf("204: %q, body %T, length %d", resp.Status, resp.Body, resp.ContentLength)
	}
	resp.Body.Close()

	// HEAD reports the length it would have had.
	resp, err = cl.Head(srv.URL + "/trailer")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Body != http.NoBody {
		t.Errorf("HEAD body = %T; want http.NoBody", resp.Body)
	}

	// HTTP/1.0, a reason of the server's own, a body until close, and
	// lower-case names.
	raw := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		io.WriteString(c, "HTTP/1.0 299 Fine Indeed\r\ncontent-type: text/plain\r\nx-odd-name: 1\r\n\r\nuntil close")
		return false
	})
	resp, err = cl.Get("http://127.0.0.1:" + strconv.Itoa(raw.Port()) + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(b) != "until close" {
		t.Errorf("body = %q, %v", b, err)
	}
	if resp.Status != "299 Fine Indeed" || resp.Proto != "HTTP/1.0" || resp.ProtoMinor != 0 || !resp.Close || resp.ContentLength != -1 {
		t.Errorf("got %q %q minor %d close %v length %d", resp.Status, resp.Proto, resp.ProtoMinor, resp.Close, resp.ContentLength)
	}
	if resp.Header.Get("Content-Type") != "text/plain" || resp.Header["X-Odd-Name"] == nil {
		t.Errorf("Header = %v; want canonical keys", resp.Header)
	}
}

func TestTransportGzip(t *testing.T) {
	testpeer.CheckLeaks(t)
	text := strings.Repeat("the quick brown fox jumps over the lazy dog\n", 2000)
	srv, _ := testpeer.CountedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-AE", r.Header.Get("Accept-Encoding"))
		if r.Header.Get("Accept-Encoding") != "gzip" {
			io.WriteString(w, text)
			return
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		io.WriteString(zw, text)
		zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Write(buf.Bytes())
	}))
	for _, tc := range []struct {
		name    string
		disable bool
		ae      string
		decoded bool
	}{
		{"default", false, "", true},
		{"disabled", true, "", false},
		{"caller's Accept-Encoding", false, "gzip", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := transportClient(t, &Transport{DisableCompression: tc.disable})
			for i := 0; i < 3; i++ {
				req, _ := http.NewRequest("GET", srv.URL, nil)
				if tc.ae != "" {
					req.Header.Set("Accept-Encoding", tc.ae)
				}
				resp, err := cl.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				if resp.Uncompressed != tc.decoded {
					t.Errorf("Uncompressed = %v; want %v", resp.Uncompressed, tc.decoded)
				}
				switch {
				case tc.decoded:
					if string(b) != text || resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Content-Length") != "" || resp.ContentLength != -1 {
						t.Errorf("decoded: %d bytes, CE %q, CL %q/%d", len(b), resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Length"), resp.ContentLength)
					}
				case tc.ae != "":
					zr, err := gzip.NewReader(bytes.NewReader(b))
					if err != nil {
						t.Fatal(err)
					}
					plain, _ := io.ReadAll(zr)
					if string(plain) != text || resp.Header.Get("Content-Encoding") != "gzip" {
						t.Errorf("caller's gzip: %d plain bytes, CE %q", len(plain), resp.Header.Get("Content-Encoding"))
					}
				default:
					if string(b) != text || resp.Header.Get("X-AE") != "" {
						t.Errorf("disabled: %d bytes, server saw Accept-Encoding %q", len(b), resp.Header.Get("X-AE"))
					}
				}
			}
		})
	}
	// A gzip body that does not decode.
	bad := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot gzip!!")
		return true
	})
	cl := transportClient(t, &Transport{})
	resp, err := cl.Get("http://127.0.0.1:" + strconv.Itoa(bad.Port()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, fetch.ErrDecompress) {
		t.Errorf("ReadAll = %v; want ErrDecompress", err)
	}
}

func TestTransportRedirects(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv, conns := testpeer.CountedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, "/c?x=1", http.StatusMovedPermanently)
		case "/post":
			io.Copy(io.Discard, r.Body)
			http.Redirect(w, r, "/c", http.StatusSeeOther)
		default:
			echo(w, r)
		}
	}))
	cl := transportClient(t, &Transport{})
	resp, err := cl.Get(srv.URL + "/a")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "GET /c?x=1" || resp.Request.URL.Path != "/c" {
		t.Errorf("after redirects: %q at %v", b, resp.Request.URL)
	}
	resp, err = cl.Post(srv.URL+"/post", "text/plain", strings.NewReader("data"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "GET /c" {
		t.Errorf("303 after POST: %q; want GET /c", b)
	}
	if n := conns.N.Load(); n != 1 {
		t.Errorf("server accepted %d connections; want 1", n)
	}
}

func TestTransportTLS(t *testing.T) {
	testpeer.CheckLeaks(t)
	pki := testpeer.NewPKI(t)
	cc := &testpeer.ConnCounter{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(echo))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pki.Cert}, MaxVersion: tls.VersionTLS12}
	srv.Config.ConnState = cc.Hook
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cl := transportClient(t, &Transport{TLS: tlsx.Client(pki.Roots, "")})
	for i := 0; i < 5; i++ {
		body := strings.Repeat("z", 100*i)
		resp, err := cl.Post(srv.URL+"/s", "text/plain", onlyReader{strings.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || string(b) != "POST /s" || resp.Header.Get("X-Got") != strconv.Itoa(len(body)) {
			t.Fatalf("body %q, %v, server got %s", b, err, resp.Header.Get("X-Got"))
		}
		s := resp.TLS
		if s == nil {
			t.Fatal("resp.TLS is nil")
		}
		if s.Version != tls.VersionTLS12 || !s.HandshakeComplete || s.CipherSuite == 0 ||
			len(s.PeerCertificates) == 0 || len(s.VerifiedChains) == 0 {
			t.Errorf("TLS state = version %x complete %v suite %x certs %d chains %d name %q",
				s.Version, s.HandshakeComplete, s.CipherSuite, len(s.PeerCertificates), len(s.VerifiedChains), s.ServerName)
		}
	}
	if n := cc.N.Load(); n != 1 {
		t.Errorf("server accepted %d connections; want 1", n)
	}
	// A server the roots do not vouch for.
	bad := transportClient(t, &Transport{TLS: tlsx.Client(testpeer.NewPKI(t).Roots, "")})
	if _, err := bad.Get(srv.URL); !errors.Is(err, h1.ErrTLSHandshake) || !errors.Is(err, tlsx.ErrUnknownAuthority) {
		t.Errorf("untrusted server: %v; want h1.ErrTLSHandshake, ErrUnknownAuthority", err)
	}
}

// TestTransportEarlyClose: a body closed before its end closes its
// connection; one read to the end goes back to the pool.
func TestTransportEarlyClose(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv, conns := testpeer.CountedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 256<<10))
	}))
	tr := &Transport{}
	cl := transportClient(t, tr)
	resp, err := cl.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := resp.Body.Read(buf); err == nil {
		t.Error("Read after Close = nil error")
	}
	if n := tr.pool().Idle(); n != 0 {
		t.Errorf("idle connections after an early Close = %d; want 0", n)
	}
	for i := 0; i < 3; i++ {
		resp, err = cl.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		// Small reads go through the body's own buffer.
		n, err := io.CopyBuffer(io.Discard, onlyReader{resp.Body}, make([]byte, 7))
		resp.Body.Close()
		if err != nil || n != 256<<10 {
			t.Fatalf("read %d, %v", n, err)
		}
	}
	if n := conns.N.Load(); n != 2 {
		t.Errorf("server accepted %d connections; want 2", n)
	}
}

func TestTransportExpectContinue(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv, conns := testpeer.CountedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/reject" {
			// Go's server sends no 100 for a body the handler leaves
			// unread.
			w.WriteHeader(http.StatusExpectationFailed)
			io.WriteString(w, "no thanks")
			return
		}
		echo(w, r)
	}))
	cl := transportClient(t, &Transport{})
	t.Run("continue", func(t *testing.T) {
		req, _ := http.NewRequest("PUT", srv.URL+"/accept", strings.NewReader("payload"))
		req.Header.Set("Expect", "100-continue")
		start := time.Now()
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("X-Got") != "7" {
			t.Errorf("status %d, server got %s bytes; want 200, 7", resp.StatusCode, resp.Header.Get("X-Got"))
		}
		if d := time.Since(start); d > h1.ContinueTimeout*8/10 {
			t.Errorf("took %v: the body waited for the timeout, not the 100", d)
		}
	})
	t.Run("reject", func(t *testing.T) {
		var reads atomic.Int32
		body := testpeer.ReaderFunc(func(p []byte) (int, error) {
			reads.Add(1)
			return copy(p, "never sent"), io.EOF
		})
		req, _ := http.NewRequest("POST", srv.URL+"/reject", body)
		req.ContentLength = 10
		req.Header.Set("Expect", "100-continue")
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 417 || string(b) != "no thanks" || !resp.Close {
			t.Errorf("got %d %q close %v; want 417 \"no thanks\" close", resp.StatusCode, b, resp.Close)
		}
		if n := reads.Load(); n != 0 {
			t.Errorf("body read %d times; want 0", n)
		}
		// The connection is not reused.
		before := conns.N.Load()
		resp, err = cl.Get(srv.URL + "/after")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n := conns.N.Load() - before; n != 1 {
			t.Errorf("%d new connections after the rejected request; want 1", n)
		}
	})
	t.Run("no answer", func(t *testing.T) {
		// A server that ignores Expect: the body goes after the timeout.
		raw := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			return true
		})
		req, _ := http.NewRequest("POST", "http://127.0.0.1:"+strconv.Itoa(raw.Port())+"/", strings.NewReader("late"))
		req.Header.Set("Expect", "100-continue")
		start := time.Now()
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if d := time.Since(start); string(b) != "late" || d < h1.ContinueTimeout*9/10 || d > 3*h1.ContinueTimeout {
			t.Errorf("got %q after %v; want \"late\" after about %v", b, d, h1.ContinueTimeout)
		}
	})
}

func TestTransportCancel(t *testing.T) {
	testpeer.CheckLeaks(t)
	pki := testpeer.NewPKI(t)
	silent := testpeer.NewRawServer(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	stall := testpeer.NewRawServer(t, func(c net.Conn) {
		if _, err := testpeer.ReadHead(c); err != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nten bytes.")
		io.Copy(io.Discard, c)
	})
	tr := &Transport{TLS: tlsx.Client(pki.Roots, "")}
	cl := transportClient(t, tr)
	within := func(t *testing.T, start time.Time) {
		t.Helper()
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("cancel took %v", d)
		}
	}
	t.Run("connect", func(t *testing.T) {
		// The TLS handshake never ends.
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		req, _ := http.NewRequestWithContext(ctx, "GET", "https://127.0.0.1:"+strconv.Itoa(silent.Port())+"/", nil)
		start := time.Now()
		_, err := cl.Do(req)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Do = %v; want context.Canceled", err)
		}
		within(t, start)
	})
	t.Run("head", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:"+strconv.Itoa(silent.Port())+"/", nil)
		start := time.Now()
		_, err := cl.Do(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Do = %v; want context.DeadlineExceeded", err)
		}
		within(t, start)
	})
	t.Run("body", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:"+strconv.Itoa(stall.Port())+"/", nil)
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		buf := make([]byte, 10)
		if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "ten bytes." {
			t.Fatalf("ReadFull = %q, %v", buf, err)
		}
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err = resp.Body.Read(make([]byte, 100))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Read = %v; want context.Canceled", err)
		}
		within(t, start)
	})
	t.Run("close while reading", func(t *testing.T) {
		resp, err := cl.Get("http://127.0.0.1:" + strconv.Itoa(stall.Port()) + "/")
		if err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(100*time.Millisecond, func() { resp.Body.Close() })
		start := time.Now()
		_, err = io.ReadAll(resp.Body)
		if err == nil {
			t.Error("ReadAll = nil error; want one")
		}
		within(t, start)
	})
	t.Run("http.Client timeout", func(t *testing.T) {
		c := &http.Client{Transport: tr, Timeout: 150 * time.Millisecond}
		start := time.Now()
		_, err := c.Get("http://127.0.0.1:" + strconv.Itoa(silent.Port()) + "/")
		var ue interface{ Timeout() bool }
		if !errors.As(err, &ue) || !ue.Timeout() {
			t.Errorf("Get = %v; want a timeout", err)
		}
		within(t, start)
	})
	t.Run("already canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:"+strconv.Itoa(stall.Port())+"/", nil)
		if _, err := cl.Do(req); !errors.Is(err, context.Canceled) {
			t.Errorf("Do = %v; want context.Canceled", err)
		}
	})
	if n := tr.pool().Idle(); n != 0 {
		t.Errorf("idle connections = %d; want 0 after cancels", n)
	}
}

func TestTransportConcurrent(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv, conns := testpeer.CountedServer(t, http.HandlerFunc(echo))
	cl := transportClient(t, &Transport{MaxIdlePerHost: 8})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				body := fmt.Sprintf("g%d-%d", g, i)
				var r io.Reader = strings.NewReader(body)
				if i%2 == 1 {
					r = onlyReader{r}
				}
				resp, err := cl.Post(srv.URL+"/c", "text/plain", r)
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || string(b) != "POST /c" || resp.Header.Get("X-Got") != strconv.Itoa(len(body)) {
					errs <- fmt.Errorf("got %q, %v, server got %s", b, err, resp.Header.Get("X-Got"))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := conns.N.Load(); n > 8 {
		t.Errorf("server accepted %d connections; want at most 8", n)
	}
}

// TestTransportRefuses: requests the Transport cannot send fail before a
// byte (or a connection) goes out.
func TestTransportRefuses(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv, conns := testpeer.CountedServer(t, http.HandlerFunc(echo))
	tr := &Transport{}
	cl := transportClient(t, tr)
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	newReq := func(method, target string) *http.Request {
		req, err := http.NewRequest(method, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	cases := []struct {
		name string
		req  *http.Request
	}{
		{"ftp scheme", newReq("GET", "ftp://127.0.0.1:"+port+"/")},
		{"no host", &http.Request{Method: "GET", URL: mustURL(t, "http:///x"), Header: http.Header{}}},
		{"port out of range", &http.Request{Method: "GET", URL: mustURL(t, "http://127.0.0.1:70000/"), Header: http.Header{}}},
		{"method FROB", newReq("FROB", srv.URL)},
		{"method CONNECT", newReq("CONNECT", srv.URL)},
		{"header value with LF", func() *http.Request {
			r := newReq("GET", srv.URL)
			r.Header["X-Bad"] = []string{"a\nb"}
			return r
		}()},
		{"header name with space", func() *http.Request {
			r := newReq("GET", srv.URL)
			r.Header["X Bad"] = []string{"a"}
			return r
		}()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var closed atomic.Bool
			tc.req.Body = closeNotifier{Reader: strings.NewReader("b"), closed: &closed}
			resp, err := tr.RoundTrip(tc.req)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("RoundTrip = %d; want an error", resp.StatusCode)
			}
			if !errors.Is(err, h1.ErrInvalidParameter) {
				t.Errorf("RoundTrip = %v; want h1.ErrInvalidParameter", err)
			}
			if !closed.Load() {
				t.Error("request body not closed")
			}
		})
	}
	resp, err := cl.Get("http://127.0.0.1:" + port + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := conns.N.Load(); n != 1 {
		t.Errorf("server accepted %d connections; want 1 (only the good request)", n)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

type closeNotifier struct {
	io.Reader
	closed *atomic.Bool
}

func (c closeNotifier) Close() error { c.closed.Store(true); return nil }

func TestTransportNginx(t *testing.T) {
	pki := testpeer.NewPKI(t)
	ng := testpeer.StartNginx(t, pki)
	testpeer.CheckLeaks(t)
	cl := transportClient(t, &Transport{TLS: tlsx.Client(pki.Roots, "")})
	base := "http://127.0.0.1:" + strconv.Itoa(ng.Port)
	tlsBase := "https://127.0.0.1:" + strconv.Itoa(ng.TLSPort)
	for _, b := range []string{base, tlsBase} {
		resp, err := cl.Get(b + "/text.txt")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(body, ng.Text) || !resp.Uncompressed {
			t.Errorf("%s/text.txt: %d bytes (want %d), %v, uncompressed %v", b, len(body), len(ng.Text), err, resp.Uncompressed)
		}
		if strings.HasPrefix(b, "https") && (resp.TLS == nil || len(resp.TLS.VerifiedChains) == 0) {
			t.Errorf("resp.TLS = %v", resp.TLS)
		}
		resp, err = cl.Get(b + "/big.bin")
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		n, err := io.Copy(h, resp.Body)
		resp.Body.Close()
		if err != nil || n != int64(len(ng.Big)) || !bytes.Equal(h.Sum(nil), sha(ng.Big)) || resp.ContentLength != int64(len(ng.Big)) {
			t.Errorf("%s/big.bin: %d bytes, %v, length %d", b, n, err, resp.ContentLength)
		}
		// A chunked upload; nginx reads it and answers from its config.
		resp, err = cl.Post(b+"/close", "application/octet-stream", onlyReader{bytes.NewReader(ng.Big[:3<<20])})
		if err != nil {
			t.Fatal(err)
		}
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || string(body) != "bye" {
			t.Errorf("%s chunked POST: %d %q, %v", b, resp.StatusCode, body, err)
		}
	}
}

func sha(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// TestTransportStaleConnection: a server that closes each connection
// after its response without saying so. A GET is sent again on a new
// connection; a request with a body finds the pooled connection closed
// before it reads a byte of the body.
func TestTransportStaleConnection(t *testing.T) {
	testpeer.CheckLeaks(t)
	closed := make(chan struct{}, 16) // the server closed a connection
	srv := testpeer.NewRawServer(t, func(c net.Conn) {
		defer func() {
			c.Close()
			select {
			case closed <- struct{}{}:
			default:
			}
		}()
		head, err := testpeer.ReadHead(c)
		if err != nil {
			return
		}
		body := ""
		if strings.Contains(head, "chunked") {
			b := make([]byte, 64)
			n, _ := c.Read(b)
			body = string(b[:n])
		}
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body)+2, "ok"+body)
	})
	cl := transportClient(t, &Transport{})
	url := "http://127.0.0.1:" + strconv.Itoa(srv.Port()) + "/"
	for i := 0; i < 3; i++ {
		resp, err := cl.Get(url)
		if err != nil {
			t.Fatalf("GET %d: %v", i, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || string(b) != "ok" {
			t.Fatalf("GET %d: %q, %v", i, b, err)
		}
		<-closed // the server has closed this connection: its FIN is on the way
	}
	for i := 0; i < 3; i++ {
		resp, err := cl.Post(url, "text/plain", onlyReader{strings.NewReader("x")})
		if err != nil {
			t.Fatalf("POST %d: %v", i, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !strings.HasPrefix(string(b), "ok") {
			t.Fatalf("POST %d: %q, %v", i, b, err)
		}
		<-closed
	}
	if n := srv.Conns(); n != 6 {
		t.Errorf("server accepted %d connections; want 6", n)
	}
}

func TestTransportProxies(t *testing.T) {
	testpeer.CheckLeaks(t)
	pki := testpeer.NewPKI(t)
	tlsSrv := testpeer.TLSServer(t, pki, http.HandlerFunc(echo))
	plain, _ := testpeer.CountedServer(t, http.HandlerFunc(echo))
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("u:p"))
	px := testpeer.NewForwardProxy(t, auth)
	proxy := "http://u:p@127.0.0.1:" + strconv.Itoa(px.Port())
	cl := transportClient(t, &Transport{TLS: tlsx.Client(pki.Roots, ""), HTTPProxy: proxy, HTTPSProxy: proxy})
	for _, u := range []string{plain.URL + "/via", tlsSrv.URL + "/via"} {
		for i := 0; i < 2; i++ {
			resp, err := cl.Post(u, "text/plain", onlyReader{strings.NewReader("up")})
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || string(b) != "POST /via" || resp.Header.Get("X-Got") != "2" {
				t.Errorf("%s: %q, %v, server got %s", u, b, err, resp.Header.Get("X-Got"))
			}
		}
	}
	heads := px.Heads()
	if len(heads) != 2 || !strings.HasPrefix(heads[0], "POST http://127.0.0.1:") || !strings.HasPrefix(heads[1], "CONNECT 127.0.0.1:") {
		t.Errorf("proxy heads = %q; want one absolute-form POST and one CONNECT", heads)
	}
}
