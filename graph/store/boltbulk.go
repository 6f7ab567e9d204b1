package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"
)

// The bulk path for bbolt. Cayley's kv writer goes through hidalgo's
// generic key-value layer: each Put creates its bucket if missing, each
// node and each index list is looked up apart, and the index lists are
// read and rewritten in a map's order, so a million firms (14M quads)
// spend most of their load in it, on one core. A batch of additions —
// what a load writes — goes instead straight into bbolt, in cayley's own
// kv encoding (graph/kv/indexing.go at the version in go.mod), in one
// transaction:
//
//	meta/horizon, meta/size          little-endian counters, as cayley keeps them
//	v<h0><h1>/<value hash>           → uvarint node ID (new nodes)
//	n<h0><h1>/<value hash>           → uvarint reference count (+ the batch's uses)
//	log/<big-endian ID>              → the node's or quad's proto.Primitive
//	<index dirs>/<big-endian IDs>    → uvarint list of quad IDs, appended
//
// The nodes are visited in hash order (cayley's graphlog.SplitDeltas gives
// them so) and the index keys in key order, so bbolt's cursors walk each
// bucket once. IDs, reference counts, duplicate handling and index lists
// are cayley's: TestBoltBulkMatchesCayley compares every key and value of
// two stores, one written each way (timestamps aside), before and after
// cayley deletes what the bulk path wrote.
//
// Cayley's QuadStore keeps no state the bulk path would make stale: the
// store opens it without blooms (kv.OptNoBloom), and its IRI → ID cache
// only holds IDs of nodes that exist (the bulk path adds, never removes).
// Deletions and anything else still go through cayley.

// boltBulkEnabled switches the bulk path on for bbolt stores; tests and
// benchmarks turn it off to compare with cayley's writer.
var boltBulkEnabled = true

// boltBulk writes to the bbolt file under cayley's QuadStore; the store's
// mu, held exclusively around a write, keeps cayley's readers out.
type boltBulk struct {
	db      *bolt.DB
	indexes []kv.QuadIndex // the store's quad indexes, as its meta records them
}

var (
	bucketMeta = []byte("meta")
	bucketLog  = []byte("log")
)

// openBoltBulk reads the store's index list; a store with a unique index
// (which cayley treats differently when it looks for duplicates) gets no
// bulk path.
func openBoltBulk(db *bolt.DB) (*boltBulk, error) {
	var indexes []kv.QuadIndex
	err := db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if b == nil {
			return fmt.Errorf("no meta bucket")
		}
		v := b.Get([]byte("indexes"))
		if v == nil {
			return fmt.Errorf("no index list in meta")
		}
		return json.Unmarshal(v, &indexes)
	})
	if err != nil {
		return nil, fmt.Errorf("bbolt bulk writer: %w", err)
	}
	for _, ind := range indexes {
		if ind.Unique || len(ind.Dirs) == 0 {
			return nil, nil
		}
	}
	return &boltBulk{db: db, indexes: indexes}, nil
}

// bulkNode is a node of a batch: its hash and value, the batch's uses of
// it, its value encoded for the log, and its ID once resolved or assigned.
type bulkNode struct {
	graphlog.NodeUpdate
	encoded []byte
	id      uint64
	isNew   bool
}

// bulkBatch is a batch of additions made ready for a transaction: its
// nodes in hash order and its quads, as cayley's graphlog splits them.
type bulkBatch struct {
	nodes []bulkNode
	at    map[refs.ValueHash]int32 // a node's index in nodes
	adds  []graphlog.QuadUpdate
}

// prepare hashes and encodes a batch, work that needs no transaction: a
// load prepares a batch while the one before it is written.
func (b *boltBulk) prepare(deltas []cgraph.Delta) (*bulkBatch, error) {
	split := graphlog.SplitDeltas(deltas)
	p := &bulkBatch{nodes: make([]bulkNode, len(split.IncNode)), at: make(map[refs.ValueHash]int32, len(split.IncNode)), adds: split.QuadAdd}
	for i, n := range split.IncNode {
		enc, err := pquads.MarshalValue(n.Val)
		if err != nil {
			return nil, err
		}
		p.nodes[i] = bulkNode{NodeUpdate: n, encoded: enc}
		p.at[n.Hash] = int32(i)
	}
	return p, nil
}

// write writes a prepared batch in one transaction.
func (b *boltBulk) write(p *bulkBatch) error {
	now := time.Now().UnixNano()
	return b.db.Update(func(tx *bolt.Tx) error {
		w := bulkTx{tx: tx, indexes: b.indexes, buckets: map[string]*bolt.Bucket{}}
		if err := w.resolveNodes(p.nodes); err != nil {
			return err
		}
		if err := w.writeNodes(p.nodes, now); err != nil {
			return err
		}
		links, err := w.newLinks(p.adds, p.nodes, p.at)
		if err != nil {
			return err
		}
		return w.writeLinks(links, now)
	})
}

// bulkTx is one bulk transaction, with the buckets it has opened.
type bulkTx struct {
	tx       *bolt.Tx
	indexes  []kv.QuadIndex
	buckets  map[string]*bolt.Bucket
	firstNew uint64 // the first ID the batch gives a node: a key holding one or more is in no index yet
}

