package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

// do runs one fetch with its own pool, closed afterwards.
func do(t *testing.T, r *Request, m h1.Method, url string, headers []string, body []byte) *Response {
	t.Helper()
	if r.Pool == nil {
		r.Pool = &Pool{}
		t.Cleanup(r.Pool.CloseIdleConnections)
	}
	return r.Do(context.Background(), m, url, headers, body)
}

func TestFetchGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("X-Dup", "1")
		w.Header().Add("X-Dup", "2")
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.Path, r.Header.Get("X-Mine"))
	}))
	defer srv.Close()
	var r Request
	resp := do(t, &r, h1.MethodGet, srv.URL+"/path?q=1", []string{"X-Mine: yes"}, nil)
	require.NoError(t, resp.Err)
	require.Equal(t, ResultSuccess, resp.Result)
	require.Equal(t, 200, resp.Status)
	require.Equal(t, "GET /path yes", string(resp.Body))
	require.Contains(t, resp.Headers, "X-Dup: 1")
	require.Contains(t, resp.Headers, "X-Dup: 2")
	require.Equal(t, srv.URL+"/path?q=1", resp.URL)
}

// TestFetchResults reaches every Result.
func TestFetchResults(t *testing.T) {
	dir := t.TempDir()
	gzipGarbage := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot gzip!!")
		return true
	})
	short := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")
		return false
	})
	silent := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool { return false })
	garbage := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		io.WriteString(c, "SPDY/3 200 OK\r\n\r\n")
		return false
	})
	stall := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		time.Sleep(2 * time.Second)
		return false
	})
	var loops atomic.Int32
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loops.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer loop.Close()
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 4096))
	}))
	defer ok.Close()
	pki := testpeer.NewPKI(t)
	tlsSrv := testpeer.TLSServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	notDir := filepath.Join(dir, "occupied")
	require.NoError(t, os.MkdirAll(filepath.Join(notDir, "inside"), 0o755))
	refused := testpeer.FreePort(t)
	failing := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return nil, errors.New("no resolver on this test's network")
	}}

	cases := []struct {
		name string
		set  func(r *Request)
		url  string
		want Result
		is   error
	}{
		{"success", nil, ok.URL, ResultSuccess, nil},
		{"body cut short", nil, fmt.Sprintf("http://127.0.0.1:%d/", short.Port()), ResultChunkedBodySizeMismatch, ErrTruncated},
		{"refused", nil, fmt.Sprintf("http://127.0.0.1:%d/", refused), ResultCantConnect, h1.ErrCantConnect},
		{"unresolvable", func(r *Request) { *r = Request{Resolver: failing} }, "http://no-such-host.test/", ResultCantResolve, h1.ErrCantResolve},
		{"garbage", nil, fmt.Sprintf("http://127.0.0.1:%d/", garbage.Port()), ResultConnectionError, h1.ErrBadResponse},
		{"untrusted certificate", func(r *Request) { *r = Request{TLS: tlsx.Client(x509Empty(), "")} }, tlsSrv.URL, ResultTLSHandshakeError, h1.ErrTLSHandshake},
		{"no response", nil, fmt.Sprintf("http://127.0.0.1:%d/", silent.Port()), ResultNoResponse, ErrNoResponse},
		{"body limit", func(r *Request) { *r = Request{BodySizeLimit: 100} }, ok.URL, ResultBodySizeLimitExceeded, h1.ErrBodyTooLarge},
		{"bad gzip", nil, fmt.Sprintf("http://127.0.0.1:%d/", gzipGarbage.Port()), ResultBodyDecompressFailed, ErrDecompress},
		{"bad scheme", nil, "ftp://127.0.0.1/", ResultRequestFailed, h1.ErrInvalidParameter},
		{"file cannot open", func(r *Request) { *r = Request{DownloadFile: filepath.Join(dir, "missing", "f")} }, ok.URL, ResultDownloadFileCantOpen, ErrDownloadFile},
		{"file cannot be written", func(r *Request) { *r = Request{DownloadFile: notDir} }, ok.URL, ResultDownloadFileWriteError, ErrDownloadFile},
		{"redirect loop", nil, loop.URL, ResultRedirectLimitReached, ErrRedirectLimit},
		{"timeout", func(r *Request) { *r = Request{Timeout: 200 * time.Millisecond} }, fmt.Sprintf("http://127.0.0.1:%d/", stall.Port()), ResultTimeout, h1.ErrTimeout},
	}
	seen := map[Result]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := NewRequest()
			if c.set != nil {
				c.set(req)
			}
			resp := do(t, req, h1.MethodGet, c.url, nil, nil)
			require.Equal(t, c.want, resp.Result, "err: %v", resp.Err)
			if c.is != nil {
				require.ErrorIs(t, resp.Err, c.is)
			}
			seen[resp.Result] = true
		})
	}
	require.Len(t, seen, int(resultCount), "every Result reached")
	require.Equal(t, int32(DefaultMaxRedirects+1), loops.Load(), "the loop was followed up to the limit")
	_, err := os.Stat(filepath.Join(dir, "occupied.part"))
	require.True(t, os.IsNotExist(err), "no part file left behind")
}

