package graph

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRule keeps the shape of the code: api and loaders never
// import each other, data imports nothing of ours, only graph/store imports
// cayley, and neither graph (the leaf) nor graph/readmodel depends on it.
func TestDependencyRule(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH; the rule needs 'go list'")
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", "github.com/chainkg/chainkg/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/chainkg/chainkg/"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, deps := strings.TrimPrefix(fields[0], mod), fields[1:]
		has := func(prefix string) bool {
			for _, d := range deps {
				if d == prefix || strings.HasPrefix(d, prefix+"/") {
					return true
				}
			}
			return false
		}
		switch {
		case pkg == "api" || strings.HasPrefix(pkg, "api/"):
			if has(mod + "loaders") {
				t.Errorf("%s imports loaders", pkg)
			}
		case pkg == "loaders" || strings.HasPrefix(pkg, "loaders/"):
			if has(mod + "api") {
				t.Errorf("%s imports api", pkg)
			}
		case pkg == "graph" || pkg == "graph/readmodel":
			if has("github.com/cayleygraph/cayley") {
				t.Errorf("%s depends on cayley: only graph/store may", pkg)
			}
			if pkg == "graph" && has(mod+"graph/store") {
				t.Errorf("graph, the leaf, imports graph/store")
			}
		case pkg == "data":
			for _, d := range deps {
				if strings.HasPrefix(d, mod) {
					t.Errorf("data imports %s", d)
				}
			}
		}
	}
	// Direct imports: only graph/store names cayley in an import.
	out, err = exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}} {{join .TestImports \" \"}}", "github.com/chainkg/chainkg/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		if pkg == "graph/store" {
			continue
		}
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "github.com/cayleygraph/cayley") {
				t.Errorf("%s imports %s: only graph/store may import cayley", pkg, imp)
			}
		}
	}
}
