package load

import (
	"bytes"
	"strings"
	"testing"
	"time"
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
