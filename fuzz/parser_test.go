package fuzz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/h1dev/h1/parser"
)

// seedResponses are responses from the parser's own test tables and real
// servers' shapes; the committed corpus adds more.
var seedResponses = []string{
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nX: y\r\n\r\n",
	"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nbody",
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
	"HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n",
	"HTTP/1.1 200 OK\nX: y\n\n",
	"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
}

func headFields(hs []parser.Header) [][2]string {
	out := make([][2]string, len(hs))
	for i, h := range hs {
		out[i] = [2]string{string(h.Name), string(h.Value)}
	}
	return out
}

// inside reports whether v is a view into b (or empty).
func inside(b, v []byte) bool {
	if len(v) == 0 {
		return true
	}
	off := cap(b) - cap(v)
	return off >= 0 && off+len(v) <= len(b) && &b[off] == &v[0]
}

type respVerdict struct {
	n      int
	err    string
	status int
	reason string
	fields [][2]string
	frame  parser.Framing
	length int64
	keep   bool
}

func parseResp(b []byte, h *parser.ResponseHead) respVerdict {
	n, err := parser.ParseResponseHead(b, h)
	v := respVerdict{n: n}
	if err != nil {
		v.err = err.Error()
		return v
	}
	v.status, v.reason, v.fields = h.Status, string(h.Reason), headFields(h.Headers)
	v.frame, v.length, v.keep = h.Framing, h.ContentLength, h.KeepAlive
	return v
}

func equalVerdict(a, b respVerdict) bool {
	if a.n != b.n || a.err != b.err || a.status != b.status || a.reason != b.reason || a.frame != b.frame || a.length != b.length || a.keep != b.keep || len(a.fields) != len(b.fields) {
		return false
	}
	for i := range a.fields {
		if a.fields[i] != b.fields[i] {
			return false
		}
	}
	return true
}

// FuzzResponseHead: no panic; n within the input; views inside it; and the
// same verdict whether the bytes arrive at once or grow from a cut point.
func FuzzResponseHead(f *testing.F) {
	for _, s := range seedResponses {
		f.Add([]byte(s), uint16(len(s)/2), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		var store [32]parser.Header
		h := parser.ResponseHead{Headers: store[:0], Method: method}
		whole := parseResp(data, &h)
		if whole.err == "" {
			if whole.n <= 0 || whole.n > len(data) {
				t.Fatalf("n = %d for %d bytes", whole.n, len(data))
			}
			if !inside(data, h.Reason) {
				t.Fatal("reason is not a view into the input")
			}
			for _, f := range h.Headers {
				if !inside(data, f.Name) || !inside(data, f.Value) {
					t.Fatal("field is not a view into the input")
				}
			}
			if h.Status < 100 || h.Status > 599 {
				t.Fatalf("status %d accepted", h.Status)
			}
		}
		// Growing input: a prefix first, then everything, with one head.
		c := int(cut) % (len(data) + 1)
		var store2 [32]parser.Header
		g := parser.ResponseHead{Headers: store2[:0], Method: method}
		first := parseResp(data[:c:c], &g)
		if first.err != parser.ErrNeedMore.Error() {
			// A prefix may only fail early with the same verdict, or
			// succeed on a complete head that the whole input shares.
			if first.err == "" {
				if !equalVerdict(first, whole) {
					t.Fatalf("prefix %d: %+v; whole: %+v", c, first, whole)
				}
			} else if first.err != whole.err {
				t.Fatalf("prefix %d fails with %q; whole input with %q", c, first.err, whole.err)
			}
			return
		}
		again := parseResp(data, &g)
		if !equalVerdict(again, whole) {
			t.Fatalf("after prefix %d: %+v; at once: %+v", c, again, whole)
		}
	})
}

