package h1_test

import (
	"fmt"
	"strings"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/streampeer"
)

// A Client over an in-memory pipe: the test plays the server on the other
// end, one frame at a time, on the same goroutine.
func ExampleClient_SetConnection() {
	clientEnd, serverEnd := streampeer.Pipe()
	var c h1.Client
	c.UserAgent = "example/1.0"
	c.SetConnection(clientEnd)
	if err := c.Request(h1.MethodGet, "/hello", []string{"Host: game.test"}, nil); err != nil {
		fmt.Println(err)
		return
	}
	c.Poll() // the request goes out

	req := make([]byte, serverEnd.AvailableBytes())
	serverEnd.GetPartialData(req)
	fmt.Printf("%q\n", req)
	serverEnd.PutData([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld"))

	for c.Status() == h1.StatusRequesting {
		c.Poll() // one call per frame
	}
	var body []byte
	for c.Status() == h1.StatusBody {
		body, _ = c.ReadResponseBodyChunkInto(body)
	}
	fmt.Println(c.ResponseCode(), strings.Join(c.ResponseHeaders(), ", "), string(body), c.Status())
	// Output:
	// "GET /hello HTTP/1.1\r\nHost: game.test\r\nUser-Agent: example/1.0\r\nAccept: */*\r\n\r\n"
	// 200 Content-Length: 5 world connected
}
