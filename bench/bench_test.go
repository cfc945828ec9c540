package bench

import (
	"flag"
	"testing"
)

// BenchmarkSuite runs every case as Go benchmarks named
// case/implementation, for -benchmem, -count and benchstat.
func BenchmarkSuite(b *testing.B) {
	for _, c := range Suite() {
		b.Run(c.Name, func(b *testing.B) {
			if c.Setup != nil {
				teardown, err := c.Setup()
				if err != nil {
					b.Fatal(err)
				}
				defer teardown()
			}
			for _, impl := range []struct {
				name string
				f    Func
			}{{"h1", c.H1}, {"nethttp", c.NetHTTP}, {"fasthttp", c.FastHTTP}, {"floor", c.Floor}} {
				if impl.f != nil {
					b.Run(impl.name, func(b *testing.B) { impl.f(b) })
				}
			}
		})
	}
}

// TestSuiteRuns runs each implementation of each case once, so the suite
// keeps working between benchmark runs.
func TestSuiteRuns(t *testing.T) {
	old := flag.Lookup("test.benchtime").Value.String()
	if err := flag.Set("test.benchtime", "3x"); err != nil {
		t.Fatal(err)
	}
	defer flag.Set("test.benchtime", old)
	for _, c := range Suite() {
		t.Run(c.Name, func(t *testing.T) {
			if c.Setup != nil {
				teardown, err := c.Setup()
				if err != nil {
					t.Fatal(err)
				}
				defer teardown()
			}
			for _, f := range []Func{c.H1, c.NetHTTP, c.FastHTTP, c.Floor} {
				if f == nil {
					continue
				}
				r := testing.Benchmark(func(b *testing.B) { f(b) })
				if r.N == 0 {
					t.Fatal("benchmark failed")
				}
			}
		})
	}
}

// BenchmarkChunked runs the chunked case beside a decoder that hands out
// views of the data (ChunkedDecoder.Next), whose cost is the framing
// alone, and beside a second floor that copies each chunk's data from
// where it lies in the body, one copy per chunk.
func BenchmarkChunked(b *testing.B) {
	c := chunkedCase()
	b.Run("h1", func(b *testing.B) { c.H1(b) })
	b.Run("h1view", chunkedViews)
	b.Run("nethttp", func(b *testing.B) { c.NetHTTP(b) })
	b.Run("floor", func(b *testing.B) { c.Floor(b) })
	b.Run("floorchunks", chunkedCopies)
}
