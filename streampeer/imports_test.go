package streampeer

import (
	"go/build"
	"strings"
	"testing"
)

// TestImportRules holds DESIGN.md's layering: the interface imports no
// implementation of itself, nor anything else of this module.
func TestImportRules(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/h1dev/h1/") {
			t.Errorf("streampeer imports %q", imp)
		}
	}
}
