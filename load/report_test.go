package load

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium is Debian's chromium, which `make deps` installs. The tests
// that need it fail without it: a report that no browser has loaded is
// not tested.
const chromium = "/usr/bin/chromium"

// reportRun is a short run with a few intervals, 404s among the answers.
func reportRun(t *testing.T) (*Result, Config) {
	t.Helper()
	srv, _ := countingServer(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		if n%7 == 0 {
			w.WriteHeader(http.StatusNotFound)
		}
		_, _ = io.WriteString(w, "report")
	})
	r, err := Start(Config{Target: target(t, srv.URL+"/r"), Connections: 2, Rate: 300, Duration: 1200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Wait()
	if len(res.Intervals) < 2 || res.Errors.Status == 0 {
		t.Fatalf("%d intervals, errors %+v; want 2 and status errors", len(res.Intervals), res.Errors)
	}
	return res, r.Config()
}

// dumpDOM loads page in headless chromium and returns the DOM after its
// scripts ran, and chromium's log, where console messages appear.
func dumpDOM(t *testing.T, page string) (dom, log string) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s is missing (make deps installs it): %v", chromium, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0", "--dump-dom", "file://"+page)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// consoleLine is how chromium logs a page's console message.
var consoleLine = regexp.MustCompile(`(?m)^.*CONSOLE.*$`)

// The HTML report loads in a real browser with no console message, and
// its script draws the four charts: every figure is marked drawn and holds
// an SVG with its lines or bars.
func TestHTMLReportInChromium(t *testing.T) {
	res, cfg := reportRun(t)
	var page bytes.Buffer
	if err := WriteHTMLReport(&page, res, &cfg, "http://example.test/<r>"); err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"http://", "https://", "src=", "href="} {
		// The only URLs are the title's (escaped) and the SVG namespace.
		s := strings.ReplaceAll(strings.ReplaceAll(page.String(), "http://www.w3.org/2000/svg", ""), "http://example.test/", "")
		if strings.Contains(s, banned) {
			t.Errorf("the page refers to %q: it must load nothing", banned)
		}
	}
	dom, log := checkPage(t, page.Bytes())
	if !strings.Contains(dom, "&lt;r&gt;") {
		t.Errorf("the title is not escaped in the page")
	}
	if t.Failed() {
		t.Logf("chromium log:\n%s", log)
	}
}

// checkPage loads the page and checks that it drew the report's charts
// without a console message.
func checkPage(t *testing.T, page []byte) (dom, log string) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(name, page, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log = dumpDOM(t, name)
	if m := consoleLine.FindAllString(log, -1); len(m) > 0 {
		t.Errorf("console messages while loading the report:\n%s", strings.Join(m, "\n"))
	}
	if !strings.Contains(dom, `<body data-drawn="4">`) {
		t.Errorf("the body is not marked as having drawn 4 charts")
	}
	for _, id := range []string{"spectrum", "latency", "throughput", "errors"} {
		re := regexp.MustCompile(`<figure class="chart" id="` + id + `" data-drawn="1"><svg [^>]*>(.*?)</svg></figure>`)
		m := re.FindStringSubmatch(dom)
		if m == nil {
			t.Errorf("chart %s was not drawn", id)
			continue
		}
		want := `<path d="M`
		if id == "errors" {
			want = `class="bar"`
		}
		if n := strings.Count(m[1], want); n == 0 {
			t.Errorf("chart %s has no %s", id, want)
		}
	}
	if n := strings.Count(dom, `class="series"`); n != 1+3+2 {
		t.Errorf("%d lines drawn; want 6 (spectrum; p50, p99, max; responses/s, errors/s)", n)
	}
	return dom, log
}

// The check above catches a script that fails: the same page with a
// mistake in its script shows a console error and draws nothing.
func TestHTMLReportCheckSeesScriptErrors(t *testing.T) {
	res, cfg := reportRun(t)
	var page bytes.Buffer
	if err := WriteHTMLReport(&page, res, &cfg, "broken"); err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(page.String(), "data.charts.forEach(function (c) {", "data.charts.forEach(function (c) { undefinedFunction();", 1)
	if broken == page.String() {
		t.Fatal("the script's loop was not found")
	}
	name := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(name, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log := dumpDOM(t, name)
	if !consoleLine.MatchString(log) || !strings.Contains(log, "undefinedFunction") {
		t.Errorf("chromium logged no console error for a broken script:\n%s", log)
	}
	if strings.Contains(dom, `data-drawn="`) {
		t.Errorf("a broken script still marked charts as drawn")
	}
}

// The SVG report is well-formed XML with the four charts drawn.
func TestSVGReport(t *testing.T) {
	res, cfg := reportRun(t)
	var img bytes.Buffer
	if err := WriteSVGReport(&img, res, &cfg, "http://example.test/<r>"); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(img.Bytes()))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
	}
	s := img.String()
	for _, id := range []string{"spectrum", "latency", "throughput", "errors"} {
		if !strings.Contains(s, `id="`+id+`"`) {
			t.Errorf("the SVG lacks the %s chart", id)
		}
	}
	if n := strings.Count(s, "<path "); n != 6 {
		t.Errorf("%d lines in the SVG; want 6", n)
	}
	if strings.Contains(s, "<script") || !strings.Contains(s, "99%") || !strings.Contains(s, "status ≥ 400") {
		t.Errorf("the SVG has a script, or lacks the percentile axis or the error kinds")
	}
}

// A run that got no answer at all still makes a report that loads
// cleanly: its charts say there is no data.
func TestHTMLReportOfNothing(t *testing.T) {
	res := &Result{Latency: newHistogram(), Start: time.Unix(1_700_000_000, 0), Errors: Errors{Connect: 3},
		Handshakes: Handshakes{Latency: newHistogram()}}
	cfg := Config{Target: Target{Host: "127.0.0.1", Port: 1, TLS: true}, Connections: 1, Pipeline: 1}
	var page bytes.Buffer
	if err := WriteHTMLReport(&page, res, &cfg, "nothing"); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "nothing.html")
	if err := os.WriteFile(name, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log := dumpDOM(t, name)
	if m := consoleLine.FindAllString(log, -1); len(m) > 0 {
		t.Errorf("console messages while loading the report:\n%s", strings.Join(m, "\n"))
	}
	if !strings.Contains(dom, `<body data-drawn="4">`) || strings.Count(dom, ">no data</text>") != 3 || !strings.Contains(dom, "TLS handshakes: 0") {
		t.Errorf("the empty report does not draw 4 charts, 3 of them without data, and the handshakes:\n%s", dom)
	}
	var img bytes.Buffer
	if err := WriteSVGReport(&img, res, &cfg, "nothing"); err != nil || strings.Count(img.String(), ">no data</text>") != 3 {
		t.Errorf("WriteSVGReport = %v; want 3 charts without data", err)
	}
}
