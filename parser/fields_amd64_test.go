//go:build !purego

package parser

import (
	"math/rand/v2"
	"testing"
)

// TestVectorClassifiers checks each vector classifier the CPU can run
// against classifyScalar, on every byte value at every position and on
// random input of every length.
func TestVectorClassifiers(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
		f    func(*scanMasks, int, []byte)
	}{
		{"AVX2", haveAVX2, func(m *scanMasks, word int, src []byte) {
			if len(src)%64 == 0 {
				classifyAVX2(m, word, &src[0], len(src)/64)
			} else {
				// Only whole blocks: give it a padded copy.
				pad := make([]byte, (len(src)+63)&^63)
				copy(pad, src)
				classifyAVX2(m, word, &pad[0], len(pad)/64)
			}
		}},
		{"AVX-512", haveAVX512, func(m *scanMasks, word int, src []byte) {
			classifyAVX512(m, word, &src[0], len(src))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Skip("not supported by this CPU")
			}
			check := func(src []byte, word int) {
				t.Helper()
				var got, want scanMasks
				c.f(&got, word, src)
				classifyScalar(&want, word, src)
				if got != want {
					t.Fatalf("classify %q at word %d:\n got %x\nwant %x", src, word, got, want)
				}
			}
			src := make([]byte, 64)
			for b := 0; b < 256; b++ {
				for pos := range src {
					const line = "Content-Type: text/html; charset=utf-8\r\nServer: x\r\n\tfold :\r\n"
					for k := range src {
						src[k] = line[k%len(line)]
					}
					src[pos] = byte(b)
					check(src, pos%(scanWords+1))
				}
			}
			r := rand.New(rand.NewPCG(7, 8))
			for range 2000 {
				src := make([]byte, 1+r.IntN((scanWords+1)*64))
				for k := range src {
					src[k] = byte(r.IntN(256))
				}
				check(src, r.IntN(scanWords+2-(len(src)+63)/64))
			}
		})
	}
}
