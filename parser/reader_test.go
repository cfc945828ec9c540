package parser

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// readEvents feeds pieces of a connection's input to r, one after the
// other, as a caller with a buffer would (bytes not consumed are kept
// and presented again with the next piece), starting a response for
// each method in turn, and then reports the close when eof is set. It
// returns the events as text, body bytes of consecutive EventData joined.
func readEvents(r *ResponseReader, pieces []string, methods []string, upgrade, eof bool) ([]string, error) {
	var out []string
	var body strings.Builder
	flush := func() {
		if body.Len() > 0 {
			out = append(out, "data "+body.String())
			body.Reset()
		}
	}
	started := 0
	start := func() bool {
		if started == len(methods) {
			return false
		}
		r.Start(methods[started], upgrade)
		started++
		return true
	}
	start()
	var buf []byte
	active := true
	for i := 0; i <= len(pieces) && active; i++ {
		if i < len(pieces) {
			buf = append(buf, pieces[i]...)
		} else if !eof {
			break
		}
		for active {
			ev, n, err := r.Next(buf)
			buf = buf[n:]
			if err != nil {
				flush()
				return out, err
			}
			switch ev {
			case EventNeedMore:
				if n == 0 || len(buf) == 0 {
					goto more
				}
				continue
			case EventInterim:
				flush()
				out = append(out, fmt.Sprintf("interim %d %d fields", r.Head.Status, len(r.Head.Headers)))
			case EventHead:
				flush()
				out = append(out, fmt.Sprintf("head %d %s keep=%v tunnel=%v", r.Head.Status, r.Head.Framing, r.Head.KeepAlive, r.Tunnel()))
			case EventData:
				if len(r.Data()) == 0 || n < len(r.Data()) {
					return out, fmt.Errorf("data event with %d bytes, %d consumed", len(r.Data()), n)
				}
				body.Write(r.Data())
			case EventTrailers:
				flush()
				var ts []string
				for _, h := range r.Trailers {
					ts = append(ts, string(h.Name)+"="+string(h.Value))
				}
				out = append(out, "trailers "+strings.Join(ts, ","))
			case EventEnd:
				flush()
				out = append(out, fmt.Sprintf("end %d", r.BodyRead()))
				if r.Tunnel() {
					rest := string(buf)
					if i+1 < len(pieces) {
						rest += strings.Join(pieces[i+1:], "")
					}
					out = append(out, fmt.Sprintf("after %q", rest))
					return out, nil
				}
				active = start()
			}
		}
	more:
	}
	if eof && active {
		ev, err := r.EOF()
		flush()
		if err != nil {
			return out, err
		}
		if ev == EventEnd {
			out = append(out, fmt.Sprintf("end %d", r.BodyRead()))
		}
	}
	flush()
	return out, nil
}

func newReader() *ResponseReader {
	return &ResponseReader{Head: ResponseHead{Headers: make([]Header, 0, 16)}, Trailers: make([]Header, 0, 4)}
}

var readerCases = []struct {
	name    string
	in      string
	methods []string
	upgrade bool
	eof     bool
	want    []string
	err     error
}{
	{name: "length", in: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", methods: []string{"GET"},
		want: []string{"head 200 length keep=true tunnel=false", "data hello", "end 5"}},
	{name: "chunked with trailers", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"3;x=y\r\nabc\r\n4\r\ndefg\r\n0\r\nA: 1\r\nB: 2\r\n\r\n", methods: []string{"GET"},
		want: []string{"head 200 chunked keep=true tunnel=false", "data abcdefg", "trailers A=1,B=2", "end 7"}},
	{name: "interim then final", in: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
		"HTTP/1.1 204 No Content\r\n\r\n", methods: []string{"POST"},
		want: []string{"interim 100 0 fields", "interim 103 1 fields", "head 204 none keep=true tunnel=false", "end 0"}},
	{name: "HEAD has no body", in: "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n",
		methods: []string{"HEAD", "GET"},
		want:    []string{"head 200 none keep=true tunnel=false", "end 0", "head 304 none keep=true tunnel=false", "end 0"}},
	{name: "pipelined", in: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nc\r\n0\r\n\r\n",
		methods: []string{"GET", "GET"},
		want:    []string{"head 200 length keep=true tunnel=false", "data ab", "end 2", "head 200 chunked keep=true tunnel=false", "data c", "end 1"}},
	{name: "until close", in: "HTTP/1.0 200 OK\r\n\r\nall of it", methods: []string{"GET"}, eof: true,
		want: []string{"head 200 close keep=false tunnel=false", "data all of it", "end 9"}},
	{name: "upgrade", in: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x00", methods: []string{"GET"}, upgrade: true,
		want: []string{"head 101 tunnel keep=false tunnel=true", "end 0", "after \"\\x81\\x00\""}},
	{name: "connect tunnel", in: "HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03", methods: []string{"CONNECT"},
		want: []string{"head 200 tunnel keep=false tunnel=true", "end 0", "after \"\\x16\\x03\""}},
	{name: "zero length", in: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", methods: []string{"GET"},
		want: []string{"head 200 length keep=true tunnel=false", "end 0"}},
	// Errors.
	{name: "unsolicited 101", in: "HTTP/1.1 101 Switching Protocols\r\n\r\n", methods: []string{"GET"},
		err: &ProtocolError{Kind: KindUnsolicitedUpgrade, Offset: 9}},
	{name: "bad chunk size", in: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", methods: []string{"GET"},
		want: []string{"head 200 chunked keep=true tunnel=false"}, err: &ProtocolError{Kind: KindChunkSize, Offset: 0}},
	{name: "CL and TE", in: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", methods: []string{"GET"},
		err: &ProtocolError{Kind: KindTransferEncodingWithLength}},
	{name: "cut short", in: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", methods: []string{"GET"}, eof: true,
		want: []string{"head 200 length keep=true tunnel=false", "data abc"}, err: ErrTruncated},
	{name: "closed inside the head", in: "HTTP/1.1 200 OK\r\nContent-Le", methods: []string{"GET"}, eof: true,
		err: ErrTruncated},
	{name: "closed between responses", in: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", methods: []string{"GET"}, eof: true,
		want: []string{"head 200 length keep=true tunnel=false", "data x", "end 1"}},
}

