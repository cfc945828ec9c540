package probe_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/h1dev/h1/probe"
)

// Check a net/http server's answers to a pipelined pair of requests, the
// way a fuzz target built on probe.FuzzServer checks every input.
func ExampleCheckExchange() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	target, err := probe.ParseTarget(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	data := []byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	opts := probe.Options{ReadTimeout: 2 * time.Second}
	fmt.Println(len(probe.CountRequests(data).Methods), "requests:",
		probe.CheckExchange(context.Background(), target, data, opts))

	// Both framings at once: net/http reads the body as chunked and keeps
	// the connection open, where RFC 9112 §6.1 says it must close (the
	// catalogue's case cl-te fails on it). CheckExchange has nothing to
	// say: the strict parser rejects the request, so any answer goes.
	data = []byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
	out, _ := probe.SendRaw(context.Background(), target, data, opts)
	fmt.Println(out.Signature(), probe.CheckExchange(context.Background(), target, data, opts))
	// Output:
	// 2 requests: <nil>
	// 200 open <nil>
}

// A fuzz target for your own server: start it, hand its address to
// FuzzServer, and run go test -fuzz=FuzzMyServer.
func ExampleFuzzServer() {
	// func FuzzMyServer(f *testing.F) {
	// 	srv := httptest.NewServer(myHandler)
	// 	f.Cleanup(srv.Close)
	// 	target, err := probe.ParseTarget(srv.URL)
	// 	if err != nil {
	// 		f.Fatal(err)
	// 	}
	// 	probe.FuzzServer(f, target, probe.Options{ReadTimeout: 2 * time.Second})
	// }
}
