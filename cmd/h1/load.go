package main

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/h1dev/h1/load"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
	"golang.org/x/sys/unix"
)

const loadUsage = `usage: h1 load -c CONNS (--duration D | --requests N) [-p PIPELINE]
               [-R RATE | -R START:END:RAMP] [-X METHOD] [-d DATA | -d @FILE]
               [-H 'Name: value']... [--targets FILE [--targets-order seq|random]
               [--seed N]] [--cacert FILE | --insecure] [--timeout D]
               [--hist-log FILE] [--report FILE.html|FILE.svg] [--loops N]
               [--json] [URL]
       h1 load --merge [--json] FILE...

Sends requests to an http:// or https:// URL (or the requests of a targets
file) over CONNS kept-alive connections, and prints requests/s, bytes/s,
latency percentiles, TLS handshakes and errors by kind.

  -c CONNS          connections to keep open (required)
  -D, --duration D  how long to send: 10s, 1m, or seconds
  --requests N      stop after N requests (with --duration: whichever
                    comes first); one of the two is required, except
                    with a ramp, whose length is then the duration
  -p PIPELINE       requests in flight per connection (default 1)
  -R RATE           total requests/s at a constant rate; latency counts
                    from when each request was due (default: as fast as
                    the server answers)
  -R START:END:RAMP a linear ramp from START to END requests/s over RAMP
                    (100:1000:10s), then END until the run ends
  -X, -m METHOD     the request method (default GET, or POST with -d)
  -d DATA, -d @FILE the request body: DATA as is, or FILE's content
                    (before 2026-12 -d was the duration: use --duration)
  -H 'Name: value'  add a request header (repeatable; with --targets, to
                    every target)
  --targets FILE    requests in vegeta's plain format: "METHOD URL", then
                    "Name: value" lines, then an optional "@BODYFILE"
                    line; a blank line between targets; all on one
                    scheme, host and port
  --targets-order O seq (default): in turn; random: picked at random
  --seed N          the seed of random order (default 1)
  --cacert FILE     https: trust the PEM certificates in FILE only
  --insecure        https: do not verify the server's certificate
  --timeout D       give up on a request or a connect after D (default 2s)
  --hist-log FILE   write the latencies as an HdrHistogram interval log,
                    one interval per second
  --report FILE     write a report: FILE.html (charts, self-contained) or
                    FILE.svg
  --loops N         epoll loops (goroutines) sharing the connections
                    (default 1)
  --json            print one JSON object instead of the summary
  --merge FILE...   merge histogram logs of several runs and print the
                    combined percentiles

Exit status: 0 done, 1 usage or bad input (including a server whose
certificate is refused), 7 cannot connect to the URL at all.
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
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

// parseDuration reads a Go duration ("10s", "1m30s") or seconds ("2.5").
func parseDuration(s string) (time.Duration, error) {
	var d time.Duration
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		d = time.Duration(n * float64(time.Second))
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, fmt.Errorf("not a duration: %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration: %q", s)
	}
	return d, nil
}

// rateFlag takes RATE or START:END:RAMP.
type rateFlag struct {
	start, end *float64
	ramp       *time.Duration
}

func (f rateFlag) String() string { return "" }

func (f rateFlag) Set(s string) error {
	parts := strings.Split(s, ":")
	switch len(parts) {
	case 1:
		r, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("not a rate: %q", s)
		}
		*f.start = r
		return nil
	case 3:
		a, err1 := strconv.ParseFloat(parts[0], 64)
		b, err2 := strconv.ParseFloat(parts[1], 64)
		d, err3 := parseDuration(parts[2])
		if err1 != nil || err2 != nil || err3 != nil || a <= 0 || b <= 0 || d <= 0 {
			return fmt.Errorf("not a ramp START:END:DURATION with positive parts: %q", s)
		}
		*f.start, *f.end, *f.ramp = a, b, d
		return nil
	}
	return fmt.Errorf("not RATE or START:END:DURATION: %q", s)
}

// bodyFlag takes -d DATA or -d @FILE; the file is read after parsing.
type bodyFlag struct {
	data *string
	set  *bool
}

func (f bodyFlag) String() string { return "" }

func (f bodyFlag) Set(s string) error {
	*f.data, *f.set = s, true
	return nil
}

type loadFlags struct {
	conns, pipeline, loops int
	requests               int64
	duration, timeout      time.Duration
	rate, rateEnd          float64
	ramp                   time.Duration
	json, merge            bool
	headers                headerList
	method, data           string
	hasData                bool
	targets, order         string
	seed                   uint64
	cacert                 string
	insecure               bool
	histLog, report        string
	args                   []string
}

// parseLoadFlags parses flags and positional arguments in any order.
func parseLoadFlags(args []string) (*loadFlags, error) {
	f := &loadFlags{pipeline: 1, loops: 1, timeout: load.DefaultTimeout, order: "seq", seed: 1}
	fs := flag.NewFlagSet("h1 load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&f.conns, "c", 0, "")
	fs.Var(durationFlag{&f.duration}, "duration", "")
	fs.Var(durationFlag{&f.duration}, "D", "")
	fs.Int64Var(&f.requests, "requests", 0, "")
	fs.IntVar(&f.pipeline, "p", 1, "")
	fs.Var(rateFlag{&f.rate, &f.rateEnd, &f.ramp}, "R", "")
	fs.StringVar(&f.method, "X", "", "")
	fs.StringVar(&f.method, "m", "", "")
	fs.Var(bodyFlag{&f.data, &f.hasData}, "d", "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.Var(&f.headers, "H", "")
	fs.StringVar(&f.targets, "targets", "", "")
	fs.StringVar(&f.order, "targets-order", "seq", "")
	fs.Uint64Var(&f.seed, "seed", 1, "")
	fs.StringVar(&f.cacert, "cacert", "", "")
	fs.BoolVar(&f.insecure, "insecure", false, "")
	fs.Var(durationFlag{&f.timeout}, "timeout", "")
	fs.StringVar(&f.histLog, "hist-log", "", "")
	fs.StringVar(&f.report, "report", "", "")
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

// oldDuration matches what the old -d DURATION took: "10s", "1m", "30".
var oldDuration = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h)?$`)

