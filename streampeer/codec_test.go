package streampeer

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// codecCase is one value with its bytes as Godot writes them, worked out by
// hand, in little and big endian. The same table drives the put and the get
// tests.
type codecCase struct {
	name   string
	put    func(c *Codec) error
	get    func(c *Codec) (any, error)
	want   any
	le, be []byte
}

var codecCases = []codecCase{
	{"u8", func(c *Codec) error { return c.PutU8(0xab) }, func(c *Codec) (any, error) { return c.GetU8() }, uint8(0xab), []byte{0xab}, []byte{0xab}},
	{"s8", func(c *Codec) error { return c.PutS8(-2) }, func(c *Codec) (any, error) { return c.GetS8() }, int8(-2), []byte{0xfe}, []byte{0xfe}},
	{"u16", func(c *Codec) error { return c.PutU16(0x1234) }, func(c *Codec) (any, error) { return c.GetU16() }, uint16(0x1234), []byte{0x34, 0x12}, []byte{0x12, 0x34}},
	{"s16", func(c *Codec) error { return c.PutS16(-2) }, func(c *Codec) (any, error) { return c.GetS16() }, int16(-2), []byte{0xfe, 0xff}, []byte{0xff, 0xfe}},
	{"u32", func(c *Codec) error { return c.PutU32(0x01020304) }, func(c *Codec) (any, error) { return c.GetU32() }, uint32(0x01020304), []byte{4, 3, 2, 1}, []byte{1, 2, 3, 4}},
	{"s32", func(c *Codec) error { return c.PutS32(-123456) }, func(c *Codec) (any, error) { return c.GetS32() }, int32(-123456), []byte{0xc0, 0x1d, 0xfe, 0xff}, []byte{0xff, 0xfe, 0x1d, 0xc0}},
	{"u64", func(c *Codec) error { return c.PutU64(0x0102030405060708) }, func(c *Codec) (any, error) { return c.GetU64() }, uint64(0x0102030405060708), []byte{8, 7, 6, 5, 4, 3, 2, 1}, []byte{1, 2, 3, 4, 5, 6, 7, 8}},
	{"s64", func(c *Codec) error { return c.PutS64(-2) }, func(c *Codec) (any, error) { return c.GetS64() }, int64(-2), []byte{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}},
	{"float", func(c *Codec) error { return c.PutFloat(-2.5) }, func(c *Codec) (any, error) { return c.GetFloat() }, float32(-2.5), []byte{0, 0, 0x20, 0xc0}, []byte{0xc0, 0x20, 0, 0}},
	{"double", func(c *Codec) error { return c.PutDouble(0.1) }, func(c *Codec) (any, error) { return c.GetDouble() }, 0.1, []byte{0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f}, []byte{0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a}},
	{"half", func(c *Codec) error { return c.PutHalf(-1.5) }, func(c *Codec) (any, error) { return c.GetHalf() }, float32(-1.5), []byte{0x00, 0xbe}, []byte{0xbe, 0x00}},
	{"string", func(c *Codec) error { return c.PutString("hi") }, func(c *Codec) (any, error) { return c.GetString(-1) }, "hi", []byte{2, 0, 0, 0, 'h', 'i'}, []byte{0, 0, 0, 2, 'h', 'i'}},
	{"string empty", func(c *Codec) error { return c.PutString("") }, func(c *Codec) (any, error) { return c.GetString(-1) }, "", []byte{0, 0, 0, 0}, []byte{0, 0, 0, 0}},
	{"utf8 string", func(c *Codec) error { return c.PutUTF8String("né") }, func(c *Codec) (any, error) { return c.GetUTF8String(-1) }, "né", []byte{3, 0, 0, 0, 'n', 0xc3, 0xa9}, []byte{0, 0, 0, 3, 'n', 0xc3, 0xa9}},
}

func TestCodecPut(t *testing.T) {
	for _, tc := range codecCases {
		for _, big := range []bool{false, true} {
			b := new(Buffer)
			c := &Codec{Peer: b, BigEndian: big}
			if err := tc.put(c); err != nil {
				t.Fatalf("%s: put = %v", tc.name, err)
			}
			want := tc.le
			if big {
				want = tc.be
			}
			if got := b.Data(); !bytes.Equal(got, want) {
				t.Errorf("%s (big endian %v): put wrote % x; want % x", tc.name, big, got, want)
			}
		}
	}
}

