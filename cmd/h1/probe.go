package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/h1dev/h1/probe"
	"github.com/h1dev/h1/tlsx"
)

const probeUsage = `usage: h1 probe [flags] URL
       h1 probe --compare [--mutate N --seed S] [flags] [NAME=]URL [NAME=]URL...

Sends a catalogue of raw requests (compliance, request smuggling,
robustness; each with its RFC 9110/9112 section) to a server, one
connection per case, reads the answers with the strict parser and prints
a table of verdicts. The URL's path ({path} in the cases) should answer
200 to a GET. Nothing is sent anywhere but the URLs given.

  --cases FILE     read the cases from FILE instead of the built-in ones
  --only LIST      run only these case ids or categories (comma-separated)
  --timeout D      per-read timeout of each case, and of its connect and
                   TLS handshake; a case also ends after 4×D in all
                   (default 2s)
  --linger D       how long to listen for a response too many once the
                   awaited ones arrived (default 150ms)
  --insecure       do not verify TLS certificates
  --cacert FILE    trust the PEM certificates in FILE, not the system's
  --json           print one JSON object instead of the table
  --compare        send every case to each URL and report where the
                   servers answer differently (status, number of
                   responses, how the connection ended); NAME= before a
                   URL names its column
  --mutate N       with --compare: also send N mutated variants of the
                   cases (flipped, inserted and deleted bytes, duplicated
                   fields, changed case and whitespace)
  --seed S         seed of the mutations (default 1): the same seed gives
                   the same variants

Exit status: 0 every MUST case passed (with --compare: no divergence),
1 usage or a bad case file, 3 a MUST case failed or errored (with
--compare: the servers diverged), 7 no case could reach the target.
`

// Exit codes of h1 probe beyond exitOK and exitUsage.
const (
	exitFindings = 3
	exitNoTarget = 7
)

type probeFlags struct {
	casesFile, only, cacert string
	timeout, linger         time.Duration
	insecure, json, compare bool
	mutate                  int
	seed                    uint64
	urls                    []string
}

func parseProbeFlags(args []string) (*probeFlags, error) {
	f := &probeFlags{timeout: probe.DefaultReadTimeout, linger: probe.DefaultLinger, seed: 1}
	fs := flag.NewFlagSet("h1 probe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.casesFile, "cases", "", "")
	fs.StringVar(&f.only, "only", "", "")
	fs.StringVar(&f.cacert, "cacert", "", "")
	fs.Var(durationFlag{&f.timeout}, "timeout", "")
	fs.Var(durationFlag{&f.linger}, "linger", "")
	fs.BoolVar(&f.insecure, "insecure", false, "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.BoolVar(&f.compare, "compare", false, "")
	fs.IntVar(&f.mutate, "mutate", 0, "")
	fs.Uint64Var(&f.seed, "seed", 1, "")
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		f.urls = append(f.urls, args[0])
		args = args[1:]
	}
	switch {
	case len(f.urls) == 0:
		return nil, errors.New("a URL is needed")
	case !f.compare && len(f.urls) > 1:
		return nil, errors.New("one URL, or --compare with several")
	case f.compare && len(f.urls) < 2:
		return nil, errors.New("--compare needs at least two URLs")
	case f.mutate < 0:
		return nil, errors.New("--mutate must not be negative")
	case f.mutate > 0 && !f.compare:
		return nil, errors.New("--mutate needs --compare")
	case f.timeout <= 0:
		return nil, errors.New("--timeout must be positive")
	case f.linger <= 0:
		return nil, errors.New("--linger must be positive")
	}
	return f, nil
}

// probeTarget is a parsed URL of the command line.
type probeTarget struct {
	url    string
	label  string // a NAME= before the URL, or A, B, C...
	target probe.Target
	path   string
}

func probeUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "h1 probe: %s\n\n%s", msg, probeUsage)
	return exitUsage
}

