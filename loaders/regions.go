package loaders

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// ReadRegions reads a division table with the columns code, name, level and
// parent_code (the layout of shared/reference/regions.csv) and puts a
// graph.Region for each row. Bad rows are rejected with their line; a table
// without the columns is an error.
// It reads in.R and in.File.
func ReadRegions(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	rep := &Report{File: in.File}
	err := readCSVTable(ctx, in.R, in.File, []string{"code", "name", "level", "parent_code"}, func(line int, get func(string) string) error {
		rep.Rows++
		code, err := graph.ParseRegionCode(get("code"))
		if err != nil {
			rep.Reject(line, "code", err)
			return nil
		}
		name := get("name")
		if name == "" {
			rep.Reject(line, "name", errors.New("empty"))
			return nil
		}
		reg := graph.Region{Code: code, Name: name, Level: graph.RegionLevel(get("level")), ShortName: RegionShortName(name), Aliases: RegionAliases(name)}
		switch reg.Level {
		case graph.LevelProvince, graph.LevelCity, graph.LevelCounty, graph.LevelTown:
		case "":
			reg.Level = code.Level()
		default:
			rep.Reject(line, "level", fmt.Errorf("%q: want province, city, county or town", reg.Level))
			return nil
		}
		if p := get("parent_code"); p != "" {
			if reg.Parent, err = graph.ParseRegionCode(p); err != nil {
				rep.Reject(line, "parent_code", err)
				return nil
			}
		}
		if err := sink.Put(reg); err != nil {
			return err
		}
		rep.Loaded++
		return nil
	})
	return rep, err
}

// readCSVTable reads a CSV table whose header names at least cols and calls
// fn for each row with its line and a getter of trimmed cells by column name
// ("" for a column the file lacks). An error of fn stops the read, and so
// does the end of ctx.
func readCSVTable(ctx context.Context, r io.Reader, file string, cols []string, fn func(line int, get func(string) string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return &ParseError{File: file, Line: 1, Err: fmt.Errorf("%w: no header: %w", ErrRejected, err)}
	}
	col, err := columns(header, cols...)
	if err != nil {
		return &ParseError{File: file, Line: 1, Err: err}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return &ParseError{File: file, Line: line, Err: err}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if err := fn(line, get); err != nil {
			return err
		}
	}
}

// columns finds the named columns in a header (case-insensitive, trimmed,
// BOM removed) and reports the missing ones.
func columns(header []string, want ...string) (map[string]int, error) {
	at := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := at[h]; !dup {
			at[h] = i
		}
	}
	var missing []string
	for _, w := range want {
		if _, ok := at[w]; !ok {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing columns %s", ErrRejected, strings.Join(missing, ", "))
	}
	return at, nil
}

// placeholderRegions are rows of the statistical list that stand for a
// grouping, not a place; they get no short name.
var placeholderRegions = map[string]bool{
	"市辖区": true, "县": true, "省直辖县级行政区划": true, "自治区直辖县级行政区划": true,
}

// ethnicGroups are the names that autonomous divisions carry before 族
// (延边朝鲜族自治州 → 延边).
var ethnicGroups = []string{
	"蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
	"土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
	"纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
	"锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
	"裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
}

// RegionShortName returns the form a division goes by in running text:
// 烟台 for 烟台市, 莱山 for 莱山区, 延边 for 延边朝鲜族自治州, 内蒙古 for
// 内蒙古自治区. It returns "" when no shorter form is safe (城区, 市辖区).
func RegionShortName(name string) string {
	if placeholderRegions[name] {
		return ""
	}
	if forms := zoneForms(name); len(forms) > 0 {
		return forms[0]
	}
	s := name
	autonomous := false
	for _, suf := range []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗"} {
		if t, ok := strings.CutSuffix(s, suf); ok {
			s, autonomous = t, true
			break
		}
	}
	if autonomous {
		for changed := true; changed; {
			changed = false
			for _, g := range ethnicGroups {
				// 延边朝鲜族, and without 族 as in 新疆维吾尔.
				for _, suf := range []string{g + "族", g} {
					if t, ok := strings.CutSuffix(s, suf); ok && utf8.RuneCountInString(t) >= 2 {
						s, changed = t, true
					}
				}
			}
		}
	} else {
		for _, suf := range []string{"林区", "地区", "省", "市", "盟", "区", "县", "旗"} {
			if t, ok := strings.CutSuffix(s, suf); ok {
				s = t
				break
			}
		}
	}
	if s == name || utf8.RuneCountInString(s) < 2 {
		return ""
	}
	return s
}

// zoneSuffixes are the endings of the functional zones the statistical
// division list carries (x7x codes), with the short forms running text uses
// for them: 济南高新技术产业开发区 is 济南高新区, 烟台经济技术开发区 is
// 烟台经开区 or 烟台开发区.
var zoneSuffixes = []struct {
	suffix string
	forms  []string
}{
	{"火炬高技术产业开发区", []string{"高新区", "火炬高新区"}},
	{"高新技术产业开发区", []string{"高新区"}},
	{"高新技术开发区", []string{"高新区"}},
	{"经济技术开发区", []string{"经开区", "开发区"}},
	{"经济开发区", []string{"经开区", "开发区"}},
}

// zoneForms returns the short forms of a functional zone's name, the
// preferred one first, or nothing when the name is not a zone's.
func zoneForms(name string) []string {
	for _, z := range zoneSuffixes {
		p, ok := strings.CutSuffix(name, z.suffix)
		if !ok || utf8.RuneCountInString(p) < 2 {
			continue
		}
		// 秦皇岛市经济技术开发区 → 秦皇岛经开区.
		if t, ok := strings.CutSuffix(p, "市"); ok && utf8.RuneCountInString(t) >= 2 {
			p = t
		}
		var out []string
		for _, f := range z.forms {
			out = append(out, p+f)
		}
		return out
	}
	return nil
}

// RegionAliases returns the other forms a division goes by in text beyond
// its short name: for a functional zone, 烟台开发区 beside 烟台经开区.
func RegionAliases(name string) []string {
	forms := zoneForms(name)
	if len(forms) < 2 {
		return nil
	}
	return forms[1:]
}
