package h1

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/streampeer"
)

// viewAll reads the body through ReadResponseBodyView, copying each view
// out before the next call.
func viewAll(t *testing.T, c *Client) ([]byte, error) {
	t.Helper()
	var out []byte
	for i := 0; c.Status() == StatusBody; i++ {
		if i > 1_000_000 {
			t.Fatal("body never ended")
		}
		v, err := c.ReadResponseBodyView()
		out = append(out, v...)
		if err != nil {
			return out, err
		}
	}
	return out, c.Err()
}

// Views of real net/http responses: a length, chunks written in pieces,
// and gzip'd bytes left as they are, on one kept-alive connection.
func TestReadResponseBodyViewNetHTTP(t *testing.T) {
	testpeer.CheckLeaks(t)
	rng := rand.New(rand.NewPCG(1, 2))
	payload := make([]byte, 700_000)
	for i := range payload {
		payload[i] = byte(rng.IntN(256))
	}
	srv, conns := testpeer.CountedServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fixed" {
			w.Header().Set("Content-Length", fmt.Sprint(len(payload)))
			w.Write(payload)
			return
		}
		for p := payload; len(p) > 0; {
			n := min(len(p), 1+rng.IntN(20_000))
			w.Write(p[:n])
			w.(http.Flusher).Flush()
			p = p[n:]
		}
	}))
	for _, blocking := range []bool{true, false} {
		var c Client
		c.SetBlockingMode(blocking)
		connect(t, &c, testpeer.HTTPTestPort(t, srv))
		for _, path := range []string{"/fixed", "/chunked", "/fixed", "/chunked"} {
			if err := c.Request(MethodGet, path, nil, nil); err != nil {
				t.Fatal(err)
			}
			run(t, &c, StatusRequesting)
			got, err := viewAll(t, &c)
			if err != nil || !bytes.Equal(got, payload) || c.Status() != StatusConnected {
				t.Fatalf("blocking=%v %s: %d bytes, %v, status %v; want %d bytes and connected",
					blocking, path, len(got), err, c.Status(), len(payload))
			}
		}
		c.Close()
	}
	if n := conns.N.Load(); n != 2 {
		t.Errorf("server accepted %d connections; want 2 (one per client)", n)
	}
}

// pipeResponse sends a request on c, answers it with resp in pieces of
// step bytes, and reads the body through views as the pieces arrive.
func pipeResponse(t *testing.T, c *Client, server *streampeer.PipeEnd, resp string, step int, closeAfter bool) ([]byte, error) {
	t.Helper()
	if err := c.Request(MethodGet, "/", []string{"Host: pipe.test"}, nil); err != nil {
		t.Fatal(err)
	}
	c.Poll()
	server.GetPartialData(make([]byte, server.AvailableBytes()))
	var out []byte
	var err error
	for len(resp) > 0 || closeAfter {
		n := min(step, len(resp))
		server.PutData([]byte(resp[:n]))
		resp = resp[n:]
		if len(resp) == 0 && closeAfter {
			server.Close()
			closeAfter = false
		}
		for i := 0; i < 3; i++ {
			if c.Status() == StatusRequesting {
				c.Poll()
			}
			if c.Status() == StatusBody {
				var v []byte
				v, err = c.ReadResponseBodyView()
				out = append(out, v...)
				if err != nil {
					return out, err
				}
			}
		}
	}
	for i := 0; c.Status() == StatusBody && i < 1000; i++ {
		var v []byte
		v, err = c.ReadResponseBodyView()
		out = append(out, v...)
		if err != nil {
			return out, err
		}
	}
	return out, c.Err()
}

// Every framing, fed in every piece size from 1 byte: the views add up to
// the body, and the connection is ready for the next response.
func TestReadResponseBodyViewPieces(t *testing.T) {
	body := strings.Repeat("0123456789abcdef", 40)
	var chunked strings.Builder
	for i := 0; i < len(body); i += 97 {
		part := body[i:min(i+97, len(body))]
		fmt.Fprintf(&chunked, "%x;ext=1\r\n%s\r\n", len(part), part)
	}
	chunked.WriteString("0\r\nX-Trailer: yes\r\n\r\n")
	cases := []struct {
		name, resp string
		close      bool
	}{
		{"length", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body), false},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked.String(), false},
		{"until-close", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body, true},
	}
	for _, tc := range cases {
		for _, step := range []int{1, 2, 7, 64, 1000, 100000} {
			cEnd, sEnd := streampeer.Pipe()
			var c Client
			c.SetConnection(cEnd)
			for round := range 2 {
				got, err := pipeResponse(t, &c, sEnd, tc.resp, step, tc.close)
				if err != nil || string(got) != body {
					t.Fatalf("%s step %d round %d: %d bytes, %v; want %d bytes", tc.name, step, round, len(got), err, len(body))
				}
				if tc.close {
					break
				}
				if c.Status() != StatusConnected {
					t.Fatalf("%s step %d: status %v; want connected", tc.name, step, c.Status())
				}
				if tc.name == "chunked" {
					if ts := c.ResponseTrailers(); len(ts) != 1 || string(ts[0].Value) != "yes" {
						t.Errorf("%s: trailers %q", tc.name, ts)
					}
				}
			}
			c.Close()
		}
	}
}

// Bad bodies end in the same typed errors as ReadResponseBodyChunkInto.
func TestReadResponseBodyViewErrors(t *testing.T) {
	cases := []struct {
		name, resp string
		limit      int64
		want       []error
	}{
		{"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n", 0,
			[]error{ErrBadResponse}},
		{"chunk cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc", 0,
			[]error{ErrConnection, io.ErrUnexpectedEOF}},
		{"length cut short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0,
			[]error{ErrConnection, io.ErrUnexpectedEOF}},
		{"length over limit", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 5,
			[]error{ErrBodyTooLarge}},
		{"chunks over limit", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n", 6,
			[]error{ErrBodyTooLarge}},
		{"until close over limit", "HTTP/1.0 200 OK\r\n\r\n0123456789", 5,
			[]error{ErrBodyTooLarge}},
	}
	for _, tc := range cases {
		for _, step := range []int{1, 3, 1000} {
			cEnd, sEnd := streampeer.Pipe()
			var c Client
			c.Limits.MaxBodySize = tc.limit
			c.SetConnection(cEnd)
			_, err := pipeResponse(t, &c, sEnd, tc.resp, step, true)
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("%s step %d: err %v; want %v", tc.name, step, err, w)
				}
			}
			var pe *parser.ProtocolError
			if tc.name == "bad chunk size" && (!errors.As(err, &pe) || pe.Kind != parser.KindChunkSize || pe.Offset != 8) {
				t.Errorf("%s step %d: err %v; want bad-chunk-size at body offset 8", tc.name, step, err)
			}
			if c.Status() != StatusConnectionError {
				t.Errorf("%s step %d: status %v; want connection error", tc.name, step, c.Status())
			}
			if _, err := c.ReadResponseBodyView(); err == nil {
				t.Errorf("%s: a view after the failure returned no error", tc.name)
			}
			c.Close()
		}
	}
	var idle Client
	if v, err := idle.ReadResponseBodyView(); v != nil || !errors.Is(err, ErrUnconfigured) {
		t.Errorf("view without a response = %q, %v; want ErrUnconfigured", v, err)
	}
}