// bucket returns the top-level bucket name, opened once per transaction;
// create makes it when missing (cayley's writer makes buckets on first
// Put), otherwise a missing bucket is nil.
func (w *bulkTx) bucket(name []byte, create bool) (*bolt.Bucket, error) {
	if b, ok := w.buckets[string(name)]; ok && b != nil {
		return b, nil
	}
	b := w.tx.Bucket(name)
	if b == nil && create {
		var err error
		if b, err = w.tx.CreateBucket(name); err != nil {
			return nil, err
		}
	}
	if b != nil {
		w.buckets[string(name)] = b
		if w.appended(name) {
			// Filled before a split, not half: new keys come after the
			// old ones, so the pages left behind are not written again.
			b.FillPercent = 0.9
		}
	}
	return b, nil
}

// appended reports whether a load's keys in bucket name come in order
// after the ones it holds: the log's (new IDs) and an index's led by the
// subject (a load's quads are mostly about new firms, new IDs).
func (w *bulkTx) appended(name []byte) bool {
	if bytes.Equal(name, bucketLog) {
		return true
	}
	for _, ind := range w.indexes {
		if ind.Dirs[0] == quad.Subject && bytes.Equal(name, ind.Key(nil)[0]) {
			return true
		}
	}
	return false
}

// get reads key from bucket name; nil when either is missing.
func (w *bulkTx) get(name, key []byte) ([]byte, error) {
	b, err := w.bucket(name, false)
	if b == nil || err != nil {
		return nil, err
	}
	return b.Get(key), nil
}

// put writes key in bucket name, making the bucket when missing.
func (w *bulkTx) put(name, key, val []byte) error {
	b, err := w.bucket(name, true)
	if err != nil {
		return err
	}
	return b.Put(key, val)
}

// counter adds n to a meta counter and returns its value before.
func (w *bulkTx) counter(key string, n int64) (int64, error) {
	v, err := w.get(bucketMeta, []byte(key))
	if err != nil {
		return 0, err
	}
	var before int64
	if len(v) == 8 {
		before = int64(binary.LittleEndian.Uint64(v))
	} else if v != nil {
		return 0, fmt.Errorf("bbolt bulk writer: meta %s holds %d bytes", key, len(v))
	}
	if n == 0 {
		return before, nil
	}
	buf := binary.LittleEndian.AppendUint64(nil, uint64(before+n))
	return before, w.put(bucketMeta, []byte(key), buf)
}

// resolveNodes finds the ID of every node that exists, in hash order.
func (w *bulkTx) resolveNodes(nodes []bulkNode) error {
	for i := range nodes {
		h := nodes[i].Hash
		v, err := w.get(valBucket('v', h), h[:])
		if err != nil {
			return err
		}
		if len(v) > 0 {
			nodes[i].id, _ = binary.Uvarint(v)
		}
		nodes[i].isNew = nodes[i].id == 0
	}
	return nil
}

// valBucket names the bucket of a value hash: 'v' for its ID, 'n' for its
// reference count.
func valBucket(kind byte, h refs.ValueHash) []byte { return []byte{kind, h[0], h[1]} }

// writeNodes gives the new nodes the next IDs in hash order, as cayley
// does, writes them to the log and the hash index, and adds the batch's
// uses to every node's reference count.
func (w *bulkTx) writeNodes(nodes []bulkNode, now int64) error {
	fresh := 0
	for _, n := range nodes {
		if n.isNew {
			fresh++
		}
	}
	horizon, err := w.counter("horizon", int64(fresh))
	if err != nil {
		return err
	}
	next := uint64(horizon) + 1
	w.firstNew = next
	var buf [binary.MaxVarintLen64]byte
	for i := range nodes {
		n := &nodes[i]
		refs := int64(n.RefInc)
		if n.isNew {
			n.id, next = next, next+1
			if err := w.log(&cproto.Primitive{ID: n.id, Value: n.encoded, Timestamp: now}); err != nil {
				return err
			}
			if err := w.put(valBucket('v', n.Hash), n.Hash[:], binary.AppendUvarint(nil, n.id)); err != nil {
				return err
			}
		} else if v, err := w.get(valBucket('n', n.Hash), n.Hash[:]); err != nil {
			return err
		} else if v != nil {
			old, _ := binary.Uvarint(v)
			refs += int64(old)
		}
		k := binary.PutUvarint(buf[:], uint64(refs))
		if err := w.put(valBucket('n', n.Hash), n.Hash[:], append([]byte(nil), buf[:k]...)); err != nil {
			return err
		}
	}
	return nil
}

// log writes a primitive under its ID.
func (w *bulkTx) log(p *cproto.Primitive) error {
	buf, err := proto.Marshal(p)
	if err != nil {
		return err
	}
	return w.put(bucketLog, binary.BigEndian.AppendUint64(nil, p.ID), buf)
}

