package bench

import (
	"embed"
	"regexp"
	"testing"
)

//go:embed testdata/*.bin
var fixtures embed.FS

// fixture returns the bytes of one embedded corpus file.
func fixture(name string) []byte {
	b, err := fixtures.ReadFile("testdata/" + name)
	if err != nil {
		panic("bench: missing fixture " + name)
	}
	return b
}

// Func is one implementation of a case, in the shape of a Go benchmark.
type Func func(b *testing.B)

// Case is one operation measured across implementations. A nil function
// means the implementation has nothing comparable.
type Case struct {
	Name     string
	H1       Func
	NetHTTP  Func
	FastHTTP Func
	Floor    Func // the least work the operation needs, where one exists
	// Setup, when not nil, runs before the case and returns the function
	// that tears down what it started (servers, connections).
	Setup func() (teardown func(), err error)
}

// Row is the result of one Case: nanoseconds per operation for each
// implementation (0 where it has none) and the allocations of h1's.
type Row struct {
	Name       string  `json:"name"`
	H1NS       float64 `json:"h1_ns"`
	NetHTTPNS  float64 `json:"nethttp_ns"`
	FastHTTPNS float64 `json:"fasthttp_ns"`
	FloorNS    float64 `json:"floor_ns"`
	H1Allocs   int64   `json:"h1_allocs"`
	H1Bytes    int64   `json:"h1_bytes_per_op"`
	Bytes      int64   `json:"bytes"` // the bytes one operation moves, for throughput
}

// Suite returns every case, in the order `h1 bench` prints them.
func Suite() []Case {
	var cs []Case
	cs = append(cs, headCases()...)
	cs = append(cs, chunkedCase(), requestWriteCase())
	cs = append(cs, tlsCases()...)
	cs = append(cs, roundTripCase())
	return cs
}

// Run measures the cases whose names match filter (all when nil).
func Run(cases []Case, filter *regexp.Regexp) ([]Row, error) {
	var rows []Row
	for _, c := range cases {
		if filter != nil && !filter.MatchString(c.Name) {
			continue
		}
		row, err := runCase(c)
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func runCase(c Case) (Row, error) {
	if c.Setup != nil {
		teardown, err := c.Setup()
		if err != nil {
			return Row{}, err
		}
		defer teardown()
	}
	row := Row{Name: c.Name}
	measure := func(f Func, ns *float64) testing.BenchmarkResult {
		if f == nil {
			return testing.BenchmarkResult{}
		}
		r := testing.Benchmark(func(b *testing.B) { f(b) })
		if r.N > 0 {
			*ns = float64(r.T.Nanoseconds()) / float64(r.N)
		}
		return r
	}
	r := measure(c.H1, &row.H1NS)
	if r.N > 0 {
		row.H1Allocs, row.H1Bytes, row.Bytes = r.AllocsPerOp(), r.AllocedBytesPerOp(), r.Bytes
	}
	measure(c.NetHTTP, &row.NetHTTPNS)
	measure(c.FastHTTP, &row.FastHTTPNS)
	measure(c.Floor, &row.FloorNS)
	return row, nil
}
