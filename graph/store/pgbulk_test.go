package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/pgtest"
)

// pgDatabase is an empty PostgreSQL database for one test.
func pgDatabase(tb testing.TB) string { return pgtest.Database(tb, "chainkg_bulk") }

// withBulk runs f with the bulk path switched on or off.
func withBulk(on bool, f func()) {
	defer func(was bool) { pgBulkEnabled = was }(pgBulkEnabled)
	pgBulkEnabled = on
	f()
}

// bulkFixture is the store fixture plus values of every kind the model
// writes: integers, floats, booleans, long and odd strings.
func bulkFixture() [][]graph.Fact {
	odd := graph.Firm{ID: graph.FirmID(syntheticCode(7)), Name: "丙公司\x00\t\"'\\<>&", Capital: 1e-3, Synthetic: true, Region: "370600",
		Scope: strings.Repeat("经营范围", 2000), Tags: []string{"专精特新", "上市"}}
	return [][]graph.Fact{fixtureRegions, fixtureChain, append(append([]graph.Fact{}, fixtureFirms...), odd)}
}

// loadTwice loads the bulk fixture into two stores opened by open, at the
// same instants and in batches of 7 quads (so nodes recur across them):
// the first through cayley's writer, the second through the bulk path that
// with switches on. It checks that the second's read model has what the
// first's has.
func loadTwice(t *testing.T, open func(i int) *Store, with func(on bool, f func())) [2]*Store {
	t.Helper()
	var stores [2]*Store
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	srcs := []graph.Source{srcRef, srcChains, srcReg}
	for i := range stores {
		with(i == 1, func() {
			s := open(i)
			s.batch = 7
			tick := at
			s.now = func() time.Time { tick = tick.Add(time.Second); return tick }
			for j, facts := range bulkFixture() {
				mustReplace(t, s, srcs[j], facts...)
			}
			stores[i] = s
		})
	}
	if x := stores[1].Index(); x.FirmCount() != 3 || x.Stats().Quads != stores[0].Index().Stats().Quads {
		t.Errorf("read model of the bulk store: %d firms, %d quads", x.FirmCount(), x.Stats().Quads)
	}
	return stores
}

// deleteEach deletes the fixture's sources one by one through cayley from
// both stores of loadTwice, comparing them after each.
func deleteEach(t *testing.T, stores [2]*Store, compare func(when string)) {
	t.Helper()
	for _, id := range []graph.SourceID{srcReg.ID, srcChains.ID, srcRef.ID} {
		for _, s := range stores {
			if err := s.Delete(context.Background(), id); err != nil {
				t.Fatal(err)
			}
		}
		compare("after deleting " + string(id))
	}
}

// TestPGBulkMatchesCayley loads the same sources through cayley's writer
// into one database and through the bulk path into another, at the same
// instants, and compares cayley's tables row by row: hashes, value columns
// and reference counts. Then it deletes through cayley in both and compares
// again, down to empty tables: cayley counts and removes the bulk path's
// rows as its own.
func TestPGBulkMatchesCayley(t *testing.T) {
	urls := []string{pgDatabase(t), pgDatabase(t)}
	stores := loadTwice(t, func(i int) *Store { return openTestStore(t, urls[i]) }, withBulk)
	compare := func(when string) {
		t.Helper()
		a, b := pgTables(t, urls[0]), pgTables(t, urls[1])
		if a != b {
			t.Fatalf("%s: cayley's writer and the bulk path wrote different tables:\ncayley: %.2000s\nbulk:   %.2000s", when, a, b)
		}
	}
	compare("after loading")
	deleteEach(t, stores, compare)
	if rows := pgTables(t, urls[1]); rows != "nodes:\nquads:\n" {
		t.Errorf("rows left after deleting every source:\n%.2000s", rows)
	}
}

// pgTables renders cayley's tables, ordered, without the columns that
// differ between two identical stores (horizon, ts).
func pgTables(t *testing.T, u string) string {
	t.Helper()
	db, err := sql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		`SELECT 'nodes:'`,
		`SELECT concat_ws(' ', encode(hash, 'hex'), refs, encode(value, 'hex'), value_string, datatype, language, iri, bnode,
			value_int, value_bool, value_float, value_time) FROM nodes ORDER BY hash`,
		`SELECT 'quads:'`,
		`SELECT concat_ws(' ', encode(subject_hash, 'hex'), encode(predicate_hash, 'hex'), encode(object_hash, 'hex'),
			encode(label_hash, 'hex')) FROM quads ORDER BY 1`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			b.WriteString(s + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// TestPGBulkReadByCayley loads the fixture through the bulk path and reads
// it back through cayley's own query languages.
func TestPGBulkReadByCayley(t *testing.T) {
	s := openTestStore(t, pgDatabase(t))
	if s.bulk == nil {
		t.Fatal("a PostgreSQL store without the bulk path")
	}
	for i, facts := range bulkFixture() {
		mustReplace(t, s, []graph.Source{srcRef, srcChains, srcReg}[i], facts...)
	}
	firm := string(graph.FirmID("914403001922038216").IRI())
	for _, tc := range []struct {
		lang QueryLang
		q    string
		want []string
	}{
		{LangGizmo, fmt.Sprintf(`g.V("<%s>").Out("<%s>").All()`, firm, string(graph.PredName)), []string{"甲电芯有限公司"}},
		// Two hops: the firm's node, then the node it supplies.
		{LangGizmo, fmt.Sprintf(`g.V("<%s>").Out("<%s>").Out("<%s>").All()`, firm, string(graph.PredInNode), string(graph.PredSuppliesTo)), []string{"ev/pack"}},
		{LangGizmo, fmt.Sprintf(`g.V().Has("<%s>", "<%s>").All()`, string(graph.PredType), string(graph.ClassFirm)), []string{"914403001922038216", "9144030071526726XG", syntheticCode(7)}},
		{LangGraphQL, fmt.Sprintf(`{ nodes(id: "<%s>") { name: <%s> } }`, firm, string(graph.PredName)), []string{"甲电芯有限公司"}},
	} {
		res, err := s.Query(context.Background(), tc.lang, tc.q, QueryLimits{})
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		got := fmt.Sprint(res.Results)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s = %s, want %q in it", tc.q, got, w)
			}
		}
	}
}

