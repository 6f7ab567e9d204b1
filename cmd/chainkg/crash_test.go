package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
	"github.com/chainkg/chainkg/loaders/synth"
)

// TestCrashDuringLoad builds the real chainkg binary, starts a registry load
// that replaces a loaded version of the same source, and SIGKILLs it at
// random points (a fixed seed) from the first batch to past the commit.
// After every kill the store must open, the source must be exactly the
// version before (same version, hash, fact and firm counts) — or, for a kill
// after the commit, exactly the new one — and no quad of a version that is
// not current may be left in the store.
func TestCrashDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads tens of thousands of firms")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "chainkg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	vocab := syntheticVocabulary(t)
	oldFile := writeSynthetic(t, vocab, filepath.Join(dir, "old", "firms.csv"), 500, 1)
	newFile := writeSynthetic(t, vocab, filepath.Join(dir, "new", "firms.csv"), 4000, 2)
	load := func(store, file string) {
		t.Helper()
		// --allow-shrink: putting the 500-firm version back over the 4,000 is meant.
		if out, err := exec.Command(bin, "load", "registry", file, "--store", store, "--allow-shrink").CombinedOutput(); err != nil {
			t.Fatalf("load %s: %v\n%s", file, err, out)
		}
	}

	// How long an uninterrupted replacement takes, and what it leaves, on a
	// scratch store: kills are spread over that time.
	scratch := "bbolt:" + filepath.Join(dir, "scratch.db")
	load(scratch, oldFile)
	start := time.Now()
	load(scratch, newFile)
	full := time.Since(start)
	newState := inspectStore(t, scratch)

	store := "bbolt:" + filepath.Join(dir, "kg.db")
	load(store, oldFile)
	want := inspectStore(t, store)
	rng := rand.New(rand.NewPCG(8, 2026))
	const kills = 5
	keptOld := 0
	for i := 0; i < kills; i++ {
		after := time.Duration(float64(full) * (0.05 + rng.Float64()))
		cmd := exec.Command(bin, "load", "registry", newFile, "--store", store)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		killed := false
		select {
		case <-time.After(after):
			cmd.Process.Kill() // SIGKILL
			<-done
			killed = true
		case err := <-done:
			if err != nil {
				t.Fatalf("kill %d: the load failed on its own: %v", i, err)
			}
		}
		got := inspectStore(t, store)
		switch {
		case got == want:
			keptOld++
			t.Logf("kill %d after %v of ~%v: the previous version is current and whole", i, after.Round(time.Millisecond), full.Round(time.Millisecond))
		case got.sameContent(newState):
			t.Logf("kill %d after %v of ~%v (killed: %v): the new version is current and whole", i, after.Round(time.Millisecond), full.Round(time.Millisecond), killed)
			// Put the old version back, so the next kill again interrupts a replacement.
			load(store, oldFile)
			want = inspectStore(t, store)
		default:
			t.Fatalf("kill %d after %v: the store holds neither version whole:\n got  %+v\n old  %+v\n new  %+v", i, after, got, want, newState)
		}
	}
	if keptOld == 0 {
		t.Errorf("no kill landed before the commit (the load took %v); the test proved nothing", full)
	}
}

// storeState is what a kill must not break: the registry source's current
// version, its content hash and fact count, the firms the read model holds,
// and the labels found on quads in the store.
type storeState struct {
	version, hash string
	facts, firms  int
	labels        string // the sorted distinct labels of all quads, as Gizmo sees them
}

// sameContent compares all but the version label, which differs between
// two stores that loaded the same file.
func (s storeState) sameContent(o storeState) bool {
	return s.hash == o.hash && s.facts == o.facts && s.firms == o.firms
}

// inspectStore opens the store as a restarted service would, and checks
// that every quad's label is the meta graph or a current version.
func inspectStore(t *testing.T, url string) storeState {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatalf("the store does not open: %v", err)
	}
	defer st.Close()
	var s storeState
	current := map[string]bool{string(graph.MetaLabel): true}
	for _, si := range st.Index().Sources() {
		current[si.Version] = true
		if si.ID == "registry/firms.csv" {
			s.version, s.hash, s.facts = si.Version, si.Hash, si.Facts
		}
	}
	s.firms = st.Index().FirmCount()
	// Every label on disk, not through an ad-hoc query: those see current
	// versions only, and would hide what the crash left.
	all, err := st.Labels(ctx)
	if err != nil {
		t.Fatalf("listing the labels: %v", err)
	}
	var labels []string
	for _, l := range all {
		labels = append(labels, l)
		if !current[l] && !current["<"+l+">"] && !current[trimIRI(l)] {
			t.Errorf("a quad of a version that is not current is in the store: label %s", l)
		}
	}
	slices.Sort(labels)
	s.labels = fmt.Sprint(labels)
	return s
}

func trimIRI(s string) string {
	if len(s) > 1 && s[0] == '<' && s[len(s)-1] == '>' {
		return s[1 : len(s)-1]
	}
	return s
}

// syntheticVocabulary is the regions and chain words of the default data.
func syntheticVocabulary(t *testing.T) synth.Vocabulary {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := loaders.LoadDefaults(ctx, st, data.FS); err != nil {
		t.Fatal(err)
	}
	return synth.FromIndex(st.Index())
}

// writeSynthetic writes n synthetic firms.
func writeSynthetic(t *testing.T, v synth.Vocabulary, path string, n int, seed uint64) string {
	t.Helper()
	g, err := synth.New(v, seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	w.Write(synth.Header)
	for i := 0; i < n; i++ {
		w.Write(g.Next())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
