package load

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// The histogram log is HdrHistogram's interval log format (version 1.3),
// as its Java and Go writers produce it: comment lines start with '#', a
// "#[StartTime: ...]" and a "#[BaseTime: ...]" line give the run's start
// in seconds since the epoch, a legend line starts with '"', and each
// interval line reads "start,length,max,payload": start is in seconds
// from the base time, length in seconds, max in milliseconds and payload
// is the base64 of the histogram's compressed V2 encoding, with values in
// microseconds. WriteLog writes one interval per second of the run, after
// a comment that HdrHistogram's tools ignore and ReadLogs reads: the
// run's counts, which the histograms alone do not carry.

const (
	logVersion = "#[Histogram log format version 1.3]"
	logLegend  = `"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"`
	logSummary = "#[h1 load:"
)

// WriteLog writes res as a histogram log: one interval per interval of
// the run (Result.Intervals), or a single one for the whole run when res
// has none. Logs from several runs, or several machines, merge with
// ReadLogs.
func WriteLog(w io.Writer, res *Result) error {
	start := float64(res.Start.UnixMilli()) / 1000
	e := res.Errors
	var b bytes.Buffer
	fmt.Fprintln(&b, logVersion)
	fmt.Fprintf(&b, "#[StartTime: %.3f (seconds since epoch), %s]\n", start, res.Start.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "#[BaseTime: %.3f (seconds since epoch)]\n", start)
	fmt.Fprintf(&b, "%s requests=%d sent=%d lost=%d bytes=%d duration_s=%.6f connect=%d read=%d write=%d timeout=%d status=%d parse=%d tls=%d handshakes=%d resumed=%d]\n",
		logSummary, res.Requests, res.Sent, res.Lost, res.Bytes, res.Duration.Seconds(),
		e.Connect, e.Read, e.Write, e.Timeout, e.Status, e.Parse, e.TLS, res.Handshakes.Count, res.Handshakes.Resumed)
	fmt.Fprintln(&b, "#[Latency unit: microseconds; Interval_Max in milliseconds]")
	fmt.Fprintln(&b, logLegend)
	if len(res.Intervals) == 0 {
		payload, err := res.Latency.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%.3f,%.3f,%.3f,%s\n", 0.0, res.Duration.Seconds(), float64(res.Latency.Max())/1000, payload)
	}
	for i := range res.Intervals {
		iv := &res.Intervals[i]
		fmt.Fprintf(&b, "%.3f,%.3f,%.3f,%s\n", iv.Start.Seconds(), iv.Length.Seconds(), float64(iv.Latency.Max)/1000, iv.Histogram)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Merged is the sum of several runs' histogram logs.
type Merged struct {
	// Runs counts the runs read: one per log.
	Runs int
	// Intervals counts the interval histograms read.
	Intervals int
	// Latency holds every run's latencies, in microseconds.
	Latency *hdrhistogram.Histogram
	// Requests and Bytes add up the runs' counts; a run whose log has no
	// h1 summary counts its histogram's values as its requests.
	Requests int64
	Bytes    int64
	// Errors adds up the runs' errors (known only from h1 logs).
	Errors Errors
	// Duration is the longest run.
	Duration time.Duration
	// RPS adds up the runs' rates: the rate of runs that ran at the same
	// time, from several machines.
	RPS float64
}

// ReadLogs reads histogram logs, each the log of one run holding one or
// more intervals, and merges them. A log that HdrHistogram's own writers
// made (without h1's summary) counts the values of its histograms as its
// requests and the span of its intervals as its duration.
func ReadLogs(logs ...io.Reader) (*Merged, error) {
	m := &Merged{Latency: newHistogram()}
	for i, r := range logs {
		if err := m.read(r); err != nil {
			return nil, fmt.Errorf("h1: histogram log %d: %w", i+1, err)
		}
	}
	return m, nil
}

// summary is what an h1 summary comment says about the interval after it.
type summary struct {
	requests, bytes int64
	errors          Errors
	duration        float64
}

func (m *Merged) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var (
		sum        *summary
		count      int64
		intervals  int
		first, end float64
	)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "" || s[0] == '"':
			continue
		case strings.HasPrefix(s, logSummary):
			got, err := parseSummary(s)
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			sum = &got
			continue
		case s[0] == '#':
			continue
		}
		if strings.HasPrefix(s, "Tag=") {
			_, s, _ = strings.Cut(s, ",")
		}
		f := strings.SplitN(s, ",", 4)
		if len(f) != 4 {
			return fmt.Errorf("line %d: not an interval line", line)
		}
		start, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return fmt.Errorf("line %d: interval start: %w", line, err)
		}
		length, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return fmt.Errorf("line %d: interval length: %w", line, err)
		}
		h, err := hdrhistogram.Decode([]byte(f[3]))
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if dropped := m.Latency.Merge(h); dropped > 0 {
			return fmt.Errorf("line %d: %d values beyond one hour", line, dropped)
		}
		if intervals == 0 || start < first {
			first = start
		}
		end = max(end, start+length)
		intervals++
		count += h.TotalCount()
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if intervals == 0 {
		return fmt.Errorf("no interval histogram")
	}
	m.Runs++
	m.Intervals += intervals
	run := summary{requests: count, duration: end - first}
	if sum != nil {
		run = *sum
	}
	m.Requests += run.requests
	m.Bytes += run.bytes
	m.Errors.add(run.errors)
	m.Duration = max(m.Duration, time.Duration(run.duration*float64(time.Second)))
	if run.duration > 0 {
		m.RPS += float64(run.requests) / run.duration
	}
	return nil
}

// parseSummary reads the key=value pairs of an h1 summary comment.
func parseSummary(s string) (summary, error) {
	var sum summary
	s = strings.TrimSuffix(strings.TrimPrefix(s, logSummary), "]")
	for _, kv := range strings.Fields(s) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return sum, fmt.Errorf("bad summary field %q", kv)
		}
		if k == "duration_s" {
			d, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return sum, fmt.Errorf("bad summary field %q", kv)
			}
			sum.duration = d
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return sum, fmt.Errorf("bad summary field %q", kv)
		}
		switch k {
		case "requests":
			sum.requests = n
		case "bytes":
			sum.bytes = n
		case "connect":
			sum.errors.Connect = n
		case "read":
			sum.errors.Read = n
		case "write":
			sum.errors.Write = n
		case "timeout":
			sum.errors.Timeout = n
		case "status":
			sum.errors.Status = n
		case "parse":
			sum.errors.Parse = n
		case "tls":
			sum.errors.TLS = n
		}
	}
	return sum, nil
}
