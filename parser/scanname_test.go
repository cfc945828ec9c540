package parser

import (
	"math/rand/v2"
	"testing"
)

// TestScanNameMatchesTable checks the eight-byte name scanner against the
// byte-at-a-time table on every byte value at every position.
func TestScanNameMatchesTable(t *testing.T) {
	slow := func(b []byte, j int) int {
		for j < len(b) && isToken[b[j]] {
			j++
		}
		return j
	}
	buf := make([]byte, 24)
	for c := 0; c < 256; c++ {
		for pos := 0; pos < len(buf); pos++ {
			for k := range buf {
				buf[k] = "Content-Type_x.1"[k%16]
			}
			buf[pos] = byte(c)
			for start := 0; start < 3; start++ {
				if got, want := scanName(buf, start), slow(buf, start); got != want {
					t.Fatalf("byte %#x at %d from %d: scanName = %d; want %d", c, pos, start, got, want)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		n := r.IntN(40)
		b := make([]byte, n)
		for k := range b {
			b[k] = byte(r.IntN(256))
			if r.IntN(3) > 0 {
				b[k] = "abcXYZ019-_!~"[r.IntN(13)]
			}
		}
		if got, want := scanName(b, 0), slow(b, 0); got != want {
			t.Fatalf("%q: scanName = %d; want %d", b, got, want)
		}
	}
}
