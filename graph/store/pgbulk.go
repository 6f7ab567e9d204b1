package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/lib/pq"
)

// The bulk path for PostgreSQL. Cayley's SQL writer sends one INSERT per
// node and per quad, each a round trip: ~4k quads/s, so a million firms (14M
// quads) would take an hour. A batch of additions — what a load writes —
// goes instead as two COPYs into temporary tables and three set statements
// into cayley's own tables, in one transaction:
//
//	COPY nodes of the batch   → chainkg_nodes     (hash and value columns, by cayley's own HashOf and NodeValues)
//	COPY quads of the batch   → chainkg_quads     (the four hashes)
//	INSERT INTO nodes … ON CONFLICT (hash) DO NOTHING     (new nodes, refs 0)
//	INSERT INTO quads … ON CONFLICT DO NOTHING RETURNING  (new quads) → UPDATE nodes SET refs = refs + uses
//	DELETE the batch's nodes no new quad uses
//
// The rows are the ones cayley's writer makes — the same hashes, value
// columns and reference counts (TestPGBulkMatchesCayley compares the
// tables) — so cayley reads, deletes and counts them as its own. Deletions
// and the one-quad meta flips still go through cayley.

// pgBulkEnabled switches the bulk path on for PostgreSQL stores; tests and
// benchmarks turn it off to compare with cayley's writer.
var pgBulkEnabled = true

// pgBulk is the bulk writer: its own connection pool to the store's database.
type pgBulk struct {
	db *sql.DB
}

func openPGBulk(url string) (*pgBulk, error) {
	db, err := sql.Open("postgres", url)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return &pgBulk{db: db}, nil
}

func (b *pgBulk) close() error { return b.db.Close() }

// nodeColumns are the columns of cayley's nodes table, hash first.
var nodeColumns = []string{"hash", "value", "value_string", "datatype", "language", "iri", "bnode",
	"value_int", "value_bool", "value_float", "value_time"}

// applyBulk writes deltas through the bulk path when they are all
// additions and the store has one; it reports whether it took them.
func (s *Store) applyBulk(deltas []cgraph.Delta) (bool, error) {
	if s.bulk == nil || !pgBulkEnabled || !allAdditions(deltas) {
		return false, nil
	}
	return true, s.bulk.add(context.Background(), deltas)
}

// add writes the quads of deltas, all additions, in one transaction.
func (b *pgBulk) add(ctx context.Context, deltas []cgraph.Delta) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := b.addTx(ctx, tx, deltas); err != nil {
		tx.Rollback()
		return fmt.Errorf("graph: bulk write to PostgreSQL: %w", err)
	}
	return tx.Commit()
}

