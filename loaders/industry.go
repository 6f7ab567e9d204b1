package loaders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// ReadIndustryCodes reads the GB/T 4754-2017 table with the columns code,
// name, level, parent_code and description (the layout of
// shared/reference/gbt4754_2017.csv: 门类 letters, 大类, 中类 and 小类, the
// 2019 amendment applied) and puts a graph.IndustryClass for each row.
// A row whose level disagrees with its code's shape, or whose parent is not
// the code one level up, is rejected.
// It reads in.R and in.File.
func ReadIndustryCodes(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	rep := &Report{File: in.File}
	err := readCSVTable(ctx, in.R, in.File, []string{"code", "name", "level", "parent_code"}, func(line int, get func(string) string) error {
		rep.Rows++
		code, err := graph.ParseIndustryCode(get("code"))
		if err != nil {
			rep.Reject(line, "code", err)
			return nil
		}
		if want := string(code.Level()); get("level") != want {
			rep.Reject(line, "level", fmt.Errorf("%q: code %s is a %s", get("level"), code, want))
			return nil
		}
		c := graph.IndustryClass{Code: code, Name: get("name"), Description: get("description")}
		if c.Name == "" {
			rep.Reject(line, "name", errors.New("empty"))
			return nil
		}
		if p := get("parent_code"); p != "" {
			if c.Parent, err = graph.ParseIndustryCode(p); err != nil {
				rep.Reject(line, "parent_code", err)
				return nil
			}
			if !parentFits(code, c.Parent) {
				rep.Reject(line, "parent_code", fmt.Errorf("%s cannot be the parent of %s", c.Parent, code))
				return nil
			}
		} else if code.Level() != graph.CodeSection {
			rep.Reject(line, "parent_code", fmt.Errorf("empty: only a 门类 has no parent"))
			return nil
		}
		if err := sink.Put(c); err != nil {
			return err
		}
		rep.Loaded++
		rep.Count("code:"+string(code.Level()), 1)
		return nil
	})
	return rep, err
}

// parentFits reports whether p is the code one level above c: a section
// letter for a 大类, the code's own prefix below that.
func parentFits(c, p graph.IndustryCode) bool {
	switch c.Level() {
	case graph.CodeDivision:
		return p.Level() == graph.CodeSection
	case graph.CodeGroup, graph.CodeClass:
		return len(p) == len(c)-1 && strings.HasPrefix(string(c), string(p))
	}
	return false
}

// ReadIndustryClassifications reads the special classifications mapped onto
// GB/T 4754 小类 — strategic emerging industries (2018), high-tech
// manufacturing (2017) and services (2018), the digital economy (2021) and
// others — in the long layout of shared/reference/gbt4754_special_classifications.csv
// (gbt_code, tag, partial_star, category_path). It puts one graph.IndustryClass
// per code carrying only its tags and category paths ("tag:path", with a
// trailing "*" where only part of the class belongs, as the official tables
// mark it), so the classes of the GB/T table gain them when both are loaded.
// It reads in.R and in.File.
func ReadIndustryClassifications(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	rep := &Report{File: in.File}
	byCode := map[graph.IndustryCode]*graph.IndustryClass{}
	var order []graph.IndustryCode
	err := readCSVTable(ctx, in.R, in.File, []string{"gbt_code", "tag", "partial_star", "category_path"}, func(line int, get func(string) string) error {
		rep.Rows++
		code, err := graph.ParseIndustryCode(get("gbt_code"))
		if err != nil {
			rep.Reject(line, "gbt_code", err)
			return nil
		}
		tag := get("tag")
		if tag == "" || strings.ContainsAny(tag, ": \t") {
			rep.Reject(line, "tag", fmt.Errorf("%q: want a tag without spaces or ':'", tag))
			return nil
		}
		cat := tag + ":" + get("category_path")
		switch get("partial_star") {
		case "1":
			cat += "*"
		case "0", "":
		default:
			rep.Reject(line, "partial_star", fmt.Errorf("%q: want 0 or 1", get("partial_star")))
			return nil
		}
		c, ok := byCode[code]
		if !ok {
			c = &graph.IndustryClass{Code: code}
			byCode[code] = c
			order = append(order, code)
		} else {
			rep.Merged++
		}
		if !slices.Contains(c.Tags, tag) {
			c.Tags = append(c.Tags, tag)
			rep.Count("tag:"+tag, 1)
		}
		if get("category_path") != "" && !slices.Contains(c.Categories, cat) {
			c.Categories = append(c.Categories, cat)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	for _, code := range order {
		if err := sink.Put(*byCode[code]); err != nil {
			return rep, err
		}
		rep.Loaded++
	}
	return rep, nil
}
