package fetch_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/h1/fetch"
)

// Godot's HTTPRequest in one call: Do follows the redirect, decodes the
// gzip body and returns the outcome.
func ExampleRequest_Do() {
	// A server on loopback: /old redirects to /new.
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusFound)
			return
		}
		fmt.Fprintf(w, "Hello from %s", r.URL.Path)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)

	pool := &fetch.Pool{}
	defer pool.CloseIdleConnections()
	r := fetch.NewRequest()
	r.Pool = pool
	r.Timeout = 10 * time.Second
	resp := r.Do(context.Background(), h1.MethodGet, base+"/old", nil, nil)
	fmt.Println("result:", resp.Result)
	fmt.Println("status:", resp.Status, "after", resp.Redirects, "redirect")
	fmt.Printf("body: %s\n", resp.Body)
	// Output:
	// result: success
	// status: 200 after 1 redirect
	// body: Hello from /new
}

// A frame loop drives the same fetch with Start and Poll, never waiting.
func ExampleRequest_Poll() {
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "frame data")
	})}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) + "/data"

	pool := &fetch.Pool{}
	defer pool.CloseIdleConnections()
	r := fetch.Request{Pool: pool, Timeout: 10 * time.Second}
	if err := r.Start(h1.MethodGet, url, nil, nil); err != nil {
		fmt.Println(err)
		return
	}
	for !r.Poll() {
		time.Sleep(time.Millisecond) // draw a frame; r.Progress() has the counters
	}
	resp := r.Response()
	fmt.Println(resp.Result, resp.Status, string(resp.Body))
	// Output:
	// success 200 frame data
}
