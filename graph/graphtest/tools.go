package graphtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// This file finds the outside tools some tests check exports with
// (xmllint, dot, python3 with networkx, chromium). A missing tool skips
// the test with a reason, except under CI=true, where .ci/run installs
// them and a missing one is a failure.

// missing skips or, under CI, fails.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but "+format, args...)
	}
	t.Skipf(format, args...)
}

// Tool returns the path of a command, or skips (fails under CI) when it is
// not installed; debian names the package that provides it.
func Tool(t testing.TB, name, debian string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "%s is not installed (apt-get install %s)", name, debian)
	}
	return p
}

// Python returns a python3 that can import module: the one on PATH, else
// Debian's /usr/bin/python3 (which python3-networkx installs into).
func Python(t testing.TB, module, debian string) string {
	t.Helper()
	var tried []string
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		path, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		tried = append(tried, path)
		if exec.Command(path, "-c", "import "+module).Run() == nil {
			return path
		}
	}
	missing(t, "no python3 with %s (tried %v; apt-get install %s)", module, tried, debian)
	return ""
}

// Shared returns a path under the shared folder beside the repository
// (../shared from the module root), or skips (fails under CI) when absent.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		missing(t, "%s is absent: the shared folder is not beside the repository", p)
	}
	return p
}
