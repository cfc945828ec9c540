package nethttp

import (
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
)

// BenchmarkTransport compares http.Client over this package's Transport
// with http.Client over net/http's own Transport: one small GET at a time
// on a kept-alive loopback connection, against the same fixed-response
// server, the body read to its end into a reused buffer.
func BenchmarkTransport(b *testing.B) {
	srv := testpeer.FixedServer(b)
	url := "http://127.0.0.1:" + strconv.Itoa(srv.Port()) + "/"
	for _, bc := range []struct {
		name string
		rt   interface {
			http.RoundTripper
			CloseIdleConnections()
		}
	}{
		{"h1", &Transport{}},
		{"net-http", &http.Transport{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cl := &http.Client{Transport: bc.rt}
			defer bc.rt.CloseIdleConnections()
			buf := make([]byte, 512)
			get := func() {
				resp, err := cl.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					k, err := resp.Body.Read(buf)
					n += k
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				resp.Body.Close()
				if n != 13 {
					b.Fatalf("body %d bytes", n)
				}
			}
			get()
			b.ReportAllocs()
			b.SetBytes(13)
			b.ResetTimer()
			for range b.N {
				get()
			}
		})
	}
}

// Any net/http program runs on the engine through Transport.
func ExampleTransport() {
	hc := &http.Client{Transport: &Transport{}}
	resp, err := hc.Get("http://127.0.0.1:8080/")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}
