package testpeer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Server is a server started for a test.
type Server struct {
	// Name says which server it is, as "nginx".
	Name string
	// Port is its loopback port.
	Port int
	// URL is http://127.0.0.1:Port/.
	URL string
	// Dir is the temp dir with its configuration and logs.
	Dir string
}

// binary finds a server's executable at path or on $PATH.
func binary(t testing.TB, path string) string {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if p, err := exec.LookPath(filepath.Base(path)); err == nil {
		return p
	}
	t.Fatalf("%s is not installed: make deps (or make test) installs it", filepath.Base(path))
	return ""
}

// write writes a file into dir, failing the test on an error.
func write(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// start runs cmd in the foreground of the test, waits for port and kills
// the process when the test ends, showing its output and logs if the
// test failed.
func start(t testing.TB, name string, port int, dir string, cmd *exec.Cmd, logs ...string) *Server {
	t.Helper()
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", name, out.String())
			for _, l := range logs {
				b, _ := os.ReadFile(filepath.Join(dir, l))
				t.Logf("%s %s:\n%s", name, l, b)
			}
		}
	})
	WaitListening(t, port)
	return &Server{Name: name, Port: port, URL: fmt.Sprintf("http://127.0.0.1:%d/", port), Dir: dir}
}

// rootUser is the directive a server run as root needs to stay root
// (the tests own the temp dir), or nothing for another user.
func rootUser(directive string) string {
	if os.Geteuid() == 0 {
		return directive
	}
	return ""
}

// NginxServer starts nginx (no daemon, no master process).
func NginxServer(t testing.TB) *Server {
	dir, port := t.TempDir(), FreePort(t)
	return runNginx(t, dir, port, fmt.Sprintf(`	server {
		listen 127.0.0.1:%d;
		location / { return 200 "ok\n"; }
	}
`, port))
}

// runNginx starts nginx in the foreground from a configuration in dir
// whose http block holds httpBlock, and waits for port.
func runNginx(t testing.TB, dir string, port int, httpBlock string) *Server {
	bin := binary(t, "/usr/sbin/nginx")
	conf := write(t, dir, "nginx.conf", fmt.Sprintf(`daemon off;
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
%[3]s}
`, rootUser("user root;"), dir, httpBlock))
	return start(t, "nginx", port, dir, exec.Command(bin, "-e", filepath.Join(dir, "error.log"), "-p", dir, "-c", conf), "error.log")
}

// Python starts a Python http.server handler that speaks HTTP/1.1 and
// reads a Content-Length body (it knows no chunked body: that is
// Python's own behaviour, not the test's).
func Python(t testing.TB) *Server {
	bin := binary(t, "/usr/bin/python3")
	dir, port := t.TempDir(), FreePort(t)
	script := write(t, dir, "server.py", `import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, body=True):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            self.rfile.read(n)
        self.send_response(200)
        self.send_header("Content-Length", "3")
        self.end_headers()
        if body:
            self.wfile.write(b"ok\n")

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.answer()

    def do_HEAD(self):
        self.answer(False)

    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
`)
	return start(t, "python", port, dir, exec.Command(bin, script, strconv.Itoa(port)))
}

// Node starts a Node.js http server.
func Node(t testing.TB) *Server {
	bin := binary(t, "/usr/bin/node")
	dir, port := t.TempDir(), FreePort(t)
	script := write(t, dir, "server.js", `const http = require('http');
http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.setHeader('Content-Length', '3'); res.end('ok\n'); });
}).listen(+process.argv[2], '127.0.0.1');
`)
	return start(t, "node", port, dir, exec.Command(bin, script, strconv.Itoa(port)))
}

// Lighttpd starts lighttpd in the foreground, serving / from a CGI-less
// static index (a POST to it is answered by lighttpd's static handler).
func Lighttpd(t testing.TB) *Server {
	bin := binary(t, "/usr/sbin/lighttpd")
	dir, port := t.TempDir(), FreePort(t)
	write(t, dir, "www/index.html", "ok\n")
	conf := write(t, dir, "lighttpd.conf", fmt.Sprintf(`server.document-root = "%[1]s/www"
server.bind = "127.0.0.1"
server.port = %[2]d
server.errorlog = "%[1]s/error.log"
server.pid-file = "%[1]s/lighttpd.pid"
index-file.names = ("index.html")
`, dir, port))
	return start(t, "lighttpd", port, dir, exec.Command(bin, "-D", "-f", conf), "error.log")
}

// Apache starts Apache httpd in the foreground (one process), serving a
// static index.
func Apache(t testing.TB) *Server {
	bin := binary(t, "/usr/sbin/apache2")
	dir, port := t.TempDir(), FreePort(t)
	write(t, dir, "www/index.html", "ok\n")
	mods := "/usr/lib/apache2/modules"
	conf := write(t, dir, "httpd.conf", fmt.Sprintf(`ServerRoot "%[1]s"
ServerName 127.0.0.1
Listen 127.0.0.1:%[2]d
PidFile "%[1]s/httpd.pid"
ErrorLog "%[1]s/error.log"
LogLevel warn
Mutex file:%[1]s default
LoadModule mpm_event_module %[3]s/mod_mpm_event.so
LoadModule authz_core_module %[3]s/mod_authz_core.so
LoadModule dir_module %[3]s/mod_dir.so
LoadModule mime_module %[3]s/mod_mime.so
User daemon
Group daemon
DocumentRoot "%[1]s/www"
DirectoryIndex index.html
TypesConfig /etc/mime.types
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
<Directory "%[1]s/www">
	Require all granted
</Directory>
`, dir, port, mods))
	// Apache serves as daemon, not root: let it read the temp dir.
	for _, d := range []string{dir, filepath.Dir(dir), filepath.Join(dir, "www")} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return start(t, "apache2", port, dir, exec.Command(bin, "-X", "-f", conf), "error.log")
}

// HAProxy starts HAProxy as an HTTP reverse proxy in front of backend.
func HAProxy(t testing.TB, backend *Server) *Server {
	bin := binary(t, "/usr/sbin/haproxy")
	dir, port := t.TempDir(), FreePort(t)
	conf := write(t, dir, "haproxy.cfg", fmt.Sprintf(`global
	pidfile %[1]s/haproxy.pid
defaults
	mode http
	timeout connect 2s
	timeout client 5s
	timeout server 5s
frontend in
	bind 127.0.0.1:%[2]d
	default_backend out
backend out
	server b 127.0.0.1:%[3]d
`, dir, port, backend.Port))
	s := start(t, "haproxy>"+backend.Name, port, dir, exec.Command(bin, "-db", "-f", conf))
	return s
}
