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
package testpeer
