package h1

import (
	"go/build"
	"strings"
	"testing"
)

// TestImportRules holds DESIGN.md's layering: h1 sits above parser,
// streampeer, conn and tlsx, and imports none of bench, fuzz, load or cmd,
// nor its own rooms above it (fetch, nethttp). The Client is Godot's
// HTTPClient and nothing more: net/http, net/url, compress/* and os belong
// to package fetch (Godot's HTTPRequest) and package nethttp (the
// http.RoundTripper), not to h1.
func TestImportRules(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Imports) == 0 {
		t.Fatal("build.ImportDir found no imports: the test reads the wrong directory")
	}
	for _, imp := range pkg.Imports {
		for _, banned := range []string{"/bench", "/fuzz", "/load", "/cmd/", "/h1/fetch", "/h1/nethttp"} {
			if strings.HasPrefix(imp, "github.com/h1dev/h1") && strings.Contains(imp, banned) {
				t.Errorf("h1 imports %q", imp)
			}
		}
		if imp == "github.com/valyala/fasthttp" {
			t.Errorf("h1 imports fasthttp, a benchmark peer")
		}
		if imp == "net/http" || strings.HasPrefix(imp, "net/http/") || imp == "net/url" ||
			strings.HasPrefix(imp, "compress/") || imp == "os" || strings.HasPrefix(imp, "os/") {
			t.Errorf("h1 imports %q: it belongs in h1/fetch or h1/nethttp", imp)
		}
	}
}
