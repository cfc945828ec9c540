package parser

import (
	"errors"
	"testing"
)

func hs(kv ...string) []Header {
	var out []Header
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Header{Name: []byte(kv[i]), Value: []byte(kv[i+1])})
	}
	return out
}

var encodeCases = []struct {
	name  string
	req   Request
	wire  string
	field string // the refused field; "" when accepted
}{
	{name: "godot defaults", req: Request{Method: "GET", Target: "/", Host: "example.com", Port: 80, ContentLength: -1},
		wire: "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n"},
	{name: "port not default", req: Request{Method: "GET", Target: "/", Host: "example.com", Port: 8080, ContentLength: -1},
		wire: "GET / HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n"},
	{name: "tls default port", req: Request{Method: "GET", Target: "/", Host: "example.com", Port: 443, TLS: true, ContentLength: -1},
		wire: "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n"},
	{name: "port 80 over tls", req: Request{Method: "GET", Target: "/", Host: "example.com", Port: 80, TLS: true, ContentLength: -1},
		wire: "GET / HTTP/1.1\r\nHost: example.com:80\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n"},
	{name: "ipv6 host", req: Request{Method: "GET", Target: "/", Host: "::1", Port: 8080, ContentLength: -1, NoDefaults: true},
		wire: "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"},
	{name: "caller headers win", req: Request{Method: "POST", Target: "/x", Host: "h", Headers: hs("host", "other", "user-agent", "me", "ACCEPT", "text/plain"), ContentLength: 3},
		wire: "POST /x HTTP/1.1\r\nhost: other\r\nuser-agent: me\r\nACCEPT: text/plain\r\nContent-Length: 3\r\n\r\n"},
	{name: "post without body", req: Request{Method: "POST", Target: "/", Host: "h", ContentLength: -1, NoDefaults: true},
		wire: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"},
	{name: "chunked by caller", req: Request{Method: "PUT", Target: "/", Host: "h", Headers: hs("Transfer-Encoding", "chunked"), ContentLength: -1, NoDefaults: true},
		wire: "PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"},
	{name: "matching content-length", req: Request{Method: "PUT", Target: "/", Host: "h", Headers: hs("Content-Length", "2"), ContentLength: 2, NoDefaults: true},
		wire: "PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n"},
	{name: "host from absolute target", req: Request{Method: "GET", Target: "http://u:p@example.com:81/x?y", ContentLength: -1, NoDefaults: true},
		wire: "GET http://u:p@example.com:81/x?y HTTP/1.1\r\nHost: example.com:81\r\n\r\n"},
	{name: "connect", req: Request{Method: "CONNECT", Target: "example.com:443", ContentLength: -1, NoDefaults: true},
		wire: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"},
	{name: "options asterisk", req: Request{Method: "OPTIONS", Target: "*", Host: "h", ContentLength: -1, NoDefaults: true},
		wire: "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"},
	{name: "user agent set", req: Request{Method: "GET", Target: "/", Host: "h", ContentLength: -1, UserAgent: "game/1.2 (h1)"},
		wire: "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: game/1.2 (h1)\r\nAccept: */*\r\n\r\n"},
	{name: "user agent header wins", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("User-Agent", "mine"), ContentLength: -1, UserAgent: "other"},
		wire: "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: mine\r\nAccept: */*\r\n\r\n"},
	{name: "empty value", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("X-Empty", ""), ContentLength: -1, NoDefaults: true},
		wire: "GET / HTTP/1.1\r\nHost: h\r\nX-Empty: \r\n\r\n"},

	{name: "method with space", req: Request{Method: "GE T", Target: "/", Host: "h", ContentLength: -1}, field: "method"},
	{name: "empty method", req: Request{Method: "", Target: "/", Host: "h", ContentLength: -1}, field: "method"},
	{name: "target with space", req: Request{Method: "GET", Target: "/a b", Host: "h", ContentLength: -1}, field: "target"},
	{name: "target with CRLF", req: Request{Method: "GET", Target: "/a\r\nX: y", Host: "h", ContentLength: -1}, field: "target"},
	{name: "target with fragment", req: Request{Method: "GET", Target: "/a#b", Host: "h", ContentLength: -1}, field: "target"},
	{name: "target with NUL", req: Request{Method: "GET", Target: "/\x00", Host: "h", ContentLength: -1}, field: "target"},
	{name: "asterisk for GET", req: Request{Method: "GET", Target: "*", Host: "h", ContentLength: -1}, field: "target"},
	{name: "empty name", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("", "x"), ContentLength: -1}, field: "header-name"},
	{name: "name with colon", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("A:B", "x"), ContentLength: -1}, field: "header-name"},
	{name: "name with space", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("A B", "x"), ContentLength: -1}, field: "header-name"},
	{name: "value with CRLF", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("X-A", "1\r\nX-B: 2"), ContentLength: -1}, field: "header-value"},
	{name: "value with LF", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("X-A", "1\nX-B: 2"), ContentLength: -1}, field: "header-value"},
	{name: "value with NUL", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("X-A", "1\x00"), ContentLength: -1}, field: "header-value"},
	{name: "value with trailing space", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("X-A", "1 "), ContentLength: -1}, field: "header-value"},
	{name: "user agent with CRLF", req: Request{Method: "GET", Target: "/", Host: "h", ContentLength: -1, UserAgent: "a\r\nX-B: 2"}, field: "user-agent"},
	{name: "user agent with edge space", req: Request{Method: "GET", Target: "/", Host: "h", ContentLength: -1, UserAgent: " a"}, field: "user-agent"},
	{name: "two hosts", req: Request{Method: "GET", Target: "/", Headers: hs("Host", "a", "host", "b"), ContentLength: -1}, field: "host"},
	{name: "no host", req: Request{Method: "GET", Target: "/", ContentLength: -1}, field: "host"},
	{name: "host with CRLF", req: Request{Method: "GET", Target: "/", Host: "a\r\nX: y", ContentLength: -1}, field: "host"},
	{name: "length mismatch", req: Request{Method: "POST", Target: "/", Host: "h", Headers: hs("Content-Length", "5"), ContentLength: 3}, field: "content-length"},
	{name: "length without body", req: Request{Method: "GET", Target: "/", Host: "h", Headers: hs("Content-Length", "5"), ContentLength: -1}, field: "content-length"},
	{name: "bad length", req: Request{Method: "POST", Target: "/", Host: "h", Headers: hs("Content-Length", "+3"), ContentLength: 3}, field: "content-length"},
	{name: "te and cl", req: Request{Method: "POST", Target: "/", Host: "h", Headers: hs("Transfer-Encoding", "chunked", "Content-Length", "3"), ContentLength: -1}, field: "transfer-encoding"},
	{name: "te with body length", req: Request{Method: "POST", Target: "/", Host: "h", Headers: hs("Transfer-Encoding", "chunked"), ContentLength: 3}, field: "transfer-encoding"},
	{name: "te gzip only", req: Request{Method: "POST", Target: "/", Host: "h", Headers: hs("Transfer-Encoding", "gzip"), ContentLength: -1}, field: "transfer-encoding"},
	{name: "te twice", req: Request{Method: "POST", Target: "/", Host: "h", Headers: hs("Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"), ContentLength: -1}, field: "transfer-encoding"},
}

