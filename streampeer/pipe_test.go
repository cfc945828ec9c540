package streampeer

import (
	"errors"
	"io"
	"testing"
	"time"
)

func TestPipe(t *testing.T) {
	a, b := Pipe()
	if n, err := b.GetPartialData(make([]byte, 4)); n != 0 || err != nil {
		t.Fatalf("empty GetPartialData = %d, %v; want 0, nil", n, err)
	}
	if err := a.PutData([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if got := b.AvailableBytes(); got != 5 {
		t.Fatalf("AvailableBytes = %d; want 5", got)
	}
	p := make([]byte, 3)
	if err := b.GetData(p); err != nil || string(p) != "hel" {
		t.Fatalf("GetData = %q, %v; want hel", p, err)
	}
	// The other direction is its own stream.
	if err := b.PutData([]byte("back")); err != nil {
		t.Fatal(err)
	}
	q := make([]byte, 8)
	if n, _ := a.GetPartialData(q); string(q[:n]) != "back" {
		t.Fatalf("a got %q; want back", q[:n])
	}
	if err := b.WaitReadable(0); err != nil {
		t.Fatalf("WaitReadable with bytes held = %v", err)
	}
	if err := a.WaitReadable(10 * time.Millisecond); err != ErrTimeout {
		t.Fatalf("WaitReadable on an empty end = %v; want ErrTimeout", err)
	}
	// A close is the clean end after the held bytes.
	a.Close()
	if n, err := b.GetPartialData(q); string(q[:n]) != "lo" || err != nil {
		t.Fatalf("after close got %q, %v; want lo, nil", q[:n], err)
	}
	if n, err := b.GetPartialData(q); n != 0 || err != io.EOF {
		t.Fatalf("at the end = %d, %v; want 0, io.EOF", n, err)
	}
	if err := b.PutData([]byte("x")); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("put after close = %v; want io.ErrClosedPipe", err)
	}
	if _, err := a.GetPartialData(q); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("get on the closed end = %v; want io.ErrClosedPipe", err)
	}
}

// The whole verbs wait for the other goroutine without spinning; an
// end that closes short gives io.ErrUnexpectedEOF.
func TestPipeAcrossGoroutines(t *testing.T) {
	a, b := Pipe()
	done := make(chan error, 1)
	go func() {
		p := make([]byte, 6)
		err := b.GetData(p)
		if err == nil && string(p) != "abcdef" {
			err = errors.New("got " + string(p))
		}
		if err == nil {
			err = b.GetData(make([]byte, 4))
		}
		done <- err
	}()
	a.PutData([]byte("abc"))
	a.PutData([]byte("def"))
	a.PutData([]byte("gh"))
	a.Close()
	if err := <-done; err != io.ErrUnexpectedEOF {
		t.Fatalf("GetData past a short close = %v; want io.ErrUnexpectedEOF", err)
	}
	// Interrupt wakes a wait with nil.
	c, _ := Pipe()
	woke := make(chan error, 1)
	go func() { woke <- c.WaitReadable(-1) }()
	for {
		c.Interrupt() // until the wait has started and seen one
		select {
		case err := <-woke:
			if err != nil {
				t.Fatalf("interrupted wait = %v; want nil", err)
			}
			return
		case <-time.After(time.Millisecond):
		}
	}
}
