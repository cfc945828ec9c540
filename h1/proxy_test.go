package h1

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

func TestHTTPSProxy(t *testing.T) {
	pki := testpeer.NewPKI(t)
	srv := testpeer.TLSServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/close" {
			w.Header().Set("Connection", "close")
		}
		fmt.Fprintf(w, "via tunnel %s", r.URL.Path)
	}))
	port := testpeer.HTTPTestPort(t, srv)
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:p@ss word"))
	for _, tc := range []struct {
		name, proxyHost, auth string
	}{
		{"no credentials", "127.0.0.1", ""},
		{"credentials", "http://user:p%40ss%20word@127.0.0.1", auth},
	} {
		for _, blocking := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/blocking=%v", tc.name, blocking), func(t *testing.T) {
				testpeer.CheckLeaks(t)
				px := testpeer.NewForwardProxy(t, tc.auth)
				var c Client
				defer c.Close()
				c.SetBlockingMode(blocking)
				if err := c.SetHTTPSProxy(tc.proxyHost, px.Port()); err != nil {
					t.Fatal(err)
				}
				if err := c.ConnectToHost("https://127.0.0.1", port, tlsx.Client(pki.Roots, "")); err != nil {
					t.Fatal(err)
				}
				run(t, &c, StatusConnecting, StatusResolving)
				if c.Status() != StatusConnected {
					t.Fatalf("status %v: %v", c.Status(), c.Err())
				}
				for i := 0; i < 3; i++ {
					body, err := fetch(t, &c, MethodGet, "/x", nil, nil)
					if err != nil || string(body) != "via tunnel /x" {
						t.Fatalf("fetch = %q, %v", body, err)
					}
				}
				heads := px.Heads()
				if len(heads) != 1 {
					t.Fatalf("proxy saw %d heads; want one CONNECT", len(heads))
				}
				// The server closes: the next request goes through a new
				// tunnel, reporting StatusRequesting meanwhile.
				if body, err := fetch(t, &c, MethodGet, "/close", nil, nil); err != nil || string(body) != "via tunnel /close" {
					t.Fatalf("fetch /close = %q, %v", body, err)
				}
				if err := c.Request(MethodGet, "/again", nil, nil); err != nil {
					t.Fatal(err)
				}
				if c.Status() != StatusRequesting {
					t.Errorf("status while reconnecting = %v; want requesting", c.Status())
				}
				run(t, &c, StatusRequesting)
				var body []byte
				for c.Status() == StatusBody {
					body = append(body, c.ReadResponseBodyChunk()...)
				}
				if string(body) != "via tunnel /again" || c.Err() != nil {
					t.Errorf("after reconnecting: %q, %v (%v)", body, c.Status(), c.Err())
				}
				if n := len(px.Heads()); n != 2 {
					t.Errorf("proxy saw %d CONNECTs; want 2", n)
				}
				want := fmt.Sprintf("CONNECT 127.0.0.1:%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", port, port)
				if !strings.HasPrefix(heads[0], want) {
					t.Errorf("CONNECT head = %q; want it to start with %q", heads[0], want)
				}
				if tc.auth != "" && !strings.Contains(heads[0], "\r\nProxy-Authorization: "+tc.auth+"\r\n") {
					t.Errorf("CONNECT head = %q; want Proxy-Authorization: %s", heads[0], tc.auth)
				}
			})
		}
	}
	t.Run("refused", func(t *testing.T) {
		testpeer.CheckLeaks(t)
		px := testpeer.NewForwardProxy(t, auth)
		var c Client
		defer c.Close()
		_ = c.SetHTTPSProxy("127.0.0.1", px.Port()) // no credentials: 407
		if err := c.ConnectToHost("https://127.0.0.1", port, tlsx.Client(pki.Roots, "")); err != nil {
			t.Fatal(err)
		}
		run(t, &c, StatusConnecting, StatusResolving)
		var pe *ProxyError
		if c.Status() != StatusCantConnect || !errorsAs(c.Err(), &pe) || pe.Status != 407 {
			t.Errorf("status %v err %v; want cant-connect with a 407 ProxyError", c.Status(), c.Err())
		}
	})
}

func TestHTTPProxy(t *testing.T) {
	origin := testpeer.ScriptServer(t, func(c net.Conn, _ int, head string, _ []byte) bool {
		line, _, _ := strings.Cut(head, "\r\n")
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(line), line)
		return true
	})
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("u:p"))
	for _, blocking := range []bool{false, true} {
		t.Run(fmt.Sprint("blocking=", blocking), func(t *testing.T) {
			testpeer.CheckLeaks(t)
			px := testpeer.NewForwardProxy(t, auth)
			var c Client
			defer c.Close()
			c.SetBlockingMode(blocking)
			if err := c.SetHTTPProxy("u:p@127.0.0.1", px.Port()); err != nil {
				t.Fatal(err)
			}
			connect(t, &c, origin.Port())
			for i := 0; i < 2; i++ {
				body, err := fetch(t, &c, MethodGet, "/path?q=1", nil, nil)
				want := fmt.Sprintf("GET http://127.0.0.1:%d/path?q=1 HTTP/1.1", origin.Port())
				if err != nil || string(body) != want {
					t.Fatalf("origin saw %q (%v); want %q", body, err, want)
				}
			}
			if h := px.Heads(); len(h) != 1 || !strings.Contains(h[0], "\r\nProxy-Authorization: "+auth+"\r\n") {
				t.Errorf("proxy heads = %q", h)
			}
		})
	}
	// Unsetting the proxy goes direct again.
	var c Client
	defer c.Close()
	_ = c.SetHTTPProxy("127.0.0.1", 1)
	_ = c.SetHTTPProxy("", -1)
	connect(t, &c, origin.Port())
	if body, err := fetch(t, &c, MethodGet, "/d", nil, nil); err != nil || string(body) != "GET /d HTTP/1.1" {
		t.Errorf("direct = %q, %v", body, err)
	}
}

