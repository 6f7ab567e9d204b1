package store

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
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/kv/bbolt"
	"github.com/cayleygraph/cayley/graph/memstore"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// DefaultStoreURL is the store a command uses when none is given: a bbolt
// file in the working directory.
const DefaultStoreURL = "bbolt:./chainkg.db"

// batchSize is the number of quads applied to cayley in one transaction.
// Below ~20k a kv store loads markedly slower; above 50k nothing is gained
// (research/cayley-measurements.md §2).
const batchSize = 50_000

// boltBulkBatch is the batch of bbolt's bulk path (boltbulk.go), larger:
// cayley's node buckets are 65,536 small B-trees each for IDs and counts,
// and a transaction rewrites every page it touches, so a batch of new
// nodes costs a page per node until batches hold several nodes a bucket.
// A million-firm load (14.4M quads) wrote 31.6 GB in batches of 250k, 15.5
// GB in batches of 1M. Two batches are in memory at once (one prepared,
// one being written), with the pages bbolt commits: batches of 2M took a
// load of a second million into a 1M store past 17 GB of heap.
const boltBulkBatch = 1_000_000

// ReplaceResult tells what a Replace did.
type ReplaceResult struct {
	graph.SourceInfo
	// Unchanged is true when the facts were identical to the current version's,
	// so nothing was written.
	Unchanged bool
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
	qs      cgraph.QuadStore
	bulk    *pgBulk   // PostgreSQL's bulk writer (pgbulk.go); nil on other backends
	bolt    *boltBulk // bbolt's bulk writer (boltbulk.go); nil on other backends
	log     *slog.Logger

	// mu guards qs: memstore is not safe for concurrent use, and bbolt
	// deadlocks when a reader holds two transactions while a writer remaps.
	// Writers hold it for one batch; store readers hold it shared.
	mu sync.RWMutex
	// wmu serialises writers (Replace, Delete), so versions flip one at a time.
	wmu sync.Mutex

	idx atomic.Pointer[readmodel.Index]
	j   *journal // the current versions' decoded quads; guarded by wmu
	// stale are versions that are not current and whose removal a context's
	// end cut short; the next write removes them (and on bbolt and
	// PostgreSQL so does the next Open). Guarded by wmu.
	stale  []staleVersion
	closed atomic.Bool
	now    func() time.Time
	batch  int       // quads per transaction
	snap   *snapshot // the read-model snapshot of a bbolt store (snapshot.go); nil on others
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
		return nil, fmt.Errorf("%w: store URL %q: want mem:, bbolt:PATH or postgres://…", graph.ErrUnsupported, url)
	default:
		s.backend = "bbolt"
		s.qs, s.bolt, err = openBolt(strings.TrimPrefix(url, "bbolt:"))
		if s.bolt != nil {
			s.batch = boltBulkBatch
		}
	}
	if err != nil {
		return nil, fmt.Errorf("graph: open %s: %w", url, err)
	}
	if err := s.openReadModel(ctx, strings.TrimPrefix(url, "bbolt:")); err != nil {
		s.qs.Close()
		return nil, err
	}
	return s, nil
}

// openBolt opens cayley's kv store in the bbolt file under path, creating
// it if needed, and the bulk writer over the same file. Cayley's blooms
// are off (OptNoBloom; a bloom sized for 100M quads is allocated per open
// otherwise), and the bulk writer relies on it: it could not keep them.
func openBolt(path string) (cgraph.QuadStore, *boltBulk, error) {
	if path == "" {
		return nil, nil, fmt.Errorf("%w: empty bbolt path", graph.ErrInvalid)
	}
	opts := cgraph.Options{kv.OptNoBloom: true}
	if _, err := os.Stat(filepath.Join(path, "indexes.bolt")); errors.Is(err, os.ErrNotExist) {
		db, err := bbolt.Create(path, opts)
		if err != nil {
			return nil, nil, err
		}
		if err := kv.Init(db, opts); err != nil {
			db.Close()
			return nil, nil, err
		}
		if err := db.Close(); err != nil {
			return nil, nil, err
		}
	}
	db, err := bbolt.Open(path, opts)
	if err != nil {
		return nil, nil, err
	}
	qs, err := kv.New(db, opts)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	var bulk *boltBulk
	if hdb, ok := db.(*hbolt.DB); ok {
		if bulk, err = openBoltBulk(hdb.DB()); err != nil {
			qs.Close()
			return nil, nil, err
		}
	}
	return qs, bulk, nil
}