// FuzzRequestHead is FuzzResponseHead for requests.
func FuzzRequestHead(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
	} {
		f.Add([]byte(s), uint16(len(s)/3))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		var store [32]parser.Header
		h := parser.RequestHead{Headers: store[:0]}
		n, err := parser.ParseRequestHead(data, &h)
		if err == nil {
			if n <= 0 || n > len(data) || !inside(data, h.Method) || !inside(data, h.Target) || !inside(data, h.Host) {
				t.Fatalf("n = %d of %d, or a view outside the input", n, len(data))
			}
		}
		c := int(cut) % (len(data) + 1)
		var store2 [32]parser.Header
		g := parser.RequestHead{Headers: store2[:0]}
		_, err1 := parser.ParseRequestHead(data[:c:c], &g)
		if err1 == parser.ErrNeedMore {
			n2, err2 := parser.ParseRequestHead(data, &g)
			if n2 != n || errString(err2) != errString(err) {
				t.Fatalf("after prefix %d: %d, %v; at once: %d, %v", c, n2, err2, n, err)
			}
		} else if err1 != nil && errString(err1) != errString(err) {
			t.Fatalf("prefix %d fails with %v; whole input with %v", c, err1, err)
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

type chunkResult struct {
	data     []byte
	trailers [][2]string
	used     int
	err      string
}

// decodeCuts decodes data delivered in pieces at the given cut points,
// with an output buffer of out bytes, as a reader that keeps unconsumed
// bytes would.
func decodeCuts(data []byte, cuts []int, out int) chunkResult {
	dst := make([]byte, out)
	return cutsWith(data, cuts, func(d *parser.ChunkedDecoder, in []byte) ([]byte, int, error) {
		nd, ns, err := d.Decode(dst, in)
		if nd > len(dst) || ns > len(in) || nd > ns {
			panic("decoder counts exceed their buffers")
		}
		return dst[:nd], ns, err
	})
}

// nextCuts is decodeCuts with ChunkedDecoder.Next, which hands out views
// of the data instead of copying it.
func nextCuts(data []byte, cuts []int) chunkResult {
	return cutsWith(data, cuts, func(d *parser.ChunkedDecoder, in []byte) ([]byte, int, error) {
		v, n, err := d.Next(in)
		if n > len(in) || len(v) > n || len(v) > 0 && &v[len(v)-1] != &in[n-1] {
			panic("Next's view is not the end of what it consumed")
		}
		return v, n, err
	})
}

// cutsWith feeds data in pieces to step, which decodes from the bytes not
// yet consumed and returns the data it produced and the bytes it used.
func cutsWith(data []byte, cuts []int, step func(*parser.ChunkedDecoder, []byte) ([]byte, int, error)) chunkResult {
	d := parser.ChunkedDecoder{Trailers: make([]parser.Header, 0, 8)}
	var r chunkResult
	var pending []byte
	prev := 0
	for _, c := range append(cuts, len(data)) {
		if c < prev {
			continue
		}
		pending = append(pending, data[prev:c]...)
		prev = c
		for {
			v, n, err := step(&d, pending)
			r.data = append(r.data, v...)
			pending = pending[n:]
			r.used += n
			if d.Done() {
				r.trailers = headFields(d.Trailers)
				return r
			}
			if err == parser.ErrNeedMore {
				break
			}
			if err != nil {
				r.err = err.Error()
				return r
			}
		}
	}
	r.err = "need more"
	return r
}

// FuzzChunked: the decoded data, trailers, bytes used and error do not
// depend on how the input or the output buffer is cut.
func FuzzChunked(f *testing.F) {
	for _, s := range []string{
		"5\r\nhello\r\n0\r\n\r\n",
		"1;a=\"b\\\"c\"\r\nx\r\n0\r\nT: v\r\n\r\nrest",
		"fffffffffffffffff\r\n",
		"5\nhello\r\n0\r\n\r\n",
		"0\r\nA: b\r\n c\r\n\r\n",
	} {
		f.Add([]byte(s), uint16(3), uint16(7), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, c1, c2 uint16, out uint8) {
		whole := decodeCuts(data, nil, len(data)+1)
		if whole.used > len(data) {
			t.Fatalf("used %d of %d", whole.used, len(data))
		}
		a, b := int(c1)%(len(data)+1), int(c2)%(len(data)+1)
		if a > b {
			a, b = b, a
		}
		cut := decodeCuts(data, []int{a, b}, int(out)%16+1)
		if !bytes.Equal(cut.data, whole.data) || cut.used != whole.used || cut.err != whole.err || len(cut.trailers) != len(whole.trailers) {
			t.Fatalf("cuts %d,%d out %d: %q used %d err %q; whole: %q used %d err %q", a, b, int(out)%16+1, cut.data, cut.used, cut.err, whole.data, whole.used, whole.err)
		}
		views := nextCuts(data, []int{a, b})
		for _, r := range []chunkResult{cut, views} {
			if !bytes.Equal(r.data, whole.data) || r.used != whole.used || r.err != whole.err || len(r.trailers) != len(whole.trailers) {
				t.Fatalf("cuts %d,%d: %q used %d err %q; whole: %q used %d err %q", a, b, r.data, r.used, r.err, whole.data, whole.used, whole.err)
			}
			for i := range r.trailers {
				if r.trailers[i] != whole.trailers[i] {
					t.Fatalf("trailers differ: %q vs %q", r.trailers, whole.trailers)
				}
			}
		}
	})
}

// FuzzRequestWriter: for any method, target and field bytes the writer
// either refuses, or writes bytes that parse as exactly one request with
// exactly that method, target and those fields, and nothing left over.
func FuzzRequestWriter(f *testing.F) {
	f.Add("GET", "/", "X-A", "1", "", int64(-1))
	f.Add("POST", "/x?y", "Transfer-Encoding", "chunked", "h", int64(-1))
	f.Add("GET", "/", "X-A", "1\r\nX-B: 2", "h", int64(-1))
	f.Add("OPTIONS", "*", "Content-Length", "3", "h", int64(3))
	f.Add("CONNECT", "a:1", "Host", "a:1", "", int64(-1))
	f.Fuzz(func(t *testing.T, method, target, name, value, host string, length int64) {
		if length < -1 || length > 1<<40 {
			length = -1
		}
		req := parser.Request{Method: method, Target: target, Host: host, Port: 8080, ContentLength: length, NoDefaults: true,
			Headers: []parser.Header{{Name: []byte(name), Value: []byte(value)}}}
		wire, err := parser.AppendRequestHead([]byte("x"), &req)
		if err != nil {
			if !errors.Is(err, parser.ErrInvalidRequest) || string(wire) != "x" {
				t.Fatalf("refusal %v wrote %q", err, wire)
			}
			return
		}
		wire = wire[1:]
		var store [8]parser.Header
		h := parser.RequestHead{Headers: store[:0]}
		n, err := parser.ParseRequestHead(wire, &h)
		if err != nil || n != len(wire) {
			t.Fatalf("written %q does not parse as one request: %d, %v", wire, n, err)
		}
		if string(h.Method) != method || string(h.Target) != target {
			t.Fatalf("parsed %q %q; wrote %q %q", h.Method, h.Target, method, target)
		}
		found := 0
		for _, f := range h.Headers {
			if string(f.Name) == name && string(f.Value) == value {
				found++
			}
		}
		if found == 0 {
			t.Fatalf("field %q: %q lost in %q", name, value, wire)
		}
		if length >= 0 && h.ContentLength != length {
			t.Fatalf("Content-Length %d; wrote a body of %d", h.ContentLength, length)
		}
	})
}
