package loaders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// ParkKinds are the kinds of park a park file may name.
var ParkKinds = []string{
	"经开区", "高新区", "自贸片区", "综保区", "保税港区", "产业园", "新区", "走廊", "先导区", "试验区", "示范区",
}

// ParkLevels are the levels of a park: who approved it.
var ParkLevels = []string{"national", "provincial", "municipal"}

const parkFields = "short, aliases, region, level, kind, focus, chains, address, source"

// ReadParks reads a park file in the record format (records.go):
//
//	[park jinan-hitech] 济南高新技术产业开发区
//	short:   济南高新区
//	region:  370176               # GB/T 2260 code of the region it lies in
//	level:   national             # national, provincial or municipal; empty when no source says
//	kind:    高新区                # one of ParkKinds
//	focus:   电子信息, 生物医药     # focus industries in the source's words
//	chains:  it-equipment, software # the chains of the library those words map to
//	source:  where these facts come from (required)
//
// A park with an unknown region, level, kind or chain, or without a source,
// is rejected with its line. It reads in.R and in.File, and checks regions
// against in.Regions and chains against in.Chains; when a table is not
// loaded, its check is skipped with a warning.
func ReadParks(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	file := in.File
	rep := &Report{File: file}
	recs, errs, err := readRecords(in.R, file)
	rep.Rejected = append(rep.Rejected, errs...)
	if err != nil {
		return rep, err
	}
	pc := &parkChecker{regions: in.Regions, chains: in.Chains, seen: map[graph.ParkID]int{}, names: map[string]int{}}
	if !in.regionsLoaded() {
		pc.regions = nil
		rep.Warn(0, "region", errors.New("no regions are loaded: park regions were not checked"))
	}
	if !in.chainsLoaded() {
		pc.chains = nil
		rep.Warn(0, "chains", errors.New("no chain library is loaded: park chains were not checked"))
	}
	for i := range recs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Rows++
		var perr []*ParseError
		p := pc.park(newFieldSet(file, &recs[i], &perr), &recs[i])
		if len(perr) > 0 {
			rep.Rejected = append(rep.Rejected, perr...)
			continue
		}
		if err := sink.Put(p); err != nil {
			return rep, err
		}
		rep.Loaded++
		rep.Count("park:"+p.Kind, 1)
	}
	return rep, nil
}

// parkChecker reads the parks of one file, checking them against the
// loaded regions and chains (nil when not loaded) and against each other.
type parkChecker struct {
	regions Regions
	chains  Chains
	seen    map[graph.ParkID]int // park → line defining it
	names   map[string]int       // name, short name or alias → line of its park
}

// park reads one park record; what is wrong is failed on fs.
func (pc *parkChecker) park(fs *fieldSet, rec *record) graph.Park {
	p := graph.Park{ID: pc.parkID(fs, rec), Name: rec.Title}
	if p.Name == "" {
		fs.fail(rec.Line, "name", errors.New("the park needs a name after the header: [park ID] 名称"))
	}
	p.ShortName = fs.text("short")
	pc.parkNames(fs, rec, &p)
	pc.parkPlace(fs, &p)
	p.Focus, _ = fs.list("focus")
	pc.parkChains(fs, &p)
	p.Address = fs.text("address")
	p.Note = fs.text("source")
	if p.Note == "" {
		_, line, _ := fs.get("source")
		fs.fail(line, "source", errors.New("missing: every park says where its facts come from"))
	}
	fs.unknown(parkFields)
	return p
}

// parkID reads the header [park ID]; an ID defined before fails.
func (pc *parkChecker) parkID(fs *fieldSet, rec *record) graph.ParkID {
	kind, idText, _ := strings.Cut(rec.Header, " ")
	if kind != "park" {
		fs.fail(rec.Line, "", fmt.Errorf("unknown section [%s]: want [park ID] 名称", rec.Header))
	}
	id, err := graph.ParseParkID(strings.TrimSpace(idText))
	if err != nil {
		fs.fail(rec.Line, "id", err)
	} else if at, dup := pc.seen[id]; dup {
		fs.fail(rec.Line, "id", fmt.Errorf("park %s is already defined on line %d", id, at))
	} else {
		pc.seen[id] = rec.Line
	}
	return id
}

// parkNames reads the aliases and checks that no name, short name or alias
// names another park already.
func (pc *parkChecker) parkNames(fs *fieldSet, rec *record, p *graph.Park) {
	_, shortLine, _ := fs.get("short")
	var line int
	p.Aliases, line = fs.list("aliases")
	type nameAt struct {
		name, col string
		line      int
	}
	forms := []nameAt{{p.Name, "name", rec.Line}, {p.ShortName, "short", shortLine}}
	for _, a := range p.Aliases {
		forms = append(forms, nameAt{a, "aliases", line})
	}
	for _, f := range forms {
		if f.name == "" {
			continue
		}
		if at, dup := pc.names[f.name]; dup {
			fs.fail(f.line, f.col, fmt.Errorf("%q already names the park on line %d", f.name, at))
			continue
		}
		pc.names[f.name] = rec.Line
	}
}

// parkPlace reads the region, level and kind.
func (pc *parkChecker) parkPlace(fs *fieldSet, p *graph.Park) {
	code, line, _ := fs.get("region")
	var err error
	if p.Region, err = graph.ParseRegionCode(code); err != nil {
		fs.fail(line, "region", err)
	} else if pc.regions != nil && !hasRegion(pc.regions, p.Region) {
		fs.fail(line, "region", fmt.Errorf("no region %s in the division table", p.Region))
	}
	lv, line, _ := fs.get("level")
	if p.Level = lv; lv != "" && !slices.Contains(ParkLevels, lv) {
		fs.fail(line, "level", fmt.Errorf("%q: want one of %s, or nothing when no source says", lv, strings.Join(ParkLevels, ", ")))
	}
	kd, line, _ := fs.get("kind")
	if p.Kind = kd; !slices.Contains(ParkKinds, kd) {
		fs.fail(line, "kind", fmt.Errorf("%q: want one of %s", kd, strings.Join(ParkKinds, ", ")))
	}
}

// parkChains reads the chains, each of the library when it is loaded.
func (pc *parkChecker) parkChains(fs *fieldSet, p *graph.Park) {
	cs, line := fs.list("chains")
	for _, c := range cs {
		cid, err := graph.ParseChainID(c)
		switch {
		case err != nil:
			fs.fail(line, "chains", err)
		case pc.chains != nil && !hasChain(pc.chains, cid):
			fs.fail(line, "chains", fmt.Errorf("no chain %s in the library", cid))
		default:
			p.Chains = append(p.Chains, cid)
		}
	}
}

func hasRegion(regions Regions, c graph.RegionCode) bool {
	_, ok := regions.Region(c)
	return ok
}

func hasChain(chains Chains, c graph.ChainID) bool {
	_, ok := chains.Chain(c)
	return ok
}