// loadSetup turns the flags into a configuration, or says what is wrong
// with them. It reads the files the flags name (body, targets, CA).
func loadSetup(f *loadFlags) (load.Config, string, error) {
	var cfg load.Config
	if f.targets == "" && len(f.args) != 1 {
		return cfg, "", errors.New("one URL (or --targets FILE) is needed")
	}
	if f.targets != "" && len(f.args) > 0 {
		return cfg, "", errors.New("--targets and a URL do not go together")
	}
	if f.hasData && f.method == "" && f.duration == 0 && f.requests == 0 && oldDuration.MatchString(f.data) {
		return cfg, "", fmt.Errorf("-d is the request body now, and %q looks like the old -d DURATION: use --duration %s (or add -X POST to send it as a body)", f.data, f.data)
	}
	if f.ramp > 0 && f.duration == 0 && f.requests == 0 {
		f.duration = f.ramp
	}
	switch {
	case f.conns < 1:
		return cfg, "", errors.New("-c must be at least 1")
	case f.duration <= 0 && f.requests <= 0:
		return cfg, "", errors.New("--duration or --requests is needed (-d is the request body)")
	case f.requests < 0:
		return cfg, "", errors.New("--requests must not be negative")
	case f.pipeline < 1 || f.pipeline > load.MaxPipeline:
		return cfg, "", fmt.Errorf("-p must be 1–%d", load.MaxPipeline)
	case f.rate < 0:
		return cfg, "", errors.New("-R must not be negative")
	case f.timeout <= 0:
		return cfg, "", errors.New("--timeout must be positive")
	case f.loops < 1:
		return cfg, "", errors.New("--loops must be at least 1")
	case f.order != "seq" && f.order != "random":
		return cfg, "", fmt.Errorf("--targets-order must be seq or random, not %q", f.order)
	case f.targets != "" && (f.method != "" || f.hasData):
		return cfg, "", errors.New("-X and -d do not go with --targets: the file gives each request's method and body")
	case f.report != "" && !strings.HasSuffix(f.report, ".html") && !strings.HasSuffix(f.report, ".svg"):
		return cfg, "", fmt.Errorf("--report %s: the name must end in .html or .svg", f.report)
	}
	var targets []load.Target
	url := ""
	if f.targets != "" {
		var err error
		if targets, err = load.ReadTargetsFile(f.targets); err != nil {
			return cfg, "", inputError{err}
		}
		url = f.targets
		for i := range targets {
			targets[i].Headers = append(targets[i].Headers, f.headers...)
		}
	} else {
		url = f.args[0]
		t, err := load.ParseURL(url)
		if err != nil {
			return cfg, "", err
		}
		t.Headers = f.headers
		t.Method = f.method
		if f.hasData {
			if name, ok := strings.CutPrefix(f.data, "@"); ok {
				if t.Body, err = os.ReadFile(name); err != nil {
					return cfg, "", inputError{fmt.Errorf("-d @%s: %w", name, unwrapPathError(err))}
				}
			} else {
				t.Body = []byte(f.data)
			}
			if t.Method == "" {
				t.Method = "POST"
			}
		}
		targets = []load.Target{t}
	}
	cfg = load.Config{
		Targets:     targets,
		Connections: f.conns,
		Pipeline:    f.pipeline,
		Rate:        f.rate,
		RateEnd:     f.rateEnd,
		Ramp:        f.ramp,
		Duration:    f.duration,
		Requests:    f.requests,
		Timeout:     f.timeout,
		Loops:       f.loops,
		Seed:        f.seed,
	}
	if f.order == "random" {
		cfg.Order = load.OrderRandom
	}
	if targets[0].TLS {
		var roots *x509.CertPool
		if f.cacert != "" && !f.insecure {
			pem, err := os.ReadFile(f.cacert)
			if err != nil {
				return cfg, "", inputError{fmt.Errorf("--cacert %s: %w", f.cacert, unwrapPathError(err))}
			}
			roots = x509.NewCertPool()
			if !roots.AppendCertsFromPEM(pem) {
				return cfg, "", inputError{fmt.Errorf("--cacert %s: no PEM certificate in it", f.cacert)}
			}
		}
		if f.insecure {
			cfg.TLS = tlsx.ClientUnsafe(nil)
		} else {
			cfg.TLS = tlsx.Client(roots, "")
		}
	}
	return cfg, url, nil
}

