package h1_test

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/h1dev/h1/h1"
)

// The loop of Godot's HTTPClient tutorial: connect, poll until connected,
// request, poll until the body, read it chunk by chunk.
func ExampleClient() {
	// A server on loopback to talk to.
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "Hello from %s", r.URL.Path)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	var c h1.Client
	defer c.Close()
	if err := c.ConnectToHost("http://127.0.0.1", port, nil); err != nil {
		fmt.Println(err)
		return
	}
	// Wait until resolved and connected.
	for c.Status() == h1.StatusConnecting || c.Status() == h1.StatusResolving {
		c.Poll()
		time.Sleep(time.Millisecond)
	}
	if c.Status() != h1.StatusConnected {
		fmt.Println("could not connect:", c.Err())
		return
	}

	headers := []string{"User-Agent: Pirulo/1.0 (Godot)", "Accept: */*"}
	if err := c.Request(h1.MethodGet, "/ChangeLog-5.php", headers, nil); err != nil {
		fmt.Println(err)
		return
	}
	for c.Status() == h1.StatusRequesting {
		// Keep polling for as long as the request is being processed.
		c.Poll()
		time.Sleep(time.Millisecond)
	}
	if c.Status() != h1.StatusBody && c.Status() != h1.StatusConnected {
		fmt.Println("request failed:", c.Err())
		return
	}

	if c.HasResponse() {
		fmt.Println("code:", c.ResponseCode())
		fmt.Println("content type:", c.ResponseHeadersMap()["Content-Type"])
		if c.IsResponseChunked() {
			fmt.Println("response is chunked")
		} else {
			fmt.Println("response length:", c.ResponseBodyLength())
		}
		var body []byte
		for c.Status() == h1.StatusBody {
			chunk := c.ReadResponseBodyChunk()
			if len(chunk) == 0 {
				time.Sleep(time.Millisecond) // got nothing, wait for buffers to fill a bit
			} else {
				body = append(body, chunk...)
			}
		}
		fmt.Printf("bytes got: %d: %s\n", len(body), body)
	}
	// Output:
	// code: 200
	// content type: [text/plain]
	// response length: 27
	// bytes got: 27: Hello from /ChangeLog-5.php
}