func openPostgres(url string) (cgraph.QuadStore, error) {
	// Init creates cayley's tables; on a database that has them it fails
	// with ErrDatabaseExists, which is what a second start expects.
	if err := csql.Init(postgres.Type, url, nil); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
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
func (s *Store) Index() *readmodel.Index { return s.idx.Load() }

// Sources lists the loaded sources, ordered by id.
func (s *Store) Sources(ctx context.Context) ([]graph.SourceInfo, error) {
	if s.closed.Load() {
		return nil, graph.ErrClosed
	}
	return s.Index().Sources(), nil
}

// Replace makes the facts that write puts the new version of src. It is
// idempotent (facts identical to the current version's change nothing) and
// atomic to readers. If write fails, or ctx ends, the previous version stays
// current and what was written of the new one is removed.
func (s *Store) Replace(ctx context.Context, src graph.Source, write func(graph.FactSink) error) (ReplaceResult, error) {
	if s.closed.Load() {
		return ReplaceResult{}, graph.ErrClosed
	}
	if _, err := graph.ParseSourceID(string(src.ID)); err != nil {
		return ReplaceResult{}, err
	}
	if _, err := graph.ParseSourceKind(string(src.Kind)); err != nil {
		return ReplaceResult{}, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.beginWrite()
	defer s.endWrite()
	s.removeStale(ctx)

	now := s.now().UTC()
	version := versionLabel(src.ID, now)
	sink := &versionSink{ctx: ctx, s: s, label: version, hash: sha256.New()}
	err := write(sink)
	if err == nil {
		err = sink.finish()
	} else {
		sink.wait() // the batch in flight, before the version is removed
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		s.removeVersion(ctx, version, "a failed version")
		return ReplaceResult{}, fmt.Errorf("graph: replace %s: %w", src.ID, err)
	}
	sum := "sha256:" + hex.EncodeToString(sink.hash.Sum(nil))

	old, hadOld := s.Index().Source(src.ID)
	if hadOld && old.Hash == sum {
		// The same facts: drop what was written; at most the source's
		// description (title, origin) changes.
		s.removeVersion(ctx, version, "an unchanged version")
		if old.Kind == src.Kind && old.Title == src.Title && old.Origin == src.Origin {
			return ReplaceResult{SourceInfo: old, Unchanged: true}, nil
		}
		oldMeta := old.Source.MetaQuads(quad.IRI(old.Version), old.LoadedAt, old.Hash)
		if err := s.apply(diffDeltas(oldMeta, src.MetaQuads(quad.IRI(old.Version), old.LoadedAt, old.Hash))); err != nil {
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
		oldMeta = old.Source.MetaQuads(quad.IRI(old.Version), old.LoadedAt, old.Hash)
	}
	if err := s.apply(diffDeltas(oldMeta, src.MetaQuads(version, now, sum))); err != nil {
		s.removeVersion(ctx, version, "a failed version")
		return ReplaceResult{}, fmt.Errorf("graph: replace %s: commit: %w", src.ID, err)
	}
	// From here the new version is current; what follows only tidies up.
	info := graph.SourceInfo{Source: src, Version: string(version), LoadedAt: now, Hash: sum}
	var oldSubjects []quad.Value
	if hadOld {
		oldSubjects = s.j.subjects(old.Version)
	}
	s.rebuild(info, old.Version)
	if hadOld {
		s.removeOrDefer(ctx, staleVersion{quad.IRI(old.Version), oldSubjects}, "the replaced version")
	}
	info, _ = s.Index().Source(src.ID)
	return ReplaceResult{SourceInfo: info}, nil
}

// rebuild makes the next read model from the journal, with the source
// info set (added or changed) and the version dropped (replaced or
// deleted; "" for none), and swaps it in. It reads nothing from the store.
// A write whose versions hold facts about firms only is followed by an
// update of the read model (readmodel.Index.Update) that decodes just the
// firms they name; any other by a rebuild from every quad.
func (s *Store) rebuild(set graph.SourceInfo, dropped string) {
	start := time.Now()
	old := s.Index()
	changed, firmsOnly := s.changedSubjects(old, set, dropped)
	if dropped != "" {
		s.j.drop(dropped)
	}
	var infos []graph.SourceInfo
	for _, si := range old.Sources() {
		if si.ID != set.ID {
			infos = append(infos, si)
		}
	}
	if set.ID != "" && set.Version != "" {
		infos = append(infos, set)
	}
	idx, updated := s.update(old, infos, changed, firmsOnly)
	if !updated {
		// A whole build's garbage, as at an open (RoomyGC).
		restore := RoomyGC()
		b := startBuilder(infos)
		s.j.replay(b)
		idx = b.Build()
		restore()
	}
	s.idx.Store(idx)
	s.j.compact()
	s.j.forgetIndex()
	s.log.Info("read model rebuilt", "quads", idx.Stats().Quads, "subjects changed", len(changed), "updated", updated,
		"took", time.Since(start).Round(time.Millisecond))
	s.warnBadValues(idx)
}

// changedSubjects lists the subjects (value ids, sorted) of the versions a
// write drops or makes current, or whose source's kind (and so rank) it
// changes, and whether all of them are firms.
func (s *Store) changedSubjects(old *readmodel.Index, set graph.SourceInfo, dropped string) ([]uint32, bool) {
	var ids []uint32
	firms := true
	add := func(label string) {
		l, f := s.j.subjectIDs(label)
		ids, firms = append(ids, l...), firms && f
	}
	if dropped != "" {
		add(dropped)
	}
	if set.Version != "" {
		if prev, ok := old.Source(set.ID); !ok || prev.Version != set.Version || prev.Kind != set.Kind {
			add(set.Version)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), firms
}

// update makes the next read model by readmodel.Index.Update when the
// write changed firms only, and fewer than the model holds; false when it
// did not, or Update could not. (An update decodes the changed firms and
// passes over the whole model; a rebuild decodes every firm. A first load
// of a million firms into the defaults' few thousand would pay for both
// when Update declines, 24 of a rebuild's 62 CPU-seconds.)
func (s *Store) update(old *readmodel.Index, infos []graph.SourceInfo, changed []uint32, firmsOnly bool) (*readmodel.Index, bool) {
	if !firmsOnly || old == nil || len(changed) > old.FirmCount() {
		return nil, false
	}
	b := startBuilder(infos)
	s.j.replaySubjects(b, changed)
	firms := make([]graph.FirmID, 0, len(changed))
	for _, id := range changed {
		if f, ok := graph.FirmOf(graph.IRIOf(s.j.vals[id])); ok {
			firms = append(firms, f)
		}
	}
	slices.Sort(firms)
	return old.Update(b, firms)
}

// startBuilder is a builder of the read model of the sources infos,
// ready for their facts.
func startBuilder(infos []graph.SourceInfo) *readmodel.Builder {
	b := readmodel.NewBuilder()
	b.SetSources(infos)
	b.StartFacts()
	return b
}

// Delete removes a source and its facts. Facts another source also asserts stay.
func (s *Store) Delete(ctx context.Context, id graph.SourceID) error {
	if s.closed.Load() {
		return graph.ErrClosed
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.removeStale(ctx)
	old, ok := s.Index().Source(id)
	if ok {
		s.beginWrite()
		defer s.endWrite()
	}
	if !ok {
		return fmt.Errorf("%w: source %s", graph.ErrNotFound, id)
	}
	if err := s.apply(diffDeltas(old.Source.MetaQuads(quad.IRI(old.Version), old.LoadedAt, old.Hash), nil)); err != nil {
		return fmt.Errorf("graph: delete %s: %w", id, err)
	}
	subjects := s.j.subjects(old.Version)
	s.rebuild(graph.SourceInfo{Source: graph.Source{ID: id}}, old.Version)
	s.removeOrDefer(ctx, staleVersion{quad.IRI(old.Version), subjects}, "the deleted source's quads")
	return nil
}

// versionLabel mints a version label that sorts by time within a source.
func versionLabel(id graph.SourceID, t time.Time) quad.IRI {
	return quad.IRI(string(id.IRI()) + "@" + strconv.FormatInt(t.UnixNano(), 36))
}

// diffDeltas turns a change from quads old to quads new into deltas that
// leave the common quads alone: cayley's kv backend applies a transaction's
// additions before its deletions, so deleting and re-adding one quad in the
// same transaction would lose it.
func diffDeltas(old, new []quad.Quad) []cgraph.Delta {
	keep := make(map[quad.Quad]bool, len(new))
	for _, q := range new {
		keep[q] = true
	}
	var out []cgraph.Delta
	for _, q := range old {
		if keep[q] {
			delete(keep, q)
			continue
		}
		out = append(out, cgraph.Delta{Action: cgraph.Delete, Quad: q})
	}
	for _, q := range new {
		if keep[q] {
			out = append(out, cgraph.Delta{Action: cgraph.Add, Quad: q})
		}
	}
	return out
}

// apply writes one transaction.
func (s *Store) apply(deltas []cgraph.Delta) error {
	p, err := s.prepare(deltas)
	if err != nil {
		return err
	}
	return s.write(p)
}

// pending is a transaction made ready to write.
type pending struct {
	deltas []cgraph.Delta
	bolt   *bulkBatch // the deltas hashed and encoded for bbolt's bulk path; nil when not taken
}

// prepare readies deltas for write: a batch of additions to bbolt is
// hashed and encoded here, without the store's lock, so that a load
// prepares a batch while the one before it is written.
func (s *Store) prepare(deltas []cgraph.Delta) (pending, error) {
	p := pending{deltas: deltas}
	if s.bolt == nil || !boltBulkEnabled || len(deltas) == 0 || !allAdditions(deltas) {
		return p, nil
	}
	var err error
	p.bolt, err = s.bolt.prepare(deltas)
	return p, err
}

// allAdditions reports whether every delta adds a quad.
func allAdditions(deltas []cgraph.Delta) bool {
	for _, d := range deltas {
		if d.Action != cgraph.Add {
			return false
		}
	}
	return true
}

// write writes one transaction, through a bulk path when it has one.
func (s *Store) write(p pending) error {
	if len(p.deltas) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bolt != nil {
		return s.bolt.write(p.bolt)
	}
	if ok, err := s.applyBulk(p.deltas); ok {
		return err
	}
	return s.qs.ApplyDeltas(p.deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
}

// versionSink encodes facts into labelled quads and writes them in batches.
// A batch is applied by a goroutine of its own while the loader reads,
// classifies, encodes and prepares the next (the writer is most of a load's
// CPU and takes one core; the rest would otherwise wait for it): at most
// one batch is in flight, and the next flush waits for it.
type versionSink struct {
	ctx   context.Context
	s     *Store
	label quad.IRI
	hash  hash.Hash
	enc   []quad.Quad
	buf   []cgraph.Delta
	n     int

	inflight chan error     // the result of the batch being applied; nil when none
	spare    []cgraph.Delta // the buffer of the last batch applied, for reuse
	flying   int            // quads in the batch being applied
}

// Put implements FactSink.
func (w *versionSink) Put(facts ...graph.Fact) error {
	for _, f := range facts {
		if f == nil {
			continue
		}
		w.enc = graph.Encode(w.enc[:0], f)
		for _, q := range w.enc {
			q.Label = w.label
			w.s.j.add(q)
			w.hash.Write([]byte(q.Subject.String()))
			w.hash.Write([]byte{0})
			w.hash.Write([]byte(q.Predicate.String()))
			w.hash.Write([]byte{0})
			w.hash.Write([]byte(q.Object.String()))
			w.hash.Write([]byte{'\n'})
			w.buf = append(w.buf, cgraph.Delta{Action: cgraph.Add, Quad: q})
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
func (w *versionSink) Written() int { return w.n + w.flying + len(w.buf) }

// flush hands the buffered quads to the store, after the batch before them
// is written.
func (w *versionSink) flush() error {
	// Prepared while the batch before it is written.
	p, err := w.s.prepare(w.buf)
	if err != nil {
		return err
	}
	if err := w.wait(); err != nil {
		return err
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if len(w.buf) == 0 {
		return nil
	}
	batch := w.buf
	w.buf, w.spare = w.spare[:0], nil
	w.flying = len(batch)
	done := make(chan error, 1)
	w.inflight = done
	go func() {
		err := w.s.write(p)
		w.spare = batch // read only after done is received
		done <- err
	}()
	return nil
}

// finish writes what is buffered and waits until it is written.
func (w *versionSink) finish() error {
	err := w.flush()
	if werr := w.wait(); err == nil {
		err = werr
	}
	return err
}

// wait waits for the batch in flight, if any, and returns its error. A
// version is not complete (nor may it be removed) before wait returns.
func (w *versionSink) wait() error {
	if w.inflight == nil {
		return nil
	}
	err := <-w.inflight
	w.inflight = nil
	if err == nil {
		w.n += w.flying
	}
	w.flying = 0
	return err
}

// staleVersion is a version to remove: its label, and its subjects, through
// which bbolt finds its quads.
type staleVersion struct {
	label    quad.IRI
	subjects []quad.Value
}

// removeVersion deletes a version that never became current (a failed, a
// cancelled or an unchanged load): its quads, found through the journal,
// which recorded them as they were written.
func (s *Store) removeVersion(ctx context.Context, label quad.IRI, what string) {
	subjects := s.j.subjects(string(label))
	s.j.drop(string(label))
	s.removeOrDefer(ctx, staleVersion{label, subjects}, what)
}

// removeOrDefer removes the quads of a version that is not current. The
// removal stops when ctx ends — a shutdown's grace is not spent tidying —
// and what it did not finish is left to the next write (removeStale) and,
// on bbolt and PostgreSQL, to the next Open, which removes every quad of a
// version that is not current. Readers never see those quads: the read
// model and ad-hoc queries (view.go) read current versions only. The
// caller holds wmu.
func (s *Store) removeOrDefer(ctx context.Context, v staleVersion, what string) {
	if err := s.removeQuadsOf(ctx, v.label, v.subjects); err != nil {
		s.stale = append(s.stale, v)
		s.markUnclean() // no snapshot may skip the scan that would remove them
		s.log.Warn("could not remove "+what+"; the next write removes it", "version", v.label, "err", err)
	}
}

// removeStale removes the versions whose removal was cut short, while ctx
// lasts. The caller holds wmu.
func (s *Store) removeStale(ctx context.Context) {
	kept := s.stale[:0]
	for _, v := range s.stale {
		if err := s.removeQuadsOf(ctx, v.label, v.subjects); err != nil {
			kept = append(kept, v)
		}
	}
	s.stale = kept
}

// removeQuadsOf deletes every quad of a version, stopping when ctx ends.
// mem and postgres find them by their label; bbolt, which has no label
// index, through their subjects. On mem a large version is removed by
// copying the store without it (memremove.go).
func (s *Store) removeQuadsOf(ctx context.Context, label quad.IRI, subjects []quad.Value) error {
	if err := ctx.Err(); err != nil {
		return err
	}
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
	if s.backend == "mem" && len(quads) > memDeleteMax {
		_, err := s.removeMemByCopy(ctx, label)
		return err
	}
	return s.deleteQuads(ctx, quads)
}

// applyAdd adds quads in one transaction.
func (s *Store) applyAdd(quads []quad.Quad) error {
	deltas := make([]cgraph.Delta, len(quads))
	for i, q := range quads {
		deltas[i] = cgraph.Delta{Action: cgraph.Add, Quad: q}
	}
	return s.apply(deltas)
}

// deleteQuads removes quads in batches, stopping between two when ctx ends.
func (s *Store) deleteQuads(ctx context.Context, quads []quad.Quad) error {
	for len(quads) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(quads), s.batch)
		deltas := make([]cgraph.Delta, n)
		for i, q := range quads[:n] {
			deltas[i] = cgraph.Delta{Action: cgraph.Delete, Quad: q}
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
		if q.Label != nil && labels[graph.IRIOf(q.Label)] {
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
	b := readmodel.NewBuilder()
	if err := s.readMeta(ctx, b); err != nil {
		return fmt.Errorf("graph: read sources: %w", err)
	}
	b.StartFacts()
	dropped := make(map[string]bool, len(drop))
	for _, l := range drop {
		dropped[string(l)] = true
	}
	var orphans []quad.Quad
	j := newJournal()
	if err := s.scan(ctx, func(q quad.Quad) error {
		if q.Label == graph.MetaLabel {
			return nil
		}
		if b.Fact(q) {
			j.add(q)
		} else if s.removable(b, q.Label, dropped) {
			orphans = append(orphans, q)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("graph: build read model: %w", err)
	}
	idx := b.Build()
	s.idx.Store(idx)
	s.j = j
	s.log.Info("read model built", "backend", s.backend, "quads", idx.Stats().Quads, "took", time.Since(start).Round(time.Millisecond))
	s.warnBadValues(idx)
	if len(orphans) > 0 {
		if err := s.deleteQuads(ctx, orphans); err != nil {
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
func (s *Store) removable(b *readmodel.Builder, label quad.Value, dropped map[string]bool) bool {
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
	if cur, ok := b.Source(src); ok {
		if _, curAt, ok := parseVersionLabel(quad.IRI(cur.Version)); ok && curAt.After(at) {
			return true // superseded
		}
	}
	return s.now().Sub(at) > staleAfter
}

// parseVersionLabel reads a label made by versionLabel.
func parseVersionLabel(l quad.IRI) (graph.SourceID, time.Time, bool) {
	base, ts, ok := strings.Cut(string(l), "@")
	kind, id := graph.ParseIRI(base)
	if !ok || kind != graph.EntitySource {
		return "", time.Time{}, false
	}
	n, err := strconv.ParseInt(ts, 36, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return graph.SourceID(id), time.Unix(0, n), true
}

// readMeta reads the sources and their current versions through the
// object and subject indexes, which every backend has.
func (s *Store) readMeta(ctx context.Context, b *readmodel.Builder) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	srcs, err := s.quadsAbout(ctx, quad.Object, graph.ClassSource)
	if err != nil {
		return err
	}
	for _, q := range srcs {
		if q.Label != graph.MetaLabel || q.Predicate != graph.PredType {
			continue
		}
		about, err := s.quadsAbout(ctx, quad.Subject, q.Subject)
		if err != nil {
			return err
		}
		for _, m := range about {
			if m.Label != graph.MetaLabel {
				continue
			}
			b.Meta(m)
			if m.Predicate == graph.PredCurrent {
				ver, err := s.quadsAbout(ctx, quad.Subject, m.Object)
				if err != nil {
					return err
				}
				for _, v := range ver {
					if v.Label == graph.MetaLabel {
						b.Meta(v)
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
	var refs []cgraph.Ref
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

// warnBadValues says in the log which stored values the read model could
// not read (a number that does not parse), so they are not lost silently.
func (s *Store) warnBadValues(idx *readmodel.Index) {
	n := idx.Stats().BadValues
	if n == 0 {
		return
	}
	first := idx.BadValues()[0]
	s.log.Warn("stored values the read model could not read were left out", "count", n,
		"first_subject", first.Subject, "first_predicate", first.Predicate, "first_value", first.Value)
}

// Labels lists the label of every quad in the store, current or not — what
// a failed or killed write may have left. Ad-hoc queries see current
// versions only (view.go), so checks of what is on disk use this. It reads
// every quad.
func (s *Store) Labels(ctx context.Context) ([]string, error) {
	seen := map[string]bool{}
	err := s.scan(ctx, func(q quad.Quad) error {
		if q.Label != nil {
			seen[graph.IRIOf(q.Label)] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	slices.Sort(out)
	return out, nil
}
