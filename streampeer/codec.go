package streampeer

import (
	"encoding/binary"
	"io"
	"math"
	"unicode/utf8"
)

// DefaultMaxStringLength is the limit Codec uses when MaxStringLength is 0.
const DefaultMaxStringLength = 16 << 20

// Codec puts and gets typed values on a StreamPeer, byte for byte as
// Godot's StreamPeer put_*/get_* methods do. Values are little endian
// unless BigEndian is set (Godot's big_endian property).
//
// Every put writes its value with one PutData call and every get reads it
// with one GetData call, so the Codec waits as the peer's whole verbs do,
// and a get that meets the end of the stream returns the peer's io.EOF or
// io.ErrUnexpectedEOF. A Codec does not allocate except to return strings.
//
// A Codec is not safe for concurrent use.
type Codec struct {
	// Peer is the stream the values go through.
	Peer StreamPeer
	// BigEndian selects network byte order for every multi-byte value and
	// string length.
	BigEndian bool
	// MaxStringLength bounds the length that GetString and GetUTF8String
	// accept, so that a hostile length prefix cannot make them allocate
	// gigabytes. Zero means DefaultMaxStringLength.
	MaxStringLength int

	scratch [8]byte
}

// NewCodec returns a little-endian Codec over p.
func NewCodec(p StreamPeer) *Codec { return &Codec{Peer: p} }

func (c *Codec) order() binary.ByteOrder {
	if c.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

func (c *Codec) put16(v uint16) error {
	c.order().PutUint16(c.scratch[:2], v)
	return c.Peer.PutData(c.scratch[:2])
}

func (c *Codec) put32(v uint32) error {
	c.order().PutUint32(c.scratch[:4], v)
	return c.Peer.PutData(c.scratch[:4])
}

func (c *Codec) put64(v uint64) error {
	c.order().PutUint64(c.scratch[:8], v)
	return c.Peer.PutData(c.scratch[:8])
}

func (c *Codec) get16() (uint16, error) {
	if err := c.Peer.GetData(c.scratch[:2]); err != nil {
		return 0, err
	}
	return c.order().Uint16(c.scratch[:2]), nil
}

func (c *Codec) get32() (uint32, error) {
	if err := c.Peer.GetData(c.scratch[:4]); err != nil {
		return 0, err
	}
	return c.order().Uint32(c.scratch[:4]), nil
}

func (c *Codec) get64() (uint64, error) {
	if err := c.Peer.GetData(c.scratch[:8]); err != nil {
		return 0, err
	}
	return c.order().Uint64(c.scratch[:8]), nil
}

// PutU8 writes v as one byte (Godot's put_u8).
func (c *Codec) PutU8(v uint8) error {
	c.scratch[0] = v
	return c.Peer.PutData(c.scratch[:1])
}

// PutS8 writes v as one two's-complement byte (Godot's put_8).
func (c *Codec) PutS8(v int8) error { return c.PutU8(uint8(v)) }

// PutU16 writes v as two bytes (Godot's put_u16).
func (c *Codec) PutU16(v uint16) error { return c.put16(v) }

// PutS16 writes v as two two's-complement bytes (Godot's put_16).
func (c *Codec) PutS16(v int16) error { return c.put16(uint16(v)) }

// PutU32 writes v as four bytes (Godot's put_u32).
func (c *Codec) PutU32(v uint32) error { return c.put32(v) }

// PutS32 writes v as four two's-complement bytes (Godot's put_32).
func (c *Codec) PutS32(v int32) error { return c.put32(uint32(v)) }

// PutU64 writes v as eight bytes (Godot's put_u64).
func (c *Codec) PutU64(v uint64) error { return c.put64(v) }

// PutS64 writes v as eight two's-complement bytes (Godot's put_64).
func (c *Codec) PutS64(v int64) error { return c.put64(uint64(v)) }

// PutHalf writes v as an IEEE 754 binary16 number in two bytes (Godot's
// put_half), converted as HalfBits describes.
func (c *Codec) PutHalf(v float32) error { return c.put16(HalfBits(v)) }

// PutFloat writes v as an IEEE 754 binary32 number (Godot's put_float).
func (c *Codec) PutFloat(v float32) error { return c.put32(math.Float32bits(v)) }

// PutDouble writes v as an IEEE 754 binary64 number (Godot's put_double).
func (c *Codec) PutDouble(v float64) error { return c.put64(math.Float64bits(v)) }

// PutString writes s as Godot's put_string does: a u32 count of
// characters, then one byte per character. s is read as UTF-8; a character
// above U+007F (or an invalid byte) cannot be held in ASCII and is written
// as a space (0x20), as Godot writes it.
func (c *Codec) PutString(s string) error {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return c.putPrefixed(s)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= utf8.RuneSelf {
			r = ' '
		}
		b = append(b, byte(r))
	}
	return c.putPrefixed(string(b))
}

