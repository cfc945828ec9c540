package conn

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// After CloseWrite the server reads the end of the stream and can still
// answer on the other half.
func TestCloseWrite(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- nil
			return
		}
		defer c.Close()
		got, _ := io.ReadAll(c) // returns at the FIN that CloseWrite sends
		_, _ = c.Write([]byte("got " + string(got)))
		done <- got
	}()
	p := new(TCP)
	defer p.Close()
	if err := p.CloseWrite(); !errors.Is(err, ErrUnconfigured) {
		t.Errorf("CloseWrite before connecting = %v; want ErrUnconfigured", err)
	}
	if err := p.ConnectToHost("127.0.0.1", ln.Addr().(*net.TCPAddr).Port); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitConnected(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := p.PutData([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if err := p.CloseWrite(); err != nil {
		t.Fatalf("CloseWrite = %v; want nil", err)
	}
	if got := <-done; string(got) != "ping" {
		t.Errorf("server read %q; want %q", got, "ping")
	}
	buf := make([]byte, 8)
	if err := p.GetData(buf); err != nil || string(buf) != "got ping" {
		t.Errorf("GetData = %q, %v; want %q, nil", buf, err, "got ping")
	}
	if _, err := p.PutPartialData([]byte("x")); err == nil {
		t.Error("PutPartialData after CloseWrite = nil error; want an error")
	}
}