func TestAppendRequestHead(t *testing.T) {
	for _, c := range encodeCases {
		t.Run(c.name, func(t *testing.T) {
			prefix := []byte("keep")
			got, err := AppendRequestHead(prefix, &c.req)
			if c.field != "" {
				var ee *EncodeError
				if !errors.As(err, &ee) || ee.Field != c.field || !errors.Is(err, ErrInvalidRequest) {
					t.Fatalf("err = %v; want an EncodeError on %q", err, c.field)
				}
				if string(got) != "keep" {
					t.Fatalf("refused request wrote %q; want nothing", got[4:])
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v; want nil", err)
			}
			if string(got[4:]) != c.wire {
				t.Fatalf("wire = %q; want %q", got[4:], c.wire)
			}
			// What the writer produces parses back as one request with
			// the same method, target and fields.
			var store [16]Header
			h := RequestHead{Headers: store[:0]}
			n, err := ParseRequestHead(got[4:], &h)
			if err != nil || n != len(c.wire) {
				t.Fatalf("ParseRequestHead = %d, %v; want %d, nil", n, err, len(c.wire))
			}
			if string(h.Method) != c.req.Method || string(h.Target) != c.req.Target {
				t.Fatalf("parsed %q %q; want %q %q", h.Method, h.Target, c.req.Method, c.req.Target)
			}
			for _, want := range c.req.Headers {
				found := false
				for _, f := range h.Headers {
					found = found || string(f.Name) == string(want.Name) && string(f.Value) == string(want.Value)
				}
				if !found {
					t.Fatalf("field %q: %q lost in %q", want.Name, want.Value, c.wire)
				}
			}
		})
	}
}

func TestAppendRequestHeadAllocs(t *testing.T) {
	r := Request{Method: "GET", Target: "/index.html", Host: "example.com", Port: 8080, Headers: hs("X-A", "1"), ContentLength: -1}
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = AppendRequestHead(buf[:0], &r); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("allocs = %v; want 0", allocs)
	}
}

func TestAppendChunk(t *testing.T) {
	got := AppendLastChunk(AppendChunk(AppendChunk(nil, []byte("hello, world")), nil))
	if string(got) != "c\r\nhello, world\r\n0\r\n\r\n" {
		t.Fatalf("chunks = %q", got)
	}
}