// selectCases loads the case file (or the built-in catalogue) and keeps
// those --only names.
func selectCases(f *probeFlags) ([]probe.Case, error) {
	var cases []probe.Case
	if f.casesFile == "" {
		cases = probe.DefaultCases()
	} else {
		b, err := os.ReadFile(f.casesFile)
		if err != nil {
			return nil, fmt.Errorf("--cases: %v", err)
		}
		if cases, err = probe.ParseCases(b); err != nil {
			return nil, fmt.Errorf("--cases %s: %v", f.casesFile, err)
		}
	}
	if f.only == "" {
		return cases, nil
	}
	want := map[string]bool{}
	for _, s := range strings.Split(f.only, ",") {
		want[strings.TrimSpace(s)] = true
	}
	var kept []probe.Case
	for _, c := range cases {
		if want[c.ID] || want[c.Category] {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("--only %q matches no case", f.only)
	}
	return kept, nil
}

func probeOptions(f *probeFlags) (probe.Options, error) {
	o := probe.Options{ReadTimeout: f.timeout, Linger: f.linger, ConnectTimeout: f.timeout}
	switch {
	case f.insecure:
		o.TLS = tlsx.ClientUnsafe(nil)
	case f.cacert != "":
		pem, err := os.ReadFile(f.cacert)
		if err != nil {
			return o, fmt.Errorf("--cacert: %v", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return o, fmt.Errorf("--cacert: no PEM certificate in %s", f.cacert)
		}
		o.TLS = tlsx.Client(roots, "")
	}
	return o, nil
}

func runProbe(args []string, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, probeUsage)
			return exitOK
		}
	}
	f, err := parseProbeFlags(args)
	if err != nil {
		return probeUsageError(stderr, err.Error())
	}
	var targets []probeTarget
	for _, s := range f.urls {
		label := ""
		if l, u, ok := strings.Cut(s, "="); ok && labelRe.MatchString(l) {
			label, s = l, u
		}
		t, err := probe.ParseTarget(s)
		if err != nil {
			return probeUsageError(stderr, err.Error())
		}
		path := "/"
		if u, err := url.Parse(s); err == nil && u.RequestURI() != "" {
			path = u.RequestURI()
		}
		if label == "" {
			label = string(rune('A' + len(targets)))
		}
		targets = append(targets, probeTarget{url: s, label: label, target: t, path: path})
	}
	cases, err := selectCases(f)
	if err != nil {
		fmt.Fprintf(stderr, "h1 probe: %v\n", err)
		return exitUsage
	}
	opts, err := probeOptions(f)
	if err != nil {
		return probeUsageError(stderr, err.Error())
	}
	p := &prober{opts: opts, limit: 4 * f.timeout}
	if f.compare {
		return p.compare(f, targets, cases, stdout)
	}
	return p.single(f, targets[0], cases, stdout)
}

// prober runs cases, each under its own deadline.
type prober struct {
	opts  probe.Options
	limit time.Duration
}

// run sends raw to t, or c's bytes for t when raw is nil, and judges the
// outcome against c when c is not nil.
func (p *prober) run(t probeTarget, c *probe.Case, raw []byte) probe.Result {
	ctx, cancel := context.WithTimeout(context.Background(), p.limit)
	defer cancel()
	if raw == nil && c != nil {
		raw = c.Bytes(t.target.HostHeader(), t.path)
	}
	return probe.RunBytes(ctx, t.target, raw, c, p.opts)
}

// caseJSON is one case of the --json report.
type caseJSON struct {
	ID       string         `json:"id"`
	Category string         `json:"category"`
	RFC      string         `json:"rfc"`
	Level    string         `json:"level"`
	Title    string         `json:"title"`
	Expect   string         `json:"expect"`
	Verdict  probe.Verdict  `json:"verdict"`
	Got      string         `json:"got"`
	Error    string         `json:"error,omitempty"`
	Outcome  *probe.Outcome `json:"outcome,omitempty"`
}

func (p *prober) single(f *probeFlags, t probeTarget, cases []probe.Case, stdout io.Writer) int {
	counts := map[probe.Verdict]int{}
	var rows []caseJSON
	for i := range cases {
		c := &cases[i]
		r := p.run(t, c, nil)
		counts[r.Verdict]++
		row := caseJSON{ID: c.ID, Category: c.Category, RFC: c.RFC, Level: c.Level, Title: c.Title,
			Expect: c.Expect.Text, Verdict: r.Verdict, Got: r.Signature()}
		if r.Err != nil {
			row.Error = r.Err.Error()
		} else {
			row.Outcome = &r.Outcome
		}
		rows = append(rows, row)
	}
	mustFailed := 0
	for _, r := range rows {
		if r.Level == probe.LevelMust && (r.Verdict == probe.Fail || r.Verdict == probe.Error) {
			mustFailed++
		}
	}
	if f.json {
		writeJSON(stdout, map[string]any{
			"target": t.url,
			"cases":  rows,
			"summary": map[string]int{"pass": counts[probe.Pass], "fail": counts[probe.Fail],
				"warn": counts[probe.Warn], "error": counts[probe.Error]},
		})
	} else {
		fmt.Fprintf(stdout, "h1 probe %s (%d cases)\n\n", t.url, len(rows))
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CASE\tCATEGORY\tLEVEL\tRFC\tVERDICT\tGOT\tEXPECTED")
		for _, r := range rows {
			got := r.Got
			if r.Error != "" {
				got = r.Error
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Category, r.Level, r.RFC, r.Verdict, got, r.Expect)
		}
		tw.Flush()
		fmt.Fprintf(stdout, "\n%d pass, %d fail (MUST), %d warn (SHOULD/MAY), %d error\n",
			counts[probe.Pass], counts[probe.Fail], counts[probe.Warn], counts[probe.Error])
	}
	switch {
	case counts[probe.Error] == len(rows):
		return exitNoTarget
	case mustFailed > 0:
		return exitFindings
	}
	return exitOK
}

