package main

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
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
	code, out, errOut := runLoadArgs("-c", "2", "--duration", "300ms", "-p", "2", "--json", "-H", "X-Fail: yes", srv.URL+"/")
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
	if got, want := strings.Join(keys(errs), ","), "connect,parse,read,status,timeout,tls,total,write"; got != want {
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
	code, out, errOut := runLoadArgs(srv.URL+"/", "-c", "2", "-D", "0.2")
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
		{"-c", "2", "--duration", "1s"},
		{"-c", "0", "--duration", "1s", srv.URL},
		{"-c", "2", srv.URL},
		{"-c", "2", "--duration", "soon", srv.URL},
		{"-c", "2", "--duration", "1s", "-p", "0", srv.URL},
		{"-c", "2", "--duration", "1s", "-R", "-5", srv.URL},
		{"-c", "2", "--duration", "1s", "-H", "nocolon", srv.URL},
		{"-c", "2", "--duration", "1s", "--bogus", srv.URL},
		{"-c", "2", "--duration", "1s", "ftp://127.0.0.1/"},
		{"-c", "2", "-d", "10s", srv.URL},
		{"-c", "2", "-d", "30", srv.URL},
		{"-c", "2", "--duration", "1s", "-R", "1:2", srv.URL},
		{"-c", "2", "--duration", "1s", "-R", "0:2:1s", srv.URL},
		{"-c", "2", "--duration", "1s", "--targets-order", "shuffled", srv.URL},
		{"-c", "2", "--duration", "1s", "--targets", "x", srv.URL},
		{"-c", "2", "--duration", "1s", "--report", "out.pdf", srv.URL},
		{"-c", "2", "--requests", "-3", srv.URL},
		{"-c", "2", "--duration", "1s", srv.URL, srv.URL},
		{"--merge"},
		{"--merge", "/nonexistent/log"},
	} {
		code, out, errOut := runLoadArgs(args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "h1 load") {
			t.Errorf("h1 load %q = exit %d, stdout %q, stderr %q; want exit 1 and a message", args, code, out, errOut)
		}
	}
	if code, out, _ := runLoadArgs("-h"); code != 0 || !strings.Contains(out, "--targets FILE") {
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
	code, _, errOut := runLoadArgs("-c", "1", "--duration", "1s", "--json", "http://127.0.0.1:"+strconv.Itoa(port)+"/")
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
	for i, d := range []string{"1.2s", "200ms"} {
		name := filepath.Join(dir, "run"+strconv.Itoa(i)+".hlog")
		code, out, errOut := runLoadArgs("-c", "2", "--duration", d, "-R", "200", "--json", "--hist-log", name, srv.URL+"/")
		if code != 0 {
			t.Fatalf("exit %d (stderr %q)", code, errOut)
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(out), &obj); err != nil {
			t.Fatal(err)
		}
		total += obj["requests"].(float64)
		logs = append(logs, name)
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, l := range strings.Split(string(b), "\n") {
			if l != "" && l[0] >= '0' && l[0] <= '9' {
				lines++
			}
		}
		if want := 2 - i; lines != want {
			t.Errorf("a %s run's log has %d interval lines; want %d, one per second:\n%s", d, lines, want, b)
		}
	}
	code, out, errOut := runLoadArgs(append([]string{"--merge", "--json"}, logs...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d (stderr %q)", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("merge stdout is not JSON: %v: %q", err, out)
	}
	if m["requests"] != total || m["runs"] != 2.0 || m["intervals"] != 3.0 {
		t.Errorf("merged requests %v, runs %v; want %v, 2", m["requests"], m["runs"], total)
	}
	if lat, _ := m["latency_us"].(map[string]any); lat == nil || lat["p50"].(float64) <= 0 {
		t.Errorf("merged latency_us = %v; want percentiles", m["latency_us"])
	}
	code, out, _ = runLoadArgs(append([]string{"--merge"}, logs...)...)
	if code != 0 || !strings.Contains(out, "Merged 2 run(s), 3 interval(s)") || !strings.Contains(out, "p99.9") {
		t.Errorf("merge summary: exit %d, %q", code, out)
	}
}

// echoServer keeps "METHOD path body" of each request.
func echoServer(t *testing.T) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+string(b))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// -X and -d set the method and body; -d alone means POST, -d @FILE reads
// the body from FILE; --requests stops after that many.
func TestLoadMethodAndBody(t *testing.T) {
	srv, seen := echoServer(t)
	file := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(file, []byte("from a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-d", "hello"}, "POST /x hello"},
		{[]string{"-X", "PUT", "-d", "@" + file}, "PUT /x from a file"},
		{[]string{"-m", "DELETE"}, "DELETE /x "},
		{[]string{"-X", "POST", "-d", "10s"}, "POST /x 10s"},
	} {
		before := len(seen())
		args := append([]string{"-c", "1", "--requests", "5", "--json", srv.URL + "/x"}, tc.args...)
		code, out, errOut := runLoadArgs(args...)
		if code != 0 {
			t.Fatalf("h1 load %q: exit %d (stderr %q)", args, code, errOut)
		}
		got := seen()[before:]
		if len(got) != 5 || !strings.Contains(out, `"requests":5,`) {
			t.Errorf("h1 load %q: server saw %q, report %s; want 5 requests", args, got, out)
		}
		for _, g := range got {
			if g != tc.want {
				t.Errorf("h1 load %q: server saw %q; want %q", args, g, tc.want)
			}
		}
	}
}

