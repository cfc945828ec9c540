package parser

import "testing"

// TestCheckBytesMatchesTables checks the eight-byte element checks against
// the per-byte tables, for every byte value at every position.
func TestCheckBytesMatchesTables(t *testing.T) {
	checks := []struct {
		name  string
		bad   func(uint64) uint64
		table *[256]uint8
	}{{"value", valueBadMask, &valueBad}, {"target", targetBadMask, &targetBad}, {"vchar", vcharBadMask, &hostBad}}
	for _, ck := range checks {
		for c := range 256 {
			for n := 1; n <= 19; n++ {
				for pos := 0; pos < n; pos++ {
					b := make([]byte, n)
					for k := range b {
						b[k] = 'a'
					}
					b[pos] = byte(c)
					want := ck.table[c] == 0
					if got := checkBytes(b, ck.bad, ck.table); got != want {
						t.Fatalf("%s: byte %#x at %d of %d: ok = %v; want %v", ck.name, c, pos, n, got, want)
					}
					if got := checkBytes(string(b), ck.bad, ck.table); got != want {
						t.Fatalf("%s (string): byte %#x at %d of %d: ok = %v; want %v", ck.name, c, pos, n, got, want)
					}
				}
			}
		}
	}
}
