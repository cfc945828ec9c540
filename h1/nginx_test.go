package h1

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/h1dev/h1/tlsx"
)

// nginxServer is nginx running from a configuration in a temp dir, with a
// plain and a TLS 1.2 port on loopback.
type nginxServer struct {
	port, tlsPort int
	dir           string
	big           []byte // the content of /big.bin
	text          []byte // the content of /text.txt
}

// startNginx starts nginx as a child process (no daemon, no master) and
// stops it when the test ends. It fails the test when nginx is missing:
// make test installs it.
func startNginx(t *testing.T, pki *testPKI) *nginxServer {
	bin := "/usr/sbin/nginx"
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("nginx"); err != nil {
			t.Fatal("nginx is not installed: make deps (or make test) installs it")
		}
	}
	n := &nginxServer{dir: t.TempDir(), port: freePort(t), tlsPort: freePort(t)}
	www := filepath.Join(n.dir, "www")
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(www, 0o755))
	n.big = make([]byte, 24<<20)
	_, _ = rand.Read(n.big)
	must(os.WriteFile(filepath.Join(www, "big.bin"), n.big, 0o644))
	var text bytes.Buffer
	for i := 0; text.Len() < 300<<10; i++ {
		fmt.Fprintf(&text, "line %d: the quick brown fox jumps over the lazy dog\n", i)
	}
	n.text = text.Bytes()
	must(os.WriteFile(filepath.Join(www, "text.txt"), n.text, 0o644))
	must(os.WriteFile(filepath.Join(n.dir, "cert.pem"), pki.certPEM, 0o644))
	must(os.WriteFile(filepath.Join(n.dir, "key.pem"), pki.keyPEM, 0o600))
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	conf := fmt.Sprintf(`daemon off;
master_process off;
%[1]s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path %[2]s/tmp_body;
	proxy_temp_path %[2]s/tmp_proxy;
	fastcgi_temp_path %[2]s/tmp_fastcgi;
	uwsgi_temp_path %[2]s/tmp_uwsgi;
	scgi_temp_path %[2]s/tmp_scgi;
	types { text/plain txt; application/octet-stream bin; }
	keepalive_requests 100000;
	gzip on;
	gzip_types text/plain;
	gzip_min_length 1;
	server {
		listen 127.0.0.1:%[3]d;
		listen 127.0.0.1:%[4]d ssl;
		ssl_certificate %[2]s/cert.pem;
		ssl_certificate_key %[2]s/key.pem;
		ssl_protocols TLSv1.2;
		root %[2]s/www;
		location = /close { keepalive_timeout 0; return 200 "bye"; }
	}
}
`, user, n.dir, n.port, n.tlsPort)
	path := filepath.Join(n.dir, "nginx.conf")
	must(os.WriteFile(path, []byte(conf), 0o644))
	cmd := exec.Command(bin, "-e", filepath.Join(n.dir, "error.log"), "-p", n.dir, "-c", path)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	must(cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(n.dir, "error.log"))
			t.Logf("nginx output:\n%s\n%s", out.String(), log)
		}
	})
	waitListening(t, n.port)
	waitListening(t, n.tlsPort)
	return n
}

func TestNginx(t *testing.T) {
	pki := newPKI(t)
	ng := startNginx(t, pki)
	for _, tc := range []struct {
		name string
		port int
		tls  *tlsx.Options
	}{
		{"http", ng.port, nil},
		{"https", ng.tlsPort, tlsx.Client(pki.roots, "")},
	} {
		for _, blocking := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/blocking=%v", tc.name, blocking), func(t *testing.T) {
				checkLeaks(t)
				var c Client
				defer c.Close()
				c.SetBlockingMode(blocking)
				if err := c.ConnectToHost("127.0.0.1", tc.port, tc.tls); err != nil {
					t.Fatal(err)
				}
				run(t, &c, StatusResolving, StatusConnecting)
				if c.Status() != StatusConnected {
					t.Fatalf("status %v: %v", c.Status(), c.Err())
				}
				local := c.tcp.LocalPort()

				// Plain text, then the same compressed: gzip makes nginx
				// answer in chunks.
				body, err := fetch(t, &c, MethodGet, "/text.txt", nil, nil)
				if err != nil || !bytes.Equal(body, ng.text) || c.ResponseBodyLength() != int64(len(ng.text)) {
					t.Fatalf("text: %d bytes, %v, length %d", len(body), err, c.ResponseBodyLength())
				}
				body, err = fetch(t, &c, MethodGet, "/text.txt", []string{"Accept-Encoding: gzip"}, nil)
				if err != nil || !c.IsResponseChunked() {
					t.Fatalf("gzip: %v, chunked %v, headers %q", err, c.IsResponseChunked(), c.ResponseHeaders())
				}
				if ce, _ := c.ResponseHeader("content-encoding"); string(ce) != "gzip" {
					t.Errorf("Content-Encoding = %q", ce)
				}
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(plain, ng.text) {
					t.Fatalf("gunzip: %d bytes, %v", len(plain), err)
				}

				// A large file, in chunks of the read size.
				_ = c.SetReadChunkSize(1 << 20)
				body, err = fetch(t, &c, MethodGet, "/big.bin", nil, nil)
				if err != nil || sha256.Sum256(body) != sha256.Sum256(ng.big) {
					t.Fatalf("big: %d bytes, %v", len(body), err)
				}

				// HEAD, 404, and many requests: all on one connection.
				if _, err := fetch(t, &c, MethodHead, "/big.bin", nil, nil); err != nil || c.ResponseBodyLength() != 0 {
					t.Errorf("HEAD: %v, length %d", err, c.ResponseBodyLength())
				}
				if _, err := fetch(t, &c, MethodGet, "/missing", nil, nil); err != nil || c.ResponseCode() != 404 {
					t.Errorf("404: code %d, %v", c.ResponseCode(), err)
				}
				for i := 0; i < 200; i++ {
					if body, err := fetch(t, &c, MethodGet, "/text.txt", []string{"Range: bytes=0-3"}, nil); err != nil || string(body) != "line" {
						t.Fatalf("range %d: %q, %v", i, body, err)
					}
				}
				if c.tcp.LocalPort() != local {
					t.Errorf("the connection changed: local port %d, was %d", c.tcp.LocalPort(), local)
				}

				// nginx closes after this one; the next request reconnects.
				if body, err := fetch(t, &c, MethodGet, "/close", nil, nil); err != nil || string(body) != "bye" {
					t.Errorf("close: %q, %v", body, err)
				}
				if body, err := fetch(t, &c, MethodGet, "/text.txt", []string{"Range: bytes=5-5"}, nil); err != nil || string(body) != "0" {
					t.Errorf("after close: %q, %v", body, err)
				}
			})
		}
	}
}
