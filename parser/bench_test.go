package parser_test

import (
	"bufio"
	"bytes"
	"fmt"
	"testing"

	"github.com/h1dev/h1/parser"
	"github.com/valyala/fasthttp"
)

// The side-by-side head and chunked benchmarks (h1 beside net/http,
// fasthttp and a floor) live in package bench, which h1 bench and make
// bench run; here are those only the parser has.

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