// PutUTF8String writes s as Godot's put_utf8_string does: a u32 count of
// bytes, then the bytes of s unchanged.
func (c *Codec) PutUTF8String(s string) error { return c.putPrefixed(s) }

func (c *Codec) putPrefixed(s string) error {
	if uint64(len(s)) > math.MaxUint32 {
		return ErrStringTooLong
	}
	if err := c.put32(uint32(len(s))); err != nil {
		return err
	}
	if len(s) == 0 {
		return nil
	}
	return c.Peer.PutData([]byte(s))
}

// GetU8 reads one byte (Godot's get_u8).
func (c *Codec) GetU8() (uint8, error) {
	if err := c.Peer.GetData(c.scratch[:1]); err != nil {
		return 0, err
	}
	return c.scratch[0], nil
}

// GetS8 reads one two's-complement byte (Godot's get_8).
func (c *Codec) GetS8() (int8, error) {
	v, err := c.GetU8()
	return int8(v), err
}

// GetU16 reads two bytes (Godot's get_u16).
func (c *Codec) GetU16() (uint16, error) { return c.get16() }

// GetS16 reads two two's-complement bytes (Godot's get_16).
func (c *Codec) GetS16() (int16, error) {
	v, err := c.get16()
	return int16(v), err
}

// GetU32 reads four bytes (Godot's get_u32).
func (c *Codec) GetU32() (uint32, error) { return c.get32() }

// GetS32 reads four two's-complement bytes (Godot's get_32).
func (c *Codec) GetS32() (int32, error) {
	v, err := c.get32()
	return int32(v), err
}

// GetU64 reads eight bytes (Godot's get_u64).
func (c *Codec) GetU64() (uint64, error) { return c.get64() }

// GetS64 reads eight two's-complement bytes (Godot's get_64).
func (c *Codec) GetS64() (int64, error) {
	v, err := c.get64()
	return int64(v), err
}

// GetHalf reads an IEEE 754 binary16 number (Godot's get_half); every half
// value converts exactly.
func (c *Codec) GetHalf() (float32, error) {
	v, err := c.get16()
	return HalfFrom(v), err
}

// GetFloat reads an IEEE 754 binary32 number (Godot's get_float).
func (c *Codec) GetFloat() (float32, error) {
	v, err := c.get32()
	return math.Float32frombits(v), err
}

// GetDouble reads an IEEE 754 binary64 number (Godot's get_double).
func (c *Codec) GetDouble() (float64, error) {
	v, err := c.get64()
	return math.Float64frombits(v), err
}

// GetString reads n bytes as Godot's get_string does, or, when n is
// negative, a u32 length and then that many bytes. The string ends at the
// first NUL byte, if any; each byte is one character (ISO-8859-1), so bytes
// above 0x7F come back as the UTF-8 encoding of U+0080–U+00FF.
func (c *Codec) GetString(n int) (string, error) {
	b, err := c.getPrefixed(n)
	if err != nil {
		return "", err
	}
	ascii := true
	for _, x := range b {
		if x >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b), nil
	}
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		out = utf8.AppendRune(out, rune(x))
	}
	return string(out), nil
}

// GetUTF8String reads n bytes as Godot's get_utf8_string does, or, when n
// is negative, a u32 length and then that many bytes. The string ends at
// the first NUL byte, if any, and each byte that is not part of a valid
// UTF-8 sequence becomes U+FFFD.
func (c *Codec) GetUTF8String(n int) (string, error) {
	b, err := c.getPrefixed(n)
	if err != nil {
		return "", err
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r)
		b = b[size:]
	}
	return string(out), nil
}

// getPrefixed reads the length (when n < 0) and the bytes of a string, and
// cuts them at the first NUL.
func (c *Codec) getPrefixed(n int) ([]byte, error) {
	if n < 0 {
		v, err := c.get32()
		if err != nil {
			return nil, err
		}
		if uint64(v) > uint64(c.maxString()) {
			return nil, ErrStringTooLong
		}
		n = int(v)
	} else if n > c.maxString() {
		return nil, ErrStringTooLong
	}
	if n == 0 {
		return nil, nil
	}
	b := make([]byte, n)
	if err := c.Peer.GetData(b); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	for i, x := range b {
		if x == 0 {
			return b[:i], nil
		}
	}
	return b, nil
}

func (c *Codec) maxString() int {
	if c.MaxStringLength > 0 {
		return c.MaxStringLength
	}
	return DefaultMaxStringLength
}
