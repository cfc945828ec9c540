package parser_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"os"
	"testing"

	"github.com/h1dev/h1/parser"
	"github.com/valyala/fasthttp"
)

// The head fixtures, byte-identical to the shared benchmark corpora.
var headFixtures = []struct{ name, file string }{
	{"small", "testdata/small-300B-CL64.bin"},
	{"github", "testdata/github-16hdr-CL242.bin"},
	{"httparse", "testdata/httparse-resp.bin"},
}

func readFixture(b *testing.B, file string) []byte {
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// headLen returns the length of the head in a fixture.
func headLen(b *testing.B, data []byte) int {
	i := bytes.Index(data, []byte("\r\n\r\n"))
	if i < 0 {
		b.Fatal("fixture has no head")
	}
	return i + 4
}

func BenchmarkHead(b *testing.B) {
	for _, fx := range headFixtures {
		data := readFixture(b, fx.file)
		head := data[:headLen(b, data)]
		b.Run(fx.name+"/h1", func(b *testing.B) {
			var hs [100]parser.Header
			h := parser.ResponseHead{Headers: hs[:0]}
			b.SetBytes(int64(len(head)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parser.ParseResponseHead(head, &h); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fx.name+"/nethttp", func(b *testing.B) {
			r := bytes.NewReader(data)
			br := bufio.NewReader(r)
			b.SetBytes(int64(len(head)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(data)
				br.Reset(r)
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					b.Fatal(err)
				}
				_ = resp
			}
		})
		b.Run(fx.name+"/fasthttp", func(b *testing.B) {
			r := bytes.NewReader(data)
			br := bufio.NewReader(r)
			var h fasthttp.ResponseHeader
			b.SetBytes(int64(len(head)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(data)
				br.Reset(r)
				h.Reset()
				if err := h.Read(br); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkChunked(b *testing.B) {
	body := readFixture(b, "testdata/chunked-body-only.bin")
	const payload = 16 * 4096
	b.Run("h1", func(b *testing.B) {
		var d parser.ChunkedDecoder
		dst := make([]byte, payload)
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			d.Reset()
			n, _, err := d.Decode(dst, body)
			if err != nil || n != payload || !d.Done() {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("h1-inplace", func(b *testing.B) {
		var d parser.ChunkedDecoder
		buf := make([]byte, len(body))
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			copy(buf, body) // decoding in place destroys the input
			d.Reset()
			n, _, err := d.DecodeInPlace(buf)
			if err != nil || n != payload {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		dst := make([]byte, payload)
		r := bytes.NewReader(body)
		br := bufio.NewReader(r)
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			r.Reset(body)
			br.Reset(r)
			cr := httputil.NewChunkedReader(br)
			if _, err := io.ReadFull(cr, dst); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("copy", func(b *testing.B) {
		dst := make([]byte, payload)
		src := make([]byte, payload)
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			copy(dst, src)
		}
	})
}

// chunkedResponse builds a response whose body is size bytes in 4 KiB
// chunks.
func chunkedResponse(size int) (head, body []byte) {
	head = []byte("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
	block := bytes.Repeat([]byte{'x'}, 4096)
	for left := size; left > 0; left -= 4096 {
		body = parser.AppendChunk(body, block[:min(left, 4096)])
	}
	return head, parser.AppendLastChunk(body)
}

// BenchmarkChunkedSizes decodes whole chunked responses of 60 KiB, 64 KiB
// and 1 MiB: h1 stays at zero allocations at every size, where fasthttp's
// pooled body buffers grow.
func BenchmarkChunkedSizes(b *testing.B) {
	for _, size := range []int{60 << 10, 64 << 10, 1 << 20} {
		head, body := chunkedResponse(size)
		resp := append(append([]byte{}, head...), body...)
		name := fmt.Sprintf("%dKiB", size>>10)
		b.Run(name+"/h1", func(b *testing.B) {
			var fields [16]parser.Header
			h := parser.ResponseHead{Headers: fields[:0]}
			d := parser.ChunkedDecoder{}
			out := make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				n, err := parser.ParseResponseHead(resp, &h)
				if err != nil {
					b.Fatal(err)
				}
				d.Reset()
				if nd, _, err := d.Decode(out, resp[n:]); err != nil || nd != size {
					b.Fatal(nd, err)
				}
			}
		})
		b.Run(name+"/fasthttp", func(b *testing.B) {
			r := bytes.NewReader(resp)
			br := bufio.NewReaderSize(r, 4096)
			var fr fasthttp.Response
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(resp)
				br.Reset(r)
				fr.Reset()
				if err := fr.Read(br); err != nil || len(fr.Body()) != size {
					b.Fatal(err)
				}
			}
		})
	}
}