// addTx stages the batch's distinct values and its quads in temporary
// tables by COPY, then merges them into cayley's nodes and quads tables,
// counting references as cayley does.
func (b *pgBulk) addTx(ctx context.Context, tx *sql.Tx, deltas []cgraph.Delta) error {
	for _, stmt := range []string{
		`CREATE TEMP TABLE chainkg_nodes (LIKE nodes) ON COMMIT DROP`,
		`ALTER TABLE chainkg_nodes DROP COLUMN refs`,
		`CREATE TEMP TABLE chainkg_quads (subject_hash BYTEA, predicate_hash BYTEA, object_hash BYTEA, label_hash BYTEA) ON COMMIT DROP`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	// The batch's distinct values, each as a row of the nodes table.
	err := copyIn(ctx, tx, "chainkg_nodes", nodeColumns, func(put func(...any) error) error {
		seen := make(map[csql.NodeHash]bool, len(deltas))
		row := make([]any, len(nodeColumns))
		for _, d := range deltas {
			for _, v := range []quad.Value{d.Quad.Subject, d.Quad.Predicate, d.Quad.Object, d.Quad.Label} {
				if v == nil {
					continue
				}
				h := csql.HashOf(v)
				if seen[h] {
					continue
				}
				seen[h] = true
				if err := nodeRow(row, h, v); err != nil {
					return err
				}
				if err := put(row...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = copyIn(ctx, tx, "chainkg_quads", []string{"subject_hash", "predicate_hash", "object_hash", "label_hash"}, func(put func(...any) error) error {
		for _, d := range deltas {
			q := d.Quad
			if err := put(csql.HashOf(q.Subject).SQLValue(), csql.HashOf(q.Predicate).SQLValue(),
				csql.HashOf(q.Object).SQLValue(), csql.HashOf(q.Label).SQLValue()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return mergeStaged(ctx, tx)
}

// copyIn copies the rows that rows puts into table's columns, in one COPY.
func copyIn(ctx context.Context, tx *sql.Tx, table string, columns []string, rows func(put func(...any) error) error) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return err
	}
	put := func(row ...any) error {
		_, err := stmt.ExecContext(ctx, row...)
		return err
	}
	if err := rows(put); err != nil {
		stmt.Close()
		return err
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return err
	}
	return stmt.Close()
}

// mergeStaged merges the staged nodes and quads into cayley's tables.
func mergeStaged(ctx context.Context, tx *sql.Tx) error {
	cols := strings.Join(nodeColumns, ", ")
	for _, stmt := range []string{
		// New nodes start unreferenced; the quads below count their uses.
		`INSERT INTO nodes (refs, ` + cols + `) SELECT 0, ` + cols + ` FROM chainkg_nodes ON CONFLICT (hash) DO NOTHING`,
		// A quad already stored (the same fact and label) is skipped and
		// counts nothing, as cayley's writer does with IgnoreDup.
		`WITH added AS (
			INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts)
			SELECT subject_hash, predicate_hash, object_hash, label_hash, now() FROM chainkg_quads
			ON CONFLICT DO NOTHING
			RETURNING subject_hash, predicate_hash, object_hash, label_hash
		), uses AS (
			SELECT h, count(*) AS n FROM (
				SELECT subject_hash AS h FROM added
				UNION ALL SELECT predicate_hash FROM added
				UNION ALL SELECT object_hash FROM added
				UNION ALL SELECT label_hash FROM added WHERE label_hash IS NOT NULL
			) u GROUP BY h
		)
		UPDATE nodes SET refs = nodes.refs + uses.n FROM uses WHERE nodes.hash = uses.h`,
		// A node of the batch that no new quad uses, and no old one did.
		`DELETE FROM nodes USING chainkg_nodes WHERE nodes.hash = chainkg_nodes.hash AND nodes.refs <= 0`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// nodeRow fills row (in nodeColumns order) with a value's hash and the
// columns cayley's NodeValues gives its type; the rest stay NULL.
func nodeRow(row []any, h csql.NodeHash, v quad.Value) error {
	typ, vals, err := csql.NodeValues(h, v)
	if err != nil {
		return err
	}
	clear(row)
	row[0] = vals[0]
	for i, col := range typ.Columns() {
		j := columnIndex(col)
		if j < 0 {
			return fmt.Errorf("graph: cayley's nodes table has no column %q", col)
		}
		row[j] = vals[1+i]
	}
	return nil
}

func columnIndex(col string) int {
	for i, c := range nodeColumns {
		if c == col {
			return i
		}
	}
	return -1
}

// The bulk read. Rebuilding the read model scans every quad; through
// cayley's iterator each quad costs up to four value lookups (an LRU of
// 1,024 values in front of one query each), ~3–8k quads/s. One query that
// joins quads to their four nodes streams them at the speed of the join.
// Values are decoded as cayley's NameOf decodes them.

// nodeSelect is the value columns of one joined node, in the order decodeNode reads.
func nodeSelect(t string) string {
	return t + ".value, " + t + ".value_string, " + t + ".datatype, " + t + ".language, " + t + ".iri, " + t + ".bnode, " +
		t + ".value_int, " + t + ".value_bool, " + t + ".value_float, " + t + ".value_time"
}

// scanBulk calls fn for every quad of the store, read in one query; it
// reports whether it did (the bulk path is on for this store).
func (s *Store) scanBulk(ctx context.Context, fn func(quad.Quad) error) (bool, error) {
	if s.bulk == nil || !pgBulkEnabled {
		return false, nil
	}
	return true, s.bulk.scan(ctx, fn)
}

func (b *pgBulk) scan(ctx context.Context, fn func(quad.Quad) error) error {
	// One transaction, so the scan is one snapshot.
	tx, err := b.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+nodeSelect("s")+`, `+nodeSelect("p")+`, `+nodeSelect("o")+`, `+nodeSelect("l")+`
		FROM quads q
		JOIN nodes s ON s.hash = q.subject_hash
		JOIN nodes p ON p.hash = q.predicate_hash
		JOIN nodes o ON o.hash = q.object_hash
		LEFT JOIN nodes l ON l.hash = q.label_hash`)
	if err != nil {
		return fmt.Errorf("graph: bulk scan of PostgreSQL: %w", err)
	}
	defer rows.Close()
	var cols [4]nodeScan
	dest := make([]any, 0, 40)
	for i := range cols {
		dest = append(dest, cols[i].dest()...)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		var vals [4]quad.Value
		for i := range cols {
			if vals[i], err = cols[i].value(); err != nil {
				return err
			}
		}
		if err := fn(quad.Quad{Subject: vals[0], Predicate: vals[1], Object: vals[2], Label: vals[3]}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// nodeScan receives the value columns of one node.
type nodeScan struct {
	data   []byte
	str    sql.NullString
	typ    sql.NullString
	lang   sql.NullString
	iri    sql.NullBool
	bnode  sql.NullBool
	vint   sql.NullInt64
	vbool  sql.NullBool
	vfloat sql.NullFloat64
	vtime  sql.NullTime
}

func (n *nodeScan) dest() []any {
	return []any{&n.data, &n.str, &n.typ, &n.lang, &n.iri, &n.bnode, &n.vint, &n.vbool, &n.vfloat, &n.vtime}
}

// value decodes the node as cayley's sql.QuadStore.NameOf does; a node
// that is all NULL (the label of an unlabelled quad) is nil.
func (n *nodeScan) value() (quad.Value, error) {
	switch {
	case n.str.Valid:
		s := strings.ReplaceAll(n.str.String, `\x00`, "\x00") // cayley's escape of NUL
		switch {
		case n.iri.Bool:
			return quad.IRI(n.str.String), nil
		case n.bnode.Bool:
			return quad.BNode(n.str.String), nil
		case n.lang.Valid:
			return quad.LangString{Value: quad.String(s), Lang: n.lang.String}, nil
		case n.typ.Valid:
			return quad.TypedString{Value: quad.String(s), Type: quad.IRI(n.typ.String)}, nil
		}
		return quad.String(s), nil
	case n.vint.Valid:
		return quad.Int(n.vint.Int64), nil
	case n.vbool.Valid:
		return quad.Bool(n.vbool.Bool), nil
	case n.vfloat.Valid:
		return quad.Float(n.vfloat.Float64), nil
	case n.vtime.Valid:
		return quad.Time(n.vtime.Time.UTC()), nil
	case n.data == nil:
		return nil, nil
	}
	v, err := pquads.UnmarshalValue(n.data)
	if err != nil {
		return nil, fmt.Errorf("graph: a node's value: %w", err)
	}
	return v, nil
}