func sameErr(got, want error) bool {
	var gp, wp *ProtocolError
	if errors.As(want, &wp) {
		if !errors.As(got, &gp) || gp.Kind != wp.Kind {
			return false
		}
		return wp.Offset == 0 && wp.Kind == KindTransferEncodingWithLength || gp.Offset == wp.Offset
	}
	return got == want
}

// Every case gives the same events and error whole, cut in two at every
// byte, and fed one byte at a time.
func TestResponseReader(t *testing.T) {
	for _, tc := range readerCases {
		splits := [][]string{{tc.in}}
		for i := 1; i < len(tc.in); i++ {
			splits = append(splits, []string{tc.in[:i], tc.in[i:]})
		}
		var bytes1 []string
		for i := range len(tc.in) {
			bytes1 = append(bytes1, tc.in[i:i+1])
		}
		splits = append(splits, bytes1)
		for _, pieces := range splits {
			r := newReader()
			got, err := readEvents(r, pieces, tc.methods, tc.upgrade, tc.eof)
			if !sameErr(err, tc.err) || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("%s, %d pieces (first %q):\n got %q, %v\nwant %q, %v", tc.name, len(pieces), pieces[0], got, err, tc.want, tc.err)
			}
		}
	}
}

func TestResponseReaderOutOfOrder(t *testing.T) {
	var r ResponseReader
	if _, _, err := r.Next([]byte("HTTP/1.1 200 OK\r\n\r\n")); err != ErrReaderState {
		t.Errorf("Next before Start: %v; want ErrReaderState", err)
	}
	r = *newReader()
	r.Start("GET", false)
	in := []byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	if ev, n, err := r.Next(in); ev != EventHead || n != len(in) || err != nil {
		t.Fatalf("Next = %v %d %v", ev, n, err)
	}
	if ev, _, err := r.Next(nil); ev != EventEnd || err != nil {
		t.Fatalf("Next = %v %v; want end", ev, err)
	}
	if _, _, err := r.Next(in); err != ErrReaderState {
		t.Errorf("Next after the end: %v; want ErrReaderState", err)
	}
	r.Start("GET", false)
	if _, _, err := r.Next([]byte("HTTP/1.1 2x0 OK\r\n\r\n")); err == nil {
		t.Fatal("bad status accepted")
	}
	if _, _, err := r.Next(in); err != ErrReaderState {
		t.Errorf("Next after a protocol error: %v; want ErrReaderState", err)
	}
	if _, err := r.EOF(); err != ErrReaderState {
		t.Errorf("EOF after a protocol error: %v; want ErrReaderState", err)
	}
}

// A whole response, head to end, allocates nothing.
func TestResponseReaderAllocs(t *testing.T) {
	in := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"5\r\nhello\r\n6\r\n world\r\n0\r\nX: y\r\n\r\n")
	r := newReader()
	read := func() {
		r.Start("GET", false)
		b := in
		for {
			ev, n, err := r.Next(b)
			if err != nil {
				t.Fatal(err)
			}
			b = b[n:]
			if ev == EventEnd {
				return
			}
		}
	}
	if n := testing.AllocsPerRun(100, read); n != 0 {
		t.Errorf("AllocsPerRun = %v; want 0", n)
	}
}
