package streampeer

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

func TestReaderWriterOverBuffer(t *testing.T) {
	b := new(Buffer)
	w := NewWriter(b)
	if n, err := w.Write([]byte("some bytes")); n != 10 || err != nil {
		t.Fatalf("Write = %d, %v; want 10, nil", n, err)
	}
	_ = b.Seek(0)
	got, err := io.ReadAll(NewReader(b))
	if err != nil || string(got) != "some bytes" {
		t.Errorf("ReadAll = %q, %v; want \"some bytes\", nil", got, err)
	}
}

// slowPeer is a test peer with a Waiter: bytes arrive from another
// goroutine through feed, and the waits sleep on channels.
type slowPeer struct {
	mu    sync.Mutex
	data  []byte
	eof   bool
	ready chan struct{}
	intr  chan struct{}
}

func newSlowPeer() *slowPeer {
	return &slowPeer{ready: make(chan struct{}, 1), intr: make(chan struct{}, 1)}
}

func (p *slowPeer) feed(b []byte, eof bool) {
	p.mu.Lock()
	p.data = append(p.data, b...)
	p.eof = p.eof || eof
	p.mu.Unlock()
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

func (p *slowPeer) GetPartialData(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := copy(b, p.data)
	p.data = p.data[n:]
	if n == 0 && p.eof {
		return 0, io.EOF
	}
	return n, nil
}

func (p *slowPeer) GetData(b []byte) error               { return errors.New("not used") }
func (p *slowPeer) PutData(b []byte) error               { return nil }
func (p *slowPeer) PutPartialData(b []byte) (int, error) { return 0, nil }
func (p *slowPeer) AvailableBytes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.data)
}
func (p *slowPeer) Interrupt() {
	select {
	case p.intr <- struct{}{}:
	default:
	}
}
func (p *slowPeer) WaitWritable(d time.Duration) error { return p.WaitReadable(d) }
func (p *slowPeer) WaitReadable(d time.Duration) error {
	var tc <-chan time.Time
	if d >= 0 {
		tm := time.NewTimer(d)
		defer tm.Stop()
		tc = tm.C
	}
	select {
	case <-p.ready:
		return nil
	case <-p.intr:
		return nil
	case <-tc:
		return ErrTimeout
	}
}

func TestReaderWaits(t *testing.T) {
	p := newSlowPeer()
	go func() {
		for _, s := range []string{"a", "bc", "def"} {
			time.Sleep(5 * time.Millisecond)
			p.feed([]byte(s), false)
		}
		p.feed(nil, true)
	}()
	got, err := io.ReadAll(NewReader(p))
	if err != nil || string(got) != "abcdef" {
		t.Errorf("ReadAll = %q, %v; want \"abcdef\", nil", got, err)
	}
}

func TestConnDeadlines(t *testing.T) {
	p := newSlowPeer()
	c := NewConn(p, nil, nil)
	if c.LocalAddr().String() != "streampeer" || c.RemoteAddr().Network() != "streampeer" {
		t.Errorf("addresses = %v, %v; want placeholders", c.LocalAddr(), c.RemoteAddr())
	}
	p.feed([]byte("xy"), false)
	buf := make([]byte, 8)
	if n, err := c.Read(buf); n != 2 || err != nil {
		t.Fatalf("Read = %d, %v; want 2, nil", n, err)
	}

	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	start := time.Now()
	_, err := c.Read(buf)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read past the deadline = %v; want os.ErrDeadlineExceeded", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("Read past the deadline = %v; want a net.Error whose Timeout() is true", err)
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("Read returned after %v; want the 50ms deadline", d)
	}

	// A deadline that has passed fails a read even with bytes ready.
	p.feed([]byte("z"), false)
	if _, err := c.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Read with bytes ready past the deadline = %v; want os.ErrDeadlineExceeded", err)
	}
	_ = c.SetDeadline(time.Time{})
	if n, err := c.Read(buf); n != 1 || err != nil {
		t.Errorf("Read after clearing the deadline = %d, %v; want 1, nil", n, err)
	}

	// A new deadline reaches a blocked read through Interrupt.
	errc := make(chan error, 1)
	go func() {
		_, err := c.Read(buf)
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	_ = c.SetReadDeadline(time.Now())
	select {
	case err := <-errc:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("blocked Read after SetReadDeadline(now) = %v; want os.ErrDeadlineExceeded", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("blocked Read ignored the new deadline")
	}

	_ = c.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := c.Write([]byte("x")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Write past the deadline = %v; want os.ErrDeadlineExceeded", err)
	}

	if err := c.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	if _, err := c.Read(buf); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read after Close = %v; want net.ErrClosed", err)
	}
	if _, err := c.Write(buf); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close = %v; want net.ErrClosed", err)
	}
	if err := c.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close = %v; want net.ErrClosed", err)
	}
}

func TestConnEOF(t *testing.T) {
	c := NewConn(NewBuffer([]byte("end")), nil, nil)
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, []byte("end")) {
		t.Errorf("ReadAll = %q, %v; want \"end\", nil", got, err)
	}
}
