package nethttp

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/h1dev/h1/h1/fetch"
	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

// reuseRun sends 8 goroutines × n GETs through rt to a counting server
// and returns how many connections the server accepted. read is how the
// caller reads each body before closing it.
func reuseRun(t *testing.T, rt http.RoundTripper, h http.HandlerFunc, n int, read func(io.Reader) error) int {
	t.Helper()
	srv, conns := testpeer.CountedServer(t, h)
	cl := &http.Client{Transport: rt}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range n {
				resp, err := cl.Get(srv.URL + "/r")
				if err != nil {
					t.Error(err)
					return
				}
				if err := read(resp.Body); err != nil {
					t.Error(err)
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	return int(conns.N.Load())
}

func TestTransportReuseLikeNetHTTP(t *testing.T) {
	testpeer.CheckLeaks(t)
	payload := strings.Repeat("p", 3000)
	fixed := func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, payload) }
	chunked := func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, payload[:1000])
		w.(http.Flusher).Flush()
		io.WriteString(w, payload[1000:])
	}
	all := func(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
	exact := func(r io.Reader) error { _, err := io.ReadFull(r, make([]byte, len(payload))); return err }
	stdTotal, h1Total := 0, 0
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		read func(io.Reader) error
	}{{"fixed-all", fixed, all}, {"fixed-exact", fixed, exact}, {"chunked-all", chunked, all}, {"chunked-exact", chunked, exact}} {
		for round := range 3 {
			std := &http.Transport{}
			ns := reuseRun(t, std, tc.h, 50, tc.read)
			std.CloseIdleConnections()
			tr := &Transport{}
			hs := reuseRun(t, tr, tc.h, 50, tc.read)
			idle := tr.pool().Idle()
			tr.CloseIdleConnections()
			t.Logf("%s round %d: net/http %d connections, h1 %d, idle after %d", tc.name, round, ns, hs, idle)
			stdTotal += ns
			h1Total += hs
			// 8 goroutines never need more than 8 connections at once;
			// the 2 idle kept cannot absorb 8 coming back at once, so a
			// few are closed and opened again.
			if hs > 16 {
				t.Errorf("%s: h1 opened %d connections for 8 goroutines", tc.name, hs)
			}
			if idle > fetch.DefaultMaxIdlePerHost {
				t.Errorf("%s: %d idle connections kept; want at most %d", tc.name, idle, fetch.DefaultMaxIdlePerHost)
			}
		}
	}
	if h1Total > stdTotal {
		t.Errorf("h1 opened %d connections in all, net/http's Transport %d", h1Total, stdTotal)
	}
}

// gatedListener accepts its first connection at once and every later one
// only once open is closed.
type gatedListener struct {
	net.Listener
	n    atomic.Int32
	open chan struct{}
}

func (g *gatedListener) Accept() (net.Conn, error) {
	if g.n.Add(1) > 1 {
		<-g.open
	}
	return g.Listener.Accept()
}

// TestTransportHandsFreedConnection: a request that finds no idle
// connection starts opening one; when another request's connection comes
// free before that one is up (here: the server does not accept it yet,
// so its TLS handshake cannot finish), the waiting request runs on the
// freed connection, and the one being opened is kept for later.
func TestTransportHandsFreedConnection(t *testing.T) {
	testpeer.CheckLeaks(t)
	pki := testpeer.NewPKI(t)
	held, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hold" {
			close(held)
			<-release
		}
		w.Header().Set("X-Remote", r.RemoteAddr)
		io.WriteString(w, r.URL.Path)
	}))
	gate := &gatedListener{Listener: srv.Listener, open: make(chan struct{})}
	srv.Listener = gate
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pki.Cert}, MaxVersion: tls.VersionTLS12}
	// The connection still opening is closed at the end, mid-handshake.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		select {
		case <-gate.open:
		default:
			close(gate.open)
		}
	})
	waiting := make(chan struct{}, 4)
	pool := &fetch.Pool{OnWait: func() { waiting <- struct{}{} }}
	tr := &Transport{Pool: pool, TLS: tlsx.Client(pki.Roots, "")}
	t.Cleanup(tr.CloseIdleConnections)
	cl := &http.Client{Transport: tr}
	get := func(path string) (string, error) {
		resp, err := cl.Get(srv.URL + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || string(b) != path {
			return "", fmt.Errorf("%s: body %q, %v", path, b, err)
		}
		return resp.Header.Get("X-Remote"), nil
	}
	first := make(chan string, 1)
	go func() {
		r, err := get("/hold")
		if err != nil {
			t.Error(err)
		}
		first <- r
	}()
	<-waiting // the first request opens a connection
	<-held
	second := make(chan string, 1)
	go func() {
		r, err := get("/next")
		if err != nil {
			t.Error(err)
		}
		second <- r
	}()
	<-waiting // the second request is opening its own
	close(release)
	a, b := <-first, <-second
	if a == "" || a != b {
		t.Fatalf("second request ran on %q; want the first one's connection %q", b, a)
	}
	if n := gate.n.Load(); n != 2 {
		t.Errorf("accept called %d times; want 2 (one accepted, one held)", n)
	}
	// The freed connection and the one still opening are both kept.
	if n := pool.Idle(); n != 2 {
		t.Errorf("idle = %d; want 2", n)
	}
	close(gate.open)
	for range 3 {
		if _, err := get("/later"); err != nil {
			t.Fatal(err)
		}
	}
	if n := pool.Idle(); n > fetch.DefaultMaxIdlePerHost {
		t.Errorf("idle = %d; want at most %d", n, fetch.DefaultMaxIdlePerHost)
	}
}