func x509Empty() *x509.CertPool { return x509.NewCertPool() }

func TestFetchRedirects(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("other %s %s auth=%q cookie=%q", r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Cookie")))
		mu.Unlock()
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s %s body=%q ct=%q auth=%q", r.Method, r.URL.Path, b, r.Header.Get("Content-Type"), r.Header.Get("Authorization")))
		mu.Unlock()
		switch r.URL.Path {
		case "/301", "/302", "/303", "/307", "/308":
			code, _ := strconv.Atoi(r.URL.Path[1:])
			w.Header().Set("Location", "final") // relative to /NNN
			w.WriteHeader(code)
			io.WriteString(w, "moved")
		case "/away":
			http.Redirect(w, r, other.URL+"/there", http.StatusFound)
		}
	}))
	defer srv.Close()
	hs := []string{"Content-Type: text/plain", "Authorization: Bearer secret", "Cookie: a=b"}
	for _, c := range []struct {
		code       int
		wantMethod string
		wantBody   string
	}{
		{301, "GET", ""}, {302, "GET", ""}, {303, "GET", ""}, {307, "POST", "data"}, {308, "POST", "data"},
	} {
		mu.Lock()
		seen = nil
		mu.Unlock()
		r := Request{MaxRedirects: 1}
		resp := do(t, &r, h1.MethodPost, fmt.Sprintf("%s/%d", srv.URL, c.code), hs, []byte("data"))
		require.NoError(t, resp.Err)
		require.Equal(t, 1, resp.Redirects)
		require.Equal(t, srv.URL+"/final", resp.URL)
		mu.Lock()
		require.Len(t, seen, 2)
		ct := ""
		if c.wantBody != "" {
			ct = "text/plain"
		}
		require.Equal(t, fmt.Sprintf("%s /final body=%q ct=%q auth=%q", c.wantMethod, c.wantBody, ct, "Bearer secret"), seen[1], "after %d", c.code)
		mu.Unlock()
	}
	// Across origins the credentials stay behind.
	mu.Lock()
	seen = nil
	mu.Unlock()
	r := Request{MaxRedirects: DefaultMaxRedirects}
	resp := do(t, &r, h1.MethodGet, srv.URL+"/away", hs, nil)
	require.NoError(t, resp.Err)
	mu.Lock()
	require.Equal(t, `other GET /there auth="" cookie=""`, seen[1])
	mu.Unlock()
	// NoRedirects hands back the 3xx itself.
	r = Request{NoRedirects: true}
	resp = do(t, &r, h1.MethodGet, srv.URL+"/302", nil, nil)
	require.Equal(t, 302, resp.Status)
	require.Equal(t, "moved", string(resp.Body))
}

// MaxRedirects is Godot's max_redirects: 0 follows none, a negative value
// follows without a limit.
func TestFetchMaxRedirects(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if n > 0 {
			http.Redirect(w, r, "/"+strconv.Itoa(n-1), http.StatusFound)
			return
		}
		io.WriteString(w, "end")
	}))
	defer srv.Close()
	for _, c := range []struct {
		max, hops  int
		want       Result
		redirects  int
		serverSeen int32
	}{
		{0, 1, ResultRedirectLimitReached, 0, 1}, // the zero value: none followed
		{0, 0, ResultSuccess, 0, 1},
		{2, 2, ResultSuccess, 2, 3},
		{2, 3, ResultRedirectLimitReached, 2, 3},
		{UnlimitedRedirects, 20, ResultSuccess, 20, 21}, // past DefaultMaxRedirects
	} {
		hits.Store(0)
		r := Request{MaxRedirects: c.max}
		resp := do(t, &r, h1.MethodGet, fmt.Sprintf("%s/%d", srv.URL, c.hops), nil, nil)
		if resp.Result != c.want || resp.Redirects != c.redirects || hits.Load() != c.serverSeen {
			t.Errorf("MaxRedirects %d, %d hops: %v after %d redirects, server saw %d; want %v after %d, %d (err %v)",
				c.max, c.hops, resp.Result, resp.Redirects, hits.Load(), c.want, c.redirects, c.serverSeen, resp.Err)
		}
	}
	if got := NewRequest().MaxRedirects; got != DefaultMaxRedirects {
		t.Errorf("NewRequest().MaxRedirects = %d; want %d", got, DefaultMaxRedirects)
	}
}

