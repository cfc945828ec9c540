package parser_test

import (
	"fmt"

	"github.com/h1dev/h1/parser"
)

func ExampleParseResponseHead() {
	buf := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
	var fields [16]parser.Header
	h := parser.ResponseHead{Headers: fields[:0]}
	n, err := parser.ParseResponseHead(buf, &h)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Status, string(h.Reason), h.Framing, h.ContentLength, h.KeepAlive)
	for _, f := range h.Headers {
		fmt.Printf("%s: %s\n", f.Name, f.Value)
	}
	fmt.Printf("body %q\n", buf[n:n+int(h.ContentLength)])
	// Output:
	// 200 OK length 5 true
	// Content-Type: text/plain
	// Content-Length: 5
	// body "hello"
}

func ExampleChunkedDecoder() {
	body := []byte("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nExpires: never\r\n\r\n")
	d := parser.ChunkedDecoder{Trailers: make([]parser.Header, 0, 4)}
	out := make([]byte, 64)
	n, used, err := d.Decode(out, body)
	fmt.Printf("%q %d/%d %v done=%v\n", out[:n], used, len(body), err, d.Done())
	fmt.Printf("trailer %s: %s\n", d.Trailers[0].Name, d.Trailers[0].Value)
	// Output:
	// "hello, world" 49/49 <nil> done=true
	// trailer Expires: never
}

func ExampleAppendRequestHead() {
	wire, err := parser.AppendRequestHead(nil, &parser.Request{
		Method: "GET", Target: "/search?q=h1", Host: "example.com", Port: 8080, ContentLength: -1,
	})
	fmt.Printf("%q %v\n", wire, err)
	_, err = parser.AppendRequestHead(nil, &parser.Request{
		Method: "GET", Target: "/", Host: "example.com", ContentLength: -1,
		Headers: []parser.Header{{Name: []byte("X-Evil"), Value: []byte("1\r\nX-Injected: 2")}},
	})
	fmt.Println(err)
	// Output:
	// "GET /search?q=h1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n" <nil>
	// h1: invalid request: header-value: control byte (CR, LF, NUL or other CTL)
}

func ExampleResponseReader() {
	// Two kept-alive responses, the first after an interim 100, as they
	// might arrive from a socket in three reads.
	reads := []string{
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Le",
		"ngth: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
		"0\r\nDone: yes\r\n\r\n",
	}
	r := parser.ResponseReader{
		Head:     parser.ResponseHead{Headers: make([]parser.Header, 0, 16)},
		Trailers: make([]parser.Header, 0, 4),
	}
	r.Start("GET", false)
	var buf []byte
	for _, read := range reads {
		buf = append(buf, read...)
		for {
			ev, n, err := r.Next(buf)
			buf = buf[n:]
			if err != nil {
				fmt.Println("error:", err)
				return
			}
			switch ev {
			case parser.EventInterim, parser.EventHead:
				fmt.Println(ev, r.Head.Status, r.Head.Framing)
			case parser.EventData:
				fmt.Printf("data %q\n", r.Data())
			case parser.EventTrailers:
				fmt.Printf("trailers %s: %s\n", r.Trailers[0].Name, r.Trailers[0].Value)
			case parser.EventEnd:
				fmt.Println("end")
				r.Start("GET", false)
			}
			if ev == parser.EventNeedMore && (n == 0 || len(buf) == 0) {
				break
			}
		}
	}
	// Output:
	// interim 100 none
	// head 200 length
	// data "hello"
	// end
	// head 200 chunked
	// data "abc"
	// trailers Done: yes
	// end
}
