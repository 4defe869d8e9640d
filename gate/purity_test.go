package gate

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// allowedImports is everything the package's non-test files may import: pure
// computation only. Anything else (os, net, database/sql, log, time,
// math/rand, internal packages) breaks the promise that the same input always
// gives the same verdict.
var allowedImports = []string{
	"cmp",
	"fmt",
	"math",
	"slices",
	"strings",
	"golang.org/x/perf/benchmath",
	"github.com/aclements/go-moremath/stats",
}

func TestImportsArePure(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(allowedImports, path) {
				t.Errorf("%s: imports %q; want only %q", fset.Position(imp.Pos()), path, allowedImports)
			}
		}
	}
	if checked < 5 {
		t.Errorf("checked %d files; want the package's ≥ 5 non-test files", checked)
	}
}
