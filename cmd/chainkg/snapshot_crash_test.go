package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// TestCrashDuringSnapshot SIGKILLs a registry load while it writes the
// read-model snapshot after its commit, at each stage of that write (half a
// segment, a segment not yet renamed, renamed, half the manifest, the
// manifest not renamed, renamed). After each kill the store must open with
// the new version current and whole, the read model it opens with (from
// the snapshot or by a scan) must be the one a scan gives, and no quad of a
// version that is not current may be left.
func TestCrashDuringSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads thousands of firms")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "chainkg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	vocab := syntheticVocabulary(t)
	oldFile := writeSynthetic(t, vocab, filepath.Join(dir, "old", "firms.csv"), 500, 1)
	newFile := writeSynthetic(t, vocab, filepath.Join(dir, "new", "firms.csv"), 3000, 2)
	stages := []string{"segment: half written", "segment: written, not renamed", "segment: renamed",
		"manifest: half written", "manifest: written, not renamed", "manifest: renamed"}
	for i, stage := range stages {
		path := filepath.Join(dir, fmt.Sprintf("kg%d.db", i))
		url := "bbolt:" + path
		if out, err := exec.Command(bin, "load", "registry", oldFile, "--store", url).CombinedOutput(); err != nil {
			t.Fatalf("load %s: %v\n%s", oldFile, err, out)
		}
		cmd := exec.Command(bin, "load", "registry", newFile, "--store", url)
		cmd.Env = append(os.Environ(), store.StallEnv+"="+stage)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stalled := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(stderr)
			ok := false
			for sc.Scan() {
				if strings.Contains(sc.Text(), "snapshot stalled at "+stage) && !ok {
					ok = true
					stalled <- true
				}
			}
			if !ok {
				stalled <- false
			}
			io.Copy(io.Discard, stderr)
		}()
		deadline, _ := t.Deadline()
		if deadline.IsZero() {
			deadline = time.Now().Add(10 * time.Minute)
		}
		select {
		case ok := <-stalled:
			if !ok {
				cmd.Wait()
				t.Fatalf("%s: the load ended without reaching the stage", stage)
			}
		case <-time.After(time.Until(deadline) - 30*time.Second):
			cmd.Process.Kill()
			t.Fatalf("%s: the load did not reach the stage before the test's deadline", stage)
		}
		cmd.Process.Kill() // SIGKILL
		cmd.Wait()

		ents, _ := os.ReadDir(filepath.Join(path, "readmodel"))
		var files []string
		for _, e := range ents {
			files = append(files, e.Name())
		}
		got := inspectStore(t, url) // the store as a restart opens it: labels checked there
		opened := indexDigest(t, url)
		if err := os.RemoveAll(filepath.Join(path, "readmodel")); err != nil {
			t.Fatal(err)
		}
		scanned := indexDigest(t, url)
		if opened != scanned {
			t.Errorf("%s: the read model after the kill differs from a scan's", stage)
		}
		if got.firms < 3000 || got.version == "" {
			t.Errorf("%s: the committed load is not current after the kill: %+v", stage, got)
		}
		t.Logf("killed at %q: snapshot files then %v; the store opened whole with %d firms", stage, files, got.firms)
	}
}

// indexDigest opens the store and hashes what its read model says of every
// source and firm, the multi-valued fields sorted.
func indexDigest(t *testing.T, url string) string {
	t.Helper()
	st, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatalf("the store does not open: %v", err)
	}
	defer st.Close()
	h := sha256.New()
	x := st.Index()
	fmt.Fprintf(h, "%+v\n", x.Stats())
	for _, si := range x.Sources() {
		fmt.Fprintf(h, "%+v\n", si)
	}
	x.EachFirm(func(f graph.Firm) bool {
		// Several quads each, which the store keeps in no order: a scan and
		// a journal read them in different orders.
		slices.Sort(f.Aliases)
		slices.Sort(f.Stocks)
		slices.Sort(f.Tags)
		slices.Sort(f.MemberOf)
		bySprint := func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) }
		slices.SortFunc(f.Nodes, func(a, b graph.NodeLink) int { return bySprint(a, b) })
		slices.SortFunc(f.Attrs, func(a, b graph.Attr) int { return bySprint(a, b) })
		fmt.Fprintf(h, "%+v\n", f)
		return true
	})
	return fmt.Sprintf("%x", h.Sum(nil))
}
