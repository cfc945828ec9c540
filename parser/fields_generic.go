//go:build !amd64 || purego

package parser

// useBlockScan selects the block scan of field lines (walkFields). It
// needs a vector classifier: without one the eight-byte loops of
// parseFields are faster, so it is off here; tests turn it on.
var useBlockScan = false

// classifyBlocks writes the masks of src to m, one word per 64 bytes, from
// index word on; the bytes after a last partial block count as NUL.
func classifyBlocks(m *scanMasks, word int, src []byte) {
	classifyScalar(m, word, src)
}
