package parser

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkFieldScan compares the block scan with the eight-byte loops on
// the head fixtures, in one run.
func BenchmarkFieldScan(b *testing.B) {
	for _, name := range []string{"small-300B-CL64", "github-16hdr-CL242", "httparse-resp"} {
		data, err := os.ReadFile("testdata/" + name + ".bin")
		if err != nil {
			b.Fatal(err)
		}
		head := data[:bytes.Index(data, []byte("\r\n\r\n"))+4]
		for _, walk := range []bool{false, true} {
			mode := "loops"
			if walk {
				mode = "blocks"
			}
			b.Run(name+"/"+mode, func(b *testing.B) {
				defer func(old bool) { useBlockScan = old }(useBlockScan)
				useBlockScan = walk
				var hs [100]Header
				h := ResponseHead{Headers: hs[:0]}
				b.SetBytes(int64(len(head)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ParseResponseHead(head, &h); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