// startTinyproxy runs tinyproxy on a free loopback port with a
// configuration in a temp dir that asks for user:secret, and stops it when
// the test ends. It fails the test when tinyproxy is not installed: make
// test installs it.
func startTinyproxy(t *testing.T) int {
	bin, err := exec.LookPath("tinyproxy")
	if err != nil {
		if _, err := os.Stat("/usr/bin/tinyproxy"); err != nil {
			t.Fatal("tinyproxy is not installed: make deps (or make test) installs it")
		}
		bin = "/usr/bin/tinyproxy"
	}
	dir := t.TempDir()
	port := testpeer.FreePort(t)
	conf := fmt.Sprintf(`Port %d
Listen 127.0.0.1
Timeout 30
MaxClients 16
Allow 127.0.0.1
BasicAuth user secret
DisableViaHeader Yes
LogLevel Warning
LogFile "%s/tinyproxy.log"
PidFile "%s/tinyproxy.pid"
`, port, dir, dir)
	if os.Geteuid() == 0 {
		conf += "User root\nGroup root\n"
	}
	path := filepath.Join(dir, "tinyproxy.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-d", "-c", path)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "tinyproxy.log"))
			t.Logf("tinyproxy output:\n%s\n%s", out.String(), log)
		}
	})
	testpeer.WaitListening(t, port)
	return port
}

// TestTinyproxy runs both proxy modes through tinyproxy: absolute-form
// requests for plain HTTP and a CONNECT tunnel for HTTPS, with Basic
// credentials from the proxy URL.
func TestTinyproxy(t *testing.T) {
	pport := startTinyproxy(t)
	pki := testpeer.NewPKI(t)
	tlsSrv := testpeer.TLSServer(t, pki, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "tls %s", r.URL.Path)
	}))
	plain := testpeer.ScriptServer(t, func(c net.Conn, _ int, head string, _ []byte) bool {
		line, _, _ := strings.Cut(head, "\r\n")
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(line), line)
		return true
	})
	for _, blocking := range []bool{false, true} {
		t.Run(fmt.Sprint("blocking=", blocking), func(t *testing.T) {
			testpeer.CheckLeaks(t)
			var c Client
			defer c.Close()
			c.SetBlockingMode(blocking)
			_ = c.SetHTTPProxy("http://user:secret@127.0.0.1", pport)
			_ = c.SetHTTPSProxy("http://user:secret@127.0.0.1", pport)
			connect(t, &c, plain.Port())
			for i := 0; i < 2; i++ {
				body, err := fetch(t, &c, MethodGet, "/p", nil, nil)
				if err != nil || string(body) != "GET /p HTTP/1.1" {
					t.Fatalf("through tinyproxy: %q, %v", body, err)
				}
			}
			if err := c.ConnectToHost("https://127.0.0.1", testpeer.HTTPTestPort(t, tlsSrv), tlsx.Client(pki.Roots, "")); err != nil {
				t.Fatal(err)
			}
			run(t, &c, StatusConnecting, StatusResolving)
			for i := 0; i < 2; i++ {
				body, err := fetch(t, &c, MethodGet, "/s", nil, nil)
				if err != nil || string(body) != "tls /s" {
					t.Fatalf("tunnel through tinyproxy: %q, %v (status %v)", body, err, c.Status())
				}
			}
			// Wrong credentials: the proxy refuses the tunnel.
			_ = c.SetHTTPSProxy("http://user:wrong@127.0.0.1", pport)
			_ = c.ConnectToHost("https://127.0.0.1", testpeer.HTTPTestPort(t, tlsSrv), tlsx.Client(pki.Roots, ""))
			run(t, &c, StatusConnecting, StatusResolving)
			var pe *ProxyError
			// tinyproxy answers 401 where RFC 9110 §15.5.8 says 407.
			if c.Status() != StatusCantConnect || !errorsAs(c.Err(), &pe) || pe.Status != 407 && pe.Status != 401 {
				t.Errorf("wrong credentials: status %v err %v; want a 401 or 407 ProxyError", c.Status(), c.Err())
			}
		})
	}
}

func TestSplitProxy(t *testing.T) {
	for _, tc := range []struct {
		in, host string
		port     int
	}{
		{"127.0.0.1:3128", "127.0.0.1", 3128},
		{"http://proxy.example", "http://proxy.example", DefaultProxyPort},
		{"http://u:p%40ss@proxy.example:8080/", "http://u:p%40ss@proxy.example", 8080},
		{"u:p@proxy.example:8080", "u:p@proxy.example", 8080},
		{"[::1]:3128", "[::1]", 3128},
		{"http://[::1]", "http://[::1]", DefaultProxyPort},
	} {
		host, port, err := SplitProxy(tc.in)
		if err != nil || host != tc.host || port != tc.port {
			t.Errorf("SplitProxy(%q) = %q, %d, %v; want %q, %d", tc.in, host, port, err, tc.host, tc.port)
		}
	}
	for _, bad := range []string{"", "socks5://127.0.0.1:1080", "http://h:0", "http://h:99999", "http://h:x", "http://h:1/path", "http://:80", "http://u:%zz@h:1"} {
		if _, _, err := SplitProxy(bad); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("SplitProxy(%q) = %v; want ErrInvalidParameter", bad, err)
		}
	}
}
