// Package testpeer holds the loopback peers and checks that the tests of
// h1, h1/fetch and h1/nethttp share: a raw TCP server that runs a handler
// per connection (Server, ScriptServer, FixedServer), request readers for
// such handlers (ReadHead, ReadRequest), a test PKI and a TLS 1.2
// httptest server (PKI, TLSServer), nginx started from a configuration in
// a temp dir (StartNginx), a small forward proxy (ForwardProxy), an
// httptest server that counts its connections (CountedServer), port
// helpers (FreePort, WaitListening, HTTPTestPort) and a leak check
// (CheckLeaks).
//
// It is test support: it imports testing, every helper fails the test it
// is given, and each server it starts is stopped by a cleanup of that
// test. Nothing in it imports h1, so that h1's own tests can use it.
//
// A typical test:
//
//	func TestSomething(t *testing.T) {
//		testpeer.CheckLeaks(t)
//		srv := testpeer.ScriptServer(t, func(c net.Conn, n int, head string, body []byte) bool {
//			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
//			return true // keep the connection for the next request
//		})
//		// ... connect a client to 127.0.0.1:srv.Port() ...
//	}
//
// # Third-party servers
//
// NginxServer, Apache, Lighttpd, HAProxy, Python and Node start the
// servers h1 probe is tested against (nginx, Apache httpd, lighttpd,
// HAProxy, a Python http.server handler and a Node.js http server), each
// on a free loopback port, from a configuration written to the test's
// temp dir, and stopped when the test ends. (StartNginx is the richer
// nginx of the client tests: TLS, large files, gzip.)
//
// Every server answers GET, HEAD and POST of / with 200 and the body
// "ok\n" (reading and discarding a request body), so that a probe case
// that expects a 2xx means "the request was accepted". A server whose
// binary is missing fails the test: make deps installs them.
package testpeer
