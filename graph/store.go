package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/kv/bbolt"
	"github.com/cayleygraph/cayley/graph/memstore"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/cayleygraph/quad"
)

// DefaultStoreURL is the store a command uses when none is given: a bbolt
// file in the working directory.
const DefaultStoreURL = "bbolt:./chainkg.db"

// batchSize is the number of quads applied to cayley in one transaction.
// Below ~20k a kv store loads markedly slower; above 50k nothing is gained
// (research/cayley-measurements.md §2).
const batchSize = 50_000

// SourceKind says what kind of input a source is.
type SourceKind string

// Source kinds.
const (
	KindReference SourceKind = "reference" // a reference table: regions, industry codes, parks
	KindChains    SourceKind = "chains"    // the chain library
	KindRegistry  SourceKind = "registry"  // an enterprise registry file
	KindPlan      SourceKind = "plan"      // one plan document
	KindOverride  SourceKind = "override"  // a user's corrections; wins over the rest
)

// ParseSourceKind validates a kind name.
func ParseSourceKind(s string) (SourceKind, error) {
	switch k := SourceKind(s); k {
	case KindReference, KindChains, KindRegistry, KindPlan, KindOverride:
		return k, nil
	}
	return "", fmt.Errorf("%w: source kind %q: want reference, chains, registry, plan or override", ErrInvalid, s)
}

// rank orders kinds for single-valued attributes asserted by several
// sources: a lower rank wins.
func (k SourceKind) rank() int {
	switch k {
	case KindOverride:
		return 0
	case KindRegistry:
		return 1
	case KindReference:
		return 2
	case KindChains:
		return 3
	default:
		return 4
	}
}

// Source describes an input to load.
type Source struct {
	ID     SourceID
	Kind   SourceKind
	Title  string // a human name: the file name, the plan's title
	Origin string // where it was read from: a path or URL
}

// SourceInfo is a loaded source and its current version.
type SourceInfo struct {
	Source
	Version  string    // the label of its facts in the store
	Facts    int       // quads in the current version
	LoadedAt time.Time // when the current version was committed
	Hash     string    // content hash of the facts: "sha256:…"
}

// ReplaceResult tells what a Replace did.
type ReplaceResult struct {
	SourceInfo
	// Unchanged is true when the facts were identical to the current version's,
	// so nothing was written.
	Unchanged bool
}

// FactSink receives the facts of one source during Replace.
type FactSink interface {
	// Put adds facts to the version being written.
	Put(facts ...Fact) error
}

// Facts returns a write function for Replace that puts the given facts.
func Facts(facts ...Fact) func(FactSink) error {
	return func(s FactSink) error { return s.Put(facts...) }
}

// Store is the graph store: cayley under a versioned-source discipline, and
// the read model built from it.
//
// Every quad is labelled with a version of its source. A source's current
// version is recorded by one meta quad; Replace writes a new version beside
// the old, flips that quad in one transaction, and only then removes the old
// version. Readers of the read model therefore see either version whole, and
// a load that fails or is killed leaves quads of a version that was never
// current, which the next Open removes.
type Store struct {
	url     string
	backend string
	qs      graph.QuadStore
	bulk    *pgBulk // PostgreSQL's bulk writer (pgbulk.go); nil on other backends
	log     *slog.Logger

	// mu guards qs: memstore is not safe for concurrent use, and bbolt
	// deadlocks when a reader holds two transactions while a writer remaps.
	// Writers hold it for one batch; store readers hold it shared.
	mu sync.RWMutex
	// wmu serialises writers (Replace, Delete), so versions flip one at a time.
	wmu sync.Mutex

	idx    atomic.Pointer[Index]
	j      *journal // the current versions' decoded quads; guarded by wmu
	closed atomic.Bool
	now    func() time.Time
	batch  int // quads per transaction
}

// Options tune Open.
type Options struct {
	// Logger receives the store's progress messages; nil discards them.
	Logger *slog.Logger
}

