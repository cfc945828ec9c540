package h1

import (
	"go/build"
	"strings"
	"testing"
)

// TestImportRules holds DESIGN.md's layering: h1 sits above parser,
// streampeer, conn and tlsx, and imports none of bench, fuzz, load or cmd.
func TestImportRules(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		for _, banned := range []string{"/bench", "/fuzz", "/load", "/cmd/"} {
			if strings.HasPrefix(imp, "github.com/h1dev/h1") && strings.Contains(imp, banned) {
				t.Errorf("h1 imports %q", imp)
			}
		}
		if imp == "github.com/valyala/fasthttp" {
			t.Errorf("h1 imports fasthttp, a benchmark peer")
		}
	}
}