// newLinks returns the batch's quads that the store does not hold, each
// once, in the batch's order, as cayley's applyAddDeltas finds them: a
// quad with a new node is new; one of nodes that all exist is looked up.
func (w *bulkTx) newLinks(adds []graphlog.QuadUpdate, nodes []bulkNode, at map[refs.ValueHash]int32) ([]*cproto.Primitive, error) {
	links := make([]*cproto.Primitive, 0, len(adds))
	seen := make(map[[4]uint64]struct{}, len(adds))
	for _, q := range adds {
		link := &cproto.Primitive{}
		var key [4]uint64
		mustBeNew := false
		for i, dir := range quad.Directions {
			j, ok := at[q.Quad.Get(dir)]
			if !ok {
				continue
			}
			mustBeNew = mustBeNew || nodes[j].isNew
			link.SetDirection(dir, nodes[j].id)
			key[i] = nodes[j].id
		}
		if _, ok := seen[key]; ok {
			continue
		}
		seen[key] = struct{}{}
		if !mustBeNew {
			held, err := w.holds(link)
			if err != nil {
				return nil, err
			}
			if held {
				continue
			}
		}
		links = append(links, link)
	}
	return links, nil
}

// holds reports whether the store has a live quad with link's directions:
// the IDs both index lists hold for it, each read from the log (cayley's
// hasPrimitive with no unique index).
func (w *bulkTx) holds(link *cproto.Primitive) (bool, error) {
	var ids []uint64
	for i, ind := range w.indexes {
		key := ind.KeyFor(link)
		v, err := w.get(key[0], key[1])
		if err != nil {
			return false, err
		}
		list, err := decodeUvarints(v)
		if err != nil {
			return false, err
		}
		if i == 0 {
			ids = list
		} else {
			ids = intersectSorted(ids, list)
		}
	}
	for i := len(ids) - 1; i >= 0; i-- {
		v, err := w.get(bucketLog, binary.BigEndian.AppendUint64(nil, ids[i]))
		if err != nil || v == nil {
			return false, err
		}
		var p cproto.Primitive
		if err := proto.Unmarshal(v, &p); err != nil {
			return false, err
		}
		if !p.Deleted && p.IsSameLink(link) {
			return true, nil
		}
	}
	return false, nil
}

// writeLinks gives the new quads the next IDs, writes them to the log,
// appends them to every index's lists, key by key in order, and counts
// them in the store's size.
func (w *bulkTx) writeLinks(links []*cproto.Primitive, now int64) error {
	start, err := w.counter("horizon", int64(len(links)))
	if err != nil {
		return err
	}
	for i, p := range links {
		p.ID, p.Timestamp = uint64(start)+1+uint64(i), now
		if err := w.log(p); err != nil {
			return err
		}
	}
	for _, ind := range w.indexes {
		if err := w.appendIndex(ind, links); err != nil {
			return err
		}
	}
	_, err = w.counter("size", int64(len(links)))
	return err
}

// indexEntry is a quad's key in one index, as the IDs of its directions,
// and its ID.
type indexEntry struct {
	dirs  [4]uint64 // the index's directions' IDs, then zeros
	id    uint64
	fresh bool // the key holds a new node
}

// compare orders entries by key (big-endian IDs compare as numbers), then ID.
func (a *indexEntry) compare(b *indexEntry) int {
	for i := range a.dirs {
		if c := cmp.Compare(a.dirs[i], b.dirs[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.id, b.id)
}

// appendIndex appends the links' IDs to their lists in ind, each list in
// ID order after the IDs it holds.
func (w *bulkTx) appendIndex(ind kv.QuadIndex, links []*cproto.Primitive) error {
	if len(links) == 0 {
		return nil
	}
	entries := make([]indexEntry, len(links))
	for i, p := range links {
		e := &entries[i]
		e.id = p.ID
		for k, d := range ind.Dirs {
			e.dirs[k] = p.GetDirection(d)
			e.fresh = e.fresh || e.dirs[k] >= w.firstNew
		}
	}
	slices.SortFunc(entries, func(a, b indexEntry) int { return a.compare(&b) })
	b, err := w.bucket(ind.Key(nil)[0], true)
	if err != nil {
		return err
	}
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].dirs == entries[i].dirs {
			j++
		}
		// A key must stay valid until the transaction ends (bbolt keeps it).
		key := make([]byte, 0, 8*len(ind.Dirs))
		for k := range ind.Dirs {
			key = binary.BigEndian.AppendUint64(key, entries[i].dirs[k])
		}
		var list []byte
		if !entries[i].fresh {
			list = slices.Clone(b.Get(key))
		}
		for _, e := range entries[i:j] {
			list = binary.AppendUvarint(list, e.id)
		}
		if err := b.Put(key, list); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// decodeUvarints decodes an index list.
func decodeUvarints(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, fmt.Errorf("bbolt bulk writer: bad index list")
		}
		out, b = append(out, v), b[n:]
	}
	return out, nil
}

// intersectSorted returns the IDs both sorted lists hold.
func intersectSorted(a, b []uint64) []uint64 {
	var out []uint64
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			a = a[1:]
		case b[0] < a[0]:
			b = b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}