// UserAgent goes out on every request of the fetch, redirects included;
// OnCompleted runs once, on the goroutine that polls, with the outcome.
func TestFetchUserAgentAndCompleted(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		if r.URL.Path == "/from" {
			http.Redirect(w, r, "/to", http.StatusFound)
			return
		}
		io.WriteString(w, "done")
	}))
	defer srv.Close()
	var calls []string
	r := NewRequest()
	r.UserAgent = "game/1.0"
	r.OnCompleted = func(resp *Response) {
		calls = append(calls, fmt.Sprintf("%v %d %s", resp.Result, resp.Status, resp.Body))
	}
	// Godot's loop: Start, then Poll once per frame until the callback ran.
	require.NoError(t, r.Start(h1.MethodGet, srv.URL+"/from", nil, nil))
	for frames := 0; len(calls) == 0; frames++ {
		require.Less(t, frames, 100000, "the fetch never completed")
		if !r.Poll() {
			time.Sleep(time.Millisecond) // the frame
		}
	}
	r.Poll() // a finished fetch does not complete twice
	require.Equal(t, []string{"success 200 done"}, calls)
	mu.Lock()
	require.Equal(t, []string{"game/1.0", "game/1.0"}, agents)
	mu.Unlock()
	// Do calls it too; a bad user agent is refused before anything is sent.
	calls = nil
	r.UserAgent = "bad\r\nX-Injected: 1"
	resp := r.Do(context.Background(), h1.MethodGet, srv.URL+"/to", nil, nil)
	require.ErrorIs(t, resp.Err, h1.ErrInvalidParameter)
	require.Len(t, calls, 1)
	mu.Lock()
	require.Len(t, agents, 2, "nothing was sent")
	mu.Unlock()
}

func encode(t *testing.T, coding string, p []byte) []byte {
	var b bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "deflate":
		w, _ = zlib.NewWriterLevel(&b, zlib.DefaultCompression)
	case "raw-deflate":
		w, _ = flate.NewWriter(&b, flate.DefaultCompression)
	case "br":
		w = brotli.NewWriter(&b)
	case "zstd":
		w, _ = zstd.NewWriter(&b)
	}
	_, err := w.Write(p)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestFetchDecodes(t *testing.T) {
	content := bytes.Repeat([]byte("streamed content, decoded as it arrives. "), 5000)
	for _, coding := range []string{"gzip", "deflate", "raw-deflate", "br", "zstd"} {
		t.Run(coding, func(t *testing.T) {
			enc := encode(t, coding, content)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				require.Equal(t, AcceptEncoding, r.Header.Get("Accept-Encoding"))
				w.Header().Set("Content-Encoding", strings.TrimPrefix(coding, "raw-"))
				// Dribble the body in small flushed pieces (chunked).
				for p := enc; len(p) > 0; {
					n := min(len(p), 997)
					w.Write(p[:n])
					w.(http.Flusher).Flush()
					p = p[n:]
				}
			}))
			defer srv.Close()
			var r Request
			resp := do(t, &r, h1.MethodGet, srv.URL, nil, nil)
			require.NoError(t, resp.Err)
			require.True(t, bytes.Equal(content, resp.Body), "decoded body differs")
			require.Equal(t, int64(len(enc)), r.DownloadedBytes())
		})
	}
}

func TestFetchGzipBombStopsAtLimit(t *testing.T) {
	// 256 MiB of zeros as 32 gzip members of 8 MiB each (a gzip reader
	// reads concatenated members as one stream): about 256 KiB on the wire.
	bomb := bytes.Repeat(encode(t, "gzip", make([]byte, 8<<20)), 32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
		w.Write(bomb)
	}))
	defer srv.Close()
	r := Request{BodySizeLimit: 1 << 20}
	resp := do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.Equal(t, ResultBodySizeLimitExceeded, resp.Result)
	require.LessOrEqual(t, len(resp.Body), 1<<20)
	require.Less(t, r.DownloadedBytes(), int64(len(bomb)), "decoding stopped before the whole bomb arrived")
}

