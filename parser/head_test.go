package parser

import (
	"errors"
	"strings"
	"testing"
)

type hdr = [2]string

type respCase struct {
	name    string
	in      string
	method  string
	upgrade bool // the request asked for an Upgrade
	opts    Options
	n       int // bytes of head; 0 means len(in)
	status  int
	reason  string
	minor   int
	headers []hdr
	framing Framing
	length  int64
	keep    bool
	kind    Kind // expected violation; KindNone for success
	off     int64
	errIs   error // for non-protocol outcomes (ErrNeedMore)
}

var respCases = []respCase{
	// RFC 9112 §4: the status line.
	{name: "minimal", in: "HTTP/1.1 200 OK\r\n\r\n", status: 200, reason: "OK", minor: 1, framing: FramingClose, length: -1},
	{name: "length", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Content-Length", "5"}}, framing: FramingLength, length: 5, keep: true},
	{name: "empty reason", in: "HTTP/1.1 204 \r\n\r\n", status: 204, minor: 1, framing: FramingNone, length: -1, keep: true},
	{name: "no reason no space", in: "HTTP/1.1 204\r\n\r\n", status: 204, minor: 1, framing: FramingNone, length: -1, keep: true},
	{name: "reason with spaces and obs-text", in: "HTTP/1.1 404 Not \xe9 Found\t!\r\nContent-Length: 0\r\n\r\n", status: 404,
		reason: "Not \xe9 Found\t!", minor: 1, headers: []hdr{{"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "http/1.0 close by default", in: "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", status: 200, reason: "OK",
		headers: []hdr{{"Content-Length", "1"}}, framing: FramingLength, length: 1},
	{name: "http/1.0 keep-alive", in: "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\n", status: 200, reason: "OK",
		headers: []hdr{{"Connection", "Keep-Alive"}, {"Content-Length", "1"}}, framing: FramingLength, length: 1, keep: true},
	{name: "higher minor", in: "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 2,
		headers: []hdr{{"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "leading empty lines", in: "\r\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "bare LF lines", in: "HTTP/1.1 200 OK\nContent-Length: 2\n\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Content-Length", "2"}}, framing: FramingLength, length: 2, keep: true},
	{name: "bare LF refused", in: "HTTP/1.1 200 OK\nContent-Length: 2\n\n", opts: Options{RejectBareLF: true}, kind: KindBareLF, off: 15},
	{name: "lower-case version", in: "http/1.1 200 OK\r\n\r\n", kind: KindStartLine, off: 0},
	{name: "version 2", in: "HTTP/2.0 200 OK\r\n\r\n", kind: KindVersion, off: 5},
	{name: "version 0.9", in: "HTTP/0.9 200 OK\r\n\r\n", kind: KindVersion, off: 5},
	{name: "version letters", in: "HTTP/1.x 200 OK\r\n\r\n", kind: KindVersion, off: 7},
	{name: "two digit status", in: "HTTP/1.1 20 OK\r\n\r\n", kind: KindStatusCode, off: 9},
	{name: "four digit status", in: "HTTP/1.1 2000 OK\r\n\r\n", kind: KindStatusCode, off: 12},
	{name: "status letters", in: "HTTP/1.1 2x0 OK\r\n\r\n", kind: KindStatusCode, off: 9},
	{name: "status 099", in: "HTTP/1.1 099 OK\r\n\r\n", kind: KindStatusCode, off: 9},
	{name: "status 600", in: "HTTP/1.1 600 OK\r\n\r\n", kind: KindStatusCode, off: 9},
	{name: "two spaces before status", in: "HTTP/1.1  200 OK\r\n\r\n", kind: KindStatusCode, off: 9},
	{name: "tab before status", in: "HTTP/1.1\t200 OK\r\n\r\n", kind: KindStartLine, off: 8},
	{name: "NUL in reason", in: "HTTP/1.1 200 O\x00K\r\n\r\n", kind: KindReason, off: 14},
	{name: "bare CR in reason", in: "HTTP/1.1 200 O\rK\r\n\r\n", kind: KindBareCR, off: 14},
	{name: "garbage", in: "hello world\r\n\r\n", kind: KindStartLine, off: 0},

	// RFC 9112 §5: field lines.
	{name: "OWS trimmed", in: "HTTP/1.1 200 OK\r\nA:  x y \t\r\nB:\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"A", "x y"}, {"B", ""}, {"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "duplicates kept", in: "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "tab inside value", in: "HTTP/1.1 200 OK\r\nA: x\ty\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"A", "x\ty"}, {"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "obs-text value", in: "HTTP/1.1 200 OK\r\nA: caf\xc3\xa9\xff\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"A", "caf\xc3\xa9\xff"}, {"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "space before colon", in: "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", kind: KindSpaceBeforeColon, off: 31},
	{name: "tab before colon", in: "HTTP/1.1 200 OK\r\nA\t: 0\r\n\r\n", kind: KindSpaceBeforeColon, off: 18},
	{name: "space inside name", in: "HTTP/1.1 200 OK\r\nA B: x\r\n\r\n", kind: KindHeaderName, off: 18},
	{name: "empty name", in: "HTTP/1.1 200 OK\r\n: x\r\n\r\n", kind: KindHeaderName, off: 17},
	{name: "no colon", in: "HTTP/1.1 200 OK\r\nfoo\r\n\r\n", kind: KindHeaderName, off: 20},
	{name: "bad name char", in: "HTTP/1.1 200 OK\r\nA(b): x\r\n\r\n", kind: KindHeaderName, off: 18},
	{name: "non-ascii name", in: "HTTP/1.1 200 OK\r\nCaf\xe9: x\r\n\r\n", kind: KindHeaderName, off: 20},
	{name: "NUL in value", in: "HTTP/1.1 200 OK\r\nA: x\x00y\r\n\r\n", kind: KindHeaderValue, off: 21},
	{name: "VT in value", in: "HTTP/1.1 200 OK\r\nA: x\x0by\r\n\r\n", kind: KindHeaderValue, off: 21},
	{name: "DEL in value", in: "HTTP/1.1 200 OK\r\nA: x\x7fy\r\n\r\n", kind: KindHeaderValue, off: 21},
	{name: "bare CR in value", in: "HTTP/1.1 200 OK\r\nA: x\ry\r\n\r\n", kind: KindBareCR, off: 21},
	{name: "bare CR ending value", in: "HTTP/1.1 200 OK\r\nA: x\r\r\n\r\n", kind: KindBareCR, off: 21},
	{name: "bare CR as line", in: "HTTP/1.1 200 OK\r\nA: x\r\n\rB: y\r\n\r\n", kind: KindBareCR, off: 23},
	{name: "NUL in name", in: "HTTP/1.1 200 OK\r\nA\x00B: x\r\n\r\n", kind: KindHeaderName, off: 18},
	{name: "whitespace before first field", in: "HTTP/1.1 200 OK\r\n X: y\r\n\r\n", kind: KindLeadingWhitespace, off: 17},
	{name: "obs-fold refused", in: "HTTP/1.1 200 OK\r\nA: x\r\n  y\r\n\r\n", kind: KindObsFold, off: 23},
	{name: "obs-fold allowed", in: "HTTP/1.1 200 OK\r\nA: x\r\n \ty\r\nContent-Length: 0\r\n\r\n", opts: Options{AllowObsFold: true},
		status: 200, reason: "OK", minor: 1, headers: []hdr{{"A", "x    y"}, {"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
	{name: "head over limit", in: "HTTP/1.1 200 OK\r\nA: " + strings.Repeat("x", 100) + "\r\n\r\n", opts: Options{MaxHeadSize: 64}, kind: KindHeadTooLarge, off: 64},
	{name: "incomplete", in: "HTTP/1.1 200 OK\r\nA: b\r\n", errIs: ErrNeedMore},
	{name: "incomplete status", in: "HTTP/1.", errIs: ErrNeedMore},
	{name: "incomplete CR", in: "HTTP/1.1 200 OK\r\n\r", errIs: ErrNeedMore},

	// RFC 9112 §6.3 and RFC 9110 §8.6: framing.
	{name: "chunked", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Transfer-Encoding", "chunked"}}, framing: FramingChunked, length: -1, keep: true},
	{name: "gzip then chunked, any case", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\ntransfer-encoding: ChUnKeD\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Transfer-Encoding", "gzip"}, {"transfer-encoding", "ChUnKeD"}}, framing: FramingChunked, length: -1, keep: true},
	{name: "chunked list with empty elements", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: , gzip ,, chunked\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Transfer-Encoding", ", gzip ,, chunked"}}, framing: FramingChunked, length: -1, keep: true},
	{name: "chunked not final", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", kind: KindChunkedNotFinal, off: 45},
	{name: "chunked twice", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", kind: KindChunkedTwice, off: 45},
	{name: "chunked twice across fields", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", kind: KindChunkedTwice, off: 64},
	{name: "final coding gzip", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", kind: KindTransferEncoding, off: 36},
	{name: "empty transfer-encoding", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n", kind: KindTransferEncoding, off: 36},
	{name: "chunked with parameter", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", kind: KindTransferEncoding, off: 43},
	{name: "coding junk", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", kind: KindTransferEncoding, off: 36},
	{name: "chunked with vertical tab", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\x0b\r\n\r\n", kind: KindHeaderValue, off: 43},
	{name: "te and cl", in: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", kind: KindTransferEncodingWithLength, off: 55},
	{name: "te in http/1.0", in: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", kind: KindTransferEncodingHTTP10, off: 36},
	{name: "cl plus sign", in: "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", kind: KindContentLength, off: 33},
	{name: "cl negative", in: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", kind: KindContentLength, off: 33},
	{name: "cl hex", in: "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", kind: KindContentLength, off: 34},
	{name: "cl empty", in: "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", kind: KindContentLength, off: 33},
	{name: "cl inner space", in: "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", kind: KindContentLength, off: 34},
	{name: "cl list", in: "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", kind: KindContentLength, off: 34},
	{name: "cl overflow", in: "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n", kind: KindContentLengthOverflow, off: 51},
	{name: "cl max", in: "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Content-Length", "9223372036854775807"}}, framing: FramingLength, length: 9223372036854775807, keep: true},
	{name: "cl conflict", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", kind: KindContentLengthConflict, off: 52},
	{name: "cl duplicate agrees", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 005\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Content-Length", "5"}, {"content-length", "005"}}, framing: FramingLength, length: 5, keep: true},
	{name: "head response", method: "HEAD", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Content-Length", "5"}}, framing: FramingNone, length: 5, keep: true},
	{name: "304 ignores length", in: "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", status: 304, reason: "Not Modified", minor: 1,
		headers: []hdr{{"Content-Length", "5"}}, framing: FramingNone, length: 5, keep: true},
	{name: "100 continue", in: "HTTP/1.1 100 Continue\r\n\r\n", status: 100, reason: "Continue", minor: 1, framing: FramingNone, length: -1, keep: true},
	{name: "101 switching", upgrade: true, in: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", status: 101,
		reason: "Switching Protocols", minor: 1, headers: []hdr{{"Upgrade", "websocket"}, {"Connection", "Upgrade"}}, framing: FramingTunnel, length: -1},
	{name: "101 unsolicited", in: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		kind: KindUnsolicitedUpgrade, off: 9},
	{name: "connect tunnel", method: "CONNECT", in: "HTTP/1.1 200 Connection established\r\n\r\n", status: 200,
		reason: "Connection established", minor: 1, framing: FramingTunnel, length: -1},
	{name: "close delimited", in: "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Connection", "keep-alive"}}, framing: FramingClose, length: -1},

	// RFC 9110 §7.6.1: Connection options, any case, any OWS, in lists.
	{name: "connection close", in: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Connection", "close"}, {"Content-Length", "0"}}, framing: FramingLength, length: 0},
	{name: "connection close in list", in: "HTTP/1.1 200 OK\r\nconnection: Upgrade ,\tCLOSE , foo\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"connection", "Upgrade ,\tCLOSE , foo"}, {"Content-Length", "0"}}, framing: FramingLength, length: 0},
	{name: "connection closed is not close", in: "HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n", status: 200, reason: "OK", minor: 1,
		headers: []hdr{{"Connection", "closed"}, {"Content-Length", "0"}}, framing: FramingLength, length: 0, keep: true},
}

func runResp(t *testing.T, c respCase, in []byte) {
	t.Helper()
	var store [8]Header
	h := ResponseHead{Headers: store[:0], Method: c.method, Upgrade: c.upgrade, Options: c.opts}
	n, err := ParseResponseHead(in, &h)
	checkOutcome(t, err, c.kind, c.off, c.errIs)
	if err != nil {
		if n != 0 {
			t.Errorf("n = %d with error; want 0", n)
		}
		return
	}
	wantN := c.n
	if wantN == 0 {
		wantN = len(c.in)
	}
	if n != wantN || h.Status != c.status || string(h.Reason) != c.reason || h.Minor != c.minor {
		t.Errorf("got n=%d status=%d reason=%q minor=%d; want %d %d %q %d", n, h.Status, h.Reason, h.Minor, wantN, c.status, c.reason, c.minor)
	}
	if h.Framing != c.framing || h.ContentLength != c.length || h.KeepAlive != c.keep {
		t.Errorf("got framing=%v length=%d keep-alive=%v; want %v %d %v", h.Framing, h.ContentLength, h.KeepAlive, c.framing, c.length, c.keep)
	}
	checkHeaders(t, h.Headers, c.headers)
}

func checkOutcome(t *testing.T, err error, kind Kind, off int64, errIs error) {
	t.Helper()
	switch {
	case errIs != nil:
		if !errors.Is(err, errIs) {
			t.Fatalf("err = %v; want %v", err, errIs)
		}
	case kind != KindNone:
		var pe *ProtocolError
		if !errors.As(err, &pe) {
			t.Fatalf("err = %v; want a *ProtocolError of kind %v", err, kind)
		}
		if pe.Kind != kind || pe.Offset != off {
			t.Fatalf("err = %v (kind %v, offset %d); want kind %v at offset %d", err, pe.Kind, pe.Offset, kind, off)
		}
	default:
		if err != nil {
			t.Fatalf("err = %v; want nil", err)
		}
	}
}

func checkHeaders(t *testing.T, got []Header, want []hdr) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d fields %q; want %d %q", len(got), got, len(want), want)
	}
	for i := range want {
		if string(got[i].Name) != want[i][0] || string(got[i].Value) != want[i][1] {
			t.Errorf("field %d = %q: %q; want %q: %q", i, got[i].Name, got[i].Value, want[i][0], want[i][1])
		}
	}
}

func TestParseResponseHead(t *testing.T) {
	for _, c := range respCases {
		t.Run(c.name, func(t *testing.T) { runResp(t, c, []byte(c.in)) })
	}
}

// TestParseResponseHeadPrefixes feeds every prefix of every complete case:
// a prefix either needs more data or fails with the same error as the
// whole input, never a different one, and never succeeds early.
func TestParseResponseHeadPrefixes(t *testing.T) {
	for _, c := range respCases {
		if c.errIs != nil || c.opts.AllowObsFold {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			in := []byte(c.in)
			var store [8]Header
			// One ResponseHead fed a growing buffer, as a reader would.
			h := ResponseHead{Headers: store[:0], Method: c.method, Upgrade: c.upgrade, Options: c.opts}
			for k := 0; k < len(in); k++ {
				_, err := ParseResponseHead(in[:k:k], &h)
				if err == ErrNeedMore {
					continue
				}
				if c.kind == KindNone {
					t.Fatalf("prefix %d: err = %v; want ErrNeedMore", k, err)
				}
				var pe *ProtocolError
				if !errors.As(err, &pe) || pe.Kind != c.kind || pe.Offset != c.off {
					t.Fatalf("prefix %d: err = %v; want ErrNeedMore or %v at %d", k, err, c.kind, c.off)
				}
				return // an early, identical verdict
			}
			runResp(t, c, in)
		})
	}
}

func TestParseResponseHeadTooManyHeaders(t *testing.T) {
	in := []byte("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")
	var store [2]Header
	h := ResponseHead{Headers: store[:0]}
	_, err := ParseResponseHead(in, &h)
	if !errors.Is(err, ErrTooManyHeaders) {
		t.Fatalf("err = %v; want ErrTooManyHeaders", err)
	}
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Kind != KindTooManyHeaders || pe.Offset != 29 {
		t.Fatalf("err = %v; want too-many-headers at 29", err)
	}
}

func TestParseResponseHeadTrailingBytes(t *testing.T) {
	in := []byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1")
	var store [4]Header
	h := ResponseHead{Headers: store[:0]}
	n, err := ParseResponseHead(in, &h)
	if err != nil || n != 38 {
		t.Fatalf("ParseResponseHead = %d, %v; want 38, nil", n, err)
	}
}

// TestParseResponseHeadGrowingIsLinear checks that a head fed one byte at a
// time is scanned once, not once per call: the resume point only moves
// forward and each call looks at the new bytes only.
func TestParseResponseHeadGrowingIsLinear(t *testing.T) {
	in := []byte("HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Filler: abcdefghijklmnopqrstuvwxyz\r\n", 1000) + "\r\n")
	var store [1001]Header
	h := ResponseHead{Headers: store[:0], Options: Options{MaxHeadSize: 1 << 20}}
	last := 0
	for k := 1; k < len(in); k++ {
		if _, err := ParseResponseHead(in[:k], &h); err != ErrNeedMore {
			t.Fatalf("prefix %d: err = %v; want ErrNeedMore", k, err)
		}
		if h.scan.resume < last {
			t.Fatalf("prefix %d: resume went back from %d to %d", k, last, h.scan.resume)
		}
		// Only the partial last line (38 bytes at most) is looked at again.
		if k > 100 && h.scan.resume < k-39 {
			t.Fatalf("prefix %d: resume = %d; the scan should restart at the last line", k, h.scan.resume)
		}
		last = h.scan.resume
	}
	n, err := ParseResponseHead(in, &h)
	if err != nil || n != len(in) || len(h.Headers) != 1000 {
		t.Fatalf("ParseResponseHead = %d, %v, %d fields; want %d, nil, 1000", n, err, len(h.Headers), len(in))
	}
}

func TestParseResponseHeadAllocs(t *testing.T) {
	in := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip, chunked\r\nConnection: keep-alive\r\nX: y\r\n\r\n")
	var store [16]Header
	h := ResponseHead{Headers: store[:0]}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ParseResponseHead(in, &h); err != nil {
			t.Fatal(err)
		}
		if _, err := ParseResponseHead(in[:40], &h); err != ErrNeedMore {
			t.Fatal(err)
		}
		h.Reset()
	})
	if allocs != 0 {
		t.Fatalf("allocs per parse = %v; want 0", allocs)
	}
}
