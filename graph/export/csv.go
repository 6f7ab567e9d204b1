package export

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"time"
)

// present is a value when set, else an empty field.
func present(v string, ok bool) string {
	if !ok {
		return ""
	}
	return v
}

// zipFile adds a file to a zip with a fixed time, so the same scope gives
// the same archive.
func zipFile(z *zip.Writer, name string) (io.Writer, error) {
	return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
}

// writeGephiCSV writes the two files of Gephi's spreadsheet import in a zip:
// nodes.csv with Id and Label first, edges.csv with Source, Target, Type,
// Id, Label and Weight first, then every attribute by its key.
func writeGephiCSV(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	z := zip.NewWriter(w)
	f, err := zipFile(z, "nodes.csv")
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	head := []string{"Id", "Label"}
	for _, c := range nodeColumns {
		head = append(head, c.Key)
	}
	cw.Write(append(head, "color", "x", "y", "size"))
	for i := range s.Nodes {
		n := &s.Nodes[i]
		row := []string{n.ID, n.Label}
		for _, c := range nodeColumns {
			v := present(c.get(n))
			row = append(row, v)
		}
		cw.Write(append(row, n.Color.Hex(), formatFloat(n.X), formatFloat(-n.Y), formatFloat(n.Size)))
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	if f, err = zipFile(z, "edges.csv"); err != nil {
		return err
	}
	cw = csv.NewWriter(f)
	head = []string{"Source", "Target", "Type", "Id", "Label", "Weight"}
	for _, c := range edgeColumns {
		if c.Key != "label" && c.Key != "weight" {
			head = append(head, c.Key)
		}
	}
	cw.Write(head)
	for i := range s.Edges {
		ed := &s.Edges[i]
		row := []string{ed.From, ed.To, "Directed", ed.ID, ed.Label(), formatFloat(ed.Attrs.Weight)}
		for _, c := range edgeColumns {
			if c.Key != "label" && c.Key != "weight" {
				v := present(c.get(ed))
				row = append(row, v)
			}
		}
		cw.Write(row)
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	return z.Close()
}

// neo4jTypes are the header type suffixes of neo4j-admin import.
var neo4jTypes = map[attrType]string{typeString: "", typeInt: ":int", typeDouble: ":double", typeBool: ":boolean"}

// neo4jLabels are the node labels, by kind; anchors and targets add one.
var neo4jLabels = map[NodeKind]string{KindChainNode: "ChainNode", KindFirm: "Firm", KindTarget: "Firm;Target",
	KindChain: "Chain", KindPark: "Park", KindRegion: "Region"}

// neo4jReadme says how to import the archive.
const neo4jReadme = `chainkg export for Neo4j bulk import

  neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv \
      --array-delimiter=";" neo4j

Node ids (:ID) are chainkg's keys (node:…, firm:…, park:…, region:…, chain:…);
labels: ChainNode, Firm (Anchor, Target), Chain, Park, Region; relationship types:
CONTAINS, SUPPLIES, IN_NODE, FILLS_GAP, IN_REGION, IN_PARK, PARK_CHAIN.
Empty fields are absent properties.
`

// writeNeo4jCSV writes nodes.csv and relationships.csv with neo4j-admin's
// headers (:ID, :LABEL, :START_ID, :END_ID, :TYPE, typed properties), and a
// README with the import command, in a zip.
func writeNeo4jCSV(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	z := zip.NewWriter(w)
	f, err := zipFile(z, "nodes.csv")
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	head := []string{"id:ID", "name"}
	for _, c := range nodeColumns {
		if c.Key == "tags" {
			head = append(head, "tags:string[]")
			continue
		}
		head = append(head, c.Key+neo4jTypes[c.Type])
	}
	cw.Write(append(head, "color", "x:double", "y:double", ":LABEL"))
	for i := range s.Nodes {
		n := &s.Nodes[i]
		row := []string{n.ID, n.Label}
		for _, c := range nodeColumns {
			v := present(c.get(n))
			if c.Key == "tags" {
				v = strings.ReplaceAll(v, "; ", ";")
			}
			row = append(row, v)
		}
		label := neo4jLabels[n.Kind]
		if n.Kind == KindFirm && n.Attrs.Anchor.V {
			label += ";Anchor"
		}
		cw.Write(append(row, n.Color.Hex(), formatFloat(n.X), formatFloat(n.Y), label))
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	if f, err = zipFile(z, "relationships.csv"); err != nil {
		return err
	}
	cw = csv.NewWriter(f)
	head = []string{":START_ID", ":END_ID", ":TYPE", "id"}
	for _, c := range edgeColumns {
		if c.Key != "kind" {
			head = append(head, c.Key+neo4jTypes[c.Type])
		}
	}
	cw.Write(head)
	for i := range s.Edges {
		ed := &s.Edges[i]
		row := []string{ed.From, ed.To, strings.ToUpper(string(ed.Kind)), ed.ID}
		for _, c := range edgeColumns {
			if c.Key != "kind" {
				v := present(c.get(ed))
				row = append(row, v)
			}
		}
		cw.Write(row)
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	if f, err = zipFile(z, "README.txt"); err != nil {
		return err
	}
	if _, err := io.WriteString(f, neo4jReadme); err != nil {
		return err
	}
	return z.Close()
}
