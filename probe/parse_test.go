package probe

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/h1dev/h1/parser"
)

func TestCountRequests(t *testing.T) {
	const get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	for _, tc := range []struct {
		name, in string
		methods  string
		stop     Stop
		used     int
		kind     parser.Kind
	}{
		{"empty", "", "", StopEnd, 0, 0},
		{"two", get + "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", "GET,HEAD", StopEnd, 2*len(get) + 1, 0},
		{"length body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get, "POST,GET", StopEnd, 50 + len(get), 0},
		{"chunked body", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "POST", StopEnd, 69, 0},
		{"close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + get, "GET", StopClose, 46, 0},
		{"http/1.0", "GET / HTTP/1.0\r\n\r\n" + get, "GET", StopClose, 18, 0},
		{"partial head", get + "GET / HT", "GET", StopIncomplete, len(get), 0},
		{"partial body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nabc", "", StopIncomplete, 0, 0},
		{"partial chunk", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab", "", StopIncomplete, 0, 0},
		{"rejected head", get + "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "GET", StopRejected, len(get), parser.KindDuplicateHost},
		{"cl and te", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "", StopRejected, 0, parser.KindTransferEncodingWithLength},
		{"bad chunk", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n", "", StopRejected, 0, parser.KindChunkSize},
	} {
		c := CountRequests([]byte(tc.in))
		if got := strings.Join(c.Methods, ","); got != tc.methods || c.Stop != tc.stop || c.Used != tc.used {
			t.Errorf("%s: CountRequests = %q, stop %v, used %d; want %q, %v, %d", tc.name, got, c.Stop, c.Used, tc.methods, tc.stop, tc.used)
		}
		var pe *parser.ProtocolError
		if tc.kind != 0 && (!errors.As(c.Err, &pe) || pe.Kind != tc.kind) {
			t.Errorf("%s: Err = %v; want kind %v", tc.name, c.Err, tc.kind)
		}
	}
}

func TestParseResponses(t *testing.T) {
	const ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	for _, tc := range []struct {
		name, in string
		methods  []string
		eof      bool
		sig      string
		kind     string
		offset   int64
	}{
		{"two", ok + ok, nil, false, "200+200 none", "", 0},
		{"closed", ok, nil, true, "200 closed", "", 0},
		{"interim", "HTTP/1.1 100 Continue\r\n\r\n" + ok, nil, false, "200 none", "", 0},
		{"head has no body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + ok, []string{"HEAD"}, false, "200+200 none", "", 0},
		{"cut length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", nil, true, "200(cut) closed", "", 0},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n" + ok, nil, false, "200+200 none", "", 0},
		{"until close", "HTTP/1.1 200 OK\r\n\r\nanything", nil, true, "200 closed", "", 0},
		{"bad second", ok + "HTTP/1.1 2x0 OK\r\n\r\n", nil, false, "200 parse-error:bad-status-code", "bad-status-code", int64(len(ok)) + 9},
		{"bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", nil, false, "200(cut) parse-error:bad-chunk-size", "bad-chunk-size", 47},
		{"truncated", "HTTP/1.1 200 OK\r\nA: b", nil, true, "- parse-error:" + KindTruncatedHead, KindTruncatedHead, 21},
		{"tunnel", "HTTP/1.1 200 OK\r\n\r\nbinary", []string{"CONNECT"}, false, "200 tunnel", "", 0},
	} {
		o := ParseResponses([]byte(tc.in), tc.methods, tc.eof)
		if got := o.Signature(); got != tc.sig || o.ErrKind != tc.kind || o.ErrOffset != tc.offset {
			t.Errorf("%s: ParseResponses = %q, kind %q at %d; want %q, %q at %d", tc.name, got, o.ErrKind, o.ErrOffset, tc.sig, tc.kind, tc.offset)
		}
	}
	// The body cut of each response is where its framing ended it.
	o := ParseResponses([]byte(ok+ok), nil, true)
	if len(o.Responses) != 2 || o.Responses[0].BodyEnd != int64(len(ok)) || o.Responses[1].Offset != int64(len(ok)) ||
		o.Responses[1].BodyEnd != int64(2*len(ok)) || o.Responses[1].BodyLen != 2 {
		t.Errorf("responses = %+v; want the first cut at %d, the second at %d", o.Responses, len(ok), 2*len(ok))
	}
}

func TestMutate(t *testing.T) {
	in := []byte("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
	orig := bytes.Clone(in)
	seen := map[string]bool{}
	for n := range 300 {
		a, opsA := Mutate(in, 9, n)
		b, opsB := Mutate(in, 9, n)
		if !bytes.Equal(a, b) || strings.Join(opsA, ";") != strings.Join(opsB, ";") {
			t.Fatalf("Mutate(seed 9, %d) differs between calls: %q / %q", n, a, b)
		}
		if len(opsA) < 1 || len(opsA) > 3 {
			t.Errorf("Mutate made %d changes; want 1–3", len(opsA))
		}
		for _, op := range opsA {
			seen[strings.Fields(op)[0]] = true
		}
	}
	if !bytes.Equal(in, orig) {
		t.Error("Mutate changed its input")
	}
	for _, op := range []string{"flip", "insert", "delete", "duplicate", "case", "space", "crlf"} {
		if !seen[op] {
			t.Errorf("300 variants used no %q change (saw %v)", op, seen)
		}
	}
	if a, _ := Mutate(in, 1, 0); bytes.Equal(a, in) {
		// A flip, insert or delete always changes something; a case
		// change of a field name too.
		t.Errorf("Mutate(seed 1, 0) = the input")
	}
	if out, ops := Mutate(nil, 1, 0); len(out) == 0 || len(ops) == 0 {
		t.Errorf("Mutate(nil) = %q, %q; want a byte", out, ops)
	}
}
