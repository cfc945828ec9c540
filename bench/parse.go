package bench

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"testing"

	"github.com/h1dev/h1/parser"
	"github.com/valyala/fasthttp"
)

// headCases parse the three corpus heads: h1's ParseResponseHead,
// net/http's ReadResponse, fasthttp's ResponseHeader.Read, and as the
// floor the search for the empty line that ends the head.
func headCases() []Case {
	var cs []Case
	for _, fx := range []struct{ name, file string }{
		{"head/small", "small-300B-CL64.bin"},
		{"head/github", "github-16hdr-CL242.bin"},
		{"head/httparse", "httparse-resp.bin"},
	} {
		data := fixture(fx.file)
		end := bytes.Index(data, []byte("\r\n\r\n")) + 4
		head := data[:end]
		cs = append(cs, Case{
			Name: fx.name,
			H1: func(b *testing.B) {
				var fields [64]parser.Header
				h := parser.ResponseHead{Headers: fields[:0]}
				b.SetBytes(int64(len(head)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := parser.ParseResponseHead(head, &h); err != nil {
						b.Fatal(err)
					}
				}
			},
			NetHTTP: func(b *testing.B) {
				r := bytes.NewReader(data)
				br := bufio.NewReader(r)
				b.SetBytes(int64(len(head)))
				b.ReportAllocs()
				for b.Loop() {
					r.Reset(data)
					br.Reset(r)
					if _, err := http.ReadResponse(br, nil); err != nil {
						b.Fatal(err)
					}
				}
			},
			FastHTTP: func(b *testing.B) {
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
			},
			Floor: func(b *testing.B) {
				b.SetBytes(int64(len(head)))
				b.ReportAllocs()
				for b.Loop() {
					if !bytes.Contains(head, []byte("\r\n\r\n")) {
						b.Fatal("no head")
					}
				}
			},
		})
	}
	return cs
}

// chunkedCase decodes a 64 KiB body in 4 KiB chunks: h1's ChunkedDecoder,
// net/http's chunked reader, fasthttp reading the whole chunked response
// (its only public way to decode chunks), and as the floor a copy of the
// payload.
func chunkedCase() Case {
	body := fixture("chunked-body-only.bin")
	whole := fixture("chunked-64KiB-4KiBchunks.bin")
	const payload = 16 * 4096
	return Case{
		Name: "chunked/64KiB",
		H1: func(b *testing.B) {
			var d parser.ChunkedDecoder
			dst := make([]byte, payload)
			b.SetBytes(payload)
			b.ReportAllocs()
			for b.Loop() {
				d.Reset()
				if n, _, err := d.Decode(dst, body); err != nil || n != payload {
					b.Fatal(n, err)
				}
			}
		},
		NetHTTP: func(b *testing.B) {
			dst := make([]byte, payload)
			r := bytes.NewReader(body)
			br := bufio.NewReader(r)
			b.SetBytes(payload)
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				br.Reset(r)
				if _, err := io.ReadFull(httputil.NewChunkedReader(br), dst); err != nil {
					b.Fatal(err)
				}
			}
		},
		FastHTTP: func(b *testing.B) {
			r := bytes.NewReader(whole)
			br := bufio.NewReader(r)
			var resp fasthttp.Response
			b.SetBytes(payload)
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(whole)
				br.Reset(r)
				resp.Reset()
				if err := resp.Read(br); err != nil || len(resp.Body()) != payload {
					b.Fatal(err)
				}
			}
		},
		Floor: func(b *testing.B) {
			dst, src := make([]byte, payload), make([]byte, payload)
			b.SetBytes(payload)
			b.ReportAllocs()
			for b.Loop() {
				copy(dst, src)
			}
		},
	}
}