func TestCodecGet(t *testing.T) {
	for _, tc := range codecCases {
		for _, big := range []bool{false, true} {
			in := tc.le
			if big {
				in = tc.be
			}
			c := &Codec{Peer: NewBuffer(append([]byte(nil), in...)), BigEndian: big}
			got, err := tc.get(c)
			if err != nil || got != tc.want {
				t.Errorf("%s (big endian %v): get % x = %v, %v; want %v, nil", tc.name, big, in, got, err, tc.want)
			}
			if n := c.Peer.AvailableBytes(); n != 0 {
				t.Errorf("%s: %d bytes left after get; want 0", tc.name, n)
			}
		}
	}
}

func TestCodecStrings(t *testing.T) {
	// Godot's put_string writes ASCII: other characters become spaces.
	b := new(Buffer)
	c := NewCodec(b)
	if err := c.PutString("né€!"); err != nil {
		t.Fatal(err)
	}
	if want := []byte{4, 0, 0, 0, 'n', ' ', ' ', '!'}; !bytes.Equal(b.Data(), want) {
		t.Errorf("PutString(\"né€!\") wrote % x; want % x", b.Data(), want)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		get  func(c *Codec) (string, error)
		want string
		err  error
	}{
		{"latin-1", []byte{2, 0, 0, 0, 0xe9, 'A'}, func(c *Codec) (string, error) { return c.GetString(-1) }, "éA", nil},
		{"nul ends", []byte{4, 0, 0, 0, 'a', 0, 'b', 'c'}, func(c *Codec) (string, error) { return c.GetString(-1) }, "a", nil},
		{"fixed length", []byte{'a', 'b', 'c'}, func(c *Codec) (string, error) { return c.GetString(2) }, "ab", nil},
		{"utf8 invalid", []byte{2, 0, 0, 0, 0xff, 'A'}, func(c *Codec) (string, error) { return c.GetUTF8String(-1) }, "\uFFFDA", nil},
		{"utf8 nul ends", []byte{3, 0, 0, 0, 'x', 0, 'y'}, func(c *Codec) (string, error) { return c.GetUTF8String(-1) }, "x", nil},
		{"too long", []byte{0xff, 0xff, 0xff, 0xff}, func(c *Codec) (string, error) { return c.GetString(-1) }, "", ErrStringTooLong},
		{"too long utf8", []byte{0xff, 0xff, 0xff, 0xff}, func(c *Codec) (string, error) { return c.GetUTF8String(-1) }, "", ErrStringTooLong},
		{"truncated", []byte{5, 0, 0, 0, 'a'}, func(c *Codec) (string, error) { return c.GetString(-1) }, "", io.ErrUnexpectedEOF},
		{"no length", []byte{5, 0}, func(c *Codec) (string, error) { return c.GetString(-1) }, "", io.ErrUnexpectedEOF},
		{"nothing", nil, func(c *Codec) (string, error) { return c.GetUTF8String(-1) }, "", io.EOF},
	} {
		got, err := tc.get(NewCodec(NewBuffer(tc.in)))
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: get % x = %q, %v; want %q, %v", tc.name, tc.in, got, err, tc.want, tc.err)
		}
	}
	c = &Codec{Peer: NewBuffer([]byte{3, 0, 0, 0, 'a', 'b', 'c'}), MaxStringLength: 2}
	if _, err := c.GetString(-1); err != ErrStringTooLong {
		t.Errorf("GetString over MaxStringLength = %v; want ErrStringTooLong", err)
	}
}

func TestCodecShortReads(t *testing.T) {
	c := NewCodec(NewBuffer([]byte{1, 2, 3}))
	if _, err := c.GetU32(); err != io.ErrUnexpectedEOF {
		t.Errorf("GetU32 of 3 bytes = %v; want ErrUnexpectedEOF", err)
	}
	if _, err := c.GetU8(); err != io.EOF {
		t.Errorf("GetU8 at the end = %v; want EOF", err)
	}
}

func TestCodecAllocs(t *testing.T) {
	b := new(Buffer)
	c := NewCodec(b)
	allocs := testing.AllocsPerRun(100, func() {
		b.Clear()
		_ = c.PutU64(1)
		_ = c.PutDouble(2)
		_ = b.Seek(0)
		_, _ = c.GetU64()
		_, _ = c.GetDouble()
	})
	if allocs != 0 {
		t.Errorf("allocations per put/get = %v; want 0", allocs)
	}
}
