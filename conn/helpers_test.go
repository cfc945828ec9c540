package conn

import (
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/h1dev/h1/internal/testpeer"
)

// newServer is a loopback listener whose connections run handle; Close
// stops the listener and waits for every handler.
func newServer(t *testing.T, network, addr string, handle func(c net.Conn)) *testpeer.RawServer {
	return testpeer.ListenRaw(t, network, addr, handle)
}

func echo(c net.Conn) { _, _ = io.Copy(c, c) }

func newEchoServer(t *testing.T) *testpeer.RawServer {
	return newServer(t, "tcp4", "127.0.0.1:0", echo)
}

// dial connects a new peer to host:port and waits until it is connected.
func dial(t *testing.T, host string, port int) *TCP {
	t.Helper()
	p := new(TCP)
	if err := p.ConnectToHost(host, port); err != nil {
		t.Fatalf("ConnectToHost(%q, %d) = %v", host, port, err)
	}
	if err := p.WaitConnected(5 * time.Second); err != nil {
		t.Fatalf("WaitConnected = %v; status %v", err, p.Status())
	}
	t.Cleanup(p.DisconnectFromHost)
	return p
}

// freePort returns a loopback port that nothing listens on.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func wantErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if !errors.Is(got, want) {
		t.Errorf("%s = %v; want %v", what, got, want)
	}
}

// TestMain starts Go's own poller (an epoll and an eventfd, kept for the
// life of the process) before any test counts descriptors.
func TestMain(m *testing.M) {
	if ln, err := net.Listen("tcp4", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	os.Exit(m.Run())
}
