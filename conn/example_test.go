package conn_test

import (
	"fmt"
	"io"
	"net"
	"time"

	"github.com/h1dev/h1/conn"
)

// Connect, send a request and read until the server closes.
func ExampleTCP() {
	// A server on loopback that answers one line and closes.
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 5)
		_, _ = io.ReadFull(c, buf)
		_, _ = c.Write([]byte("pong\n"))
		c.Close()
	}()

	p := new(conn.TCP)
	defer p.Close()
	if err := p.ConnectToHost("127.0.0.1", ln.Addr().(*net.TCPAddr).Port); err != nil {
		fmt.Println(err)
		return
	}
	if err := p.WaitConnected(5 * time.Second); err != nil {
		fmt.Println(err)
		return
	}
	_ = p.PutData([]byte("ping\n"))

	var answer []byte
	buf := make([]byte, 64)
	for {
		n, err := p.GetPartialData(buf)
		answer = append(answer, buf[:n]...)
		if err == io.EOF {
			break // the server closed: a clean end
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if n == 0 {
			_ = p.WaitReadable(-1) // parked in the runtime poller
		}
	}
	fmt.Printf("%q %v\n", answer, p.Status())
	// Output: "pong\n" none
}
