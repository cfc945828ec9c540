package streampeer

import (
	"bytes"
	"io"
	"testing"
)

var _ StreamPeer = (*Buffer)(nil)

func TestBuffer(t *testing.T) {
	var b Buffer
	if err := b.PutData([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if b.Size() != 5 || b.Position() != 5 || b.AvailableBytes() != 0 {
		t.Errorf("after put: size %d, position %d, available %d; want 5, 5, 0", b.Size(), b.Position(), b.AvailableBytes())
	}
	if n, err := b.GetPartialData(make([]byte, 3)); n != 0 || err != nil {
		t.Errorf("GetPartialData at the end = %d, %v; want 0, nil", n, err)
	}
	if err := b.Seek(1); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 3)
	if err := b.GetData(got); err != nil || string(got) != "ell" {
		t.Errorf("GetData = %q, %v; want \"ell\", nil", got, err)
	}
	if b.AvailableBytes() != 1 {
		t.Errorf("AvailableBytes = %d; want 1", b.AvailableBytes())
	}
	if err := b.GetData(got); err != io.ErrUnexpectedEOF {
		t.Errorf("GetData past the end = %v; want ErrUnexpectedEOF", err)
	}
	if err := b.GetData(got); err != io.EOF {
		t.Errorf("GetData at the end = %v; want EOF", err)
	}
	// Overwrite in the middle, then grow past the end.
	_ = b.Seek(3)
	if n, err := b.PutPartialData([]byte("p!!")); n != 3 || err != nil {
		t.Errorf("PutPartialData = %d, %v; want 3, nil", n, err)
	}
	if got := string(b.Data()); got != "help!!" {
		t.Errorf("Data = %q; want \"help!!\"", got)
	}
	if err := b.Seek(-1); err != ErrOutOfRange {
		t.Errorf("Seek(-1) = %v; want ErrOutOfRange", err)
	}
	if err := b.Seek(7); err != ErrOutOfRange {
		t.Errorf("Seek(7) = %v; want ErrOutOfRange", err)
	}
	if err := b.Resize(-1); err != ErrOutOfRange {
		t.Errorf("Resize(-1) = %v; want ErrOutOfRange", err)
	}
	d := b.Duplicate()
	if err := b.Resize(2); err != nil || b.Position() != 2 || string(b.Data()) != "he" {
		t.Errorf("Resize(2) = %v; position %d, data %q; want nil, 2, \"he\"", err, b.Position(), b.Data())
	}
	if err := b.Resize(4); err != nil || !bytes.Equal(b.Data(), []byte{'h', 'e', 0, 0}) {
		t.Errorf("Resize(4) = %v; data % x; want zeros added", err, b.Data())
	}
	if string(d.Data()) != "help!!" || d.Position() != 0 {
		t.Errorf("Duplicate = %q at %d; want \"help!!\" at 0", d.Data(), d.Position())
	}
	arr := d.DataArray()
	arr[0] = 'X'
	if d.Data()[0] != 'h' {
		t.Errorf("DataArray shares memory with the buffer; want a copy")
	}
	b.SetDataArray([]byte("new"))
	if string(b.Data()) != "new" || b.Position() != 0 {
		t.Errorf("SetDataArray: %q at %d; want \"new\" at 0", b.Data(), b.Position())
	}
	b.Clear()
	if b.Size() != 0 || b.Position() != 0 {
		t.Errorf("Clear: size %d, position %d; want 0, 0", b.Size(), b.Position())
	}
	// Growing into kept capacity must not show old bytes.
	_ = b.Resize(3)
	if !bytes.Equal(b.Data(), []byte{0, 0, 0}) {
		t.Errorf("Resize after Clear = % x; want zeros", b.Data())
	}
}
