// Package bench is h1's benchmark suite: every read- and write-path
// operation of the engine measured beside net/http and fasthttp (and a raw
// floor where one exists) on the same bytes, in the same process, in the
// same run.
//
// The suite is a list of Cases; each Case has up to four functions in the
// shape of a Go benchmark, one per implementation. Run measures them with
// testing.Benchmark and returns one Row per case, which `h1 bench` prints
// as a table of ratios and `go test -bench . ./bench` runs as ordinary Go
// benchmarks (with -benchmem and -count for benchstat):
//
//	rows, err := bench.Run(bench.Suite(), regexp.MustCompile("head"))
//	for _, r := range rows {
//		fmt.Println(r.Name, r.H1NS, r.NetHTTPNS, r.FastHTTPNS, r.FloorNS)
//	}
//
// The head fixtures are byte-identical copies of the shared benchmark
// corpora. Servers are started on loopback by the cases that need them and
// stopped when the case ends.
//
// fasthttp is linked here, and only here: it is a benchmark peer, never a
// dependency of the engine's own packages.
package bench
