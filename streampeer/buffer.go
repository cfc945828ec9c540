package streampeer

import "io"

// Buffer is an in-memory StreamPeer, after Godot's StreamPeerBuffer: one
// byte slice and a position in it. Puts write at the position (growing the
// slice when they pass its end) and gets read from it; both move the
// position forward.
//
// The zero value is an empty buffer ready to use. A Buffer is not safe for
// concurrent use.
type Buffer struct {
	data []byte
	pos  int
}

// NewBuffer returns a Buffer that holds data, positioned at 0. The Buffer
// takes ownership of data; the caller must not use it afterwards.
func NewBuffer(data []byte) *Buffer {
	return &Buffer{data: data}
}

// PutData writes p at the position, growing the buffer as needed, and moves
// the position past it. It never fails.
func (b *Buffer) PutData(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	end := b.pos + len(p)
	if end > len(b.data) {
		b.grow(end)
	}
	copy(b.data[b.pos:end], p)
	b.pos = end
	return nil
}

// PutPartialData is PutData: a buffer always takes all of p.
func (b *Buffer) PutPartialData(p []byte) (int, error) {
	_ = b.PutData(p)
	return len(p), nil
}

// GetData fills p from the position. When fewer than len(p) bytes are left
// it copies those, moves the position to the end and returns
// io.ErrUnexpectedEOF, or io.EOF when none were left.
func (b *Buffer) GetData(p []byte) error {
	n, _ := b.GetPartialData(p)
	switch {
	case n == len(p):
		return nil
	case n == 0:
		return io.EOF
	default:
		return io.ErrUnexpectedEOF
	}
}

// GetPartialData copies into p the bytes from the position on, up to
// len(p), and moves the position past them. At the end of the buffer it
// returns 0, nil, as Godot does: a later put may add bytes.
func (b *Buffer) GetPartialData(p []byte) (int, error) {
	n := copy(p, b.data[b.pos:])
	b.pos += n
	return n, nil
}

// AvailableBytes reports the bytes between the position and the end.
func (b *Buffer) AvailableBytes() int { return len(b.data) - b.pos }

// Seek moves the position to pos, which must be in [0, Size()]; otherwise
// it returns ErrOutOfRange and leaves the position alone.
func (b *Buffer) Seek(pos int) error {
	if pos < 0 || pos > len(b.data) {
		return ErrOutOfRange
	}
	b.pos = pos
	return nil
}

// Size reports the length of the buffer in bytes.
func (b *Buffer) Size() int { return len(b.data) }

// Position reports where the next get or put starts.
func (b *Buffer) Position() int { return b.pos }

// Resize sets the length of the buffer to n bytes, which must not be
// negative. Bytes added at the end are zero. A position past the new end
// moves to the end.
func (b *Buffer) Resize(n int) error {
	if n < 0 {
		return ErrOutOfRange
	}
	if n > len(b.data) {
		b.grow(n)
	} else {
		b.data = b.data[:n]
	}
	if b.pos > n {
		b.pos = n
	}
	return nil
}

// Data returns the contents of the buffer. The slice is valid until the
// next call to a method that writes or resizes the buffer; copy to retain.
func (b *Buffer) Data() []byte { return b.data }

// DataArray returns a copy of the contents of the buffer, as Godot's
// data_array property does.
func (b *Buffer) DataArray() []byte { return append([]byte(nil), b.data...) }

// SetDataArray replaces the contents with a copy of p and moves the
// position to 0.
func (b *Buffer) SetDataArray(p []byte) {
	b.data = append(b.data[:0], p...)
	b.pos = 0
}

// Clear empties the buffer and moves the position to 0. The memory is kept
// for reuse.
func (b *Buffer) Clear() {
	b.data = b.data[:0]
	b.pos = 0
}

// Duplicate returns a new Buffer with a copy of the contents, positioned
// at 0 as Godot's duplicate is.
func (b *Buffer) Duplicate() *Buffer {
	return &Buffer{data: append([]byte(nil), b.data...)}
}

// grow extends data to n bytes (n > len(data)), zeroing the new bytes.
func (b *Buffer) grow(n int) {
	if n <= cap(b.data) {
		old := len(b.data)
		b.data = b.data[:n]
		clear(b.data[old:])
		return
	}
	b.data = append(b.data, make([]byte, n-len(b.data))...)
}
