package parser

import (
	"errors"
	"go/build"
	"testing"
)

type reqCase struct {
	name    string
	in      string
	method  string
	target  string
	minor   int
	host    string
	framing Framing
	length  int64
	keep    bool
	kind    Kind
	off     int64
}

var reqCases = []reqCase{
	{name: "get", in: "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\n\r\n", method: "GET", target: "/a?b=c", minor: 1, host: "example.com", length: -1, keep: true},
	{name: "post length", in: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n", method: "POST", target: "/", minor: 1, host: "x", framing: FramingLength, length: 3, keep: true},
	{name: "post chunked", in: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", method: "POST", target: "/", minor: 1, host: "x", framing: FramingChunked, length: -1, keep: true},
	{name: "http/1.0 no host", in: "GET / HTTP/1.0\r\n\r\n", method: "GET", target: "/", length: -1},
	{name: "leading CRLF", in: "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", method: "GET", target: "/", minor: 1, host: "x", length: -1, keep: true},
	{name: "options asterisk", in: "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", method: "OPTIONS", target: "*", minor: 1, host: "x", length: -1, keep: true},
	{name: "connect authority", in: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", method: "CONNECT", target: "example.com:443", minor: 1, host: "example.com:443", length: -1, keep: true},
	{name: "absolute form", in: "GET http://example.com/x HTTP/1.1\r\nHost: example.com\r\n\r\n", method: "GET", target: "http://example.com/x", minor: 1, host: "example.com", length: -1, keep: true},

	{name: "missing host", in: "GET / HTTP/1.1\r\n\r\n", kind: KindMissingHost, off: 18},
	{name: "two hosts", in: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", kind: KindDuplicateHost, off: 31},
	{name: "lower-case method is a token", in: "get / HTTP/1.1\r\nHost: x\r\n\r\n", method: "get", target: "/", minor: 1, host: "x", length: -1, keep: true},
	{name: "bad method", in: "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", kind: KindMethod, off: 1},
	{name: "two spaces", in: "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", kind: KindTarget, off: 4},
	{name: "fragment", in: "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", kind: KindTarget, off: 6},
	{name: "non-ascii target", in: "GET /caf\xe9 HTTP/1.1\r\nHost: x\r\n\r\n", kind: KindTarget, off: 8},
	{name: "asterisk for GET", in: "GET * HTTP/1.1\r\nHost: x\r\n\r\n", kind: KindTarget, off: 4},
	{name: "connect origin form", in: "CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n", kind: KindTarget, off: 8},
	{name: "relative target", in: "GET a/b HTTP/1.1\r\nHost: x\r\n\r\n", kind: KindTarget, off: 5},
	{name: "bad version", in: "GET / HTTP/1.1x\r\nHost: x\r\n\r\n", kind: KindVersion, off: 14},
	{name: "lower-case version", in: "GET / http/1.1\r\nHost: x\r\n\r\n", kind: KindVersion, off: 6},
	{name: "http/0.9 style", in: "GET /\r\n\r\n", kind: KindTarget, off: 5},
	{name: "te and cl", in: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", kind: KindTransferEncodingWithLength, off: 64},
	{name: "te not chunked", in: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", kind: KindTransferEncoding, off: 45},
	{name: "te in 1.0", in: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", kind: KindTransferEncodingHTTP10, off: 36},
	{name: "cl conflict", in: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", kind: KindContentLengthConflict, off: 61},
	{name: "space before colon", in: "GET / HTTP/1.1\r\nHost : x\r\n\r\n", kind: KindSpaceBeforeColon, off: 20},
}

func TestParseRequestHead(t *testing.T) {
	for _, c := range reqCases {
		t.Run(c.name, func(t *testing.T) {
			var store [8]Header
			h := RequestHead{Headers: store[:0]}
			n, err := ParseRequestHead([]byte(c.in), &h)
			checkOutcome(t, err, c.kind, c.off, nil)
			if err != nil {
				return
			}
			if n != len(c.in) || string(h.Method) != c.method || string(h.Target) != c.target || h.Minor != c.minor || string(h.Host) != c.host {
				t.Errorf("got n=%d %q %q 1.%d host %q; want %d %q %q 1.%d %q", n, h.Method, h.Target, h.Minor, h.Host, len(c.in), c.method, c.target, c.minor, c.host)
			}
			if h.Framing != c.framing || h.ContentLength != c.length || h.KeepAlive != c.keep {
				t.Errorf("got framing=%v length=%d keep=%v; want %v %d %v", h.Framing, h.ContentLength, h.KeepAlive, c.framing, c.length, c.keep)
			}
		})
	}
}

func TestParseRequestHeadPrefixes(t *testing.T) {
	for _, c := range reqCases {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(c.in)
			var store [8]Header
			h := RequestHead{Headers: store[:0]}
			for k := 0; k < len(in); k++ {
				_, err := ParseRequestHead(in[:k:k], &h)
				if err == ErrNeedMore {
					continue
				}
				var pe *ProtocolError
				if c.kind == KindNone || !errors.As(err, &pe) || pe.Kind != c.kind || pe.Offset != c.off {
					t.Fatalf("prefix %d: err = %v; want ErrNeedMore or %v at %d", k, err, c.kind, c.off)
				}
				return
			}
		})
	}
}

// TestParserImportsNoIO holds the layering rule: the parser is pure and
// imports no package that does I/O.
func TestParserImportsNoIO(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	banned := map[string]bool{"net": true, "os": true, "io": true, "bufio": true, "net/http": true, "syscall": true, "fmt": true}
	for _, imp := range pkg.Imports {
		if banned[imp] || len(imp) > 4 && imp[:4] == "net/" || len(imp) > 12 && imp[:12] == "github.com/h" {
			t.Errorf("parser imports %q", imp)
		}
	}
}
