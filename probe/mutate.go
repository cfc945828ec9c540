package probe

import (
	"bytes"
	"fmt"
	"math/rand/v2"
)

// interesting are the bytes Mutate inserts: the ones HTTP/1.1 framing
// turns on.
var interesting = []byte("\r\n\x00 \t:;,-0aF\x7f\xff")

// Mutate returns a variant of b and the operations that made it, each as
// a short description such as "insert 0x0d at 17". The variant depends
// only on b, seed and n: the same arguments give the same bytes, so a
// divergence found by a long run can be replayed. It makes one to three
// of these changes: flip a bit, insert an interesting byte, delete a
// byte, duplicate a field line, change the case of a field name, change
// whitespace (SP to HTAB, a space before a colon, CRLF to LF). The result
// is a new slice; b is not changed.
func Mutate(b []byte, seed uint64, n int) ([]byte, []string) {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	out := bytes.Clone(b)
	var ops []string
	for range 1 + rng.IntN(3) {
		var op string
		out, op = mutateOnce(rng, out)
		ops = append(ops, op)
	}
	return out, ops
}

// mutateOnce applies one random change to b.
func mutateOnce(rng *rand.Rand, b []byte) ([]byte, string) {
	if len(b) == 0 {
		c := interesting[rng.IntN(len(interesting))]
		return append(b, c), fmt.Sprintf("insert 0x%02x at 0", c)
	}
	at := rng.IntN(len(b))
	switch rng.IntN(7) {
	case 0:
		bit := byte(1) << rng.IntN(8)
		b[at] ^= bit
		return b, fmt.Sprintf("flip 0x%02x at %d", bit, at)
	case 1:
		c := interesting[rng.IntN(len(interesting))]
		return insertAt(b, at, c), fmt.Sprintf("insert 0x%02x at %d", c, at)
	case 2:
		return append(b[:at], b[at+1:]...), fmt.Sprintf("delete at %d", at)
	case 3:
		if s, e, ok := fieldLine(b, rng); ok {
			line := bytes.Clone(b[s:e])
			return append(b[:e], append(line, b[e:]...)...), fmt.Sprintf("duplicate line at %d", s)
		}
	case 4:
		if s, e, ok := fieldLine(b, rng); ok {
			for i := s; i < e && b[i] != ':'; i++ {
				if c := b[i] | 0x20; c >= 'a' && c <= 'z' {
					b[i] ^= 0x20
				}
			}
			return b, fmt.Sprintf("case of name at %d", s)
		}
	case 5:
		if i := bytes.IndexByte(b[at:], ' '); i >= 0 {
			b[at+i] = '\t'
			return b, fmt.Sprintf("space to tab at %d", at+i)
		}
		if i := bytes.IndexByte(b[at:], ':'); i >= 0 {
			return insertAt(b, at+i, ' '), fmt.Sprintf("space before colon at %d", at+i)
		}
	case 6:
		if i := bytes.Index(b[at:], []byte("\r\n")); i >= 0 {
			return append(b[:at+i], b[at+i+1:]...), fmt.Sprintf("crlf to lf at %d", at+i)
		}
	}
	// The chosen change did not apply here: flip a bit instead.
	b[at] ^= 1
	return b, fmt.Sprintf("flip 0x01 at %d", at)
}

func insertAt(b []byte, at int, c byte) []byte {
	b = append(b, 0)
	copy(b[at+1:], b[at:])
	b[at] = c
	return b
}

// fieldLine picks a line after the first one (a field line, in a request
// head) and returns its bounds, CRLF included.
func fieldLine(b []byte, rng *rand.Rand) (start, end int, ok bool) {
	var starts []int
	for i := 0; i < len(b)-1; i++ {
		if b[i] == '\n' && b[i+1] != '\r' && b[i+1] != '\n' {
			starts = append(starts, i+1)
		}
	}
	if len(starts) == 0 {
		return 0, 0, false
	}
	s := starts[rng.IntN(len(starts))]
	e := bytes.IndexByte(b[s:], '\n')
	if e < 0 {
		return 0, 0, false
	}
	return s, s + e + 1, true
}

// Differ reports whether the results do not all have the same
// Signature.
func Differ(rs []Result) bool {
	for i := 1; i < len(rs); i++ {
		if rs[i].Signature() != rs[0].Signature() {
			return true
		}
	}
	return false
}