// inputError is a file or a server that the flags name and that cannot be
// used: it is reported without the usage text.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

// unwrapPathError drops the *os.PathError around err when the caller
// names the file already.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
	cfg, url, err := loadSetup(f)
	if err != nil {
		return loadSetupError(stderr, err)
	}
	r, err := load.Start(cfg)
	switch {
	case errors.Is(err, load.ErrNoConnection):
		fmt.Fprintf(stderr, "h1 load: %v\n", err)
		return exitConnect
	case errors.Is(err, load.ErrTLS):
		fmt.Fprintf(stderr, "h1 load: %v\n", err)
		if errors.Is(err, tlsx.ErrUnknownAuthority) && !f.insecure {
			fmt.Fprintf(stderr, "h1 load: trust the server's CA with --cacert FILE, or skip the check with --insecure\n")
		}
		return exitUsage
	case err != nil:
		return loadSetupError(stderr, err)
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
	cfg = r.Config()

	if f.histLog != "" {
		if err := writeHistLog(f.histLog, res); err != nil {
			fmt.Fprintf(stderr, "h1 load: %v\n", err)
		}
	}
	if f.report != "" {
		if err := writeReport(f.report, res, &cfg, url); err != nil {
			fmt.Fprintf(stderr, "h1 load: %v\n", err)
		}
	}
	if f.json {
		writeJSON(stdout, loadReport(res, &cfg, url))
	} else {
		printSummary(stdout, res, &cfg, url)
	}
	if res.Connects == 0 {
		fmt.Fprintf(stderr, "h1 load: no connection to %s succeeded\n", url)
		return exitConnect
	}
	return exitOK
}