func TestFetchDownload(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	var cut atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rg := r.Header.Get("Range"); rg != "" {
			var from int
			fmt.Sscanf(rg, "bytes=%d-", &from)
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, len(content)-1, len(content)))
			w.Header().Set("Content-Length", strconv.Itoa(len(content)-from))
			w.WriteHeader(http.StatusPartialContent)
			w.Write(content[from:])
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(content)))
		if cut.Load() {
			w.Write(content[:len(content)/3])
			panic(http.ErrAbortHandler) // the connection drops mid-body
		}
		w.Write(content)
	}))
	defer srv.Close()
	dir := t.TempDir()
	name := filepath.Join(dir, "file.bin")

	// Complete: the file appears whole, no part file stays.
	var progress []Progress
	r := Request{DownloadFile: name, OnProgress: func(p Progress) { progress = append(progress, p) }}
	resp := do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.NoError(t, resp.Err)
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.True(t, bytes.Equal(content, got))
	require.Nil(t, resp.Body)
	_, err = os.Stat(name + ".part")
	require.True(t, os.IsNotExist(err))
	last := progress[len(progress)-1]
	require.Equal(t, int64(len(content)), last.Downloaded)
	require.Equal(t, int64(len(content)), last.Total)
	require.Greater(t, last.Uploaded, int64(0))

	// Cut short: nothing that looks complete is left.
	require.NoError(t, os.Remove(name))
	cut.Store(true)
	r = Request{DownloadFile: name}
	resp = do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.Equal(t, ResultChunkedBodySizeMismatch, resp.Result, "err %v", resp.Err)
	_, err = os.Stat(name)
	require.True(t, os.IsNotExist(err), "no file after a cut")
	_, err = os.Stat(name + ".part")
	require.True(t, os.IsNotExist(err), "no part file after a cut")

	// Cut short with KeepPartial: the part stays, and the next call
	// resumes it with Range.
	r = Request{DownloadFile: name, KeepPartial: true}
	resp = do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.Equal(t, ResultChunkedBodySizeMismatch, resp.Result)
	st, err := os.Stat(name + ".part")
	require.NoError(t, err)
	require.Greater(t, st.Size(), int64(0))
	_, err = os.Stat(name)
	require.True(t, os.IsNotExist(err))
	cut.Store(false)
	r = Request{DownloadFile: name, KeepPartial: true}
	resp = do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.NoError(t, resp.Err)
	require.Equal(t, 206, resp.Status)
	got, err = os.ReadFile(name)
	require.NoError(t, err)
	require.True(t, bytes.Equal(content, got), "resumed file differs")
}

func TestFetchIdleTimeout(t *testing.T) {
	srv := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
		time.Sleep(time.Second)
		return false
	})
	r := Request{IdleTimeout: 100 * time.Millisecond}
	start := time.Now()
	resp := do(t, &r, h1.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/", srv.Port()), nil, nil)
	require.Equal(t, ResultTimeout, resp.Result, "err %v", resp.Err)
	require.Less(t, time.Since(start), 900*time.Millisecond, "the idle limit, not the server, ended it")
}

func TestFetchPoolReuse(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	pool := &Pool{IdleTimeout: 300 * time.Millisecond}
	defer pool.CloseIdleConnections()
	for range 5 {
		r := Request{Pool: pool}
		resp := r.Do(context.Background(), h1.MethodGet, srv.URL, nil, nil)
		require.NoError(t, resp.Err)
	}
	require.Equal(t, int32(1), conns.Load(), "five requests, one connection")
	require.Equal(t, 1, pool.Idle())
	require.Eventually(t, func() bool { return pool.Idle() == 0 }, 3*time.Second, 20*time.Millisecond, "idle connection closed after the timeout")
}

