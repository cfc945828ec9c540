package h1

import (
	"errors"
	"io"
	"testing"

	"github.com/h1dev/h1/streampeer"
)

// A scripted server on a Pipe: two responses on one connection, then one
// cut short by the server's close, which ends in a typed error.
func TestSetConnectionPipe(t *testing.T) {
	cEnd, sEnd := streampeer.Pipe()
	var c Client
	c.SetConnection(cEnd)
	exchange := func(resp string) ([]byte, error) {
		t.Helper()
		if err := c.Request(MethodGet, "/", []string{"Host: pipe.test"}, nil); err != nil {
			t.Fatal(err)
		}
		c.Poll()
		req := make([]byte, sEnd.AvailableBytes())
		sEnd.GetPartialData(req)
		if string(req) != "GET / HTTP/1.1\r\nHost: pipe.test\r\nUser-Agent: h1/0.1\r\nAccept: */*\r\n\r\n" {
			t.Fatalf("request bytes %q", req)
		}
		sEnd.PutData([]byte(resp))
		if resp == "" {
			sEnd.Close()
		}
		for i := 0; c.Status() == StatusRequesting && i < 100; i++ {
			c.Poll()
		}
		var body []byte
		for i := 0; c.Status() == StatusBody && i < 100; i++ {
			var err error
			if body, err = c.ReadResponseBodyChunkInto(body); err != nil {
				return body, err
			}
		}
		return body, c.Err()
	}
	for _, want := range []string{"one", "two"} {
		body, err := exchange("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n" + want)
		if err != nil || string(body) != want || c.Status() != StatusConnected {
			t.Fatalf("body %q, err %v, status %v; want %q and connected", body, err, c.Status(), want)
		}
	}
	if err := c.Request(MethodGet, "/", []string{"Host: pipe.test"}, nil); err != nil {
		t.Fatal(err)
	}
	c.Poll()
	sEnd.GetPartialData(make([]byte, 256))
	sEnd.PutData([]byte("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))
	sEnd.Close()
	var body []byte
	var err error
	for i := 0; c.Status() == StatusRequesting || c.Status() == StatusBody; i++ {
		if i > 100 {
			t.Fatal("the client never saw the close")
		}
		c.Poll()
		if c.Status() == StatusBody {
			body, err = c.ReadResponseBodyChunkInto(body)
		}
	}
	if err == nil {
		err = c.Err()
	}
	if c.Status() != StatusConnectionError || !errors.Is(err, ErrConnection) || !errors.Is(err, io.ErrUnexpectedEOF) || string(body) != "short" {
		t.Fatalf("status %v, err %v, body %q; want a connection error with io.ErrUnexpectedEOF after \"short\"", c.Status(), err, body)
	}
}
