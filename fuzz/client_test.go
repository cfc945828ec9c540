package fuzz

import (
	"io"
	"testing"

	"github.com/h1dev/h1/h1"
)

// dripPeer is a StreamPeer that takes any request and hands out the
// server bytes in pieces whose sizes come from the fuzzer, sometimes
// nothing at all (as a network does between packets), then the end of the
// stream.
type dripPeer struct {
	data  []byte
	sizes []byte
	turn  int
	idle  bool // the last call handed out nothing
}

func (p *dripPeer) PutData(b []byte) error               { return nil }
func (p *dripPeer) PutPartialData(b []byte) (int, error) { return len(b), nil }
func (p *dripPeer) AvailableBytes() int                  { return len(p.data) }
func (p *dripPeer) GetData(b []byte) error {
	if len(p.data) < len(b) {
		p.data = nil
		return io.ErrUnexpectedEOF
	}
	copy(b, p.data)
	p.data = p.data[len(b):]
	return nil
}
func (p *dripPeer) GetPartialData(b []byte) (int, error) {
	if len(p.data) == 0 {
		return 0, io.EOF
	}
	n := 1 << 20
	if len(p.sizes) > 0 {
		n = int(p.sizes[p.turn%len(p.sizes)])
		p.turn++
	}
	if n == 0 && p.idle {
		n = 1 // a quiet moment, not a stall: the next call moves a byte
	}
	p.idle = n == 0
	n = min(n, len(b), len(p.data))
	copy(b, p.data[:n])
	p.data = p.data[n:]
	return n, nil
}

// FuzzClientReadPath drives h1.Client over arbitrary server bytes, delivered
// in fuzzer-chosen pieces: it must never panic or spin, and it must end in
// a definite status: Connected after a complete response, or a terminal
// error status.
func FuzzClientReadPath(f *testing.F) {
	for _, s := range seedResponses {
		f.Add([]byte(s), []byte{3, 0, 1, 250}, false)
	}
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000\r\nabc"), []byte{200}, false)
	f.Fuzz(func(t *testing.T, data, sizes []byte, head bool) {
		var c h1.Client
		defer c.Close()
		c.Limits.MaxBodySize = 1 << 20
		c.SetConnection(&dripPeer{data: data, sizes: sizes})
		m := h1.MethodGet
		if head {
			m = h1.MethodHead
		}
		if err := c.Request(m, "/", []string{"Host: fuzz"}, nil); err != nil {
			t.Fatal(err)
		}
		var body []byte
		// Every byte moves at least once per few calls; a budget far
		// above that catches a loop that makes no progress.
		budget := 4*len(data) + 64
		for i := 0; ; i++ {
			if i > budget {
				t.Fatalf("no end after %d polls: status %v", i, c.Status())
			}
			switch c.Status() {
			case h1.StatusRequesting:
				_ = c.Poll()
				continue
			case h1.StatusBody:
				body, _ = c.ReadResponseBodyChunkInto(body[:0])
				continue
			}
			break
		}
		switch st := c.Status(); st {
		case h1.StatusConnected, h1.StatusDisconnected:
			if !c.HasResponse() {
				t.Fatalf("status %v without a response", st)
			}
		case h1.StatusConnectionError:
			if c.Err() == nil {
				t.Fatal("error status without an error")
			}
		default:
			t.Fatalf("ended in status %v", st)
		}
	})
}
