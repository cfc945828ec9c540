package main

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"testing"
	"text/tabwriter"

	"github.com/h1dev/h1/bench"
)

func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the rows as JSON")
	filter := fs.String("filter", "", "run only the cases whose name matches this regular expression")
	benchtime := fs.String("benchtime", "1s", "time (or NNx iterations) per measurement, as go test -benchtime")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: h1 bench [--json] [--filter RE] [--benchtime 1s]\n\n"+
			"Runs the benchmark suite in this process against loopback servers it starts\n"+
			"itself: h1 beside net/http (crypto/tls for TLS), fasthttp and the raw floor.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	var re *regexp.Regexp
	if *filter != "" {
		var err error
		if re, err = regexp.Compile(*filter); err != nil {
			fmt.Fprintf(stderr, "h1 bench: --filter: %v\n", err)
			return exitUsage
		}
	}
	testing.Init()
	if err := flag.Set("test.benchtime", *benchtime); err != nil {
		fmt.Fprintf(stderr, "h1 bench: --benchtime: %v\n", err)
		return exitUsage
	}
	rows, err := bench.Run(bench.Suite(), re)
	if err != nil {
		fmt.Fprintf(stderr, "h1 bench: %v\n", err)
		return 1
	}
	if *asJSON {
		if rows == nil {
			rows = []bench.Row{}
		}
		writeJSON(stdout, rows)
		return exitOK
	}
	printBenchTable(stdout, rows)
	return exitOK
}

// printBenchTable prints one line per case: the time of each
// implementation, how many times faster h1 is than net/http and fasthttp,
// how close it is to the floor, and its allocations.
func printBenchTable(w io.Writer, rows []bench.Row) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\th1\tnet/http\tfasthttp\tfloor\tx net/http\tx fasthttp\th1/floor\th1 allocs\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", r.Name, dur(r.H1NS), dur(r.NetHTTPNS), dur(r.FastHTTPNS), dur(r.FloorNS),
			ratio(r.NetHTTPNS, r.H1NS), ratio(r.FastHTTPNS, r.H1NS), ratio(r.H1NS, r.FloorNS), r.H1Allocs)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nx net/http, x fasthttp: how many times faster h1 is; h1/floor: h1's time over the least work possible.")
	fmt.Fprintln(w, "For TLS rows the net/http column is Go's crypto/tls client; the read floor is plain TCP.")
}

func dur(ns float64) string {
	switch {
	case ns == 0:
		return "-"
	case ns < 1e3:
		return fmt.Sprintf("%.0fns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.2fµs", ns/1e3)
	default:
		return fmt.Sprintf("%.2fms", ns/1e6)
	}
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a/b)
}