// compareJSON is one row of the --compare --json report.
type compareJSON struct {
	ID         string   `json:"id"`
	Mutation   []string `json:"mutation,omitempty"`
	Bytes      latin1   `json:"bytes,omitempty"`
	Signatures []string `json:"signatures"`
	Differs    bool     `json:"differs"`
}

func (p *prober) compare(f *probeFlags, targets []probeTarget, cases []probe.Case, stdout io.Writer) int {
	var rows []compareJSON
	errorsOnly := true
	send := func(c *probe.Case, raw []byte, row compareJSON) {
		rs := make([]probe.Result, len(targets))
		for i, t := range targets {
			b := raw
			if b != nil && i > 0 {
				// The variant was rendered for the first target: name each
				// target by its own host.
				b = replaceHost(raw, targets[0].target.HostHeader(), t.target.HostHeader())
			}
			rs[i] = p.run(t, c, b)
			row.Signatures = append(row.Signatures, rs[i].Signature())
			errorsOnly = errorsOnly && rs[i].Err != nil
		}
		row.Differs = probe.Differ(rs)
		rows = append(rows, row)
	}
	for i := range cases {
		send(&cases[i], nil, compareJSON{ID: cases[i].ID})
	}
	for n := range f.mutate {
		c := &cases[n%len(cases)]
		base := c.Bytes(targets[0].target.HostHeader(), targets[0].path)
		raw, ops := probe.Mutate(base, f.seed, n)
		send(nil, raw, compareJSON{ID: fmt.Sprintf("%s~%d", c.ID, n), Mutation: ops, Bytes: latin1(raw)})
	}
	differ := 0
	for _, r := range rows {
		if r.Differs {
			differ++
		}
	}
	if f.json {
		var tj []map[string]string
		for _, t := range targets {
			tj = append(tj, map[string]string{"label": t.label, "url": t.url})
		}
		writeJSON(stdout, map[string]any{"targets": tj, "seed": f.seed, "rows": rows,
			"summary": map[string]int{"rows": len(rows), "differ": differ}})
	} else {
		fmt.Fprintf(stdout, "h1 probe --compare (%d cases, %d mutations, seed %d)\n", len(cases), f.mutate, f.seed)
		for _, t := range targets {
			fmt.Fprintf(stdout, "  %s = %s\n", t.label, t.url)
		}
		fmt.Fprintln(stdout)
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprint(tw, "CASE")
		for _, t := range targets {
			fmt.Fprintf(tw, "\t%s", t.label)
		}
		fmt.Fprintln(tw, "\t")
		for _, r := range rows {
			if r.Mutation != nil && !r.Differs {
				continue // only the divergent variants are worth a line
			}
			fmt.Fprint(tw, r.ID)
			for _, s := range r.Signatures {
				fmt.Fprintf(tw, "\t%s", s)
			}
			mark := ""
			if r.Differs {
				mark = "DIFFERS"
			}
			fmt.Fprintf(tw, "\t%s\n", mark)
		}
		tw.Flush()
		for _, r := range rows {
			if r.Mutation != nil && r.Differs {
				fmt.Fprintf(stdout, "%s: %s: %.120q\n", r.ID, strings.Join(r.Mutation, ", "), []byte(r.Bytes))
			}
		}
		fmt.Fprintf(stdout, "\n%d of %d differ\n", differ, len(rows))
	}
	switch {
	case errorsOnly:
		return exitNoTarget
	case differ > 0:
		return exitFindings
	}
	return exitOK
}

// labelRe is what a NAME= before a --compare URL looks like.
var labelRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.>-]*$`)

// replaceHost names the target host to in a variant made for the host
// from.
func replaceHost(b []byte, from, to string) []byte {
	if from == to {
		return b
	}
	return []byte(strings.ReplaceAll(string(b), from, to))
}
