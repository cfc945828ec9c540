//go:build !purego

package parser

// classifyAVX2 is classifyBlocks with AVX2, 64 bytes per iteration.
//
//go:noescape
func classifyAVX2(masks *scanMasks, word int, src *byte, blocks int)

// cpuid and xgetbv are the instructions of the same names. The parser does
// its own feature detection, in a few lines, so that it imports nothing
// beyond the standard library's pure packages.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax uint32)

// hasAVX2 reports whether the CPU has AVX2 and the OS saves the YMM
// registers (Intel SDM vol. 1 §14.3: OSXSAVE, then XCR0 bits 1 and 2).
func hasAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&(osxsave|avx) != osxsave|avx || xgetbv()&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// haveAVX2 reports that classifyAVX2 can run.
var haveAVX2 = hasAVX2()

// useBlockScan selects the block scan of field lines (walkFields). It
// needs a vector classifier: without AVX2 the eight-byte loops of
// parseFields are faster.
var useBlockScan = haveAVX2

// classifyBlocks writes the words of the 64-byte blocks of src to m, from
// index word on.
func classifyBlocks(m *scanMasks, word int, src []byte) {
	n := len(src) / 64
	if n == 0 || word < 0 || word+n > len(m.nonToken) {
		panic("parser: classifyBlocks: out of range")
	}
	if !haveAVX2 {
		classifyScalar(m, word, src) // only when tests turn the block scan on
		return
	}
	classifyAVX2(m, word, &src[0], n)
}
