package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// The read-model snapshot lets a bbolt store open without scanning cayley,
// whose read path (~50k quads/s) took 57 s at 100k firms and 9 minutes at a
// million. It saves the journal — the decoded quads of the current versions,
// from which the read model is built — rather than the Index itself: every
// field of the Index, including fields added later, is then rebuilt by the
// same Builder as after a scan, and the journal the store needs for its next
// write is restored with it.
//
// Layout, in the bbolt directory: readmodel/seg-HASH.jnl holds one version's
// journal (written once, when the version is committed: a write costs the
// size of what it wrote, not of the store), readmodel/manifest names the
// version state it was written for — every current source's version and
// content hash, and cayley's count of the store's quads, which any write
// changes, even one by a process that knows nothing of the snapshot — and
// each segment with its size and checksum.
//
// When it is written: after each committed write, and after a full scan at
// Open. A write removes the manifest before it stores anything and writes
// it again when the store is clean; a process killed in between leaves no
// manifest, and the next Open scans (which also removes the quads of a
// version that never became current). A manifest whose version state is
// not the store's, a segment missing, short or failing its checksum: the
// snapshot is ignored, logged, and the store scanned as without one.
// mem: and PostgreSQL stores have none: mem: has nothing to reopen, and a
// shared PostgreSQL store is written by other replicas.