// Open opens (creating if needed) the store at url and builds its read model.
// URLs: "mem:" for an in-memory store; "bbolt:PATH" (or a bare path) for a
// bbolt file, PATH being a directory; "postgres://…" for PostgreSQL.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	s := &Store{url: url, log: opt.Logger, now: time.Now, batch: batchSize}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	switch {
	case url == "mem:" || url == "memstore:":
		s.backend, s.qs = "mem", memstore.New()
	case strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://"):
		s.backend = "postgres"
		s.qs, err = openPostgres(url)
		if err == nil {
			if s.bulk, err = openPGBulk(url); err != nil {
				s.qs.Close()
			}
		}
	case strings.Contains(url, "://"):
		return nil, fmt.Errorf("%w: store URL %q: want mem:, bbolt:PATH or postgres://…", ErrUnsupported, url)
	default:
		s.backend = "bbolt"
		s.qs, err = openBolt(strings.TrimPrefix(url, "bbolt:"))
	}
	if err != nil {
		return nil, fmt.Errorf("graph: open %s: %w", url, err)
	}
	if err := s.refresh(ctx); err != nil {
		s.qs.Close()
		return nil, err
	}
	return s, nil
}

func openBolt(path string) (graph.QuadStore, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: empty bbolt path", ErrInvalid)
	}
	opts := graph.Options{kv.OptNoBloom: true}
	if _, err := os.Stat(filepath.Join(path, "indexes.bolt")); errors.Is(err, os.ErrNotExist) {
		db, err := bbolt.Create(path, opts)
		if err != nil {
			return nil, err
		}
		if err := kv.Init(db, opts); err != nil {
			db.Close()
			return nil, err
		}
		if err := db.Close(); err != nil {
			return nil, err
		}
	}
	db, err := bbolt.Open(path, opts)
	if err != nil {
		return nil, err
	}
	qs, err := kv.New(db, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	return qs, nil
}

func openPostgres(url string) (graph.QuadStore, error) {
	// Init creates cayley's tables; on a database that has them it fails
	// with ErrDatabaseExists, which is what a second start expects.
	if err := csql.Init(postgres.Type, url, nil); err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
		return nil, err
	}
	return csql.New(postgres.Type, url, nil)
}

// Close releases the store.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bulk != nil {
		s.bulk.close()
	}
	return s.qs.Close()
}

// Backend names the cayley backend: mem, bbolt or postgres.
func (s *Store) Backend() string { return s.backend }

// Index returns the current read model. It never changes under the caller:
// a write builds the next Index and swaps the pointer.
func (s *Store) Index() *Index { return s.idx.Load() }

// Sources lists the loaded sources, ordered by id.
func (s *Store) Sources(ctx context.Context) ([]SourceInfo, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	return s.Index().Sources(), nil
}

