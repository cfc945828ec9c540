package streampeer_test

import (
	"fmt"
	"io"

	"github.com/h1dev/h1/streampeer"
)

// A Codec writes values as Godot's StreamPeer does; reading them back from
// the same Buffer gives them again.
func ExampleCodec() {
	buf := new(streampeer.Buffer)
	c := streampeer.NewCodec(buf)
	_ = c.PutU16(0x1234)
	_ = c.PutHalf(1.5)
	_ = c.PutUTF8String("héllo")
	fmt.Printf("% x\n", buf.Data())

	_ = buf.Seek(0)
	u, _ := c.GetU16()
	h, _ := c.GetHalf()
	s, _ := c.GetUTF8String(-1)
	fmt.Printf("%#x %v %s\n", u, h, s)

	c.BigEndian = true
	buf.Clear()
	_ = c.PutU16(0x1234)
	fmt.Printf("% x\n", buf.Data())
	// Output:
	// 34 12 00 3e 06 00 00 00 68 c3 a9 6c 6c 6f
	// 0x1234 1.5 héllo
	// 12 34
}

// Any peer reads as an io.Reader; the end of the stream is io.EOF.
func ExampleNewReader() {
	peer := streampeer.NewBuffer([]byte("bytes from a peer"))
	all, err := io.ReadAll(streampeer.NewReader(peer))
	fmt.Printf("%q %v\n", all, err)
	// Output: "bytes from a peer" <nil>
}
