package load

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// recordingServer is a net/http server that keeps "METHOD /path body" of
// every request, in the order they came.
func recordingServer(t *testing.T) (url string, seen func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	srv, _ := countingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("X-T")+" "+string(b))
		mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	})
	return srv.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTargetsInOrder(t *testing.T) {
	url, seen := recordingServer(t)
	body := writeFile(t, "body.json", `{"a":1}`)
	file := writeFile(t, "targets.txt", "# a comment\nGET "+url+"/a\nX-T: one\n\nPOST "+url+"/b?x=1\nX-T: two\n@"+body+"\n\n\nHEAD "+url+"/c\n")
	targets, err := ReadTargetsFile(file)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(Config{Targets: targets, Connections: 1, Pipeline: 2, Requests: 6})
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, res)
	want := []string{"GET /a one ", `POST /b?x=1 two {"a":1}`, "HEAD /c  "}
	got := seen()
	if len(got) != 6 || res.Requests != 6 || res.Errors.Total() != 0 {
		t.Fatalf("server saw %q, client counted %d, errors %+v; want 6 requests, no error", got, res.Requests, res.Errors)
	}
	for i, g := range got {
		if g != want[i%3] {
			t.Errorf("request %d = %q; want %q", i, g, want[i%3])
		}
	}
}

// Random order follows the seed: the same seed sends the same sequence,
// which uses every target.
func TestTargetsRandomSeed(t *testing.T) {
	url, seen := recordingServer(t)
	var targets []Target
	for _, p := range []string{"/0", "/1", "/2", "/3"} {
		targets = append(targets, target(t, url+p))
	}
	var runs [][]string
	for _, seed := range []uint64{7, 7, 8} {
		before := len(seen())
		if _, err := Run(Config{Targets: targets, Connections: 1, Requests: 40, Order: OrderRandom, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, seen()[before:])
	}
	a, b, c := strings.Join(runs[0], ","), strings.Join(runs[1], ","), strings.Join(runs[2], ",")
	if a != b {
		t.Errorf("seed 7 sent %s, then %s; want the same", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 sent the same sequence %s", a)
	}
	for _, p := range []string{"/0 ", "/1 ", "/2 ", "/3 "} {
		if !strings.Contains(a, p) {
			t.Errorf("seed 7 never sent %s: %s", p, a)
		}
	}
}

// Each bad targets file is a *TargetsError naming the file and the line.
func TestTargetsErrors(t *testing.T) {
	body := writeFile(t, "b", "x")
	for _, tc := range []struct {
		content string
		line    int
		words   string
	}{
		{"", 0, "no target"},
		{"# only a comment\n", 0, "no target"},
		{"GET\n", 1, "METHOD URL"},
		{"GET http://h/ extra\n", 1, "METHOD URL"},
		{"get http://h/\n", 1, "upper case"},
		{"GET ftp://h/\n", 1, "only http"},
		{"GET http://h:99999/\n", 1, "bad port"},
		{"GET http://h/a\n\nGET http://other/b\n", 3, "origin"},
		{"GET http://h/a\n\nGET https://h/b\n", 3, "origin"},
		{"GET http://h/\nno colon here\n", 2, "Name: value"},
		{"GET http://h/\nX-A: a\x01b\n", 2, "value"},
		{"G(T http://h/\n", 1, "method"},
		{"GET http://h/\n@/nonexistent/body\n", 2, "body file"},
		{"GET http://h/\n@" + body + "\nX-A: b\n", 3, "follow the body"},
	} {
		_, err := ReadTargets(strings.NewReader(tc.content), "t.txt")
		var te *TargetsError
		if !errors.As(err, &te) || !errors.Is(err, ErrTargets) {
			t.Errorf("ReadTargets(%q) = %v; want a *TargetsError", tc.content, err)
			continue
		}
		if te.File != "t.txt" || te.Line != tc.line || !strings.Contains(err.Error(), tc.words) || !strings.HasPrefix(err.Error(), "h1: targets file t.txt") {
			t.Errorf("ReadTargets(%q) = %q (line %d); want line %d and %q", tc.content, err, te.Line, tc.line, tc.words)
		}
	}
	_, err := ReadTargetsFile("/nonexistent/targets")
	var te *TargetsError
	if !errors.As(err, &te) || te.Line != 0 || !strings.Contains(err.Error(), "/nonexistent/targets: no such file") {
		t.Errorf("ReadTargetsFile(missing) = %v; want a *TargetsError naming the file", err)
	}
	mixed := []Target{{Host: "127.0.0.1", Port: 80}, {Host: "127.0.0.1", Port: 81}}
	if _, err := Start(Config{Targets: mixed, Connections: 1, Requests: 1}); !errors.Is(err, ErrConfig) {
		t.Errorf("Start with targets on two ports = %v; want ErrConfig", err)
	}
}
