package graph

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
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

// maxFuncLines is the longest a function may be, from its func keyword to
// its closing brace, before it must say why (issue 13).
const maxFuncLines = 80

// longReason starts the sentence of a doc comment that keeps a function
// longer than maxFuncLines whole: "Long because it is one table of …".
// The sentence must give a reason; the marker alone is not one.
const longReason = "Long because "

// TestFunctionLength keeps functions short enough to read at once: every
// function or method of the product (the module at the repository root;
// nested modules such as bench/, testdata and _test.go files are not
// product) over maxFuncLines lines fails unless its doc comment holds a
// sentence starting with longReason.
func TestFunctionLength(t *testing.T) {
	const root = ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module root is not beside graph: %v", err)
	}
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a module of its own, such as bench/
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			start, end := fset.Position(fn.Pos()), fset.Position(fn.End())
			lines := end.Line - start.Line + 1
			if lines <= maxFuncLines || givesLongReason(fn.Doc) {
				continue
			}
			rel, _ := filepath.Rel(root, start.Filename)
			t.Errorf("%s:%d: %s is %d lines (over %d) and its doc comment has no sentence starting %q",
				filepath.ToSlash(rel), start.Line, funcName(fn), lines, maxFuncLines, strings.TrimSpace(longReason))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("found no Go files: the walk did not see the module")
	}
}

// givesLongReason reports whether a doc comment holds a sentence that starts
// with longReason and goes on to say something.
func givesLongReason(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	text := strings.Join(strings.Fields(doc.Text()), " ")
	for {
		i := strings.Index(text, longReason)
		if i < 0 {
			return false
		}
		sentenceStart := i == 0 || strings.HasSuffix(text[:i], ". ") || strings.HasSuffix(text[:i], ": ")
		rest := text[i+len(longReason):]
		if sentenceStart && len(strings.Fields(rest)) >= 3 {
			return true
		}
		text = rest
	}
}

// funcName names a function as a reader finds it: Recv.Method or Func.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	for {
		switch x := typ.(type) {
		case *ast.StarExpr:
			typ = x.X
			continue
		case *ast.IndexExpr:
			typ = x.X
			continue
		case *ast.IndexListExpr:
			typ = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fn.Name.Name
		}
		return fn.Name.Name
	}
}

func TestGivesLongReason(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want bool
	}{
		{"", false},
		{"F does a thing.", false},
		{"F does a thing. Long because it is one table of cases.", true},
		{"Long because it is one table.", true},
		{"F does a thing.\nLong because it is\none linear recipe.", true},
		{"F does a thing. Long because", false},      // marker without a reason
		{"F is not Long because of x, y, z.", false}, // not a sentence start
	} {
		var doc *ast.CommentGroup
		if tc.doc != "" {
			var list []*ast.Comment
			for _, line := range strings.Split(tc.doc, "\n") {
				list = append(list, &ast.Comment{Text: "// " + line})
			}
			doc = &ast.CommentGroup{List: list}
		}
		if got := givesLongReason(doc); got != tc.want {
			t.Errorf("givesLongReason(%q) = %v, want %v", tc.doc, got, tc.want)
		}
	}
}
