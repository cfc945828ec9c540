package h1

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/tlsx"
)

func TestNginx(t *testing.T) {
	pki := testpeer.NewPKI(t)
	ng := testpeer.StartNginx(t, pki)
	for _, tc := range []struct {
		name string
		port int
		tls  *tlsx.Options
	}{
		{"http", ng.Port, nil},
		{"https", ng.TLSPort, tlsx.Client(pki.Roots, "")},
	} {
		for _, blocking := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/blocking=%v", tc.name, blocking), func(t *testing.T) {
				testpeer.CheckLeaks(t)
				var c Client
				defer c.Close()
				c.SetBlockingMode(blocking)
				if err := c.ConnectToHost("127.0.0.1", tc.port, tc.tls); err != nil {
					t.Fatal(err)
				}
				run(t, &c, StatusResolving, StatusConnecting)
				if c.Status() != StatusConnected {
					t.Fatalf("status %v: %v", c.Status(), c.Err())
				}
				local := c.tcp.LocalPort()

				// Plain text, then the same compressed: gzip makes nginx
				// answer in chunks.
				body, err := fetch(t, &c, MethodGet, "/text.txt", nil, nil)
				if err != nil || !bytes.Equal(body, ng.Text) || c.ResponseBodyLength() != int64(len(ng.Text)) {
					t.Fatalf("text: %d bytes, %v, length %d", len(body), err, c.ResponseBodyLength())
				}
				body, err = fetch(t, &c, MethodGet, "/text.txt", []string{"Accept-Encoding: gzip"}, nil)
				if err != nil || !c.IsResponseChunked() {
					t.Fatalf("gzip: %v, chunked %v, headers %q", err, c.IsResponseChunked(), c.ResponseHeaders())
				}
				if ce, _ := c.ResponseHeader("content-encoding"); string(ce) != "gzip" {
					t.Errorf("Content-Encoding = %q", ce)
				}
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(plain, ng.Text) {
					t.Fatalf("gunzip: %d bytes, %v", len(plain), err)
				}

				// A large file, in chunks of the read size.
				_ = c.SetReadChunkSize(1 << 20)
				body, err = fetch(t, &c, MethodGet, "/big.bin", nil, nil)
				if err != nil || sha256.Sum256(body) != sha256.Sum256(ng.Big) {
					t.Fatalf("big: %d bytes, %v", len(body), err)
				}

				// HEAD, 404, and many requests: all on one connection.
				if _, err := fetch(t, &c, MethodHead, "/big.bin", nil, nil); err != nil || c.ResponseBodyLength() != 0 {
					t.Errorf("HEAD: %v, length %d", err, c.ResponseBodyLength())
				}
				if _, err := fetch(t, &c, MethodGet, "/missing", nil, nil); err != nil || c.ResponseCode() != 404 {
					t.Errorf("404: code %d, %v", c.ResponseCode(), err)
				}
				for i := 0; i < 200; i++ {
					if body, err := fetch(t, &c, MethodGet, "/text.txt", []string{"Range: bytes=0-3"}, nil); err != nil || string(body) != "line" {
						t.Fatalf("range %d: %q, %v", i, body, err)
					}
				}
				if c.tcp.LocalPort() != local {
					t.Errorf("the connection changed: local port %d, was %d", c.tcp.LocalPort(), local)
				}

				// nginx closes after this one; the next request reconnects.
				if body, err := fetch(t, &c, MethodGet, "/close", nil, nil); err != nil || string(body) != "bye" {
					t.Errorf("close: %q, %v", body, err)
				}
				if body, err := fetch(t, &c, MethodGet, "/text.txt", []string{"Range: bytes=5-5"}, nil); err != nil || string(body) != "0" {
					t.Errorf("after close: %q, %v", body, err)
				}
			})
		}
	}
}
