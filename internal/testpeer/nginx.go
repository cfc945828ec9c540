package testpeer

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Nginx is nginx running from a configuration in a temp dir, with a
// plain and a TLS 1.2 port on loopback.
type Nginx struct {
	Port, TLSPort int    // plain HTTP and TLS 1.2, on 127.0.0.1
	Dir           string // the configuration, the logs and www/
	Big           []byte // the content of /big.bin (24 MiB, random)
	Text          []byte // the content of /text.txt (300 KiB, served gzipped)
}

// StartNginx starts nginx, with pki's leaf for TLS, as a child process (no daemon, no master) and
// stops it when the test ends. It fails the test when nginx is missing:
// make test installs it.
func StartNginx(t *testing.T, pki *PKI) *Nginx {
	bin := "/usr/sbin/nginx"
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("nginx"); err != nil {
			t.Fatal("nginx is not installed: make deps (or make test) installs it")
		}
	}
	n := &Nginx{Dir: t.TempDir(), Port: FreePort(t), TLSPort: FreePort(t)}
	www := filepath.Join(n.Dir, "www")
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(www, 0o755))
	n.Big = make([]byte, 24<<20)
	_, _ = rand.Read(n.Big)
	must(os.WriteFile(filepath.Join(www, "big.bin"), n.Big, 0o644))
	var text bytes.Buffer
	for i := 0; text.Len() < 300<<10; i++ {
		fmt.Fprintf(&text, "line %d: the quick brown fox jumps over the lazy dog\n", i)
	}
	n.Text = text.Bytes()
	must(os.WriteFile(filepath.Join(www, "text.txt"), n.Text, 0o644))
	must(os.WriteFile(filepath.Join(n.Dir, "cert.pem"), pki.CertPEM, 0o644))
	must(os.WriteFile(filepath.Join(n.Dir, "key.pem"), pki.KeyPEM, 0o600))
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
`, user, n.Dir, n.Port, n.TLSPort)
	path := filepath.Join(n.Dir, "nginx.conf")
	must(os.WriteFile(path, []byte(conf), 0o644))
	cmd := exec.Command(bin, "-e", filepath.Join(n.Dir, "error.log"), "-p", n.Dir, "-c", path)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	must(cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(n.Dir, "error.log"))
			t.Logf("nginx output:\n%s\n%s", out.String(), log)
		}
	})
	WaitListening(t, n.Port)
	WaitListening(t, n.TLSPort)
	return n
}
