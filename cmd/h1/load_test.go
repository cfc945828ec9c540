package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func loadServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var count atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		if r.Header.Get("X-Fail") != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_, _ = io.WriteString(w, "load test body")
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

func runLoadArgs(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"load"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// The --json report has the keys other tools read, with numbers in them.
func TestLoadJSONShape(t *testing.T) {
	srv, count := loadServer(t)
	code, out, errOut := runLoadArgs("-c", "2", "-d", "300ms", "-p", "2", "--json", "-H", "X-Fail: yes", srv.URL+"/")
	if code != 0 {
		t.Fatalf("exit %d; want 0 (stderr %q)", code, errOut)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatalf("stdout is not JSON: %v: %q", err, out)
	}
	for _, k := range []string{"requests", "duration_s", "rps"} {
		if _, ok := obj[k].(float64); !ok {
			t.Errorf("%q = %v; want a number", k, obj[k])
		}
	}
	errs, ok := obj["errors"].(map[string]any)
	if !ok {
		t.Fatalf("errors = %v; want an object", obj["errors"])
	}
	if got, want := strings.Join(keys(errs), ","), "connect,parse,read,status,timeout,total,write"; got != want {
		t.Errorf("errors keys = %s; want %s", got, want)
	}
	lat, ok := obj["latency_us"].(map[string]any)
	if !ok {
		t.Fatalf("latency_us = %v; want an object", obj["latency_us"])
	}
	if got, want := strings.Join(keys(lat), ","), "max,p50,p90,p99,p999"; got != want {
		t.Errorf("latency_us keys = %s; want %s", got, want)
	}
	for k, v := range lat {
		if n, ok := v.(float64); !ok || n <= 0 {
			t.Errorf("latency_us.%s = %v; want a positive number", k, v)
		}
	}
	requests := obj["requests"].(float64)
	if requests < 1 || requests != float64(count.Load()) {
		t.Errorf("requests = %v; the server answered %d", requests, count.Load())
	}
	// Every response was a 503: all of them are status errors.
	if errs["status"] != requests || errs["total"] != requests {
		t.Errorf("errors = %v; want status = total = requests = %v", errs, requests)
	}
}

func TestLoadSummary(t *testing.T) {
	srv, _ := loadServer(t)
	code, out, errOut := runLoadArgs(srv.URL+"/", "-c", "2", "-d", "0.2")
	if code != 0 {
		t.Fatalf("exit %d; want 0 (stderr %q)", code, errOut)
	}
	for _, want := range []string{"Running 200ms test @ " + srv.URL, "2 connections", "p99.9", "requests in", "Requests/sec:", "Transfer/sec:"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr = %q; want nothing when it is not a terminal", errOut)
	}
}

func TestLoadUsageErrors(t *testing.T) {
	srv, _ := loadServer(t)
	for _, args := range [][]string{
		{},
		{"-c", "2", "-d", "1s"},
		{"-c", "0", "-d", "1s", srv.URL},
		{"-c", "2", srv.URL},
		{"-c", "2", "-d", "soon", srv.URL},
		{"-c", "2", "-d", "1s", "-p", "0", srv.URL},
		{"-c", "2", "-d", "1s", "-R", "-5", srv.URL},
		{"-c", "2", "-d", "1s", "-H", "nocolon", srv.URL},
		{"-c", "2", "-d", "1s", "--bogus", srv.URL},
		{"-c", "2", "-d", "1s", "https://127.0.0.1/"},
		{"-c", "2", "-d", "1s", srv.URL, srv.URL},
		{"--merge"},
		{"--merge", "/nonexistent/log"},
	} {
		code, out, errOut := runLoadArgs(args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "h1 load") {
			t.Errorf("h1 load %q = exit %d, stdout %q, stderr %q; want exit 1 and a message", args, code, out, errOut)
		}
	}
	if code, out, _ := runLoadArgs("-h"); code != 0 || !strings.Contains(out, "plain HTTP only") {
		t.Errorf("h1 load -h = exit %d, %q; want the usage", code, out)
	}
}

func TestLoadCannotConnect(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	code, _, errOut := runLoadArgs("-c", "1", "-d", "1s", "--json", "http://127.0.0.1:"+strconv.Itoa(port)+"/")
	if code != exitConnect {
		t.Errorf("exit %d (stderr %q); want %d", code, errOut, exitConnect)
	}
}

// Two runs write histogram logs; --merge adds them up.
func TestLoadHistLogMerge(t *testing.T) {
	srv, _ := loadServer(t)
	dir := t.TempDir()
	var total float64
	var logs []string
	for i := range 2 {
		name := filepath.Join(dir, "run"+strconv.Itoa(i)+".hlog")
		code, out, errOut := runLoadArgs("-c", "2", "-d", "200ms", "--json", "--hist-log", name, srv.URL+"/")
		if code != 0 {
			t.Fatalf("exit %d (stderr %q)", code, errOut)
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(out), &obj); err != nil {
			t.Fatal(err)
		}
		total += obj["requests"].(float64)
		logs = append(logs, name)
	}
	code, out, errOut := runLoadArgs(append([]string{"--merge", "--json"}, logs...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d (stderr %q)", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("merge stdout is not JSON: %v: %q", err, out)
	}
	if m["requests"] != total || m["runs"] != 2.0 {
		t.Errorf("merged requests %v, runs %v; want %v, 2", m["requests"], m["runs"], total)
	}
	if lat, _ := m["latency_us"].(map[string]any); lat == nil || lat["p50"].(float64) <= 0 {
		t.Errorf("merged latency_us = %v; want percentiles", m["latency_us"])
	}
	code, out, _ = runLoadArgs(append([]string{"--merge"}, logs...)...)
	if code != 0 || !strings.Contains(out, "Merged 2 run(s)") || !strings.Contains(out, "p99.9") {
		t.Errorf("merge summary: exit %d, %q", code, out)
	}
}
