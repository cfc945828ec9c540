package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/h1dev/h1/load"
	"github.com/h1dev/h1/parser"
	"golang.org/x/sys/unix"
)

const loadUsage = `usage: h1 load -c CONNS -d DURATION [-p PIPELINE] [-R RATE] [--json]
               [-H 'Name: value']... [--timeout D] [--hist-log FILE] [--loops N] URL
       h1 load --merge [--json] FILE...

Sends GET requests to an http:// URL (plain HTTP only, no TLS) over CONNS
kept-alive connections for DURATION, and prints requests/s, bytes/s,
latency percentiles and errors by kind.

  -c CONNS          connections to keep open (required)
  -d DURATION       how long to send: 10s, 1m, or seconds (required)
  -p PIPELINE       requests in flight per connection (default 1)
  -R RATE           total requests/s at a constant rate; latency counts
                    from when each request was due (default: as fast as
                    the server answers)
  -H 'Name: value'  add a request header (repeatable)
  --timeout D       give up on a request or a connect after D (default 2s)
  --hist-log FILE   write the latency histogram as an HdrHistogram log
  --loops N         epoll loops (goroutines) sharing the connections
                    (default 1)
  --json            print one JSON object instead of the summary
  --merge FILE...   merge histogram logs of several runs and print the
                    combined percentiles

Exit status: 0 done, 1 usage, 7 cannot connect to the URL at all.
`

// exitConnect is curl's code for a failed connect.
const exitConnect = 7

// headerList collects repeated -H flags.
type headerList []parser.Header

func (h *headerList) String() string { return fmt.Sprint(len(*h), " headers") }

func (h *headerList) Set(s string) error {
	f, err := load.ParseHeader(s)
	if err != nil {
		return err
	}
	*h = append(*h, f)
	return nil
}

// durationFlag takes a Go duration ("10s", "1m30s") or whole seconds.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		*f.d = time.Duration(n * float64(time.Second))
	} else if *f.d, err = time.ParseDuration(s); err != nil {
		return fmt.Errorf("not a duration: %q", s)
	}
	if *f.d < 0 {
		return fmt.Errorf("negative duration: %q", s)
	}
	return nil
}

type loadFlags struct {
	conns, pipeline, loops int
	duration, timeout      time.Duration
	rate                   float64
	json, merge            bool
	headers                headerList
	histLog                string
	args                   []string
}

// parseLoadFlags parses flags and positional arguments in any order.
func parseLoadFlags(args []string) (*loadFlags, error) {
	f := &loadFlags{pipeline: 1, loops: 1, timeout: load.DefaultTimeout}
	fs := flag.NewFlagSet("h1 load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&f.conns, "c", 0, "")
	fs.Var(durationFlag{&f.duration}, "d", "")
	fs.IntVar(&f.pipeline, "p", 1, "")
	fs.Float64Var(&f.rate, "R", 0, "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.Var(&f.headers, "H", "")
	fs.Var(durationFlag{&f.timeout}, "timeout", "")
	fs.StringVar(&f.histLog, "hist-log", "", "")
	fs.IntVar(&f.loops, "loops", 1, "")
	fs.BoolVar(&f.merge, "merge", false, "")
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		f.args = append(f.args, args[0])
		args = args[1:]
	}
	return f, nil
}

func runLoad(args []string, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, loadUsage)
			return exitOK
		}
	}
	f, err := parseLoadFlags(args)
	if err != nil {
		return loadUsageError(stderr, err.Error())
	}
	if f.merge {
		return runMerge(f, stdout, stderr)
	}
	switch {
	case len(f.args) != 1:
		return loadUsageError(stderr, "one URL is needed")
	case f.conns < 1:
		return loadUsageError(stderr, "-c must be at least 1")
	case f.duration <= 0:
		return loadUsageError(stderr, "-d must be a positive duration")
	case f.pipeline < 1 || f.pipeline > load.MaxPipeline:
		return loadUsageError(stderr, fmt.Sprintf("-p must be 1–%d", load.MaxPipeline))
	case f.rate < 0:
		return loadUsageError(stderr, "-R must not be negative")
	case f.timeout <= 0:
		return loadUsageError(stderr, "--timeout must be positive")
	case f.loops < 1:
		return loadUsageError(stderr, "--loops must be at least 1")
	}
	target, err := load.ParseURL(f.args[0])
	if err != nil {
		return loadUsageError(stderr, err.Error())
	}
	target.Headers = f.headers
	cfg := load.Config{
		Target:      target,
		Connections: f.conns,
		Pipeline:    f.pipeline,
		Rate:        f.rate,
		Duration:    f.duration,
		Timeout:     f.timeout,
		Loops:       f.loops,
	}
	r, err := load.Start(cfg)
	switch {
	case errors.Is(err, load.ErrNoConnection):
		fmt.Fprintf(stderr, "h1 load: %v\n", err)
		return exitConnect
	case err != nil:
		return loadUsageError(stderr, err.Error())
	}

	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	defer signal.Stop(interrupt)
	finished := make(chan struct{})
	go func() {
		select {
		case <-interrupt:
			r.Stop()
		case <-finished:
		}
	}()
	if isTerminal(stderr) {
		go showProgress(r, stderr, finished)
	}
	res := r.Wait()
	close(finished)
	if isTerminal(stderr) {
		fmt.Fprint(stderr, "\r\033[K")
	}

	if f.histLog != "" {
		if err := writeHistLog(f.histLog, res); err != nil {
			fmt.Fprintf(stderr, "h1 load: %v\n", err)
		}
	}
	if f.json {
		writeJSON(stdout, loadReport(res, &cfg, f.args[0]))
	} else {
		printSummary(stdout, res, &cfg, f.args[0])
	}
	if res.Connects == 0 {
		fmt.Fprintf(stderr, "h1 load: no connection to %s succeeded\n", f.args[0])
		return exitConnect
	}
	return exitOK
}

func loadUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "h1 load: %s\n\n%s", msg, loadUsage)
	return exitUsage
}

// isTerminal reports whether w is a terminal, where a live progress line
// makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// showProgress rewrites one line on w every second until done is closed.
func showProgress(r *load.Runner, w io.Writer, done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var last load.Progress
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		p := r.Progress()
		rps := float64(p.Requests-last.Requests) / (p.Elapsed - last.Elapsed).Seconds()
		fmt.Fprintf(w, "\r\033[K  %4.0fs  %d requests  %.0f req/s  %s/s  %d errors",
			p.Elapsed.Seconds(), p.Requests, rps,
			formatBytes(float64(p.Bytes-last.Bytes)/(p.Elapsed-last.Elapsed).Seconds()), p.Errors)
		last = p
	}
}

func writeHistLog(name string, res *load.Result) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := load.WriteLog(f, res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadErrors is the JSON of the errors: one count per kind and the total.
type loadErrors struct {
	load.Errors
	Total int64 `json:"total"`
}

// loadJSON is the --json report. The first five keys are the contract
// other tools read; the rest is extra.
type loadJSON struct {
	Requests       int64            `json:"requests"`
	DurationS      float64          `json:"duration_s"`
	RPS            float64          `json:"rps"`
	Errors         loadErrors       `json:"errors"`
	Latency        load.Percentiles `json:"latency_us"`
	LatencyMeanUS  float64          `json:"latency_mean_us"`
	LatencyStdevUS float64          `json:"latency_stdev_us"`
	Bytes          int64            `json:"bytes"`
	BytesPerS      float64          `json:"bytes_per_s"`
	Sent           int64            `json:"sent"`
	Lost           int64            `json:"lost"`
	Connects       int64            `json:"connects"`
	Connections    int              `json:"connections"`
	Pipeline       int              `json:"pipeline"`
	Rate           float64          `json:"rate"`
	Loops          int              `json:"loops"`
	URL            string           `json:"url"`
}

func loadReport(res *load.Result, cfg *load.Config, url string) loadJSON {
	return loadJSON{
		Requests:       res.Requests,
		DurationS:      res.Duration.Seconds(),
		RPS:            res.RPS(),
		Errors:         loadErrors{res.Errors, res.Errors.Total()},
		Latency:        load.PercentilesOf(res.Latency),
		LatencyMeanUS:  res.Latency.Mean(),
		LatencyStdevUS: res.Latency.StdDev(),
		Bytes:          res.Bytes,
		BytesPerS:      res.BytesPerSecond(),
		Sent:           res.Sent,
		Lost:           res.Lost,
		Connects:       res.Connects,
		Connections:    cfg.Connections,
		Pipeline:       cfg.Pipeline,
		Rate:           cfg.Rate,
		Loops:          cfg.Loops,
		URL:            url,
	}
}

// printSummary prints a wrk-like report.
func printSummary(w io.Writer, res *load.Result, cfg *load.Config, url string) {
	mode := "closed loop"
	if cfg.Rate > 0 {
		mode = fmt.Sprintf("constant rate %.0f req/s", cfg.Rate)
	}
	fmt.Fprintf(w, "Running %s test @ %s\n", cfg.Duration, url)
	fmt.Fprintf(w, "  %d connections, pipeline %d, %d loop(s), %s\n", cfg.Connections, cfg.Pipeline, max(cfg.Loops, 1), mode)
	printLatency(w, load.PercentilesOf(res.Latency), res.Latency.Mean())
	fmt.Fprintf(w, "  %d requests in %.2fs, %s read\n", res.Requests, res.Duration.Seconds(), formatBytes(float64(res.Bytes)))
	printErrors(w, res.Errors)
	if res.Lost > 0 {
		fmt.Fprintf(w, "  %d of %d requests sent got no response\n", res.Lost, res.Sent)
	}
	fmt.Fprintf(w, "Requests/sec: %10.2f\n", res.RPS())
	fmt.Fprintf(w, "Transfer/sec: %10s\n", formatBytes(res.BytesPerSecond()))
}

func printLatency(w io.Writer, p load.Percentiles, mean float64) {
	fmt.Fprintf(w, "  Latency %10s %10s %10s %10s %10s %10s\n", "mean", "p50", "p90", "p99", "p99.9", "max")
	fmt.Fprintf(w, "          %10s %10s %10s %10s %10s %10s\n", formatMicros(int64(mean)),
		formatMicros(p.P50), formatMicros(p.P90), formatMicros(p.P99), formatMicros(p.P999), formatMicros(p.Max))
}

func printErrors(w io.Writer, e load.Errors) {
	if e.Total() == 0 {
		return
	}
	fmt.Fprintf(w, "  Errors: connect %d, read %d, write %d, timeout %d, status>=400 %d, parse %d (total %d)\n",
		e.Connect, e.Read, e.Write, e.Timeout, e.Status, e.Parse, e.Total())
}

// formatMicros prints a latency in the unit that suits it.
func formatMicros(us int64) string {
	switch {
	case us < 1000:
		return fmt.Sprintf("%dus", us)
	case us < 1000_000:
		return fmt.Sprintf("%.2fms", float64(us)/1e3)
	}
	return fmt.Sprintf("%.2fs", float64(us)/1e6)
}

// formatBytes prints a byte count in binary units, as wrk does.
func formatBytes(n float64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	return fmt.Sprintf("%.2f%s", n, units[i])
}

// runMerge merges histogram logs and prints the combined report.
func runMerge(f *loadFlags, stdout, stderr io.Writer) int {
	if len(f.args) == 0 {
		return loadUsageError(stderr, "--merge needs at least one histogram log")
	}
	var readers []io.Reader
	for _, name := range f.args {
		fh, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "h1 load: %v\n", err)
			return exitUsage
		}
		defer fh.Close()
		readers = append(readers, fh)
	}
	m, err := load.ReadLogs(readers...)
	if err != nil {
		fmt.Fprintf(stderr, "h1 load: %v\n", err)
		return exitUsage
	}
	p := load.PercentilesOf(m.Latency)
	if f.json {
		writeJSON(stdout, mergeJSON{
			Requests:      m.Requests,
			DurationS:     m.Duration.Seconds(),
			RPS:           m.RPS,
			Errors:        loadErrors{m.Errors, m.Errors.Total()},
			Latency:       p,
			LatencyMeanUS: m.Latency.Mean(),
			Bytes:         m.Bytes,
			Runs:          m.Runs,
			Files:         f.args,
		})
		return exitOK
	}
	fmt.Fprintf(stdout, "Merged %d run(s) from %s\n", m.Runs, strings.Join(f.args, ", "))
	printLatency(stdout, p, m.Latency.Mean())
	fmt.Fprintf(stdout, "  %d requests, %s read, longest run %.2fs\n", m.Requests, formatBytes(float64(m.Bytes)), m.Duration.Seconds())
	printErrors(stdout, m.Errors)
	fmt.Fprintf(stdout, "Requests/sec: %10.2f (sum of the runs' rates)\n", m.RPS)
	return exitOK
}

// mergeJSON is the --merge --json report, with the same first keys as a
// run's.
type mergeJSON struct {
	Requests      int64            `json:"requests"`
	DurationS     float64          `json:"duration_s"`
	RPS           float64          `json:"rps"`
	Errors        loadErrors       `json:"errors"`
	Latency       load.Percentiles `json:"latency_us"`
	LatencyMeanUS float64          `json:"latency_mean_us"`
	Bytes         int64            `json:"bytes"`
	Runs          int              `json:"runs"`
	Files         []string         `json:"files"`
}