// TestPGBulkScanMatchesCayley reads the whole store with the bulk scan and
// with cayley's iterator, and compares every quad, values typed as cayley
// types them.
func TestPGBulkScanMatchesCayley(t *testing.T) {
	s := openTestStore(t, pgDatabase(t))
	for i, facts := range bulkFixture() {
		mustReplace(t, s, []graph.Source{srcRef, srcChains, srcReg}[i], facts...)
	}
	// Values of the types the model does not write, through cayley's writer.
	odd := []quad.Quad{
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("p"), Object: quad.LangString{Value: "烟台\x00", Lang: "zh"}, Label: quad.IRI("odd")},
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("p"), Object: quad.TypedString{Value: "2026", Type: "xsd:gYear"}, Label: quad.IRI("odd")},
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("p"), Object: quad.Time(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))},
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("p"), Object: quad.Int(-7), Label: quad.IRI("odd")},
	}
	if err := withoutBulk(func() error { return s.applyAdd(odd) }); err != nil {
		t.Fatal(err)
	}
	read := func(bulk bool) []string {
		var out []string
		withBulk(bulk, func() {
			if err := s.scan(context.Background(), func(q quad.Quad) error {
				out = append(out, fmt.Sprintf("%#v", q))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		})
		slices.Sort(out)
		return out
	}
	cayley, bulk := read(false), read(true)
	if len(cayley) < 40 || !slices.Equal(cayley, bulk) {
		t.Fatalf("the scans differ: cayley %d quads, bulk %d\ncayley: %.3000v\nbulk:   %.3000v", len(cayley), len(bulk), cayley, bulk)
	}
}

func withoutBulk(f func() error) error {
	var err error
	withBulk(false, func() { err = f() })
	return err
}

// TestPGBulkDuplicates: a batch that repeats a quad, or repeats one already
// stored, stores it once and counts it once, so deleting it leaves no node
// behind (cayley's own writer counts the repeat and leaks the nodes).
func TestPGBulkDuplicates(t *testing.T) {
	u := pgDatabase(t)
	s := openTestStore(t, u)
	f := fixtureFirms[0]
	mustReplace(t, s, srcReg, f, f, f)
	if err := s.Delete(context.Background(), srcReg.ID); err != nil {
		t.Fatal(err)
	}
	if rows := pgTables(t, u); rows != "nodes:\nquads:\n" {
		t.Errorf("rows left:\n%.2000s", rows)
	}
}

// BenchmarkPostgresWrite writes the quads of synthetic firms as a load
// does — a new version, in batches — through cayley's writer and through
// the bulk path, and reports quads/s and firms/s. It times the writing
// only: the flip is one small transaction, and the read model's rebuild
// after it is measured by the load command (README).
//
//	CHAINKG_TEST_POSTGRES=postgres://… go test ./graph -run '^$' -bench PostgresWrite -benchtime 3x
func BenchmarkPostgresWrite(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bulk  bool
		firms int
	}{{"cayley", false, 2000}, {"bulk", true, 20000}} {
		b.Run(bc.name, func(b *testing.B) {
			withBulk(bc.bulk, func() {
				s, err := Open(context.Background(), pgDatabase(b), Options{})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				facts := make([]graph.Fact, bc.firms)
				for i := range facts {
					facts[i] = graph.Firm{ID: graph.FirmID(syntheticCode(i)), Name: fmt.Sprintf("合成公司%d", i), Region: "370600",
						Capital: float64(i), Status: graph.StatusActive, Tags: []string{"专精特新"}, Scope: "锂离子电池的生产",
						Nodes: []graph.NodeLink{{Node: "ev/cell", Method: "keyword", Confidence: 0.8, Matched: "电池"}}}
				}
				quads := 0
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					id := graph.SourceID(fmt.Sprintf("registry/bench-%d", i))
					sink := &versionSink{ctx: context.Background(), s: s, label: versionLabel(id, time.Now()), hash: sha256.New()}
					if err := sink.Put(facts...); err != nil {
						b.Fatal(err)
					}
					if err := sink.finish(); err != nil {
						b.Fatal(err)
					}
					quads += sink.n
				}
				sec := b.Elapsed().Seconds()
				b.ReportMetric(float64(quads)/sec, "quads/s")
				b.ReportMetric(float64(bc.firms*b.N)/sec, "firms/s")
			})
		})
	}
}