// Replace makes the facts that write puts the new version of src. It is
// idempotent (facts identical to the current version's change nothing) and
// atomic to readers. If write fails, or ctx ends, the previous version stays
// current and what was written of the new one is removed.
func (s *Store) Replace(ctx context.Context, src Source, write func(FactSink) error) (ReplaceResult, error) {
	if s.closed.Load() {
		return ReplaceResult{}, ErrClosed
	}
	if _, err := ParseSourceID(string(src.ID)); err != nil {
		return ReplaceResult{}, err
	}
	if _, err := ParseSourceKind(string(src.Kind)); err != nil {
		return ReplaceResult{}, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()

	now := s.now().UTC()
	version := versionLabel(src.ID, now)
	sink := &versionSink{ctx: ctx, s: s, label: version, hash: sha256.New()}
	err := write(sink)
	if err == nil {
		err = sink.flush()
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if rerr := s.removeVersion(context.WithoutCancel(ctx), version); rerr != nil {
			s.log.Warn("could not remove a failed version; the next open removes it", "version", version, "err", rerr)
		}
		return ReplaceResult{}, fmt.Errorf("graph: replace %s: %w", src.ID, err)
	}
	sum := "sha256:" + hex.EncodeToString(sink.hash.Sum(nil))

	old, hadOld := s.Index().source(src.ID)
	if hadOld && old.Hash == sum {
		// The same facts: drop what was written; at most the source's
		// description (title, origin) changes.
		if err := s.removeVersion(context.WithoutCancel(ctx), version); err != nil {
			return ReplaceResult{}, fmt.Errorf("graph: replace %s: %w", src.ID, err)
		}
		if old.Kind == src.Kind && old.Title == src.Title && old.Origin == src.Origin {
			return ReplaceResult{SourceInfo: old, Unchanged: true}, nil
		}
		oldMeta := metaQuads(old.Source, quad.IRI(old.Version), old.LoadedAt, old.Hash)
		if err := s.apply(diffDeltas(oldMeta, metaQuads(src, quad.IRI(old.Version), old.LoadedAt, old.Hash))); err != nil {
			return ReplaceResult{}, fmt.Errorf("graph: replace %s: %w", src.ID, err)
		}
		info := old
		info.Source = src
		s.rebuild(info, "")
		return ReplaceResult{SourceInfo: info, Unchanged: true}, nil
	}

	// The flip: one transaction swaps the source's meta quads.
	var oldMeta []quad.Quad
	if hadOld {
		oldMeta = metaQuads(old.Source, quad.IRI(old.Version), old.LoadedAt, old.Hash)
	}
	if err := s.apply(diffDeltas(oldMeta, metaQuads(src, version, now, sum))); err != nil {
		if rerr := s.removeVersion(context.WithoutCancel(ctx), version); rerr != nil {
			s.log.Warn("could not remove a failed version; the next open removes it", "version", version, "err", rerr)
		}
		return ReplaceResult{}, fmt.Errorf("graph: replace %s: commit: %w", src.ID, err)
	}
	// From here the new version is current; what follows only tidies up.
	info := SourceInfo{Source: src, Version: string(version), LoadedAt: now, Hash: sum}
	var oldSubjects []quad.Value
	if hadOld {
		oldSubjects = s.j.subjects(old.Version)
	}
	s.rebuild(info, old.Version)
	if hadOld {
		if err := s.removeQuadsOf(context.WithoutCancel(ctx), quad.IRI(old.Version), oldSubjects); err != nil {
			s.log.Warn("could not remove the replaced version; the next open removes it", "version", old.Version, "err", err)
		}
	}
	info, _ = s.Index().source(src.ID)
	return ReplaceResult{SourceInfo: info}, nil
}

// rebuild makes the next read model from the journal, with the source
// info set (added or changed) and the version dropped (replaced or
// deleted; "" for none), and swaps it in. It reads nothing from the store.
func (s *Store) rebuild(set SourceInfo, dropped string) {
	start := time.Now()
	if dropped != "" {
		s.j.drop(dropped)
	}
	var infos []SourceInfo
	for _, si := range s.Index().sources {
		if si.ID != set.ID {
			infos = append(infos, si)
		}
	}
	if set.ID != "" && set.Version != "" {
		infos = append(infos, set)
	}
	b := newIndexBuilder()
	b.setSources(infos)
	b.startFacts()
	s.j.replay(b)
	idx := b.build()
	s.idx.Store(idx)
	s.j.compact()
	s.log.Info("read model rebuilt", "quads", idx.stats.Quads, "took", time.Since(start).Round(time.Millisecond))
}

// Delete removes a source and its facts. Facts another source also asserts stay.
func (s *Store) Delete(ctx context.Context, id SourceID) error {
	if s.closed.Load() {
		return ErrClosed
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	old, ok := s.Index().source(id)
	if !ok {
		return fmt.Errorf("%w: source %s", ErrNotFound, id)
	}
	if err := s.apply(diffDeltas(metaQuads(old.Source, quad.IRI(old.Version), old.LoadedAt, old.Hash), nil)); err != nil {
		return fmt.Errorf("graph: delete %s: %w", id, err)
	}
	subjects := s.j.subjects(old.Version)
	s.rebuild(SourceInfo{Source: Source{ID: id}}, old.Version)
	if err := s.removeQuadsOf(context.WithoutCancel(ctx), quad.IRI(old.Version), subjects); err != nil {
		s.log.Warn("could not remove the deleted source's quads; the next open removes them", "version", old.Version, "err", err)
	}
	return nil
}

// versionLabel mints a version label that sorts by time within a source.
func versionLabel(id SourceID, t time.Time) quad.IRI {
	return quad.IRI(string(id.IRI()) + "@" + strconv.FormatInt(t.UnixNano(), 36))
}

// metaQuads are the quads that describe a source and make version current.
func metaQuads(src Source, version quad.IRI, at time.Time, sum string) []quad.Quad {
	s := src.ID.IRI()
	qs := []quad.Quad{
		{Subject: s, Predicate: PredType, Object: ClassSource, Label: MetaLabel},
		{Subject: s, Predicate: PredSourceKind, Object: quad.String(src.Kind), Label: MetaLabel},
		{Subject: s, Predicate: PredCurrent, Object: version, Label: MetaLabel},
		{Subject: version, Predicate: PredLoadedAt, Object: quad.String(at.UTC().Format(time.RFC3339Nano)), Label: MetaLabel},
		{Subject: version, Predicate: PredHash, Object: quad.String(sum), Label: MetaLabel},
	}
	if src.Title != "" {
		qs = append(qs, quad.Quad{Subject: s, Predicate: PredName, Object: quad.String(src.Title), Label: MetaLabel})
	}
	if src.Origin != "" {
		qs = append(qs, quad.Quad{Subject: s, Predicate: PredOrigin, Object: quad.String(src.Origin), Label: MetaLabel})
	}
	return qs
}

// diffDeltas turns a change from quads old to quads new into deltas that
// leave the common quads alone: cayley's kv backend applies a transaction's
// additions before its deletions, so deleting and re-adding one quad in the
// same transaction would lose it.
func diffDeltas(old, new []quad.Quad) []graph.Delta {
	keep := make(map[quad.Quad]bool, len(new))
	for _, q := range new {
		keep[q] = true
	}
	var out []graph.Delta
	for _, q := range old {
		if keep[q] {
			delete(keep, q)
			continue
		}
		out = append(out, graph.Delta{Action: graph.Delete, Quad: q})
	}
	for _, q := range new {
		if keep[q] {
			out = append(out, graph.Delta{Action: graph.Add, Quad: q})
		}
	}
	return out
}

// apply writes one transaction.
func (s *Store) apply(deltas []graph.Delta) error {
	if len(deltas) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok, err := s.applyBulk(deltas); ok {
		return err
	}
	return s.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
}

// versionSink encodes facts into labelled quads and writes them in batches.
type versionSink struct {
	ctx   context.Context
	s     *Store
	label quad.IRI
	hash  hash.Hash
	enc   encoder
	buf   []graph.Delta
	n     int
}

// Put implements FactSink.
func (w *versionSink) Put(facts ...Fact) error {
	for _, f := range facts {
		if f == nil {
			continue
		}
		w.enc.out = w.enc.out[:0]
		f.encode(&w.enc)
		for _, q := range w.enc.out {
			q.Label = w.label
			w.s.j.add(q)
			w.hash.Write([]byte(q.Subject.String()))
			w.hash.Write([]byte{0})
			w.hash.Write([]byte(q.Predicate.String()))
			w.hash.Write([]byte{0})
			w.hash.Write([]byte(q.Object.String()))
			w.hash.Write([]byte{'\n'})
			w.buf = append(w.buf, graph.Delta{Action: graph.Add, Quad: q})
		}
		if len(w.buf) >= w.s.batch {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Written returns how many quads the version holds so far, so a write
// function can weigh the new version against the one it would replace
// before the flip (cmd/chainkg refuses a load that empties a source).
func (w *versionSink) Written() int { return w.n + len(w.buf) }

func (w *versionSink) flush() error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if err := w.s.apply(w.buf); err != nil {
		return err
	}
	w.n += len(w.buf)
	w.buf = w.buf[:0]
	return nil
}

// removeVersion deletes a version that never became current (a failed or
// an unchanged load): its quads, found through the journal, which recorded
// them as they were written.
func (s *Store) removeVersion(ctx context.Context, label quad.IRI) error {
	subjects := s.j.subjects(string(label))
	s.j.drop(string(label))
	return s.removeQuadsOf(ctx, label, subjects)
}

// removeQuadsOf deletes every quad of a version. mem and postgres find them
// by their label; bbolt, which has no label index, through their subjects.
func (s *Store) removeQuadsOf(ctx context.Context, label quad.IRI, subjects []quad.Value) error {
	var quads []quad.Quad
	s.mu.RLock()
	if s.backend == "bbolt" {
		for _, subj := range subjects {
			qs, err := s.quadsAbout(ctx, quad.Subject, subj)
			if err != nil {
				s.mu.RUnlock()
				return err
			}
			for _, q := range qs {
				if q.Label == label {
					quads = append(quads, q)
				}
			}
		}
	} else {
		qs, err := s.quadsAbout(ctx, quad.Label, label)
		if err != nil {
			s.mu.RUnlock()
			return err
		}
		quads = qs
	}
	s.mu.RUnlock()
	return s.deleteQuads(quads)
}

// applyAdd adds quads in one transaction.
func (s *Store) applyAdd(quads []quad.Quad) error {
	deltas := make([]graph.Delta, len(quads))
	for i, q := range quads {
		deltas[i] = graph.Delta{Action: graph.Add, Quad: q}
	}
	return s.apply(deltas)
}

// deleteQuads removes quads in batches.
func (s *Store) deleteQuads(quads []quad.Quad) error {
	for len(quads) > 0 {
		n := min(len(quads), s.batch)
		deltas := make([]graph.Delta, n)
		for i, q := range quads[:n] {
			deltas[i] = graph.Delta{Action: graph.Delete, Quad: q}
		}
		if err := s.apply(deltas); err != nil {
			return err
		}
		quads = quads[n:]
	}
	return nil
}

// quadsOfLabels collects the quads whose label is in labels, by a full scan:
// kv stores have no label index.
func (s *Store) quadsOfLabels(ctx context.Context, labels map[string]bool) ([]quad.Quad, error) {
	var out []quad.Quad
	err := s.scan(ctx, func(q quad.Quad) error {
		if q.Label != nil && labels[iriOf(q.Label)] {
			out = append(out, q)
		}
		return nil
	})
	return out, err
}

// scan calls fn for every quad in the store, holding the store shared.
func (s *Store) scan(ctx context.Context, fn func(quad.Quad) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if ok, err := s.scanBulk(ctx, fn); ok {
		return err
	}
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	// cayley's kv iterator does not watch ctx: a scan of a large store takes
	// minutes, and a signal during it must stop it.
	for n := 0; it.Next(ctx); n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	return it.Err()
}

// refresh rebuilds the read model from the store and removes the quads of
// versions that are not current: replaced, deleted (drop), or left by a load
// that failed or was killed.
func (s *Store) refresh(ctx context.Context, drop ...quad.IRI) error {
	start := time.Now()
	b := newIndexBuilder()
	if err := s.readMeta(ctx, b); err != nil {
		return fmt.Errorf("graph: read sources: %w", err)
	}
	b.startFacts()
	dropped := make(map[string]bool, len(drop))
	for _, l := range drop {
		dropped[string(l)] = true
	}
	var orphans []quad.Quad
	j := newJournal()
	if err := s.scan(ctx, func(q quad.Quad) error {
		if q.Label == MetaLabel {
			return nil
		}
		if b.fact(q) {
			j.add(q)
		} else if s.removable(b, q.Label, dropped) {
			orphans = append(orphans, q)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("graph: build read model: %w", err)
	}
	idx := b.build()
	s.idx.Store(idx)
	j.live = len(j.vals)
	s.j = j
	s.log.Info("read model built", "backend", s.backend, "quads", idx.stats.Quads, "took", time.Since(start).Round(time.Millisecond))
	if len(orphans) > 0 {
		if err := s.deleteQuads(orphans); err != nil {
			return fmt.Errorf("graph: remove %d quads of old versions: %w", len(orphans), err)
		}
		s.log.Info("removed quads of versions that are not current", "quads", len(orphans))
	}
	return nil
}

// staleAfter is how old a version that never became current must be before a
// shared (PostgreSQL) store removes it: until then it may be a load in
// progress on another replica.
const staleAfter = 24 * time.Hour

// removable decides whether the quads of a label that is not current go.
// A single-process store removes them all; a shared one keeps a version that
// may be another replica's load in progress.
func (s *Store) removable(b *indexBuilder, label quad.Value, dropped map[string]bool) bool {
	l, ok := label.(quad.IRI)
	if !ok {
		return s.backend != "postgres"
	}
	if s.backend != "postgres" || dropped[string(l)] {
		return true
	}
	src, at, ok := parseVersionLabel(l)
	if !ok {
		return true
	}
	if cur, ok := b.sources[src]; ok {
		if _, curAt, ok := parseVersionLabel(quad.IRI(cur.Version)); ok && curAt.After(at) {
			return true // superseded
		}
	}
	return s.now().Sub(at) > staleAfter
}

// parseVersionLabel reads a label made by versionLabel.
func parseVersionLabel(l quad.IRI) (SourceID, time.Time, bool) {
	base, ts, ok := strings.Cut(string(l), "@")
	if !ok || !strings.HasPrefix(base, prefixSource) {
		return "", time.Time{}, false
	}
	n, err := strconv.ParseInt(ts, 36, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return SourceID(strings.TrimPrefix(base, prefixSource)), time.Unix(0, n), true
}

// readMeta reads the sources and their current versions through the
// object and subject indexes, which every backend has.
func (s *Store) readMeta(ctx context.Context, b *indexBuilder) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	srcs, err := s.quadsAbout(ctx, quad.Object, ClassSource)
	if err != nil {
		return err
	}
	for _, q := range srcs {
		if q.Label != MetaLabel || q.Predicate != PredType {
			continue
		}
		about, err := s.quadsAbout(ctx, quad.Subject, q.Subject)
		if err != nil {
			return err
		}
		for _, m := range about {
			if m.Label != MetaLabel {
				continue
			}
			b.meta(m)
			if m.Predicate == PredCurrent {
				ver, err := s.quadsAbout(ctx, quad.Subject, m.Object)
				if err != nil {
					return err
				}
				for _, v := range ver {
					if v.Label == MetaLabel {
						b.meta(v)
					}
				}
			}
		}
	}
	return nil
}

// quadsAbout returns the quads with v in direction d. The caller holds mu;
// refs are collected before values are resolved, so no reader ever holds two
// bbolt transactions at once.
func (s *Store) quadsAbout(ctx context.Context, d quad.Direction, v quad.Value) ([]quad.Quad, error) {
	ref, err := s.qs.ValueOf(v)
	if err != nil || ref == nil {
		return nil, err
	}
	it := s.qs.QuadIterator(d, ref).Iterate()
	var refs []graph.Ref
	for it.Next(ctx) {
		refs = append(refs, it.Result())
	}
	err = it.Err()
	it.Close()
	if err != nil {
		return nil, err
	}
	out := make([]quad.Quad, 0, len(refs))
	for _, r := range refs {
		q, err := s.qs.Quad(r)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}
