package load

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

func resultWith(values []int64, errs Errors, d time.Duration) *Result {
	r := &Result{Latency: newHistogram(), Duration: d, Errors: errs, Start: time.Unix(1_700_000_000, 0)}
	for _, v := range values {
		_ = r.Latency.RecordValue(v)
	}
	r.Requests = int64(len(values))
	r.Sent = r.Requests
	r.Bytes = 100 * r.Requests
	return r
}

// Two runs' logs merge into the histogram of all their values, with
// their counts and errors added up.
func TestLogsMerge(t *testing.T) {
	var a, b, all []int64
	for i := int64(1); i <= 1000; i++ {
		a = append(a, i*10)       // 10 µs … 10 ms
		b = append(b, 20_000+i*7) // 20 ms … 27 ms
	}
	all = append(append(all, a...), b...)
	var la, lb bytes.Buffer
	if err := WriteLog(&la, resultWith(a, Errors{Connect: 1, Status: 2}, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := WriteLog(&lb, resultWith(b, Errors{Timeout: 3}, 5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(la.String(), "#[Histogram log format version 1.3]\n") {
		t.Errorf("log starts %q; want the format version", la.String()[:40])
	}
	m, err := ReadLogs(&la, &lb)
	if err != nil {
		t.Fatal(err)
	}
	want := PercentilesOf(resultWith(all, Errors{}, time.Second).Latency)
	if got := PercentilesOf(m.Latency); got != want {
		t.Errorf("merged percentiles %+v; want %+v", got, want)
	}
	if m.Runs != 2 || m.Requests != 2000 || m.Bytes != 200_000 || m.Errors != (Errors{Connect: 1, Status: 2, Timeout: 3}) {
		t.Errorf("merged runs %d, requests %d, bytes %d, errors %+v", m.Runs, m.Requests, m.Bytes, m.Errors)
	}
	if m.Duration != 10*time.Second || m.RPS != 100+200 {
		t.Errorf("merged duration %v, rps %v; want 10s, 300", m.Duration, m.RPS)
	}
}

// A log without h1's summary (from another HdrHistogram tool) counts its
// histogram's values.
func TestLogWithoutSummary(t *testing.T) {
	var l bytes.Buffer
	if err := WriteLog(&l, resultWith([]int64{5, 6, 7, 8}, Errors{}, 2*time.Second)); err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(l.String(), "\n") {
		switch {
		case strings.HasPrefix(line, logSummary):
		case line != "" && line[0] >= '0' && line[0] <= '9':
			kept = append(kept, "Tag=x,"+line)
		default:
			kept = append(kept, line)
		}
	}
	m, err := ReadLogs(strings.NewReader(strings.Join(kept, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if m.Requests != 4 || m.RPS != 2 || m.Latency.Max() != 8 {
		t.Errorf("requests %d, rps %v, max %d; want 4, 2, 8", m.Requests, m.RPS, m.Latency.Max())
	}
	for _, bad := range []string{"", "# only comments\n", "1,2,3\n", "0,1,2,notbase64\n"} {
		if _, err := ReadLogs(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadLogs(%q) = nil error; want one", bad)
		}
	}
}

// A run of a little over two seconds has three intervals, which add up
// to the run; its log holds one line per interval, which HdrHistogram's
// own reader (hdrhistogram-go's) reads back.
func TestIntervalsAndTheirLog(t *testing.T) {
	srv, count := countingServer(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n%10 == 0 {
			w.WriteHeader(http.StatusNotFound)
		}
	})
	res, err := Run(Config{Target: target(t, srv.URL+"/"), Connections: 2, Rate: 400, Duration: 2200 * time.Millisecond, Loops: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Intervals) != 3 {
		t.Fatalf("%d intervals; want 3 for a 2.2 s run", len(res.Intervals))
	}
	var sum Interval
	for i, iv := range res.Intervals {
		if iv.Start != time.Duration(i)*time.Second || (i < 2 && iv.Length != time.Second) || iv.Length <= 0 {
			t.Errorf("interval %d: start %v, length %v; want %ds, 1s", i, iv.Start, iv.Length, i)
		}
		h, err := hdrhistogram.Decode(iv.Histogram)
		if err != nil || h.TotalCount() != iv.Requests || PercentilesOf(h) != iv.Latency {
			t.Errorf("interval %d: histogram %v (%v), %d requests, %+v; want one value per request", i, h, err, iv.Requests, iv.Latency)
		}
		sum.Requests += iv.Requests
		sum.Bytes += iv.Bytes
		sum.Errors.add(iv.Errors)
	}
	if sum.Requests != res.Requests || sum.Bytes != res.Bytes || sum.Errors != res.Errors || res.Errors.Status == 0 || count.Load() != res.Requests {
		t.Errorf("intervals add up to %d requests, %d bytes, errors %+v; the run has %d, %d, %+v (server %d)",
			sum.Requests, sum.Bytes, sum.Errors, res.Requests, res.Bytes, res.Errors, count.Load())
	}

	var log bytes.Buffer
	if err := WriteLog(&log, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#[Histogram log format version 1.3]\n", "#[StartTime: ", "#[BaseTime: ", "\n" + logLegend + "\n0.000,1.000,", "\n1.000,1.000,", "\n2.000,0."} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	rd := hdrhistogram.NewHistogramLogReader(bytes.NewReader(log.Bytes()))
	var n, total int64
	for {
		h, err := rd.NextIntervalHistogram()
		if err != nil {
			t.Fatal(err)
		}
		if h == nil {
			break
		}
		if want := res.Start.UnixMilli() + n*1000; h.StartTimeMs() < want-1 || h.StartTimeMs() > want+1 {
			t.Errorf("interval %d starts at %d ms; want %d", n, h.StartTimeMs(), want)
		}
		n++
		total += h.TotalCount()
	}
	if n != 3 || total != res.Requests {
		t.Errorf("hdrhistogram-go read %d intervals, %d values; want 3, %d", n, total, res.Requests)
	}
	m, err := ReadLogs(bytes.NewReader(log.Bytes()))
	if err != nil || m.Runs != 1 || m.Intervals != 3 || m.Requests != res.Requests || m.Errors != res.Errors {
		t.Errorf("ReadLogs = %+v, %v; want 1 run of 3 intervals, %d requests, errors %+v", m, err, res.Requests, res.Errors)
	}
}

// A log that hdrhistogram-go's writer made merges too: its values are the
// requests.
func TestReadLogOfHdrHistogramWriter(t *testing.T) {
	var log bytes.Buffer
	lw := hdrhistogram.NewHistogramLogWriter(&log)
	if err := lw.OutputLogFormatVersion(); err != nil {
		t.Fatal(err)
	}
	_ = lw.OutputStartTime(1_700_000_000_000)
	_ = lw.OutputLegend()
	for i := range 3 {
		h := newHistogram()
		for v := int64(1); v <= 100; v++ {
			_ = h.RecordValue(v * int64(i+1))
		}
		h.SetStartTimeMs(int64(i) * 1000)
		h.SetEndTimeMs(int64(i+1) * 1000)
		if err := lw.OutputIntervalHistogram(h); err != nil {
			t.Fatal(err)
		}
	}
	m, err := ReadLogs(&log)
	if err != nil {
		t.Fatal(err)
	}
	if m.Runs != 1 || m.Intervals != 3 || m.Requests != 300 || m.Latency.Max() != 300 {
		t.Errorf("runs %d, intervals %d, requests %d, max %d; want 1, 3, 300, 300", m.Runs, m.Intervals, m.Requests, m.Latency.Max())
	}
}
