package load_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/h1dev/h1/load"
)

// Send 1,000 requests over 8 connections, 4 in flight on each, and read
// the result.
func ExampleRun() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello")
	}))
	defer srv.Close()

	target, err := load.ParseURL(srv.URL + "/hello")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := load.Run(load.Config{Target: target, Connections: 8, Pipeline: 4, Requests: 1000})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := load.PercentilesOf(res.Latency)
	fmt.Println(res.Requests, "responses,", res.Errors.Total(), "errors")
	fmt.Println(res.Latency.TotalCount() == res.Requests, p.P50 <= p.P99)
	// Output:
	// 1000 responses, 0 errors
	// true true
}
