//go:build !purego

package parser

// classifyAVX2 is classifyBlocks with AVX2, 64 bytes per iteration.
//
//go:noescape
func classifyAVX2(masks *scanMasks, word int, src *byte, blocks int)

// classifyAVX512 is classifyBlocks with AVX-512BW, over n bytes.
//
//go:noescape
func classifyAVX512(masks *scanMasks, word int, src *byte, n int)

// cpuid and xgetbv are the instructions of the same names. The parser does
// its own feature detection, in a few lines, so that it imports nothing
// beyond the standard library's pure packages.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax uint32)

// vectorLevel reports whether the CPU has AVX2 and AVX-512BW and the OS
// saves the registers they use (Intel SDM vol. 1 §14.3 and §15.2: OSXSAVE,
// then XCR0 bits 1 and 2 for YMM, 5 to 7 for the mask and ZMM registers).
func vectorLevel() (avx2, avx512 bool) {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false, false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&(osxsave|avx) != osxsave|avx {
		return false, false
	}
	xcr0 := xgetbv()
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2Bit, avx512F, avx512BW = 1 << 5, 1 << 16, 1 << 30
	avx2 = xcr0&0x06 == 0x06 && ebx7&avx2Bit != 0
	avx512 = avx2 && xcr0&0xe0 == 0xe0 && ebx7&(avx512F|avx512BW) == avx512F|avx512BW
	return avx2, avx512
}

// haveAVX2 and haveAVX512 report which vector classifiers can run.
var haveAVX2, haveAVX512 = vectorLevel()

// useBlockScan selects the block scan of field lines (walkFields). It
// needs a vector classifier: without AVX2 the eight-byte loops of
// parseFields are faster.
var useBlockScan = haveAVX2

// classifyBlocks writes the masks of src to m, one word per 64 bytes, from
// index word on; the bytes after a last partial block count as NUL.
func classifyBlocks(m *scanMasks, word int, src []byte) {
	n := (len(src) + 63) / 64
	if n == 0 || word < 0 || word+n > scanWords+1 {
		panic("parser: classifyBlocks: out of range")
	}
	switch {
	case haveAVX512:
		classifyAVX512(m, word, &src[0], len(src))
	case haveAVX2:
		if full := len(src) / 64; full > 0 {
			classifyAVX2(m, word, &src[0], full)
		}
		if len(src)%64 != 0 {
			var pad [64]byte
			copy(pad[:], src[len(src)&^63:])
			classifyAVX2(m, word+n-1, &pad[0], 1)
		}
	default:
		classifyScalar(m, word, src) // only when tests turn the block scan on
	}
}
