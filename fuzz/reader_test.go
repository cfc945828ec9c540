package fuzz

import (
	"fmt"
	"strings"
	"testing"

	"github.com/h1dev/h1/parser"
)

// readerRun reads the responses to n requests of method from data, cut
// at the given points, with parser.ResponseReader, then reports the close.
// It returns the events as text (consecutive body bytes joined) and the
// error. It fails t when a view is not the end of what the call consumed
// or a count goes past its input.
func readerRun(t *testing.T, data []byte, cuts []int, method string, upgrade bool) []string {
	r := parser.ResponseReader{
		Head:     parser.ResponseHead{Headers: make([]parser.Header, 0, 32)},
		Trailers: make([]parser.Header, 0, 8),
	}
	var out []string
	var body strings.Builder
	emit := func(s string) {
		if body.Len() > 0 {
			out = append(out, "data "+body.String())
			body.Reset()
		}
		if s != "" {
			out = append(out, s)
		}
	}
	r.Start(method, upgrade)
	responses := 0
	var pending []byte
	prev := 0
	for _, c := range append(cuts, len(data)) {
		if c < prev {
			continue
		}
		pending = append(pending, data[prev:c]...)
		prev = c
		for {
			ev, n, err := r.Next(pending)
			if n < 0 || n > len(pending) {
				t.Fatalf("Next consumed %d of %d bytes", n, len(pending))
			}
			if ev == parser.EventData {
				v := r.Data()
				if len(v) == 0 || len(v) > n || &v[len(v)-1] != &pending[n-1] {
					t.Fatal("the data view is not the end of what Next consumed")
				}
				body.Write(v)
			}
			pending = pending[n:]
			if err != nil {
				emit("error " + err.Error())
				return out
			}
			switch ev {
			case parser.EventInterim, parser.EventHead:
				emit(fmt.Sprintf("%v %d %s %v %d", ev, r.Head.Status, r.Head.Framing, r.Head.KeepAlive, len(r.Head.Headers)))
			case parser.EventTrailers:
				emit(fmt.Sprintf("trailers %d", len(r.Trailers)))
			case parser.EventEnd:
				emit(fmt.Sprintf("end %d", r.BodyRead()))
				responses++
				if r.Tunnel() || responses == 4 {
					return out
				}
				r.Start(method, upgrade)
			}
			if ev == parser.EventNeedMore && (n == 0 || len(pending) == 0) {
				break
			}
		}
	}
	ev, err := r.EOF()
	switch {
	case err == parser.ErrTruncated:
		emit("cut short")
	case err != nil:
		emit("error " + err.Error())
	case ev == parser.EventEnd:
		emit(fmt.Sprintf("end %d at close", r.BodyRead()))
	default:
		emit("closed")
	}
	return out
}

// FuzzResponseReader: the sans-I/O reader never panics, its views are
// the bytes it consumed, and the events (heads, body bytes, trailers,
// ends, errors) do not depend on how the connection's bytes are cut.
func FuzzResponseReader(f *testing.F) {
	for _, s := range seedResponses {
		f.Add([]byte(s), uint16(len(s)/3), uint16(len(s)/2), false)
	}
	f.Add([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nbytes"), uint16(5), uint16(40), true)
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\n\r\nrest"), uint16(30), uint16(45), false)
	f.Fuzz(func(t *testing.T, data []byte, c1, c2 uint16, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		upgrade := len(data) > 0 && data[len(data)-1]&1 == 1
		whole := readerRun(t, data, nil, method, upgrade)
		a, b := int(c1)%(len(data)+1), int(c2)%(len(data)+1)
		if a > b {
			a, b = b, a
		}
		cut := readerRun(t, data, []int{a, b}, method, upgrade)
		if fmt.Sprint(cut) != fmt.Sprint(whole) {
			t.Fatalf("cuts %d,%d:\n%q\nat once:\n%q", a, b, cut, whole)
		}
	})
}
