package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

var h1Bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "h1-cmd-test")
	if err != nil {
		panic(err)
	}
	h1Bin = filepath.Join(dir, "h1")
	if out, err := exec.Command("go", "build", "-o", h1Bin, ".").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic("building h1: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runH1 runs the built binary as a user would and decodes its JSON answer.
func runH1(t *testing.T, stdin []byte, args ...string) (int, map[string]any) {
	t.Helper()
	cmd := exec.Command(h1Bin, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), &obj); err != nil {
			t.Fatalf("stdout is not JSON: %v: %q (stderr %q)", err, stdout.Bytes(), stderr.Bytes())
		}
	}
	return code, obj
}

// unlatin1 turns a JSON string of U+0000–U+00FF back into bytes.
func unlatin1(t *testing.T, v any) []byte {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%v is not a string", v)
	}
	var out []byte
	for _, r := range s {
		if r > 0xff {
			t.Fatalf("code point %U outside ISO-8859-1", r)
		}
		out = append(out, byte(r))
	}
	if !utf8.ValidString(s) {
		t.Fatal("invalid UTF-8")
	}
	return out
}

func b64(t *testing.T, v any) string {
	t.Helper()
	s, _ := v.(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64 %q", s)
	}
	return string(b)
}

func TestParseSuccess(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		args     []string
		status   float64
		body     string
		rest     string
		keep     bool
		trailers int
		interim  int
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Cafe: cr\xe8me\r\n\r\nhello", nil, 200, "hello", "", true, 0, 0},
		{"pipelined rest", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 204 No Content\r\n\r\n", nil, 200, "hi", "HTTP/1.1 204 No Content\r\n\r\n", true, 0, 0},
		{"chunked trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\nextra", nil, 200, "abc", "extra", true, 1, 0},
		{"head", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", []string{"--method", "HEAD"}, 200, "", "hello", true, 0, 0},
		{"interims", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", nil, 204, "", "", true, 0, 2},
		{"close delimited", "HTTP/1.0 200 OK\r\n\r\nuntil close", nil, 200, "until close", "", false, 0, 0},
		{"switching", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x00", []string{"--upgrade"}, 101, "", "\x81\x00", false, 0, 0},
		{"connect", "HTTP/1.1 200 OK\r\n\r\ntunnel bytes", []string{"--method", "CONNECT"}, 200, "", "tunnel bytes", false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, obj := runH1(t, []byte(c.in), append([]string{"parse"}, c.args...)...)
			if code != 0 || obj["ok"] != true {
				t.Fatalf("exit %d, %v; want 0 and ok", code, obj)
			}
			if obj["status"] != c.status || b64(t, obj["body_b64"]) != c.body || b64(t, obj["rest_b64"]) != c.rest || obj["keep_alive"] != c.keep {
				t.Fatalf("got %v; want status %v body %q rest %q keep %v", obj, c.status, c.body, c.rest, c.keep)
			}
			if n := len(obj["trailers"].([]any)); n != c.trailers {
				t.Fatalf("trailers = %v; want %d", obj["trailers"], c.trailers)
			}
			if n := len(obj["interim"].([]any)); n != c.interim {
				t.Fatalf("interim = %v; want %d", obj["interim"], c.interim)
			}
		})
	}
}

func TestParseLatin1IsExact(t *testing.T) {
	// Every byte value a field value may hold comes back as itself.
	var v []byte
	for c := 0x21; c <= 0xff; c++ {
		if c != 0x7f {
			v = append(v, byte(c))
		}
	}
	v = append(v, '\t', 'x')
	in := append(append([]byte("HTTP/1.1 200 OK\r\nX-All: "), v...), "\r\nContent-Length: 0\r\n\r\n"...)
	code, obj := runH1(t, in, "parse")
	if code != 0 {
		t.Fatalf("exit %d: %v", code, obj)
	}
	got := unlatin1(t, obj["headers"].([]any)[0].([]any)[1])
	if !bytes.Equal(got, v) {
		t.Fatalf("value = %q; want %q", got, v)
	}
}

func TestParseFailure(t *testing.T) {
	cases := []struct{ name, in, kind string }{
		{"bad status line", "HTTP/1.1 2x0 OK\r\n\r\n", "bad-status-code"},
		{"empty input", "", "incomplete-head"},
		{"head cut short", "HTTP/1.1 200 OK\r\nContent-Le", "incomplete-head"},
		{"body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "truncated-body"},
		{"chunked cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "truncated-body"},
		{"te and cl", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "transfer-encoding-with-content-length"},
		{"bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad-chunk-size"},
		{"bad interim", "HTTP/1.1 100 Continue\r\nBad Header: x\r\n\r\n", "bad-header-name"},
		{"space before colon", "HTTP/1.1 200 OK\r\nBad : x\r\n\r\n", "space-before-colon"},
		{"obs-fold", "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", "obs-fold"},
		// RFC 9110 §15.2.2: without --upgrade the request asked for none.
		{"unsolicited 101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "unsolicited-101"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, obj := runH1(t, []byte(c.in), "parse")
			if code != 1 || obj["ok"] != false || obj["kind"] != c.kind {
				t.Fatalf("exit %d, %v; want 1 and kind %q", code, obj, c.kind)
			}
			if s, _ := obj["error"].(string); s == "" {
				t.Fatalf("no error message in %v", obj)
			}
		})
	}
}

func TestParseUsage(t *testing.T) {
	if code, _ := runH1(t, nil, "parse", "--bogus"); code != 1 {
		t.Fatalf("exit %d; want 1", code)
	}
	if code, _ := runH1(t, nil, "frobnicate"); code != 1 {
		t.Fatalf("exit %d; want 1", code)
	}
	if code, _ := runH1(t, nil); code != 1 {
		t.Fatalf("exit %d; want 1", code)
	}
}

func encodeJSON(method, target string, headers [][2]string, body string) []byte {
	e := base64.StdEncoding.EncodeToString
	in := map[string]any{"method_b64": e([]byte(method)), "target_b64": e([]byte(target)), "body_b64": e([]byte(body))}
	hs := [][2]string{}
	for _, h := range headers {
		hs = append(hs, [2]string{e([]byte(h[0])), e([]byte(h[1]))})
	}
	in["headers_b64"] = hs
	out, _ := json.Marshal(in)
	return out
}

func TestEncode(t *testing.T) {
	cases := []struct {
		name    string
		method  string
		target  string
		headers [][2]string
		body    string
		wire    string // "" when refused
	}{
		{"get", "GET", "/a?b=c", [][2]string{{"Host", "example.com"}}, "", "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\n\r\n"},
		{"post body", "POST", "/", [][2]string{{"Host", "h"}}, "data", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\ndata"},
		{"chunked body", "POST", "/", [][2]string{{"Host", "h"}, {"Transfer-Encoding", "chunked"}}, "data", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndata\r\n0\r\n\r\n"},
		{"absolute target", "GET", "http://example.com/x", nil, "", "GET http://example.com/x HTTP/1.1\r\nHost: example.com\r\n\r\n"},
		{"header injection", "GET", "/", [][2]string{{"Host", "h"}, {"X-A", "1\r\nX-B: 2"}}, "", ""},
		{"target injection", "GET", "/ HTTP/1.1\r\nHost: evil\r\n\r\nGET /", [][2]string{{"Host", "h"}}, "", ""},
		{"method injection", "GET / HTTP/1.1\r\n", "/", [][2]string{{"Host", "h"}}, "", ""},
		{"te and cl", "POST", "/", [][2]string{{"Host", "h"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "4"}}, "data", ""},
		{"wrong length", "POST", "/", [][2]string{{"Host", "h"}, {"Content-Length", "9"}}, "data", ""},
		{"no host", "GET", "/", nil, "", ""},
		{"NUL in name", "GET", "/", [][2]string{{"Host", "h"}, {"X\x00", "1"}}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, obj := runH1(t, encodeJSON(c.method, c.target, c.headers, c.body), "encode")
			if c.wire == "" {
				if code != 1 || obj["ok"] != false || obj["wire_b64"] != nil {
					t.Fatalf("exit %d, %v; want 1, ok false, no wire", code, obj)
				}
				return
			}
			if code != 0 || obj["ok"] != true || b64(t, obj["wire_b64"]) != c.wire {
				t.Fatalf("exit %d, %v (wire %q); want 0 and %q", code, obj, b64(t, obj["wire_b64"]), c.wire)
			}
		})
	}
	if code, obj := runH1(t, []byte("{not json"), "encode"); code != 1 || obj["ok"] != false {
		t.Fatalf("bad JSON: exit %d, %v; want 1, ok false", code, obj)
	}
}

func TestDemo(t *testing.T) {
	out, err := exec.Command(h1Bin, "demo").CombinedOutput()
	if err != nil {
		t.Fatalf("h1 demo: %v\n%s", err, out)
	}
	for _, want := range []string{
		"1 connection(s) to the plain server, 1 to the TLS one", // kept alive
		"20 lines decoded", "X-Checksum: demo-123", // chunked, gzip, trailers
		"200 after 1 redirect",          // the redirect
		"progress 25% 50% 75% 100%",     // the large download
		"after", "frames, chunked true", // the poll-driven loop
		"refused as it should be: tls-handshake-error",
		"transfer-encoding-with-content-length",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}

func TestBenchJSON(t *testing.T) {
	cmd := exec.Command(h1Bin, "bench", "--json", "--filter", "^(request/write|head/small)$", "--benchtime", "20x")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("h1 bench: %v", err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("not JSON: %v: %s", err, out)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d; want 2: %s", len(rows), out)
	}
	for _, r := range rows {
		for _, k := range []string{"name", "h1_ns", "nethttp_ns", "fasthttp_ns", "floor_ns", "h1_allocs"} {
			if _, ok := r[k]; !ok {
				t.Fatalf("row lacks %q: %v", k, r)
			}
		}
		if r["h1_ns"].(float64) <= 0 || r["nethttp_ns"].(float64) <= 0 {
			t.Fatalf("row without timings: %v", r)
		}
		if r["h1_allocs"].(float64) != 0 {
			t.Fatalf("%v: h1 allocates %v per op; want 0", r["name"], r["h1_allocs"])
		}
	}
	if code, _ := runH1(t, nil, "bench", "--filter", "("); code != 1 {
		t.Fatalf("bad filter: exit %d; want 1", code)
	}
}
