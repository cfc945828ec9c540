package testpeer

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
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
	runNginx(t, n.Dir, n.Port, fmt.Sprintf(`	types { text/plain txt; application/octet-stream bin; }
	keepalive_requests 100000;
	gzip on;
	gzip_types text/plain;
	gzip_min_length 1;
	server {
		listen 127.0.0.1:%[2]d;
		listen 127.0.0.1:%[3]d ssl;
		ssl_certificate %[1]s/cert.pem;
		ssl_certificate_key %[1]s/key.pem;
		ssl_protocols TLSv1.2;
		root %[1]s/www;
		location = /close { keepalive_timeout 0; return 200 "bye"; }
	}
`, n.Dir, n.Port, n.TLSPort))
	WaitListening(t, n.TLSPort)
	return n
}
