//go:build !amd64 || purego

package parser

// useBlockScan selects the block scan of field lines (walkFields). It
// needs a vector classifier: without one the eight-byte loops of
// parseFields are faster, so it is off here; tests turn it on.
var useBlockScan = false

// classifyBlocks writes the words of the 64-byte blocks of src to m, from
// index word on.
func classifyBlocks(m *scanMasks, word int, src []byte) {
	classifyScalar(m, word, src)
}
