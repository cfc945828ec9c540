package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func runProbeArgs(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"probe"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// probeServer is net/http with a handler that reads the body.
func probeServer(t *testing.T, tlsOn bool) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	})
	var srv *httptest.Server
	if tlsOn {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestProbeUsageErrors(t *testing.T) {
	srv := probeServer(t, false)
	dir := t.TempDir()
	badCases := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(badCases, []byte("case a\nlevel NEVER\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "a URL is needed"},
		{[]string{srv.URL, srv.URL}, "one URL"},
		{[]string{"--compare", srv.URL}, "at least two URLs"},
		{[]string{"--mutate", "3", srv.URL}, "--mutate needs --compare"},
		{[]string{"--compare", "--mutate", "-1", srv.URL, srv.URL}, "must not be negative"},
		{[]string{"--timeout", "0", srv.URL}, "--timeout must be positive"},
		{[]string{"--timeout", "soon", srv.URL}, "not a duration"},
		{[]string{"--linger", "0", srv.URL}, "--linger must be positive"},
		{[]string{"--bogus", srv.URL}, "flag provided but not defined"},
		{[]string{"ftp://127.0.0.1/"}, "bad target"},
		{[]string{"http://127.0.0.1:99999/"}, "bad port"},
		{[]string{"--cases", filepath.Join(dir, "missing.txt"), srv.URL}, "--cases"},
		{[]string{"--cases", badCases, srv.URL}, "bad case file: line 2"},
		{[]string{"--only", "nosuchcase", srv.URL}, "matches no case"},
		{[]string{"--cacert", filepath.Join(dir, "missing.pem"), srv.URL}, "--cacert"},
		{[]string{"--cacert", badCases, srv.URL}, "no PEM certificate"},
	} {
		code, out, errOut := runProbeArgs(tc.args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errOut, "h1 probe: ") || !strings.Contains(errOut, tc.msg) {
			t.Errorf("h1 probe %q = exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args, code, out, errOut, tc.msg)
		}
	}
	if code, out, _ := runProbeArgs("-h"); code != exitOK || !strings.Contains(out, "--compare") {
		t.Errorf("h1 probe -h = exit %d, %q; want the usage", code, out)
	}
	if code, out, _ := runProbeArgs("help"); code != exitUsage || out != "" {
		// "help" is a URL here, and not a valid one.
		t.Errorf("h1 probe help = exit %d, %q; want exit 1", code, out)
	}
}

func TestProbeTable(t *testing.T) {
	srv := probeServer(t, false)
	code, out, errOut := runProbeArgs("--only", "baseline,pipelined-three,compliance", srv.URL+"/")
	// net/http passes the compliance MUST cases.
	if code != exitOK {
		t.Fatalf("exit %d; want 0 (stderr %q)\n%s", code, errOut, out)
	}
	for _, want := range []string{"CASE", "VERDICT", "pipelined-three", "200+200+200 open", "RFC 9112 §9.3.2", " fail (MUST)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "smuggling") {
		t.Errorf("--only ran a smuggling case:\n%s", out)
	}
}

// net/http keeps the connection open after a request with both
// Content-Length and Transfer-Encoding: a MUST failure, exit 3.
func TestProbeJSONMustFailure(t *testing.T) {
	srv := probeServer(t, false)
	code, out, errOut := runProbeArgs("--json", "--only", "cl-te,baseline", srv.URL)
	if code != exitFindings {
		t.Fatalf("exit %d; want %d (stderr %q)", code, exitFindings, errOut)
	}
	var obj struct {
		Target string `json:"target"`
		Cases  []struct {
			ID, Verdict, Got, Level, RFC, Expect string
			Outcome                              struct {
				End       string `json:"end"`
				Responses []struct {
					Status int `json:"status"`
				} `json:"responses"`
			} `json:"outcome"`
		} `json:"cases"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatalf("stdout is not JSON: %v: %q", err, out)
	}
	if len(obj.Cases) != 2 || obj.Summary["pass"] != 1 || obj.Summary["fail"] != 1 {
		t.Fatalf("report = %+v; want baseline pass, cl-te fail", obj)
	}
	c := obj.Cases[1]
	if c.ID != "cl-te" || c.Verdict != "fail" || c.Got != "200+200 open" || c.Outcome.End != "open" ||
		len(c.Outcome.Responses) != 2 || c.Outcome.Responses[0].Status != 200 || c.RFC != "RFC 9112 §6.1" {
		t.Errorf("cl-te = %+v; want a fail with 200+200 open", c)
	}
}

func TestProbeUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	code, out, _ := runProbeArgs("--only", "baseline,cl-te", "--timeout", "500ms", "http://127.0.0.1:"+strconv.Itoa(port)+"/")
	if code != exitNoTarget || !strings.Contains(out, "cannot connect") || !strings.Contains(out, "0 pass, 0 fail (MUST), 0 warn (SHOULD/MAY), 2 error") {
		t.Errorf("exit %d; want %d and two errors:\n%s", code, exitNoTarget, out)
	}
}

func TestProbeTLS(t *testing.T) {
	srv := probeServer(t, true)
	code, out, _ := runProbeArgs("--only", "baseline", srv.URL)
	if code != exitNoTarget || !strings.Contains(out, "tls handshake failed") {
		t.Errorf("untrusted certificate: exit %d; want %d and a TLS error:\n%s", code, exitNoTarget, out)
	}
	code, out, _ = runProbeArgs("--only", "baseline", "--insecure", srv.URL)
	if code != exitOK || !strings.Contains(out, "200 open") {
		t.Errorf("--insecure: exit %d; want 0 and 200 open:\n%s", code, out)
	}
}

// A server that accepts and never answers: every case times out on its
// own and the run goes on to the end.
func TestProbeSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	}()
	code, out, _ := runProbeArgs("--only", "baseline,cl-te,huge-field", "--timeout", "200ms", "http://"+ln.Addr().String()+"/")
	if code != exitFindings || strings.Count(out, "- timeout") != 3 {
		t.Errorf("exit %d; want %d with three timeouts:\n%s", code, exitFindings, out)
	}
	mu.Lock()
	n := len(conns)
	mu.Unlock()
	if n != 3 {
		t.Errorf("the server saw %d connections; want 3, one per case", n)
	}
}

func TestProbeCompare(t *testing.T) {
	a, b := probeServer(t, false), probeServer(t, false)
	code, out, errOut := runProbeArgs("--compare", "--only", "baseline,pipelined-three", "one="+a.URL, "two="+b.URL)
	if code != exitOK || !strings.Contains(out, "0 of 2 differ") || !strings.Contains(out, "one = "+a.URL) {
		t.Errorf("two net/http servers: exit %d (stderr %q); want 0 and no divergence:\n%s", code, errOut, out)
	}
	// A server that refuses everything differs from net/http.
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		http.Error(w, "no", http.StatusBadRequest)
	}))
	defer refuse.Close()
	code, out, _ = runProbeArgs("--compare", "--only", "baseline", a.URL, refuse.URL)
	if code != exitFindings || !strings.Contains(out, "DIFFERS") || !strings.Contains(out, "400 closed") {
		t.Errorf("net/http against a refusing server: exit %d; want %d and DIFFERS:\n%s", code, exitFindings, out)
	}
}

// The same seed gives the same variants; another seed, others.
func TestProbeMutateDeterministic(t *testing.T) {
	a, b := probeServer(t, false), probeServer(t, false)
	variants := func(seed string) []string {
		t.Helper()
		code, out, errOut := runProbeArgs("--compare", "--json", "--mutate", "6", "--seed", seed, "--only", "cl-te,baseline", "--timeout", "500ms", "--linger", "20ms", a.URL, b.URL)
		if code != exitOK && code != exitFindings {
			t.Fatalf("exit %d (stderr %q)", code, errOut)
		}
		var obj struct {
			Rows []struct {
				ID       string   `json:"id"`
				Mutation []string `json:"mutation"`
				Bytes    string   `json:"bytes"`
			} `json:"rows"`
		}
		if err := json.Unmarshal([]byte(out), &obj); err != nil {
			t.Fatalf("stdout is not JSON: %v", err)
		}
		var vs []string
		for _, r := range obj.Rows {
			if r.Mutation != nil {
				vs = append(vs, r.ID+" "+strings.Join(r.Mutation, ",")+" "+r.Bytes)
			}
		}
		if len(vs) != 6 {
			t.Fatalf("%d variants; want 6", len(vs))
		}
		return vs
	}
	one, again, other := variants("3"), variants("3"), variants("4")
	if strings.Join(one, "\n") != strings.Join(again, "\n") {
		t.Errorf("seed 3 twice gave different variants:\n%q\n%q", one, again)
	}
	if strings.Join(one, "\n") == strings.Join(other, "\n") {
		t.Errorf("seeds 3 and 4 gave the same variants: %q", one)
	}
}