// --targets cycles the file's requests in order; -H adds to every one.
func TestLoadTargetsFile(t *testing.T) {
	srv, seen := echoServer(t)
	dir := t.TempDir()
	body := filepath.Join(dir, "b.json")
	if err := os.WriteFile(body, []byte(`{"k":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "targets")
	content := "GET " + srv.URL + "/one\n\nPOST " + srv.URL + "/two\nContent-Type: application/json\n@" + body + "\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runLoadArgs("-c", "1", "--requests", "4", "--targets", file, "-H", "X-All: 1")
	if code != 0 {
		t.Fatalf("exit %d (stderr %q)", code, errOut)
	}
	want := []string{"GET /one ", `POST /two {"k":1}`, "GET /one ", `POST /two {"k":1}`}
	if got := seen(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("server saw %q; want %q", got, want)
	}
	if !strings.Contains(out, "test @ "+file) {
		t.Errorf("summary does not name the targets file:\n%s", out)
	}
	code, _, errOut = runLoadArgs("-c", "1", "--requests", "20", "--targets", file, "--targets-order", "random", "--seed", "3")
	if code != 0 || len(seen()) != 24 {
		t.Errorf("random order: exit %d, %d requests seen (stderr %q); want 0, 24", code, len(seen()), errOut)
	}
}

// Bad input is a clear message naming what is wrong, exit 1, and no
// report on stdout.
func TestLoadBadInput(t *testing.T) {
	srv, _ := loadServer(t)
	dir := t.TempDir()
	badLine := filepath.Join(dir, "bad-line")
	if err := os.WriteFile(badLine, []byte("GET "+srv.URL+"/\n\nGET "+srv.URL+"/ok\nnot a header\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	otherHost := filepath.Join(dir, "other-host")
	if err := os.WriteFile(otherHost, []byte("GET "+srv.URL+"/\n\nGET http://example.com/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(dir, "unreadable")
	if err := os.Mkdir(unreadable, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--targets", filepath.Join(dir, "missing")}, "targets file " + filepath.Join(dir, "missing") + ": no such file"},
		{[]string{"--targets", unreadable}, "targets file " + unreadable},
		{[]string{"--targets", badLine}, "targets file " + badLine + " line 4: "},
		{[]string{"--targets", otherHost}, "targets file " + otherHost + " line 3: "},
		{[]string{"http://[::1"}, "bad load configuration"},
		{[]string{"http://127.0.0.1:0/"}, "bad port"},
		{[]string{"-d", "@" + filepath.Join(dir, "nobody"), srv.URL}, "-d @" + filepath.Join(dir, "nobody") + ": no such file"},
		{[]string{"-d", "10s", srv.URL}, "use --duration 10s"},
	} {
		args := []string{"-c", "1"}
		if !strings.Contains(tc.want, "--duration") {
			args = append(args, "--requests", "1") // -d 10s is a body when a stop is given
		}
		args = append(args, tc.args...)
		code, out, errOut := runLoadArgs(args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "h1 load: ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("h1 load %q = exit %d, stdout %q, stderr %q; want exit 1 and %q", args, code, out, errOut, tc.want)
		}
	}
}

// https: verified against --cacert, or not at all with --insecure; a
// refused certificate is a clear message and exit 1; the handshakes are
// reported apart from the latency.
func TestLoadHTTPS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "tls body")
	}))
	srv.TLS = &tls.Config{MaxVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, trust := range [][]string{{"--cacert", ca}, {"--insecure"}} {
		args := append([]string{"-c", "2", "--requests", "20", "--json", "-H", "Connection: close", srv.URL + "/"}, trust...)
		code, out, errOut := runLoadArgs(args...)
		if code != 0 {
			t.Fatalf("h1 load %q: exit %d (stderr %q)", args, code, errOut)
		}
		var obj struct {
			Requests int64 `json:"requests"`
			TLS      struct {
				Count, Resumed int64
				MeanUS         float64 `json:"mean_us"`
			} `json:"tls_handshakes"`
		}
		if err := json.Unmarshal([]byte(out), &obj); err != nil {
			t.Fatalf("stdout is not JSON: %v: %q", err, out)
		}
		if obj.Requests != 20 || obj.TLS.Count < 20 || obj.TLS.Resumed < 18 || obj.TLS.MeanUS <= 0 {
			t.Errorf("h1 load %q: %s; want 20 requests, 20 handshakes, 18 resumed", args, out)
		}
	}
	code, out, _ := runLoadArgs("-c", "1", "--requests", "3", "--cacert", ca, srv.URL+"/")
	if code != 0 || !strings.Contains(out, "TLS handshakes: ") {
		t.Errorf("summary: exit %d, %q; want the TLS handshakes line", code, out)
	}
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{srv.URL + "/"}, "certificate signed by an unknown authority"},
		{[]string{"--cacert", notPEM, srv.URL + "/"}, "no PEM certificate"},
		{[]string{"--cacert", "/nonexistent.pem", srv.URL + "/"}, "--cacert /nonexistent.pem: no such file"},
		{[]string{"--insecure", strings.Replace(srv.URL, "https", "http", 1) + "/"}, ""},
	} {
		args := append([]string{"-c", "1", "--requests", "1"}, tc.args...)
		code, out, errOut := runLoadArgs(args...)
		if tc.want == "" { // plain HTTP to a TLS server: answers that are not HTTP
			if code != 0 || !strings.Contains(out, "Errors:") {
				t.Errorf("h1 load %q = exit %d, %q; want the errors counted", args, code, out)
			}
			continue
		}
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "usage:") {
			t.Errorf("h1 load %q = exit %d, stdout %q, stderr %q; want exit 1 and %q", args, code, out, errOut, tc.want)
		}
	}
}

// --report writes an HTML or an SVG report, by the name's extension.
func TestLoadReportFiles(t *testing.T) {
	srv, _ := loadServer(t)
	dir := t.TempDir()
	for _, name := range []string{"r.html", "r.svg"} {
		p := filepath.Join(dir, name)
		code, _, errOut := runLoadArgs("-c", "1", "--requests", "50", "--report", p, srv.URL+"/")
		if code != 0 || errOut != "" {
			t.Fatalf("--report %s: exit %d, stderr %q", name, code, errOut)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want := "<!DOCTYPE html>"
		if strings.HasSuffix(name, ".svg") {
			want = `<svg xmlns="http://www.w3.org/2000/svg"`
		}
		if !strings.HasPrefix(string(b), want) || !strings.Contains(string(b), "spectrum") {
			t.Errorf("%s starts %q; want %q and the charts", name, b[:min(len(b), 60)], want)
		}
	}
}

// A ramp is reported in the JSON; --requests stops it.
func TestLoadRamp(t *testing.T) {
	srv, count := loadServer(t)
	code, out, errOut := runLoadArgs("-c", "2", "-R", "50:400:2s", "--requests", "60", "--json", srv.URL+"/")
	if code != 0 {
		t.Fatalf("exit %d (stderr %q)", code, errOut)
	}
	var obj struct {
		Requests int64   `json:"requests"`
		Rate     float64 `json:"rate"`
		RateEnd  float64 `json:"rate_end"`
		RampS    float64 `json:"ramp_s"`
	}
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatal(err)
	}
	if obj.Requests != 60 || count.Load() != 60 || obj.Rate != 50 || obj.RateEnd != 400 || obj.RampS != 2 {
		t.Errorf("report %s (server %d); want 60 requests, rate 50 → 400 over 2 s", out, count.Load())
	}
	code, out, _ = runLoadArgs("-c", "2", "-R", "50:400:2s", "--requests", "10", srv.URL+"/")
	if code != 0 || !strings.Contains(out, "rate ramp 50 to 400 req/s over 2s") {
		t.Errorf("summary: exit %d, %q; want the ramp named", code, out)
	}
}