const (
	snapshotDirName = "readmodel"
	manifestName    = "manifest"
	manifestMagic   = "chainkg read-model snapshot 2"
	segmentMagic    = "chainkg journal segment 1\n"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// snapshot is a store's snapshot directory and what is on disk in it.
type snapshot struct {
	dir  string
	segs map[string]segmentFile // version label → its segment, as written
	// unclean is set when a write left quads of a version that is not
	// current: no manifest is written again until an Open has scanned.
	unclean bool
}

type segmentFile struct {
	name string
	size int64
	crc  uint32
}

// snapshotFault, when set by a test, is called at each stage of writing a
// snapshot; an error stops the write there, as a kill would.
var snapshotFault func(stage string) error

// StallEnv names a stage of writing the snapshot at which the process stops
// for good, saying so on stderr, so that a crash test can SIGKILL it exactly
// there (cmd/chainkg/snapshot_crash_test.go). Unset, it does nothing.
const StallEnv = "CHAINKG_TEST_SNAPSHOT_STALL"

func init() {
	if stage := os.Getenv(StallEnv); stage != "" {
		snapshotFault = func(at string) error {
			if at == stage {
				fmt.Fprintf(os.Stderr, "snapshot stalled at %s\n", at)
				select {}
			}
			return nil
		}
	}
}

func fault(stage string) error {
	if snapshotFault == nil {
		return nil
	}
	return snapshotFault(stage)
}

// openReadModel builds the read model at Open: from the snapshot when it
// matches the store, else by a full scan, after which it writes one.
func (s *Store) openReadModel(ctx context.Context, boltPath string) error {
	// Building the read model leaves several times its size in garbage
	// (the journal's decoded quads, the builder's merges): at a million
	// firms 9 GB of RSS against a 2.5 GB read model, which the runtime
	// returns to the system only over minutes. Return it once the open is
	// done, at the cost of one collection, made beside the first requests
	// rather than before them (the read model is whole by then).
	defer func() {
		if s.j != nil {
			s.j.forgetIndex()
		}
		go debug.FreeOSMemory()
	}()
	defer RoomyGC()()
	if s.backend == "bbolt" {
		s.snap = &snapshot{dir: filepath.Join(boltPath, snapshotDirName), segs: map[string]segmentFile{}}
		ok, err := s.loadSnapshot(ctx)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	if err := s.refresh(ctx); err != nil {
		return err
	}
	if s.snap != nil {
		if err := s.snap.remove(manifestName); err != nil {
			s.log.Warn("could not remove the read-model snapshot", "err", err)
		}
		s.saveSnapshot()
	}
	return nil
}

// versionState is the set of current versions, one "source version hash"
// line each, sorted.
func versionState(infos []graph.SourceInfo) []string {
	var out []string
	for _, si := range infos {
		if si.Version != "" {
			out = append(out, fmt.Sprintf("%s %s %s", si.ID, si.Version, si.Hash))
		}
	}
	slices.Sort(out)
	return out
}

// loadSnapshot builds the read model and the journal from the snapshot. It
// reports false, having changed nothing, when there is none to use.
func (s *Store) loadSnapshot(ctx context.Context) (bool, error) {
	start := time.Now()
	m, err := s.snap.readManifest()
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		s.log.Warn("read-model snapshot unreadable: scanning the store", "err", err)
		return false, nil
	}
	b := readmodel.NewBuilder()
	if err := s.readMeta(ctx, b); err != nil {
		return false, fmt.Errorf("graph: read sources: %w", err)
	}
	state := versionState(b.SourceList())
	quads, err := s.quadCount(ctx)
	if err != nil {
		return false, fmt.Errorf("graph: count quads: %w", err)
	}
	if quads != m.quads {
		// Quads were written or removed since, by a process that did not
		// know the snapshot (an older chainkg killed mid-write, say).
		s.log.Warn("read-model snapshot is stale (the store holds another number of quads): scanning the store",
			"snapshot", m.quads, "store", quads)
		return false, nil
	}
	if !slices.Equal(state, m.state) {
		s.log.Warn("read-model snapshot is stale (written for other versions): scanning the store",
			"snapshot", len(m.state), "store", len(state))
		return false, nil
	}
	b.StartFacts()
	j := newJournal()
	for _, label := range m.order {
		sf := m.segs[label]
		if !b.IsCurrent(label) {
			s.log.Warn("read-model snapshot holds a version that is not current: scanning the store", "version", label)
			return false, nil
		}
		if err := s.snap.readSegment(j, label, sf); err != nil {
			s.log.Warn("read-model snapshot damaged: scanning the store", "err", err)
			return false, nil
		}
		if err := ctx.Err(); err != nil {
			return false, err
		}
	}
	for _, si := range b.SourceList() {
		if si.Version != "" && m.segs[si.Version].name == "" {
			s.log.Warn("read-model snapshot lacks a current version: scanning the store", "version", si.Version)
			return false, nil
		}
	}
	j.replay(b)
	idx := b.Build()
	s.idx.Store(idx)
	s.j = j
	s.snap.segs = m.segs
	s.log.Info("read model loaded from its snapshot", "quads", idx.Stats().Quads, "took", time.Since(start).Round(time.Millisecond))
	return true, nil
}

// beginWrite runs before a write stores anything: without a manifest, a
// process killed during the write leaves a store the next Open scans.
func (s *Store) beginWrite() {
	if s.snap == nil {
		return
	}
	if err := s.snap.remove(manifestName); err != nil {
		s.log.Warn("could not remove the read-model snapshot; the store will not write one", "err", err)
		s.snap.unclean = true
	}
}

// endWrite runs when a write is over, committed or not.
func (s *Store) endWrite() { s.saveSnapshot() }

// markUnclean records that quads of a version that is not current stay in
// the store: only a scan at the next Open removes them.
func (s *Store) markUnclean() {
	if s.snap != nil {
		s.snap.unclean = true
	}
}

// saveSnapshot writes the segments of the current versions not yet on disk,
// then the manifest, then removes the segments no longer named. A failure
// leaves no manifest, and is logged: the next Open scans.
func (s *Store) saveSnapshot() {
	if s.snap == nil || s.snap.unclean {
		return
	}
	start := time.Now()
	quads, err := s.quadCount(context.Background())
	if err == nil {
		err = s.snap.save(s.Index().Sources(), s.j, quads)
	}
	if err != nil {
		s.log.Warn("could not write the read-model snapshot; the next open scans the store", "err", err)
		return
	}
	s.log.Info("read-model snapshot written", "took", time.Since(start).Round(time.Millisecond))
}

// quadCount is the number of quads cayley counts in the store, meta graph
// included: any write changes it, whoever makes it.
func (s *Store) quadCount(ctx context.Context) (int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.qs.Stats(ctx, false)
	if errors.Is(err, kv.ErrNoBucket) {
		return 0, nil // a bbolt store nothing was ever written to
	}
	return st.Quads.Value, err
}

func (sn *snapshot) save(infos []graph.SourceInfo, j *journal, quads int64) error {
	if err := os.MkdirAll(sn.dir, 0o755); err != nil {
		return err
	}
	state := versionState(infos)
	var labels []string
	for _, si := range infos {
		if si.Version != "" {
			labels = append(labels, si.Version)
		}
	}
	slices.Sort(labels)
	segs := map[string]segmentFile{}
	for _, label := range labels {
		if sf, ok := sn.segs[label]; ok {
			segs[label] = sf
			continue
		}
		v := j.byVer[label]
		if v == nil {
			v = &jversion{} // a version without facts: the journal never saw one
		}
		sf, err := sn.writeSegment(j, label, v)
		if err != nil {
			return err
		}
		segs[label] = sf
		sn.segs[label] = sf
	}
	var b bytes.Buffer
	fmt.Fprintln(&b, manifestMagic)
	fmt.Fprintf(&b, "quads %d\n", quads)
	for _, l := range state {
		fmt.Fprintf(&b, "version %s\n", l)
	}
	for _, label := range labels {
		sf := segs[label]
		fmt.Fprintf(&b, "segment %s %d %08x %s\n", sf.name, sf.size, sf.crc, label)
	}
	fmt.Fprintf(&b, "crc %08x\n", crc32.Checksum(b.Bytes(), castagnoli))
	if err := sn.writeFile(manifestName, b.Bytes(), "manifest"); err != nil {
		return err
	}
	// Segments of versions no longer current, and files a killed write left.
	ents, err := os.ReadDir(sn.dir)
	if err != nil {
		return err
	}
	named := map[string]bool{manifestName: true}
	for _, sf := range segs {
		named[sf.name] = true
	}
	for _, e := range ents {
		if !named[e.Name()] {
			os.Remove(filepath.Join(sn.dir, e.Name()))
		}
	}
	sn.segs = segs
	return nil
}

// writeFile writes name whole or not at all: a temporary file, synced,
// renamed over name, the directory synced.
func (sn *snapshot) writeFile(name string, data []byte, stage string) error {
	tmp := filepath.Join(sn.dir, name+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	half := len(data) / 2
	_, err = f.Write(data[:half])
	if err == nil {
		err = fault(stage + ": half written")
	}
	if err == nil {
		_, err = f.Write(data[half:])
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fault(stage + ": written, not renamed")
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(sn.dir, name)); err != nil {
		return err
	}
	if err := syncDir(sn.dir); err != nil {
		return err
	}
	return fault(stage + ": renamed")
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	return errors.Join(err, d.Close())
}

func (sn *snapshot) remove(name string) error {
	err := os.Remove(filepath.Join(sn.dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return syncDir(sn.dir)
}

// manifest is a parsed manifest.
type manifest struct {
	quads int64 // cayley's count of the store's quads when it was written
	state []string
	order []string // segment labels in file order
	segs  map[string]segmentFile
}

func (sn *snapshot) readManifest() (manifest, error) {
	m := manifest{segs: map[string]segmentFile{}}
	data, err := os.ReadFile(filepath.Join(sn.dir, manifestName))
	if err != nil {
		return m, err
	}
	body, tail, ok := cutLastLine(data)
	sum, found := strings.CutPrefix(tail, "crc ")
	if !ok || !found || sum != fmt.Sprintf("%08x", crc32.Checksum(body, castagnoli)) {
		return m, fmt.Errorf("%s: checksum does not match", filepath.Join(sn.dir, manifestName))
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if len(lines) == 0 || lines[0] != manifestMagic {
		return m, fmt.Errorf("%s: not a snapshot manifest of this version", filepath.Join(sn.dir, manifestName))
	}
	for i, line := range lines[1:] {
		kind, rest, _ := strings.Cut(line, " ")
		switch kind {
		case "quads":
			n, err := strconv.ParseInt(rest, 10, 64)
			if err != nil {
				return m, fmt.Errorf("%s line %d: %q", manifestName, i+2, line)
			}
			m.quads = n
		case "version":
			m.state = append(m.state, rest)
		case "segment":
			f := strings.SplitN(rest, " ", 4)
			if len(f) != 4 {
				return m, fmt.Errorf("%s line %d: want 'segment FILE SIZE CRC LABEL'", manifestName, i+2)
			}
			size, err1 := strconv.ParseInt(f[1], 10, 64)
			crc, err2 := strconv.ParseUint(f[2], 16, 32)
			if err := errors.Join(err1, err2); err != nil || strings.ContainsAny(f[0], `/\`) {
				return m, fmt.Errorf("%s line %d: %q", manifestName, i+2, line)
			}
			m.order = append(m.order, f[3])
			m.segs[f[3]] = segmentFile{name: f[0], size: size, crc: uint32(crc)}
		default:
			return m, fmt.Errorf("%s line %d: unknown entry %q", manifestName, i+2, kind)
		}
	}
	return m, nil
}

// cutLastLine splits data before its last line, which it returns without
// the newline.
func cutLastLine(data []byte) ([]byte, string, bool) {
	data = bytes.TrimSuffix(data, []byte("\n"))
	i := bytes.LastIndexByte(data, '\n')
	if i < 0 {
		return nil, "", false
	}
	return data[:i+1], string(data[i+1:]), true
}

// Segment encoding: the magic, the label, the version's quad total, its
// values (a kind byte, then the value), its kept quads as triples of value
// numbers, the hashes of the quads not kept; uvarint lengths and numbers;
// then the CRC-32C of all that.
const (
	valIRI byte = iota + 1
	valString
	valInt
	valFloat
	valBool
	valTyped
	valLang
	valBNode
	valOther // pquads' encoding
)

func (sn *snapshot) writeSegment(j *journal, label string, v *jversion) (segmentFile, error) {
	v.seal()
	sum := sha256.Sum256([]byte(label))
	name := "seg-" + hex.EncodeToString(sum[:12]) + ".jnl"
	var buf bytes.Buffer
	w := bufio.NewWriterSize(&buf, 1<<16)
	w.WriteString(segmentMagic)
	putString(w, label)
	putUvarint(w, uint64(v.total))
	// Number the version's values locally, in order of first use.
	local := make(map[uint32]uint32, len(v.quads))
	var vals []uint32
	num := func(id uint32) uint32 {
		if n, ok := local[id]; ok {
			return n
		}
		n := uint32(len(vals))
		local[id] = n
		vals = append(vals, id)
		return n
	}
	trip := make([]uint32, 0, 3*len(v.quads))
	for _, q := range v.quads {
		trip = append(trip, num(q.s), num(q.p), num(q.o))
	}
	putUvarint(w, uint64(len(vals)))
	for _, id := range vals {
		if err := putValue(w, j.vals[id]); err != nil {
			return segmentFile{}, fmt.Errorf("version %s: %w", label, err)
		}
	}
	putUvarint(w, uint64(len(v.quads)))
	for _, n := range trip {
		putUvarint(w, uint64(n))
	}
	putUvarint(w, uint64(len(v.skipped)))
	var b8 [8]byte
	for _, h := range v.skipped {
		binary.LittleEndian.PutUint64(b8[:], h)
		w.Write(b8[:])
	}
	if err := w.Flush(); err != nil {
		return segmentFile{}, err
	}
	crc := crc32.Checksum(buf.Bytes(), castagnoli)
	binary.LittleEndian.PutUint32(b8[:4], crc)
	buf.Write(b8[:4])
	if err := sn.writeFile(name, buf.Bytes(), "segment"); err != nil {
		return segmentFile{}, err
	}
	return segmentFile{name: name, size: int64(buf.Len()), crc: crc}, nil
}

func (sn *snapshot) readSegment(j *journal, label string, sf segmentFile) error {
	path := filepath.Join(sn.dir, sf.name)
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if int64(len(data)) != sf.size || len(data) < 4 {
		return fmt.Errorf("%s: %d bytes, the manifest says %d", path, len(data), sf.size)
	}
	body := data[:len(data)-4]
	crc := binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc != sf.crc || crc32.Checksum(body, castagnoli) != crc {
		return fmt.Errorf("%s: checksum does not match", path)
	}
	r := &reader{b: body}
	if string(r.bytes(len(segmentMagic))) != segmentMagic {
		return fmt.Errorf("%s: not a journal segment of this version", path)
	}
	if got := r.string(); got != label {
		return fmt.Errorf("%s: holds version %s, the manifest says %s", path, got, label)
	}
	v := &jversion{total: int(r.uvarint())}
	ids := make([]uint32, r.uvarint())
	for i := range ids {
		val, err := r.value()
		if err != nil {
			return fmt.Errorf("%s: value %d: %w", path, i, err)
		}
		ids[i] = j.intern(val)
	}
	nq := r.uvarint()
	v.quads = make([]jquad, 0, nq)
	for k := uint64(0); k < nq && r.err == nil; k++ {
		a, b, c := r.uvarint(), r.uvarint(), r.uvarint()
		if a >= uint64(len(ids)) || b >= uint64(len(ids)) || c >= uint64(len(ids)) {
			return fmt.Errorf("%s: quad %d names a value out of range", path, k)
		}
		v.quads = append(v.quads, jquad{ids[a], ids[b], ids[c]})
	}
	ns := r.uvarint()
	for k := uint64(0); k < ns && r.err == nil; k++ {
		v.skipped = append(v.skipped, binary.LittleEndian.Uint64(r.bytes(8)))
	}
	if r.err != nil {
		return fmt.Errorf("%s: %w", path, r.err)
	}
	if len(r.b) != 0 {
		return fmt.Errorf("%s: %d bytes after the end", path, len(r.b))
	}
	if v.total != v.counted()+len(v.skipped) {
		return fmt.Errorf("%s: %d quads in all, but %d kept and %d not", path, v.total, v.counted(), len(v.skipped))
	}
	// The segment was written sealed: its order is the one the version was
	// replayed in before, each subject's quads together, repeats dropped.
	// Kept as it is (the values are numbered anew here, and sorting by the
	// new numbers would change the order of a multi-valued attribute, which
	// the journal gives in the order its values were first seen).
	v.sorted = true
	j.byVer[label] = v
	j.labels[label] = quad.IRI(label)
	return nil
}

func putUvarint(w *bufio.Writer, n uint64) {
	var b [binary.MaxVarintLen64]byte
	w.Write(b[:binary.PutUvarint(b[:], n)])
}

func putString(w *bufio.Writer, s string) {
	putUvarint(w, uint64(len(s)))
	w.WriteString(s)
}

func putValue(w *bufio.Writer, v quad.Value) error {
	switch v := v.(type) {
	case quad.IRI:
		w.WriteByte(valIRI)
		putString(w, string(v))
	case quad.String:
		w.WriteByte(valString)
		putString(w, string(v))
	case quad.Int:
		w.WriteByte(valInt)
		putUvarint(w, uint64(v))
	case quad.Float:
		w.WriteByte(valFloat)
		putUvarint(w, math.Float64bits(float64(v)))
	case quad.Bool:
		w.WriteByte(valBool)
		if v {
			w.WriteByte(1)
		} else {
			w.WriteByte(0)
		}
	case quad.TypedString:
		w.WriteByte(valTyped)
		putString(w, string(v.Value))
		putString(w, string(v.Type))
	case quad.LangString:
		w.WriteByte(valLang)
		putString(w, string(v.Value))
		putString(w, v.Lang)
	case quad.BNode:
		w.WriteByte(valBNode)
		putString(w, string(v))
	default:
		data, err := pquads.MarshalValue(v)
		if err != nil {
			return err
		}
		w.WriteByte(valOther)
		putString(w, string(data))
	}
	return nil
}

// reader decodes a segment; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.fail(io.ErrUnexpectedEOF)
		return make([]byte, max(n, 8))
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail(io.ErrUnexpectedEOF)
		return 0
	}
	r.b = r.b[k:]
	return n
}

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail(io.ErrUnexpectedEOF)
		return ""
	}
	return string(r.bytes(int(n)))
}

func (r *reader) value() (quad.Value, error) {
	kind := r.bytes(1)[0]
	var v quad.Value
	switch kind {
	case valIRI:
		v = quad.IRI(r.string())
	case valString:
		v = quad.String(r.string())
	case valInt:
		v = quad.Int(int64(r.uvarint()))
	case valFloat:
		v = quad.Float(math.Float64frombits(r.uvarint()))
	case valBool:
		v = quad.Bool(r.bytes(1)[0] == 1)
	case valTyped:
		val := r.string()
		v = quad.TypedString{Value: quad.String(val), Type: quad.IRI(r.string())}
	case valLang:
		val := r.string()
		v = quad.LangString{Value: quad.String(val), Lang: r.string()}
	case valBNode:
		v = quad.BNode(r.string())
	case valOther:
		data := r.string()
		if r.err == nil {
			return pquads.UnmarshalValue([]byte(data))
		}
	default:
		return nil, fmt.Errorf("unknown value kind %d", kind)
	}
	return v, r.err
}

// RoomyGC lets the heap grow to four times what survives a collection,
// instead of twice, within half the machine's memory (the runtime collects
// harder as it nears that limit), while the read model is built at an
// open: the builder's garbage made a third of a million-firm open's CPU.
// (Around a load's writes it saved a fifth of a 100k load's CPU but none
// of a million-firm load's, for 1.7 GB more peak memory: not kept.) An
// operator's GOGC or GOMEMLIMIT is left alone. The returned
// function puts the settings back once every caller has returned its own.
func RoomyGC() (restore func()) {
	limit := gcMemoryLimit()
	if limit == 0 {
		return func() {}
	}
	roomy.Lock()
	defer roomy.Unlock()
	if roomy.users == 0 {
		roomy.percent = debug.SetGCPercent(300)
		roomy.limit = debug.SetMemoryLimit(limit)
	}
	roomy.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			roomy.Lock()
			defer roomy.Unlock()
			if roomy.users--; roomy.users == 0 {
				debug.SetGCPercent(roomy.percent)
				debug.SetMemoryLimit(roomy.limit)
			}
		})
	}
}

// BoundedGC caps the heap at half the machine's memory (Go's soft memory
// limit) while a load writes, unless an operator set GOGC or GOMEMLIMIT:
// at a few million firms a bulk transaction's batch, bbolt's dirty pages
// and their node lists are gigabytes on top of the read model, and with
// the default GC the heap grew to twice all of it (a second million loaded
// into a 1M store passed 17 GB of heap and was killed on a 24 GB machine
// with other work on it). The returned function puts the limit back.
func BoundedGC() (restore func()) {
	limit := gcMemoryLimit()
	if limit == 0 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

// gcMemoryLimit is the memory limit RoomyGC and BoundedGC set, half the
// machine's memory; 0 when they must leave the GC alone: an operator set
// GOGC or GOMEMLIMIT, or the machine's memory cannot be read.
func gcMemoryLimit() int64 {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return memTotal() / 2
}

// roomy counts RoomyGC's callers, so overlapping ones (an open beside a
// load, tests in parallel) put back the settings from before the first.
var roomy struct {
	sync.Mutex
	users   int
	percent int
	limit   int64
}

// memTotal reads the machine's memory from /proc/meminfo; 0 where there is
// none to read.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