// loadSetupError reports err, with the usage text unless it is about a
// file or a server rather than the flags.
func loadSetupError(stderr io.Writer, err error) int {
	var ie inputError
	if errors.As(err, &ie) {
		fmt.Fprintf(stderr, "h1 load: %v\n", err)
		return exitUsage
	}
	return loadUsageError(stderr, err.Error())
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

// writeReport writes the HTML or SVG report, by the name's extension.
func writeReport(name string, res *load.Result, cfg *load.Config, title string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if strings.HasSuffix(name, ".svg") {
		err = load.WriteSVGReport(f, res, cfg, title)
	} else {
		err = load.WriteHTMLReport(f, res, cfg, title)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
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
	RateEnd        float64          `json:"rate_end,omitempty"`
	RampS          float64          `json:"ramp_s,omitempty"`
	Loops          int              `json:"loops"`
	URL            string           `json:"url"`
	Targets        int              `json:"targets"`
	TLS            *handshakesJSON  `json:"tls_handshakes,omitempty"`
}

// handshakesJSON describes an https run's TLS handshakes, which are not
// part of latency_us.
type handshakesJSON struct {
	Count   int64            `json:"count"`
	Resumed int64            `json:"resumed"`
	MeanUS  float64          `json:"mean_us"`
	Latency load.Percentiles `json:"latency_us"`
}

func handshakesOf(res *load.Result, cfg *load.Config) *handshakesJSON {
	if !cfg.Target.TLS {
		return nil
	}
	h := res.Handshakes
	return &handshakesJSON{Count: h.Count, Resumed: h.Resumed, MeanUS: h.Latency.Mean(), Latency: load.PercentilesOf(h.Latency)}
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
		RateEnd:        cfg.RateEnd,
		RampS:          cfg.Ramp.Seconds(),
		Loops:          cfg.Loops,
		URL:            url,
		Targets:        len(cfg.Targets),
		TLS:            handshakesOf(res, cfg),
	}
}

// printSummary prints a wrk-like report.
func printSummary(w io.Writer, res *load.Result, cfg *load.Config, url string) {
	mode := "closed loop"
	if cfg.Rate > 0 {
		mode = fmt.Sprintf("constant rate %.0f req/s", cfg.Rate)
	}
	if cfg.Ramp > 0 {
		mode = fmt.Sprintf("rate ramp %.0f to %.0f req/s over %s", cfg.Rate, cfg.RateEnd, cfg.Ramp)
	}
	switch {
	case cfg.Duration > 0:
		fmt.Fprintf(w, "Running %s test @ %s\n", cfg.Duration, url)
	default:
		fmt.Fprintf(w, "Running %d requests test @ %s\n", cfg.Requests, url)
	}
	fmt.Fprintf(w, "  %d connections, pipeline %d, %d loop(s), %s\n", cfg.Connections, cfg.Pipeline, max(cfg.Loops, 1), mode)
	printLatency(w, load.PercentilesOf(res.Latency), res.Latency.Mean())
	fmt.Fprintf(w, "  %d requests in %.2fs, %s read\n", res.Requests, res.Duration.Seconds(), formatBytes(float64(res.Bytes)))
	if h := res.Handshakes; cfg.Target.TLS {
		p := load.PercentilesOf(h.Latency)
		fmt.Fprintf(w, "  TLS handshakes: %d (%d resumed), mean %s, p99 %s, max %s (not in the latency above)\n",
			h.Count, h.Resumed, formatMicros(int64(h.Latency.Mean())), formatMicros(p.P99), formatMicros(p.Max))
	}
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
	fmt.Fprintf(w, "  Errors: connect %d, tls %d, read %d, write %d, timeout %d, status>=400 %d, parse %d (total %d)\n",
		e.Connect, e.TLS, e.Read, e.Write, e.Timeout, e.Status, e.Parse, e.Total())
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
			Intervals:     m.Intervals,
			Files:         f.args,
		})
		return exitOK
	}
	fmt.Fprintf(stdout, "Merged %d run(s), %d interval(s), from %s\n", m.Runs, m.Intervals, strings.Join(f.args, ", "))
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
	Intervals     int              `json:"intervals"`
	Files         []string         `json:"files"`
}