func TestFetchPoolConcurrent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Query().Get("n"))
	}))
	defer srv.Close()
	pool := &Pool{}
	defer pool.CloseIdleConnections()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				n := strconv.Itoa(g*100 + i)
				r := Request{Pool: pool}
				resp := r.Do(context.Background(), h1.MethodGet, srv.URL+"/?n="+n, nil, nil)
				if resp.Err != nil || string(resp.Body) != n {
					errs <- fmt.Errorf("%s: %q %v", n, resp.Body, resp.Err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.LessOrEqual(t, pool.Idle(), DefaultMaxIdlePerHost)
}

func TestFetchCancel(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	headWait := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		<-release
		return false
	})
	bodyWait := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab")
		<-release
		return false
	})
	for _, c := range []struct{ name, url string }{
		{"waiting for the head", fmt.Sprintf("http://127.0.0.1:%d/", headWait.Port())},
		{"reading the body", fmt.Sprintf("http://127.0.0.1:%d/", bodyWait.Port())},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			r := Request{Pool: &Pool{}}
			resp := r.Do(ctx, h1.MethodGet, c.url, nil, nil)
			require.Equal(t, ResultRequestFailed, resp.Result, "err %v", resp.Err)
			require.ErrorIs(t, resp.Err, context.Canceled)
			require.Less(t, time.Since(start), 2*time.Second)
		})
	}
	// Cancelled while connecting: a name whose lookup never answers.
	hang := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	r := Request{Resolver: hang, Pool: &Pool{}}
	start := time.Now()
	resp := r.Do(ctx, h1.MethodGet, "http://never.test/", nil, nil)
	require.Equal(t, ResultTimeout, resp.Result, "err %v", resp.Err)
	require.Less(t, time.Since(start), 2*time.Second, "the lookup was abandoned")
}

func TestFetchPollDriven(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		for i := range 50 {
			fmt.Fprintf(zw, "line %d\n", i)
			zw.Flush()
			w.(http.Flusher).Flush()
		}
		zw.Close()
	}))
	defer srv.Close()
	r := Request{Pool: &Pool{}}
	defer r.Pool.CloseIdleConnections()
	require.NoError(t, r.Start(h1.MethodGet, srv.URL, nil, nil))
	require.ErrorIs(t, r.Start(h1.MethodGet, srv.URL, nil, nil), h1.ErrBusy)
	polls := 0
	for !r.Poll() {
		polls++
		time.Sleep(time.Millisecond) // a frame
	}
	resp := r.Response()
	require.NoError(t, resp.Err)
	require.True(t, strings.HasPrefix(string(resp.Body), "line 0\nline 1\n"))
	require.True(t, strings.HasSuffix(string(resp.Body), "line 49\n"))
}

func TestFetchBadInput(t *testing.T) {
	var r Request
	for _, u := range []string{"", "ftp://x/", "http://", "http://host:0/", "http://host:99999/", "::bad", "/relative"} {
		require.ErrorIs(t, r.Start(h1.MethodGet, u, nil, nil), h1.ErrInvalidParameter, u)
	}
	require.ErrorIs(t, r.Start(h1.MethodGet, "http://h/", []string{"X: a\r\nY: b"}, nil), h1.ErrInvalidParameter)
	require.ErrorIs(t, r.Start(h1.MethodGet, "http://h/", []string{"no colon"}, nil), h1.ErrInvalidParameter)
	require.ErrorIs(t, r.Start(h1.Method(99), "http://h/", nil, nil), h1.ErrInvalidParameter)
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 1000 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestFetchOutputStreams(t *testing.T) {
	content := bytes.Repeat([]byte("x"), 100_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(content) }))
	defer srv.Close()
	var out bytes.Buffer
	r := Request{Output: &out}
	resp := do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.NoError(t, resp.Err)
	require.Nil(t, resp.Body, "the body went to Output, not memory")
	require.Equal(t, content, out.Bytes())

	r = Request{Output: &failingWriter{}}
	resp = do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.Equal(t, ResultDownloadFileWriteError, resp.Result)
	require.ErrorIs(t, resp.Err, ErrDownloadFile)
}

func TestFetchCancelFromProgress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		w.Write(bytes.Repeat([]byte("x"), 1<<20))
	}))
	defer srv.Close()
	dir := t.TempDir()
	var r Request
	r.DownloadFile = filepath.Join(dir, "f")
	r.OnProgress = func(p Progress) {
		if r.Response().Status >= 400 {
			r.Cancel()
		}
	}
	resp := do(t, &r, h1.MethodGet, srv.URL, nil, nil)
	require.Equal(t, ResultRequestFailed, resp.Result)
	require.ErrorIs(t, resp.Err, context.Canceled)
	require.Equal(t, 404, resp.Status)
	require.Zero(t, r.DownloadedBytes(), "cancelled before any body byte")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries, "no file, no part file")
}