// requestWriteCase writes a GET head with four fields: h1's
// AppendRequestHead, net/http's Request.Write, fasthttp's
// RequestHeader.AppendBytes, and as the floor an append of the finished
// bytes.
func requestWriteCase() Case {
	hdr := [][2]string{{"Accept", "application/json"}, {"Accept-Encoding", "gzip"}, {"User-Agent", "bench/1.0"}, {"X-Request-Id", "0123456789abcdef"}}
	var want []byte
	return Case{
		Name: "request/write",
		Setup: func() (func(), error) {
			req := parser.Request{Method: "GET", Target: "/repos/h1/h1/issues?state=open&per_page=100", Host: "api.example.com", Port: 443, TLS: true, ContentLength: -1}
			for _, h := range hdr {
				req.Headers = append(req.Headers, parser.Header{Name: []byte(h[0]), Value: []byte(h[1])})
			}
			var err error
			want, err = parser.AppendRequestHead(nil, &req)
			return func() {}, err
		},
		H1: func(b *testing.B) {
			req := parser.Request{Method: "GET", Target: "/repos/h1/h1/issues?state=open&per_page=100", Host: "api.example.com", Port: 443, TLS: true, ContentLength: -1}
			for _, h := range hdr {
				req.Headers = append(req.Headers, parser.Header{Name: []byte(h[0]), Value: []byte(h[1])})
			}
			buf := make([]byte, 0, 1024)
			b.SetBytes(int64(len(want)))
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = parser.AppendRequestHead(buf[:0], &req); err != nil {
					b.Fatal(err)
				}
			}
		},
		NetHTTP: func(b *testing.B) {
			req, err := http.NewRequest("GET", "https://api.example.com/repos/h1/h1/issues?state=open&per_page=100", nil)
			if err != nil {
				b.Fatal(err)
			}
			for _, h := range hdr {
				req.Header.Set(h[0], h[1])
			}
			var buf bytes.Buffer
			b.SetBytes(int64(len(want)))
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := req.Write(&buf); err != nil {
					b.Fatal(err)
				}
			}
		},
		FastHTTP: func(b *testing.B) {
			var h fasthttp.RequestHeader
			h.SetMethod("GET")
			h.SetRequestURI("/repos/h1/h1/issues?state=open&per_page=100")
			h.SetHost("api.example.com")
			for _, kv := range hdr {
				h.Set(kv[0], kv[1])
			}
			buf := make([]byte, 0, 1024)
			b.SetBytes(int64(len(want)))
			b.ReportAllocs()
			for b.Loop() {
				buf = h.AppendBytes(buf[:0])
			}
		},
		Floor: func(b *testing.B) {
			buf := make([]byte, 0, 1024)
			b.SetBytes(int64(len(want)))
			b.ReportAllocs()
			for b.Loop() {
				buf = append(buf[:0], want...)
			}
		},
	}
}

// chunkedViews walks the chunked case's body with ChunkedDecoder.Next,
// which copies nothing: the framing cost alone.
func chunkedViews(b *testing.B) {
	body := fixture("chunked-body-only.bin")
	const payload = 16 * 4096
	var d parser.ChunkedDecoder
	b.SetBytes(payload)
	b.ReportAllocs()
	for b.Loop() {
		d.Reset()
		total, s := 0, 0
		for !d.Done() {
			v, n, err := d.Next(body[s:])
			if err != nil {
				b.Fatal(err)
			}
			total += len(v)
			s += n
		}
		if total != payload {
			b.Fatal(total)
		}
	}
}

// chunkedCopies copies the data of each chunk of the chunked case's body
// from where it lies, with the chunk offsets found beforehand: the copying
// a chunked decoder cannot avoid.
func chunkedCopies(b *testing.B) {
	body := fixture("chunked-body-only.bin")
	const payload = 16 * 4096
	var spans [][2]int
	var d parser.ChunkedDecoder
	for s := 0; !d.Done(); {
		v, n, err := d.Next(body[s:])
		if err != nil {
			b.Fatal(err)
		}
		if len(v) > 0 {
			spans = append(spans, [2]int{s + n - len(v), s + n})
		}
		s += n
	}
	dst := make([]byte, payload)
	b.SetBytes(payload)
	b.ReportAllocs()
	for b.Loop() {
		o := 0
		for _, sp := range spans {
			o += copy(dst[o:], body[sp[0]:sp[1]])
		}
	}
}
