package parser

import (
	"math/rand/v2"
	"testing"
)

// TestEqualFold checks the eight-byte comparison against lower on each
// byte: every byte value at every position of every name that the parser
// compares, and random strings of every length.
func TestEqualFold(t *testing.T) {
	slow := func(b []byte, s string) bool {
		if len(b) != len(s) {
			return false
		}
		for i := range b {
			if lower(b[i]) != s[i] {
				return false
			}
		}
		return true
	}
	for _, s := range []string{"host", "connection", "content-length", "transfer-encoding", "close", "keep-alive", "chunked", "user-agent", "accept"} {
		b := []byte(s)
		for pos := range b {
			for c := 0; c < 256; c++ {
				b[pos] = byte(c)
				if got, want := equalFold(b, s), slow(b, s); got != want {
					t.Fatalf("equalFold(%q, %q) = %v; want %v", b, s, got, want)
				}
			}
			b[pos] = s[pos]
		}
	}
	r := rand.New(rand.NewPCG(9, 10))
	const alphabet = "abcxyzABCXYZ-@[`{\x00\x7f\xc1\xe1"
	for range 200000 {
		n := r.IntN(24)
		b, s := make([]byte, n), make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
			s[i] = lower(b[i])
			if r.IntN(20) == 0 {
				s[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		if got, want := equalFold(b, string(s)), slow(b, string(s)); got != want {
			t.Fatalf("equalFold(%q, %q) = %v; want %v", b, s, got, want)
		}
	}
}

func TestEqualFoldASCIIOnly(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Transfer-Encoding", "transfer-encoding", true},
		{"CONTENT-length", "content-LENGTH", true},
		{"host", "hosts", false},
		{"Tranſfer-Encoding", "transfer-encoding", false}, // U+017F folds to s only in Unicode
		{"\u212Aeep-alive", "keep-alive", false},          // Kelvin sign
		{"a[", "A{", false},                               // '[' and '{' differ by the case bit, but are not letters
		{"", "", true},
	} {
		if got := EqualFold(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v; want %v", tc.a, tc.b, got, tc.want)
		}
		if got := EqualFold([]byte(tc.a), tc.b); got != tc.want {
			t.Errorf("EqualFold([]byte(%q), %q) = %v; want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if !HasPrefixFold("HTTPS://x", "https://") || HasPrefixFold("http", "https://") {
		t.Error("HasPrefixFold")
	}
}
